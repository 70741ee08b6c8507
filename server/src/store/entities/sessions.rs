//! `sessions`: a merchant's browser session; only the token's hash is stored.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `sessions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub merchant_id: i64,
    #[sea_orm(column_type = "Text")]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// When the session was last used, to the minute (`None`: rows from before it was kept).
    pub last_seen_at: Option<DateTimeUtc>,
}

/// The tables `sessions` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::merchants::Entity",
        from = "Column::MerchantId",
        to = "super::merchants::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Merchant,
}

impl Related<super::merchants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Merchant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
