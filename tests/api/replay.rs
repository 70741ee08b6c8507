//! The replay (`c2m simulate`, issue 16): the same seed gives the same report, and it
//! runs the real order path, whose promises a day's check holds it to.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Statement};
use server::simulate::reality::Reality;
use server::simulate::{self, Behaviour, Options, Run, RunError, Scratch, Source};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()
}

fn options(seed: u64, days: u32) -> Options {
    Options {
        source: Source::Demo,
        seed,
        start: start(),
        days,
        warm_up_days: days / 3,
        behaviour: Behaviour {
            reality: Reality {
                slips: vec!["S-TEX:1.3:2".parse().unwrap()],
                production_noise: 0.1,
                slow_centers: vec!["SEW:1.3:0.1".parse().unwrap()],
                outage: None,
                cancel_rate: 0.05,
            },
            sensitivity: 0.04,
            patience_days: 14,
            // Busier than the demo's history, so a short replay has orders of every kind.
            demand_scale: 3.0,
            review_days: 7,
            replenish: true,
            pull_in: true,
        },
        learning: vec![true],
        scratch_dir: std::env::temp_dir(),
    }
}

#[tokio::test]
async fn the_same_seed_replays_the_same_report() {
    let first = simulate::replay(&options(3, 40), |_| {}).await.expect("a replay");
    let again = simulate::replay(&options(3, 40), |_| {}).await.expect("a replay");
    assert_eq!(first, again);
    let run = &first.runs[0];
    assert!(run.overall.orders > 20, "{:#?}", run.overall);
    assert!(run.overall.delivered > 10, "{:#?}", run.overall);
    assert!(run.overall.cancelled > 0, "{:#?}", run.overall);
    assert!(
        run.lead_times
            .iter()
            .any(|l| l.supplier == "S-TEX" && l.receipts > 0),
        "the slipping supplier delivered during the replay: {:#?}",
        run.lead_times
    );
    let other = simulate::replay(&options(4, 40), |_| {}).await.expect("a replay");
    assert_ne!(
        first.runs[0].overall, other.runs[0].overall,
        "another seed, another year"
    );
}

#[tokio::test]
async fn an_over_committed_reservation_fails_the_replay() {
    let options = options(5, 10);
    let scratch = Scratch::prepare(&options.source, &options.scratch_dir, options.start)
        .await
        .unwrap();
    let pool = scratch.copy("tampered").await.unwrap();
    let mut run = Run::open(
        pool,
        &scratch.shop,
        options.start,
        options.seed,
        true,
        options.behaviour.clone(),
    )
    .await
    .unwrap();
    for _ in 0..5 {
        run.step().await.expect("an honest day");
    }
    assert!(run.tally().orders() > 0, "the replay booked orders");
    // Behind the replay's back, one stock row promises a unit more than it holds, as a
    // booking that bypassed the shop's lock could.
    let db = run.db().unguarded();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE stock SET reserved = on_hand + 1 WHERE id = (SELECT MIN(id) FROM stock)",
    ))
    .await
    .unwrap();
    match run.step().await {
        Err(RunError::OverCommitted { detail, .. }) => assert!(detail.contains("reserved"), "{detail}"),
        other => panic!("the day's check should fail the replay, got {other:?}"),
    }
    run.close().await;
    scratch.remove();
}

#[tokio::test]
async fn a_shop_of_a_sqlite_file_is_replayed_on_a_copy_and_a_missing_one_is_refused() {
    let (dir, scratch) = test_dir();
    let file = dir.join("shop.db");
    let db = seeded_demo(&format!("sqlite:{}", file.display()), None).await;
    let orders_before = count_orders(&db).await;
    db.close().await.unwrap();

    let mut options = options(6, 12);
    options.scratch_dir = scratch.clone();
    options.source = Source::Sqlite {
        path: file.clone(),
        shop: "demo".into(),
    };
    let report = simulate::replay(&options, |_| {})
        .await
        .expect("a replay of the file");
    assert_eq!(report.shop, "demo");
    assert!(report.runs[0].overall.orders > 0, "{:#?}", report.runs[0].overall);
    let db = server::store::connect(&format!("sqlite:{}", file.display()), None)
        .await
        .unwrap();
    assert_eq!(
        count_orders(&db).await,
        orders_before,
        "the shop's own file is only read"
    );
    db.close().await.unwrap();

    for (path, shop, says) in [
        (dir.join("missing.db"), "demo", "no SQLite database"),
        (file.clone(), "elsewhere", "no shop `elsewhere`"),
    ] {
        options.source = Source::Sqlite {
            path,
            shop: shop.into(),
        };
        match simulate::replay(&options, |_| {}).await {
            Err(e) => assert!(e.to_string().contains(says), "{e}"),
            Ok(_) => panic!("{shop}: replayed something that is not there"),
        }
    }
    assert_eq!(
        std::fs::read_dir(&scratch).unwrap().count(),
        0,
        "no scratch copy is left behind"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_shop_on_postgresql_replays_as_the_same_shop_on_sqlite_and_is_only_read() {
    let (dir, scratch) = test_dir();
    let file = dir.join("shop.db");
    seeded_demo(&format!("sqlite:{}", file.display()), None)
        .await
        .close()
        .await
        .unwrap();
    let schema = format!("replay_{}", uuid::Uuid::new_v4().simple());
    let pg = seeded_demo(&c2m_tests::postgres_url(), Some(&schema)).await;
    let written_before = (count_orders(&pg).await, count_audit(&pg).await);

    let mut options = options(6, 12);
    options.scratch_dir = scratch.clone();
    options.source = Source::Sqlite {
        path: file.clone(),
        shop: "demo".into(),
    };
    let from_sqlite = simulate::replay(&options, |_| {})
        .await
        .expect("a replay of the file");
    let postgres = |schema: &str, shop: &str| Source::Postgres {
        url: c2m_tests::postgres_url(),
        schema: Some(schema.to_string()),
        shop: shop.into(),
    };
    options.source = postgres(&schema, "demo");
    let from_postgres = simulate::replay(&options, |_| {})
        .await
        .expect("a replay of the PostgreSQL shop");
    assert!(
        from_postgres.runs[0].overall.orders > 0,
        "{:#?}",
        from_postgres.runs[0].overall
    );
    assert_eq!(
        from_postgres, from_sqlite,
        "every row came across as the server wrote it"
    );
    assert_eq!(
        (count_orders(&pg).await, count_audit(&pg).await),
        written_before,
        "the shop's own database is only read"
    );

    // Refused before anything is replayed: a shop that is not there, a schema that
    // holds no c2m database, and one a migration behind this build.
    let missing_schema = format!("{schema}_none");
    for (source, says) in [
        (
            postgres(&schema, "elsewhere"),
            format!("no shop `elsewhere` in schema {schema}"),
        ),
        (
            postgres(&missing_schema, "demo"),
            "not a c2m database".to_string(),
        ),
    ] {
        options.source = source;
        match simulate::replay(&options, |_| {}).await {
            Err(e) => assert!(e.to_string().contains(&says), "{e}"),
            Ok(_) => panic!("replayed something that is not there: {says}"),
        }
    }
    pg.execute_raw(Statement::from_string(
        pg.get_database_backend(),
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)",
    ))
    .await
    .unwrap();
    options.source = postgres(&schema, "demo");
    match simulate::replay(&options, |_| {}).await {
        Err(e) => assert!(
            e.to_string().contains("lacks migration") && e.to_string().contains("c2m migrate"),
            "{e}"
        ),
        Ok(_) => panic!("replayed a database this build's schema does not match"),
    }
    assert_eq!(
        std::fs::read_dir(&scratch).unwrap().count(),
        0,
        "no scratch copy is left behind"
    );
    pg.execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .await
        .unwrap();
    pg.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A new directory for one test's files, and the empty `scratch/` in it.
fn test_dir() -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("c2m-replay-test-{}", uuid::Uuid::new_v4().simple()));
    let scratch = dir.join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    (dir, scratch)
}

/// The demo shop seeded as of [`start`] into the database at `url` (in `schema` on
/// PostgreSQL).
async fn seeded_demo(url: &str, schema: Option<&str>) -> sea_orm::DatabaseConnection {
    let db = server::store::connect(url, schema).await.unwrap();
    server::store::migrate(&db).await.unwrap();
    server::seed::seed_demo(&db, start()).await.unwrap();
    db
}

async fn count_audit(db: &sea_orm::DatabaseConnection) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    server::store::entities::audit_log::Entity::find()
        .count(db)
        .await
        .unwrap() as usize
}

async fn count_orders(db: &sea_orm::DatabaseConnection) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    server::store::entities::orders::Entity::find()
        .count(db)
        .await
        .unwrap() as usize
}
