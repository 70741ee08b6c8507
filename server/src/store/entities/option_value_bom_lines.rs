//! `option_value_bom_lines`: a bill-of-materials line an option value adds.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `option_value_bom_lines`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "option_value_bom_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub option_value_id: i64,
    pub material_id: i64,
    pub quantity: i64,
}

/// The tables `option_value_bom_lines` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::option_values::Entity",
        from = "Column::OptionValueId",
        to = "super::option_values::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    OptionValue,
    #[sea_orm(
        belongs_to = "super::materials::Entity",
        from = "Column::MaterialId",
        to = "super::materials::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Material,
}

impl Related<super::option_values::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValue.def()
    }
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Material.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
