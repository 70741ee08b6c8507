//! `webhook_endpoints`: where a shop's events are sent, and the secret that signs them.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `webhook_endpoints`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    /// Where events are POSTed (`https://…`, or `http://` to a loopback address).
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// The key deliveries are signed with.
    #[sea_orm(column_type = "Text")]
    #[serde(skip)]
    pub secret: String,
    /// The event kinds sent, comma-separated (`order.promised,order.late_risk`).
    #[sea_orm(column_type = "Text")]
    pub events: String,
    /// A removed endpoint stays for its delivery log but receives nothing.
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// A supplier's endpoint takes that supplier's `purchase_order.sent` events only;
    /// `None`: the merchant's own, which takes every event it subscribed to.
    pub supplier_id: Option<i64>,
}

/// The tables `webhook_endpoints` references and is referenced by.
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
