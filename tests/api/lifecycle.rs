//! End of life (issue 18, scenario 3): a product whose purchase intents fall below half
//! of their long average moves to decline at the recomputation, with an alert carrying
//! both moving averages and a suggestion to freeze its niche value; accepting freezes
//! the value (the configurator shows it frozen), dismissing leaves it; the product is
//! not read again once in decline.

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::Days;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use server::store::entities::{
    OrderStatus, SuggestionStatus, alerts, heat_daily, option_groups, option_values, orders, products,
    suggestions,
};

use crate::admin_settings::{accepted, audited, get, post_form, shop};

on_both_databases!(
    a_dying_product_moves_to_decline_and_its_niche_value_is_frozen_on_accept,
    a_lower_decline_threshold_keeps_the_same_product_live,
);

const TOTE: &str = "city-tote";

async fn product(app: &TestApp) -> products::Model {
    products::Entity::find()
        .filter(products::Column::Slug.eq(TOTE))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the tote")
}

/// The tote's fabric values by code, with their row ids.
async fn fabrics(app: &TestApp, product_id: i64) -> Vec<option_values::Model> {
    let group = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product_id))
        .filter(option_groups::Column::Code.eq("fabric"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(group.id))
        .all(&app.db)
        .await
        .unwrap()
}

fn heat(
    shop_id: i64,
    product_id: i64,
    value_id: i64,
    kind: &str,
    day: chrono::NaiveDate,
    count: i64,
) -> heat_daily::ActiveModel {
    heat_daily::ActiveModel {
        shop_id: Set(shop_id),
        product_id: Set(product_id),
        option_value_id: Set(value_id),
        kind: Set(kind.into()),
        day: Set(day),
        count: Set(count),
        ..Default::default()
    }
}

/// Four add-to-carts a day for eleven weeks, then one a day for the last fortnight;
/// the tote's orders called off, so its heat alone decides; the fabrics chosen as
/// `picks` over the window.
async fn a_fading_tote(app: &TestApp, picks: &[(&str, i64)]) -> products::Model {
    let shop = shop(app).await;
    let tote = product(app).await;
    orders::Entity::update_many()
        .col_expr(
            orders::Column::Status,
            Expr::value(OrderStatus::Cancelled.as_str()),
        )
        .filter(orders::Column::ProductId.eq(tote.id))
        .exec(&app.db)
        .await
        .unwrap();
    heat_daily::Entity::delete_many()
        .filter(heat_daily::Column::ProductId.eq(tote.id))
        .exec(&app.db)
        .await
        .unwrap();
    let today = seed_day();
    let mut rows = Vec::new();
    for n in 0..90u64 {
        let day = today - Days::new(n);
        rows.push(heat(
            shop.id,
            tote.id,
            0,
            "add_to_cart",
            day,
            if n < 14 { 1 } else { 4 },
        ));
    }
    let values = fabrics(app, tote.id).await;
    for (code, count) in picks {
        let value = values.iter().find(|v| v.code == *code).unwrap();
        rows.push(heat(
            shop.id,
            tote.id,
            value.id,
            "option_select",
            today - Days::new(20),
            *count,
        ));
    }
    heat_daily::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    tote
}

async fn recompute(app: &TestApp) {
    let response = post_form(app, "/_fn/admin/recompute_policies", "/admin/policies", &[]).await;
    accepted(&response);
}

async fn decay_alerts(app: &TestApp) -> Vec<alerts::Model> {
    alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("demand_decay"))
        .all(&app.db)
        .await
        .unwrap()
}

async fn a_dying_product_moves_to_decline_and_its_niche_value_is_frozen_on_accept(app: TestApp) {
    app.sign_in().await;
    // Rust canvas: 2 of 302 fabric choices, under 5 %.
    let picks = [
        ("natural-linen", 100),
        ("stone-linen", 40),
        ("navy-canvas", 80),
        ("black-canvas", 40),
        ("sand-canvas", 40),
        ("rust-canvas", 2),
    ];
    let tote = a_fading_tote(&app, &picks).await;
    assert_eq!(tote.lifecycle, "mature");
    recompute(&app).await;

    let tote_now = product(&app).await;
    assert_eq!(tote_now.lifecycle, "decline");
    let moved = audited(&app, "product.lifecycle").await;
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(moved[0].actor, "rule:demand-decay");
    assert_eq!(moved[0].before.as_ref().unwrap()["lifecycle"], "mature");

    let raised = decay_alerts(&app).await;
    assert_eq!(raised.len(), 1, "only the tote fades");
    let alert = &raised[0];
    assert_eq!(alert.subject, format!("product:{}", tote.id));
    let e = &alert.evidence;
    assert_eq!(e["product"], TOTE);
    assert_eq!(e["heat_short"].as_f64(), Some(1.0), "{e}");
    let long = e["heat_long"].as_f64().unwrap();
    assert!((long - (76.0 * 4.0 + 14.0) / 90.0).abs() < 1e-9, "{e}");
    assert_eq!(e["heat_counts"], true);
    assert_eq!(e["orders_counts"], false, "no orders to judge by");
    assert!(alert.message.contains("moved to decline"), "{}", alert.message);

    let offered = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert.id))
        .all(&app.db)
        .await
        .unwrap();
    let freezes: Vec<&Value> = offered.iter().map(|s| &s.payload).collect();
    assert_eq!(offered.len(), 1, "only the niche fabric: {freezes:?}");
    let freeze = &offered[0];
    assert_eq!(freeze.kind.to_string(), "freeze");
    assert_eq!(
        (freeze.payload["group"].as_str(), freeze.payload["value"].as_str()),
        (Some("fabric"), Some("rust-canvas"))
    );
    assert_eq!(freeze.payload["selections"], 2);
    assert_eq!(freeze.payload["group_selections"], 302);
    assert_eq!(freeze.payload["reasons"][0]["reason"], "niche");

    let page = get(&app, "/admin/alerts").await;
    assert!(page.contains("data-kind=\"demand_decay\""), "the inbox lists it");
    assert!(page.contains("data-heat-short=\"1.00\""), "with its figures");
    assert!(page.contains("Freeze Rust canvas"), "the suggestion in words");

    // Accepting freezes the value, marked as the rule's, and the widget sees it.
    let id = freeze.id.to_string();
    let response = post_form(
        &app,
        "/_fn/admin/decide_suggestion",
        "/admin/alerts",
        &[("id", &id), ("decision", "accept")],
    )
    .await;
    accepted(&response);
    let rust = fabrics(&app, tote.id)
        .await
        .into_iter()
        .find(|v| v.code == "rust-canvas")
        .unwrap();
    assert_eq!(rust.status.to_string(), "frozen");
    assert_eq!(rust.frozen_by.as_deref(), Some("rule"));
    assert!(rust.frozen_reason.unwrap().starts_with("End of life"));
    let decided = suggestions::Entity::find_by_id(freeze.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(decided.status, SuggestionStatus::Accepted);
    let shown = app.configured_value(TOTE, "fabric", "rust-canvas").await;
    assert_eq!(shown["status"], "frozen", "{shown}");
    assert!(
        shown["alternative"].is_string(),
        "the widget steers to another: {shown}"
    );

    // In decline, the product is not read again.
    recompute(&app).await;
    assert_eq!(decay_alerts(&app).await.len(), 1);
}

async fn a_lower_decline_threshold_keeps_the_same_product_live(app: TestApp) {
    app.sign_in().await;
    a_fading_tote(&app, &[("natural-linen", 100), ("rust-canvas", 2)]).await;
    // The fortnight runs at 28 % of the quarter: under the default half, over a fifth.
    let form = [
        ("version", "0"),
        ("abc_a", "0.8"),
        ("abc_b", "0.95"),
        ("xyz_x", "0.5"),
        ("xyz_y", "1.0"),
        ("heat_conversion", "0.3"),
        ("spike_threshold", "15 %"),
        ("spike_window_days", "14"),
        ("decline_below", "20 %"),
    ];
    let saved = post_form(&app, "/_fn/admin/save_policy_settings", "/admin/policies", &form).await;
    accepted(&saved);
    recompute(&app).await;
    assert_eq!(product(&app).await.lifecycle, "mature");
    assert!(decay_alerts(&app).await.is_empty());
}
