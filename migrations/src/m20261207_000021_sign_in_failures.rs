//! Failed sign-ins counted in the database, so every replica honours one lockout.

use sea_orm_migration::prelude::*;

/// Adds `sign_in_failures`: per email (its SHA-256, lowercased first: the emails people
/// guess are not kept), the failed attempts in a row and when the last one was. A row
/// is deleted when its email signs in, and by the hourly prune once the lockout
/// window has passed.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The table's columns.
#[derive(DeriveIden)]
pub enum SignInFailures {
    /// The table.
    Table,
    /// SHA-256 (hex) of the trimmed, lowercased email.
    EmailHash,
    /// Failed attempts since the last success or lapse.
    Failures,
    /// When the last one was.
    LastFailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .col(
                        ColumnDef::new(SignInFailures::EmailHash)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SignInFailures::Failures).integer().not_null())
                    .col(
                        ColumnDef::new(SignInFailures::LastFailedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInFailures::Table).to_owned())
            .await
    }
}
