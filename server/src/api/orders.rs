//! `POST /api/v1/orders`, `GET /api/v1/orders`, `GET /api/v1/orders/{id}`: orders from
//! the shop platform's server (secret key).

use axum::Json;
use axum::extract::State;

use super::extract::{Path, Query};
use axum::response::Response;

use super::caller::SecretCaller;
use super::json::{ApiJson, IdempotentJson, created};
use super::problem::{ApiError, Problem};
use crate::service::orders::book::Placed;
use crate::service::orders::read::{self, OrderPage, OrderQuery};
use crate::service::orders::{
    self, Consumption, ConsumptionReport, Moved, NewOrder, OperationReport, OrderError, OrderView, StatusMove,
};
use crate::state::AppState;
use crate::store::entities::OrderStatus;

impl From<OrderError> for ApiError {
    fn from(e: OrderError) -> Self {
        match e {
            OrderError::Write(e) => e.into(),
            OrderError::Quote(e) => e.into(),
            e @ (OrderError::Token(_) | OrderError::TokenMismatch(_)) => ApiError::Invalid {
                field: "quote_token".into(),
                detail: e.to_string(),
            },
            OrderError::Unavailable { detail, quote } => ApiError::QuoteConflict {
                slug: "unavailable",
                detail,
                quote: Box::new(serde_json::to_value(quote).expect("a quote serialises")),
            },
            OrderError::PromiseChanged { detail, quote } => ApiError::QuoteConflict {
                slug: "promise-changed",
                detail,
                quote: Box::new(serde_json::to_value(quote).expect("a quote serialises")),
            },
            e @ OrderError::KeyReused(_) => ApiError::Invalid {
                field: "Idempotency-Key".into(),
                detail: e.to_string(),
            },
        }
    }
}

/// Places an order: re-quotes the configuration on the current state and reserves every
/// unit and work-center minute its plan takes, in one transaction; the next quote no
/// longer sees them. With `quote_token`, the order is booked at the token's price and
/// promise, or refused with 409 and the new quote (unless `accept_later_date`). With an
/// `Idempotency-Key`, repeating the same request answers the stored order again
/// (`Idempotent-Replayed: true`) and books nothing; keys are kept at least 24 hours.
#[utoipa::path(
    post,
    path = "/api/v1/orders",
    tag = "orders",
    request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes the request safe to repeat: 1 to 255 printable ASCII characters (a UUID, say)")),
    security(("secret_key" = [])),
    responses(
        (status = 201, description = "The order, booked", body = OrderView),
        (status = 200, description = "The order an earlier request with this Idempotency-Key booked", body = OrderView),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference is taken (`conflict`), the configuration cannot be promised now (`unavailable`), or the token's promise can no longer be kept (`promise-changed`); the latter two carry `quote`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field, quote token (tampered, expired, or for another order) or reused Idempotency-Key; `errors[].field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_order(
    caller: SecretCaller,
    State(state): State<AppState>,
    request: IdempotentJson<NewOrder>,
) -> Result<Response, ApiError> {
    let Placed { order, replayed } = state
        .orders
        .place(caller.shop.id, &caller.actor, request.body, request.key)
        .await?;
    let location = format!("/api/v1/orders/{}", order.id);
    let mut response = created(replayed, order);
    if let Ok(location) = axum::http::HeaderValue::from_str(&location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    Ok(response)
}

/// Which orders `GET /orders` lists.
#[derive(Clone, Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only orders in this status (`placed`, `in_production`, `shipped`, `delivered`, `cancelled`).
    #[param(pattern = "^(placed|in_production|shipped|delivered|cancelled)?$")]
    pub status: Option<String>,
    /// Orders per page, 1 to 200 (50 unless said).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only orders of this channel.
    pub channel: Option<String>,
    /// Only orders of this product (slug).
    pub product: Option<String>,
    /// Only orders at late risk (`true`) or on track (`false`).
    pub at_risk: Option<bool>,
}

/// The shop's orders, newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/orders",
    tag = "orders",
    params(ListParams),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "A page of orders", body = OrderPage),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_orders(
    caller: SecretCaller,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Json<OrderPage>, ApiError> {
    // An empty filter (`?product=`, as a form sends one left blank) filters nothing.
    let given = |f: Option<String>| f.filter(|v| !v.is_empty());
    let status = match given(params.status).as_deref() {
        None => None,
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| ApiError::Invalid {
            field: "status".into(),
            detail: format!("`{s}` is not an order status"),
        })?),
    };
    let query = OrderQuery {
        status,
        limit: params.limit,
        cursor: params.cursor,
        channel: given(params.channel),
        product: given(params.product),
        at_risk: params.at_risk,
    };
    Ok(Json(read::list(&state.db, caller.shop.id, &query).await?))
}

/// One order with its plan, reservations and bookings.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{id}",
    tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The order", body = OrderView),
        (status = 404, description = "No such order in this shop", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_order(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<OrderView>, ApiError> {
    read::order(&state.db, caller.shop.id, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no order {id} in this shop")))
}

/// Moves an order on: `in_production`, `shipped` (its reserved stock leaves the shelf),
/// `delivered` (the day it arrived is recorded), or `cancelled` (everything it held is
/// free again for the next quote, and listed in `freed`). An illegal move is 409
/// naming both statuses.
#[utoipa::path(
    post,
    path = "/api/v1/orders/{id}/status",
    tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    request_body = StatusMove,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The order after the move", body = Moved),
        (status = 404, description = "No such order in this shop", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a move the order's status allows", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, day or missing reason", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn move_order(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<StatusMove>,
) -> Result<Json<Moved>, ApiError> {
    let today = state.quoting.today(&caller.shop);
    let write = caller.write(&state).await?;
    Ok(Json(orders::move_order(write, id, change, today).await?))
}

/// Reports an operation of an order finished, with the minutes it really took. Each
/// work center's pace (real ÷ planned minutes) is learned from these reports, and the
/// next quote books it at that pace; reporting the same operation again corrects it.
/// Operations are numbered from 0 in the order's `operations`.
#[utoipa::path(
    put,
    path = "/api/v1/orders/{id}/operations/{seq}",
    tag = "orders",
    params(
        ("id" = i64, Path, description = "Order id"),
        ("seq" = i32, Path, description = "The operation's place in the order's routing, from 0"),
    ),
    request_body = OperationReport,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The order with the operation reported", body = OrderView),
        (status = 404, description = "No such order in this shop, or no such operation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is not in production yet, or cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Minutes or day out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn report_operation(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path((id, seq)): Path<(i64, i32)>,
    ApiJson(report): ApiJson<OperationReport>,
) -> Result<Json<OrderView>, ApiError> {
    let today = state.quoting.today(&caller.shop);
    let write = caller.write(&state).await?;
    orders::operations::report(write, id, seq, report, today).await?;
    let order = read::order(&state.db, caller.shop.id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no order {id} in this shop")))?;
    Ok(Json(order))
}

/// Reports units of a material issued to an order in production. Reports add up; what
/// goes beyond the order's plan leaves the node's on-hand stock at once (the next quote
/// no longer counts it). When the orders in production have used the material more
/// than the shop's threshold (20 % unless set) above what they planned, an
/// overconsumption alert is raised in the admin's inbox with the orders behind it and
/// suggestions to cover the shortfall, other nodes' surplus first. Send an
/// `Idempotency-Key` so a retried report is not counted twice.
#[utoipa::path(
    post,
    path = "/api/v1/orders/{id}/consumption",
    tag = "orders",
    params(
        ("id" = i64, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes the request safe to repeat: 1 to 255 printable ASCII characters (a UUID, say)"),
    ),
    request_body = ConsumptionReport,
    security(("secret_key" = [])),
    responses(
        (status = 201, description = "The order's use of the material after the report", body = Consumption),
        (status = 200, description = "The answer an earlier request with this Idempotency-Key got", body = Consumption),
        (status = 404, description = "No such order in this shop", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is not in production", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown material or one the order's plan does not use, quantity or day out of range, or reused Idempotency-Key", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn report_consumption(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: IdempotentJson<ConsumptionReport>,
) -> Result<Response, ApiError> {
    let today = state.quoting.today(&caller.shop);
    let write = caller.write(&state).await?;
    let (mut done, replayed) =
        orders::consumption::consume(write, id, request.body, today, request.key.as_ref()).await?;
    if !replayed {
        done.alerts_raised =
            crate::service::recompute::after_consumption(&state.db, &caller.shop, done.material_id).await;
    }
    Ok(created(replayed, done))
}
