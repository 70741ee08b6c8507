//! Shops, their calendars, origins and API keys; merchants and their sessions.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `shops`, `shop_holidays`, `shop_origins`, `api_keys`, `merchants`, `sessions`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Shops::Table)
                    .col(big_pk_auto(Shops::Id))
                    .col(text(Shops::Slug))
                    .col(text(Shops::Name))
                    .col(text(Shops::Timezone))
                    .col(text(Shops::Currency))
                    .col(small_integer(Shops::WorkingWeekdays))
                    .col(integer(Shops::TransitDays))
                    .col(big_integer(Shops::StateVersion))
                    .col(timestamp_with_time_zone(Shops::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_shops_slug")
                    .table(Shops::Table)
                    .col(Shops::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShopHolidays::Table)
                    .col(big_pk_auto(ShopHolidays::Id))
                    .col(big_integer(ShopHolidays::ShopId))
                    .col(date(ShopHolidays::Day))
                    .col(text(ShopHolidays::Name))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shop_holidays_shop_id")
                            .from(ShopHolidays::Table, ShopHolidays::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_shop_holidays_shop_id_day")
                    .table(ShopHolidays::Table)
                    .col(ShopHolidays::ShopId)
                    .col(ShopHolidays::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShopOrigins::Table)
                    .col(big_pk_auto(ShopOrigins::Id))
                    .col(big_integer(ShopOrigins::ShopId))
                    .col(text(ShopOrigins::Origin))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shop_origins_shop_id")
                            .from(ShopOrigins::Table, ShopOrigins::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_shop_origins_shop_id_origin")
                    .table(ShopOrigins::Table)
                    .col(ShopOrigins::ShopId)
                    .col(ShopOrigins::Origin)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(big_pk_auto(ApiKeys::Id))
                    .col(big_integer(ApiKeys::ShopId))
                    .col(text(ApiKeys::Kind))
                    .col(text(ApiKeys::Prefix))
                    .col(text(ApiKeys::TokenHash))
                    .col(text(ApiKeys::Label))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_keys_shop_id")
                            .from(ApiKeys::Table, ApiKeys::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_api_keys_token_hash")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_api_keys_shop_id")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::ShopId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Merchants::Table)
                    .col(big_pk_auto(Merchants::Id))
                    .col(big_integer(Merchants::ShopId))
                    .col(text(Merchants::Email))
                    .col(text(Merchants::Name))
                    .col(text(Merchants::PasswordHash))
                    .col(timestamp_with_time_zone(Merchants::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_merchants_shop_id")
                            .from(Merchants::Table, Merchants::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_merchants_email")
                    .table(Merchants::Table)
                    .col(Merchants::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(big_integer(Sessions::MerchantId))
                    .col(text(Sessions::TokenHash))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_merchant_id")
                            .from(Sessions::Table, Sessions::MerchantId)
                            .to(Merchants::Table, Merchants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_sessions_token_hash")
                    .table(Sessions::Table)
                    .col(Sessions::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_merchant_id")
                    .table(Sessions::Table)
                    .col(Sessions::MerchantId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Sessions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Merchants::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ApiKeys::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ShopOrigins::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ShopHolidays::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Shops::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The columns of `shops`.
#[derive(DeriveIden)]
pub enum Shops {
    Table,
    Id,
    Slug,
    Name,
    Timezone,
    Currency,
    WorkingWeekdays,
    TransitDays,
    StateVersion,
    CreatedAt,
}

/// The columns of `shop_holidays`.
#[derive(DeriveIden)]
pub enum ShopHolidays {
    Table,
    Id,
    ShopId,
    Day,
    Name,
}

/// The columns of `shop_origins`.
#[derive(DeriveIden)]
pub enum ShopOrigins {
    Table,
    Id,
    ShopId,
    Origin,
}

/// The columns of `api_keys`.
#[derive(DeriveIden)]
pub enum ApiKeys {
    Table,
    Id,
    ShopId,
    Kind,
    Prefix,
    TokenHash,
    Label,
    CreatedAt,
    RevokedAt,
}

/// The columns of `merchants`.
#[derive(DeriveIden)]
pub enum Merchants {
    Table,
    Id,
    ShopId,
    Email,
    Name,
    PasswordHash,
    CreatedAt,
}

/// The columns of `sessions`.
#[derive(DeriveIden)]
pub enum Sessions {
    Table,
    Id,
    MerchantId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
}
