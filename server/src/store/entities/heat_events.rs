//! `heat_events`: a shopper signal from the widget (view, option select, ..., purchase).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `heat_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "heat_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub event_id: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    pub product_id: i64,
    pub option_value_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub session_id: String,
    pub occurred_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub origin: Option<String>,
    /// The configuration, as GA4's `item_variant` (`colour.navy,size.m`); for an
    /// option select, the value picked (`colour.navy`).
    #[sea_orm(column_type = "Text")]
    pub variant: Option<String>,
}

/// The tables `heat_events` references and is referenced by.
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
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Product,
    #[sea_orm(
        belongs_to = "super::option_values::Entity",
        from = "Column::OptionValueId",
        to = "super::option_values::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull"
    )]
    OptionValue,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::option_values::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OptionValue.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
