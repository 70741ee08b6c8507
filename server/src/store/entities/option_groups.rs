//! `option_groups`: a product's option group (colour, material, size, add-ons).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `option_groups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "option_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub position: i32,
    pub required: bool,
    pub multi: bool,
}

/// The tables `option_groups` references and is referenced by.
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
    #[sea_orm(has_many = "super::option_values::Entity")]
    OptionValues,
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::option_values::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValues.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
