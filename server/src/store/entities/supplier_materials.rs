//! `supplier_materials`: a material a supplier offers, with lead time, MOQ, pack size and price.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::SupplyStatus;

/// A row of `supplier_materials`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "supplier_materials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    pub material_id: i64,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub pack_size: i64,
    pub price_minor: i64,
    #[sea_orm(column_type = "Text")]
    pub status: SupplyStatus,
    /// Weight (0–100) of the material's forecast planned with this offer; the forecast
    /// splits between active offers in proportion, and the largest plans replenishment.
    pub forecast_share: i32,
}

/// The tables `supplier_materials` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::suppliers::Entity",
        from = "Column::SupplierId",
        to = "super::suppliers::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Supplier,
    #[sea_orm(
        belongs_to = "super::materials::Entity",
        from = "Column::MaterialId",
        to = "super::materials::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Material,
}

impl Related<super::suppliers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Supplier.def()
    }
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Material.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
