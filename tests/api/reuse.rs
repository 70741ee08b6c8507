//! Leftovers put to use (issue 18, "End of life"): the demo's frozen Sage linen lies
//! unused at the warehouse, and the weekender's new Olive linen (green linen too, not
//! stocked) has presale demand. A recomputation raises a `leftover_material` alert
//! with a suggestion to use the sage for the olive line, with the quantity and value
//! saved; accepting swaps the line's material, so the next quote plans the leftover
//! and promises sooner; undo swaps it back; dismissing changes nothing.

use c2m_tests::{TestApp, on_both_databases};
use chrono::Days;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::DEMO_PUBLISHABLE_KEY;
use server::store::entities::{
    SuggestionKind, SuggestionStatus, alerts, heat_daily, materials, option_groups, option_value_bom_lines,
    option_values, products, stock, suggestions,
};

use crate::admin_settings::{accepted, audited, get, post_form, refusal_of};
use crate::orders::date;

on_both_databases!(
    the_frozen_sage_linen_becomes_the_new_olive_lines_input_on_accept_and_goes_back_on_undo,
    a_dismissed_reuse_leaves_the_line_as_it_was,
);

const LEFTOVER: &str = "FAB-LIN-SAGE";
const LINE: &str = "FAB-LIN-OLIVE";
const WEEKENDER: &str = "weekender-bag";

async fn recompute(app: &TestApp) {
    let response = post_form(app, "/_fn/admin/recompute_policies", "/admin/policies", &[]).await;
    accepted(&response);
}

async fn material(app: &TestApp, sku: &str) -> materials::Model {
    materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{sku} in the demo"))
}

/// The weekender and its Olive linen value.
async fn olive(app: &TestApp) -> (products::Model, option_values::Model) {
    let weekender = products::Entity::find()
        .filter(products::Column::Slug.eq(WEEKENDER))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let fabric = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(weekender.id))
        .filter(option_groups::Column::Code.eq("fabric"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let value = option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(fabric.id))
        .filter(option_values::Column::Code.eq("olive-linen"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the olive value");
    (weekender, value)
}

/// The materials the olive value's lines take, by id.
async fn olive_takes(app: &TestApp) -> Vec<i64> {
    let (_, value) = olive(app).await;
    option_value_bom_lines::Entity::find()
        .filter(option_value_bom_lines::Column::OptionValueId.eq(value.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.material_id)
        .collect()
}

/// The one open reuse suggestion, under its `leftover_material` alert.
async fn the_suggestion(app: &TestApp) -> (alerts::Model, suggestions::Model) {
    let raised = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("leftover_material"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(raised.len(), 1, "one leftover to place: {raised:?}");
    let alert = raised.into_iter().next().unwrap();
    let offered = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(offered.len(), 1, "one live line can use it: {offered:?}");
    let suggestion = offered.into_iter().next().unwrap();
    assert_eq!(suggestion.kind, SuggestionKind::ReuseMaterial);
    (alert, suggestion)
}

async fn decide(app: &TestApp, id: i64, decision: &str) -> reqwest::Response {
    post_form(
        app,
        "/_fn/admin/decide_suggestion",
        "/admin/alerts",
        &[("id", &id.to_string()), ("decision", decision)],
    )
    .await
}

/// The olive weekender's quote.
async fn olive_quote(app: &TestApp) -> Value {
    let selection =
        json!({"fabric": ["olive-linen"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]});
    let response = app
        .client
        .post(app.url("/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(&json!({"product": WEEKENDER, "selection": selection, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Free sage linen over every node, as the rule reads it.
async fn free_of(app: &TestApp, material_id: i64) -> i64 {
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material_id))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.on_hand - s.reserved)
        .sum()
}

/// The olive line's demand over the 90-day coverage: its purchase intents in the
/// window × the demo's conversion (0.3) × 180 cm a bag.
async fn olive_demand(app: &TestApp, value_id: i64) -> i64 {
    let today = c2m_tests::seed_day();
    let intents: i64 = heat_daily::Entity::find()
        .filter(heat_daily::Column::OptionValueId.eq(value_id))
        .filter(heat_daily::Column::Kind.is_in(["add_to_cart", "preorder"]))
        .filter(heat_daily::Column::Day.gte(today - Days::new(90)))
        .filter(heat_daily::Column::Day.lt(today))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|h| h.count)
        .sum();
    assert!(intents > 0, "the launch carted olive linen");
    (intents as f64 * 0.3 * 180.0).round() as i64
}

async fn the_frozen_sage_linen_becomes_the_new_olive_lines_input_on_accept_and_goes_back_on_undo(
    app: TestApp,
) {
    app.sign_in().await;
    let (sage, olive_linen) = (material(&app, LEFTOVER).await, material(&app, LINE).await);
    let (_, value) = olive(&app).await;
    let before = olive_quote(&app).await;
    assert_eq!(olive_takes(&app).await, vec![olive_linen.id]);
    recompute(&app).await;

    let (alert, suggestion) = the_suggestion(&app).await;
    assert_eq!(alert.subject, format!("material:{}", sage.id));
    let free = free_of(&app, sage.id).await;
    assert!(free > 0, "sage linen lies at the warehouse");
    assert!(
        alert.message.contains("no live product uses"),
        "{}",
        alert.message
    );
    let p = &suggestion.payload;
    assert_eq!(p["sku"], LEFTOVER);
    assert_eq!(
        (p["product"].as_str(), p["value"].as_str()),
        (Some(WEEKENDER), Some("olive-linen"))
    );
    assert_eq!(p["line_sku"], LINE);
    assert_eq!(
        p["matched_on"],
        json!({"kind": "fabric", "colour_family": "green"})
    );
    assert_eq!(p["also_shared"], json!(["material", "weight_gsm", "width_cm"]));
    let demand = olive_demand(&app, value.id).await;
    assert_eq!(p["demand"], demand, "{p}");
    let quantity = demand.min(free);
    assert_eq!(p["quantity"], quantity, "{p}");
    assert_eq!(p["value_saved_minor"], quantity * sage.unit_cost_minor);

    let inbox = get(&app, "/admin/alerts").await;
    assert!(
        inbox.contains("data-kind=\"leftover_material\""),
        "the inbox lists it"
    );
    assert!(
        inbox.contains("Use the leftover Linen, sage (FAB-LIN-SAGE) in Weekender bag"),
        "the suggestion in words"
    );
    assert!(
        inbox.contains("both fabric, colour family green; alike in material, weight gsm, width cm too"),
        "with what made the match"
    );

    // Accepting swaps the line: the next quote plans the leftover and promises sooner.
    accepted(&decide(&app, suggestion.id, "accept").await);
    assert_eq!(olive_takes(&app).await, vec![sage.id]);
    let swapped = audited(&app, "bom_line.swap").await;
    assert_eq!(swapped.len(), 1, "{swapped:?}");
    assert_eq!(swapped[0].before.as_ref().unwrap()["sku"], LINE);
    assert_eq!(swapped[0].after.as_ref().unwrap()["sku"], LEFTOVER);
    let after = olive_quote(&app).await;
    assert!(
        date(&after["estimate"]["p50"]) < date(&before["estimate"]["p50"]),
        "the leftover on hand is sooner than the supplier: {} then {}",
        before["estimate"],
        after["estimate"]
    );

    // Undo swaps it back, and the quote with it.
    let undo = post_form(
        &app,
        "/_fn/admin/undo_suggestion",
        "/admin/alerts",
        &[("id", &suggestion.id.to_string())],
    )
    .await;
    accepted(&undo);
    assert_eq!(olive_takes(&app).await, vec![olive_linen.id]);
    assert_eq!(
        suggestions::Entity::find_by_id(suggestion.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .status,
        SuggestionStatus::Undone
    );
    assert_eq!(
        olive_quote(&app).await["estimate"]["p50"],
        before["estimate"]["p50"]
    );
}

async fn a_dismissed_reuse_leaves_the_line_as_it_was(app: TestApp) {
    app.sign_in().await;
    let olive_linen = material(&app, LINE).await;
    recompute(&app).await;
    let (alert, suggestion) = the_suggestion(&app).await;
    accepted(&decide(&app, suggestion.id, "dismiss").await);
    assert_eq!(olive_takes(&app).await, vec![olive_linen.id]);
    assert!(audited(&app, "bom_line.swap").await.is_empty());
    let closed = alerts::Entity::find_by_id(alert.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(closed.status.to_string(), "resolved", "nothing left to decide");
    // A dismissed suggestion has nothing to undo.
    let undo = post_form(
        &app,
        "/_fn/admin/undo_suggestion",
        "/admin/alerts",
        &[("id", &suggestion.id.to_string())],
    )
    .await;
    let shown = refusal_of(&app, &undo, &format!("suggestion-{}", suggestion.id)).await;
    assert!(shown.contains("only an accepted or executed one"), "{shown}");
    // Decided, it is not raised again at the next recomputation.
    recompute(&app).await;
    the_suggestion(&app).await;
}
