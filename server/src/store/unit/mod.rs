//! The one way to write: a shop's unit of work ([`ShopWrite`]), and the guarded handle
//! ([`Db`]) that every other part of the server holds instead of a bare pool.
//!
//! "Never a stale quote" and "every write audited" are kept here, not by callers:
//! - [`Db`] reads, and refuses every statement that writes. A write opens a unit of
//!   work: [`Db::write`] for a change to a shop (by a merchant, an API key or a rule),
//!   [`Db::system`] for what no quote reads (heat events, sessions, derived policies and
//!   alerts), which refuses the tables quotes are computed from ([`QUOTE_INPUTS`]).
//! - Writes to one shop happen one at a time (`lock.rs`): a unit of work holds the
//!   shop's lock in this process and in the database (PostgreSQL: an advisory
//!   transaction lock; SQLite: the database's one write lock, taken by its first
//!   statement). A booking that reads what is free and then reserves it therefore
//!   never races another booking, on any replica.
//! - A [`ShopWrite`] sees every statement it runs. Its [`commit`](ShopWrite::commit)
//!   refuses a write that recorded no audit [`Change`]; bumps the shop's state version
//!   when a quote input was written (unless every change recorded says it leaves quotes
//!   as they were: a draft, a name); commits; and only then tells this process's
//!   [`StateVersions`], so the next quote here misses the cache. Its `now` comes from
//!   the server's clock, so the audit log and tests agree on time.
//!
//! A refusal is an `Err` before `commit`: dropping the unit rolls everything back.

mod lock;
mod notify;
mod statement;
mod tracked;
mod version;

#[cfg(all(test, feature = "demo"))]
mod tests;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, EntityTrait, ExecResult, IsolationLevel, QueryFilter, QueryResult, Set, Statement,
    TransactionTrait,
};
use serde_json::Value;

pub use self::lock::JobLock;
pub(crate) use self::lock::ShopLocks;
pub use self::notify::{Changes, ShopChange};
use self::tracked::{Guard, Tracked};
pub use self::version::{StateVersion, StateVersions};
use super::StoreError;
use super::entities::{audit_log, shops};
use crate::clock::Clock;

/// The tables a quote is computed from: exactly what `store::shop_state` reads (a test
/// reads them off its statements), so a write to any of them may change a quote.
pub const QUOTE_INPUTS: &[&str] = &[
    "capacity_reservations",
    "channel_allocations",
    "inbound",
    "materials",
    "nodes",
    "option_groups",
    "option_value_bom_lines",
    "option_value_operations",
    "option_values",
    "order_operations",
    "order_reservations",
    "product_bom_lines",
    "product_operations",
    "products",
    "shop_holidays",
    "shops",
    "stock",
    "supplier_materials",
    "suppliers",
    "transfer_lanes",
    "work_center_bookings",
    "work_center_holidays",
    "work_centers",
];

/// Who makes a change, as the audit log names them: `merchant:<id>`, `api:<key prefix>`,
/// `rule:<name>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Actor(String);

impl Actor {
    /// A merchant signed in to the admin.
    pub fn merchant(id: i64) -> Self {
        Actor(format!("merchant:{id}"))
    }

    /// The name the audit log keeps.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Actor {
    fn from(name: &str) -> Self {
        Actor(name.to_string())
    }
}

impl From<String> for Actor {
    fn from(name: String) -> Self {
        Actor(name)
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One audited change: what was done to which thing, before and after.
#[derive(Clone, Debug)]
pub struct Change {
    action: &'static str,
    entity: &'static str,
    entity_id: String,
    before: Option<Value>,
    after: Value,
    leaves_quotes: bool,
}

impl Change {
    /// `action` (`stock.set`) on the `entity` (`stock`) named `entity_id`.
    pub fn new(action: &'static str, entity: &'static str, entity_id: impl Into<String>) -> Self {
        Change {
            action,
            entity,
            entity_id: entity_id.into(),
            before: None,
            after: Value::Null,
            leaves_quotes: false,
        }
    }

    /// The thing before the change (`None`: it did not exist).
    pub fn before(mut self, before: Option<Value>) -> Self {
        self.before = before;
        self
    }

    /// The thing after the change.
    pub fn after(mut self, after: Value) -> Self {
        self.after = after;
        self
    }

    /// Says that this change writes rows quotes do not read (a draft purchase order, a
    /// requested reservation, the shop's name), so it alone does not move the state
    /// version. Saying so wrongly is caught by the version-coverage test; forgetting to
    /// say so only costs an unneeded cache miss.
    pub fn leaves_quotes(self) -> Self {
        self.leaves_quotes_if(true)
    }

    /// [`Change::leaves_quotes`] when `leaves` holds (a line that was and stays a draft).
    pub fn leaves_quotes_if(mut self, leaves: bool) -> Self {
        self.leaves_quotes = leaves;
        self
    }
}

/// What a committed unit of work did to the shop's state version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Committed {
    /// The shop's state version after the commit.
    pub state_version: StateVersion,
    /// Whether this write moved it (it wrote a quote input).
    pub bumped: bool,
}

impl Committed {
    /// The new state version, if this write moved it.
    pub fn new_version(&self) -> Option<StateVersion> {
        self.bumped.then_some(self.state_version)
    }
}

/// The server's database handle: reads, and opens the units of work that write.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Tracked<DatabaseConnection>,
    clock: Clock,
    versions: Arc<StateVersions>,
    changes: Arc<Changes>,
    locks: ShopLocks,
}

impl Db {
    /// Guards `pool`; units of work take their `now` from `clock`.
    pub fn new(pool: DatabaseConnection, clock: Clock) -> Self {
        Db {
            inner: Arc::new(Inner {
                pool: Tracked::new(pool, Guard::ReadOnly),
                clock,
                versions: Arc::default(),
                changes: Arc::default(),
                locks: ShopLocks::default(),
            }),
        }
    }

    /// What commits change, in this process and (once [`Db::listen`] runs) in every
    /// replica on the same PostgreSQL database.
    pub fn changes(&self) -> &Arc<Changes> {
        &self.inner.changes
    }

    /// Starts hearing other replicas' commits (PostgreSQL `LISTEN`; nothing on SQLite);
    /// returns once listening has started (or failed to, or after 5 s).
    pub async fn listen(&self) {
        notify::listen(
            self.inner.pool.inner.clone(),
            self.inner.versions.clone(),
            self.inner.changes.clone(),
        )
        .await;
    }

    /// The clock every unit of work and the quote service read.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Now, on [`Db::clock`].
    pub fn now(&self) -> DateTime<Utc> {
        (self.inner.clock)()
    }

    /// The latest state version known for each shop in this process.
    pub fn versions(&self) -> &Arc<StateVersions> {
        &self.inner.versions
    }

    /// Opens a unit of work changing shop `shop` on behalf of `actor`. It holds the
    /// shop's write lock until it commits or is dropped (`store/unit/lock.rs`), so it sees
    /// the effect of every earlier write to the shop and no other write interleaves.
    pub async fn write(&self, shop: i64, actor: impl Into<Actor>) -> Result<ShopWrite, DbErr> {
        let held = self.inner.locks.acquire(shop).await;
        // Another process may hold the database's lock past SQLite's busy timeout (a
        // long import by the CLI): wait and try again rather than fail the write.
        let txn = super::retry::on_contention("opening a shop's unit of work", || async {
            let txn = self.inner.pool.inner.begin().await?;
            lock::in_database(&txn, shop).await?;
            Ok::<_, DbErr>(txn)
        })
        .await?;
        Ok(ShopWrite {
            _held: held,
            conn: Tracked::new(txn, Guard::Shop),
            shop,
            actor: actor.into(),
            now: self.now(),
            versions: self.inner.versions.clone(),
            published: self.inner.changes.clone(),
            changes: 0,
            leaving_quotes: 0,
        })
    }

    /// Opens a transaction for `purpose` ("heat", "sessions", …) that may write anything
    /// but [`QUOTE_INPUTS`].
    pub async fn system(&self, purpose: &'static str) -> Result<SystemWrite, DbErr> {
        let txn = self.inner.pool.inner.begin().await?;
        Ok(SystemWrite {
            conn: Tracked::new(txn, Guard::System(purpose)),
        })
    }

    /// A read-only transaction that sees one state of the database throughout
    /// (PostgreSQL: repeatable read; SQLite in WAL mode: one read snapshot).
    pub async fn read(&self) -> Result<ReadTxn, DbErr> {
        let pool = &self.inner.pool.inner;
        let txn = match pool.get_database_backend() {
            DatabaseBackend::Postgres => {
                pool.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly))
                    .await?
            }
            _ => pool.begin().await?,
        };
        Ok(ReadTxn {
            conn: Tracked::new(txn, Guard::ReadOnly),
        })
    }

    /// The pool without its guard, for tests and tools that arrange data directly.
    /// Nothing in the server writes through it: what it writes is neither audited nor
    /// versioned.
    pub fn unguarded(&self) -> &DatabaseConnection {
        &self.inner.pool.inner
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.inner.pool.inner.ping().await
    }

    /// Takes scheduled job `job`'s lock across every replica on this database, or
    /// `None` when another replica is running it now (`lock::try_job`).
    pub async fn try_job_lock(&self, job: u32) -> Result<Option<JobLock>, DbErr> {
        lock::try_job(&self.inner.pool.inner, job).await
    }

    /// Closes the pool (at shutdown).
    pub async fn close(&self) {
        self.inner.pool.inner.close_by_ref().await.ok();
    }
}

/// A change to one shop, in one transaction. See the module documentation.
pub struct ShopWrite {
    conn: Tracked<DatabaseTransaction>,
    // Declared after `conn`, so the shop's lock is released after the transaction ends.
    _held: lock::Held,
    shop: i64,
    actor: Actor,
    now: DateTime<Utc>,
    versions: Arc<StateVersions>,
    /// Where the commit tells what it changed.
    published: Arc<Changes>,
    changes: usize,
    leaving_quotes: usize,
}

/// The tables behind the API's cached key lookups (`access::AuthCache`).
const ACCESS_TABLES: &[&str] = &["api_keys", "shop_origins", "shops"];

impl ShopWrite {
    /// The shop being changed.
    pub fn shop(&self) -> i64 {
        self.shop
    }

    /// Who changes it.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// When, on the server's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Records `change` in the audit log, in this transaction, so the entry exists
    /// exactly when the change does.
    pub async fn record(&mut self, change: Change) -> Result<(), StoreError> {
        // Not `record_all` of one: its chunking future is larger, and every write path
        // awaits this one, some deep in tests' stacks.
        let leaves = usize::from(change.leaves_quotes);
        audit_log::Entity::insert(self.entry(change))
            .exec_without_returning(&self.conn.inner)
            .await?;
        // Counted once written: the commit's audit check trusts these counts.
        self.changes += 1;
        self.leaving_quotes += leaves;
        Ok(())
    }

    /// [`record`](Self::record) for several changes at once, in one statement per
    /// [`bulk::CHUNK`](super::bulk::CHUNK) of them (a group of bookings).
    pub async fn record_all(&mut self, changes: impl IntoIterator<Item = Change>) -> Result<(), StoreError> {
        let (mut recorded, mut leaving) = (0, 0);
        let rows: Vec<_> = changes
            .into_iter()
            .map(|change| {
                recorded += 1;
                leaving += usize::from(change.leaves_quotes);
                self.entry(change)
            })
            .collect();
        super::bulk::insert_all(&self.conn.inner, rows).await?;
        // Counted once written: the commit's audit check trusts these counts.
        self.changes += recorded;
        self.leaving_quotes += leaving;
        Ok(())
    }

    /// The audit row of `change`.
    fn entry(&self, change: Change) -> audit_log::ActiveModel {
        audit_log::ActiveModel {
            shop_id: Set(self.shop),
            actor: Set(self.actor.as_str().to_string()),
            action: Set(change.action.to_string()),
            entity: Set(change.entity.to_string()),
            entity_id: Set(change.entity_id),
            before: Set(change.before),
            after: Set(Some(change.after)),
            at: Set(self.now),
            ..Default::default()
        }
    }

    /// Gives the write up now, waiting for the rollback (dropping the unit also rolls it
    /// back, but in the background: a caller about to write again on SQLite waits for it
    /// less this way).
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.conn.inner.rollback().await
    }

    /// Commits: refuses an unaudited write, bumps the state version if a quote input
    /// was written, commits, then tells this process's [`StateVersions`]; what changed
    /// reaches other replicas with the commit itself (`notify`).
    pub async fn commit(self) -> Result<Committed, StoreError> {
        let (wrote, quote_inputs) = {
            let touched = self.conn.touched();
            let wrote: Vec<String> = touched.written.iter().cloned().collect();
            (wrote, touched.quote_inputs())
        };
        let access = wrote.iter().any(|t| ACCESS_TABLES.contains(&t.as_str()));
        if !wrote.is_empty() && self.changes == 0 {
            return Err(StoreError::Unaudited { tables: wrote });
        }
        let bumped = quote_inputs && self.leaving_quotes < self.changes;
        let txn = &self.conn.inner;
        if bumped {
            shops::Entity::update_many()
                .col_expr(
                    shops::Column::StateVersion,
                    Expr::col(shops::Column::StateVersion).add(1),
                )
                .filter(shops::Column::Id.eq(self.shop))
                .exec(txn)
                .await?;
        }
        let state_version = shops::Entity::find_by_id(self.shop)
            .one(txn)
            .await?
            .map_or(StateVersion(0), |s| StateVersion(s.state_version));
        let mut told = Vec::new();
        if bumped {
            told.push(ShopChange::Version(self.shop, state_version));
        }
        if access {
            told.push(ShopChange::Access(self.shop));
        }
        notify::announce(txn, &told).await?;
        self.conn.inner.commit().await?;
        if bumped {
            self.versions.note(self.shop, state_version);
        }
        for change in told {
            self.published.publish(change);
        }
        Ok(Committed {
            state_version,
            bumped,
        })
    }
}

/// A transaction for data no quote reads. See [`Db::system`].
pub struct SystemWrite {
    conn: Tracked<DatabaseTransaction>,
}

impl SystemWrite {
    /// Commits.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.conn.inner.commit().await
    }
}

/// A read-only transaction. See [`Db::read`].
pub struct ReadTxn {
    conn: Tracked<DatabaseTransaction>,
}

impl ReadTxn {
    /// Ends the transaction.
    pub async fn finish(self) -> Result<(), DbErr> {
        self.conn.inner.commit().await
    }

    /// Records the tables each read names, for tests that learn what a reader uses.
    #[cfg(all(test, feature = "demo"))]
    pub(crate) fn recording_reads(self) -> Self {
        ReadTxn {
            conn: self.conn.recording_reads(),
        }
    }

    /// The tables read so far, when recording.
    #[cfg(all(test, feature = "demo"))]
    pub(crate) fn tables_read(&self) -> std::collections::BTreeSet<String> {
        self.conn.touched().read.clone()
    }
}

/// Every handle delegates to its tracked connection, which applies the guard.
macro_rules! delegate_connection {
    ($($ty:ty => $($field:ident).+),* $(,)?) => {$(
        #[async_trait::async_trait]
        impl ConnectionTrait for $ty {
            fn get_database_backend(&self) -> DbBackend {
                self.$($field).+.get_database_backend()
            }

            async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
                self.$($field).+.execute_raw(stmt).await
            }

            async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
                self.$($field).+.execute_unprepared(sql).await
            }

            async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
                self.$($field).+.query_one_raw(stmt).await
            }

            async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
                self.$($field).+.query_all_raw(stmt).await
            }

            fn support_returning(&self) -> bool {
                self.$($field).+.support_returning()
            }
        }
    )*};
}

delegate_connection!(
    Db => inner.pool,
    ShopWrite => conn,
    SystemWrite => conn,
    ReadTxn => conn,
);
