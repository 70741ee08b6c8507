//! The REST API under `/api/v1`: routing, auth, CORS and problem+json errors.

mod caller;
mod configurator;
mod cors;
pub mod openapi;
pub mod problem;

use axum::Router;
use axum::routing::get;

use crate::startup::AppState;
use problem::ApiError;

/// The `/api/v1` routes, to be nested by the caller.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/products/{slug}/configurator",
            get(configurator::get_configurator),
        )
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { ApiError::NotFound("no such API endpoint".into()) })
        .layer(axum::middleware::from_fn_with_state(state, cors::cors))
}
