//! Faults (issue 17, "Overload and faults"): a handler that panics answers 500
//! problem+json and the next request is served; a request past its deadline answers
//! 503 problem+json with `Retry-After`; a database that cannot be had in time (every
//! connection of the pool taken) or a SQLite file another connection holds the write
//! lock of answers 503 problem+json with `Retry-After`, changes nothing, keeps quoting
//! from what it has, and recovers by itself once the database is free.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use c2m_tests::{Backend, TestApp, on_both_databases, spawn_app};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};
use serde_json::{Value, json};
use server::seed::DEMO_SECRET_KEY;

use crate::orders::post_quote;

on_both_databases!(a_database_out_of_connections_answers_503_keeps_quoting_and_recovers);

/// A real server on a free port with `router`, hardened as `c2m serve` hardens its own.
async fn serve(router: Router, deadline: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = server::fault::harden(router, deadline);
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

async fn problem(response: reqwest::Response, status: u16) -> (Value, Option<String>) {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (response.json().await.unwrap(), retry_after)
}

async fn boom() -> &'static str {
    panic!("the handler broke")
}

#[tokio::test]
async fn a_panic_is_a_500_and_the_next_request_is_served() {
    let router = Router::new()
        .route("/boom", get(boom))
        .route("/ok", get(|| async { "fine" }));
    let base = serve(router, Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    let (body, _) = problem(client.get(format!("{base}/boom")).send().await.unwrap(), 500).await;
    assert_eq!(body["status"], 500);
    assert!(
        !body["detail"].as_str().unwrap().contains("the handler broke"),
        "the panic's message is logged, not sent: {body}"
    );
    for _ in 0..3 {
        let ok = client.get(format!("{base}/ok")).send().await.unwrap();
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.text().await.unwrap(), "fine");
    }
}

#[tokio::test]
async fn a_request_past_its_deadline_is_a_503_with_retry_after() {
    let router = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        )
        .route("/quick", get(|| async { "on time" }));
    let base = serve(router, Duration::from_millis(300)).await;
    let client = reqwest::Client::new();
    let (body, retry_after) = problem(client.get(format!("{base}/slow")).send().await.unwrap(), 503).await;
    assert_eq!(body["type"], "https://c2m.dev/problems/unavailable", "{body}");
    assert!(body["detail"].as_str().unwrap().contains("0.3 s"), "{body}");
    assert_eq!(retry_after.as_deref(), Some("2"));
    let quick = client.get(format!("{base}/quick")).send().await.unwrap();
    assert_eq!(quick.status(), 200);
}

async fn count_stock(app: &TestApp, on_hand: i64) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/materials/FAB-CNV-NAVY/stock/FB"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"on_hand": on_hand, "reason": "counted"}))
        .send()
        .await
        .unwrap()
}

async fn navy_on_hand(app: &TestApp) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT s.on_hand FROM stock s JOIN materials m ON m.id = s.material_id \
             JOIN nodes n ON n.id = s.node_id WHERE m.sku = 'FAB-CNV-NAVY' AND n.code = 'FB'",
        ))
        .await
        .unwrap()
        .expect("navy at the bag workshop");
    row.try_get::<i64>("", "on_hand").unwrap()
}

/// Every connection of the server's pool, each held in an open transaction.
async fn take_every_connection(app: &TestApp) -> Vec<DatabaseTransaction> {
    let max = match app.backend {
        Backend::Sqlite => app
            .db
            .get_sqlite_connection_pool()
            .options()
            .get_max_connections(),
        Backend::Postgres => app
            .db
            .get_postgres_connection_pool()
            .options()
            .get_max_connections(),
    };
    let mut held = Vec::new();
    for _ in 0..max {
        held.push(app.db.begin().await.expect("a connection of the pool"));
    }
    held
}

async fn a_database_out_of_connections_answers_503_keeps_quoting_and_recovers(app: TestApp) {
    let count = count_stock(&app, 40_000).await;
    assert_eq!(
        count.status(),
        200,
        "the secret key is known before the pool runs dry"
    );
    let before = navy_on_hand(&app).await;
    let warm = post_quote(&app, 1).await;
    assert_eq!(warm.status(), 200);
    let first: Value = warm.json().await.unwrap();

    let held = take_every_connection(&app).await;
    // Quotes come from the snapshot in memory: the database is not needed.
    let cached = post_quote(&app, 1).await;
    assert_eq!(cached.status(), 200);
    let cached: Value = cached.json().await.unwrap();
    assert_eq!(
        (&cached["state_version"], &cached["estimate"]),
        (&first["state_version"], &first["estimate"]),
        "the same answer as before"
    );
    // A write needs a connection it cannot get in time.
    let (body, retry_after) = problem(count_stock(&app, 12_345).await, 503).await;
    assert_eq!(body["type"], "https://c2m.dev/problems/unavailable", "{body}");
    assert_eq!(retry_after.as_deref(), Some("2"));
    drop(held);

    // Free again: nothing of the refused write happened, and the same write now works.
    assert_eq!(navy_on_hand(&app).await, before);
    let retried = count_stock(&app, 12_345).await;
    assert_eq!(retried.status(), 200);
    assert_eq!(navy_on_hand(&app).await, 12_345);
}

/// Another connection to the SQLite file, holding its one write lock in the open
/// transaction returned with it.
async fn hold_the_write_lock(app: &TestApp) -> (sea_orm::DatabaseConnection, DatabaseTransaction) {
    let other = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    let writer = other.begin().await.unwrap();
    writer
        .execute_unprepared("UPDATE shops SET name = name")
        .await
        .unwrap();
    (other, writer)
}

#[tokio::test]
async fn a_sqlite_file_locked_by_another_writer_refuses_writes_with_503_and_keeps_quoting() {
    let app = spawn_app(Backend::Sqlite).await;
    assert_eq!(count_stock(&app, 40_000).await.status(), 200);
    let before = navy_on_hand(&app).await;
    // Another process's connection takes SQLite's one write lock and keeps it.
    let (other, writer) = hold_the_write_lock(&app).await;
    let (body, retry_after) = problem(count_stock(&app, 777).await, 503).await;
    assert!(
        body["detail"].as_str().unwrap().contains("nothing was changed"),
        "{body}"
    );
    assert_eq!(retry_after.as_deref(), Some("2"));
    // Readers are not blocked (WAL): a quote is loaded and answered meanwhile.
    assert_eq!(post_quote(&app, 1).await.status(), 200);
    writer.rollback().await.unwrap();
    other.close().await.unwrap();

    assert_eq!(
        navy_on_hand(&app).await,
        before,
        "the refused count changed nothing"
    );
    assert_eq!(count_stock(&app, 777).await.status(), 200);
    assert_eq!(navy_on_hand(&app).await, 777);
}

#[tokio::test]
async fn a_write_waiting_for_a_lock_released_soon_is_retried_and_succeeds() {
    let app = spawn_app(Backend::Sqlite).await;
    let (other, writer) = hold_the_write_lock(&app).await;
    // The lock outlasts SQLite's busy timeout (1 s) but not the retries after it.
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        writer.rollback().await.unwrap();
        other.close().await.unwrap();
    });
    let counted = count_stock(&app, 4_321).await;
    assert_eq!(counted.status(), 200, "{:?}", counted.text().await);
    release.await.unwrap();
    assert_eq!(navy_on_hand(&app).await, 4_321);
}
