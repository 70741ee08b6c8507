//! The merchant's rules under which a kind of suggestion executes by itself, and what a
//! suggestion's execution did (so it can be undone).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000006_signals::Suggestions;

/// Adds `automation_rules` (one row per rule: the kind of suggestion it executes, its
/// conditions, its caps per action and per day in minor units, whether it is paused;
/// names unique per shop; rules go with their shop) and, on `suggestions`, the rule that
/// executed one (`rule_id`, kept as history when the rule is deleted), the value it
/// committed (`value_minor`, what the rule's caps count), what accepting it created
/// (`applied`, JSON naming the rows an undo reverts) and who undid it and when.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `automation_rules`.
#[derive(DeriveIden)]
pub enum AutomationRules {
    Table,
    Id,
    ShopId,
    Name,
    Kind,
    Conditions,
    MaxPerActionMinor,
    MaxPerDayMinor,
    Paused,
    CreatedAt,
    UpdatedAt,
}

/// The columns this migration adds to `suggestions`.
#[derive(DeriveIden)]
enum Executed {
    RuleId,
    ValueMinor,
    Applied,
    UndoneBy,
    UndoneAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AutomationRules::Table)
                    .col(big_pk_auto(AutomationRules::Id))
                    .col(big_integer(AutomationRules::ShopId))
                    .col(text(AutomationRules::Name))
                    .col(text(AutomationRules::Kind))
                    .col(json(AutomationRules::Conditions))
                    .col(big_integer_null(AutomationRules::MaxPerActionMinor))
                    .col(big_integer_null(AutomationRules::MaxPerDayMinor))
                    .col(boolean(AutomationRules::Paused).default(false))
                    .col(timestamp_with_time_zone(AutomationRules::CreatedAt))
                    .col(timestamp_with_time_zone(AutomationRules::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_automation_rules_shop_id")
                            .from(AutomationRules::Table, AutomationRules::ShopId)
                            .to(Shops::Table, Shops::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_automation_rules_shop_id_name")
                    .table(AutomationRules::Table)
                    .col(AutomationRules::ShopId)
                    .col(AutomationRules::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Executed::RuleId).big_integer().null().to_owned(),
            ColumnDef::new(Executed::ValueMinor)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Executed::Applied).json().null().to_owned(),
            ColumnDef::new(Executed::UndoneBy).text().null().to_owned(),
            ColumnDef::new(Executed::UndoneAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Suggestions::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // A rule's caps per day read its executions of that day.
        manager
            .create_index(
                Index::create()
                    .name("ix_suggestions_rule_id_decided_at")
                    .table(Suggestions::Table)
                    .col(Executed::RuleId)
                    .col(Suggestions::DecidedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_suggestions_rule_id_decided_at")
                    .table(Suggestions::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Executed::UndoneAt,
            Executed::UndoneBy,
            Executed::Applied,
            Executed::ValueMinor,
            Executed::RuleId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Suggestions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(AutomationRules::Table).to_owned())
            .await
    }
}
