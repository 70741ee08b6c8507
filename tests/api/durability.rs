//! Nothing acknowledged is lost: the real `c2m` binary is killed with SIGKILL while
//! clients post heat batches as fast as it takes them, started again on the same
//! database, and every event it acknowledged is there exactly once, with rollups that
//! count exactly the events stored (issue 6, "Proof").

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use c2m_tests::postgres_url;
use c2m_tests::process::{C2m, binary_beside, connect, free_port};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::json;
use server::seed::DEMO_PUBLISHABLE_KEY;
use server::store::entities::{heat_daily, heat_events};

/// Clients posting at once.
const CLIENTS: usize = 6;
/// Events per batch.
const BATCH: usize = 100;
/// How long the clients post before the server is killed.
const BEFORE_KILL: Duration = Duration::from_millis(2_500);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_every_acknowledged_event_survives_a_sigkill_exactly_once() {
    let file = std::env::temp_dir().join(format!("c2m-kill-{}.db", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}", file.display());
    survives_a_sigkill(&url, None).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_acknowledged_event_survives_a_sigkill_exactly_once() {
    let schema = format!("k_{}", uuid::Uuid::new_v4().simple());
    survives_a_sigkill(&postgres_url(), Some(&schema)).await;
    let db = Database::connect(postgres_url()).await.unwrap();
    db.execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .await
        .unwrap();
}

async fn survives_a_sigkill(url: &str, schema: Option<&str>) {
    let c2m = C2m {
        binary: binary_beside(&std::env::current_exe().expect("the test binary's path")),
        url,
        schema,
    };
    let status = c2m
        .command(None)
        .arg("seed")
        .status()
        .await
        .expect("c2m seed runs");
    assert!(status.success(), "c2m seed failed");

    let port = free_port();
    let mut server = c2m.serve(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let acknowledged = Arc::new(Mutex::new(Vec::<Vec<String>>::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| tokio::spawn(post_until_refused(base.clone(), c, acknowledged.clone())))
        .collect();
    tokio::time::sleep(BEFORE_KILL).await;
    server.kill().await.expect("SIGKILL the server");
    for client in clients {
        client.await.expect("the client task ends");
    }
    let acknowledged = std::mem::take(&mut *acknowledged.lock().unwrap());
    let acked: BTreeSet<String> = acknowledged.iter().flatten().cloned().collect();
    assert!(
        acked.len() >= 5 * BATCH,
        "the server acknowledged only {} events before the kill",
        acked.len()
    );

    // Started again on the same database: it recovers, and a replay of every
    // acknowledged batch stores nothing.
    let port = free_port();
    let mut server = c2m.serve(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for ids in acknowledged.iter().take(20) {
        let receipt = post(&client, &base, ids)
            .await
            .expect("the restarted server answers");
        assert_eq!(
            receipt["stored"], 0,
            "a replayed acknowledged batch stores nothing"
        );
    }
    server.kill().await.ok();

    let db = connect(url, schema).await;
    let stored: Vec<String> = heat_events::Entity::find()
        .select_only()
        .column(heat_events::Column::EventId)
        .filter(heat_events::Column::SessionId.eq("kill_test"))
        .into_tuple()
        .all(&db)
        .await
        .unwrap();
    let stored_set: BTreeSet<&String> = stored.iter().collect();
    assert_eq!(stored_set.len(), stored.len(), "no event stored twice");
    let missing: Vec<&String> = acked
        .iter()
        .filter(|id| !stored_set.contains(id))
        .take(5)
        .collect();
    assert!(missing.is_empty(), "acknowledged but not stored: {missing:?}");
    // Every stored view is counted once in the rollups, even those of the transaction
    // the kill interrupted (it either committed with its counts or not at all).
    let views = heat_events::Entity::find()
        .filter(heat_events::Column::Kind.eq("view"))
        .count(&db)
        .await
        .unwrap() as i64;
    let counted: i64 = heat_daily::Entity::find()
        .filter(heat_daily::Column::Kind.eq("view"))
        .filter(heat_daily::Column::OptionValueId.eq(0))
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.count)
        .sum();
    assert_eq!(counted, views, "rollups count exactly the stored views");
    eprintln!(
        "acknowledged {} events before SIGKILL; {} of the test's events stored",
        acked.len(),
        stored.len()
    );
}

/// Posts batches of new views until the server stops answering; records the ids of
/// every batch it acknowledged with a 200.
async fn post_until_refused(base: String, client_no: usize, acknowledged: Arc<Mutex<Vec<Vec<String>>>>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for n in 0.. {
        let ids: Vec<String> = (0..BATCH)
            .map(|i| format!("k{client_no}-{n:05}-{i:03}"))
            .collect();
        match post(&client, &base, &ids).await {
            Some(receipt) => {
                assert_eq!(receipt["stored"], BATCH, "a new batch is stored whole");
                acknowledged.lock().unwrap().push(ids);
            }
            None => return,
        }
    }
}

/// Posts views with `ids`; the receipt of a 200, `None` if the server did not answer one.
async fn post(client: &reqwest::Client, base: &str, ids: &[String]) -> Option<serde_json::Value> {
    let events: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id, "kind": "view", "product": "weekender-bag", "session": "kill_test"}))
        .collect();
    let response = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", base)
        .json(&json!({"events": events}))
        .send()
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    response.json().await.ok()
}
