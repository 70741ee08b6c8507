//! `suggestions`: a suggested action (purchase, transfer, freeze, ...) and the merchant's decision.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::{SuggestionKind, SuggestionStatus};

/// A row of `suggestions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "suggestions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub alert_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub kind: SuggestionKind,
    pub payload: Json,
    #[sea_orm(column_type = "Text")]
    pub status: SuggestionStatus,
    #[sea_orm(column_type = "Text")]
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The rule that executed it (`automation_rules.id`, kept when the rule is deleted).
    pub rule_id: Option<i64>,
    /// What executing it committed, minor units (a rule's caps count it).
    pub value_minor: Option<i64>,
    /// What accepting it created or changed, for an undo: `{"inbound_id": …}`,
    /// `{"reservation_id": …}`, `{"material_id": …, "stock_level": {"from", "to"}}`, or
    /// `{"option_value": "slug/group.value"}`.
    pub applied: Option<Json>,
    /// Who undid it (`merchant:<id>`).
    #[sea_orm(column_type = "Text", nullable)]
    pub undone_by: Option<String>,
    pub undone_at: Option<DateTimeUtc>,
}

/// The tables `suggestions` references and is referenced by.
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
        belongs_to = "super::alerts::Entity",
        from = "Column::AlertId",
        to = "super::alerts::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull"
    )]
    Alert,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::alerts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Alert.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
