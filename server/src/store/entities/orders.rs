//! `orders`: an order: configuration, quantity, price, quoted and promised dates, status.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::OrderStatus;

/// A row of `orders`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub product_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reference: String,
    pub quantity: i64,
    pub selection: Json,
    pub price_minor: i64,
    pub quoted_p50: Date,
    pub quoted_p90: Date,
    pub promised_on: Date,
    #[sea_orm(column_type = "Text")]
    pub status: OrderStatus,
    pub placed_at: DateTimeUtc,
    pub delivered_on: Option<Date>,
    /// The sales channel it came through (`web`, `wholesale`, …).
    #[sea_orm(column_type = "Text")]
    pub channel: String,
    /// What the order was booked from: the fulfilment path at the time it was placed.
    pub plan: Option<Json>,
    /// Who called a cancelled order off: `customer` or `shop`.
    #[sea_orm(column_type = "Text", nullable)]
    pub cancelled_by: Option<String>,
    /// Why the order's plan now misses its promise (`service::orders::risk`), or `None`.
    #[sea_orm(column_type = "Text", nullable)]
    pub late_risk: Option<String>,
    /// Since when it has been at risk.
    pub late_risk_since: Option<DateTimeUtc>,
    /// A split delivery's parts (`[{quantity, quoted_p50, quoted_p90, promised_on}]`),
    /// or `None` for one delivery.
    pub deliveries: Option<Json>,
    /// The product was in presale when it was ordered.
    pub preorder: bool,
}

/// The tables `orders` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::shops::Entity",
        from = "Column::ShopId",
        to = "super::shops::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Shop,
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Product,
    #[sea_orm(has_many = "super::order_reservations::Entity")]
    OrderReservations,
    #[sea_orm(has_many = "super::work_center_bookings::Entity")]
    WorkCenterBookings,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::order_reservations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderReservations.def()
    }
}

impl Related<super::work_center_bookings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenterBookings.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
