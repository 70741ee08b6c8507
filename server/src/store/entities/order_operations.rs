//! `order_operations`: one operation of a booked order, planned, booked and, once
//! reported, what it really took.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `order_operations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "order_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    /// Its place in the order's routing, from 0.
    pub seq: i32,
    pub work_center_id: i64,
    /// Minutes its routing states (setup and run, before the work center's pace).
    pub planned_minutes: i32,
    /// Minutes booked for it, at the work center's pace when the order was placed.
    pub booked_minutes: i32,
    /// Minutes it really took, once reported.
    pub actual_minutes: Option<i32>,
    /// The day it finished, once reported.
    pub finished_on: Option<Date>,
}

/// The tables `order_operations` references.
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
        belongs_to = "super::work_centers::Entity",
        from = "Column::WorkCenterId",
        to = "super::work_centers::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    WorkCenter,
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl Related<super::work_centers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenter.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
