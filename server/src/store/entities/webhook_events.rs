//! `webhook_events`: the outbox. An event is written in the transaction of the change it
//! tells of, so it exists exactly when the change does.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `webhook_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    /// The id receivers deduplicate by (`evt_…`), unique across shops.
    #[sea_orm(column_type = "Text", unique)]
    pub event_id: String,
    /// `order.promised`, `order.status_changed`, `order.late_risk`.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// The body sent, exactly (JSON).
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub created_at: DateTimeUtc,
}

/// The tables `webhook_events` references and is referenced by.
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
    #[sea_orm(has_many = "super::webhook_deliveries::Entity")]
    Deliveries,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::webhook_deliveries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deliveries.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
