//! Multi-row inserts in chunks: one statement for many rows, as a bulk write (the
//! demo seed, a group of bookings) wants, and well under both databases' limits on
//! bound parameters.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel};

/// Rows per multi-row insert: far under both databases' limits on bound parameters
/// (SQLite 32,766, PostgreSQL 65,535) for any of our tables. Under sqlx 0.9.0, which
/// left Nagle's algorithm on (transact-rs/sqlx#4335), a statement larger than one TCP
/// write waited ~40 ms for PostgreSQL's delayed ACK, and this also kept statements
/// small; 0.9.1 sets TCP_NODELAY again.
pub const CHUNK: usize = 100;

/// Inserts `rows`, [`CHUNK`] per statement.
pub async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Inserts `rows`, [`CHUNK`] per statement, and returns the rows as stored (with their
/// ids), in no particular order: a caller matches them to what it inserted by a key of
/// its own (a reference, an event id).
pub async fn insert_returning<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
) -> Result<Vec<<A::Entity as EntityTrait>::Model>, DbErr>
where
    A: ActiveModelTrait,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let mut stored = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        stored.extend(A::Entity::insert_many(chunk).exec_with_returning(db).await?);
    }
    Ok(stored)
}
