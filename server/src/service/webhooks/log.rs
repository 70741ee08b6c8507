//! The delivery log: what was sent where, how often, and how it was answered.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::service::{WriteError, cursor};
use crate::store::entities::{DeliveryStatus, webhook_deliveries, webhook_endpoints, webhook_events};

/// One event to one endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    /// The delivery's id.
    pub id: i64,
    /// The event's id (`evt_…`), as the receiver sees it.
    pub event_id: String,
    /// The event's kind.
    #[serde(rename = "type")]
    pub kind: String,
    /// The endpoint's id and URL.
    pub endpoint_id: i64,
    /// Where it goes.
    pub url: String,
    /// `pending`, `delivered` or `failed`.
    #[schema(value_type = String)]
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i32,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// The last attempt.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The next attempt, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The last answer's HTTP status.
    pub response_status: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A page of the log, newest first.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryPage {
    /// The deliveries.
    pub items: Vec<DeliveryView>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Which deliveries to list.
#[derive(Clone, Debug, Default)]
pub struct DeliveryQuery {
    /// Only to this endpoint.
    pub endpoint: Option<i64>,
    /// Only in this status.
    pub status: Option<DeliveryStatus>,
    /// Per page, 1 to 200 (50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of shop `shop_id`'s delivery log.
pub async fn list(
    db: &impl ConnectionTrait,
    shop_id: i64,
    query: &DeliveryQuery,
) -> Result<DeliveryPage, WriteError> {
    let window = cursor::Window::of("delivery", query.limit, query.cursor.as_deref())?;
    let endpoints: HashMap<i64, String> = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.url))
        .collect();
    if endpoints.is_empty() {
        return Ok(DeliveryPage {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    let mut select = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::EndpointId.is_in(endpoints.keys().copied()));
    if let Some(endpoint) = query.endpoint {
        select = select.filter(webhook_deliveries::Column::EndpointId.eq(endpoint));
    }
    if let Some(status) = query.status {
        select = select.filter(webhook_deliveries::Column::Status.eq(status));
    }
    if let Some(below) = window.below {
        select = select.filter(webhook_deliveries::Column::Id.lt(below));
    }
    let mut rows = select
        .order_by_desc(webhook_deliveries::Column::Id)
        .limit(window.fetch())
        .all(db)
        .await?;
    let next_cursor = window.cut("delivery", &mut rows, |r| r.id);
    let events: HashMap<i64, webhook_events::Model> = webhook_events::Entity::find()
        .filter(webhook_events::Column::Id.is_in(rows.iter().map(|d| d.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let items = rows
        .into_iter()
        .map(|d| {
            let event = events.get(&d.event_id);
            DeliveryView {
                id: d.id,
                event_id: event.map(|e| e.event_id.clone()).unwrap_or_default(),
                kind: event.map(|e| e.kind.clone()).unwrap_or_default(),
                endpoint_id: d.endpoint_id,
                url: endpoints.get(&d.endpoint_id).cloned().unwrap_or_default(),
                status: d.status,
                attempts: d.attempts,
                created_at: event.map_or(d.next_attempt_at, |e| e.created_at),
                last_attempt_at: d.last_attempt_at,
                next_attempt_at: (d.status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
                response_status: d.response_status,
                last_error: d.last_error,
                delivered_at: d.delivered_at,
            }
        })
        .collect();
    Ok(DeliveryPage { items, next_cursor })
}
