//! Publishing an event: in the caller's unit of work, so the event is stored exactly
//! when the change it tells of is (a rolled-back order publishes nothing, a committed one
//! cannot lose its event). [`super::deliver`] sends it afterwards.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde_json::{Value, json};

use super::EventKind;
use crate::store::entities::{DeliveryStatus, webhook_deliveries, webhook_endpoints, webhook_events};
use crate::store::{ShopWrite, StoreError, bulk};

/// The body of every delivery: `{"id", "type", "created_at", "data"}`.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EventBody {
    /// Unique per event (`evt_…`): a receiver that sees an id twice ignores the second.
    pub id: String,
    /// `order.promised`, `order.status_changed`, `order.late_risk` or
    /// `purchase_order.sent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When the change happened (RFC 3339).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// What the event is about (for orders: `{"order": …}` and the kind's own fields).
    #[schema(value_type = Object)]
    pub data: Value,
}

/// Stores event `kind` with `data` for every active endpoint of the merchant's that
/// takes it, in `w`'s transaction. A shop with no such endpoint stores nothing.
pub(crate) async fn publish(w: &ShopWrite, kind: EventKind, data: Value) -> Result<(), StoreError> {
    publish_to(w, kind, data, None).await
}

/// [`publish`], and to supplier `supplier`'s own endpoints: an event about one of its
/// purchase orders.
pub(crate) async fn publish_for_supplier(
    w: &ShopWrite,
    kind: EventKind,
    data: Value,
    supplier: i64,
) -> Result<(), StoreError> {
    publish_to(w, kind, data, Some(supplier)).await
}

/// The endpoints of `w`'s shop that would take `kind` about `supplier`'s order: the
/// merchant's that subscribed to it, and the supplier's own.
pub(crate) async fn endpoints_for(
    w: &ShopWrite,
    kind: EventKind,
    supplier: Option<i64>,
) -> Result<Vec<webhook_endpoints::Model>, StoreError> {
    Ok(webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::ShopId.eq(w.shop()))
        .filter(webhook_endpoints::Column::Active.eq(true))
        .all(w)
        .await?
        .into_iter()
        .filter(|e| e.supplier_id.is_none() || e.supplier_id == supplier)
        .filter(|e| super::takes(&e.events, kind))
        .collect())
}

/// The merchant's endpoints that take one kind of event, read once for several
/// writes in one unit of work that each publish it (a group of bookings).
pub(crate) struct Listeners {
    kind: EventKind,
    endpoints: Vec<webhook_endpoints::Model>,
}

impl Listeners {
    /// The endpoints of `w`'s shop that take `kind` (as [`publish`] reads them).
    pub(crate) async fn of(w: &ShopWrite, kind: EventKind) -> Result<Listeners, StoreError> {
        Ok(Listeners {
            kind,
            endpoints: endpoints_for(w, kind, None).await?,
        })
    }

    /// [`publish`] of one event of this kind per `data`, to these endpoints, in one
    /// statement per table (per [`bulk::CHUNK`] rows) however many there are. Valid in
    /// the unit of work the endpoints were read in (no write to them comes between).
    pub(crate) async fn publish(&self, w: &ShopWrite, data: Vec<Value>) -> Result<(), StoreError> {
        store(w, self.kind, data, &self.endpoints).await
    }
}

async fn publish_to(
    w: &ShopWrite,
    kind: EventKind,
    data: Value,
    supplier: Option<i64>,
) -> Result<(), StoreError> {
    let endpoints = endpoints_for(w, kind, supplier).await?;
    store(w, kind, vec![data], &endpoints).await
}

/// Stores an event `kind` per `data` and a delivery of each to each of `endpoints`, one
/// statement per table (per [`bulk::CHUNK`] rows); nothing when there are no endpoints.
async fn store(
    w: &ShopWrite,
    kind: EventKind,
    data: Vec<Value>,
    endpoints: &[webhook_endpoints::Model],
) -> Result<(), StoreError> {
    if endpoints.is_empty() || data.is_empty() {
        return Ok(());
    }
    let events: Vec<_> = data.into_iter().map(|data| event_row(w, kind, data)).collect();
    let stored = bulk::insert_returning(w, events).await?;
    let deliveries = stored
        .iter()
        .flat_map(|event| deliveries(w, event.id, endpoints))
        .collect();
    bulk::insert_all(w, deliveries).await?;
    Ok(())
}

/// The row of a new event `kind` with `data`, under a fresh event id.
fn event_row(w: &ShopWrite, kind: EventKind, data: Value) -> webhook_events::ActiveModel {
    let body = EventBody {
        id: format!("evt_{}", &crate::auth::keys::random_secret()[..32]),
        kind: kind.as_str().to_string(),
        created_at: w.now(),
        data,
    };
    webhook_events::ActiveModel {
        shop_id: Set(w.shop()),
        event_id: Set(body.id.clone()),
        kind: Set(body.kind.clone()),
        payload: Set(serde_json::to_string(&body).expect("an event serialises")),
        created_at: Set(w.now()),
        ..Default::default()
    }
}

/// A pending delivery of event `event` to each of `endpoints`, due now.
fn deliveries(
    w: &ShopWrite,
    event: i64,
    endpoints: &[webhook_endpoints::Model],
) -> impl Iterator<Item = webhook_deliveries::ActiveModel> {
    let now = w.now();
    endpoints.iter().map(move |e| webhook_deliveries::ActiveModel {
        event_id: Set(event),
        endpoint_id: Set(e.id),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    })
}

/// `data` of an order event: the order, and what the kind adds.
pub fn order_data(order: &impl Serialize, extra: Value) -> Value {
    let mut data = json!({ "order": order });
    if let (Some(data), Value::Object(extra)) = (data.as_object_mut(), extra) {
        data.extend(extra);
    }
    data
}
