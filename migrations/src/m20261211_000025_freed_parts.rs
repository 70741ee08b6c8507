//! Parts freed by cancelled orders: what was issued to an order that no longer needs it.

use sea_orm_migration::prelude::*;

use crate::m20261208_000022_material_consumption::MaterialConsumption;

/// Adds `material_consumption.returned`: units of a report that went back into the
/// node's stock after its order was cancelled (an accepted suggestion reused them).
/// A cancelled order's reports, less what was returned, are the parts it freed: issued
/// to production, so off the node's stock, and reusable by other work.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The column this migration adds.
#[derive(DeriveIden)]
enum Freed {
    Returned,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MaterialConsumption::Table)
                    .add_column(
                        ColumnDef::new(Freed::Returned)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MaterialConsumption::Table)
                    .drop_column(Freed::Returned)
                    .to_owned(),
            )
            .await
    }
}
