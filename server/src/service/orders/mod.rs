//! Orders: booking what a promise uses, reading orders back, and the order's life.
//!
//! [`Desk::place`] is the one way an order is made: in the shop's unit of work (which
//! holds the shop's write lock, `store::unit`), it re-runs the quote on the current
//! state, checks the quote token the shopper saw, and writes the order with a
//! reservation for every unit its plan takes and a booking for every work-center
//! minute. The unit's commit bumps the state version, so no later quote, here or on
//! another replica, sees those units or minutes as free. Orders arriving together
//! share a unit of work and its commit (`desk.rs`, group commit).

mod admin;
mod batch;
pub mod book;
pub mod consumption;
mod desk;
pub mod freed;
pub mod life;
pub mod operations;
pub mod platform;
pub mod pull_in;
pub mod read;
pub mod risk;
pub mod score;

use app::model::{FulfilmentView, QuoteView};
use chrono::{DateTime, NaiveDate, Utc};
use engine::Selection;
use serde::{Deserialize, Serialize};

use crate::quoting::QuoteError;
use crate::service::WriteError;
use crate::store::entities::{OrderStatus, ReservationSource};

pub use crate::quoting::token::TokenError;
pub use consumption::{Consumption, ConsumptionReport};
pub use desk::Desk;
pub use life::{Moved, StatusMove, move_order};
pub use operations::OperationReport;

/// An order as a shop platform sends it (`POST /api/v1/orders`).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The platform's order reference, unique in the shop, 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub reference: String,
    /// Product slug.
    pub product: String,
    /// Chosen value codes per group code, as quoted.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<String>>)]
    pub selection: Selection,
    /// Units ordered (1 to 1000).
    #[schema(minimum = 1, maximum = 1000)]
    pub quantity: u32,
    /// Sales channel (`web` unless said): 1 to 40 of `a-z 0-9 - _`.
    #[serde(default = "default_channel")]
    #[schema(pattern = "^[a-z0-9_-]{1,40}$")]
    pub channel: String,
    /// The token of the quote the shopper saw: the order is booked at its price and
    /// promise, or refused with the new quote.
    #[serde(default)]
    pub quote_token: Option<String>,
    /// Book even if the promise is now later than the token's.
    #[serde(default)]
    pub accept_later_date: bool,
    /// Take the split delivery the quote proposes (its `split`), when there is one:
    /// the early part and the rest each keep their own promise. Without a split on
    /// offer the order is one delivery.
    #[serde(default)]
    pub split: bool,
}

fn default_channel() -> String {
    "web".to_string()
}

/// An order with what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderView {
    /// Its id.
    pub id: i64,
    /// The platform's reference.
    pub reference: String,
    /// Product slug.
    pub product: String,
    /// Chosen value codes per group code.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<String>>)]
    pub selection: Selection,
    /// Units ordered.
    pub quantity: i64,
    /// Sales channel.
    pub channel: String,
    /// `placed`, `in_production`, `shipped`, `delivered` or `cancelled`.
    #[schema(value_type = String)]
    pub status: OrderStatus,
    /// ISO 4217 currency of the prices.
    pub currency: String,
    /// Price of one unit, minor units.
    pub unit_price_minor: i64,
    /// Price of the order, minor units.
    pub total_minor: i64,
    /// Median delivery date quoted when it was placed.
    pub quoted_p50: NaiveDate,
    /// 90th percentile delivery date quoted when it was placed.
    pub quoted_p90: NaiveDate,
    /// The "arrives by" date promised.
    pub promised_on: NaiveDate,
    /// When it was placed (RFC 3339).
    pub placed_at: DateTime<Utc>,
    /// When it arrived, once delivered.
    pub delivered_on: Option<NaiveDate>,
    /// Why its plan now misses the promise (`risk`: an inbound line it holds slipped or
    /// was cancelled, or the promised day has passed), or `null`.
    pub late_risk: Option<String>,
    /// Where it is made and where every material comes from, as booked (both
    /// deliveries of a split).
    pub plan: Option<FulfilmentView>,
    /// A split delivery's parts, earliest first; `null` for one delivery. The order's
    /// own dates are those of its last part, when it is complete.
    pub deliveries: Option<Vec<DeliveryPromise>>,
    /// Ordered while the product was in presale.
    pub preorder: bool,
    /// The units it holds.
    pub reservations: Vec<ReservationView>,
    /// The work-center minutes it holds.
    pub bookings: Vec<BookingView>,
    /// Its routing's operations in order: planned, booked and, once reported, what
    /// each really took.
    pub operations: Vec<OperationView>,
}

/// One delivery of a split order and what it was promised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryPromise {
    /// Units in it.
    pub quantity: u32,
    /// Its median delivery date as quoted.
    pub quoted_p50: NaiveDate,
    /// Its 90th percentile delivery date as quoted.
    pub quoted_p90: NaiveDate,
    /// The "arrives by" date promised for it.
    pub promised_on: NaiveDate,
}

/// Units an order holds of one material from one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReservationView {
    /// Material SKU.
    pub material: String,
    /// Node code where the units are (or arrive).
    pub node: String,
    /// `stock`, `inbound`, `capacity_reservation` or `supplier_order`.
    #[schema(value_type = String)]
    pub source: ReservationSource,
    /// The inbound line's reference, for `inbound`.
    pub inbound: Option<String>,
    /// Units.
    pub quantity: i64,
}

/// Minutes an order holds of one work center on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BookingView {
    /// Work-center code.
    pub work_center: String,
    /// The day.
    pub day: NaiveDate,
    /// Minutes.
    pub minutes: i32,
}

/// One operation of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OperationView {
    /// Its place in the order's routing, from 0 (the `seq` a report names).
    pub seq: i32,
    /// Work-center code.
    pub work_center: String,
    /// Minutes its routing states for the order's quantity.
    pub planned_minutes: i32,
    /// Minutes booked for it (the routing's at the work center's learned pace).
    pub booked_minutes: i32,
    /// Minutes it really took, once reported.
    pub actual_minutes: Option<i32>,
    /// The day it finished, once reported.
    pub finished_on: Option<NaiveDate>,
}

/// Why an order was not booked. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// A field is wrong, the product is unknown, or the reference is taken.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The selection or quantity is not one the product takes.
    #[error(transparent)]
    Quote(#[from] QuoteError),
    /// The quote token is not one this shop signed for this order, or has expired.
    #[error("quote_token {0}")]
    Token(TokenError),
    /// The token does not describe this order.
    #[error("quote_token was issued for {0}, not for this order")]
    TokenMismatch(&'static str),
    /// The configuration cannot be promised now (frozen or not suppliable).
    #[error("{detail}")]
    Unavailable {
        /// Why, in words.
        detail: String,
        /// The quote now.
        quote: Box<QuoteView>,
    },
    /// The token's promise can no longer be kept, and the request did not accept a
    /// later date.
    #[error("{detail}")]
    PromiseChanged {
        /// What changed, in words.
        detail: String,
        /// The quote now.
        quote: Box<QuoteView>,
    },
    /// The idempotency key was used before with another request.
    #[error("Idempotency-Key `{0}` was used for a different request")]
    KeyReused(String),
}

impl From<sea_orm::DbErr> for OrderError {
    fn from(e: sea_orm::DbErr) -> Self {
        OrderError::Write(e.into())
    }
}

impl OrderError {
    /// Whether this is a refusal of the order itself (a field, the token, the promise,
    /// the key), as opposed to the database failing: a group of bookings answers a
    /// refusal to its order and goes on, and fails whole on the other.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            OrderError::Write(WriteError::Store(_)) | OrderError::Quote(QuoteError::Store(_))
        )
    }
}

impl crate::store::retry::Contention for OrderError {
    fn is_contention(&self) -> bool {
        matches!(self, OrderError::Write(e) if e.is_contention())
    }
}

impl From<crate::store::StoreError> for OrderError {
    fn from(e: crate::store::StoreError) -> Self {
        OrderError::Write(e.into())
    }
}
