//! `transfer_lanes`: a transfer route between two nodes, with its lead time and cost.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `transfer_lanes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "transfer_lanes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub from_node_id: i64,
    pub to_node_id: i64,
    pub lead_time_days: i32,
    pub cost_per_unit_minor: i64,
}

/// The tables `transfer_lanes` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::nodes::Entity",
        from = "Column::FromNodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    FromNode,
    #[sea_orm(
        belongs_to = "super::nodes::Entity",
        from = "Column::ToNodeId",
        to = "super::nodes::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    ToNode,
}

impl ActiveModelBehavior for ActiveModel {}
