//! Sustained heat ingestion against the real `c2m serve` (release build), on SQLite and
//! on PostgreSQL: `cargo xtask ingest` builds and runs it.
//!
//! For each database: a fresh demo shop (`c2m seed`), the server started on it, then
//! `--clients` connections post batches of `--batch` new events (views, selections
//! and carts with configurations, like the widget's mix) as fast as they are
//! acknowledged, for `--seconds`. Afterwards the database is read directly and every
//! acknowledged event must be there: the run prints acknowledged and stored counts,
//! events per second, and batch latency (p50, p99). It fails if anything acknowledged
//! is missing.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use c2m_tests::process::{C2m, connect, free_port};
use c2m_tests::{postgres_url, workspace_root};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::DEMO_PUBLISHABLE_KEY;
use server::store::entities::heat_events;

struct Options {
    binary: PathBuf,
    seconds: u64,
    clients: usize,
    batch: usize,
    postgres: bool,
}

fn options() -> Options {
    let mut options = Options {
        binary: workspace_root().join("target/release/c2m"),
        seconds: 10,
        clients: 16,
        batch: 100,
        postgres: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--bin" => options.binary = value().into(),
            "--seconds" => options.seconds = value().parse().expect("--seconds N"),
            "--clients" => options.clients = value().parse().expect("--clients N"),
            "--batch" => options.batch = value().parse().expect("--batch N"),
            "--sqlite-only" => options.postgres = false,
            other => panic!("unknown argument {other}"),
        }
    }
    options
}

#[tokio::main]
async fn main() {
    let options = options();
    let file = std::env::temp_dir().join(format!("c2m-ingest-{}.db", std::process::id()));
    let sqlite = format!("sqlite://{}", file.display());
    let ok = run("SQLite", &options, &sqlite, None).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let ok = if options.postgres {
        let schema = format!("ingest_{}", std::process::id());
        let pg = run("PostgreSQL", &options, &postgres_url(), Some(&schema)).await;
        if let Ok(db) = Database::connect(postgres_url()).await {
            let _ = db
                .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                .await;
        }
        ok && pg
    } else {
        ok
    };
    if !ok {
        std::process::exit(1);
    }
}

/// One database's run; whether nothing acknowledged was lost.
async fn run(name: &str, options: &Options, url: &str, schema: Option<&str>) -> bool {
    let c2m = C2m {
        binary: options.binary.clone(),
        url,
        schema,
    };
    let status = c2m
        .command(None)
        .arg("seed")
        .stdout(std::process::Stdio::null())
        .status()
        .await
        .expect("c2m seed runs");
    assert!(status.success(), "c2m seed failed");
    let port = free_port();
    let _server = c2m.serve(port).await;
    let base = format!("http://127.0.0.1:{port}");

    // A short warm-up (connections, the shop's snapshot), not measured.
    let warm = reqwest::Client::new();
    post(&warm, &base, &events("warm", 0, options.batch)).await;

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (0..options.clients)
        .map(|c| {
            let (base, stop, batch) = (base.clone(), stop.clone(), options.batch);
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let (mut acknowledged, mut latencies) = (0u64, Vec::new());
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = events(&format!("c{c}"), n, batch);
                    let sent = Instant::now();
                    if let Some(receipt) = post(&client, &base, &body).await {
                        latencies.push(sent.elapsed());
                        acknowledged += receipt["stored"].as_u64().unwrap_or(0);
                    }
                }
                (acknowledged, latencies)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(options.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut acknowledged, mut latencies) = (0, Vec::new());
    for client in clients {
        let (a, l) = client.await.expect("a client");
        acknowledged += a;
        latencies.extend(l);
    }
    let elapsed = started.elapsed().as_secs_f64();

    let db = connect(url, schema).await;
    let stored = heat_events::Entity::find()
        .filter(heat_events::Column::SessionId.starts_with("load_c"))
        .count(&db)
        .await
        .expect("count");
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{name}: {acknowledged} events acknowledged in {elapsed:.1} s = {:.0} events/s ({} clients, batches of {}); \
         {stored} stored; batch latency p50 {:.1} ms, p99 {:.1} ms",
        acknowledged as f64 / elapsed,
        options.clients,
        options.batch,
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
    );
    if stored != acknowledged {
        println!(
            "{name}: LOST {} acknowledged events",
            acknowledged as i64 - stored as i64
        );
    }
    stored == acknowledged
}

/// A batch like the widget's: mostly views and selections, some carts with their
/// configuration; ids unique per client and batch.
fn events(client: &str, n: u64, batch: usize) -> Value {
    let fabrics = ["navy-canvas", "sand-canvas", "lagoon-canvas", "indigo-linen"];
    let events: Vec<Value> = (0..batch)
        .map(|i| {
            let id = format!("{client}-{n:06}-{i:03}");
            let session = format!("load_{client}_{}", n % 50);
            let fabric = fabrics[i % fabrics.len()];
            match i % 10 {
                0..=4 => json!({"id": id, "kind": "view", "product": "weekender-bag", "session": session}),
                5..=8 => json!({"id": id, "kind": "option_select", "product": "weekender-bag", "session": session,
                               "group": "fabric", "value": fabric}),
                _ => json!({"id": id, "kind": "add_to_cart", "product": "weekender-bag", "session": session,
                            "selection": {"fabric": [fabric], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]}}),
            }
        })
        .collect();
    json!({ "events": events })
}

async fn post(client: &reqwest::Client, base: &str, body: &Value) -> Option<Value> {
    let response = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", base)
        .json(body)
        .send()
        .await
        .ok()?;
    if response.status() != 200 {
        eprintln!(
            "refused: {} {}",
            response.status(),
            response.text().await.unwrap_or_default()
        );
        return None;
    }
    response.json().await.ok()
}
