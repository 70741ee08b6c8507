//! Sessions that end when left idle, and one open alert per subject by construction.

use sea_orm_migration::prelude::*;

use crate::m20261125_000001_shops::Sessions;
use crate::m20261125_000006_signals::Alerts;

/// Adds:
/// - `sessions.last_seen_at`: when the session was last used (to the minute). A
///   session idle longer than the server's `session_idle_minutes` is over; rows from
///   before count from `created_at`.
/// - `uq_alerts_open`: a unique index on (`shop_id`, `kind`, `subject`) over open
///   alerts, so two replicas (or a manual recompute beside the scheduled one) raising
///   the same alert at once store it once. Older duplicates still open, if any, are
///   dismissed first, keeping the first raised.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Added {
    LastSeenAt,
}

/// The name of the open-alert unique index.
const OPEN_ALERTS: &str = "uq_alerts_open";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(
                        ColumnDef::new(Added::LastSeenAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE sessions SET last_seen_at = created_at")
            .await?;
        db.execute_unprepared(
            "UPDATE alerts SET status = 'dismissed' WHERE status = 'open' AND id NOT IN \
             (SELECT MIN(id) FROM alerts WHERE status = 'open' GROUP BY shop_id, kind, subject)",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name(OPEN_ALERTS)
                    .table(Alerts::Table)
                    .col(Alerts::ShopId)
                    .col(Alerts::Kind)
                    .col(Alerts::Subject)
                    .unique()
                    .and_where(Expr::col(Alerts::Status).eq("open"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(OPEN_ALERTS).table(Alerts::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Added::LastSeenAt)
                    .to_owned(),
            )
            .await
    }
}
