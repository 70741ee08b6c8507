//! `/metrics` (issue 17, "Operations"): Prometheus text with request rates and
//! latencies per route, quote cache hits and misses, snapshot loads, heat ingestion and
//! jobs; answered to this machine, or to whoever sends the configured token.

use c2m_tests::{Backend, TestApp, spawn_app, spawn_app_with};
use serde_json::json;
use server::seed::DEMO_PUBLISHABLE_KEY;

use crate::orders::{order, post_order, post_quote};

async fn metrics(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The value of the series whose line starts with `series` (name and labels).
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|line| line.starts_with(series))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_quotes_and_heat_are_counted_per_route() {
    let app = spawn_app(Backend::Sqlite).await;
    let before = metrics(&app, None).await.text().await.unwrap();
    for _ in 0..3 {
        assert_eq!(post_quote(&app, 1).await.status(), 200);
    }
    let heat = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", &app.base_url)
        .json(&json!({"events": [{"id": "metrics-0001", "kind": "view", "product": "weekender-bag", "session": "t_m"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(heat.status(), 200);
    assert_eq!(post_order(&app, &order("METRICS-1", 1), None).await.status(), 201);
    let response = metrics(&app, None).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    let grew = |series: &str, by: f64| {
        let (then, now) = (value(&before, series), value(&text, series));
        assert!(now - then >= by, "{series}: {then} → {now}\n{text}");
    };
    // Every server of this test process counts into one registry: compare growth.
    grew(
        r#"c2m_http_requests_total{method="POST",route="/api/v1/quotes",status="200"}"#,
        3.0,
    );
    grew(
        r#"c2m_http_request_duration_seconds_count{method="POST",route="/api/v1/quotes"}"#,
        3.0,
    );
    grew(r#"c2m_quote_answers_total{cache="hit"}"#, 2.0);
    grew(r#"c2m_quote_answers_total{cache="miss"}"#, 1.0);
    grew("c2m_heat_events_stored_total", 1.0);
    grew("c2m_orders_group_size_count", 1.0);
    grew("c2m_orders_group_duration_seconds_count", 1.0);
    assert!(
        text.contains("c2m_snapshot_load_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains("c2m_ingest_commit_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("c2m_ingest_queue_depth"), "{text}");
}

/// The recorder exists from the start: a server's first requests are counted, not only
/// those after someone first asked for `/metrics`.
#[tokio::test]
async fn the_first_requests_are_counted() {
    // Run alone (`cargo test --test api -- metrics::the_first`), this is the process's
    // first server: were the recorder installed only when `/metrics` is first asked
    // for, this `/healthz` would go uncounted.
    let app = spawn_app(Backend::Sqlite).await;
    let probe = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(probe.status(), 200);
    let text = metrics(&app, None).await.text().await.unwrap();
    assert!(
        value(
            &text,
            r#"c2m_http_requests_total{method="GET",route="/healthz",status="200"}"#
        ) >= 1.0,
        "{text}"
    );
}

#[tokio::test]
async fn with_a_token_metrics_need_it() {
    let token = "metrics-token-0123456789";
    let app = spawn_app_with(Backend::Sqlite, &[("C2M_METRICS_TOKEN", token)]).await;
    let refused = metrics(&app, None).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.headers()["content-type"], "application/problem+json");
    assert_eq!(metrics(&app, Some("metrics-token-wrong-000")).await.status(), 401);
    let allowed = metrics(&app, Some(token)).await;
    assert_eq!(allowed.status(), 200);
    assert!(allowed.text().await.unwrap().contains("c2m_http_requests_total"));
}
