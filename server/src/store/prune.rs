//! Deleting what has outlived its use (raw heat past retention, idempotency keys,
//! ended sessions) in bounded chunks, each in its own transaction, so a long backlog
//! never holds the writer for long.

use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter};

use super::Db;

/// Deletes the rows of `E` that `which` selects, at most `chunk` per transaction
/// (opened as [`Db::system`] for `purpose`), until none is left; returns how many went.
/// `id` is the table's key, by which a chunk is picked.
pub async fn in_chunks<E: EntityTrait>(
    db: &Db,
    purpose: &'static str,
    id: E::Column,
    which: Condition,
    chunk: u64,
) -> Result<u64, DbErr> {
    let mut deleted = 0;
    loop {
        let txn = db.system(purpose).await?;
        let ids = Query::select()
            .column(id)
            .from(E::default())
            .cond_where(which.clone())
            .limit(chunk)
            .to_owned();
        let gone = E::delete_many()
            .filter(id.in_subquery(ids))
            .exec(&txn)
            .await?
            .rows_affected;
        txn.commit().await?;
        deleted += gone;
        if gone < chunk {
            return Ok(deleted);
        }
    }
}
