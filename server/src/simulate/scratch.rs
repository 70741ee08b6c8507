//! The replay's databases: a scratch directory holding the base copy of the shop (the
//! demo shop seeded afresh, or a SQLite copy of a SQLite or PostgreSQL database) and
//! one copy of it per run, removed when the replay ends. The shop's own database is
//! only read, once.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::store::{self, StoreError};

/// Where the shop to replay comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The demo shop, seeded as of the first simulated day.
    Demo,
    /// A shop of a SQLite database (`sqlite:…` or a path), by slug.
    Sqlite {
        /// The database.
        path: PathBuf,
        /// The shop's slug.
        shop: String,
    },
    /// A shop of a PostgreSQL database, by slug: copied row by row into a SQLite file
    /// ([`store::copy`]), so the replay's many writes stay on this machine.
    Postgres {
        /// `postgres://…`.
        url: String,
        /// The schema the shop's tables are in (the server's `database_schema`), or
        /// the connection's default.
        schema: Option<String>,
        /// The shop's slug.
        shop: String,
    },
}

impl Source {
    /// The shop `shop` of `database`: a `postgres://` (or `postgresql://`) URL, with
    /// its tables in `schema` when given, or a SQLite file as a path or `sqlite:` URL.
    pub fn of(database: PathBuf, schema: Option<String>, shop: String) -> Result<Source, ScratchError> {
        let text = database.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Source::Postgres {
                url: text.into_owned(),
                schema,
                shop,
            });
        }
        if schema.is_some() {
            return Err(ScratchError::Unsupported(
                "--database-schema is for a PostgreSQL database; a SQLite file has no schemas".into(),
            ));
        }
        let path = if text.starts_with("sqlite:") {
            store::sqlite_file(&text).map(Path::to_path_buf).ok_or_else(|| {
                ScratchError::Unsupported("an in-memory SQLite database cannot be replayed".into())
            })?
        } else {
            database
        };
        Ok(Source::Sqlite { path, shop })
    }
}

/// Why the replay's database could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum ScratchError {
    /// Reading, copying or migrating failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be made.
    #[error("the replay's scratch directory: {0}")]
    Io(#[from] std::io::Error),
    /// The database or the shop to replay is not there.
    #[error("{0}")]
    NotFound(String),
    /// The PostgreSQL shop could not be copied (its schema is not this build's, or a
    /// read failed); nothing was written to it.
    #[error("copying the shop's PostgreSQL database: {0}")]
    Copy(#[from] store::copy::CopyError),
    /// This build cannot do what was asked.
    #[error("{0}")]
    Unsupported(String),
}

impl From<sea_orm::DbErr> for ScratchError {
    fn from(e: sea_orm::DbErr) -> Self {
        ScratchError::Store(e.into())
    }
}

/// The scratch directory: the shop's base copy and a copy per run.
pub struct Scratch {
    dir: PathBuf,
    source: Source,
    start: NaiveDate,
    /// The replayed shop's slug.
    pub shop: String,
}

impl Scratch {
    /// Prepares a new directory under `parent`: a SQLite shop is copied once (by
    /// `VACUUM INTO`, a consistent copy even while a server writes to it) and
    /// migrated, a PostgreSQL shop copied once into a SQLite file (in one read-only
    /// transaction, as consistent); the demo shop is seeded into each run's database
    /// as of `start`, which is the same shop every time.
    pub async fn prepare(source: &Source, parent: &Path, start: NaiveDate) -> Result<Self, ScratchError> {
        let dir = parent.join(format!("c2m-replay-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&dir)?;
        match base(source, &dir).await {
            Ok(shop) => Ok(Scratch {
                dir,
                source: source.clone(),
                start,
                shop,
            }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }

    /// A fresh copy of the shop for a run, migrated and connected.
    pub async fn copy(&self, name: &str) -> Result<DatabaseConnection, ScratchError> {
        let path = self.dir.join(format!("{name}.db"));
        for stale in [
            path.clone(),
            path.with_extension("db-wal"),
            path.with_extension("db-shm"),
        ] {
            if stale.exists() {
                std::fs::remove_file(stale)?;
            }
        }
        if self.source != Source::Demo {
            std::fs::copy(self.dir.join("base.db"), &path)?;
        }
        let db = connect(&path).await?;
        store::migrate(&db).await?;
        if self.source == Source::Demo {
            seed_demo(&db, self.start).await?;
        }
        Ok(db)
    }

    /// Removes the directory with every copy.
    pub fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The replayed shop's slug, after copying a SQLite shop into `dir`: refused when
/// the file or the shop is not there, before anything is replayed.
async fn base(source: &Source, dir: &Path) -> Result<String, ScratchError> {
    match source {
        Source::Demo => demo_slug(),
        Source::Sqlite { path, shop } => {
            if !path.is_file() {
                return Err(ScratchError::NotFound(format!(
                    "there is no SQLite database at {}",
                    path.display()
                )));
            }
            let from = connect(path).await?;
            let base = dir.join("base.db");
            from.execute_unprepared(&format!("VACUUM INTO {}", quoted(&base)))
                .await?;
            from.close().await?;
            // The copy is brought up to this version's schema before it is read.
            let copy = connect(&base).await?;
            store::migrate(&copy).await?;
            has_shop(copy, shop, &path.display().to_string()).await
        }
        Source::Postgres { url, schema, shop } => {
            // The shop's database is only read: a missing schema is not created.
            let from = store::connect_existing(url, schema.as_deref())
                .await
                .map_err(|e| ScratchError::NotFound(format!("cannot reach the PostgreSQL database: {e}")))?;
            let copy = connect(&dir.join("base.db")).await?;
            store::migrate(&copy).await?;
            let copied = store::copy::copy_database(&from, &copy).await;
            from.close().await?;
            let copied = copied?;
            tracing::info!(
                rows = copied.rows(),
                tables = copied.tables.len(),
                "copied the shop's database"
            );
            let place = match schema {
                Some(schema) => format!("schema {schema} of the PostgreSQL database"),
                None => "the PostgreSQL database".to_string(),
            };
            has_shop(copy, shop, &place).await
        }
    }
}

/// `shop`, when the base copy `copy` has it (closed either way).
async fn has_shop(copy: DatabaseConnection, shop: &str, place: &str) -> Result<String, ScratchError> {
    let found = store::shops::by_slug(&copy, shop).await?.is_some();
    copy.close().await?;
    if !found {
        return Err(ScratchError::NotFound(format!(
            "there is no shop `{shop}` in {place}"
        )));
    }
    Ok(shop.to_string())
}

/// A SQLite connection as the server makes it (WAL, every commit on disk), creating
/// the file when missing.
async fn connect(path: &Path) -> Result<DatabaseConnection, StoreError> {
    store::connect(&format!("sqlite:{}", path.display()), None).await
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[cfg(feature = "demo")]
fn demo_slug() -> Result<String, ScratchError> {
    Ok(crate::seed::DEMO_SHOP_SLUG.to_string())
}

#[cfg(feature = "demo")]
async fn seed_demo(db: &DatabaseConnection, start: NaiveDate) -> Result<(), ScratchError> {
    crate::seed::seed_demo(db, start)
        .await
        .map_err(|e| ScratchError::Unsupported(format!("seeding the demo shop: {e}")))?;
    Ok(())
}

#[cfg(not(feature = "demo"))]
fn demo_slug() -> Result<String, ScratchError> {
    Err(ScratchError::Unsupported(
        "this build has no demo shop: replay a shop's database with --database and --shop, or build with \
         `cargo xtask build`"
            .into(),
    ))
}

#[cfg(not(feature = "demo"))]
async fn seed_demo(_db: &DatabaseConnection, _start: NaiveDate) -> Result<(), ScratchError> {
    Err(ScratchError::Unsupported(demo_slug().unwrap_err().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_read_as_postgresql_by_its_url_and_otherwise_as_a_sqlite_file() {
        let of = |database: &str, schema: Option<&str>| {
            Source::of(database.into(), schema.map(String::from), "demo".into())
        };
        assert_eq!(
            of("postgres://u@db:5432/shops", Some("tenant")).unwrap(),
            Source::Postgres {
                url: "postgres://u@db:5432/shops".into(),
                schema: Some("tenant".into()),
                shop: "demo".into(),
            }
        );
        assert!(matches!(
            of("postgresql://db/shops", None),
            Ok(Source::Postgres { schema: None, .. })
        ));
        for file in [
            "data/c2m.db",
            "sqlite:data/c2m.db",
            "sqlite://data/c2m.db?mode=rwc",
        ] {
            assert_eq!(
                of(file, None).unwrap(),
                Source::Sqlite {
                    path: "data/c2m.db".into(),
                    shop: "demo".into(),
                },
                "{file}"
            );
        }
        for (database, schema, says) in [
            ("data/c2m.db", Some("tenant"), "for a PostgreSQL database"),
            ("sqlite::memory:", None, "in-memory"),
        ] {
            let refused = of(database, schema).unwrap_err().to_string();
            assert!(refused.contains(says), "{database}: {refused}");
        }
    }
}
