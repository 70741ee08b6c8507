//! What an order may be promised beyond one date: a split delivery, a presale
//! product's first batch, and stock kept for one sales channel.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::{Materials, Nodes};
use crate::m20261125_000004_catalog::Products;
use crate::m20261125_000005_orders::Orders;

/// Adds:
/// - `channel_allocations`: units of a material at a node kept for one sales channel,
///   given as a quantity or as a share of the node's on-hand stock (exactly one of the
///   two); other channels' quotes and orders leave them alone. One row per material,
///   node and channel.
/// - `products.first_batch_until`: for a product in presale, the last day its first
///   batch is made; preorders are then promised only from supply already on its way
///   and finished by that day.
/// - `orders.deliveries`: for an order that took a split delivery, each part's
///   quantity and promise (JSON); `null` for one delivery.
/// - `orders.preorder`: the product was in presale when the order was placed.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `channel_allocations`.
#[derive(DeriveIden)]
pub enum ChannelAllocations {
    Table,
    Id,
    ShopId,
    MaterialId,
    NodeId,
    Channel,
    Quantity,
    Share,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Added {
    FirstBatchUntil,
    Deliveries,
    Preorder,
}

fn cascade(name: &str, from: DynIden, to: (DynIden, DynIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(ChannelAllocations::Table, from)
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
                    .table(ChannelAllocations::Table)
                    .col(big_pk_auto(ChannelAllocations::Id))
                    .col(big_integer(ChannelAllocations::ShopId))
                    .col(big_integer(ChannelAllocations::MaterialId))
                    .col(big_integer(ChannelAllocations::NodeId))
                    .col(text(ChannelAllocations::Channel))
                    .col(big_integer_null(ChannelAllocations::Quantity))
                    .col(double_null(ChannelAllocations::Share))
                    .col(timestamp_with_time_zone(ChannelAllocations::UpdatedAt))
                    .foreign_key(&mut cascade(
                        "fk_channel_allocations_shop_id",
                        ChannelAllocations::ShopId.into_iden(),
                        (Shops::Table.into_iden(), Shops::Id.into_iden()),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_channel_allocations_material_id",
                        ChannelAllocations::MaterialId.into_iden(),
                        (Materials::Table.into_iden(), Materials::Id.into_iden()),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_channel_allocations_node_id",
                        ChannelAllocations::NodeId.into_iden(),
                        (Nodes::Table.into_iden(), Nodes::Id.into_iden()),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_channel_allocations_material_node_channel")
                    .table(ChannelAllocations::Table)
                    .col(ChannelAllocations::MaterialId)
                    .col(ChannelAllocations::NodeId)
                    .col(ChannelAllocations::Channel)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_channel_allocations_shop_id")
                    .table(ChannelAllocations::Table)
                    .col(ChannelAllocations::ShopId)
                    .to_owned(),
            )
            .await?;
        let add =
            |table: DynIden, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        manager
            .alter_table(add(
                Products::Table.into_iden(),
                ColumnDef::new(Added::FirstBatchUntil).date().null().to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::Deliveries).json().null().to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::Preorder)
                    .boolean()
                    .not_null()
                    .default(false)
                    .to_owned(),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = |table: DynIden, column: Added| Table::alter().table(table).drop_column(column).to_owned();
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::Preorder))
            .await?;
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::Deliveries))
            .await?;
        manager
            .alter_table(drop(Products::Table.into_iden(), Added::FirstBatchUntil))
            .await?;
        manager
            .drop_table(Table::drop().table(ChannelAllocations::Table).to_owned())
            .await
    }
}
