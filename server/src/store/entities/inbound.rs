//! `inbound`: an inbound purchase order or transfer of a material to a node.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::{InboundKind, InboundStatus};

/// A row of `inbound`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "inbound")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub material_id: i64,
    pub node_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: InboundKind,
    pub supplier_id: Option<i64>,
    pub from_node_id: Option<i64>,
    pub quantity: i64,
    pub eta: Date,
    #[sea_orm(column_type = "Text")]
    pub status: InboundStatus,
    #[sea_orm(column_type = "Text")]
    pub reference: String,
    pub created_at: DateTimeUtc,
    /// The day a purchase order was placed (confirmed); `None` on older rows.
    pub ordered_on: Option<Date>,
    /// The day it was received.
    pub received_on: Option<Date>,
    /// When a purchase order was sent to its supplier.
    pub sent_at: Option<DateTimeUtc>,
    /// How: `webhook` (a signed `purchase_order.sent` event) or `csv` (a file for the
    /// supplier's portal).
    #[sea_orm(column_type = "Text")]
    pub sent_via: Option<String>,
    /// When the supplier confirmed it (`POST /api/v1/webhooks/suppliers/{code}/confirmations`).
    pub supplier_confirmed_at: Option<DateTimeUtc>,
    /// The supplier's own reference for it.
    #[sea_orm(column_type = "Text")]
    pub supplier_reference: Option<String>,
}

/// The tables `inbound` references and is referenced by.
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
        belongs_to = "super::materials::Entity",
        from = "Column::MaterialId",
        to = "super::materials::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Material,
    #[sea_orm(
        belongs_to = "super::nodes::Entity",
        from = "Column::NodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Node,
    #[sea_orm(
        belongs_to = "super::suppliers::Entity",
        from = "Column::SupplierId",
        to = "super::suppliers::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull"
    )]
    Supplier,
    #[sea_orm(
        belongs_to = "super::nodes::Entity",
        from = "Column::FromNodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull"
    )]
    FromNode,
    #[sea_orm(has_many = "super::order_reservations::Entity")]
    OrderReservations,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Material.def()
    }
}

impl Related<super::suppliers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Supplier.def()
    }
}

impl Related<super::order_reservations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderReservations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
