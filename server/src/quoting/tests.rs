//! The quote service on a seeded in-memory SQLite database: caching, versions, and
//! answering without the database.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::*;
use crate::store::{self, entities::shops};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

async fn seeded() -> (DatabaseConnection, Quoting) {
    let db = store::connect("sqlite::memory:", None).await.unwrap();
    store::migrate(&db).await.unwrap();
    crate::seed::seed_demo(&db, day()).await.unwrap();
    let clock: Clock = Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    (db.clone(), Quoting::new(Db::new(db, clock)))
}

/// What a write by another process does to the shop row: its state version moves,
/// and this process has not been told.
async fn bump_elsewhere(db: &DatabaseConnection, shop: i64) {
    shops::Entity::update_many()
        .col_expr(
            shops::Column::StateVersion,
            Expr::col(shops::Column::StateVersion).add(1),
        )
        .filter(shops::Column::Id.eq(shop))
        .exec(db)
        .await
        .unwrap();
}

async fn shop(db: &DatabaseConnection) -> shops::Model {
    shops::Entity::find().one(db).await.unwrap().unwrap()
}

fn request(fabric: &str) -> QuoteRequest {
    let selection = [
        ("fabric", fabric),
        ("trim", "tan"),
        ("hardware", "brass"),
        ("lining", "cotton"),
    ]
    .into_iter()
    .map(|(g, v)| (g.to_string(), vec![v.to_string()]))
    .collect();
    QuoteRequest {
        product: "weekender-bag".into(),
        selection,
        quantity: 1,
        channel: None,
    }
}

#[tokio::test]
async fn a_repeated_quote_is_served_from_the_cache_until_the_version_moves() {
    let (db, quoting) = seeded().await;
    let first = quoting
        .quote(&shop(&db).await, &request("navy-canvas"))
        .await
        .unwrap();
    let again = quoting
        .quote(&shop(&db).await, &request("navy-canvas"))
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&first, &again), "the second answer was recomputed");

    // A write by another process: noticed when the versions are re-read.
    bump_elsewhere(&db, shop(&db).await.id).await;
    let stale = quoting
        .quote(&shop(&db).await, &request("navy-canvas"))
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&first, &stale), "not re-read yet");
    quoting.refresh_versions().await.unwrap();
    let bumped = quoting
        .quote(&shop(&db).await, &request("navy-canvas"))
        .await
        .unwrap();
    assert!(!Arc::ptr_eq(&first, &bumped));
    assert_eq!(bumped.view.state_version, first.view.state_version + 1);
}

#[tokio::test]
async fn a_cache_miss_is_answered_from_the_snapshot_without_the_database() {
    let (db, quoting) = seeded().await;
    let shop = shop(&db).await;
    quoting.quote(&shop, &request("navy-canvas")).await.unwrap();
    db.close_by_ref().await.unwrap();
    // A selection never asked before: computed from the in-memory snapshot.
    let answer = quoting.quote(&shop, &request("sand-canvas")).await.unwrap();
    assert!(answer.view.available);
    assert_eq!(answer.view.selection["fabric"], vec!["sand-canvas".to_string()]);
}
