//! What promises learn from: when each purchase order was placed and received, and how
//! sure a shop wants its promises to be.

use sea_orm_migration::prelude::*;

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::Inbound;

/// Adds:
/// - `inbound.ordered_on`: the day a purchase order was placed with the supplier (set
///   when it is confirmed); `null` for rows from before, which count from `created_at`.
/// - `inbound.received_on`: the day it was received. A received purchase order is a
///   receipt: its lead time is `received_on - ordered_on`, from which each supplier's
///   lead time is learned (`engine::learn`).
/// - `shops.promise_permille`: the quantile of the delivery date an order's promise
///   commits to, in thousandths (970: kept for 97 % of orders).
/// - `shops.learn_lead_times`: whether quotes use the learned lead times (on) or only
///   what suppliers declared.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Added {
    OrderedOn,
    ReceivedOn,
    PromisePermille,
    LearnLeadTimes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add =
            |table: DynIden, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        for column in [Added::OrderedOn, Added::ReceivedOn] {
            manager
                .alter_table(add(
                    Inbound::Table.into_iden(),
                    ColumnDef::new(column).date().null().to_owned(),
                ))
                .await?;
        }
        manager
            .alter_table(add(
                Shops::Table.into_iden(),
                ColumnDef::new(Added::PromisePermille)
                    .integer()
                    .not_null()
                    .default(970)
                    .to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Shops::Table.into_iden(),
                ColumnDef::new(Added::LearnLeadTimes)
                    .boolean()
                    .not_null()
                    .default(true)
                    .to_owned(),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = |table: DynIden, column: Added| Table::alter().table(table).drop_column(column).to_owned();
        for column in [Added::LearnLeadTimes, Added::PromisePermille] {
            manager
                .alter_table(drop(Shops::Table.into_iden(), column))
                .await?;
        }
        for column in [Added::ReceivedOn, Added::OrderedOn] {
            manager
                .alter_table(drop(Inbound::Table.into_iden(), column))
                .await?;
        }
        Ok(())
    }
}
