//! `product_bom_lines`: a line of a product's base bill of materials.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `product_bom_lines`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "product_bom_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub material_id: i64,
    pub quantity: i64,
    /// Goes into the product's generic part (postponement).
    pub in_generic_part: bool,
}

/// The tables `product_bom_lines` references and is referenced by.
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
        belongs_to = "super::materials::Entity",
        from = "Column::MaterialId",
        to = "super::materials::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Material,
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Material.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
