//! The Policies page and the Alerts inbox over HTTP, as plain form posts: the Recompute
//! button stores a policy for every material, the seeded heat spike raises an alert,
//! its suggestions are applied once (audited, recomputed into the policy) or
//! dismissed, and the settings form refuses bad values by field and stale versions.

use c2m_tests::{TestApp, on_both_databases};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::store::entities::{
    AlertStatus, ReservationStatus, SuggestionKind, SuggestionStatus, alerts, capacity_reservations,
    materials, policies, policy_settings, suggestions,
};

use crate::admin_settings::{accepted, audited, banner_of, get, location, post_form, refusal_of, shop};

on_both_databases!(
    the_recompute_button_stores_a_policy_for_every_material,
    the_seeded_heat_spike_raises_an_alert_with_its_suggestions,
    an_accepted_stock_level_is_applied_audited_and_recomputed_once,
    an_accepted_capacity_reservation_is_requested_from_the_supplier,
    dismissed_suggestions_and_alerts_change_nothing_else,
    settings_refusals_name_their_field_and_a_stale_version_is_refused,
    a_saved_class_threshold_changes_the_classes_at_the_next_recompute,
);

const POLICIES: &str = "/admin/policies";
const ALERTS: &str = "/admin/alerts";

/// The demo shop's materials.
async fn shop_materials(app: &TestApp) -> Vec<materials::Model> {
    let shop = shop(app).await;
    materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop.id))
        .all(&app.db)
        .await
        .unwrap()
}

async fn shop_policies(app: &TestApp) -> Vec<policies::Model> {
    let ids: Vec<i64> = shop_materials(app).await.iter().map(|m| m.id).collect();
    policies::Entity::find()
        .filter(policies::Column::MaterialId.is_in(ids))
        .all(&app.db)
        .await
        .unwrap()
}

/// Presses Recompute now as a plain form post; the page it is sent back to.
async fn recompute(app: &TestApp) -> String {
    let response = post_form(app, "/_fn/admin/recompute_policies", POLICIES, &[]).await;
    accepted(&response);
    let back = location(&response);
    assert!(back.starts_with("/admin/policies?recomputed="), "{back}");
    back
}

/// The open suggestion of `kind` of the seeded spike.
async fn open_suggestion(app: &TestApp, kind: &str) -> suggestions::Model {
    suggestions::Entity::find()
        .filter(suggestions::Column::Kind.eq(kind))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no open {kind} suggestion"))
}

async fn decide(app: &TestApp, id: i64, decision: &str) -> reqwest::Response {
    let id = id.to_string();
    post_form(
        app,
        "/_fn/admin/decide_suggestion",
        ALERTS,
        &[("id", &id), ("decision", decision)],
    )
    .await
}

async fn material(app: &TestApp, id: i64) -> materials::Model {
    materials::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("material")
}

fn settings_form<'a>(version: &'a str, abc_a: &'a str, abc_b: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("abc_a", abc_a),
        ("abc_b", abc_b),
        ("xyz_x", "0.5"),
        ("xyz_y", "1.0"),
        ("heat_conversion", "0.3"),
        ("spike_threshold", "15 %"),
        ("spike_window_days", "14"),
    ]
}

async fn the_recompute_button_stores_a_policy_for_every_material(app: TestApp) {
    app.sign_in().await;
    let before = get(&app, POLICIES).await;
    assert!(
        before.contains("Not computed yet"),
        "no policies before the first press"
    );
    assert!(before.contains("data-form=\"recompute\""));

    let back = recompute(&app).await;
    let materials = shop_materials(&app).await;
    assert!(!materials.is_empty());
    assert_eq!(
        shop_policies(&app).await.len(),
        materials.len(),
        "one policy per material"
    );
    assert!(
        back.contains(&format!("recomputed={}", materials.len())),
        "{back}"
    );

    let page = get(&app, &back).await;
    assert!(
        page.contains(&format!("Recomputed {} materials in ", materials.len())),
        "the summary is shown after a plain post"
    );
    for m in &materials {
        assert!(
            page.contains(&format!("data-sku=\"{}\"", m.sku)),
            "{} is listed",
            m.sku
        );
    }
    assert!(
        page.contains("SS = level · z · √(LT·σd² + d̄²·σLT²) = "),
        "each row says why"
    );
    assert!(page.contains("data-form=\"policy-settings\""));
    assert!(page.contains("data-class=\"AX\""), "the matrix is shown");
    // Why this forecast: the backtest each method won, with every candidate's error.
    assert!(
        page.contains("Chosen by a rolling-origin backtest on its own history"),
        "the forecast's choice is explained"
    );
    assert!(page.contains("Backtest of each candidate"));
    assert!(
        page.contains("<td>SES with a fitted α</td>") || page.contains("<td>ADIDA</td>"),
        "the candidates are named"
    );
}

async fn the_seeded_heat_spike_raises_an_alert_with_its_suggestions(app: TestApp) {
    app.sign_in().await;
    let empty = get(&app, ALERTS).await;
    assert!(empty.contains("data-empty"), "no alerts before the rule has run");
    let back = recompute(&app).await;
    assert!(
        !back.contains("alerts=0"),
        "the recomputation raised the spike: {back}"
    );

    let open = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("heat_spike"))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(open.len(), 1, "one spike in the seeded heat");
    assert!(open[0].message.contains("Lagoon"), "{}", open[0].message);
    let kinds: Vec<SuggestionKind> = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(open[0].id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.kind)
        .collect();
    assert!(kinds.contains(&SuggestionKind::RaiseStockLevel), "{kinds:?}");
    assert!(kinds.contains(&SuggestionKind::ReserveCapacity), "{kinds:?}");

    let page = get(&app, ALERTS).await;
    assert!(page.contains(&format!("data-alert=\"{}\"", open[0].id)));
    assert!(page.contains("Lagoon"));
    assert!(page.contains("data-add-to-cart="), "the evidence is shown");
    assert!(page.contains("data-decision=\"accept\"") && page.contains("data-decision=\"dismiss\""));
    assert!(
        page.contains("data-open-alerts=\"7\""),
        "the navigation counts it, the seeded overconsumption, three materials at their reorder points, \
         the fading tote and its leftover linen"
    );
}

async fn an_accepted_stock_level_is_applied_audited_and_recomputed_once(app: TestApp) {
    app.sign_in().await;
    recompute(&app).await;
    let suggestion = open_suggestion(&app, "raise_stock_level").await;
    let material_id = suggestion.payload["material_id"].as_i64().unwrap();
    let to = suggestion.payload["to"].as_str().unwrap().to_string();
    assert_ne!(
        material(&app, material_id).await.stock_level.as_deref(),
        Some(to.as_str())
    );

    accepted(&decide(&app, suggestion.id, "accept").await);
    let m = material(&app, material_id).await;
    assert_eq!(
        m.stock_level.as_deref(),
        Some(to.as_str()),
        "applied to the material"
    );
    let audit = audited(&app, "material.stock_level").await;
    assert_eq!(audit.len(), 1);
    assert!(audit[0].actor.starts_with("merchant:"), "{}", audit[0].actor);
    assert_eq!(audited(&app, "suggestion.accept").await.len(), 1);
    // Recomputed before the answer: the stored policy uses the raised level.
    let policy = shop_policies(&app)
        .await
        .into_iter()
        .find(|p| p.material_id == material_id)
        .unwrap();
    assert_eq!(policy.stock_level, to);
    assert_eq!(policy.inputs["stock_level_overridden"], true);
    let page = get(&app, POLICIES).await;
    let at = page.find(&format!("data-sku=\"{}\"", m.sku)).unwrap();
    let tag = &page[page[..at].rfind("<tbody").unwrap()..at + page[at..].find('>').unwrap()];
    assert!(tag.contains("data-overridden=\"true\""), "{tag}");
    assert!(tag.contains(&format!("data-stock-level=\"{to}\"")), "{tag}");

    // A second click is refused and changes nothing.
    let again = decide(&app, suggestion.id, "accept").await;
    let refusal = refusal_of(&app, &again, &format!("suggestion-{}", suggestion.id)).await;
    assert!(refusal.contains("already accepted"), "{refusal}");
    assert_eq!(audited(&app, "material.stock_level").await.len(), 1);
    assert_eq!(audited(&app, "suggestion.accept").await.len(), 1);
    let page = get(&app, ALERTS).await;
    assert!(page.contains("accepted by merchant:"), "who decided is shown");
}

async fn an_accepted_capacity_reservation_is_requested_from_the_supplier(app: TestApp) {
    app.sign_in().await;
    recompute(&app).await;
    let suggestion = open_suggestion(&app, "reserve_capacity").await;
    let material_id = suggestion.payload["material_id"].as_i64().unwrap();
    let requested = || async {
        capacity_reservations::Entity::find()
            .filter(capacity_reservations::Column::MaterialId.eq(material_id))
            .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
            .all(&app.db)
            .await
            .unwrap()
    };
    let before = requested().await.len();

    accepted(&decide(&app, suggestion.id, "accept").await);
    let after = requested().await;
    assert_eq!(after.len(), before + 1, "one reservation requested");
    let row = after.iter().max_by_key(|r| r.id).unwrap();
    assert_eq!(Some(row.quantity), suggestion.payload["quantity"].as_i64());
    assert_eq!(Some(row.supplier_id), suggestion.payload["supplier_id"].as_i64());
    assert_eq!(audited(&app, "reservation.create").await.len(), 1);
}

async fn dismissed_suggestions_and_alerts_change_nothing_else(app: TestApp) {
    app.sign_in().await;
    recompute(&app).await;
    let raise = open_suggestion(&app, "raise_stock_level").await;
    let material_id = raise.payload["material_id"].as_i64().unwrap();
    let level = material(&app, material_id).await.stock_level;

    accepted(&decide(&app, raise.id, "dismiss").await);
    let dismissed = suggestions::Entity::find_by_id(raise.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dismissed.status, "dismissed");
    assert!(dismissed.decided_by.is_some_and(|by| by.starts_with("merchant:")));
    assert_eq!(
        material(&app, material_id).await.stock_level,
        level,
        "nothing applied"
    );

    let alert_id = raise.alert_id.unwrap();
    let id = alert_id.to_string();
    accepted(&post_form(&app, "/_fn/admin/dismiss_alert", ALERTS, &[("id", &id)]).await);
    let alert = alerts::Entity::find_by_id(alert_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alert.status, "dismissed");
    let still_open = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert_id))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(still_open, 0, "its suggestions are dismissed with it");
    let reservations = capacity_reservations::Entity::find()
        .filter(capacity_reservations::Column::MaterialId.eq(material_id))
        .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(reservations, 0, "nothing reserved");

    let page = get(&app, ALERTS).await;
    assert!(
        page.contains(&format!(
            "data-alert=\"{alert_id}\" data-kind=\"heat_spike\" data-status=\"dismissed\""
        )),
        "the alert is shown dismissed"
    );
    assert!(page.contains("alerts-decided"), "the alert is listed as decided");
    let again = post_form(&app, "/_fn/admin/dismiss_alert", ALERTS, &[("id", &id)]).await;
    let refusal = refusal_of(&app, &again, &format!("alert-{alert_id}")).await;
    assert!(refusal.contains("not open"), "{refusal}");
}

async fn settings_refusals_name_their_field_and_a_stale_version_is_refused(app: TestApp) {
    app.sign_in().await;
    let post = |form: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move { post_form(app, "/_fn/admin/save_policy_settings", POLICIES, &form).await }
    };
    let below = post(settings_form("0", "0.8", "0.7")).await;
    let refusal = refusal_of(&app, &below, "abc_b").await;
    assert!(refusal.contains("above the A share"), "{refusal}");

    let typed = post(settings_form("0", "lots", "0.95")).await;
    let refusal = refusal_of(&app, &typed, "abc_a").await;
    assert!(refusal.contains("is not a share"), "{refusal}");

    let bare = post(settings_form("0", "80", "0.95")).await;
    let refusal = refusal_of(&app, &bare, "abc_a").await;
    assert!(
        refusal.contains("between 0 and 1"),
        "a bare 80 is not guessed to be 80 %: {refusal}"
    );

    for (field, value, says) in [
        ("decline_below", "1.5", "at most 1"),
        ("decay_long_days", "10", "more days than the short average"),
        ("overconsumption_percent", "900", "0 to 500"),
    ] {
        let mut form = settings_form("0", "0.8", "0.95");
        form.push((field, value));
        let refused = post(form).await;
        let refusal = refusal_of(&app, &refused, field).await;
        assert!(refusal.contains(says), "{field}: {refusal}");
    }

    let stale = post(settings_form("3", "0.7", "0.9")).await;
    let banner = banner_of(&app, &stale).await;
    assert!(banner.contains("changed by someone else"), "{banner}");
    assert!(banner.contains("Reload the page"), "{banner}");

    let stored = policy_settings::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(stored, 0, "nothing of a refused form is kept");
    assert!(audited(&app, "policy_settings.update").await.is_empty());
}

async fn a_saved_class_threshold_changes_the_classes_at_the_next_recompute(app: TestApp) {
    app.sign_in().await;
    recompute(&app).await;
    let class_a = |policies: Vec<policies::Model>| policies.iter().filter(|p| p.abc == "A").count();
    let before = class_a(shop_policies(&app).await);

    accepted(
        &post_form(
            &app,
            "/_fn/admin/save_policy_settings",
            POLICIES,
            &settings_form("0", "1 %", "2%"),
        )
        .await,
    );
    let page = get(&app, POLICIES).await;
    assert!(page.contains("name=\"abc_a\" value=\"0.01\""), "saved as a share");
    assert!(
        page.contains("name=\"version\" value=\"1\""),
        "the form carries the new version"
    );
    assert_eq!(audited(&app, "policy_settings.update").await.len(), 1);
    assert_eq!(
        class_a(shop_policies(&app).await),
        before,
        "stored policies wait for a recompute"
    );

    recompute(&app).await;
    let after = class_a(shop_policies(&app).await);
    assert_eq!(after, 1, "only the most valuable material is A under 1 %");
    assert!(before > after, "before {before}, after {after}");
}
