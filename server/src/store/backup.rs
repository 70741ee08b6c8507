//! `c2m backup`: a consistent copy of a SQLite database, taken while the server runs.
//!
//! `VACUUM INTO` writes the database as one transaction sees it into a new file: a
//! reader, so the server keeps serving and writing (WAL) meanwhile, and the copy is
//! compact and needs no `-wal` file beside it. Restoring is serving from the copy:
//! stop the server, put the file in place of the database (or point
//! `C2M_DATABASE_URL` at it) and start again; migrations bring an older copy up to
//! date. PostgreSQL is backed up with its own tools (`pg_dump`; `docs/operations.md`).

use std::path::Path;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::{Db, StoreError};

/// Why no backup was written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database is PostgreSQL.
    #[error("the database is PostgreSQL: back it up with pg_dump (docs/operations.md)")]
    Postgres,
    /// The target exists; a backup never overwrites.
    #[error("{0} exists already; choose a new file")]
    Exists(String),
    /// The target's directory or size could not be read or made.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The file of a `sqlite:` URL when it does not exist.
pub fn missing_sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = super::sqlite_file(url).filter(|_| url.starts_with("sqlite:"))?;
    (!path.exists()).then(|| path.to_path_buf())
}

/// Writes a consistent copy of the SQLite database behind `db` to `to` (a new file;
/// its directory is created); returns its size in bytes.
pub async fn sqlite_to(db: &Db, to: &Path) -> Result<u64, BackupError> {
    let pool = db.unguarded();
    if pool.get_database_backend() != DatabaseBackend::Sqlite {
        return Err(BackupError::Postgres);
    }
    if to.exists() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| BackupError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    // A reader's statement, whatever the guard thinks of `VACUUM`: it writes only the
    // new file.
    pool.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [to.display().to_string().into()],
    ))
    .await
    .map_err(StoreError::from)?;
    let size = std::fs::metadata(to)
        .map_err(|source| BackupError::Io {
            path: to.display().to_string(),
            source,
        })?
        .len();
    Ok(size)
}
