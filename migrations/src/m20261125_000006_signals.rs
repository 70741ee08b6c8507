//! Heat events, daily demand, inventory policies, alerts and suggestions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000002_supply::Materials;
use crate::m20261125_000004_catalog::{OptionValues, Products};

/// Creates `heat_events`, `daily_demand`, `policies`, `alerts`, `suggestions`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HeatEvents::Table)
                    .col(big_pk_auto(HeatEvents::Id))
                    .col(big_integer(HeatEvents::ShopId))
                    .col(text(HeatEvents::EventId))
                    .col(text(HeatEvents::Kind))
                    .col(big_integer(HeatEvents::ProductId))
                    .col(big_integer_null(HeatEvents::OptionValueId))
                    .col(text(HeatEvents::SessionId))
                    .col(timestamp_with_time_zone(HeatEvents::OccurredAt))
                    .col(text_null(HeatEvents::Origin))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heat_events_shop_id")
                            .from(HeatEvents::Table, HeatEvents::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heat_events_product_id")
                            .from(HeatEvents::Table, HeatEvents::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heat_events_option_value_id")
                            .from(HeatEvents::Table, HeatEvents::OptionValueId)
                            .to(OptionValues::Table, OptionValues::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_heat_events_shop_id_event_id")
                    .table(HeatEvents::Table)
                    .col(HeatEvents::ShopId)
                    .col(HeatEvents::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_heat_events_product_id_occurred_at")
                    .table(HeatEvents::Table)
                    .col(HeatEvents::ProductId)
                    .col(HeatEvents::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DailyDemand::Table)
                    .col(big_pk_auto(DailyDemand::Id))
                    .col(big_integer(DailyDemand::MaterialId))
                    .col(date(DailyDemand::Day))
                    .col(big_integer(DailyDemand::FromOrders))
                    .col(big_integer(DailyDemand::FromHeat))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_daily_demand_material_id")
                            .from(DailyDemand::Table, DailyDemand::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_daily_demand_material_id_day")
                    .table(DailyDemand::Table)
                    .col(DailyDemand::MaterialId)
                    .col(DailyDemand::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Policies::Table)
                    .col(big_pk_auto(Policies::Id))
                    .col(big_integer(Policies::MaterialId))
                    .col(text(Policies::Abc))
                    .col(text(Policies::Xyz))
                    .col(text(Policies::DemandClass))
                    .col(double(Policies::ServiceLevel))
                    .col(integer(Policies::ReviewDays))
                    .col(integer(Policies::CoverageDays))
                    .col(text(Policies::StockLevel))
                    .col(big_integer(Policies::SafetyStock))
                    .col(big_integer(Policies::ReorderPoint))
                    .col(big_integer(Policies::OrderUpTo))
                    .col(json(Policies::Inputs))
                    .col(timestamp_with_time_zone(Policies::ComputedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_policies_material_id")
                            .from(Policies::Table, Policies::MaterialId)
                            .to(Materials::Table, Materials::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_policies_material_id")
                    .table(Policies::Table)
                    .col(Policies::MaterialId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alerts::Table)
                    .col(big_pk_auto(Alerts::Id))
                    .col(big_integer(Alerts::ShopId))
                    .col(text(Alerts::Kind))
                    .col(text(Alerts::Severity))
                    .col(text(Alerts::Subject))
                    .col(text(Alerts::Message))
                    .col(json(Alerts::Evidence))
                    .col(text(Alerts::Status))
                    .col(timestamp_with_time_zone(Alerts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_alerts_shop_id")
                            .from(Alerts::Table, Alerts::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_alerts_shop_id_status")
                    .table(Alerts::Table)
                    .col(Alerts::ShopId)
                    .col(Alerts::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Suggestions::Table)
                    .col(big_pk_auto(Suggestions::Id))
                    .col(big_integer(Suggestions::ShopId))
                    .col(big_integer_null(Suggestions::AlertId))
                    .col(text(Suggestions::Kind))
                    .col(json(Suggestions::Payload))
                    .col(text(Suggestions::Status))
                    .col(text_null(Suggestions::DecidedBy))
                    .col(timestamp_with_time_zone_null(Suggestions::DecidedAt))
                    .col(timestamp_with_time_zone(Suggestions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_suggestions_shop_id")
                            .from(Suggestions::Table, Suggestions::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_suggestions_alert_id")
                            .from(Suggestions::Table, Suggestions::AlertId)
                            .to(Alerts::Table, Alerts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_suggestions_shop_id_status")
                    .table(Suggestions::Table)
                    .col(Suggestions::ShopId)
                    .col(Suggestions::Status)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Suggestions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Alerts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Policies::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DailyDemand::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(HeatEvents::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The columns of `heat_events`.
#[derive(DeriveIden)]
pub enum HeatEvents {
    Table,
    Id,
    ShopId,
    EventId,
    Kind,
    ProductId,
    OptionValueId,
    SessionId,
    OccurredAt,
    Origin,
}

/// The columns of `daily_demand`.
#[derive(DeriveIden)]
pub enum DailyDemand {
    Table,
    Id,
    MaterialId,
    Day,
    FromOrders,
    FromHeat,
}

/// The columns of `policies`.
#[derive(DeriveIden)]
pub enum Policies {
    Table,
    Id,
    MaterialId,
    Abc,
    Xyz,
    DemandClass,
    ServiceLevel,
    ReviewDays,
    CoverageDays,
    StockLevel,
    SafetyStock,
    ReorderPoint,
    OrderUpTo,
    Inputs,
    ComputedAt,
}

/// The columns of `alerts`.
#[derive(DeriveIden)]
pub enum Alerts {
    Table,
    Id,
    ShopId,
    Kind,
    Severity,
    Subject,
    Message,
    Evidence,
    Status,
    CreatedAt,
}

/// The columns of `suggestions`.
#[derive(DeriveIden)]
pub enum Suggestions {
    Table,
    Id,
    ShopId,
    AlertId,
    Kind,
    Payload,
    Status,
    DecidedBy,
    DecidedAt,
    CreatedAt,
}
