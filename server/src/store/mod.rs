//! Persistence: the adapter between the database and the domain.
//!
//! Entities (`entities/`) mirror the tables of `docs/schema.md`; the hand-written
//! modules beside them hold the queries a service needs and turn rows into engine or
//! view types. Handlers never build queries. The same code runs on SQLite and PostgreSQL.

pub mod backup;
pub mod bulk;
pub mod catalog;
pub mod copy;
pub mod entities;
pub mod heat;
pub mod lead_times;
pub mod lockout;
pub mod merchants;
pub mod paces;
pub mod prune;
pub mod retry;
pub mod shop_state;
pub mod shops;
pub mod unit;

pub use unit::{Actor, Change, Changes, Committed, Db, ShopChange, ShopWrite, StateVersion};

use std::path::Path;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// A database failure, with the operation that hit it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// A unit of work wrote without recording what it changed (a bug: every write is
    /// audited); nothing was saved.
    #[error("a write to {tables:?} recorded no audit entry; nothing was saved")]
    Unaudited {
        /// The tables it wrote.
        tables: Vec<String>,
    },
    /// The SQLite file's directory cannot be created.
    #[error("cannot create the database directory {path}: {source}")]
    Directory {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl StoreError {
    /// Whether the database is unreachable, saturated or busy right now (a connection
    /// refused or lost, the pool exhausted, SQLite's file locked past the busy timeout,
    /// a PostgreSQL shutdown, serialization failure or deadlock): the same request may
    /// well succeed in a moment, and nothing of it was committed.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(e) => unavailable(e),
            _ => false,
        }
    }
}

/// [`StoreError::is_unavailable`] for a bare [`DbErr`].
pub fn unavailable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        _ => false,
    }
}

fn sqlx_unavailable(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => true,
        Error::Database(db) => db.code().is_some_and(|code| code_unavailable(&code)),
        _ => false,
    }
}

/// SQLite's codes are numbers (`SQLITE_BUSY` 5 and `SQLITE_LOCKED` 6, extended in the
/// high bits); PostgreSQL's are SQLSTATEs: class 08 (connection exception), 53 (out of
/// resources), 57P01–57P03 (shutting down, cannot connect now), 40001 and 40P01
/// (serialization failure, deadlock: the transaction was rolled back).
fn code_unavailable(code: &str) -> bool {
    // A SQLSTATE has five characters, digits or not; SQLite's extended codes stay below
    // 10 000.
    if code.len() == 5 {
        return code.starts_with("08")
            || code.starts_with("53")
            || matches!(code, "57P01" | "57P02" | "57P03" | "40001" | "40P01");
    }
    code.parse::<u32>()
        .is_ok_and(|sqlite| matches!(sqlite & 0xff, 5 | 6))
}

/// Opens a connection pool; for SQLite, creates the file (and its directory) on first
/// use and switches it to WAL so readers never wait for the writer. For PostgreSQL with
/// `schema`, the schema is created if missing and put first on the search path.
pub async fn connect(url: &str, schema: Option<&str>) -> Result<DatabaseConnection, StoreError> {
    if url.starts_with("sqlite:") {
        create_sqlite_directory(url)?;
    }
    let db = Database::connect(pool_options(url, schema, true)).await?;
    if let (false, Some(schema)) = (url.starts_with("sqlite:"), schema) {
        db.execute_unprepared(&format!(
            "CREATE SCHEMA IF NOT EXISTS \"{}\"",
            schema.replace('"', "")
        ))
        .await?;
    }
    Ok(db)
}

/// [`connect`] to a database that is only to be read: nothing is created (no SQLite
/// file or directory, no PostgreSQL schema), so a wrong address finds nothing rather
/// than leaving an empty database behind.
pub async fn connect_existing(url: &str, schema: Option<&str>) -> Result<DatabaseConnection, StoreError> {
    Ok(Database::connect(pool_options(url, schema, false)).await?)
}

/// How [`connect`] and [`connect_existing`] open a pool; `create` makes a missing
/// SQLite file.
fn pool_options(url: &str, schema: Option<&str>, create: bool) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(move |o| {
            o.create_if_missing(create)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                // SQLite's own wait for another process's lock; `retry` runs the
                // work again a few times after it, so a write waits about 5 s in all.
                .busy_timeout(Duration::from_secs(1))
        });
        if url.contains(":memory:") {
            // Every pooled connection to `:memory:` would be a different, empty database.
            options.max_connections(1).min_connections(1);
        }
    } else if let Some(schema) = schema {
        options.set_schema_search_path(schema.to_string());
    }
    options
}

/// Brings the schema up to date; safe to run on every start.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), StoreError> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Whether the database answers a trivial query (readiness).
pub async fn ping(db: &Db) -> Result<(), StoreError> {
    db.ping().await?;
    Ok(())
}

/// The file of a `sqlite:` URL (`None` for an in-memory database).
pub(crate) fn sqlite_file(url: &str) -> Option<&Path> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| Path::new(path))
}

fn create_sqlite_directory(url: &str) -> Result<(), StoreError> {
    let Some(path) = sqlite_file(url) else {
        return Ok(());
    };
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                path: dir.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Statement};

    #[test]
    fn busy_locked_lost_and_serialization_failures_are_unavailable_and_bad_statements_are_not() {
        for code in [
            "5", "517", "773", "6", "262", "08006", "08001", "57P01", "57P03", "53300", "40001", "40P01",
        ] {
            assert!(super::code_unavailable(code), "{code}");
        }
        for code in ["19", "2067", "1", "23505", "42P01", "22P02", "55000"] {
            assert!(!super::code_unavailable(code), "{code}");
        }
    }

    #[tokio::test]
    async fn a_new_sqlite_file_is_created_with_its_directory_in_wal_mode() {
        let dir = std::env::temp_dir().join(format!("c2m-store-{}", uuid::Uuid::new_v4().simple()));
        let file = dir.join("nested/c2m.db");
        let db = super::connect(&format!("sqlite://{}", file.display()), None)
            .await
            .unwrap();
        super::migrate(&db).await.unwrap();
        assert!(file.exists());
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap()
            .unwrap();
        let mode: String = row.try_get_by_index(0).unwrap();
        assert_eq!(mode, "wal");
        // Migrating again is a no-op, as `serve` does on every start.
        super::migrate(&db).await.unwrap();
        db.close().await.unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }
}
