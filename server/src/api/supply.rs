//! Secret-key endpoints that change stock, what is kept for a channel, and capacity
//! (and so the next quote).

use axum::Json;
use axum::extract::State;

use super::extract::{Path, Query};

use super::caller::SecretCaller;
use super::json::ApiJson;
use super::paging::PageParams;
use super::problem::{ApiError, Problem};
use crate::service::WriteError;
use crate::service::capacity::{self, Capacity};
use crate::service::cursor::Window;
use crate::service::supply::{
    self, ALLOCATION_CURSOR, Allocation, AllocationPage, Keep, LEAD_TIME_CURSOR, LeadTimePage, Promises,
    Rescheduled, StockLevel,
};
use crate::state::AppState;

/// A stock count.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockCount {
    /// Units on hand now (not below what is reserved for orders).
    #[schema(minimum = 0)]
    pub on_hand: i64,
    /// Why it changes (kept in the audit log), not blank.
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
}

/// A supplier's new date for an inbound line.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEta {
    /// The day the line is now expected (today or later).
    pub eta: chrono::NaiveDate,
}

/// A work center's daily capacity.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityChange {
    /// Minutes per working day, 0 to 1440.
    #[schema(minimum = 0, maximum = 1440)]
    pub minutes_per_day: i32,
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::NotFound(detail) => ApiError::NotFound(detail),
            WriteError::Invalid { field, detail } => ApiError::Invalid {
                field: field.to_string(),
                detail,
            },
            WriteError::Conflict(detail) => ApiError::Conflict(detail),
            WriteError::Store(e) => e.into(),
        }
    }
}

/// Sets the on-hand stock of a material at a node; the shop's state version goes up,
/// so the next quote reflects it.
#[utoipa::path(
    put,
    path = "/api/v1/materials/{sku}/stock/{node}",
    tag = "supply",
    params(("sku" = String, Path, description = "Material SKU"), ("node" = String, Path, description = "Node code")),
    request_body = StockCount,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The new stock level", body = StockLevel),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such material or node", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The stock row changed while this count was written; nothing was saved", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid count", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_stock(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path((sku, node)): Path<(String, String)>,
    ApiJson(count): ApiJson<StockCount>,
) -> Result<Json<StockLevel>, ApiError> {
    let write = caller.write(&state).await?;
    let level = supply::set_stock(write, &sku, &node, count.on_hand, &count.reason).await?;
    Ok(Json(level))
}

/// Sets a work center's minutes per working day; the shop's state version goes up.
#[utoipa::path(
    put,
    path = "/api/v1/work-centers/{code}/capacity",
    tag = "supply",
    params(("code" = String, Path, description = "Work center code")),
    request_body = CapacityChange,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The new capacity", body = Capacity),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such work center", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid capacity", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_capacity(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiJson(change): ApiJson<CapacityChange>,
) -> Result<Json<Capacity>, ApiError> {
    let write = caller.write(&state).await?;
    let capacity = capacity::set_capacity(write, &code, change.minutes_per_day).await?;
    Ok(Json(capacity))
}

/// Moves an inbound line (draft or confirmed) to a new expected day: a purchase order
/// that slipped, or came early. Quotes see it at once; the orders holding its units are
/// checked for late risk in the same write, and those it makes late are flagged and
/// announced (`order.late_risk`); their late units then raise a `late_supply` alert
/// in the inbox, covered internal first.
#[utoipa::path(
    put,
    path = "/api/v1/inbound/{id}/eta",
    tag = "supply",
    params(("id" = i64, Path, description = "Inbound line id")),
    request_body = NewEta,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The line's old and new day, and how many orders it put at risk", body = Rescheduled),
        (status = 404, description = "No such inbound line", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The line is received or cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day in the past", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_inbound_eta(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<NewEta>,
) -> Result<Json<Rescheduled>, ApiError> {
    let today = state.quoting.today(&caller.shop);
    let write = caller.write(&state).await?;
    let mut rescheduled = supply::reschedule_inbound(write, id, change.eta, today).await?;
    if rescheduled.orders_now_at_risk > 0 {
        rescheduled.alerts_raised = crate::service::recompute::after_late_risk(&state.db, &caller.shop).await;
    }
    Ok(Json(rescheduled))
}

/// A purchase order placed for what orders wait on.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AwaitedLine {
    /// The inbound line's id.
    pub id: i64,
    /// Its reference (`PO-1042`).
    pub reference: String,
    /// Material SKU.
    pub sku: String,
    /// Supplier code.
    pub supplier: Option<String>,
    /// Destination node code.
    pub node: String,
    /// Units ordered: what the orders wait on, rounded up to the supplier's minimum and
    /// pack size.
    pub quantity: i64,
    /// When it is expected: today plus the supplier's declared lead time.
    pub eta: chrono::NaiveDate,
}

/// The purchase orders placed.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AwaitedLines {
    /// One per material, node and supplier orders waited on; empty when none waited.
    pub items: Vec<AwaitedLine>,
}

/// Places, confirmed, a purchase order for every material open orders wait on (their
/// `supplier_order` reservations) with the material's fastest supplier; the waiting
/// reservations then hold the new line's units. Calling it again places nothing new
/// until another order waits.
#[utoipa::path(
    post,
    path = "/api/v1/purchase-orders/awaited",
    tag = "supply",
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The purchase orders placed", body = AwaitedLines),
        (status = 409, description = "Orders wait for a material no active supplier offers any more", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_awaited(
    caller: SecretCaller,
    State(state): State<AppState>,
) -> Result<Json<AwaitedLines>, ApiError> {
    let today = state.quoting.today(&caller.shop);
    let write = caller.write(&state).await?;
    let items = supply::raise_awaited(write, today)
        .await?
        .into_iter()
        .map(|l| AwaitedLine {
            id: l.id,
            reference: l.reference,
            sku: l.sku,
            supplier: l.supplier,
            node: l.node,
            quantity: l.quantity,
            eta: l.eta,
        })
        .collect();
    Ok(Json(AwaitedLines { items }))
}

/// Keeps stock of a material at a node for one sales channel: quotes and orders of
/// every other channel leave it alone. Given as `quantity` (units) or `share` (of the
/// node's on-hand stock); replaces what was kept for that channel there.
#[utoipa::path(
    put,
    path = "/api/v1/materials/{sku}/allocations/{node}/{channel}",
    tag = "supply",
    params(
        ("sku" = String, Path, description = "Material SKU"),
        ("node" = String, Path, description = "Node code"),
        ("channel" = String, Path, description = "Sales channel (`wholesale`)", pattern = "^[a-z0-9_-]{1,40}$")
    ),
    request_body = Keep,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "What is kept, and how many units that is now", body = Allocation),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such material or node", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of quantity and share, or out of range, or a bad channel name", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_allocation(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path((sku, node, channel)): Path<(String, String, String)>,
    ApiJson(keep): ApiJson<Keep>,
) -> Result<Json<Allocation>, ApiError> {
    let write = caller.write(&state).await?;
    Ok(Json(
        supply::set_allocation(write, &sku, &node, &channel, keep).await?,
    ))
}

/// Stops keeping stock of a material at a node for a channel.
#[utoipa::path(
    delete,
    path = "/api/v1/materials/{sku}/allocations/{node}/{channel}",
    tag = "supply",
    params(
        ("sku" = String, Path, description = "Material SKU"),
        ("node" = String, Path, description = "Node code"),
        ("channel" = String, Path, description = "Sales channel")
    ),
    security(("secret_key" = [])),
    responses(
        (status = 204, description = "Nothing is kept for the channel there any more"),
        (status = 404, description = "Nothing was kept", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_allocation(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path((sku, node, channel)): Path<(String, String, String)>,
) -> Result<axum::http::StatusCode, ApiError> {
    let write = caller.write(&state).await?;
    supply::remove_allocation(write, &sku, &node, &channel).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// What the shop keeps for its channels, the latest set first, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/allocations",
    tag = "supply",
    params(PageParams),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "A page of allocations with the units each keeps now", body = AllocationPage),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_allocations(
    caller: SecretCaller,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Json<AllocationPage>, ApiError> {
    let window = Window::of(ALLOCATION_CURSOR, params.limit, params.cursor.as_deref())?;
    Ok(Json(
        supply::allocation_page(&state.db, caller.shop.id, window)
            .await
            .map_err(ApiError::from)?,
    ))
}

/// Every supplier offer's lead time: what the supplier declared, what quotes use
/// (declared and received together) and the receipts behind it, newest offer first.
#[utoipa::path(
    get,
    path = "/api/v1/lead-times",
    tag = "supply",
    params(PageParams),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "A page of lead times", body = LeadTimePage),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_lead_times(
    caller: SecretCaller,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Json<LeadTimePage>, ApiError> {
    let window = Window::of(LEAD_TIME_CURSOR, params.limit, params.cursor.as_deref())?;
    let today = state.quoting.today(&caller.shop);
    Ok(Json(
        supply::lead_time_page(&state.db, caller.shop.id, today, window)
            .await
            .map_err(ApiError::from)?,
    ))
}

/// How sure the shop's promises are and whether quotes learn lead times.
#[utoipa::path(
    get,
    path = "/api/v1/settings/promises",
    tag = "supply",
    security(("secret_key" = [])),
    responses((status = 200, description = "The promise settings", body = Promises))
)]
pub async fn get_promises(caller: SecretCaller) -> Json<Promises> {
    Json(supply::promise_settings(&caller.shop).into())
}

/// Sets the promise quantile (0.5 to 0.999) and whether quotes learn lead times; the
/// next quote uses them.
#[utoipa::path(
    put,
    path = "/api/v1/settings/promises",
    tag = "supply",
    request_body = Promises,
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The settings now", body = Promises),
        (status = 422, description = "A quantile out of range or an unknown field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_promises(
    caller: SecretCaller,
    State(state): State<AppState>,
    ApiJson(promises): ApiJson<Promises>,
) -> Result<Json<Promises>, ApiError> {
    let write = caller.write(&state).await?;
    Ok(Json(supply::set_promises(write, promises).await?))
}

/// Sends drafted purchase order `id` to its supplier: a signed `purchase_order.sent`
/// event to the supplier's own webhook endpoint when it has one (`via: webhook`), else
/// the order as a CSV file for its portal (`via: csv`, the file at `csv`). The send is
/// recorded on the order and in the audit log; it stays a draft (and out of quotes)
/// until the supplier confirms it. Sending again re-sends.
#[utoipa::path(
    post,
    path = "/api/v1/purchase-orders/{id}/send",
    tag = "supply",
    params(("id" = i64, Path, description = "The purchase order's inbound line id")),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "How it was sent", body = supply::Sent),
        (status = 404, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A transfer, or no longer a draft", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_send(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<supply::Sent>, ApiError> {
    let write = caller.write(&state).await?;
    Ok(Json(supply::send_purchase_order(write, id).await?))
}

/// Purchase order `id` as a CSV file for its supplier's portal: a header row
/// (`reference,shop,supplier,sku,material,unit,quantity,unit_price,total,currency,ship_to,ship_to_name,requested_eta`)
/// and the order's row.
#[utoipa::path(
    get,
    path = "/api/v1/purchase-orders/{id}/csv",
    tag = "supply",
    params(("id" = i64, Path, description = "The purchase order's inbound line id")),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The file", body = String, content_type = "text/csv"),
        (status = 404, description = "No such purchase order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A transfer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_purchase_order_csv(
    caller: SecretCaller,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (name, text) = supply::purchase_order_csv(&state.db, caller.shop.id, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        text,
    )
        .into_response())
}
