//! What the server answers when a request fails beyond its handler's control: a panic
//! is a 500 problem+json and the process keeps serving (the panic is logged, the
//! request's transaction rolled back when its unit of work is dropped); a request that
//! outlives its deadline is a 503 problem+json with `Retry-After`, its future dropped,
//! so a stuck database holds no client for longer than the deadline. PRODUCT.md
//! "Operating".

use std::any::Any;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::api::problem::{ApiError, RETRY_AFTER_SECONDS};

/// `router` with a deadline of `timeout` per request and panics answered as 500s.
/// The deadline sits inside the panic layer, so a panic past it is still caught.
pub fn harden(router: Router, timeout: Duration) -> Router {
    router
        .layer(axum::middleware::from_fn_with_state(timeout, deadline))
        .layer(CatchPanicLayer::custom(panicked))
}

async fn deadline(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    // Kept for the log line: cloning a `Uri` shares its bytes, it does not copy them.
    let (method, uri) = (request.method().clone(), request.uri().clone());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%method, path = uri.path(), seconds = limit.as_secs_f64(), "request ran out of time");
            ApiError::Unavailable {
                detail: format!(
                    "The request took longer than {} s and was stopped; nothing of it was committed. \
                     Try again in a moment.",
                    limit.as_secs_f64()
                ),
                retry_after: RETRY_AFTER_SECONDS,
            }
            .into_response()
        }
    }
}

fn panicked(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    ApiError::Internal(anyhow::anyhow!("a handler panicked: {message}")).into_response()
}
