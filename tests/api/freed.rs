//! Parts freed by cancelled orders (issue 18, "Internal first"): an order cancelled in
//! production has had material issued to it. The cancellation takes what was issued
//! within the plan off the node's stock with its reservation (only the rest is free
//! again), and those parts are the next shortage's second source: after other nodes'
//! surplus, before a purchase. Accepting takes them back into the node's stock; Undo
//! takes them off again while no order reserved more there since.

use c2m_tests::{TestApp, on_both_databases};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use server::store::entities::{
    InboundKind, SuggestionKind, SuggestionStatus, material_consumption, order_reservations, suggestions,
};

use crate::admin_settings::{accepted, audited, post_form, refusal_of};
use crate::production::{
    BUCKLES, PER_BAG, call, consume, decide, drafts, in_production, leave_free, material, node, open_alert,
    others_plan, stock_at, suggestions_of, without_seeded_reports,
};

on_both_databases!(a_cancelled_orders_issued_parts_leave_the_stock_and_cover_the_next_shortage);

/// What the order's reports of the material say is issued and returned.
async fn issued_and_returned(app: &TestApp, order: i64, material_id: i64) -> (i64, i64) {
    material_consumption::Entity::find()
        .filter(material_consumption::Column::OrderId.eq(order))
        .filter(material_consumption::Column::MaterialId.eq(material_id))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .fold((0, 0), |(q, r), row| (q + row.quantity, r + row.returned))
}

async fn undo(app: &TestApp, id: i64) -> reqwest::Response {
    post_form(
        app,
        "/_fn/admin/undo_suggestion",
        "/admin/alerts",
        &[("id", &id.to_string())],
    )
    .await
}

async fn a_cancelled_orders_issued_parts_leave_the_stock_and_cover_the_next_shortage(app: TestApp) {
    without_seeded_reports(&app).await;
    let a = in_production(&app, "FREED-A", 1).await;
    let c = in_production(&app, "FREED-C", 1).await;
    let buckles = material(&app, BUCKLES).await.id;
    let factory = node(&app, "FB").await;
    let held: Vec<order_reservations::Model> = order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.eq(c))
        .filter(order_reservations::Column::MaterialId.eq(buckles))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        held.iter().map(|r| (r.node_id, r.quantity)).collect::<Vec<_>>(),
        [(factory, PER_BAG)],
        "C holds its four buckle sets on the factory's shelf"
    );
    // Nothing free anywhere: a shortage will need more than stock.
    leave_free(&app, buckles, "FB", 0).await;
    leave_free(&app, buckles, "WH", 0).await;

    // C is issued its whole plan, then cancelled: the four are gone from the shelf
    // with their reservation, so the factory's free stock stays as it was.
    let (status, used) = consume(&app, c, json!({"sku": BUCKLES, "quantity": PER_BAG}), None).await;
    assert_eq!(
        (status, used["taken_from_stock"].as_i64()),
        (201, Some(0)),
        "{used}"
    );
    let shelf = stock_at(&app, buckles, factory).await.unwrap();
    let (status, cancelled) = call(
        &app,
        Method::POST,
        &format!("/api/v1/orders/{c}/status"),
        json!({"status": "cancelled", "reason": "the customer withdrew"}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{cancelled}");
    let after = stock_at(&app, buckles, factory).await.unwrap();
    assert_eq!(
        (after.on_hand, after.reserved),
        (shelf.on_hand - PER_BAG, shelf.reserved - PER_BAG),
        "issued units do not go back on the shelf"
    );
    let freed = cancelled["freed"].as_array().unwrap();
    assert!(
        freed.iter().all(|r| r["material"] != BUCKLES),
        "none of the buckles is free again: {freed:?}"
    );
    let entry = audited(&app, "order.cancel").await.pop().unwrap();
    assert_eq!(
        entry.after.unwrap()["issued"],
        json!([{"material": BUCKLES, "node": "FB", "quantity": PER_BAG}])
    );

    // A uses 50 % beyond its plan: the rest of the work will be short at the factory.
    // No other node has a surplus; C's parts come first, a purchase for the rest.
    let (status, used) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 6}), None).await;
    assert_eq!((status, used["alerts_raised"].as_i64()), (201, Some(1)), "{used}");
    let alert = open_alert(&app, buckles).await;
    let shortage = (others_plan(&app, buckles, a).await + 1) / 2 + 2;
    let offered = suggestions_of(&app, alert.id).await;
    let reuse = offered
        .iter()
        .find(|s| s.kind == SuggestionKind::Transfer)
        .unwrap_or_else(|| panic!("a suggestion to take C's parts back: {offered:?}"));
    let p = &reuse.payload;
    let taken = PER_BAG.min(shortage);
    assert_eq!(
        (
            p["freed_order_id"].as_i64(),
            p["from_node"].as_str(),
            p["to_node"].as_str(),
            p["quantity"].as_i64()
        ),
        (Some(c), Some("FB"), Some("FB"), Some(taken)),
        "{p}"
    );
    let rest: i64 = offered
        .iter()
        .filter(|s| s.kind == SuggestionKind::Purchase)
        .map(|s| s.payload["shortfall"].as_i64().unwrap())
        .sum();
    assert_eq!(
        rest,
        shortage - taken,
        "a purchase only for what the parts leave short"
    );

    // Accepting takes them back into the factory's stock; no transfer is drafted.
    app.sign_in().await;
    let shelf = stock_at(&app, buckles, factory).await.unwrap();
    decide(&app, reuse.id, "accept").await;
    assert_eq!(
        stock_at(&app, buckles, factory).await.unwrap().on_hand,
        shelf.on_hand + taken
    );
    assert_eq!(issued_and_returned(&app, c, buckles).await, (PER_BAG, taken));
    assert!(drafts(&app, buckles, InboundKind::Transfer).await.is_empty());
    assert_eq!(audited(&app, "stock.return").await.len(), 1);

    // Undo takes them off again; the parts are free to offer once more.
    accepted(&undo(&app, reuse.id).await);
    assert_eq!(
        stock_at(&app, buckles, factory).await.unwrap().on_hand,
        shelf.on_hand
    );
    assert_eq!(issued_and_returned(&app, c, buckles).await, (PER_BAG, 0));
    let undone = suggestions::Entity::find_by_id(reuse.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(undone.status, SuggestionStatus::Undone);
    let again = undo(&app, reuse.id).await;
    let shown = refusal_of(&app, &again, &format!("suggestion-{}", reuse.id)).await;
    assert!(shown.contains("only an accepted or executed one"), "{shown}");
}
