//! Webhooks: `POST /api/v1/webhooks/orders` (signed order notifications from the shop
//! platform), and the merchant's endpoints for events out with their delivery log
//! (secret key).

use axum::Json;
use axum::extract::{Request, State};

use super::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::caller::SecretCaller;
use super::json::{IdempotentJson, created, json_body, parse};
use super::paging::PageParams;
use super::problem::{ApiError, Problem};
use crate::service::cursor::Window;
use crate::service::orders::platform::{self, Handled, InboundError, PlatformEvent, Signed};
use crate::service::orders::{Moved, OrderView};
use crate::service::supply;
use crate::service::webhooks::endpoints::{self, ENDPOINT_CURSOR, EndpointPage, EndpointView, NewEndpoint};
use crate::service::webhooks::log::{self, DeliveryPage, DeliveryQuery};
use crate::service::webhooks::signature;
use crate::state::AppState;
use crate::store::entities::DeliveryStatus;

/// The header naming the shop an inbound webhook is for.
const SHOP_HEADER: &str = "c2m-shop";

impl From<InboundError> for ApiError {
    fn from(e: InboundError) -> Self {
        match e {
            InboundError::Signature(detail) => ApiError::BadSignature(detail),
            InboundError::Order(e) => e.into(),
            InboundError::Move(e) => e.into(),
            InboundError::Store(e) => e.into(),
        }
    }
}

/// An order created or cancelled on the shop platform. Signed with the shop's platform
/// webhook secret: `C2M-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
/// with `C2M-Shop: <shop slug>`. Unsigned, wrongly signed, more than 5 minutes off the
/// server's clock, or already accepted (a replay): 401, and nothing changes.
/// `order.created` books the order as `POST /orders` does (201); `order.cancelled`
/// cancels it by reference (200).
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/orders",
    tag = "webhooks",
    request_body = PlatformEvent,
    params(
        ("C2M-Shop" = String, Header, description = "The shop's slug"),
        ("C2M-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256>`"),
    ),
    responses(
        (status = 201, description = "The order, booked", body = OrderView),
        (status = 200, description = "The order, cancelled", body = Moved),
        (status = 401, description = "Unsigned, wrongly signed, stale or replayed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No order with that reference (cancellation), or no such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "As `POST /orders` and status moves refuse", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body; `errors[].field` names the field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_platform_order(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let headers = request.headers().clone();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let body = json_body(request, &state).await?;
    let signed = Signed {
        shop: text(SHOP_HEADER),
        signature: text(signature::HEADER),
        body: &body,
    };
    let from = platform::authenticate(&state.db, &signed).await?;
    let event: PlatformEvent = parse(&body)?;
    Ok(
        match platform::apply_notification(&state.db, &state.quoting, &state.orders, from, &body, event)
            .await?
        {
            Handled::Booked(placed) => {
                let status = if placed.replayed {
                    StatusCode::OK
                } else {
                    StatusCode::CREATED
                };
                (status, Json(placed.order)).into_response()
            }
            Handled::Cancelled(moved) => Json(*moved).into_response(),
        },
    )
}

/// Registers an endpoint for the shop's events. The answer carries `secret`, the key
/// every delivery to it is signed with, once: keep it. Takes `Idempotency-Key`.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/endpoints",
    tag = "webhooks",
    request_body = NewEndpoint,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes the request safe to repeat: 1 to 255 printable ASCII characters (a UUID, say)")),
    security(("secret_key" = [])),
    responses(
        (status = 201, description = "The endpoint, with its signing secret", body = EndpointView),
        (status = 200, description = "The endpoint an earlier request with this Idempotency-Key registered", body = EndpointView),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid URL or event, or reused Idempotency-Key", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_endpoint(
    caller: SecretCaller,
    State(state): State<AppState>,
    request: IdempotentJson<NewEndpoint>,
) -> Result<Response, ApiError> {
    let w = caller.write(&state).await?;
    let (endpoint, replayed) = endpoints::register_endpoint(w, request.body, request.key.as_ref()).await?;
    Ok(created(replayed, endpoint))
}

/// The shop's endpoints, newest first, a page at a time (secrets are not shown again).
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/endpoints",
    tag = "webhooks",
    params(PageParams),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "A page of endpoints", body = EndpointPage),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_endpoints(
    caller: SecretCaller,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Json<EndpointPage>, ApiError> {
    let window = Window::of(ENDPOINT_CURSOR, params.limit, params.cursor.as_deref())?;
    Ok(Json(endpoints::page(&state.db, caller.shop.id, window).await?))
}

/// Stops sending to an endpoint; its delivery log stays.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/endpoints/{id}",
    tag = "webhooks",
    params(("id" = i64, Path, description = "Endpoint id")),
    security(("secret_key" = [])),
    responses(
        (status = 204, description = "Removed (or removed already: a repeat changes nothing)"),
        (status = 404, description = "No endpoint with that id in this shop", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_endpoint(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let w = caller.write(&state).await?;
    endpoints::remove_endpoint(w, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which deliveries `GET /webhooks/deliveries` lists.
#[derive(Clone, Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryParams {
    /// Only to this endpoint.
    pub endpoint: Option<i64>,
    /// Only in this status (`pending`, `delivered`, `failed`; empty: any).
    #[param(pattern = "^(pending|delivered|failed)?$")]
    pub status: Option<String>,
    /// Per page, 1 to 200 (50 unless said).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The delivery log, newest first: each event to each endpoint, its attempts and the
/// last answer.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/deliveries",
    tag = "webhooks",
    params(DeliveryParams),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryPage),
        (status = 422, description = "Invalid status, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_deliveries(
    caller: SecretCaller,
    State(state): State<AppState>,
    Query(params): Query<DeliveryParams>,
) -> Result<Json<DeliveryPage>, ApiError> {
    // An empty filter (`?status=`) filters nothing.
    let status = match params.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(DeliveryStatus::parse(s).ok_or_else(|| ApiError::Invalid {
            field: "status".into(),
            detail: format!("`{s}` is not a delivery status (pending, delivered, failed)"),
        })?),
    };
    let query = DeliveryQuery {
        endpoint: params.endpoint,
        status,
        limit: params.limit,
        cursor: params.cursor,
    };
    Ok(Json(log::list(&state.db, caller.shop.id, &query).await?))
}

impl From<supply::ConfirmationError> for ApiError {
    fn from(e: supply::ConfirmationError) -> Self {
        match e {
            supply::ConfirmationError::Signature(detail) => ApiError::BadSignature(detail),
            supply::ConfirmationError::Write(e) => e.into(),
        }
    }
}

/// A supplier confirms one of its purchase orders (from its portal, or its system on
/// receiving `purchase_order.sent`). Signed with the supplier's endpoint's secret:
/// `C2M-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with
/// `C2M-Shop: <shop slug>`. A draft is confirmed at the supplier's `eta` (it now counts
/// for quotes), with the supplier's reference and the time recorded, audited as
/// `supplier:<code>`; the same confirmation again answers the order as it is.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/suppliers/{code}/confirmations",
    tag = "webhooks",
    request_body = supply::SupplierConfirmation,
    params(
        ("code" = String, Path, description = "The supplier's code at the shop"),
        ("C2M-Shop" = String, Header, description = "The shop's slug"),
        ("C2M-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256>`"),
    ),
    responses(
        (status = 200, description = "The purchase order, confirmed", body = supply::ConfirmedOrder),
        (status = 401, description = "Unsigned, wrongly signed or stale; or no such shop, supplier or supplier endpoint", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No purchase order with that reference from this supplier", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cancelled, received, confirmed by the shop already, or confirmed for another day", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, or a day in the past; `errors[].field` names the field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_supplier_confirmation(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Result<Json<supply::ConfirmedOrder>, ApiError> {
    let headers = request.headers().clone();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let body = json_body(request, &state).await?;
    let row = supply::confirm_by_supplier(
        &state.db,
        text(SHOP_HEADER),
        &code,
        text(signature::HEADER),
        &body,
    )
    .await?;
    Ok(Json(row))
}
