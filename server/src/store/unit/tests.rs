//! The unit of work on a seeded SQLite file: what it lets through, what it audits, when
//! it moves the state version, and that its list of quote inputs is what quotes read.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::json;

use super::*;
use crate::store::entities::{audit_log, shops};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// A seeded demo shop on a fresh SQLite file (a file, so several connections share it).
async fn seeded() -> (Db, i64, tempfile_path::Cleanup) {
    let path = std::env::temp_dir().join(format!("c2m-unit-{}.db", uuid::Uuid::new_v4().simple()));
    let pool = crate::store::connect(&format!("sqlite://{}", path.display()), None)
        .await
        .unwrap();
    crate::store::migrate(&pool).await.unwrap();
    crate::seed::seed_demo(&pool, day()).await.unwrap();
    let clock: Clock = Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    let db = Db::new(pool, clock);
    let shop = shops::Entity::find().one(&db).await.unwrap().unwrap().id;
    (db, shop, tempfile_path::Cleanup(path))
}

mod tempfile_path {
    /// Removes the SQLite file and its WAL files when the test ends.
    pub struct Cleanup(pub std::path::PathBuf);

    impl Drop for Cleanup {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = self.0.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

async fn version(db: &Db, shop: i64) -> i64 {
    shops::Entity::find_by_id(shop)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .state_version
}

/// A statement that writes `table` (and changes no row), as any write to it would.
fn touch(table: &str) -> String {
    format!(r#"UPDATE "{table}" SET "id" = "id" WHERE 1 = 0"#)
}

#[tokio::test]
async fn the_quote_inputs_are_exactly_the_tables_a_quote_snapshot_reads() {
    let (db, shop, _file) = seeded().await;
    let txn = db.read().await.unwrap().recording_reads();
    let loaded = crate::store::shop_state::load_in(&txn, shop, |_| day(), 180)
        .await
        .unwrap();
    assert!(loaded.is_some_and(|l| !l.state.products.is_empty()));
    let read = txn.tables_read();
    let listed: BTreeSet<String> = QUOTE_INPUTS.iter().map(|t| t.to_string()).collect();
    assert_eq!(
        read, listed,
        "QUOTE_INPUTS must list what store::shop_state reads, no more and no less"
    );
}

#[tokio::test]
async fn the_database_handle_refuses_every_write_and_changes_nothing() {
    let (db, shop, _file) = seeded().await;
    let before = version(&db, shop).await;
    for sql in [
        touch("stock"),
        r#"DELETE FROM "heat_events""#.to_string(),
        format!(r#"UPDATE "shops" SET "state_version" = 0 WHERE "id" = {shop}"#),
        "DROP TABLE stock".to_string(),
    ] {
        let refused = db.execute_unprepared(&sql).await.unwrap_err();
        assert!(
            refused.to_string().contains("outside a unit of work"),
            "{sql}: {refused}"
        );
    }
    assert_eq!(version(&db, shop).await, before);
    let read = db.read().await.unwrap();
    assert!(read.execute_unprepared(&touch("stock")).await.is_err());
}

#[tokio::test]
async fn a_system_write_may_not_touch_what_quotes_read() {
    let (db, _shop, _file) = seeded().await;
    for table in QUOTE_INPUTS {
        let system = db.system("heat").await.unwrap();
        let refused = system.execute_unprepared(&touch(table)).await.unwrap_err();
        assert!(
            refused.to_string().contains("quotes read it"),
            "{table}: {refused}"
        );
    }
    let system = db.system("heat").await.unwrap();
    system.execute_unprepared(&touch("heat_events")).await.unwrap();
    system.execute_unprepared(&touch("sessions")).await.unwrap();
    system.commit().await.unwrap();
}

#[tokio::test]
async fn an_unaudited_write_is_refused_and_rolled_back() {
    let (db, shop, _file) = seeded().await;
    let before = version(&db, shop).await;
    let w = db.write(shop, "merchant:1").await.unwrap();
    w.execute_unprepared(&format!(
        r#"UPDATE "shops" SET "name" = 'Renamed' WHERE "id" = {shop}"#
    ))
    .await
    .unwrap();
    match w.commit().await {
        Err(StoreError::Unaudited { tables }) => assert_eq!(tables, ["shops"]),
        other => panic!("expected an unaudited refusal, got {other:?}"),
    }
    let row = shops::Entity::find_by_id(shop).one(&db).await.unwrap().unwrap();
    assert_ne!(row.name, "Renamed");
    assert_eq!(row.state_version, before);
}

#[tokio::test]
async fn a_write_to_any_quote_input_moves_the_version_and_tells_this_process() {
    let (db, shop, _file) = seeded().await;
    for table in QUOTE_INPUTS {
        let before = version(&db, shop).await;
        let mut w = db.write(shop, "merchant:1").await.unwrap();
        w.execute_unprepared(&touch(table)).await.unwrap();
        w.record(Change::new("test.touch", "table", *table).after(json!({})))
            .await
            .unwrap();
        let done = w.commit().await.unwrap();
        assert!(done.bumped, "{table}");
        assert_eq!(done.state_version, before + 1, "{table}");
        assert_eq!(version(&db, shop).await, before + 1, "{table}");
        assert_eq!(db.versions().get(shop), Some(done.state_version), "{table}");
    }
}

#[tokio::test]
async fn other_writes_and_changes_that_leave_quotes_keep_the_version() {
    let (db, shop, _file) = seeded().await;
    let before = version(&db, shop).await;
    let audits = audit_log::Entity::find().count(&db).await.unwrap();

    let mut w = db.write(shop, "merchant:1").await.unwrap();
    w.execute_unprepared(&touch("api_keys")).await.unwrap();
    w.record(Change::new("api_key.create", "api_key", "k").after(json!({})))
        .await
        .unwrap();
    let done = w.commit().await.unwrap();
    assert_eq!((done.bumped, done.state_version.get()), (false, before));

    let mut w = db.write(shop, "merchant:1").await.unwrap();
    w.execute_unprepared(&touch("inbound")).await.unwrap();
    w.record(
        Change::new("inbound.create", "inbound", "1")
            .after(json!({}))
            .leaves_quotes(),
    )
    .await
    .unwrap();
    assert!(!w.commit().await.unwrap().bumped, "a draft alone leaves quotes");

    // One change that leaves quotes beside one that does not: the version moves.
    let mut w = db.write(shop, "merchant:1").await.unwrap();
    w.execute_unprepared(&touch("inbound")).await.unwrap();
    w.record(Change::new("inbound.create", "inbound", "2").leaves_quotes())
        .await
        .unwrap();
    w.record(Change::new("inbound.confirm", "inbound", "3"))
        .await
        .unwrap();
    assert!(w.commit().await.unwrap().bumped);

    assert_eq!(version(&db, shop).await, before + 1);
    assert_eq!(audit_log::Entity::find().count(&db).await.unwrap(), audits + 4);
}

#[tokio::test]
async fn an_audit_row_names_the_actor_and_the_clock_s_time() {
    let (db, shop, _file) = seeded().await;
    let mut w = db.write(shop, "rule:test").await.unwrap();
    w.record(
        Change::new("stock.set", "stock", "X@FB")
            .before(Some(json!({"on_hand": 1})))
            .after(json!({"on_hand": 2})),
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let row = audit_log::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|r| r.id)
        .unwrap();
    assert_eq!(
        (row.actor.as_str(), row.action.as_str()),
        ("rule:test", "stock.set")
    );
    assert_eq!(row.at, Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    assert_eq!(row.before, Some(json!({"on_hand": 1})));
}

#[tokio::test]
async fn a_dropped_unit_of_work_saves_nothing() {
    let (db, shop, _file) = seeded().await;
    let before = version(&db, shop).await;
    let audits = audit_log::Entity::find().count(&db).await.unwrap();
    {
        let mut w = db.write(shop, "merchant:1").await.unwrap();
        w.execute_unprepared(&touch("stock")).await.unwrap();
        w.record(Change::new("stock.set", "stock", "X")).await.unwrap();
        // Refused before commit: dropped.
    }
    assert_eq!(version(&db, shop).await, before);
    assert_eq!(audit_log::Entity::find().count(&db).await.unwrap(), audits);
}
