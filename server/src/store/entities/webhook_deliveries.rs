//! `webhook_deliveries`: one event to one endpoint: its attempts, and when the next is due.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::DeliveryStatus;

/// A row of `webhook_deliveries`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub endpoint_id: i64,
    #[sea_orm(column_type = "Text")]
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (for `pending`).
    pub next_attempt_at: DateTimeUtc,
    pub last_attempt_at: Option<DateTimeUtc>,
    /// The HTTP status of the last answer, if one came.
    pub response_status: Option<i32>,
    /// Why the last attempt failed, in words.
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
}

/// The tables `webhook_deliveries` references and is referenced by.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::webhook_events::Entity",
        from = "Column::EventId",
        to = "super::webhook_events::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Event,
    #[sea_orm(
        belongs_to = "super::webhook_endpoints::Entity",
        from = "Column::EndpointId",
        to = "super::webhook_endpoints::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Endpoint,
}

impl Related<super::webhook_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl Related<super::webhook_endpoints::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Endpoint.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
