//! `option_value_operations`: an operation an option value adds to the routing.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `option_value_operations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "option_value_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub option_value_id: i64,
    pub seq: i32,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub work_center_id: i64,
    pub minutes_per_unit: f64,
    pub setup_minutes: i32,
}

/// The tables `option_value_operations` references and is referenced by.
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
        belongs_to = "super::work_centers::Entity",
        from = "Column::WorkCenterId",
        to = "super::work_centers::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    WorkCenter,
}

impl Related<super::option_values::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValue.def()
    }
}

impl Related<super::work_centers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenter.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
