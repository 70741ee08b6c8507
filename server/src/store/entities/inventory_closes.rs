//! `inventory_closes`: each material's stock at a shop day's close, with its cost, age
//! and policy band then; what the inventory KPIs read. Written by the scheduled close
//! (`service::kpis::closes`), which rewrites today's row until the day ends.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `inventory_closes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "inventory_closes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub material_id: i64,
    /// The shop's day.
    pub day: Date,
    /// Units on hand at every node.
    pub on_hand: i64,
    pub unit_cost_minor: i64,
    /// Units whose receipt is on record (first in, first out).
    pub dated_units: i64,
    /// Of those, units received more than 90 days before the day.
    pub aged_units: i64,
    /// The policy's safety stock, reorder point and order-up-to level then; none
    /// without a policy.
    pub safety_stock: Option<i64>,
    pub reorder_point: Option<i64>,
    pub order_up_to: Option<i64>,
    /// The policy's XYZ class then.
    #[sea_orm(column_type = "Text", nullable)]
    pub xyz: Option<String>,
}

/// The tables `inventory_closes` references.
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
}

impl ActiveModelBehavior for ActiveModel {}
