//! `nodes`: a place that holds stock or makes things: warehouse, factory or consignment.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `nodes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "nodes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shop_id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
}

/// The tables `nodes` references and is referenced by.
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
    #[sea_orm(has_many = "super::stock::Entity")]
    Stock,
    #[sea_orm(has_many = "super::work_centers::Entity")]
    WorkCenters,
    #[sea_orm(has_many = "super::products::Entity")]
    Products,
    #[sea_orm(has_many = "super::order_reservations::Entity")]
    OrderReservations,
}

impl Related<super::shops::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shop.def()
    }
}

impl Related<super::stock::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Stock.def()
    }
}

impl Related<super::work_centers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkCenters.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Products.def()
    }
}

impl Related<super::order_reservations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderReservations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
