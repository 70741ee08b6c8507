//! `channel_allocations`: units of a material at a node kept for one sales channel.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `channel_allocations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "channel_allocations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub material_id: i64,
    pub node_id: i64,
    /// The channel the units are kept for (`wholesale`).
    #[sea_orm(column_type = "Text")]
    pub channel: String,
    /// Units kept (when given as a quantity).
    pub quantity: Option<i64>,
    /// Share of the node's on-hand stock kept, 0 to 1 (when given as a share).
    pub share: Option<f64>,
    pub updated_at: DateTimeUtc,
}

/// The tables `channel_allocations` references.
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
    #[sea_orm(
        belongs_to = "super::materials::Entity",
        from = "Column::MaterialId",
        to = "super::materials::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Material,
    #[sea_orm(
        belongs_to = "super::nodes::Entity",
        from = "Column::NodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Node,
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The units kept when the node has `on_hand` units: the quantity, or the share of
    /// `on_hand` rounded up (a share keeps at least what it says).
    pub fn kept(&self, on_hand: i64) -> i64 {
        match (self.quantity, self.share) {
            (Some(quantity), _) => quantity.max(0),
            (None, Some(share)) => (share.clamp(0.0, 1.0) * on_hand.max(0) as f64).ceil() as i64,
            (None, None) => 0,
        }
    }
}
