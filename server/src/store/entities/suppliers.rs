//! `suppliers`: a supplier of materials.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::SupplyStatus;

/// A row of `suppliers`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "suppliers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub status: SupplyStatus,
}

/// The tables `suppliers` references and is referenced by.
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
    #[sea_orm(has_many = "super::supplier_materials::Entity")]
    SupplierMaterials,
    #[sea_orm(has_many = "super::inbound::Entity")]
    Inbound,
    #[sea_orm(has_many = "super::capacity_reservations::Entity")]
    CapacityReservations,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::supplier_materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SupplierMaterials.def()
    }
}

impl Related<super::inbound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Inbound.def()
    }
}

impl Related<super::capacity_reservations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CapacityReservations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
