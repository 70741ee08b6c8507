//! Orders waiting on a supplier get their purchase order: `POST
//! /api/v1/purchase-orders/awaited` (`supply::raise_awaited`) places it, the waiting reservations then hold the line's units, and its receipt
//! moves them onto stock.

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::Days;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use server::seed::DEMO_SECRET_KEY;
use server::service::supply::{self, InboundAction};
use server::store::entities::{
    InboundStatus, ReservationSource, audit_log, inbound, order_reservations, supplier_materials,
};

use crate::orders::{NAVY, NAVY_PER_BAG, navy_stock, only_navy_for, order, shop};

on_both_databases!(orders_waiting_on_a_supplier_get_a_purchase_order_that_holds_their_units);

async fn post(app: &TestApp, body: &Value) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(body)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn orders_waiting_on_a_supplier_get_a_purchase_order_that_holds_their_units(app: TestApp) {
    let (navy, workshop) = only_navy_for(&app, 0).await;
    let shop = shop(&app).await;
    let first = post(&app, &order("WAIT-1", 2)).await;
    let second = post(&app, &order("WAIT-2", 1)).await;
    for (booked, bags) in [(&first, 2), (&second, 1)] {
        let navy_held: Vec<&Value> = booked["reservations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["material"] == NAVY)
            .collect();
        assert_eq!(navy_held.len(), 1, "{booked:#}");
        assert_eq!(navy_held[0]["source"], "supplier_order");
        assert_eq!(navy_held[0]["quantity"], bags * NAVY_PER_BAG);
    }
    let version = shop.state_version;

    let lines = raise(&app).await;
    assert_eq!(lines.len(), 1, "one line for the material and node: {lines:?}");
    let item = &lines[0];
    let line = Line {
        id: item["id"].as_i64().unwrap(),
        sku: item["sku"].as_str().unwrap().to_string(),
        supplier: item["supplier"].as_str().unwrap().to_string(),
        quantity: item["quantity"].as_i64().unwrap(),
        eta: item["eta"].as_str().unwrap().parse().unwrap(),
    };
    let line = &line;
    let offer = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.eq(navy))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((line.sku.as_str(), line.supplier.as_str()), (NAVY, "S-TEX"));
    assert!(
        line.quantity >= 3 * NAVY_PER_BAG && line.quantity >= offer.moq,
        "{line:?}"
    );
    assert_eq!(line.quantity % offer.pack_size.max(1), 0);
    let eta = seed_day() + Days::new(offer.lead_time_mean_days.ceil() as u64);
    assert_eq!(line.eta, eta);
    let stored = inbound::Entity::find_by_id(line.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, InboundStatus::Confirmed);
    assert_eq!(
        stored.ordered_on,
        Some(seed_day()),
        "a receipt will date its lead time"
    );
    assert!(shop_version(&app).await > version, "quotes now count the line");

    let ids = [&first, &second].map(|o| o["id"].as_i64().unwrap());
    let held = order_reservations::Entity::find()
        .filter(order_reservations::Column::MaterialId.eq(navy))
        .filter(order_reservations::Column::OrderId.is_in(ids))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(held.len(), 2);
    for r in &held {
        assert_eq!(r.source, ReservationSource::Inbound);
        assert_eq!((r.inbound_id, r.expected_on), (Some(line.id), Some(eta)));
    }
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("inbound.raise_awaited"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    crate::orders::snapshot_matches_the_database(&app).await;

    // Nothing waits any more: nothing is ordered twice, and nothing is written.
    let again = raise(&app).await;
    assert!(again.is_empty(), "{again:?}");

    // The receipt puts the units on hand, still promised to the two orders.
    supply::act_on_inbound(
        app.write(shop.id, "merchant:test").await,
        line.id,
        InboundAction::Receive,
    )
    .await
    .unwrap();
    let at_workshop = navy_stock(&app, navy, workshop).await;
    assert_eq!(
        (at_workshop.on_hand, at_workshop.reserved),
        (line.quantity, 3 * NAVY_PER_BAG)
    );
}

/// A line as `POST /purchase-orders/awaited` lists it.
#[derive(Debug)]
struct Line {
    id: i64,
    sku: String,
    supplier: String,
    quantity: i64,
    eta: chrono::NaiveDate,
}

/// `POST /api/v1/purchase-orders/awaited`: the lines it placed.
pub(crate) async fn raise(app: &TestApp) -> Vec<Value> {
    let response = app
        .client
        .post(app.url("/api/v1/purchase-orders/awaited"))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["items"].as_array().expect("a list").clone()
}

async fn shop_version(app: &TestApp) -> i64 {
    shop(app).await.state_version
}
