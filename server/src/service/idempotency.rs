//! Idempotency keys: the stored answer of a creating request, replayed for the same key
//! and the same request, refused for the same key and another request. Looked up and
//! stored in the creating write's own unit of work, so a key is stored exactly when
//! what it created is (and, under the shop's write lock, two copies of one request
//! cannot both create).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::entities::idempotency_keys;
use crate::store::{Db, ShopWrite, StoreError, bulk};

/// How long keys are kept at least (PRODUCT.md, "API conventions").
pub const KEPT: TimeDelta = TimeDelta::hours(24);

/// An `Idempotency-Key` and what identifies the request it came with.
#[derive(Clone, Debug)]
pub struct Idempotency {
    /// The key, as sent.
    pub key: String,
    /// A hash of the request (method, path and body bytes).
    pub request_hash: String,
}

/// The key was used before with another request.
#[derive(Debug, thiserror::Error)]
#[error("Idempotency-Key `{0}` was used for a different request")]
pub struct KeyReused(pub String);

/// What a lookup found.
pub enum Stored<T> {
    /// The answer stored for this key and request.
    Replay(T),
    /// Nothing yet: go on and create.
    Fresh,
}

/// Looks `key` up in `w`'s shop.
pub(crate) async fn lookup<T: DeserializeOwned>(
    w: &ShopWrite,
    key: &Idempotency,
) -> Result<Result<Stored<T>, KeyReused>, StoreError> {
    let stored = idempotency_keys::Entity::find()
        .filter(idempotency_keys::Column::ShopId.eq(w.shop()))
        .filter(idempotency_keys::Column::Key.eq(&key.key))
        .one(w)
        .await?;
    judge(stored.as_ref(), key)
}

/// The stored rows of `keys` in `w`'s shop, by key: [`lookup`] of many keys in one
/// query (a group of bookings), to [`judge`] each request by.
pub(crate) async fn stored_all(
    w: &ShopWrite,
    keys: impl IntoIterator<Item = &str>,
) -> Result<HashMap<String, idempotency_keys::Model>, StoreError> {
    let keys: Vec<&str> = keys.into_iter().collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let stored = idempotency_keys::Entity::find()
        .filter(idempotency_keys::Column::ShopId.eq(w.shop()))
        .filter(idempotency_keys::Column::Key.is_in(keys))
        .all(w)
        .await?;
    Ok(stored.into_iter().map(|row| (row.key.clone(), row)).collect())
}

/// What `stored`, the row kept for `key`'s key if any, answers a request with `key`.
pub(crate) fn judge<T: DeserializeOwned>(
    stored: Option<&idempotency_keys::Model>,
    key: &Idempotency,
) -> Result<Result<Stored<T>, KeyReused>, StoreError> {
    let Some(stored) = stored else {
        return Ok(Ok(Stored::Fresh));
    };
    if stored.request_hash != key.request_hash {
        return Ok(Err(KeyReused(key.key.clone())));
    }
    let answer = serde_json::from_str(&stored.body).map_err(|e| DbErr::Json(e.to_string()))?;
    Ok(Ok(Stored::Replay(answer)))
}

/// Stores `answer` (given with HTTP `status`) for `key`, in `w`.
pub(crate) async fn store<T: Serialize>(
    w: &ShopWrite,
    key: &Idempotency,
    status: u16,
    answer: &T,
) -> Result<(), StoreError> {
    store_all(w, [(key, status, answer)]).await
}

/// [`store`] for several keys at once (a group of bookings): one statement per
/// [`bulk::CHUNK`] of them.
pub(crate) async fn store_all<'a, T: Serialize + 'a>(
    w: &ShopWrite,
    answers: impl IntoIterator<Item = (&'a Idempotency, u16, &'a T)>,
) -> Result<(), StoreError> {
    let rows = answers
        .into_iter()
        .map(|(key, status, answer)| row(w, key, status, answer))
        .collect();
    bulk::insert_all(w, rows).await?;
    Ok(())
}

/// The row keeping `answer` for `key`.
fn row(
    w: &ShopWrite,
    key: &Idempotency,
    status: u16,
    answer: &impl Serialize,
) -> idempotency_keys::ActiveModel {
    idempotency_keys::ActiveModel {
        shop_id: Set(w.shop()),
        key: Set(key.key.clone()),
        request_hash: Set(key.request_hash.clone()),
        status: Set(i32::from(status)),
        body: Set(serde_json::to_string(answer).expect("an answer serialises")),
        created_at: Set(w.now()),
        ..Default::default()
    }
}

/// Deletes keys older than [`KEPT`] (of every shop), in chunks so the writer is never
/// held long. Returns how many went.
pub async fn purge(db: &Db, chunk: u64) -> Result<u64, DbErr> {
    purge_before(db, db.now() - KEPT, chunk).await
}

async fn purge_before(db: &Db, before: DateTime<Utc>, chunk: u64) -> Result<u64, DbErr> {
    crate::store::prune::in_chunks::<idempotency_keys::Entity>(
        db,
        "idempotency keys",
        idempotency_keys::Column::Id,
        Condition::all().add(idempotency_keys::Column::CreatedAt.lt(before)),
        chunk,
    )
    .await
}
