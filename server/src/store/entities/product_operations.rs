//! `product_operations`: an operation of a product's base routing.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `product_operations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "product_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub seq: i32,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub work_center_id: i64,
    pub minutes_per_unit: f64,
    pub setup_minutes: i32,
    pub is_generic: bool,
}

/// The tables `product_operations` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Product,
    #[sea_orm(
        belongs_to = "super::work_centers::Entity",
        from = "Column::WorkCenterId",
        to = "super::work_centers::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    WorkCenter,
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::work_centers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenter.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
