//! Failed sign-ins per email, in the database: after [`MAX_FAILURES`] in a row, each
//! within [`LOCKOUT`] of the one before, the email is locked until [`LOCKOUT`] has
//! passed since the last. Kept in the database rather than in each process, so an
//! attacker spreading guesses over several replicas gets no more of them. Unknown
//! emails count the same way (the lockout tells nothing about which accounts exist);
//! only a SHA-256 of the email is kept.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, QueryFilter, Set};

use super::entities::sign_in_failures::{self, Column};
use super::{Db, StoreError};
use crate::auth::keys::hash_key;

/// Failed attempts in a row that lock an email.
pub const MAX_FAILURES: i32 = 5;

/// How long an email stays locked after its last failure, and how far apart two
/// failures may be to count in one row.
pub const LOCKOUT: chrono::Duration = chrono::Duration::minutes(15);

/// Whether `email` is locked now.
pub async fn is_locked(db: &Db, email: &str) -> Result<bool, StoreError> {
    let found = sign_in_failures::Entity::find_by_id(key(email))
        .filter(Column::Failures.gte(MAX_FAILURES))
        .filter(Column::LastFailedAt.gt(db.now() - LOCKOUT))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Counts a failed attempt for `email`: one more in the row, or the first of a new row
/// when the last failure is older than [`LOCKOUT`]. One statement, so attempts at once
/// on several replicas are each counted.
pub async fn failed(db: &Db, email: &str) -> Result<(), StoreError> {
    let now = db.now();
    let table = sign_in_failures::Entity;
    let txn = db.system("sign-ins").await?;
    sign_in_failures::Entity::insert(sign_in_failures::ActiveModel {
        email_hash: Set(key(email)),
        failures: Set(1),
        last_failed_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(Column::EmailHash)
            .value(
                Column::Failures,
                Expr::case(
                    Expr::col((table, Column::LastFailedAt)).gt(now - LOCKOUT),
                    Expr::col((table, Column::Failures)).add(1),
                )
                .finally(1),
            )
            .value(Column::LastFailedAt, now)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Forgets `email`'s failures: it signed in.
pub async fn succeeded(db: &Db, email: &str) -> Result<(), StoreError> {
    let txn = db.system("sign-ins").await?;
    sign_in_failures::Entity::delete_by_id(key(email))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes the rows whose last failure is older than [`LOCKOUT`] (they lock nothing),
/// at most `chunk` per transaction; returns how many went.
pub async fn prune(db: &Db, chunk: u64) -> Result<u64, StoreError> {
    let lapsed = sea_orm::Condition::all().add(Column::LastFailedAt.lte(db.now() - LOCKOUT));
    Ok(
        super::prune::in_chunks::<sign_in_failures::Entity>(db, "sign-ins", Column::EmailHash, lapsed, chunk)
            .await?,
    )
}

/// The key of an email: case and surrounding spaces do not make another account.
fn key(email: &str) -> String {
    hash_key(&email.trim().to_lowercase())
}
