//! `work_center_bookings`: minutes of a work center booked on a day, by an order or by hand.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `work_center_bookings`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "work_center_bookings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub work_center_id: i64,
    pub day: Date,
    pub minutes: i32,
    pub order_id: Option<i64>,
}

/// The tables `work_center_bookings` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::work_centers::Entity",
        from = "Column::WorkCenterId",
        to = "super::work_centers::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    WorkCenter,
    #[sea_orm(
        belongs_to = "super::orders::Entity",
        from = "Column::OrderId",
        to = "super::orders::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull"
    )]
    Order,
}

impl Related<super::work_centers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenter.def()
    }
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
