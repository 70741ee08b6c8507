//! `products`: a made-to-order product: price, lifecycle, lead-time limits and producing node.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `products`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub base_price_minor: i64,
    #[sea_orm(column_type = "Text")]
    pub lifecycle: String,
    pub max_lead_time_days: i32,
    pub handling_days: i32,
    pub end_of_sale: Option<Date>,
    /// In presale: the last day the first batch is made (`engine::batch`).
    pub first_batch_until: Option<Date>,
    pub producing_node_id: i64,
    /// The semi-finished generic part (postponement), if any.
    pub generic_part_material_id: Option<i64>,
    pub version: i64,
    pub created_at: DateTimeUtc,
}

/// The tables `products` references and is referenced by.
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
        belongs_to = "super::nodes::Entity",
        from = "Column::ProducingNodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    ProducingNode,
    #[sea_orm(has_many = "super::product_bom_lines::Entity")]
    ProductBomLines,
    #[sea_orm(has_many = "super::product_operations::Entity")]
    ProductOperations,
    #[sea_orm(has_many = "super::option_groups::Entity")]
    OptionGroups,
    #[sea_orm(has_many = "super::orders::Entity")]
    Orders,
    #[sea_orm(has_many = "super::heat_events::Entity")]
    HeatEvents,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::nodes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProducingNode.def()
    }
}

impl Related<super::product_bom_lines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductBomLines.def()
    }
}

impl Related<super::product_operations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductOperations.def()
    }
}

impl Related<super::option_groups::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionGroups.def()
    }
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Orders.def()
    }
}

impl Related<super::heat_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HeatEvents.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
