//! Purchase orders sent to their supplier, and the supplier's confirmation.

use sea_orm_migration::prelude::*;

use crate::m20261125_000002_supply::Inbound;
use crate::m20261204_000016_webhooks::WebhookEndpoints;

/// Adds to `inbound` when a purchase order was sent to its supplier and how (`webhook`
/// or `csv`), and when the supplier confirmed it under which reference of theirs; and
/// to `webhook_endpoints` the supplier an endpoint belongs to (`supplier_id`: it takes
/// that supplier's `purchase_order.sent` events only; no foreign key, as SQLite cannot
/// add one to an existing table: the service checks the supplier is the shop's).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sending {
    SentAt,
    SentVia,
    SupplierConfirmedAt,
    SupplierReference,
    SupplierId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Sending::SentAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Sending::SentVia).text().null().to_owned(),
            ColumnDef::new(Sending::SupplierConfirmedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Sending::SupplierReference)
                .text()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table(Inbound::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .add_column(ColumnDef::new(Sending::SupplierId).big_integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .drop_column(Sending::SupplierId)
                    .to_owned(),
            )
            .await?;
        for column in [
            Sending::SupplierReference,
            Sending::SupplierConfirmedAt,
            Sending::SentVia,
            Sending::SentAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Inbound::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
