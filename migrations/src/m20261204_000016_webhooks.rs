//! Webhooks in and out, and the late-risk flag of an order.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000005_orders::{OrderReservations, Orders};

/// Adds:
/// - `webhook_endpoints`: where a shop's events are sent, with the secret that signs them;
/// - `webhook_events`: the outbox, one row per event, written in the transaction of the
///   change it tells of, so an event exists exactly when its change does;
/// - `webhook_deliveries`: one row per event and endpoint, with its attempts and when
///   the next is due;
/// - `webhook_receipts`: the signatures of accepted inbound platform webhooks, so a
///   replayed one is refused;
/// - `shops.platform_webhook_secret`: the key a shop platform signs inbound webhooks
///   with (random per shop);
/// - `orders.late_risk` (why the order's plan now misses its promise, or null) and
///   `orders.late_risk_since`;
/// - `order_reservations.expected_on`: for units of an inbound line, the day the line
///   was expected when the order was booked, so a slip can be told.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum WebhookEndpoints {
    Table,
    Id,
    ShopId,
    Url,
    Secret,
    Events,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum WebhookEvents {
    Table,
    Id,
    ShopId,
    EventId,
    Kind,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum WebhookDeliveries {
    Table,
    Id,
    EventId,
    EndpointId,
    Status,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    ResponseStatus,
    LastError,
    DeliveredAt,
}

#[derive(DeriveIden)]
pub enum WebhookReceipts {
    Table,
    Id,
    ShopId,
    Signature,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Added {
    PlatformWebhookSecret,
    LateRisk,
    LateRiskSince,
    ExpectedOn,
}

fn cascade(name: &str, from: (DynIden, DynIden), to: (DynIden, DynIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(big_pk_auto(WebhookEndpoints::Id))
                    .col(big_integer(WebhookEndpoints::ShopId))
                    .col(text(WebhookEndpoints::Url))
                    .col(text(WebhookEndpoints::Secret))
                    .col(text(WebhookEndpoints::Events))
                    .col(boolean(WebhookEndpoints::Active).default(true))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_webhook_endpoints_shop_id",
                        (
                            WebhookEndpoints::Table.into_iden(),
                            WebhookEndpoints::ShopId.into_iden(),
                        ),
                        (Shops::Table.into_iden(), Shops::Id.into_iden()),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .col(big_pk_auto(WebhookEvents::Id))
                    .col(big_integer(WebhookEvents::ShopId))
                    .col(text(WebhookEvents::EventId).unique_key())
                    .col(text(WebhookEvents::Kind))
                    .col(text(WebhookEvents::Payload))
                    .col(timestamp_with_time_zone(WebhookEvents::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_webhook_events_shop_id",
                        (
                            WebhookEvents::Table.into_iden(),
                            WebhookEvents::ShopId.into_iden(),
                        ),
                        (Shops::Table.into_iden(), Shops::Id.into_iden()),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(big_pk_auto(WebhookDeliveries::Id))
                    .col(big_integer(WebhookDeliveries::EventId))
                    .col(big_integer(WebhookDeliveries::EndpointId))
                    .col(text(WebhookDeliveries::Status))
                    .col(integer(WebhookDeliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::LastAttemptAt))
                    .col(integer_null(WebhookDeliveries::ResponseStatus))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::DeliveredAt))
                    .foreign_key(&mut cascade(
                        "fk_webhook_deliveries_event_id",
                        (
                            WebhookDeliveries::Table.into_iden(),
                            WebhookDeliveries::EventId.into_iden(),
                        ),
                        (WebhookEvents::Table.into_iden(), WebhookEvents::Id.into_iden()),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_webhook_deliveries_endpoint_id",
                        (
                            WebhookDeliveries::Table.into_iden(),
                            WebhookDeliveries::EndpointId.into_iden(),
                        ),
                        (
                            WebhookEndpoints::Table.into_iden(),
                            WebhookEndpoints::Id.into_iden(),
                        ),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_status_next_attempt_at")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::Status)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_endpoint_id")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::EndpointId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookReceipts::Table)
                    .col(big_pk_auto(WebhookReceipts::Id))
                    .col(big_integer(WebhookReceipts::ShopId))
                    .col(text(WebhookReceipts::Signature))
                    .col(timestamp_with_time_zone(WebhookReceipts::ReceivedAt))
                    .foreign_key(&mut cascade(
                        "fk_webhook_receipts_shop_id",
                        (
                            WebhookReceipts::Table.into_iden(),
                            WebhookReceipts::ShopId.into_iden(),
                        ),
                        (Shops::Table.into_iden(), Shops::Id.into_iden()),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_webhook_receipts_shop_id_signature")
                    .table(WebhookReceipts::Table)
                    .col(WebhookReceipts::ShopId)
                    .col(WebhookReceipts::Signature)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let add =
            |table: DynIden, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        manager
            .alter_table(add(
                Shops::Table.into_iden(),
                ColumnDef::new(Added::PlatformWebhookSecret)
                    .text()
                    .not_null()
                    .default("")
                    .to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::LateRisk).text().null().to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::LateRiskSince)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                OrderReservations::Table.into_iden(),
                ColumnDef::new(Added::ExpectedOn).date().null().to_owned(),
            ))
            .await?;
        let db = manager.get_connection();
        let random_hex = match db.get_database_backend() {
            DatabaseBackend::Sqlite => "lower(hex(randomblob(32)))",
            _ => {
                "md5(random()::text || clock_timestamp()::text || id::text) || md5(random()::text || id::text)"
            }
        };
        db.execute_unprepared(&format!(
            "UPDATE shops SET platform_webhook_secret = 'whsec_' || {random_hex}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = |table: DynIden, column: Added| Table::alter().table(table).drop_column(column).to_owned();
        manager
            .alter_table(drop(OrderReservations::Table.into_iden(), Added::ExpectedOn))
            .await?;
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::LateRiskSince))
            .await?;
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::LateRisk))
            .await?;
        manager
            .alter_table(drop(Shops::Table.into_iden(), Added::PlatformWebhookSecret))
            .await?;
        for table in [
            WebhookReceipts::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
