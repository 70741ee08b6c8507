//! `option_values`: a value of an option group: label, price delta and status (active or frozen).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::OptionValueStatus;

/// A row of `option_values`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "option_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub label: String,
    pub position: i32,
    pub price_delta_minor: i64,
    #[sea_orm(column_type = "Text")]
    pub status: OptionValueStatus,
    #[sea_orm(column_type = "Text")]
    pub frozen_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub frozen_by: Option<String>,
}

/// The tables `option_values` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::option_groups::Entity",
        from = "Column::GroupId",
        to = "super::option_groups::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Group,
    #[sea_orm(has_many = "super::option_value_bom_lines::Entity")]
    OptionValueBomLines,
    #[sea_orm(has_many = "super::option_value_operations::Entity")]
    OptionValueOperations,
    #[sea_orm(has_many = "super::heat_events::Entity")]
    HeatEvents,
}

impl Related<super::option_groups::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Group.def()
    }
}

impl Related<super::option_value_bom_lines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValueBomLines.def()
    }
}

impl Related<super::option_value_operations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValueOperations.def()
    }
}

impl Related<super::heat_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HeatEvents.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
