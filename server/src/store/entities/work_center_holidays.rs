//! `work_center_holidays`: a day a work center does not work.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `work_center_holidays`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "work_center_holidays")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub work_center_id: i64,
    pub day: Date,
    #[sea_orm(column_type = "Text")]
    pub name: String,
}

/// The tables `work_center_holidays` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::work_centers::Entity",
        from = "Column::WorkCenterId",
        to = "super::work_centers::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    WorkCenter,
}

impl Related<super::work_centers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenter.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
