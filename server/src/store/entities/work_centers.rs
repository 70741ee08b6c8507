//! `work_centers`: a work center at a node: its capacity in minutes per working day.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `work_centers`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "work_centers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub node_id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub minutes_per_day: i32,
    pub working_weekdays: i16,
}

/// The tables `work_centers` references and is referenced by.
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
        belongs_to = "super::nodes::Entity",
        from = "Column::NodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Node,
    #[sea_orm(has_many = "super::work_center_holidays::Entity")]
    WorkCenterHolidays,
    #[sea_orm(has_many = "super::product_operations::Entity")]
    ProductOperations,
    #[sea_orm(has_many = "super::option_value_operations::Entity")]
    OptionValueOperations,
    #[sea_orm(has_many = "super::work_center_bookings::Entity")]
    WorkCenterBookings,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::nodes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Node.def()
    }
}

impl Related<super::work_center_holidays::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenterHolidays.def()
    }
}

impl Related<super::product_operations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductOperations.def()
    }
}

impl Related<super::option_value_operations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValueOperations.def()
    }
}

impl Related<super::work_center_bookings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenterBookings.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
