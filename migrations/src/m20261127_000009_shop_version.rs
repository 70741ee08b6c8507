//! The shop profile's own version, for the admin's settings form.

use sea_orm_migration::prelude::*;

use crate::m20261125_000001_shops::Shops;

/// Adds `shops.version` (0 for existing shops).
///
/// `state_version` cannot guard the profile form: every stock write moves it, so a
/// form read a second before a stock count would be refused for nothing. `version`
/// moves only when the profile itself is saved.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ShopVersion {
    #[sea_orm(iden = "version")]
    Column,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Shops::Table)
                    .add_column(
                        ColumnDef::new(ShopVersion::Column)
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
                    .table(Shops::Table)
                    .drop_column(ShopVersion::Column)
                    .to_owned(),
            )
            .await
    }
}
