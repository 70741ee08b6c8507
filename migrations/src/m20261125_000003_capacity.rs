//! Work centers and their calendars.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::Nodes;

/// Creates `work_centers`, `work_center_holidays`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkCenters::Table)
                    .col(big_pk_auto(WorkCenters::Id))
                    .col(big_integer(WorkCenters::ShopId))
                    .col(big_integer(WorkCenters::NodeId))
                    .col(text(WorkCenters::Code))
                    .col(text(WorkCenters::Name))
                    .col(integer(WorkCenters::MinutesPerDay))
                    .col(small_integer(WorkCenters::WorkingWeekdays))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_centers_shop_id")
                            .from(WorkCenters::Table, WorkCenters::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_centers_node_id")
                            .from(WorkCenters::Table, WorkCenters::NodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_work_centers_shop_id_code")
                    .table(WorkCenters::Table)
                    .col(WorkCenters::ShopId)
                    .col(WorkCenters::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WorkCenterHolidays::Table)
                    .col(big_pk_auto(WorkCenterHolidays::Id))
                    .col(big_integer(WorkCenterHolidays::WorkCenterId))
                    .col(date(WorkCenterHolidays::Day))
                    .col(text(WorkCenterHolidays::Name))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_center_holidays_work_center_id")
                            .from(WorkCenterHolidays::Table, WorkCenterHolidays::WorkCenterId)
                            .to(WorkCenters::Table, WorkCenters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_work_center_holidays_work_center_id_day")
                    .table(WorkCenterHolidays::Table)
                    .col(WorkCenterHolidays::WorkCenterId)
                    .col(WorkCenterHolidays::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkCenterHolidays::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WorkCenters::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The columns of `work_centers`.
#[derive(DeriveIden)]
pub enum WorkCenters {
    Table,
    Id,
    ShopId,
    NodeId,
    Code,
    Name,
    MinutesPerDay,
    WorkingWeekdays,
}

/// The columns of `work_center_holidays`.
#[derive(DeriveIden)]
pub enum WorkCenterHolidays {
    Table,
    Id,
    WorkCenterId,
    Day,
    Name,
}
