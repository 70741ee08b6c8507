//! `policy_settings`: a shop's policy settings as one JSON document, versioned.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `policy_settings`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "policy_settings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub settings: Json,
    pub version: i64,
    pub updated_at: DateTimeUtc,
}

/// The tables `policy_settings` references.
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

impl ActiveModelBehavior for ActiveModel {}
