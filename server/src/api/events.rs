//! `POST /api/v1/events`: presale heat from the widget, in batches.
//!
//! A 2xx means the whole batch is committed; one bad event refuses all of it, naming
//! its field (`events[3].kind`). Ids already stored for the shop are skipped, so a
//! client resends a batch it got no answer for. The key may come in the body, because
//! `navigator.sendBeacon` cannot set headers; the origin is checked here, server-side,
//! because a no-cors beacon reaches the server whatever CORS says.

mod check;

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use chrono::{DateTime, Utc};
use engine::Selection;

use super::caller::{PublicCaller, key_of};
use super::json::BeaconJson;
use super::problem::{ApiError, Problem};
use crate::quoting::StoredProduct;
use crate::startup::AppState;
use crate::store::{self, heat::HeatKind};

/// A batch of shopper signals.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// The publishable key, for `navigator.sendBeacon`, which cannot send headers; used
    /// only when the request has no `Authorization` header.
    pub key: Option<String>,
    /// 1 to 500 events.
    pub events: Vec<HeatEvent>,
}

/// One shopper signal.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatEvent {
    /// Client-made id, 8 to 64 characters of `A-Z a-z 0-9 _ -`, unique in the shop: an
    /// id already stored is skipped.
    pub id: String,
    /// What happened. `purchase` needs a secret key: purchases come from the shop's
    /// server, not from web pages.
    pub kind: HeatKind,
    /// The product's slug.
    pub product: String,
    /// `option_select` only (and required there): the group of the value picked.
    pub group: Option<String>,
    /// `option_select` only (and required there): the value picked.
    pub value: Option<String>,
    /// `favorite`, `add_to_cart`, `preorder`, `purchase` only, optional: the
    /// configuration, value codes per group code, checked as a quote's selection.
    #[schema(value_type = Option<Object>)]
    pub selection: Option<Selection>,
    /// Client-made session id, 1 to 64 characters of `A-Z a-z 0-9 _ -`.
    pub session: String,
    /// When it happened, RFC 3339; at most a day ahead of the server's clock and 30
    /// days behind it. Absent: when the server received it.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// What became of a committed batch.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// Events in the batch.
    pub received: usize,
    /// Events not stored before (0 for a replayed batch).
    pub stored: u64,
}

/// Stores a batch of presale heat events (view, option_select, favorite, add_to_cart,
/// preorder), all or nothing, once per event id. The body may be sent as `text/plain`
/// with the key in it, as `navigator.sendBeacon` does.
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "public",
    request_body(
        description = "JSON, sent as `application/json` or (by `navigator.sendBeacon`) `text/plain`; at most 256 KB",
        content((EventBatch = "application/json"), (EventBatch = "text/plain"))
    ),
    security(("publishable_key" = [])),
    responses(
        (status = 200, description = "The whole batch is committed", body = Receipt),
        (status = 401, description = "No or unknown key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Origin not allowed, or a secret key from a web page; nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 256 KB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither `application/json` nor `text/plain`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid event; `errors[].field` names it (`events[3].kind`); nothing stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    BeaconJson(batch): BeaconJson<EventBatch>,
) -> Result<Json<Receipt>, ApiError> {
    let key = key_of(&headers, batch.key.as_deref())?;
    let caller = PublicCaller::authorize(&state, &headers, key).await?;
    check::size(&batch.events)?;
    let shop_id = caller.shop().id;
    // The catalogs come from the quote service's snapshot: no database read per batch.
    let snapshot = state.quoting.snapshot(caller.shop()).await?;
    let products: HashMap<String, StoredProduct<'_>> = batch
        .events
        .iter()
        .filter_map(|e| Some((e.product.clone(), snapshot.stored_product(&e.product)?)))
        .collect();
    let rules = check::Rules {
        now: (state.clock)(),
        purchases: caller.is_secret(),
    };
    let events = check::events(&batch.events, &products, &rules)?;
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    let stored = store::heat::record(&state.db, shop_id, origin, &events).await?;
    Ok(Json(Receipt {
        received: events.len(),
        stored,
    }))
}
