//! `imports`: the outcome of a CSV import (applied or refused, with its problems).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::ImportStatus;

/// A row of `imports`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub file_name: String,
    #[sea_orm(column_type = "Text")]
    pub status: ImportStatus,
    pub rows: i32,
    pub changed: i32,
    pub errors: Json,
    #[sea_orm(column_type = "Text")]
    pub actor: String,
    pub created_at: DateTimeUtc,
}

/// The tables `imports` references.
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
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
