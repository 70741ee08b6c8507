//! `heat_hourly`: presale heat counted per UTC hour, per product and option value (`0`: the
//! product as a whole) and kind. Kept forever; maintained as events are stored.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `heat_hourly`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "heat_hourly")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    pub product_id: i64,
    pub option_value_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    pub hour: DateTimeUtc,
    pub count: i64,
}

/// The tables `heat_hourly` references.
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
        on_delete = "Cascade"
    )]
    Product,
}

impl ActiveModelBehavior for ActiveModel {}
