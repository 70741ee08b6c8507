//! Several replicas on one PostgreSQL (issue 17, "Several replicas"): two real
//! `c2m serve` processes share a database; what one commits reaches the other by
//! LISTEN/NOTIFY, not by polling (both poll only hourly here), so a stock change made
//! through A is in B's next quote and a key revoked through A is refused by B.

use std::time::{Duration, Instant};

use c2m_tests::postgres_url;
use c2m_tests::process::{C2m, binary_beside, connect, free_port};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD, DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};
use server::store::entities::api_keys;

/// Long enough that any change seen sooner came by notification.
const NOTICED_WITHIN: Duration = Duration::from_secs(3);

async fn quote(client: &reqwest::Client, base: &str) -> reqwest::Response {
    client
        .post(format!("{base}/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(&json!({"product": "weekender-bag", "quantity": 1, "selection":
            {"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]}}))
        .send()
        .await
        .unwrap()
}

async fn version_on(client: &reqwest::Client, base: &str) -> i64 {
    let response = quote(client, base).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["state_version"].as_i64().expect("the quote's state version")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_replica_commits_the_other_knows_at_once() {
    let schema = format!("r_{}", uuid::Uuid::new_v4().simple());
    let url = postgres_url();
    let c2m = C2m {
        binary: binary_beside(&std::env::current_exe().expect("the test binary's path")),
        url: &url,
        schema: Some(&schema),
    };
    let seeded = c2m
        .command(None)
        .arg("seed")
        .status()
        .await
        .expect("c2m seed runs");
    assert!(seeded.success(), "c2m seed failed");
    let hourly = [("C2M_VERSION_POLL_SECONDS", "3600")];
    let (port_a, port_b) = (free_port(), free_port());
    let _a = c2m.serve_with(port_a, &hourly).await;
    let _b = c2m.serve_with(port_b, &hourly).await;
    let (a, b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // B has quoted (and cached the quote and the key) before A's write.
    let before = version_on(&client, &b).await;
    let counted = client
        .put(format!("{a}/api/v1/materials/FAB-CNV-NAVY/stock/FB"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"on_hand": 4_321, "reason": "counted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(counted.status(), 200, "{:?}", counted.text().await);
    let written = Instant::now();
    let after_on_a = version_on(&client, &a).await;
    assert!(after_on_a > before, "A's write moved the version");
    let seen = loop {
        let on_b = version_on(&client, &b).await;
        if on_b == after_on_a {
            break written.elapsed();
        }
        assert!(
            written.elapsed() < NOTICED_WITHIN,
            "B still quotes version {on_b}, A is at {after_on_a}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    println!(
        "B quoted A's stock change {} ms after A answered",
        seen.as_millis()
    );

    // A key revoked through A's admin is refused by B, whose lookup was cached.
    let db = connect(&url, Some(&schema)).await;
    let key = api_keys::Entity::find()
        .filter(api_keys::Column::Prefix.eq(&DEMO_PUBLISHABLE_KEY[..12]))
        .one(&db)
        .await
        .unwrap()
        .expect("the demo key");
    let signed_in = client
        .post(format!("{a}/_fn/login"))
        .header("accept", "text/html")
        .form(&[
            ("email", DEMO_MERCHANT_EMAIL),
            ("password", DEMO_MERCHANT_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.headers()["location"], "/admin");
    let revoked = client
        .post(format!("{a}/_fn/admin/revoke_api_key"))
        .header("accept", "text/html")
        .header("referer", format!("{a}/admin/settings"))
        .form(&[("id", key.id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_redirection(), "{}", revoked.status());
    let revoked_at = Instant::now();
    let refused = loop {
        let status = quote(&client, &b).await.status();
        if status == 401 {
            break revoked_at.elapsed();
        }
        assert_eq!(status, 200);
        assert!(
            revoked_at.elapsed() < NOTICED_WITHIN,
            "B still takes the revoked key"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    println!(
        "B refused the key revoked on A {} ms after A answered",
        refused.as_millis()
    );

    // Failed sign-ins counted by A lock the account on B too: spreading guesses over
    // replicas buys no more of them.
    let guess = |base: String, password: &'static str| {
        let client = client.clone();
        async move {
            let answer = client
                .post(format!("{base}/_fn/login"))
                .header("accept", "text/html")
                .form(&[("email", DEMO_MERCHANT_EMAIL), ("password", password)])
                .send()
                .await
                .unwrap();
            answer.headers()["location"].to_str().unwrap().to_string()
        }
    };
    for _ in 0..5 {
        assert_eq!(guess(a.clone(), "wrong").await, "/admin?error=credentials");
    }
    assert_eq!(
        guess(b.clone(), DEMO_MERCHANT_PASSWORD).await,
        "/admin?error=locked",
        "B honours the lockout A counted"
    );
    db.close().await.unwrap();

    let admin = Database::connect(postgres_url()).await.unwrap();
    admin
        .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .await
        .unwrap();
}

/// A scheduled job runs on one replica at a time: while one holds its lock, another's
/// run is skipped; once it is released, the next run goes ahead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_job_runs_on_one_replica_at_a_time() {
    use server::jobs::{Job, once};
    let app = c2m_tests::spawn_app(c2m_tests::Backend::Postgres).await;
    let held = app
        .store()
        .try_job_lock(Job::Prune as u32)
        .await
        .unwrap()
        .expect("nobody runs it yet");
    let mut ran = false;
    assert!(
        !once(&app.state, Job::Prune, async { ran = true }).await,
        "skipped"
    );
    assert!(!ran);
    assert!(
        once(&app.state, Job::LateRisk, async {}).await,
        "another job is not held"
    );
    held.release().await;
    assert!(once(&app.state, Job::Prune, async { ran = true }).await);
    assert!(ran, "runs once the lock is free");
}
