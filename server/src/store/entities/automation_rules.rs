//! `automation_rules`: a merchant's rule under which a kind of suggestion executes by
//! itself, within caps (`engine::lifecycle::rules`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `automation_rules`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "automation_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    /// The merchant's name for it, unique in the shop; the audit log names it.
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// The kind of suggestion it executes (`suggestions.kind`).
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// `engine::lifecycle::rules::Condition`s, all of which must hold.
    pub conditions: Json,
    /// Highest value of one action, minor units; `None`: no limit.
    pub max_per_action_minor: Option<i64>,
    /// Highest value of its actions on one day, minor units; `None`: no limit.
    pub max_per_day_minor: Option<i64>,
    /// A paused rule acts on nothing.
    pub paused: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// The table `automation_rules` references.
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
