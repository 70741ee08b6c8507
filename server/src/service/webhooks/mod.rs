//! Webhooks: events out to the merchant's endpoints, and order notifications in from
//! the shop platform. Both are signed the same way ([`signature`]).
//!
//! Out: a change that others should hear of publishes an event in its own unit of work
//! ([`outbox::publish`]), so the event is stored exactly when the change commits: the
//! outbox is the database, and nothing acknowledged is lost to a crash between commit
//! and send. [`deliver`] sends what is due, retrying with backoff; each endpoint
//! deduplicates by the event's id. [`endpoints`] registers and lists them, [`log`]
//! reads the delivery log.
//!
//! In: the shop platform's signed order notifications are the orders service's
//! (`service::orders::platform`), checked with the same [`signature`].

pub mod deliver;
pub mod endpoints;
pub mod log;
pub mod outbox;
pub mod signature;

/// The events an endpoint can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub enum EventKind {
    /// An order was booked: its promised dates, price and plan.
    #[serde(rename = "order.promised")]
    OrderPromised,
    /// An order moved to another status.
    #[serde(rename = "order.status_changed")]
    OrderStatusChanged,
    /// An open order's plan no longer holds its promise (an inbound line slipped or was
    /// cancelled, or the promised day passed).
    #[serde(rename = "order.late_risk")]
    OrderLateRisk,
    /// A purchase order was sent to its supplier: what to deliver, where and by when
    /// (a supplier's endpoint takes these of its own orders only).
    #[serde(rename = "purchase_order.sent")]
    PurchaseOrderSent,
}

impl EventKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [EventKind; 4] = [
        EventKind::OrderPromised,
        EventKind::OrderStatusChanged,
        EventKind::OrderLateRisk,
        EventKind::PurchaseOrderSent,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::OrderPromised => "order.promised",
            EventKind::OrderStatusChanged => "order.status_changed",
            EventKind::OrderLateRisk => "order.late_risk",
            EventKind::PurchaseOrderSent => "purchase_order.sent",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Whether an endpoint subscribed to `events` (stored comma-separated) takes `kind`.
fn takes(events: &str, kind: EventKind) -> bool {
    events.split(',').any(|e| e.trim() == kind.as_str())
}
