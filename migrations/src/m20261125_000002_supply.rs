//! Nodes and lanes, materials and stock, suppliers, inbound and capacity reservations.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;

/// Creates `nodes`, `transfer_lanes`, `materials`, `stock`, `suppliers`, `supplier_materials`, `inbound`, `capacity_reservations`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Nodes::Table)
                    .col(big_pk_auto(Nodes::Id))
                    .col(big_integer(Nodes::ShopId))
                    .col(text(Nodes::Code))
                    .col(text(Nodes::Name))
                    .col(text(Nodes::Kind))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_nodes_shop_id")
                            .from(Nodes::Table, Nodes::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_nodes_shop_id_code")
                    .table(Nodes::Table)
                    .col(Nodes::ShopId)
                    .col(Nodes::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TransferLanes::Table)
                    .col(big_pk_auto(TransferLanes::Id))
                    .col(big_integer(TransferLanes::FromNodeId))
                    .col(big_integer(TransferLanes::ToNodeId))
                    .col(integer(TransferLanes::LeadTimeDays))
                    .col(big_integer(TransferLanes::CostPerUnitMinor))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_transfer_lanes_from_node_id")
                            .from(TransferLanes::Table, TransferLanes::FromNodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_transfer_lanes_to_node_id")
                            .from(TransferLanes::Table, TransferLanes::ToNodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_transfer_lanes_from_node_id_to_node_id")
                    .table(TransferLanes::Table)
                    .col(TransferLanes::FromNodeId)
                    .col(TransferLanes::ToNodeId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Materials::Table)
                    .col(big_pk_auto(Materials::Id))
                    .col(big_integer(Materials::ShopId))
                    .col(text(Materials::Sku))
                    .col(text(Materials::Name))
                    .col(text(Materials::Unit))
                    .col(big_integer(Materials::UnitCostMinor))
                    .col(text(Materials::Kind))
                    .col(text_null(Materials::ColourFamily))
                    .col(json(Materials::Attributes))
                    .col(boolean(Materials::IsGeneric))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_materials_shop_id")
                            .from(Materials::Table, Materials::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_materials_shop_id_sku")
                    .table(Materials::Table)
                    .col(Materials::ShopId)
                    .col(Materials::Sku)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_materials_shop_id_kind")
                    .table(Materials::Table)
                    .col(Materials::ShopId)
                    .col(Materials::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Stock::Table)
                    .col(big_pk_auto(Stock::Id))
                    .col(big_integer(Stock::MaterialId))
                    .col(big_integer(Stock::NodeId))
                    .col(big_integer(Stock::OnHand))
                    .col(big_integer(Stock::Reserved))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_material_id")
                            .from(Stock::Table, Stock::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_node_id")
                            .from(Stock::Table, Stock::NodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_stock_material_id_node_id")
                    .table(Stock::Table)
                    .col(Stock::MaterialId)
                    .col(Stock::NodeId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Suppliers::Table)
                    .col(big_pk_auto(Suppliers::Id))
                    .col(big_integer(Suppliers::ShopId))
                    .col(text(Suppliers::Code))
                    .col(text(Suppliers::Name))
                    .col(text_null(Suppliers::Email))
                    .col(text(Suppliers::Status))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_suppliers_shop_id")
                            .from(Suppliers::Table, Suppliers::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_suppliers_shop_id_code")
                    .table(Suppliers::Table)
                    .col(Suppliers::ShopId)
                    .col(Suppliers::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupplierMaterials::Table)
                    .col(big_pk_auto(SupplierMaterials::Id))
                    .col(big_integer(SupplierMaterials::SupplierId))
                    .col(big_integer(SupplierMaterials::MaterialId))
                    .col(double(SupplierMaterials::LeadTimeMeanDays))
                    .col(double(SupplierMaterials::LeadTimeSdDays))
                    .col(big_integer(SupplierMaterials::Moq))
                    .col(big_integer(SupplierMaterials::PackSize))
                    .col(big_integer(SupplierMaterials::PriceMinor))
                    .col(text(SupplierMaterials::Status))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_supplier_materials_supplier_id")
                            .from(SupplierMaterials::Table, SupplierMaterials::SupplierId)
                            .to(Suppliers::Table, Suppliers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_supplier_materials_material_id")
                            .from(SupplierMaterials::Table, SupplierMaterials::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_supplier_materials_supplier_id_material_id")
                    .table(SupplierMaterials::Table)
                    .col(SupplierMaterials::SupplierId)
                    .col(SupplierMaterials::MaterialId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_supplier_materials_material_id")
                    .table(SupplierMaterials::Table)
                    .col(SupplierMaterials::MaterialId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Inbound::Table)
                    .col(big_pk_auto(Inbound::Id))
                    .col(big_integer(Inbound::ShopId))
                    .col(big_integer(Inbound::MaterialId))
                    .col(big_integer(Inbound::NodeId))
                    .col(text(Inbound::Kind))
                    .col(big_integer_null(Inbound::SupplierId))
                    .col(big_integer_null(Inbound::FromNodeId))
                    .col(big_integer(Inbound::Quantity))
                    .col(date(Inbound::Eta))
                    .col(text(Inbound::Status))
                    .col(text(Inbound::Reference))
                    .col(timestamp_with_time_zone(Inbound::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inbound_shop_id")
                            .from(Inbound::Table, Inbound::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inbound_material_id")
                            .from(Inbound::Table, Inbound::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inbound_node_id")
                            .from(Inbound::Table, Inbound::NodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inbound_supplier_id")
                            .from(Inbound::Table, Inbound::SupplierId)
                            .to(Suppliers::Table, Suppliers::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inbound_from_node_id")
                            .from(Inbound::Table, Inbound::FromNodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_inbound_material_id_node_id_status_eta")
                    .table(Inbound::Table)
                    .col(Inbound::MaterialId)
                    .col(Inbound::NodeId)
                    .col(Inbound::Status)
                    .col(Inbound::Eta)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CapacityReservations::Table)
                    .col(big_pk_auto(CapacityReservations::Id))
                    .col(big_integer(CapacityReservations::ShopId))
                    .col(big_integer(CapacityReservations::SupplierId))
                    .col(big_integer(CapacityReservations::MaterialId))
                    .col(big_integer(CapacityReservations::Quantity))
                    .col(date(CapacityReservations::WindowStart))
                    .col(date(CapacityReservations::WindowEnd))
                    .col(timestamp_with_time_zone(CapacityReservations::ConfirmBy))
                    .col(big_integer(CapacityReservations::FeeMinor))
                    .col(text(CapacityReservations::Status))
                    .col(timestamp_with_time_zone(CapacityReservations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_capacity_reservations_shop_id")
                            .from(CapacityReservations::Table, CapacityReservations::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_capacity_reservations_supplier_id")
                            .from(CapacityReservations::Table, CapacityReservations::SupplierId)
                            .to(Suppliers::Table, Suppliers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_capacity_reservations_material_id")
                            .from(CapacityReservations::Table, CapacityReservations::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_capacity_reservations_material_id_status")
                    .table(CapacityReservations::Table)
                    .col(CapacityReservations::MaterialId)
                    .col(CapacityReservations::Status)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CapacityReservations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Inbound::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SupplierMaterials::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Suppliers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Stock::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Materials::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TransferLanes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Nodes::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The columns of `nodes`.
#[derive(DeriveIden)]
pub enum Nodes {
    Table,
    Id,
    ShopId,
    Code,
    Name,
    Kind,
}

/// The columns of `transfer_lanes`.
#[derive(DeriveIden)]
pub enum TransferLanes {
    Table,
    Id,
    FromNodeId,
    ToNodeId,
    LeadTimeDays,
    CostPerUnitMinor,
}

/// The columns of `materials`.
#[derive(DeriveIden)]
pub enum Materials {
    Table,
    Id,
    ShopId,
    Sku,
    Name,
    Unit,
    UnitCostMinor,
    Kind,
    ColourFamily,
    Attributes,
    IsGeneric,
}

/// The columns of `stock`.
#[derive(DeriveIden)]
pub enum Stock {
    Table,
    Id,
    MaterialId,
    NodeId,
    OnHand,
    Reserved,
}

/// The columns of `suppliers`.
#[derive(DeriveIden)]
pub enum Suppliers {
    Table,
    Id,
    ShopId,
    Code,
    Name,
    Email,
    Status,
}

/// The columns of `supplier_materials`.
#[derive(DeriveIden)]
pub enum SupplierMaterials {
    Table,
    Id,
    SupplierId,
    MaterialId,
    LeadTimeMeanDays,
    LeadTimeSdDays,
    Moq,
    PackSize,
    PriceMinor,
    Status,
}

/// The columns of `inbound`.
#[derive(DeriveIden)]
pub enum Inbound {
    Table,
    Id,
    ShopId,
    MaterialId,
    NodeId,
    Kind,
    SupplierId,
    FromNodeId,
    Quantity,
    Eta,
    Status,
    Reference,
    CreatedAt,
}

/// The columns of `capacity_reservations`.
#[derive(DeriveIden)]
pub enum CapacityReservations {
    Table,
    Id,
    ShopId,
    SupplierId,
    MaterialId,
    Quantity,
    WindowStart,
    WindowEnd,
    ConfirmBy,
    FeeMinor,
    Status,
    CreatedAt,
}
