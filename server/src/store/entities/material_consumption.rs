//! `material_consumption`: units of a material issued to an order in production, as an
//! operator reported them.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `material_consumption`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "material_consumption")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub material_id: i64,
    /// Where the units were taken: the node the order's reservation holds them at.
    pub node_id: i64,
    /// Units issued by this report.
    pub quantity: i64,
    /// The shop's day they were issued.
    pub consumed_on: Date,
    /// Who reported it (`key:<prefix>`, `merchant:<id>`).
    #[sea_orm(column_type = "Text")]
    pub reported_by: String,
    pub created_at: DateTimeUtc,
    /// Units of it returned to the node's stock after the order was cancelled: a
    /// cancelled order's reports less these are the parts it freed.
    pub returned: i64,
}

/// The tables `material_consumption` references.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::orders::Entity",
        from = "Column::OrderId",
        to = "super::orders::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Order,
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
