//! Registering, listing and removing the endpoints a shop's events go to.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::EventKind;
use crate::service::idempotency::{self, Idempotency, Stored};
use crate::service::{WriteError, cursor, invalid};
use crate::store::entities::{suppliers, webhook_endpoints};
use crate::store::{Change, ShopWrite, StoreError};

/// An endpoint to register (`POST /api/v1/webhooks/endpoints`).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// Where to POST events: `https://…`, or `http://` to a loopback address (local
    /// development and tests).
    #[schema(pattern = r"^(https://[^/?#\s]+|http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?([/?#]|$))")]
    pub url: String,
    /// The kinds it takes, at least one; every kind when absent (a supplier's:
    /// `purchase_order.sent`, the only kind it may take).
    #[serde(default)]
    #[schema(value_type = Option<Vec<super::EventKind>>, min_items = 1)]
    pub events: Option<Vec<String>>,
    /// A supplier's code: the endpoint is that supplier's (its portal), and takes the
    /// `purchase_order.sent` events of its purchase orders only. The same secret signs
    /// the supplier's confirmations back
    /// (`POST /api/v1/webhooks/suppliers/{code}/confirmations`).
    #[serde(default)]
    pub supplier: Option<String>,
}

/// A registered endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EndpointView {
    /// Its id.
    pub id: i64,
    /// Where events go.
    pub url: String,
    /// The kinds it takes.
    pub events: Vec<String>,
    /// Whether it still receives events (a removed one keeps its delivery log).
    pub active: bool,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// The key deliveries are signed with: shown once, in the answer that creates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The supplier whose endpoint it is (its row id), for a supplier's portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_id: Option<i64>,
}

impl EndpointView {
    fn of(row: webhook_endpoints::Model, secret: Option<String>) -> Self {
        EndpointView {
            supplier_id: row.supplier_id,
            id: row.id,
            url: row.url,
            events: row.events.split(',').map(str::to_string).collect(),
            active: row.active,
            created_at: row.created_at,
            secret,
        }
    }
}

/// Checks an endpoint's URL: absolute, `https`, or `http` to a loopback host.
fn checked_url(url: &str) -> Result<reqwest::Url, WriteError> {
    let url = url.trim();
    if url.len() > 2_000 {
        return Err(invalid("url", "must be at most 2000 characters"));
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid("url", format!("is not a URL: {e}")))?;
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        "http" => Err(invalid(
            "url",
            "must use https (http only to localhost, for development)",
        )),
        other => Err(invalid("url", format!("must be https, not `{other}`"))),
    }
}

/// Registers `new` for `w`'s shop; the answer carries the signing secret, once. With
/// `key`, a repeat of the same request answers the first one's endpoint again
/// (`true`: replayed) and registers nothing.
pub async fn register_endpoint(
    mut w: ShopWrite,
    new: NewEndpoint,
    key: Option<&Idempotency>,
) -> Result<(EndpointView, bool), WriteError> {
    if let Some(key) = key {
        match idempotency::lookup(&w, key).await? {
            Ok(Stored::Replay(view)) => return Ok((view, true)),
            Ok(Stored::Fresh) => {}
            Err(reused) => return Err(invalid("Idempotency-Key", reused.to_string())),
        }
    }
    let url = checked_url(&new.url)?;
    let supplier = match new.supplier.as_deref().map(str::trim) {
        None => None,
        Some(code) => Some(
            suppliers::Entity::find()
                .filter(suppliers::Column::ShopId.eq(w.shop()))
                .filter(suppliers::Column::Code.eq(code))
                .one(&w)
                .await?
                .ok_or_else(|| invalid("supplier", format!("no supplier `{code}` in this shop")))?,
        ),
    };
    let kinds = match &new.events {
        None if supplier.is_some() => vec![EventKind::PurchaseOrderSent],
        None => EventKind::ALL.to_vec(),
        Some(names) if names.is_empty() => {
            return Err(invalid(
                "events",
                "must name at least one event (or be left out for all)",
            ));
        }
        Some(names) => {
            let mut kinds = Vec::new();
            for name in names {
                let kind = EventKind::parse(name).ok_or_else(|| {
                    invalid(
                        "events",
                        format!(
                            "`{name}` is not an event; one of {}",
                            EventKind::ALL.map(EventKind::as_str).join(", ")
                        ),
                    )
                })?;
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            kinds
        }
    };
    if supplier.is_some() && kinds != [EventKind::PurchaseOrderSent] {
        return Err(invalid(
            "events",
            "a supplier's endpoint takes `purchase_order.sent` only: a supplier hears of its own orders, nothing else",
        ));
    }
    let secret = format!("whsec_{}", crate::auth::keys::random_secret());
    let events: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let row = webhook_endpoints::ActiveModel {
        shop_id: Set(w.shop()),
        url: Set(url.to_string()),
        secret: Set(secret.clone()),
        events: Set(events.join(",")),
        active: Set(true),
        created_at: Set(w.now()),
        supplier_id: Set(supplier.as_ref().map(|s| s.id)),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    w.record(
        Change::new("webhook_endpoint.create", "webhook_endpoint", row.id.to_string())
            .after(json!({"url": row.url, "events": row.events, "supplier": new.supplier}))
            .leaves_quotes(),
    )
    .await?;
    let view = EndpointView::of(row, Some(secret));
    if let Some(key) = key {
        idempotency::store(&w, key, 201, &view).await?;
    }
    w.commit().await?;
    Ok((view, false))
}

/// Stops sending to endpoint `id` (its delivery log stays; pending deliveries to it
/// are not attempted again). Removing an endpoint already removed succeeds and changes
/// nothing, as a repeated `DELETE` must: a client retrying after a lost answer, or
/// replaying the request that registered it, is not told it does not exist.
pub async fn remove_endpoint(mut w: ShopWrite, id: i64) -> Result<(), WriteError> {
    let row = webhook_endpoints::Entity::find_by_id(id)
        .filter(webhook_endpoints::Column::ShopId.eq(w.shop()))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no webhook endpoint {id} in this shop")))?;
    if !row.active {
        return Ok(());
    }
    let url = row.url.clone();
    let mut active: webhook_endpoints::ActiveModel = row.into();
    active.active = Set(false);
    active.update(&w).await?;
    w.record(
        Change::new("webhook_endpoint.remove", "webhook_endpoint", id.to_string())
            .before(Some(json!({"url": url, "active": true})))
            .after(json!({"url": url, "active": false}))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// A page of the shop's endpoints.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EndpointPage {
    /// The endpoints, newest first (without their secrets).
    pub items: Vec<EndpointView>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// The page `window` asks for of the shop's endpoints, newest first.
pub async fn page(
    db: &impl ConnectionTrait,
    shop_id: i64,
    window: cursor::Window,
) -> Result<EndpointPage, StoreError> {
    let mut select = webhook_endpoints::Entity::find().filter(webhook_endpoints::Column::ShopId.eq(shop_id));
    if let Some(below) = window.below {
        select = select.filter(webhook_endpoints::Column::Id.lt(below));
    }
    let mut rows = select
        .order_by_desc(webhook_endpoints::Column::Id)
        .limit(window.fetch())
        .all(db)
        .await?;
    let next_cursor = window.cut(ENDPOINT_CURSOR, &mut rows, |r| r.id);
    Ok(EndpointPage {
        items: rows.into_iter().map(|row| EndpointView::of(row, None)).collect(),
        next_cursor,
    })
}

/// The kind of the endpoint list's cursors.
pub const ENDPOINT_CURSOR: &str = "endpoint";
