//! `/metrics`: the process's figures in Prometheus' text format, for a scraper.
//!
//! What is counted, and where:
//! - `c2m_http_requests_total{method,route,status}` and
//!   `c2m_http_request_duration_seconds{method,route}` ([`track`], per matched route, so
//!   `/api/v1/orders/{id}` is one series, not one per order);
//! - `c2m_quote_answers_total{cache="hit"|"miss"}` and
//!   `c2m_snapshot_loads_total` / `c2m_snapshot_load_duration_seconds` (`quoting`);
//! - `c2m_ingest_queue_depth`, `c2m_ingest_commit_duration_seconds` and
//!   `c2m_heat_events_stored_total` (`ingest`);
//! - `c2m_orders_group_size` and `c2m_orders_group_duration_seconds`: how many orders
//!   each booking unit of work took and how long it held the shop (`orders::Desk`);
//! - `c2m_job_runs_total{job,outcome}` (`jobs`) and `c2m_db_retries_total{what}`
//!   (`store::retry`).
//!
//! The figures describe the business (routes, volumes), so they are not public: with
//! `metrics_token` set, a scraper sends it as a bearer token; without one, only
//! clients on this machine's loopback address are answered.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{LazyLock, OnceLock, PoisonError, RwLock};
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::api::problem::ApiError;
use crate::state::AppState;

/// Latency buckets, in seconds: a cached quote takes a millisecond, an order tens, a
/// recomputation seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed once: every server of the process (tests run
/// several) counts into it.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics stays empty");
        }
        handle
    })
}

/// Counts each request and its duration under its route's pattern.
pub async fn track(request: Request, next: Next) -> Response {
    let method = method_label(request.method());
    // The route's pattern shares the router's bytes: nothing is copied per request.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let series = Series::of(method, route, response.status().as_u16());
    series.requests.increment(1);
    series.duration.record(started.elapsed().as_secs_f64());
    response
}

/// A method as a label: the standard ones by name, any other as `other`, so a client
/// inventing methods cannot make series without end.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The handles of one route's requests with one method and status. Looked up in the
/// registry the first time and kept: building the labels and hashing them into the
/// registry for every request was 2 % of a cached quote's CPU. The routes are the
/// router's patterns, so the handles kept are bounded by routes × methods × statuses.
#[derive(Clone)]
struct Series {
    requests: metrics::Counter,
    duration: metrics::Histogram,
}

/// Per route pattern, per (method, status).
type SeriesByRoute = HashMap<String, HashMap<(&'static str, u16), Series>>;

impl Series {
    fn of(method: &'static str, route: &str, status: u16) -> Series {
        static KEPT: LazyLock<RwLock<SeriesByRoute>> = LazyLock::new(RwLock::default);
        let found = KEPT
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(route)
            .and_then(|by_status| by_status.get(&(method, status)).cloned());
        if let Some(series) = found {
            return series;
        }
        let series = Series {
            requests: metrics::counter!(
                "c2m_http_requests_total",
                "method" => method,
                "route" => route.to_string(),
                "status" => status.to_string()
            ),
            duration: metrics::histogram!(
                "c2m_http_request_duration_seconds",
                "method" => method,
                "route" => route.to_string()
            ),
        };
        KEPT.write()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(route.to_string())
            .or_default()
            .insert((method, status), series.clone());
        series
    }
}

/// `GET /metrics`.
pub async fn serve(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    match state.config.metrics_token.as_deref() {
        Some(token) => {
            let sent = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            let matches = sent.is_some_and(|sent| {
                use subtle::ConstantTimeEq;
                bool::from(sent.as_bytes().ct_eq(token.as_bytes()))
            });
            if !matches {
                return Err(ApiError::Unauthenticated(
                    "send the metrics token as `Authorization: Bearer …`",
                ));
            }
        }
        None if !peer.ip().is_loopback() => {
            return Err(ApiError::Forbidden(
                "metrics are answered to this machine only; set `metrics_token` to scrape them from elsewhere".into(),
            ));
        }
        None => {}
    }
    let handle = handle();
    handle.run_upkeep();
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        handle.render(),
    )
        .into_response())
}
