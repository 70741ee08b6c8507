//! Sustained order placement against the real `c2m serve` (release build), on SQLite and
//! on PostgreSQL, with quotes asked alongside: `cargo xtask orders` builds and runs it.
//!
//! For each database: a fresh demo shop (`c2m seed`) whose routing takes a minute a unit
//! (so the line does not fill within the run), the server started on it; first
//! quotes alone for `--seconds` / 2 (the quote latency at rest), then `--clients`
//! connections place orders (four configurations of the weekender, one unit each, a
//! unique reference per order) as fast as they are answered for `--seconds`, while one
//! more connection keeps asking for quotes. Afterwards the database is read directly:
//! - every order answered 201 is stored, and no other;
//! - per stock row, `reserved` grew by exactly the units the run's orders hold of it,
//!   and is not above `on_hand` where they hold any (compared with the row before the
//!   run, so what the demo seed's own orders hold does not enter);
//! - per work center and day, the booked minutes are within its minutes per day.
//!
//! It prints orders per second, order latency (p50, p99), the quote latency at rest and
//! while ordering (p50, p99, and their ratio), and fails if a check does not hold.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use c2m_tests::process::{C2m, connect, free_port};
use c2m_tests::{postgres_url, workspace_root};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};
use server::store::entities::{
    OrderStatus, ReservationSource, order_reservations, orders, stock, work_center_bookings, work_centers,
};

struct Options {
    binary: PathBuf,
    seconds: u64,
    clients: usize,
    postgres: bool,
}

fn options() -> Options {
    let mut options = Options {
        binary: workspace_root().join("target/release/c2m"),
        seconds: 10,
        clients: 16,
        postgres: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--bin" => options.binary = value().into(),
            "--seconds" => options.seconds = value().parse().expect("--seconds N"),
            "--clients" => options.clients = value().parse().expect("--clients N"),
            "--sqlite-only" => options.postgres = false,
            other => panic!("unknown argument {other}"),
        }
    }
    options
}

#[tokio::main]
async fn main() {
    let options = options();
    let file = std::env::temp_dir().join(format!("c2m-orders-{}.db", std::process::id()));
    let sqlite = format!("sqlite://{}", file.display());
    let ok = run("SQLite", &options, &sqlite, None).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let ok = if options.postgres {
        let schema = format!("orders_{}", std::process::id());
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

const FABRICS: [&str; 4] = ["navy-canvas", "sand-canvas", "indigo-linen", "lagoon-canvas"];

fn selection(i: usize) -> Value {
    json!({"fabric": [FABRICS[i % FABRICS.len()]], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]})
}

/// Latencies, sorted, and their quantiles in milliseconds.
struct Latencies(Vec<Duration>);

impl Latencies {
    fn new(mut all: Vec<Duration>) -> Self {
        all.sort_unstable();
        Latencies(all)
    }

    fn ms(&self, q: f64) -> f64 {
        let at = ((self.0.len() as f64 - 1.0) * q).max(0.0) as usize;
        self.0.get(at).copied().unwrap_or_default().as_secs_f64() * 1e3
    }
}

/// Asks for quotes of the four configurations in turn until `stop`.
async fn quotes(base: String, stop: Arc<AtomicBool>) -> Vec<Duration> {
    let client = reqwest::Client::new();
    let mut latencies = Vec::new();
    for i in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let sent = Instant::now();
        let answer = client
            .post(format!("{base}/api/v1/quotes"))
            .bearer_auth(DEMO_PUBLISHABLE_KEY)
            .json(&json!({"product": "weekender-bag", "selection": selection(i), "quantity": 1}))
            .send()
            .await;
        if matches!(&answer, Ok(a) if a.status() == 200) {
            latencies.push(sent.elapsed());
        }
    }
    latencies
}

/// One database's run; whether every check held.
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
    // A minute a unit on every operation, without setups: the demo's real routing fills
    // the 180 days of the sewing line after about 850 bags, and a full line refuses
    // every further order, so the run would measure refusals. What a booking costs does
    // not depend on how many minutes it books.
    let db = connect(url, schema).await;
    for table in ["product_operations", "option_value_operations"] {
        db.execute_unprepared(&format!(
            "UPDATE {table} SET minutes_per_unit = 1, setup_minutes = 0"
        ))
        .await
        .expect("a lighter routing");
    }
    let port = free_port();
    let _server = c2m.serve(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let reserved_before: HashMap<(i64, i64), i64> = stock::Entity::find()
        .all(&connect(url, schema).await)
        .await
        .expect("stock")
        .into_iter()
        .map(|s| ((s.material_id, s.node_id), s.reserved))
        .collect();

    let stop = Arc::new(AtomicBool::new(false));
    let at_rest = tokio::spawn(quotes(base.clone(), stop.clone()));
    tokio::time::sleep(Duration::from_secs(options.seconds.div_ceil(2))).await;
    stop.store(true, Ordering::Relaxed);
    let at_rest = Latencies::new(at_rest.await.expect("quotes"));

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let while_ordering = tokio::spawn(quotes(base.clone(), stop.clone()));
    let clients: Vec<_> = (0..options.clients)
        .map(|c| {
            let (base, stop) = (base.clone(), stop.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let (mut booked, mut refused, mut latencies) = (Vec::new(), 0u64, Vec::new());
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let reference = format!("LOAD-{c}-{n}");
                    let body = json!({"reference": reference, "product": "weekender-bag",
                                      "selection": selection(c + n), "quantity": 1});
                    let sent = Instant::now();
                    let answer = client
                        .post(format!("{base}/api/v1/orders"))
                        .bearer_auth(DEMO_SECRET_KEY)
                        .json(&body)
                        .send()
                        .await;
                    match answer {
                        Ok(a) if a.status() == 201 => {
                            latencies.push(sent.elapsed());
                            booked.push(reference);
                        }
                        // Capacity or stock ran out: refused with the quote, nothing booked.
                        Ok(a) if a.status() == 409 => refused += 1,
                        Ok(a) => panic!(
                            "an order was answered {}: {}",
                            a.status(),
                            a.text().await.unwrap_or_default()
                        ),
                        Err(e) => panic!("an order got no answer: {e}"),
                    }
                }
                (booked, refused, latencies)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(options.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut booked, mut refused, mut latencies) = (Vec::new(), 0, Vec::new());
    for client in clients {
        let (b, r, l) = client.await.expect("a client");
        booked.extend(b);
        refused += r;
        latencies.extend(l);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let while_ordering = Latencies::new(while_ordering.await.expect("quotes"));
    let latencies = Latencies::new(latencies);

    let db = connect(url, schema).await;
    let problems = check(&db, &booked, &reserved_before).await;
    println!(
        "{name}: {} orders booked in {elapsed:.1} s = {:.0} orders/s ({} clients; {refused} refused as unavailable); \
         order latency p50 {:.1} ms, p99 {:.1} ms; quote latency at rest p50 {:.2} ms p99 {:.2} ms, \
         while ordering p50 {:.2} ms p99 {:.2} ms (p50 x{:.1}); reservations checked: {}",
        booked.len(),
        booked.len() as f64 / elapsed,
        options.clients,
        latencies.ms(0.5),
        latencies.ms(0.99),
        at_rest.ms(0.5),
        at_rest.ms(0.99),
        while_ordering.ms(0.5),
        while_ordering.ms(0.99),
        while_ordering.ms(0.5) / at_rest.ms(0.5).max(1e-9),
        if problems.is_empty() { "all hold" } else { "FAILED" },
    );
    for problem in &problems {
        println!("{name}: {problem}");
    }
    problems.is_empty()
}

/// What does not hold after the run.
async fn check(
    db: &sea_orm::DatabaseConnection,
    booked: &[String],
    reserved_before: &HashMap<(i64, i64), i64>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let stored = orders::Entity::find()
        .filter(orders::Column::Reference.starts_with("LOAD-"))
        .all(db)
        .await
        .expect("orders");
    let mut references: Vec<&str> = stored.iter().map(|o| o.reference.as_str()).collect();
    references.sort_unstable();
    let mut expected: Vec<&str> = booked.iter().map(String::as_str).collect();
    expected.sort_unstable();
    if references != expected {
        problems.push(format!(
            "{} orders answered 201 but {} stored",
            expected.len(),
            references.len()
        ));
    }
    let open: Vec<i64> = stored
        .iter()
        .filter(|o| matches!(o.status, OrderStatus::Placed | OrderStatus::InProduction))
        .map(|o| o.id)
        .collect();
    let mut held: HashMap<(i64, i64), i64> = HashMap::new();
    for chunk in open.chunks(500) {
        for r in order_reservations::Entity::find()
            .filter(order_reservations::Column::OrderId.is_in(chunk.to_vec()))
            .filter(order_reservations::Column::Source.eq(ReservationSource::Stock))
            .all(db)
            .await
            .expect("reservations")
        {
            *held.entry((r.material_id, r.node_id)).or_default() += r.quantity;
        }
    }
    for row in stock::Entity::find().all(db).await.expect("stock") {
        let key = (row.material_id, row.node_id);
        let holds = held.get(&key).copied().unwrap_or(0);
        let grew = row.reserved - reserved_before.get(&key).copied().unwrap_or(0);
        if grew != holds || (holds > 0 && row.reserved > row.on_hand) {
            problems.push(format!(
                "stock of material {} at node {}: reserved grew by {grew}, the run's orders hold {holds}, \
                 reserved {} of {} on hand",
                row.material_id, row.node_id, row.reserved, row.on_hand
            ));
        }
    }
    let capacity: HashMap<i64, i32> = work_centers::Entity::find()
        .all(db)
        .await
        .expect("work centers")
        .into_iter()
        .map(|w| (w.id, w.minutes_per_day))
        .collect();
    let mut minutes: HashMap<(i64, chrono::NaiveDate), i64> = HashMap::new();
    for b in work_center_bookings::Entity::find()
        .all(db)
        .await
        .expect("bookings")
    {
        *minutes.entry((b.work_center_id, b.day)).or_default() += i64::from(b.minutes);
    }
    for ((center, day), booked) in minutes {
        let limit = capacity.get(&center).copied().unwrap_or(0);
        if booked > i64::from(limit) {
            problems.push(format!(
                "work center {center} on {day}: {booked} minutes booked of {limit}"
            ));
        }
    }
    problems
}
