//! `webhook_receipts`: the signatures of accepted inbound platform webhooks, so that a
//! replayed request is refused. Rows older than the replay window are purged.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `webhook_receipts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "webhook_receipts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    /// The request's signature (hex), unique per shop.
    #[sea_orm(column_type = "Text")]
    pub signature: String,
    pub received_at: DateTimeUtc,
}

/// The tables `webhook_receipts` references and is referenced by.
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
