//! A whole database copied into another, table by table, through the entities: how a
//! shop on PostgreSQL is brought into a SQLite file (the replay's scratch copy).
//!
//! Rows go through each table's sea-orm model, so every value is read and written as
//! the server itself reads and writes it on either backend (booleans, dates, JSON,
//! enums), not by a text dump that would have to know both dialects. The source is
//! read in one read-only, repeatable-read transaction, so the copy is one consistent
//! moment even while a server writes to it, and nothing is written to it. The target
//! is written in one transaction, so a copy is whole or not there; on SQLite (the
//! replay's target) its foreign keys are checked at the commit, so the tables can go
//! in any order.

use std::collections::BTreeSet;

use futures::TryStreamExt;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    AccessMode, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityName, EntityTrait, IntoActiveModel, IsolationLevel, Iterable, QueryOrder, Statement,
    TransactionTrait,
};

use super::entities;

/// Bound variables per insert statement, under SQLite's limit of 32,766.
const VARIABLES_PER_INSERT: usize = 30_000;

/// Why a database could not be copied.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// Either database refused or failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// The source is not at this build's schema: copying it would lose or misread
    /// columns.
    #[error("{0}")]
    Schema(String),
}

/// What was copied: each table with its rows, in the order copied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// `(table, rows)`.
    pub tables: Vec<(String, u64)>,
}

impl Copied {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// Copies every row of `from` into `to`, which must be migrated to this build's
/// schema and hold no rows. `from` must have exactly this build's migrations applied
/// (run `c2m migrate` with this version first); it is only read.
pub async fn copy_database(from: &DatabaseConnection, to: &DatabaseConnection) -> Result<Copied, CopyError> {
    let source = from
        .begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly))
        .await?;
    same_schema(&source).await?;
    let target = to.begin().await?;
    if to.get_database_backend() == DbBackend::Sqlite {
        // Checked once at the commit, when every table is in.
        target
            .execute_unprepared("PRAGMA defer_foreign_keys = ON")
            .await?;
    }
    let copied = copy_tables(&source, &target).await?;
    let missed = missed_tables(&target, &copied).await?;
    if !missed.is_empty() {
        return Err(CopyError::Schema(format!(
            "tables with no entity to copy them through: {}",
            missed.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    target.commit().await?;
    source.rollback().await?;
    Ok(copied)
}

/// Every table of the schema, through its entity.
async fn copy_tables(from: &DatabaseTransaction, to: &DatabaseTransaction) -> Result<Copied, DbErr> {
    let mut copied = Copied::default();
    macro_rules! tables {
        ($($table:ident),+ $(,)?) => {
            $(
                let rows = copy_table::<entities::$table::Entity>(from, to).await?;
                copied.tables.push((entities::$table::Entity.table_name().to_string(), rows));
            )+
        };
    }
    tables!(
        shops,
        merchants,
        sessions,
        sign_in_failures,
        api_keys,
        shop_origins,
        shop_holidays,
        nodes,
        transfer_lanes,
        materials,
        suppliers,
        supplier_materials,
        stock,
        inbound,
        work_centers,
        work_center_holidays,
        work_center_bookings,
        capacity_reservations,
        products,
        product_bom_lines,
        product_operations,
        option_groups,
        option_values,
        option_value_bom_lines,
        option_value_operations,
        channel_allocations,
        orders,
        order_reservations,
        order_operations,
        material_consumption,
        inventory_closes,
        policies,
        policy_settings,
        suggestions,
        alerts,
        automation_rules,
        heat_events,
        heat_hourly,
        heat_daily,
        imports,
        idempotency_keys,
        audit_log,
        webhook_endpoints,
        webhook_events,
        webhook_deliveries,
        webhook_receipts,
    );
    Ok(copied)
}

/// One table's rows, streamed in primary-key order and inserted in batches.
async fn copy_table<E>(from: &DatabaseTransaction, to: &DatabaseTransaction) -> Result<u64, DbErr>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(sea_orm::PrimaryKeyToColumn::into_column(key));
    }
    let batch = (VARIABLES_PER_INSERT / E::Column::iter().count().max(1)).max(1);
    let mut rows = query.stream(from).await?;
    let mut pending = Vec::with_capacity(batch);
    let mut copied = 0;
    while let Some(model) = rows.try_next().await? {
        pending.push(model.into_active_model());
        if pending.len() == batch {
            copied += insert::<E>(to, std::mem::take(&mut pending)).await?;
        }
    }
    if !pending.is_empty() {
        copied += insert::<E>(to, pending).await?;
    }
    Ok(copied)
}

async fn insert<E>(to: &DatabaseTransaction, rows: Vec<E::ActiveModel>) -> Result<u64, DbErr>
where
    E: EntityTrait,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let count = rows.len() as u64;
    E::insert_many(rows).exec_without_returning(to).await?;
    Ok(count)
}

/// Refuses a source whose applied migrations are not exactly this build's.
async fn same_schema(source: &DatabaseTransaction) -> Result<(), CopyError> {
    let rows = source
        .query_all_raw(Statement::from_string(
            source.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .map_err(|e| {
            CopyError::Schema(format!(
                "not a c2m database (wrong database or schema?): it has no migrations table ({e})"
            ))
        })?;
    let applied: BTreeSet<String> = rows
        .iter()
        .map(|row| row.try_get::<String>("", "version"))
        .collect::<Result<_, _>>()?;
    let known: BTreeSet<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    if let Some(newer) = applied.difference(&known).next() {
        return Err(CopyError::Schema(format!(
            "the database has migration {newer}, which this c2m does not know: use the c2m that migrated it"
        )));
    }
    if let Some(missing) = known.difference(&applied).next() {
        return Err(CopyError::Schema(format!(
            "the database lacks migration {missing}: run `c2m migrate` with this version on it first"
        )));
    }
    Ok(())
}

/// Tables of the target's schema that [`copy_tables`] did not fill.
async fn missed_tables(target: &DatabaseTransaction, copied: &Copied) -> Result<BTreeSet<String>, DbErr> {
    let sql = match target.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables \
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let rows = target
        .query_all_raw(Statement::from_string(target.get_database_backend(), sql))
        .await?;
    let copied: BTreeSet<&str> = copied.tables.iter().map(|(t, _)| t.as_str()).collect();
    let mut missed = BTreeSet::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        if name != "seaql_migrations" && !copied.contains(name.as_str()) {
            missed.insert(name);
        }
    }
    Ok(missed)
}
