//! Material that work in progress really used, as operators report it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000002_supply::{Materials, Nodes};
use crate::m20261125_000005_orders::Orders;

/// Adds `material_consumption`: one row per report of units of a material issued to an
/// order in production (at the node its reservation holds the material), with the day
/// and who reported it. The overconsumption rule compares these with what the orders
/// planned (their reservations); units beyond an order's plan leave the node's stock
/// when they are reported. Rows go with their order, material or node.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `material_consumption`.
#[derive(DeriveIden)]
pub enum MaterialConsumption {
    Table,
    Id,
    OrderId,
    MaterialId,
    NodeId,
    Quantity,
    ConsumedOn,
    ReportedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let owner = |name: &str, column: MaterialConsumption, table: DynIden, id: DynIden| {
            ForeignKey::create()
                .name(name)
                .from(MaterialConsumption::Table, column)
                .to(table, id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(MaterialConsumption::Table)
                    .col(big_pk_auto(MaterialConsumption::Id))
                    .col(big_integer(MaterialConsumption::OrderId))
                    .col(big_integer(MaterialConsumption::MaterialId))
                    .col(big_integer(MaterialConsumption::NodeId))
                    .col(big_integer(MaterialConsumption::Quantity))
                    .col(date(MaterialConsumption::ConsumedOn))
                    .col(text(MaterialConsumption::ReportedBy))
                    .col(timestamp_with_time_zone(MaterialConsumption::CreatedAt))
                    .foreign_key(&mut owner(
                        "fk_material_consumption_order_id",
                        MaterialConsumption::OrderId,
                        Orders::Table.into_iden(),
                        Orders::Id.into_iden(),
                    ))
                    .foreign_key(&mut owner(
                        "fk_material_consumption_material_id",
                        MaterialConsumption::MaterialId,
                        Materials::Table.into_iden(),
                        Materials::Id.into_iden(),
                    ))
                    .foreign_key(&mut owner(
                        "fk_material_consumption_node_id",
                        MaterialConsumption::NodeId,
                        Nodes::Table.into_iden(),
                        Nodes::Id.into_iden(),
                    ))
                    .to_owned(),
            )
            .await?;
        // The rule reads one material's reports for the orders in production.
        manager
            .create_index(
                Index::create()
                    .name("ix_material_consumption_material_id_order_id")
                    .table(MaterialConsumption::Table)
                    .col(MaterialConsumption::MaterialId)
                    .col(MaterialConsumption::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_material_consumption_order_id")
                    .table(MaterialConsumption::Table)
                    .col(MaterialConsumption::OrderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MaterialConsumption::Table).to_owned())
            .await
    }
}
