//! `policies`: a material's inventory policy: classification, service level and stock levels.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `policies`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub material_id: i64,
    #[sea_orm(column_type = "Text")]
    pub abc: String,
    #[sea_orm(column_type = "Text")]
    pub xyz: String,
    #[sea_orm(column_type = "Text")]
    pub demand_class: String,
    pub service_level: f64,
    pub review_days: i32,
    pub coverage_days: i32,
    #[sea_orm(column_type = "Text")]
    pub stock_level: String,
    pub safety_stock: i64,
    pub reorder_point: i64,
    pub order_up_to: i64,
    pub inputs: Json,
    pub computed_at: DateTimeUtc,
}

/// The tables `policies` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::materials::Entity",
        from = "Column::MaterialId",
        to = "super::materials::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Material,
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Material.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
