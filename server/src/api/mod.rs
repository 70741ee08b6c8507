//! The REST API under `/api/v1`: routing, auth, CORS and problem+json errors.

mod analytics;
mod caller;
mod configurator;
mod cors;
mod events;
mod extract;
mod json;
pub mod openapi;
mod orders;
mod paging;
pub mod problem;
mod quotes;
mod supply;
mod webhooks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};

use crate::state::AppState;
use problem::ApiError;

/// The `/api/v1` routes, to be nested by the caller.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/products/{slug}/configurator",
            get(configurator::get_configurator),
        )
        .route("/quotes", post(quotes::post_quote))
        .route(
            "/events",
            post(events::post_events).layer(DefaultBodyLimit::max(json::BEACON_MAX_BODY_BYTES)),
        )
        .route("/orders", post(orders::post_order).get(orders::list_orders))
        .route("/orders/{id}", get(orders::get_order))
        .route("/orders/{id}/status", post(orders::move_order))
        .route("/orders/{id}/operations/{seq}", put(orders::report_operation))
        .route("/orders/{id}/consumption", post(orders::report_consumption))
        .route("/webhooks/orders", post(webhooks::post_platform_order))
        .route(
            "/webhooks/endpoints",
            post(webhooks::post_endpoint).get(webhooks::list_endpoints),
        )
        .route("/webhooks/endpoints/{id}", delete(webhooks::delete_endpoint))
        .route("/webhooks/deliveries", get(webhooks::list_deliveries))
        .route("/inbound/{id}/eta", put(supply::put_inbound_eta))
        .route("/purchase-orders/awaited", post(supply::post_awaited))
        .route("/purchase-orders/{id}/send", post(supply::post_send))
        .route("/purchase-orders/{id}/csv", get(supply::get_purchase_order_csv))
        .route(
            "/webhooks/suppliers/{code}/confirmations",
            post(webhooks::post_supplier_confirmation),
        )
        .route("/materials/{sku}/stock/{node}", put(supply::put_stock))
        .route(
            "/materials/{sku}/allocations/{node}/{channel}",
            put(supply::put_allocation).delete(supply::delete_allocation),
        )
        .route("/allocations", get(supply::list_allocations))
        .route("/lead-times", get(supply::list_lead_times))
        .route(
            "/settings/promises",
            get(supply::get_promises).put(supply::put_promises),
        )
        .route("/work-centers/{code}/capacity", put(supply::put_capacity))
        .route("/analytics/funnel", get(analytics::get_funnel))
        .route("/analytics/trend", get(analytics::get_trend))
        .route("/analytics/accuracy", get(analytics::get_accuracy))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { ApiError::NotFound("no such API endpoint".into()) })
        .layer(axum::middleware::from_fn_with_state(state, cors::cors))
}
