//! `capacity_reservations`: supplier capacity reserved for a material over a window, with its deadline and fee.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::ReservationStatus;

/// A row of `capacity_reservations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "capacity_reservations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub supplier_id: i64,
    pub material_id: i64,
    pub quantity: i64,
    pub window_start: Date,
    pub window_end: Date,
    pub confirm_by: DateTimeUtc,
    pub fee_minor: i64,
    #[sea_orm(column_type = "Text")]
    pub status: ReservationStatus,
    pub created_at: DateTimeUtc,
}

/// The tables `capacity_reservations` references and is referenced by.
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
        belongs_to = "super::suppliers::Entity",
        from = "Column::SupplierId",
        to = "super::suppliers::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
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

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
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
