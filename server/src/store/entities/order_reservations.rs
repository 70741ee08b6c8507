//! `order_reservations`: material an order reserves at a node, from stock or from an inbound.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::ReservationSource;

/// A row of `order_reservations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "order_reservations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub material_id: i64,
    pub node_id: i64,
    pub inbound_id: Option<i64>,
    pub quantity: i64,
    /// What the reservation holds (stock, an inbound line, reserved supplier capacity,
    /// or units a supplier order will bring).
    #[sea_orm(column_type = "Text")]
    pub source: ReservationSource,
    /// The supplier capacity reservation claimed, for `source = capacity_reservation`.
    pub capacity_reservation_id: Option<i64>,
    /// For `source = inbound`: the day the line was expected when the order was booked.
    pub expected_on: Option<Date>,
}

/// The tables `order_reservations` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::orders::Entity",
        from = "Column::OrderId",
        to = "super::orders::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Order,
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
        belongs_to = "super::inbound::Entity",
        from = "Column::InboundId",
        to = "super::inbound::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull"
    )]
    Inbound,
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Material.def()
    }
}

impl Related<super::nodes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Node.def()
    }
}

impl Related<super::inbound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Inbound.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
