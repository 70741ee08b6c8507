//! Products with their BOM and routing, option groups and values.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::{Materials, Nodes};
use crate::m20261125_000003_capacity::WorkCenters;

/// Creates `products`, `product_bom_lines`, `product_operations`, `option_groups`, `option_values`, `option_value_bom_lines`, `option_value_operations`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(big_pk_auto(Products::Id))
                    .col(big_integer(Products::ShopId))
                    .col(text(Products::Slug))
                    .col(text(Products::Name))
                    .col(text(Products::Description))
                    .col(big_integer(Products::BasePriceMinor))
                    .col(text(Products::Lifecycle))
                    .col(integer(Products::MaxLeadTimeDays))
                    .col(integer(Products::HandlingDays))
                    .col(date_null(Products::EndOfSale))
                    .col(big_integer(Products::ProducingNodeId))
                    .col(big_integer(Products::Version))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_products_shop_id")
                            .from(Products::Table, Products::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_products_producing_node_id")
                            .from(Products::Table, Products::ProducingNodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_products_shop_id_slug")
                    .table(Products::Table)
                    .col(Products::ShopId)
                    .col(Products::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProductBomLines::Table)
                    .col(big_pk_auto(ProductBomLines::Id))
                    .col(big_integer(ProductBomLines::ProductId))
                    .col(big_integer(ProductBomLines::MaterialId))
                    .col(big_integer(ProductBomLines::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_product_bom_lines_product_id")
                            .from(ProductBomLines::Table, ProductBomLines::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_product_bom_lines_material_id")
                            .from(ProductBomLines::Table, ProductBomLines::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_product_bom_lines_product_id_material_id")
                    .table(ProductBomLines::Table)
                    .col(ProductBomLines::ProductId)
                    .col(ProductBomLines::MaterialId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProductOperations::Table)
                    .col(big_pk_auto(ProductOperations::Id))
                    .col(big_integer(ProductOperations::ProductId))
                    .col(integer(ProductOperations::Seq))
                    .col(text(ProductOperations::Name))
                    .col(big_integer(ProductOperations::WorkCenterId))
                    .col(double(ProductOperations::MinutesPerUnit))
                    .col(integer(ProductOperations::SetupMinutes))
                    .col(boolean(ProductOperations::IsGeneric))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_product_operations_product_id")
                            .from(ProductOperations::Table, ProductOperations::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_product_operations_work_center_id")
                            .from(ProductOperations::Table, ProductOperations::WorkCenterId)
                            .to(WorkCenters::Table, WorkCenters::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_product_operations_product_id_seq")
                    .table(ProductOperations::Table)
                    .col(ProductOperations::ProductId)
                    .col(ProductOperations::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OptionGroups::Table)
                    .col(big_pk_auto(OptionGroups::Id))
                    .col(big_integer(OptionGroups::ProductId))
                    .col(text(OptionGroups::Code))
                    .col(text(OptionGroups::Name))
                    .col(integer(OptionGroups::Position))
                    .col(boolean(OptionGroups::Required))
                    .col(boolean(OptionGroups::Multi))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_option_groups_product_id")
                            .from(OptionGroups::Table, OptionGroups::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_option_groups_product_id_code")
                    .table(OptionGroups::Table)
                    .col(OptionGroups::ProductId)
                    .col(OptionGroups::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OptionValues::Table)
                    .col(big_pk_auto(OptionValues::Id))
                    .col(big_integer(OptionValues::GroupId))
                    .col(text(OptionValues::Code))
                    .col(text(OptionValues::Label))
                    .col(integer(OptionValues::Position))
                    .col(big_integer(OptionValues::PriceDeltaMinor))
                    .col(text(OptionValues::Status))
                    .col(text_null(OptionValues::FrozenReason))
                    .col(text_null(OptionValues::FrozenBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_option_values_group_id")
                            .from(OptionValues::Table, OptionValues::GroupId)
                            .to(OptionGroups::Table, OptionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_option_values_group_id_code")
                    .table(OptionValues::Table)
                    .col(OptionValues::GroupId)
                    .col(OptionValues::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OptionValueBomLines::Table)
                    .col(big_pk_auto(OptionValueBomLines::Id))
                    .col(big_integer(OptionValueBomLines::OptionValueId))
                    .col(big_integer(OptionValueBomLines::MaterialId))
                    .col(big_integer(OptionValueBomLines::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_option_value_bom_lines_option_value_id")
                            .from(OptionValueBomLines::Table, OptionValueBomLines::OptionValueId)
                            .to(OptionValues::Table, OptionValues::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_option_value_bom_lines_material_id")
                            .from(OptionValueBomLines::Table, OptionValueBomLines::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_option_value_bom_lines_option_value_id_material_id")
                    .table(OptionValueBomLines::Table)
                    .col(OptionValueBomLines::OptionValueId)
                    .col(OptionValueBomLines::MaterialId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OptionValueOperations::Table)
                    .col(big_pk_auto(OptionValueOperations::Id))
                    .col(big_integer(OptionValueOperations::OptionValueId))
                    .col(integer(OptionValueOperations::Seq))
                    .col(text(OptionValueOperations::Name))
                    .col(big_integer(OptionValueOperations::WorkCenterId))
                    .col(double(OptionValueOperations::MinutesPerUnit))
                    .col(integer(OptionValueOperations::SetupMinutes))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_option_value_operations_option_value_id")
                            .from(OptionValueOperations::Table, OptionValueOperations::OptionValueId)
                            .to(OptionValues::Table, OptionValues::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_option_value_operations_work_center_id")
                            .from(OptionValueOperations::Table, OptionValueOperations::WorkCenterId)
                            .to(WorkCenters::Table, WorkCenters::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_option_value_operations_option_value_id_seq")
                    .table(OptionValueOperations::Table)
                    .col(OptionValueOperations::OptionValueId)
                    .col(OptionValueOperations::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OptionValueOperations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OptionValueBomLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OptionValues::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OptionGroups::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProductOperations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProductBomLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Products::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The columns of `products`.
#[derive(DeriveIden)]
pub enum Products {
    Table,
    Id,
    ShopId,
    Slug,
    Name,
    Description,
    BasePriceMinor,
    Lifecycle,
    MaxLeadTimeDays,
    HandlingDays,
    EndOfSale,
    ProducingNodeId,
    Version,
    CreatedAt,
}

/// The columns of `product_bom_lines`.
#[derive(DeriveIden)]
pub enum ProductBomLines {
    Table,
    Id,
    ProductId,
    MaterialId,
    Quantity,
}

/// The columns of `product_operations`.
#[derive(DeriveIden)]
pub enum ProductOperations {
    Table,
    Id,
    ProductId,
    Seq,
    Name,
    WorkCenterId,
    MinutesPerUnit,
    SetupMinutes,
    IsGeneric,
}

/// The columns of `option_groups`.
#[derive(DeriveIden)]
pub enum OptionGroups {
    Table,
    Id,
    ProductId,
    Code,
    Name,
    Position,
    Required,
    Multi,
}

/// The columns of `option_values`.
#[derive(DeriveIden)]
pub enum OptionValues {
    Table,
    Id,
    GroupId,
    Code,
    Label,
    Position,
    PriceDeltaMinor,
    Status,
    FrozenReason,
    FrozenBy,
}

/// The columns of `option_value_bom_lines`.
#[derive(DeriveIden)]
pub enum OptionValueBomLines {
    Table,
    Id,
    OptionValueId,
    MaterialId,
    Quantity,
}

/// The columns of `option_value_operations`.
#[derive(DeriveIden)]
pub enum OptionValueOperations {
    Table,
    Id,
    OptionValueId,
    Seq,
    Name,
    WorkCenterId,
    MinutesPerUnit,
    SetupMinutes,
}
