//! Drops `daily_demand`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000002_supply::Materials;
use crate::m20261125_000006_signals::DailyDemand;

/// Drops `daily_demand`, a rounded copy of each material's daily demand that every
/// recomputation rewrote and nothing read: for 10,000 materials with a year of orders
/// it was about 220,000 rows per run, nine tenths of the recomputation's time. The
/// series is derived from orders, heat and bills of materials whenever it is needed
/// (`server::service::policies::inputs`), exactly rather than rounded, and each policy keeps
/// the history's totals in its `inputs`.
///
/// `down` recreates the empty table as `m20261125_000006_signals` made it; the next
/// recomputation does not fill it.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DailyDemand::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DailyDemand::Table)
                    .col(big_pk_auto(DailyDemand::Id))
                    .col(big_integer(DailyDemand::MaterialId))
                    .col(date(DailyDemand::Day))
                    .col(big_integer(DailyDemand::FromOrders))
                    .col(big_integer(DailyDemand::FromHeat))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_daily_demand_material_id")
                            .from(DailyDemand::Table, DailyDemand::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_daily_demand_material_id_day")
                    .table(DailyDemand::Table)
                    .col(DailyDemand::MaterialId)
                    .col(DailyDemand::Day)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
