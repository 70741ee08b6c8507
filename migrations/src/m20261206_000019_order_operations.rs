//! An order's operations: what its routing planned, what was booked, and what the work
//! really took once it is reported.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000003_capacity::WorkCenters;
use crate::m20261125_000005_orders::Orders;

/// Adds `order_operations`: one row per operation of a booked order, in routing order
/// (`seq`), with the minutes its routing states (`planned_minutes`), the minutes booked
/// for it at its work center's pace then (`booked_minutes`), and, once an operator
/// reports it finished, the minutes it really took and the day (`actual_minutes`,
/// `finished_on`). Finished operations are what a work center's pace is learned from
/// (`engine::learn::learn_pace`); orders booked before this table have none.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `order_operations`.
#[derive(DeriveIden)]
pub enum OrderOperations {
    Table,
    Id,
    OrderId,
    Seq,
    WorkCenterId,
    PlannedMinutes,
    BookedMinutes,
    ActualMinutes,
    FinishedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrderOperations::Table)
                    .col(big_pk_auto(OrderOperations::Id))
                    .col(big_integer(OrderOperations::OrderId))
                    .col(integer(OrderOperations::Seq))
                    .col(big_integer(OrderOperations::WorkCenterId))
                    .col(integer(OrderOperations::PlannedMinutes))
                    .col(integer(OrderOperations::BookedMinutes))
                    .col(integer_null(OrderOperations::ActualMinutes))
                    .col(date_null(OrderOperations::FinishedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_operations_order_id")
                            .from(OrderOperations::Table, OrderOperations::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_operations_work_center_id")
                            .from(OrderOperations::Table, OrderOperations::WorkCenterId)
                            .to(WorkCenters::Table, WorkCenters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_order_operations_order_id_seq")
                    .table(OrderOperations::Table)
                    .col(OrderOperations::OrderId)
                    .col(OrderOperations::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The learning reads a work center's finished operations, newest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_order_operations_work_center_id_finished_on")
                    .table(OrderOperations::Table)
                    .col(OrderOperations::WorkCenterId)
                    .col(OrderOperations::FinishedOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrderOperations::Table).to_owned())
            .await
    }
}
