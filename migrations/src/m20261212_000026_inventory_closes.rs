//! The stock at each day's close, so the dashboard can show how it turned and aged.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::Materials;

/// Adds `inventory_closes`: one row per material and shop day with its stock on hand
/// at every node at the day's close, its unit cost then, how many of those units were
/// received (dated) and how many long ago (aged), and its policy's levels and XYZ class
/// then. The scheduled close rewrites today's row until the day ends, so the last
/// write of a day is its close. The inventory KPIs (`docs/kpis.md`) read these; rows
/// go with their shop or material.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `inventory_closes`.
#[derive(DeriveIden)]
pub enum InventoryCloses {
    Table,
    Id,
    ShopId,
    MaterialId,
    Day,
    OnHand,
    UnitCostMinor,
    DatedUnits,
    AgedUnits,
    SafetyStock,
    ReorderPoint,
    OrderUpTo,
    Xyz,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InventoryCloses::Table)
                    .col(big_pk_auto(InventoryCloses::Id))
                    .col(big_integer(InventoryCloses::ShopId))
                    .col(big_integer(InventoryCloses::MaterialId))
                    .col(date(InventoryCloses::Day))
                    .col(big_integer(InventoryCloses::OnHand))
                    .col(big_integer(InventoryCloses::UnitCostMinor))
                    .col(big_integer(InventoryCloses::DatedUnits))
                    .col(big_integer(InventoryCloses::AgedUnits))
                    .col(big_integer_null(InventoryCloses::SafetyStock))
                    .col(big_integer_null(InventoryCloses::ReorderPoint))
                    .col(big_integer_null(InventoryCloses::OrderUpTo))
                    .col(text_null(InventoryCloses::Xyz))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inventory_closes_shop_id")
                            .from(InventoryCloses::Table, InventoryCloses::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inventory_closes_material_id")
                            .from(InventoryCloses::Table, InventoryCloses::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One close per material and day: the close of a day is rewritten, never doubled.
        manager
            .create_index(
                Index::create()
                    .name("ux_inventory_closes_material_id_day")
                    .table(InventoryCloses::Table)
                    .col(InventoryCloses::MaterialId)
                    .col(InventoryCloses::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The dashboard reads a shop's closes over a window.
        manager
            .create_index(
                Index::create()
                    .name("ix_inventory_closes_shop_id_day")
                    .table(InventoryCloses::Table)
                    .col(InventoryCloses::ShopId)
                    .col(InventoryCloses::Day)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InventoryCloses::Table).to_owned())
            .await
    }
}
