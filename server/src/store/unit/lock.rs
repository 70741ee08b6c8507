//! One writer per shop at a time: in this process, and in the database.
//!
//! A booking reads what is free and then reserves it; two bookings interleaving would
//! both see the same last unit. Serialising every unit of work of a shop makes that
//! impossible without each write having to remember it:
//! - In this process, a per-shop async mutex queues the writers, so they wait without
//!   polling the database (SQLite's busy handler sleeps and retries).
//! - Across processes, the database's lock: PostgreSQL's `pg_advisory_xact_lock` on a
//!   key derived from the shop (released when the transaction ends, whichever way);
//!   SQLite's single write lock, taken by a no-op update of the shop's row as the
//!   transaction's first statement, so the transaction never reads a state another
//!   writer is about to change. Both are run on the raw transaction, not through the
//!   tracked connection: taking a lock is not a change the audit log or the state
//!   version should see.
//!
//! Writes to different shops do not wait for each other on PostgreSQL. On SQLite they
//! do anyway: the file has one writer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};

/// Distinguishes c2m's per-shop write locks from other advisory locks on the same
/// PostgreSQL database (`c2mW` in ASCII, in the key's upper half).
const ADVISORY_NAMESPACE: i64 = 0x6332_6d57 << 32;

/// Distinguishes the scheduled jobs' locks (`c2mJ`).
const JOB_NAMESPACE: i64 = 0x6332_6d4a << 32;

/// A scheduled job's lock across replicas, held until dropped: on PostgreSQL an open
/// transaction holding `pg_try_advisory_xact_lock` (ending it, whichever way, releases
/// the lock, so a crashed replica never keeps it); on SQLite nothing, since one file
/// is served by one host.
pub struct JobLock {
    txn: Option<DatabaseTransaction>,
}

impl JobLock {
    /// Releases the lock now (dropping it releases it too, once the connection's
    /// rollback has run).
    pub async fn release(self) {
        if let Some(txn) = self.txn {
            // A failed rollback means a lost connection, which released the lock.
            let _ = txn.rollback().await;
        }
    }
}

/// Takes job `job`'s lock if no other replica holds it; `None` when one does.
pub(crate) async fn try_job(pool: &sea_orm::DatabaseConnection, job: u32) -> Result<Option<JobLock>, DbErr> {
    use sea_orm::TransactionTrait;
    let backend = pool.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        return Ok(Some(JobLock { txn: None }));
    }
    let txn = pool.begin().await?;
    let taken = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_try_advisory_xact_lock($1) AS taken",
            [(JOB_NAMESPACE | i64::from(job)).into()],
        ))
        .await?
        .map(|row| row.try_get::<bool>("", "taken"))
        .transpose()?
        .unwrap_or(false);
    Ok(taken.then_some(JobLock { txn: Some(txn) }))
}

/// One async mutex per shop, in this process (the writers' queue here; the quote
/// service's snapshot loads too).
#[derive(Default)]
pub(crate) struct ShopLocks {
    shops: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

/// A shop's lock, held until dropped.
pub(crate) struct Held {
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl ShopLocks {
    /// Waits for `shop`'s lock in this process.
    pub async fn acquire(&self, shop: i64) -> Held {
        let lock = {
            // A panic elsewhere cannot leave the map half-written: each change is one
            // insert.
            let mut shops = self.shops.lock().unwrap_or_else(PoisonError::into_inner);
            shops.entry(shop).or_default().clone()
        };
        Held {
            _guard: lock.lock_owned().await,
        }
    }
}

/// Takes `shop`'s write lock in the database, for the rest of `txn`.
pub(crate) async fn in_database(txn: &DatabaseTransaction, shop: i64) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    let statement = match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "SELECT pg_advisory_xact_lock($1)",
            [(ADVISORY_NAMESPACE | (shop & 0xffff_ffff)).into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "UPDATE shops SET state_version = state_version WHERE id = ?",
            [shop.into()],
        ),
    };
    match backend {
        DatabaseBackend::Postgres => txn.query_one_raw(statement).await.map(drop),
        _ => txn.execute_raw(statement).await.map(drop),
    }
}
