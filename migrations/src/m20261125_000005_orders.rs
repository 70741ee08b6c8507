//! Orders, their material reservations and work-center bookings.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::{Inbound, Materials, Nodes};
use crate::m20261125_000003_capacity::WorkCenters;
use crate::m20261125_000004_catalog::Products;

/// Creates `orders`, `order_reservations`, `work_center_bookings`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(big_pk_auto(Orders::Id))
                    .col(big_integer(Orders::ShopId))
                    .col(big_integer(Orders::ProductId))
                    .col(text(Orders::Reference))
                    .col(big_integer(Orders::Quantity))
                    .col(json(Orders::Selection))
                    .col(big_integer(Orders::PriceMinor))
                    .col(date(Orders::QuotedP50))
                    .col(date(Orders::QuotedP90))
                    .col(date(Orders::PromisedOn))
                    .col(text(Orders::Status))
                    .col(timestamp_with_time_zone(Orders::PlacedAt))
                    .col(date_null(Orders::DeliveredOn))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_orders_shop_id")
                            .from(Orders::Table, Orders::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_orders_product_id")
                            .from(Orders::Table, Orders::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_orders_shop_id_reference")
                    .table(Orders::Table)
                    .col(Orders::ShopId)
                    .col(Orders::Reference)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_orders_shop_id_placed_at")
                    .table(Orders::Table)
                    .col(Orders::ShopId)
                    .col(Orders::PlacedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrderReservations::Table)
                    .col(big_pk_auto(OrderReservations::Id))
                    .col(big_integer(OrderReservations::OrderId))
                    .col(big_integer(OrderReservations::MaterialId))
                    .col(big_integer(OrderReservations::NodeId))
                    .col(big_integer_null(OrderReservations::InboundId))
                    .col(big_integer(OrderReservations::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_reservations_order_id")
                            .from(OrderReservations::Table, OrderReservations::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_reservations_material_id")
                            .from(OrderReservations::Table, OrderReservations::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_reservations_node_id")
                            .from(OrderReservations::Table, OrderReservations::NodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_reservations_inbound_id")
                            .from(OrderReservations::Table, OrderReservations::InboundId)
                            .to(Inbound::Table, Inbound::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_order_reservations_order_id")
                    .table(OrderReservations::Table)
                    .col(OrderReservations::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_order_reservations_material_id_node_id")
                    .table(OrderReservations::Table)
                    .col(OrderReservations::MaterialId)
                    .col(OrderReservations::NodeId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WorkCenterBookings::Table)
                    .col(big_pk_auto(WorkCenterBookings::Id))
                    .col(big_integer(WorkCenterBookings::WorkCenterId))
                    .col(date(WorkCenterBookings::Day))
                    .col(integer(WorkCenterBookings::Minutes))
                    .col(big_integer_null(WorkCenterBookings::OrderId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_center_bookings_work_center_id")
                            .from(WorkCenterBookings::Table, WorkCenterBookings::WorkCenterId)
                            .to(WorkCenters::Table, WorkCenters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_center_bookings_order_id")
                            .from(WorkCenterBookings::Table, WorkCenterBookings::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_work_center_bookings_work_center_id_day")
                    .table(WorkCenterBookings::Table)
                    .col(WorkCenterBookings::WorkCenterId)
                    .col(WorkCenterBookings::Day)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkCenterBookings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OrderReservations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Orders::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The columns of `orders`.
#[derive(DeriveIden)]
pub enum Orders {
    Table,
    Id,
    ShopId,
    ProductId,
    Reference,
    Quantity,
    Selection,
    PriceMinor,
    QuotedP50,
    QuotedP90,
    PromisedOn,
    Status,
    PlacedAt,
    DeliveredOn,
}

/// The columns of `order_reservations`.
#[derive(DeriveIden)]
pub enum OrderReservations {
    Table,
    Id,
    OrderId,
    MaterialId,
    NodeId,
    InboundId,
    Quantity,
}

/// The columns of `work_center_bookings`.
#[derive(DeriveIden)]
pub enum WorkCenterBookings {
    Table,
    Id,
    WorkCenterId,
    Day,
    Minutes,
    OrderId,
}
