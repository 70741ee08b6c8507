//! Internal first for the shortages that are not work over plan (issue 18): orders at
//! risk from a late supplier raise a cover whose draft is a top-up from a second
//! supplier, which a rule limited to late suppliers releases, lowering the late one's
//! forecast share (and the next policy plans with the second); Undo sets it all back.
//! A material at its reorder point is covered by another node's surplus before a
//! purchase draft buys the rest, and a drafted order counts, so it is not asked twice.

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::Days;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};
use server::seed::DEMO_SECRET_KEY;
use server::store::entities::{
    AlertStatus, InboundStatus, OrderStatus, SuggestionKind, SuggestionStatus, SupplyStatus, alerts, inbound,
    materials, nodes, order_reservations, orders, policies, stock, suggestions, supplier_materials,
    suppliers,
};

use crate::admin_settings::{accepted, audited, get, post_form, shop};

on_both_databases!(
    a_late_supplier_is_topped_up_by_the_second_under_a_rule_and_loses_forecast_share,
    a_material_at_its_reorder_point_takes_the_surplus_of_another_node_before_buying,
);

const NAVY: &str = "FAB-CNV-NAVY";

async fn material(app: &TestApp, sku: &str) -> materials::Model {
    materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the material")
}

async fn supplier(app: &TestApp, code: &str) -> suppliers::Model {
    suppliers::Entity::find()
        .filter(suppliers::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the supplier")
}

async fn node(app: &TestApp, code: &str) -> nodes::Model {
    nodes::Entity::find()
        .filter(nodes::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the node")
}

async fn share(app: &TestApp, supplier_id: i64, material_id: i64) -> i32 {
    supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(supplier_id))
        .filter(supplier_materials::Column::MaterialId.eq(material_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the offer")
        .forecast_share
}

async fn suggestions_of(
    app: &TestApp,
    kind: &str,
    material_id: i64,
) -> (alerts::Model, Vec<suggestions::Model>) {
    let alert = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq(kind))
        .filter(alerts::Column::Subject.eq(format!("material:{material_id}")))
        .order_by_desc(alerts::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a {kind} alert for material {material_id}"));
    let made = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert.id))
        .all(&app.db)
        .await
        .unwrap();
    (alert, made)
}

async fn a_late_supplier_is_topped_up_by_the_second_under_a_rule_and_loses_forecast_share(app: TestApp) {
    app.sign_in().await;
    let navy = material(&app, NAVY).await;
    let (tex, hdw) = (supplier(&app, "S-TEX").await, supplier(&app, "S-HDW").await);
    // A second source of navy canvas beside the weaver: faster than the weaver, slower
    // than the purchase order the order will wait on (so the order books that).
    supplier_materials::ActiveModel {
        supplier_id: Set(hdw.id),
        material_id: Set(navy.id),
        lead_time_mean_days: Set(8.0),
        lead_time_sd_days: Set(0.5),
        moq: Set(5_000),
        pack_size: Set(5_000),
        price_minor: Set(14),
        status: Set(SupplyStatus::Active),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert_eq!(
        share(&app, tex.id, navy.id).await,
        100,
        "every offer starts at the full share"
    );
    let line = crate::webhooks::navy_only_inbound(&app).await;
    // The purchase order that will slip is the weaver's.
    inbound::Entity::update_many()
        .col_expr(inbound::Column::SupplierId, Expr::value(tex.id))
        .filter(inbound::Column::Id.eq(line))
        .exec(&app.db)
        .await
        .unwrap();
    let form = [
        ("name", "top-ups for late suppliers"),
        ("kind", "purchase"),
        ("classes", ""),
        ("supplier_late", "on"),
        ("max_per_action", "1000"),
        ("max_per_day", ""),
    ];
    accepted(&post_form(&app, "/_fn/admin/create_rule", "/admin/rules", &form).await);

    let placed: Value = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"reference": "LATE-1", "product": "weekender-bag", "quantity": 1,
                      "selection": {"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let held: i64 = placed["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["material"] == NAVY && r["inbound"] == "PO-SLIP")
        .map(|r| r["quantity"].as_i64().unwrap())
        .sum();
    assert!(held > 0, "the order waits on the purchase order: {placed}");

    let slipped: Value = app
        .client
        .put(app.url(&format!("/api/v1/inbound/{line}/eta")))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"eta": (seed_day() + Days::new(40)).to_string()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(slipped["orders_now_at_risk"], 1, "{slipped}");
    assert_eq!(slipped["alerts_raised"], 1, "{slipped}");

    let (alert, made) = suggestions_of(&app, "late_supply", navy.id).await;
    assert_eq!(alert.evidence["late_units"], held, "{}", alert.evidence);
    assert_eq!(alert.evidence["supplier"], "S-TEX");
    assert_eq!(alert.evidence["orders"][0]["line"], "PO-SLIP");
    // No navy is left anywhere and nothing was freed: the cover is one top-up.
    assert_eq!(made.len(), 1, "{made:?}");
    let top_up = &made[0];
    let p = &top_up.payload;
    assert_eq!(top_up.kind, SuggestionKind::Purchase);
    assert_eq!(p["supplier"], "S-HDW", "the late weaver is left out: {p}");
    assert_eq!(
        (p["supplier_late"].as_bool(), &p["late_supplier"]["code"]),
        (Some(true), &json!("S-TEX"))
    );
    assert!(p["shortfall"].as_i64().unwrap() >= held, "{p}");
    assert_eq!(p["quantity"], 5_000, "raised to the offer's minimum");
    // Production was booked for when the purchase order was due (in 5 days): 8 days
    // of lead time miss it, so the top-up asks the supplier to hurry.
    assert!(
        p["arrives"].as_str().unwrap() > alert.evidence["needed_by"].as_str().unwrap(),
        "{p} {}",
        alert.evidence
    );
    assert_eq!(p["expedite"], true, "{p}");

    // The rule released it at once, and the late weaver now plans a third of the forecast.
    assert_eq!(top_up.status, SuggestionStatus::Executed);
    let rule_actor = format!("automation:{}", top_up.rule_id.expect("executed by the rule"));
    let draft_id = top_up.applied.as_ref().unwrap()["inbound_id"].as_i64().unwrap();
    let draft = inbound::Entity::find_by_id(draft_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (draft.status, draft.supplier_id, draft.quantity),
        (InboundStatus::Draft, Some(hdw.id), 5_000)
    );
    assert_eq!(
        (
            share(&app, tex.id, navy.id).await,
            share(&app, hdw.id, navy.id).await
        ),
        (50, 100)
    );
    let moved = audited(&app, "supplier_material.forecast_share").await;
    assert_eq!(
        moved.len(),
        1,
        "only the late share moved (the top-up was full already)"
    );
    assert_eq!(moved[0].actor, rule_actor);
    assert_eq!(moved[0].after.as_ref().unwrap()["forecast_share"], 50);
    let page = get(&app, "/admin/supply").await;
    assert!(
        page.contains("data-forecast-share=\"50\""),
        "the supply page shows the share"
    );
    assert!(page.contains("33 %"), "… as a third of the forecast");

    // The next recomputation plans navy with the second supplier.
    accepted(&post_form(&app, "/_fn/admin/recompute_policies", "/admin/policies", &[]).await);
    let policy = policies::Entity::find()
        .filter(policies::Column::MaterialId.eq(navy.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(policy.inputs["supplier_id"], hdw.id, "{}", policy.inputs);

    // Undo cancels the draft and sets both shares back.
    let undo = post_form(
        &app,
        "/_fn/admin/undo_suggestion",
        "/admin/alerts",
        &[("id", &top_up.id.to_string())],
    )
    .await;
    accepted(&undo);
    let draft = inbound::Entity::find_by_id(draft_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.status, InboundStatus::Cancelled);
    assert_eq!(
        (
            share(&app, tex.id, navy.id).await,
            share(&app, hdw.id, navy.id).await
        ),
        (100, 100)
    );
}

/// A material no open order holds, with an offer from the weaver: its reorder point is
/// wholly the test's.
async fn unheld_fabric(app: &TestApp) -> materials::Model {
    let open: Vec<i64> = orders::Entity::find()
        .filter(orders::Column::Status.is_in([OrderStatus::Placed, OrderStatus::InProduction]))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    let held: Vec<i64> = order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.is_in(open))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.material_id)
        .collect();
    let tex = supplier(app, "S-TEX").await;
    let offered: Vec<i64> = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(tex.id))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.material_id)
        .collect();
    materials::Entity::find()
        .filter(materials::Column::Id.is_in(offered))
        .filter(materials::Column::Id.is_not_in(held))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a fabric no open order holds")
}

/// Reorder-point alerts so far as if decided a month ago: the rule may raise again.
async fn forget_reorder_alerts(app: &TestApp) {
    alerts::Entity::update_many()
        .col_expr(alerts::Column::Status, Expr::value(AlertStatus::Dismissed))
        .col_expr(
            alerts::Column::CreatedAt,
            Expr::value(app.store().now() - chrono::TimeDelta::days(30)),
        )
        .filter(alerts::Column::Kind.eq("below_reorder_point"))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn a_material_at_its_reorder_point_takes_the_surplus_of_another_node_before_buying(app: TestApp) {
    app.sign_in().await;
    accepted(&post_form(&app, "/_fn/admin/recompute_policies", "/admin/policies", &[]).await);
    let shop = shop(&app).await;
    let fabric = unheld_fabric(&app).await;
    let (workshop, warehouse) = (node(&app, "FB").await, node(&app, "WH").await);
    // 50 at the workshop and 40 at the warehouse, nothing inbound: a position of 90
    // against a reorder point of 100, up to 300, each node keeping 10.
    stock::Entity::delete_many()
        .filter(stock::Column::MaterialId.eq(fabric.id))
        .exec(&app.db)
        .await
        .unwrap();
    for (node, on_hand) in [(&workshop, 50), (&warehouse, 40)] {
        stock::ActiveModel {
            material_id: Set(fabric.id),
            node_id: Set(node.id),
            on_hand: Set(on_hand),
            reserved: Set(0),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    inbound::Entity::update_many()
        .col_expr(
            inbound::Column::Status,
            Expr::value(InboundStatus::Cancelled.as_str()),
        )
        .filter(inbound::Column::MaterialId.eq(fabric.id))
        .exec(&app.db)
        .await
        .unwrap();
    let policy = policies::Entity::find()
        .filter(policies::Column::MaterialId.eq(fabric.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("recomputed");
    let mut inputs = policy.inputs.clone();
    inputs["d_mean"] = json!(5.0);
    let mut row: policies::ActiveModel = policy.into();
    row.safety_stock = Set(10);
    row.reorder_point = Set(100);
    row.order_up_to = Set(300);
    row.inputs = Set(inputs);
    row.update(&app.db).await.unwrap();
    forget_reorder_alerts(&app).await;
    app.state.quoting.refresh_versions().await.unwrap();

    let now = app.store().now();
    let raised = server::service::alerts::shortage::below_reorder_point(app.store(), &shop, now)
        .await
        .unwrap();
    assert!(raised >= 1, "{raised}");
    let (alert, made) = suggestions_of(&app, "below_reorder_point", fabric.id).await;
    let e = &alert.evidence;
    assert_eq!(
        (e["position"].as_i64(), e["shortage"].as_i64()),
        (Some(90), Some(210)),
        "{e}"
    );
    assert_eq!(e["node"], "FB", "delivered where most of it lies");
    // (90 − 10) ÷ 5 a day: the position reaches the safety stock in 16 days.
    let today = now.date_naive();
    assert_eq!(e["needed_by"], json!((today + Days::new(16)).to_string()), "{e}");

    let transfers: Vec<&Value> = made
        .iter()
        .filter(|s| s.kind == SuggestionKind::Transfer)
        .map(|s| &s.payload)
        .collect();
    assert_eq!(transfers.len(), 1, "{made:?}");
    let t = transfers[0];
    assert_eq!(
        (&t["from_node"], &t["to_node"], t["quantity"].as_i64()),
        (&json!("WH"), &json!("FB"), Some(30))
    );
    assert_eq!(
        t["on_hand"].as_i64().unwrap() - t["quantity"].as_i64().unwrap(),
        10,
        "the warehouse keeps its safety stock"
    );
    let purchase = made
        .iter()
        .find(|s| s.kind == SuggestionKind::Purchase)
        .expect("a draft for the rest");
    let p = &purchase.payload;
    assert_eq!(p["shortfall"], 180, "210 less the 30 moved: {p}");
    assert!(p["quantity"].as_i64().unwrap() >= 180);
    assert_eq!(p["node"], "FB");
    assert!(p.get("supplier_late").is_none(), "no supplier is late here: {p}");

    // Accepting drafts the purchase order; a draft counts in the position, so the
    // material is not raised again once the alert is gone.
    let decide = post_form(
        &app,
        "/_fn/admin/decide_suggestion",
        "/admin/alerts",
        &[("id", &purchase.id.to_string()), ("decision", "accept")],
    )
    .await;
    accepted(&decide);
    let drafted = suggestions::Entity::find_by_id(purchase.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(drafted.status, SuggestionStatus::Accepted);
    forget_reorder_alerts(&app).await;
    server::service::alerts::shortage::below_reorder_point(app.store(), &shop, now)
        .await
        .unwrap();
    let again = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("below_reorder_point"))
        .filter(alerts::Column::Subject.eq(format!("material:{}", fabric.id)))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .one(&app.db)
        .await
        .unwrap();
    assert!(again.is_none(), "the drafted order answers the shortage");
}
