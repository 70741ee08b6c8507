//! The outcome of every CSV import a merchant uploaded in the admin.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;

/// Creates `imports`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Imports::Table)
                    .col(big_pk_auto(Imports::Id))
                    .col(big_integer(Imports::ShopId))
                    .col(text(Imports::Kind))
                    .col(text(Imports::FileName))
                    .col(text(Imports::Status))
                    .col(integer(Imports::Rows))
                    .col(integer(Imports::Changed))
                    .col(json(Imports::Errors))
                    .col(text(Imports::Actor))
                    .col(timestamp_with_time_zone(Imports::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_imports_shop_id")
                            .from(Imports::Table, Imports::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_imports_shop_id_created_at")
                    .table(Imports::Table)
                    .col(Imports::ShopId)
                    .col(Imports::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Imports::Table).to_owned())
            .await
    }
}

/// The columns of `imports`.
#[derive(DeriveIden)]
pub enum Imports {
    Table,
    Id,
    ShopId,
    Kind,
    FileName,
    Status,
    Rows,
    Changed,
    Errors,
    Actor,
    CreatedAt,
}
