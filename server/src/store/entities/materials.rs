//! `materials`: a part or raw material, measured in its own unit.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `materials`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "materials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub sku: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub unit: String,
    pub unit_cost_minor: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub colour_family: Option<String>,
    pub attributes: Json,
    pub is_generic: bool,
    /// The stock level the merchant chose (`low`, `medium`, `high`), overriding the
    /// policy matrix's; `None`: the matrix's.
    #[sea_orm(column_type = "Text")]
    pub stock_level: Option<String>,
}

/// The tables `materials` references and is referenced by.
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
    #[sea_orm(has_many = "super::stock::Entity")]
    Stock,
    #[sea_orm(has_many = "super::supplier_materials::Entity")]
    SupplierMaterials,
    #[sea_orm(has_many = "super::inbound::Entity")]
    Inbound,
    #[sea_orm(has_many = "super::capacity_reservations::Entity")]
    CapacityReservations,
    #[sea_orm(has_many = "super::product_bom_lines::Entity")]
    ProductBomLines,
    #[sea_orm(has_many = "super::option_value_bom_lines::Entity")]
    OptionValueBomLines,
    #[sea_orm(has_many = "super::order_reservations::Entity")]
    OrderReservations,
    #[sea_orm(has_one = "super::policies::Entity")]
    Policies,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::stock::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Stock.def()
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

impl Related<super::product_bom_lines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductBomLines.def()
    }
}

impl Related<super::option_value_bom_lines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValueBomLines.def()
    }
}

impl Related<super::order_reservations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderReservations.def()
    }
}

impl Related<super::policies::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Policies.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
