//! `shops`: the shop, the tenant every other row belongs to.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `shops`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "shops")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub timezone: String,
    #[sea_orm(column_type = "Text")]
    pub currency: String,
    pub working_weekdays: i16,
    pub transit_days: i32,
    pub state_version: i64,
    pub created_at: DateTimeUtc,
    /// Moves on every save of the profile (name, timezone, calendar, transit), which
    /// the settings form sends back; `state_version` moves with every stock write.
    pub version: i64,
    /// The key that signs this shop's quote tokens (hex). Never serialised: it must not
    /// reach an audit entry or an answer.
    #[sea_orm(column_type = "Text")]
    #[serde(skip)]
    pub quote_token_secret: String,
    /// The key a shop platform signs inbound webhooks with (`whsec_…`). Never
    /// serialised, like the quote-token key.
    #[sea_orm(column_type = "Text")]
    #[serde(skip)]
    pub platform_webhook_secret: String,
    /// The quantile of the delivery date an order's promise commits to, in
    /// thousandths (970: 97 %).
    pub promise_permille: i32,
    /// Whether quotes use lead times learned from receipts (else the declared ones).
    pub learn_lead_times: bool,
}

/// The tables `shops` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::shop_holidays::Entity")]
    ShopHolidays,
    #[sea_orm(has_many = "super::shop_origins::Entity")]
    ShopOrigins,
    #[sea_orm(has_many = "super::api_keys::Entity")]
    ApiKeys,
    #[sea_orm(has_many = "super::merchants::Entity")]
    Merchants,
    #[sea_orm(has_many = "super::nodes::Entity")]
    Nodes,
    #[sea_orm(has_many = "super::materials::Entity")]
    Materials,
    #[sea_orm(has_many = "super::suppliers::Entity")]
    Suppliers,
    #[sea_orm(has_many = "super::inbound::Entity")]
    Inbound,
    #[sea_orm(has_many = "super::capacity_reservations::Entity")]
    CapacityReservations,
    #[sea_orm(has_many = "super::work_centers::Entity")]
    WorkCenters,
    #[sea_orm(has_many = "super::products::Entity")]
    Products,
    #[sea_orm(has_many = "super::orders::Entity")]
    Orders,
    #[sea_orm(has_many = "super::heat_events::Entity")]
    HeatEvents,
    #[sea_orm(has_many = "super::alerts::Entity")]
    Alerts,
    #[sea_orm(has_many = "super::suggestions::Entity")]
    Suggestions,
    #[sea_orm(has_many = "super::audit_log::Entity")]
    AuditLog,
    #[sea_orm(has_many = "super::idempotency_keys::Entity")]
    IdempotencyKeys,
}

impl Related<super::shop_holidays::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ShopHolidays.def()
    }
}

impl Related<super::shop_origins::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ShopOrigins.def()
    }
}

impl Related<super::api_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiKeys.def()
    }
}

impl Related<super::merchants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Merchants.def()
    }
}

impl Related<super::nodes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Nodes.def()
    }
}

impl Related<super::materials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Materials.def()
    }
}

impl Related<super::suppliers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Suppliers.def()
    }
}

impl Related<super::inbound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Inbound.def()
    }
}

impl Related<super::capacity_reservations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CapacityReservations.def()
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

impl Related<super::alerts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Alerts.def()
    }
}

impl Related<super::suggestions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Suggestions.def()
    }
}

impl Related<super::audit_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLog.def()
    }
}

impl Related<super::idempotency_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IdempotencyKeys.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
