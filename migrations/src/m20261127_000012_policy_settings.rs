//! A shop's policy settings, and a material's stock level chosen by the merchant.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::Materials;

/// Creates `policy_settings` and adds `materials.stock_level`.
///
/// `policy_settings` holds one JSON document per shop (ABC and XYZ thresholds, the
/// policy matrix, the heat conversion factor, the heat-spike rule), versioned like the
/// other admin forms; a shop without a row uses the defaults. `materials.stock_level`
/// (`low`, `medium`, `high`, or null for the matrix's) is set by the merchant or by an
/// accepted heat-spike suggestion and overrides the matrix for that material.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MaterialStockLevel {
    #[sea_orm(iden = "stock_level")]
    Column,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PolicySettings::Table)
                    .col(big_pk_auto(PolicySettings::Id))
                    .col(big_integer(PolicySettings::ShopId))
                    .col(json(PolicySettings::Settings))
                    .col(big_integer(PolicySettings::Version))
                    .col(timestamp_with_time_zone(PolicySettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_policy_settings_shop_id")
                            .from(PolicySettings::Table, PolicySettings::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_policy_settings_shop_id")
                    .table(PolicySettings::Table)
                    .col(PolicySettings::ShopId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Materials::Table)
                    .add_column(ColumnDef::new(MaterialStockLevel::Column).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Materials::Table)
                    .drop_column(MaterialStockLevel::Column)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(PolicySettings::Table).to_owned())
            .await
    }
}

/// The columns of `policy_settings`.
#[derive(DeriveIden)]
pub enum PolicySettings {
    Table,
    Id,
    ShopId,
    Settings,
    Version,
    UpdatedAt,
}
