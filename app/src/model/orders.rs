//! What the admin's orders board shows and sends: orders by status with their plan and
//! what they hold, the filters in the board's URL, and a move to another status.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::FulfilmentView;
use super::refusal::AdminError;

/// The most orders the board shows: one page of `GET /api/v1/orders`, newest first.
pub const BOARD_LIMIT: u64 = 200;

/// Where an order stands, as the board names its columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Accepted, not started.
    Placed,
    /// Being made.
    InProduction,
    /// On its way to the customer.
    Shipped,
    /// Arrived.
    Delivered,
    /// Called off.
    Cancelled,
}

impl OrderStatus {
    /// The board's columns, in the order an order goes through them.
    pub const BOARD: [OrderStatus; 5] = [
        OrderStatus::Placed,
        OrderStatus::InProduction,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ];

    /// The API's string (`in_production`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::InProduction => "in_production",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// The status the API's string names.
    pub fn parse(text: &str) -> Option<OrderStatus> {
        OrderStatus::BOARD.into_iter().find(|s| s.as_str() == text)
    }

    /// The column's heading.
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Placed => "Placed",
            OrderStatus::InProduction => "In production",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Cancelled => "Cancelled",
        }
    }
}

/// Which orders the board shows, as its URL says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    /// Only this status (one column).
    pub status: Option<OrderStatus>,
    /// Only this sales channel.
    pub channel: Option<String>,
    /// Only this product (slug).
    pub product: Option<String>,
    /// Only orders whose plan now misses their promise.
    pub at_risk: bool,
}

impl OrderFilter {
    /// The filter of the board's URL (`?status=placed&channel=web&product=…&at_risk=true`),
    /// each parameter empty for "any"; a status or flag that is not one is refused naming
    /// its parameter, never guessed.
    pub fn from_query(status: &str, channel: &str, product: &str, at_risk: &str) -> Result<Self, AdminError> {
        let text = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let status = match text(status) {
            None => None,
            Some(s) => Some(
                OrderStatus::parse(&s)
                    .ok_or_else(|| AdminError::invalid("status", format!("“{s}” is not an order status")))?,
            ),
        };
        let at_risk = match at_risk.trim() {
            "" | "false" => false,
            // `on` is what a check box without a value sends.
            "true" | "on" => true,
            other => {
                return Err(AdminError::invalid(
                    "at_risk",
                    format!("“{other}” is not true or false"),
                ));
            }
        };
        Ok(OrderFilter {
            status,
            channel: text(channel),
            product: text(product),
            at_risk,
        })
    }
}

/// The newest orders that pass the filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersBoard {
    /// At most [`BOARD_LIMIT`], newest first.
    pub orders: Vec<OrderCard>,
    /// Older orders pass the filter too but did not fit: the columns' counts are of the
    /// orders shown, not of all.
    pub more: bool,
    /// The shop's today: a delivery's default day and its latest.
    pub today: NaiveDate,
}

/// One order on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCard {
    /// Row id.
    pub id: i64,
    /// The platform's reference.
    pub reference: String,
    /// Product slug.
    pub product: String,
    /// Units ordered.
    pub quantity: i64,
    /// Sales channel.
    pub channel: String,
    /// Where it stands.
    pub status: OrderStatus,
    /// ISO 4217 currency of the price.
    pub currency: String,
    /// Price of the order, minor units.
    pub total_minor: i64,
    /// Median delivery date quoted when it was placed.
    pub quoted_p50: NaiveDate,
    /// 90th percentile delivery date quoted when it was placed.
    pub quoted_p90: NaiveDate,
    /// The "arrives by" date promised.
    pub promised_on: NaiveDate,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
    /// When it arrived, once delivered.
    pub delivered_on: Option<NaiveDate>,
    /// Why its plan now misses the promise, if it does.
    pub late_risk: Option<String>,
    /// Where it is made and where every material comes from, as booked.
    pub plan: Option<FulfilmentView>,
    /// The units it holds.
    pub reservations: Vec<HeldUnits>,
    /// The work-center minutes it holds.
    pub bookings: Vec<HeldMinutes>,
    /// The statuses it may move to now (the server's rule, so the board offers no
    /// other).
    pub moves: Vec<OrderStatus>,
    /// In production: the operation it is at ("Step 2 of 4 · SEW"), or that every
    /// operation is reported done.
    pub step: Option<String>,
}

/// Units an order holds of one material from one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldUnits {
    /// Material SKU.
    pub material: String,
    /// Node code where the units are (or arrive).
    pub node: String,
    /// `stock`, `inbound`, `capacity_reservation` or `supplier_order`.
    pub source: String,
    /// The inbound line's reference, for `inbound`.
    pub inbound: Option<String>,
    /// Units.
    pub quantity: i64,
}

/// Minutes an order holds of one work center on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldMinutes {
    /// Work-center code.
    pub work_center: String,
    /// The day.
    pub day: NaiveDate,
    /// Minutes.
    pub minutes: i32,
}

/// Who called an order off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The customer (or the platform on their behalf).
    Customer,
    /// The shop: counts against its perfect order rate.
    Shop,
}

/// A move of an order to another status, as a card's form sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderMove {
    /// Where to.
    pub status: OrderStatus,
    /// For a delivery: the day it arrived (today unless said).
    pub delivered_on: Option<NaiveDate>,
    /// Why; required for a cancellation.
    pub reason: Option<String>,
    /// For a cancellation: who called it off.
    pub cancelled_by: Option<CancelledBy>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_reads_back_from_its_string() {
        for status in OrderStatus::BOARD {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(OrderStatus::parse("In production"), None);
    }

    #[test]
    fn an_empty_query_is_every_order_and_a_bad_one_names_its_parameter() {
        assert_eq!(
            OrderFilter::from_query("", " ", "", ""),
            Ok(OrderFilter::default())
        );
        assert_eq!(
            OrderFilter::from_query("shipped", " web ", "weekender-bag", "true"),
            Ok(OrderFilter {
                status: Some(OrderStatus::Shipped),
                channel: Some("web".into()),
                product: Some("weekender-bag".into()),
                at_risk: true,
            })
        );
        assert!(
            OrderFilter::from_query("sent", "", "", "")
                .unwrap_err()
                .is_about("status")
        );
        assert!(
            OrderFilter::from_query("", "", "", "yes")
                .unwrap_err()
                .is_about("at_risk")
        );
    }
}
