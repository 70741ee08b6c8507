//! Production pulled in (`service::orders::pull_in`): an order booked to be made on the
//! day its material was due is made earlier once the material is on hand, and the days
//! it leaves are free for the next quote.

use std::collections::BTreeMap;

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use server::service::orders::pull_in::{self, PulledIn};
use server::service::supply::{self, InboundAction};
use server::store::entities::{audit_log, work_center_bookings};

use crate::orders::{date, get_json, only_navy_for, order, post_order, shop, snapshot_matches_the_database};

on_both_databases!(an_order_whose_material_came_early_is_made_earlier_and_keeps_its_promise);

/// The order's bookings as stored: minutes per work center id and day.
async fn bookings(app: &TestApp, order: i64) -> BTreeMap<(i64, NaiveDate), i32> {
    let mut minutes = BTreeMap::new();
    for b in work_center_bookings::Entity::find()
        .filter(work_center_bookings::Column::OrderId.eq(order))
        .all(&app.db)
        .await
        .unwrap()
    {
        *minutes.entry((b.work_center_id, b.day)).or_default() += b.minutes;
    }
    minutes
}

async fn pull(app: &TestApp) -> Vec<PulledIn> {
    pull_in::move_production_earlier(app.store(), &app.state.quoting, &shop(app).await)
        .await
        .expect("the rule runs")
}

async fn an_order_whose_material_came_early_is_made_earlier_and_keeps_its_promise(app: TestApp) {
    // No navy anywhere: the order waits for the supplier, then for the line placed for it.
    only_navy_for(&app, 0).await;
    let placed = post_order(&app, &order("PULL-1", 1), None).await;
    assert_eq!(placed.status(), 201);
    let placed: Value = placed.json().await.unwrap();
    let id = placed["id"].as_i64().unwrap();
    let lines = crate::awaited::raise(&app).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    let (line, eta) = (lines[0]["id"].as_i64().unwrap(), date(&lines[0]["eta"]));
    let before = bookings(&app, id).await;
    let was = before
        .keys()
        .map(|(_, day)| *day)
        .max()
        .expect("production booked");
    assert!(
        before.keys().all(|(_, day)| *day >= eta),
        "made once the line is in: {before:?}, line due {eta}"
    );

    // Still coming: nothing to move, nothing written.
    let version = shop(&app).await.state_version;
    assert!(pull(&app).await.is_empty());
    assert_eq!(shop(&app).await.state_version, version);

    // The line arrives today, days early.
    let today = seed_day();
    assert!(eta > today);
    supply::act_on_inbound(
        app.write(shop(&app).await.id, "merchant:test").await,
        line,
        InboundAction::Receive,
    )
    .await
    .expect("received");
    let version = shop(&app).await.state_version;
    let pulled = pull(&app).await;
    assert_eq!(pulled.len(), 1, "{pulled:?}");
    let moved = &pulled[0];
    assert_eq!((moved.order, moved.was), (id, was));
    assert!(
        moved.first_day >= today && moved.last_day < was,
        "{moved:?}, booked until {was}"
    );

    // Its minutes moved, the same in all, within the new days; the promise stays.
    let after = bookings(&app, id).await;
    let total = |b: &BTreeMap<(i64, NaiveDate), i32>| b.values().sum::<i32>();
    assert_eq!(total(&after), total(&before));
    assert!(
        after
            .keys()
            .all(|(_, day)| (moved.first_day..=moved.last_day).contains(day)),
        "{after:?}"
    );
    let order = get_json(&app, &format!("/api/v1/orders/{id}")).await;
    assert_eq!(order["promised_on"], placed["promised_on"]);
    assert_eq!(order["quoted_p50"], placed["quoted_p50"]);
    let shown: Vec<NaiveDate> = order["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| date(&b["day"]))
        .collect();
    assert!(shown.iter().all(|day| *day <= moved.last_day), "{order:#}");

    // Audited with the bookings before and after; quotes see the days it left.
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("order.pull_in"))
        .filter(audit_log::Column::EntityId.eq(id.to_string()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an audit entry");
    assert_eq!(entry.actor, pull_in::ACTOR);
    let days = |v: &Option<Value>| -> Vec<NaiveDate> {
        v.as_ref().unwrap()["bookings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| date(&b["day"]))
            .collect()
    };
    assert_eq!(days(&entry.before).iter().max(), Some(&was));
    assert_eq!(days(&entry.after).iter().max(), Some(&moved.last_day));
    assert!(shop(&app).await.state_version > version);
    snapshot_matches_the_database(&app).await;

    // Made as early as it can be: a second run moves nothing.
    let version = shop(&app).await.state_version;
    assert!(pull(&app).await.is_empty());
    assert_eq!(shop(&app).await.state_version, version);
}
