//! `alerts`: an alert raised for a merchant, with its evidence.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::{AlertSeverity, AlertStatus};

/// A row of `alerts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub severity: AlertSeverity,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    pub evidence: Json,
    #[sea_orm(column_type = "Text")]
    pub status: AlertStatus,
    pub created_at: DateTimeUtc,
}

/// The tables `alerts` references and is referenced by.
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
    #[sea_orm(has_many = "super::suggestions::Entity")]
    Suggestions,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::suggestions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Suggestions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
