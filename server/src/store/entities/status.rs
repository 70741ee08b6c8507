//! The fixed sets of values of the status and kind columns, as Rust enums.
//!
//! Each is stored as the `TEXT` its migration creates, with exactly the strings of
//! `docs/schema.md` (`string_value`); serde writes the same strings (`snake_case`), so
//! an audit entry's `json!({"status": status})` reads as it did when statuses were
//! strings. [`as_str`](InboundStatus::as_str) and `Display` give the stored string, and
//! each enum compares equal to its string (`row.status == "confirmed"`).

use sea_orm::Iterable;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an inbound purchase order or transfer line stands (`inbound.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum InboundStatus {
    /// Drafted, not sent: not counted as supply.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Confirmed by the sender, with an ETA: counted as supply on its way.
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    /// Arrived: its units are on hand at the destination.
    #[sea_orm(string_value = "received")]
    Received,
    /// Called off before it arrived.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl InboundStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            InboundStatus::Draft => "draft",
            InboundStatus::Confirmed => "confirmed",
            InboundStatus::Received => "received",
            InboundStatus::Cancelled => "cancelled",
        }
    }
}

/// How an inbound line arrives (`inbound.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum InboundKind {
    /// Bought from a supplier.
    #[sea_orm(string_value = "purchase")]
    Purchase,
    /// Sent from another node of the shop.
    #[sea_orm(string_value = "transfer")]
    Transfer,
}

impl InboundKind {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            InboundKind::Purchase => "purchase",
            InboundKind::Transfer => "transfer",
        }
    }
}

/// Where a capacity reservation with a supplier stands (`capacity_reservations.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    /// Asked of the supplier, not yet confirmed: not counted for quotes.
    #[sea_orm(string_value = "requested")]
    Requested,
    /// Confirmed by the supplier: counted as supply over its window.
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    /// Not confirmed by its deadline (`service::supply::expiry`).
    #[sea_orm(string_value = "expired")]
    Expired,
    /// Given back by the merchant.
    #[sea_orm(string_value = "released")]
    Released,
}

impl ReservationStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationStatus::Requested => "requested",
            ReservationStatus::Confirmed => "confirmed",
            ReservationStatus::Expired => "expired",
            ReservationStatus::Released => "released",
        }
    }
}

/// Where an alert stands (`alerts.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Waiting for the merchant: at least one suggestion undecided.
    #[sea_orm(string_value = "open")]
    Open,
    /// Every suggestion decided.
    #[sea_orm(string_value = "resolved")]
    Resolved,
    /// Dismissed by the merchant with its open suggestions.
    #[sea_orm(string_value = "dismissed")]
    Dismissed,
}

impl AlertStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Resolved => "resolved",
            AlertStatus::Dismissed => "dismissed",
        }
    }
}

/// How urgent an alert is (`alerts.severity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    /// Worth knowing, nothing to do soon.
    #[sea_orm(string_value = "info")]
    Info,
    /// Worth acting on (a heat spike).
    #[sea_orm(string_value = "warning")]
    Warning,
    /// Needs action now.
    #[sea_orm(string_value = "critical")]
    Critical,
}

impl AlertSeverity {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSeverity::Info => "info",
            AlertSeverity::Warning => "warning",
            AlertSeverity::Critical => "critical",
        }
    }
}

/// Where a suggestion stands (`suggestions.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum SuggestionStatus {
    /// Not decided yet.
    #[sea_orm(string_value = "open")]
    Open,
    /// Accepted by the merchant (and applied, when it can be).
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// Left by the merchant, or dismissed with its alert.
    #[sea_orm(string_value = "dismissed")]
    Dismissed,
    /// Carried out by one of the merchant's rules (`rule_id` names it).
    #[sea_orm(string_value = "executed")]
    Executed,
    /// Accepted or executed, then undone by the merchant.
    #[sea_orm(string_value = "undone")]
    Undone,
}

impl SuggestionStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Open => "open",
            SuggestionStatus::Accepted => "accepted",
            SuggestionStatus::Dismissed => "dismissed",
            SuggestionStatus::Executed => "executed",
            SuggestionStatus::Undone => "undone",
        }
    }
}

/// What a suggestion proposes (`suggestions.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Raise a material's stock level one step.
    #[sea_orm(string_value = "raise_stock_level")]
    RaiseStockLevel,
    /// Raise a purchase order (in the schema; no rule suggests it yet).
    #[sea_orm(string_value = "purchase")]
    Purchase,
    /// Transfer stock between nodes (in the schema; no rule suggests it yet).
    #[sea_orm(string_value = "transfer")]
    Transfer,
    /// Reserve supplier capacity ahead of heat-based demand.
    #[sea_orm(string_value = "reserve_capacity")]
    ReserveCapacity,
    /// Freeze an option value (in the schema; no rule suggests it yet).
    #[sea_orm(string_value = "freeze")]
    Freeze,
    /// Use up leftover material in a live product (in the schema; no rule suggests it yet).
    #[sea_orm(string_value = "reuse_material")]
    ReuseMaterial,
}

impl SuggestionKind {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionKind::RaiseStockLevel => "raise_stock_level",
            SuggestionKind::Purchase => "purchase",
            SuggestionKind::Transfer => "transfer",
            SuggestionKind::ReserveCapacity => "reserve_capacity",
            SuggestionKind::Freeze => "freeze",
            SuggestionKind::ReuseMaterial => "reuse_material",
        }
    }
}

/// Whether a supplier, or one of its offers, is still available (`suppliers.status`
/// and `supplier_materials.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum SupplyStatus {
    /// Can be ordered from.
    #[sea_orm(string_value = "active")]
    Active,
    /// No longer supplies.
    #[sea_orm(string_value = "discontinued")]
    Discontinued,
}

impl SupplyStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            SupplyStatus::Active => "active",
            SupplyStatus::Discontinued => "discontinued",
        }
    }
}

/// Whether an option value can be chosen (`option_values.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum OptionValueStatus {
    /// Offered to shoppers.
    #[sea_orm(string_value = "active")]
    Active,
    /// Not offered, for the reason in `frozen_reason`.
    #[sea_orm(string_value = "frozen")]
    Frozen,
}

impl OptionValueStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionValueStatus::Active => "active",
            OptionValueStatus::Frozen => "frozen",
        }
    }
}

/// Where an order stands (`orders.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Accepted, not started.
    #[sea_orm(string_value = "placed")]
    Placed,
    /// Being made.
    #[sea_orm(string_value = "in_production")]
    InProduction,
    /// On its way to the customer.
    #[sea_orm(string_value = "shipped")]
    Shipped,
    /// Arrived.
    #[sea_orm(string_value = "delivered")]
    Delivered,
    /// Called off.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl OrderStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::InProduction => "in_production",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Whether the order still holds material and capacity.
    pub fn is_open(self) -> bool {
        matches!(self, OrderStatus::Placed | OrderStatus::InProduction)
    }

    /// Whether an order may move from this status to `next`: forward one step along
    /// placed -> in production -> shipped -> delivered, or cancelled before it ships.
    pub fn can_move_to(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Placed, InProduction)
                | (InProduction, Shipped)
                | (Shipped, Delivered)
                | (Placed | InProduction, Cancelled)
        )
    }
}

/// What an order's reservation holds (`order_reservations.source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ReservationSource {
    /// Units on hand at its node, also counted in `stock.reserved`.
    #[sea_orm(string_value = "stock")]
    Stock,
    /// Units of an inbound line (`inbound_id`), not yet received.
    #[sea_orm(string_value = "inbound")]
    Inbound,
    /// Units of a confirmed supplier capacity reservation (`capacity_reservation_id`).
    #[sea_orm(string_value = "capacity_reservation")]
    CapacityReservation,
    /// Units a new order to the supplier brings: nothing existing is held.
    #[sea_orm(string_value = "supplier_order")]
    SupplierOrder,
}

impl ReservationSource {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationSource::Stock => "stock",
            ReservationSource::Inbound => "inbound",
            ReservationSource::CapacityReservation => "capacity_reservation",
            ReservationSource::SupplierOrder => "supplier_order",
        }
    }
}

/// The outcome of a CSV import (`imports.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Every row was written.
    #[sea_orm(string_value = "applied")]
    Applied,
    /// Nothing was written: the file had problems.
    #[sea_orm(string_value = "refused")]
    Refused,
    /// Chunks are being written; `changed` counts those committed so far.
    #[sea_orm(string_value = "applying")]
    Applying,
    /// The chunks above the problem's line were written; a row changed under the
    /// import stopped the rest.
    #[sea_orm(string_value = "stopped")]
    Stopped,
}

impl ImportStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Applied => "applied",
            ImportStatus::Refused => "refused",
            ImportStatus::Applying => "applying",
            ImportStatus::Stopped => "stopped",
        }
    }
}

/// Where one webhook delivery stands (`webhook_deliveries.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not yet answered with a 2xx; the next attempt is due at `next_attempt_at`.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// The endpoint answered 2xx.
    #[sea_orm(string_value = "delivered")]
    Delivered,
    /// Every attempt failed; no more are made.
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl DeliveryStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}

/// `Display` as the stored string, comparison with a string, and `parse` from one, for
/// each enum of this module.
macro_rules! text_impls {
    ($($status:ident),+ $(,)?) => {$(
        impl $status {
            /// The value whose stored string is `text`, if any.
            pub fn parse(text: &str) -> Option<Self> {
                <Self as Iterable>::iter().find(|value| value.as_str() == text)
            }
        }

        impl std::fmt::Display for $status {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $status {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )+};
}

text_impls!(
    InboundStatus,
    InboundKind,
    ReservationStatus,
    AlertStatus,
    AlertSeverity,
    SuggestionStatus,
    SuggestionKind,
    SupplyStatus,
    OptionValueStatus,
    OrderStatus,
    ReservationSource,
    ImportStatus,
    DeliveryStatus,
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value's stored string, serde string and `as_str` are one and the same.
    fn agree<E>()
    where
        E: ActiveEnum<Value = String> + Iterable + Serialize + std::fmt::Display + Copy + std::fmt::Debug,
        E: serde::de::DeserializeOwned + PartialEq + for<'a> PartialEq<&'a str>,
    {
        for value in E::iter() {
            let stored = value.to_value();
            assert_eq!(
                serde_json::to_value(value).unwrap(),
                serde_json::json!(stored),
                "{value:?}"
            );
            let read: E = serde_json::from_value(serde_json::json!(stored)).unwrap();
            assert!(read == value, "{value:?}");
            assert_eq!(value.to_string(), stored, "{value:?}");
            assert!(value == stored.as_str(), "{value:?}");
            assert!(
                E::try_from_value(&stored).is_ok_and(|back| back == value),
                "{value:?}"
            );
        }
    }

    #[test]
    fn stored_serialised_and_displayed_strings_agree() {
        agree::<InboundStatus>();
        agree::<InboundKind>();
        agree::<ReservationStatus>();
        agree::<AlertStatus>();
        agree::<AlertSeverity>();
        agree::<SuggestionStatus>();
        agree::<SuggestionKind>();
        agree::<SupplyStatus>();
        agree::<OptionValueStatus>();
        agree::<OrderStatus>();
        agree::<ReservationSource>();
        agree::<ImportStatus>();
    }

    #[test]
    fn parse_reads_the_stored_string() {
        assert_eq!(InboundStatus::parse("received"), Some(InboundStatus::Received));
        assert_eq!(
            OrderStatus::parse("in_production"),
            Some(OrderStatus::InProduction)
        );
        assert_eq!(SupplyStatus::parse("Active"), None);
        assert_eq!(ImportStatus::parse(""), None);
    }

    #[test]
    fn a_status_compares_equal_to_its_string() {
        assert_eq!(InboundStatus::Confirmed, "confirmed");
        assert_ne!(ReservationStatus::Requested, "confirmed");
        assert_eq!(
            format!("{}", SuggestionKind::RaiseStockLevel),
            "raise_stock_level"
        );
    }
}
