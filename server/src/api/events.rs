//! `POST /api/v1/events`: presale heat from the widget and the shop's server, in batches.
//!
//! A 2xx means the accepted events are committed. By default one bad event refuses
//! the whole batch, naming every bad event's field (`events[3].kind`); with
//! `"partial": true` the valid events are stored and the bad ones listed in the
//! receipt. Ids already stored for the shop are skipped, so a client resends a batch
//! it got no answer for. The key may come in the body, because `navigator.sendBeacon`
//! cannot set headers; the origin is checked here, server-side, because a no-cors
//! beacon reaches the server whatever CORS says. Checked batches go to the ingestion
//! queue (`crate::ingest`), which commits whatever has queued in one transaction.

mod check;

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use chrono::{DateTime, Utc};
use engine::Selection;

use super::caller::{PublicCaller, key_of};
use super::json::BeaconJson;
use super::problem::{ApiError, FieldError, Problem};
use crate::ingest::IngestError;
use crate::quoting::StoredProduct;
use crate::state::AppState;
use crate::store::heat::{Batch, HeatKind};

/// A batch of shopper signals.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// The publishable key, for `navigator.sendBeacon`, which cannot send headers; used
    /// only when the request has no `Authorization` header.
    pub key: Option<String>,
    /// Store the valid events of a batch with invalid ones, and list the invalid ones
    /// in the receipt. Default `false`: one invalid event refuses the whole batch.
    #[serde(default)]
    pub partial: bool,
    /// 1 to 500 events.
    #[schema(value_type = Vec<HeatEvent>, min_items = 1, max_items = 500)]
    pub events: Vec<serde_json::Value>,
}

/// One shopper signal. Kinds and fields map one-to-one onto GA4's e-commerce events
/// (`docs/ga4.md`); GA4's names are accepted for the kind, and `item_variant` for the
/// value picked or the configuration.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatEvent {
    /// Client-made id, 8 to 64 characters of `A-Z a-z 0-9 _ -`, unique in the shop: an
    /// id already stored is skipped.
    #[schema(pattern = "^[A-Za-z0-9_-]{8,64}$")]
    pub id: String,
    /// What happened (`view` or `view_item`, `option_select` or `select_item`,
    /// `favorite` or `add_to_wishlist`, `add_to_cart`, `preorder`, `purchase`).
    /// `purchase` needs a secret key: purchases come from the shop's server, not from
    /// web pages.
    pub kind: HeatKind,
    /// The product's slug (GA4 `item_id`).
    pub product: String,
    /// `option_select` only: the group of the value picked (or use `item_variant`).
    pub group: Option<String>,
    /// `option_select` only: the value picked (or use `item_variant`).
    pub value: Option<String>,
    /// `favorite`, `add_to_cart`, `preorder`, `purchase` only, optional: the
    /// configuration, value codes per group code, checked as a quote's selection.
    #[schema(value_type = Option<Object>)]
    pub selection: Option<Selection>,
    /// GA4's `item_variant`: for `option_select`, the value picked as `group.value`;
    /// for the other configured kinds, the configuration as `group.value,group.value`
    /// (instead of `selection`).
    pub item_variant: Option<String>,
    /// Client-made session id, 1 to 64 characters of `A-Z a-z 0-9 _ -`.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,64}$")]
    pub session: String,
    /// When it happened, RFC 3339; at most a day ahead of the server's clock, and at
    /// most 72 hours behind it from web pages (30 days with the secret key). Absent:
    /// when the server received it.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// What became of a committed batch.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// Events in the batch.
    pub received: usize,
    /// Valid events (all of them unless `partial` was asked for).
    pub accepted: usize,
    /// Valid events not stored before (0 for a replayed batch).
    pub stored: u64,
    /// With `partial`: each invalid event, not stored.
    pub rejected: Vec<Rejected>,
}

/// An invalid event of a partially accepted batch.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Rejected {
    /// Its index in the batch.
    pub index: usize,
    /// Its first bad field (`events[3].kind`).
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

/// Stores a batch of presale heat events (view, option_select, favorite, add_to_cart,
/// preorder; purchase with a secret key), once per event id: all or nothing, or with
/// `"partial": true` the valid ones. The body may be sent as `text/plain` with the key
/// in it, as `navigator.sendBeacon` does.
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "public",
    request_body(
        description = "JSON, sent as `application/json` or (by `navigator.sendBeacon`) `text/plain`; at most 512 KB",
        content((EventBatch = "application/json"), (EventBatch = "text/plain"))
    ),
    security(("publishable_key" = [])),
    responses(
        (status = 200, description = "The accepted events are committed", body = Receipt),
        (status = 401, description = "No or unknown key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Origin not allowed, a publishable key without `Origin` (not from a browser), or a secret key from a web page; nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 512 KB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither `application/json` nor `text/plain`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid events (without `partial`); `errors[].field` names each (`events[3].kind`); nothing stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    BeaconJson(batch): BeaconJson<EventBatch>,
) -> Result<Json<Receipt>, ApiError> {
    let key = key_of(&headers, batch.key.as_deref())?;
    let caller = PublicCaller::authorize(&state, &headers, key).await?;
    // A browser sends `Origin` with every POST (a beacon's too), so a publishable key
    // without one is a script outside a browser replaying the key from a page: its
    // events would pass for shoppers' and steer alerts and demand. Servers have the
    // secret key.
    if !caller.is_secret() && !headers.contains_key(header::ORIGIN) {
        return Err(ApiError::Forbidden(
            "events with the publishable key come from web pages, which send `Origin`; send them from a server with the secret key".into(),
        ));
    }
    check::size(&batch.events)?;
    let shop = caller.shop();
    // The catalogs come from the quote service's snapshot: no database read per batch.
    let snapshot = state.quoting.snapshot(shop).await?;
    let products: HashMap<String, StoredProduct<'_>> = batch
        .events
        .iter()
        .filter_map(check::product_of)
        .filter_map(|slug| Some((slug.to_string(), snapshot.stored_product(slug)?)))
        .collect();
    let rules = check::Rules {
        now: (state.clock)(),
        purchases: caller.is_secret(),
        max_age: if caller.is_secret() {
            check::MAX_AGE_FROM_SERVERS
        } else {
            check::MAX_AGE_FROM_PAGES
        },
        tz: shop.timezone.parse().unwrap_or(chrono_tz::UTC),
    };
    let checked = check::events(&batch.events, &products, &rules);
    if !checked.rejected.is_empty() && !batch.partial {
        return Err(checked.refusal());
    }
    let accepted = checked.accepted.len();
    let stored = if accepted == 0 {
        0
    } else {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        let batch = Batch {
            shop_id: shop.id,
            origin: origin.map(str::to_string),
            events: checked.accepted,
        };
        state.ingest.write(batch).await.map_err(|e| match e {
            IngestError::Db(e) if crate::store::unavailable(&e) => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::database_unavailable()
            }
            IngestError::Db(e) => ApiError::Internal(anyhow::anyhow!("storing heat events: {e}")),
            IngestError::Stopped => ApiError::Internal(anyhow::anyhow!("the ingestion writer has stopped")),
        })?
    };
    Ok(Json(Receipt {
        received: batch.events.len(),
        accepted,
        stored,
        rejected: checked
            .rejected
            .into_iter()
            .map(|(index, FieldError { field, detail })| Rejected { index, field, detail })
            .collect(),
    }))
}
