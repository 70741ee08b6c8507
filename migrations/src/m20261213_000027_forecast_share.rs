//! Split sourcing: the share of a material's forecast each supplier offer is planned for.

use sea_orm_migration::prelude::*;

use crate::m20261125_000002_supply::SupplierMaterials;

/// Adds `supplier_materials.forecast_share`: a weight from 0 to 100; a material's
/// forecast is split between its active offers in proportion to their weights, and the
/// policy plans replenishment with the offer of the largest one (the fastest among
/// equals, which is what every material did before: all offers start at 100). The
/// late-supply rule lowers a late supplier's weight when its top-up is released.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The column this migration adds.
#[derive(DeriveIden)]
enum Share {
    ForecastShare,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SupplierMaterials::Table)
                    .add_column(
                        ColumnDef::new(Share::ForecastShare)
                            .integer()
                            .not_null()
                            .default(100),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SupplierMaterials::Table)
                    .drop_column(Share::ForecastShare)
                    .to_owned(),
            )
            .await
    }
}
