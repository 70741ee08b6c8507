//! A connection that sees every statement before the database does: it refuses what its
//! guard forbids and remembers which tables were written (and, when asked, read).

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, Statement};

use super::QUOTE_INPUTS;
use super::statement::{Access, access, read_tables};

/// What a tracked connection lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Guard {
    /// Reads only: the pool itself and read transactions.
    ReadOnly,
    /// Anything: a shop's unit of work, which audits and versions what it writes.
    Shop,
    /// Anything but the tables quotes are computed from: heat, sessions, derived
    /// policies and alerts, which no quote reads.
    System(&'static str),
}

/// The tables a connection has touched.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    /// Tables written (`"?"` for a write whose table could not be named).
    pub written: BTreeSet<String>,
    /// Tables read, when reads are recorded.
    pub read: BTreeSet<String>,
}

impl Touched {
    /// Whether any write may have changed a quote input.
    pub fn quote_inputs(&self) -> bool {
        self.written
            .iter()
            .any(|t| t == "?" || QUOTE_INPUTS.contains(&t.as_str()))
    }
}

/// `inner` behind a guard.
pub(crate) struct Tracked<C> {
    pub inner: C,
    guard: Guard,
    record_reads: bool,
    touched: Mutex<Touched>,
}

impl<C> Tracked<C> {
    pub fn new(inner: C, guard: Guard) -> Self {
        Tracked {
            inner,
            guard,
            record_reads: false,
            touched: Mutex::default(),
        }
    }

    /// Also records the tables each read names (tests use it to learn what a reader
    /// depends on).
    #[cfg(all(test, feature = "demo"))]
    pub fn recording_reads(mut self) -> Self {
        self.record_reads = true;
        self
    }

    /// What was touched so far.
    pub fn touched(&self) -> std::sync::MutexGuard<'_, Touched> {
        self.touched.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks `sql` against the guard and records what it touches.
    fn admit(&self, sql: &str) -> Result<(), DbErr> {
        match access(sql) {
            Access::Read => {
                if self.record_reads {
                    self.touched().read.extend(read_tables(sql));
                }
                Ok(())
            }
            Access::Control => Ok(()),
            Access::Write(table) => self.admit_write(table),
            Access::WriteUnknown => self.admit_write("?".to_string()),
        }
    }

    fn admit_write(&self, table: String) -> Result<(), DbErr> {
        let refusal = match self.guard {
            Guard::Shop => None,
            Guard::ReadOnly => Some(format!(
                "a write to `{table}` outside a unit of work (open `Db::write` for a shop's \
                 change, `Db::system` for heat, sessions and derived data)"
            )),
            Guard::System(purpose) if table == "?" || QUOTE_INPUTS.contains(&table.as_str()) => {
                Some(format!(
                    "the {purpose} writer may not write `{table}`: quotes read it, so it changes only \
                 through a shop's unit of work (`Db::write`)"
                ))
            }
            Guard::System(_) => None,
        };
        match refusal {
            Some(refusal) => Err(DbErr::Custom(refusal)),
            None => {
                self.touched().written.insert(table);
                Ok(())
            }
        }
    }
}

#[async_trait::async_trait]
impl<C: ConnectionTrait + Send> ConnectionTrait for Tracked<C> {
    fn get_database_backend(&self) -> DbBackend {
        self.inner.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.admit(&stmt.sql)?;
        self.inner.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.admit(sql)?;
        self.inner.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.admit(&stmt.sql)?;
        self.inner.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.admit(&stmt.sql)?;
        self.inner.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.inner.support_returning()
    }
}
