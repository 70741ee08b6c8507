//! Policies and alerts over the real database (issue 6, "Demand and policies", "Alerts
//! and suggestions"): a recomputation stores a policy per material with the figures it
//! came from; heat posted through the events API raises a heat-spike alert with sized
//! suggestions; accepting one applies it once; retention prunes raw heat, not rollups;
//! the scheduled job recomputes only stale policies and runs the spike rule in between.

use c2m_tests::{TestApp, on_both_databases, seed_day, seed_noon};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SHOP_SLUG};
use server::service::WriteError;
use server::service::alerts::heat_spike;
use server::service::alerts::inbox::{self, Decision};
use server::service::policies::settings;
use server::store::entities::{
    AlertStatus, ReservationStatus, alerts, capacity_reservations, heat_daily, heat_events, materials,
    policies as policy_rows, shops, suggestions, supplier_materials,
};

on_both_databases!(
    a_recomputation_stores_a_policy_per_material_with_its_inputs,
    the_seeded_spike_raises_one_alert_with_sized_suggestions,
    heat_posted_to_the_api_raises_an_alert_for_its_value,
    two_evaluations_at_once_raise_each_alert_once,
    an_accepted_stock_level_raise_grows_the_next_safety_stock,
    a_suggestion_is_decided_once,
    retention_prunes_raw_heat_and_keeps_the_rollups,
    the_schedule_recomputes_stale_policies_and_watches_heat_in_between,
);

async fn shop(app: &TestApp) -> shops::Model {
    server::store::shops::by_slug(&app.db, DEMO_SHOP_SLUG)
        .await
        .unwrap()
        .expect("the demo shop")
}

async fn recompute(app: &TestApp) -> server::service::recompute::Summary {
    server::service::recompute::run(app.store(), &shop(app).await, seed_noon(), |_| {})
        .await
        .expect("recomputed")
}

async fn open_spikes(app: &TestApp) -> Vec<alerts::Model> {
    alerts::Entity::find()
        .filter(alerts::Column::Kind.eq(heat_spike::KIND))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .all(&app.db)
        .await
        .unwrap()
}

async fn suggestions_of(app: &TestApp, alert: i64) -> Vec<suggestions::Model> {
    suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert))
        .all(&app.db)
        .await
        .unwrap()
}

async fn a_recomputation_stores_a_policy_per_material_with_its_inputs(app: TestApp) {
    let summary = recompute(&app).await;
    let shop = shop(&app).await;
    let materials = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(summary.materials as u64, materials);
    assert!(
        summary.orders > 100,
        "a year of seeded orders: {}",
        summary.orders
    );
    assert!(summary.heat_days > 0, "the presale weekender's carts add demand");
    let rows = policy_rows::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len() as u64, materials, "one policy per material");

    // Every stored level is the engine's formula on the stored inputs, rounded up.
    let mut with_demand = 0;
    for row in &rows {
        let i = &row.inputs;
        let (d, sd, z) = (f(i, "d_mean"), f(i, "d_sd"), f(i, "z"));
        let (lt, lt_sd) = (f(&i["lead_time"], "mean_days"), f(&i["lead_time"], "sd_days"));
        let factor = match row.stock_level.as_str() {
            "low" => 0.5,
            "medium" => 1.0,
            _ => 1.5,
        };
        let ss = factor * z * (lt * sd * sd + d * d * lt_sd * lt_sd).sqrt();
        assert!(
            (f(i, "safety_stock") - ss).abs() < 1e-6,
            "{}: {ss} vs {i}",
            row.material_id
        );
        assert_eq!(row.reorder_point, up(d * lt + ss), "{i}");
        assert_eq!(
            row.order_up_to,
            up(d * (lt + f64::from(row.review_days)) + ss),
            "{i}"
        );
        // The seeded shop's history starts 180 days back: the days before are unknown,
        // not zero, and are left out of the 365-day window.
        let days = i["history"]["days"].as_u64().unwrap();
        assert!((170..=181).contains(&days), "{days} days of history");
        if d > 0.0 {
            with_demand += 1;
        }
    }
    assert!(
        with_demand > rows.len() / 2,
        "most materials have demand: {with_demand}"
    );
    // Weekly XYZ: the seeded assortment is not all Z.
    assert!(
        rows.iter().any(|r| r.xyz != "Z"),
        "some material varies little week to week"
    );
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Rounded up to a whole unit, ignoring floating-point noise.
fn up(x: f64) -> i64 {
    (x - 1e-9).ceil() as i64
}

async fn the_seeded_spike_raises_one_alert_with_sized_suggestions(app: TestApp) {
    let summary = recompute(&app).await;
    assert_eq!(
        summary.alerts_raised, 7,
        "the niche lagoon canvas spikes, the seeded fastener is used beyond plan, indigo and olive linen and \
         the runner sole are out at their reorder points, the tote fades, its sage linen is left over"
    );
    let spikes = open_spikes(&app).await;
    let [alert] = &spikes[..] else {
        panic!("{spikes:?}")
    };
    let evidence = &alert.evidence;
    assert_eq!(evidence["product"], "weekender-bag");
    assert!(
        evidence["value_code"]
            .as_str()
            .unwrap()
            .ends_with("lagoon-canvas"),
        "{evidence}"
    );
    let (carts, selections) = (
        evidence["add_to_cart"].as_i64().unwrap(),
        evidence["selections"].as_i64().unwrap(),
    );
    assert!(selections >= 20 && carts * 100 >= selections * 15, "{evidence}");
    assert!(alert.message.contains("add-to-cart rate"), "{}", alert.message);

    let suggestions = suggestions_of(&app, alert.id).await;
    let kinds: Vec<&str> = suggestions.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(kinds, ["raise_stock_level", "reserve_capacity"]);
    let reserve = &suggestions[1].payload;
    let quantity = reserve["quantity"].as_i64().unwrap();
    let basis = &reserve["basis"];
    // Sized from heat over the lead time, then rounded like an order (MOQ, packs).
    let need = f(basis, "add_to_cart_per_day")
        * f(basis, "conversion")
        * f(basis, "units_per_product")
        * f(basis, "lead_time_days");
    assert!((f(basis, "forecast_units") - need).abs() < 1e-9);
    assert!(quantity as f64 >= need, "{reserve}");
    let offer = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.eq(reserve["material_id"].as_i64().unwrap()))
        .filter(supplier_materials::Column::SupplierId.eq(reserve["supplier_id"].as_i64().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the supplier's offer");
    assert!(quantity >= offer.moq, "at least the MOQ: {reserve}");
    assert_eq!(quantity % offer.pack_size, 0, "whole packs: {reserve}");

    // One open alert per value: evaluating again raises nothing.
    let (policy, _) = settings::load(app.store(), shop(&app).await.id).await.unwrap();
    let again = heat_spike::evaluate(app.store(), &shop(&app).await, &policy, seed_noon())
        .await
        .unwrap();
    assert_eq!(again, 0);
}

/// 30 shoppers pick sand canvas today; 12 of them put it in the cart.
async fn post_sand_canvas_heat(app: &TestApp) {
    let mut events: Vec<Value> = (0..30)
        .map(|i| {
            json!({"id": format!("sel-sand-{i:03}"), "kind": "option_select", "product": "weekender-bag",
                        "session": format!("t_{i}"), "group": "fabric", "value": "sand-canvas"})
        })
        .collect();
    events.extend((0..12).map(|i| {
        json!({"id": format!("cart-sand-{i:03}"), "kind": "add_to_cart", "product": "weekender-bag",
               "session": format!("t_{i}"),
               "selection": {"fabric": ["sand-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]}})
    }));
    let response = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", &app.base_url)
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn heat_posted_to_the_api_raises_an_alert_for_its_value(app: TestApp) {
    recompute(&app).await;
    let before: Vec<String> = open_spikes(&app).await.into_iter().map(|a| a.subject).collect();
    post_sand_canvas_heat(&app).await;

    let shop = shop(&app).await;
    let (policy, _) = settings::load(app.store(), shop.id).await.unwrap();
    let raised = heat_spike::evaluate(app.store(), &shop, &policy, seed_noon())
        .await
        .unwrap();
    let new: Vec<alerts::Model> = open_spikes(&app)
        .await
        .into_iter()
        .filter(|a| !before.contains(&a.subject))
        .collect();
    assert_eq!(raised, new.len());
    // The carts also carry tan, brass and cotton, which may spike too; every alert is
    // over the threshold, and sand canvas is among them.
    for alert in &new {
        let rate = alert.evidence["rate"].as_f64().unwrap();
        assert!(rate >= policy.spike_threshold, "{}", alert.evidence);
    }
    let alert = new
        .iter()
        .find(|a| a.evidence["value_code"] == "fabric.sand-canvas")
        .unwrap_or_else(|| panic!("no alert for sand canvas: {new:?}"));
    assert_eq!(alert.evidence["value_code"], "fabric.sand-canvas");
    // Today's 12 carts of 30 picks, plus whatever the seeded fortnight holds.
    assert!(alert.evidence["add_to_cart"].as_i64().unwrap() >= 12);
    assert!(alert.evidence["selections"].as_i64().unwrap() >= 30);
}

/// Two replicas (or the schedule and a manual recompute) running the spike rule at the
/// same moment store each alert once: the database keeps one open alert per subject.
async fn two_evaluations_at_once_raise_each_alert_once(app: TestApp) {
    let before = open_spikes(&app).await.len();
    post_sand_canvas_heat(&app).await;
    let shop = shop(&app).await;
    let (policy, _) = settings::load(app.store(), shop.id).await.unwrap();
    let evaluate = || heat_spike::evaluate(app.store(), &shop, &policy, seed_noon());
    let (first, second) = tokio::join!(evaluate(), evaluate());
    let raised = first.unwrap() + second.unwrap();
    let open = open_spikes(&app).await;
    assert!(open.len() > before, "the heat raised alerts");
    assert_eq!(
        raised,
        open.len() - before,
        "each alert counted by the evaluation that stored it"
    );
    let mut subjects: Vec<&str> = open.iter().map(|a| a.subject.as_str()).collect();
    subjects.sort_unstable();
    subjects.dedup();
    assert_eq!(subjects.len(), open.len(), "no subject twice: {open:?}");
    // The unique key itself: a second open alert for a subject is refused, while a
    // dismissed one does not stand in the way of a new one.
    let twin = alerts::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        ..sea_orm::IntoActiveModel::into_active_model(open[0].clone())
    };
    assert!(
        alerts::Entity::insert(twin.clone()).exec(&app.db).await.is_err(),
        "a second open alert for {} is refused",
        open[0].subject
    );
    alerts::Entity::update_many()
        .col_expr(
            alerts::Column::Status,
            sea_orm::sea_query::Expr::value("dismissed"),
        )
        .filter(alerts::Column::Id.eq(open[0].id))
        .exec(&app.db)
        .await
        .unwrap();
    alerts::Entity::insert(twin)
        .exec(&app.db)
        .await
        .expect("open again after a dismissal");
}

async fn an_accepted_stock_level_raise_grows_the_next_safety_stock(app: TestApp) {
    recompute(&app).await;
    let alert = open_spikes(&app).await.remove(0);
    let raise = suggestions_of(&app, alert.id)
        .await
        .into_iter()
        .find(|s| s.kind == "raise_stock_level")
        .unwrap();
    let material_id = raise.payload["material_id"].as_i64().unwrap();
    let policy = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            policy_rows::Entity::find()
                .filter(policy_rows::Column::MaterialId.eq(material_id))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let before = policy(&app).await;
    assert_eq!(before.stock_level, raise.payload["from"]);

    let shop = shop(&app).await;
    let decided = inbox::decide(
        app.write(shop.id, "merchant:1").await,
        raise.id,
        Decision::Accept,
        seed_day(),
    )
    .await
    .unwrap();
    assert!(decided.stock_level_changed);
    let material = materials::Entity::find_by_id(material_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        Some(raise.payload["to"].as_str().unwrap()),
        material.stock_level.as_deref()
    );

    recompute(&app).await;
    let after = policy(&app).await;
    assert_eq!(after.stock_level, raise.payload["to"]);
    assert_eq!(after.inputs["stock_level_overridden"], true);
    let ratio = f(&after.inputs, "safety_stock") / f(&before.inputs, "safety_stock");
    let expected = match (before.stock_level.as_str(), after.stock_level.as_str()) {
        ("low", "medium") => 2.0,
        ("medium", "high") => 1.5,
        other => panic!("{other:?}"),
    };
    assert!((ratio - expected).abs() < 1e-9, "safety stock × {ratio}");
    let audited = server::store::entities::audit_log::Entity::find()
        .filter(server::store::entities::audit_log::Column::Action.eq("material.stock_level"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the raise is audited");
    assert_eq!(audited.actor, "merchant:1");
    assert_eq!(audited.after.unwrap()["because"]["suggestion_id"], raise.id);
}

async fn a_suggestion_is_decided_once(app: TestApp) {
    recompute(&app).await;
    let alert = open_spikes(&app).await.remove(0);
    let reserve = suggestions_of(&app, alert.id)
        .await
        .into_iter()
        .find(|s| s.kind == "reserve_capacity")
        .unwrap();
    let shop = shop(&app).await;
    let accept = || async {
        inbox::decide(
            app.write(shop.id, "merchant:1").await,
            reserve.id,
            Decision::Accept,
            seed_day(),
        )
        .await
    };
    let (first, second) = tokio::join!(accept(), accept());
    let outcomes = [first.is_ok(), second.is_ok()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "exactly one accept wins"
    );
    let refused = if first.is_err() { first } else { second };
    assert!(matches!(refused, Err(WriteError::Conflict(_))), "{refused:?}");
    let reservations = capacity_reservations::Entity::find()
        .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
        .filter(capacity_reservations::Column::Quantity.eq(reserve.payload["quantity"].as_i64().unwrap()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(reservations, 1, "the reservation is requested once");

    // Dismissing the other resolves the alert; it is listed as decided.
    let other = suggestions_of(&app, alert.id)
        .await
        .into_iter()
        .find(|s| s.status == "open")
        .unwrap();
    inbox::decide(
        app.write(shop.id, "merchant:1").await,
        other.id,
        Decision::Dismiss,
        seed_day(),
    )
    .await
    .unwrap();
    let listed = inbox::list(&app.db, shop.id).await.unwrap();
    let view = listed.iter().find(|a| a.id == alert.id).unwrap();
    assert_eq!(view.status, "resolved");
    let statuses: Vec<&str> = view.suggestions.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["dismissed", "accepted"]);
    assert!(
        view.suggestions[1].summary.starts_with("Reserve "),
        "{}",
        view.suggestions[1].summary
    );
}

async fn retention_prunes_raw_heat_and_keeps_the_rollups(app: TestApp) {
    let raw = |app: &TestApp| {
        let db = app.db.clone();
        async move { heat_events::Entity::find().count(&db).await.unwrap() }
    };
    let counted = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            heat_daily::Entity::find()
                .filter(heat_daily::Column::OptionValueId.eq(0))
                .all(&db)
                .await
                .unwrap()
                .iter()
                .map(|r| r.count)
                .sum::<i64>()
        }
    };
    let (raw_before, counted_before) = (raw(&app).await, counted(&app).await);
    assert_eq!(
        raw_before as i64, counted_before,
        "every seeded event is counted once"
    );
    let cutoff = seed_noon() - Duration::days(90);
    let old = heat_events::Entity::find()
        .filter(heat_events::Column::OccurredAt.lt(cutoff))
        .count(&app.db)
        .await
        .unwrap();
    assert!(old > 1_000, "the seeded history reaches back 180 days");
    let deleted = server::store::heat::prune(app.store(), cutoff, 1_000)
        .await
        .unwrap();
    assert_eq!(deleted, old, "pruned in chunks until none is left");
    assert_eq!(raw(&app).await, raw_before - old);
    assert_eq!(counted(&app).await, counted_before, "rollups are kept forever");
}

async fn computed_at(app: &TestApp) -> Vec<chrono::DateTime<chrono::Utc>> {
    let mut at: Vec<_> = policy_rows::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.computed_at)
        .collect();
    at.sort();
    at.dedup();
    at
}

async fn the_schedule_recomputes_stale_policies_and_watches_heat_in_between(app: TestApp) {
    let materials = materials::Entity::find().count(&app.db).await.unwrap();
    assert!(computed_at(&app).await.is_empty(), "the seed computes no policy");

    // A shop without policies is due at once.
    server::jobs::recompute_due(&app.state).await;
    assert_eq!(
        policy_rows::Entity::find().count(&app.db).await.unwrap(),
        materials
    );
    assert_eq!(computed_at(&app).await, vec![seed_noon()]);
    let seeded: Vec<String> = open_spikes(&app).await.into_iter().map(|a| a.subject).collect();
    assert_eq!(seeded.len(), 1, "the seeded spike is raised by the recomputation");

    // An hour later the policies are fresh (the default interval is 24 h): they are
    // left alone, but new heat is still looked at.
    post_sand_canvas_heat(&app).await;
    app.set_now(seed_noon() + Duration::hours(1));
    server::jobs::recompute_due(&app.state).await;
    assert_eq!(computed_at(&app).await, vec![seed_noon()], "not recomputed");
    let raised: Vec<alerts::Model> = open_spikes(&app)
        .await
        .into_iter()
        .filter(|a| !seeded.contains(&a.subject))
        .collect();
    assert!(
        raised
            .iter()
            .any(|a| a.evidence["value_code"] == "fabric.sand-canvas"),
        "the spike rule ran between recomputations: {raised:?}"
    );

    // A day after the last one, every material is recomputed.
    let later = seed_noon() + Duration::hours(24);
    app.set_now(later);
    server::jobs::recompute_due(&app.state).await;
    assert_eq!(computed_at(&app).await, vec![later]);
    assert_eq!(
        policy_rows::Entity::find().count(&app.db).await.unwrap(),
        materials
    );
}
