//! Merchant accounts and their browser sessions.
//!
//! A session ends a week after sign-in, after `idle` without use, at sign-out, when
//! its merchant signs out everywhere, or when the same browser signs in again (the
//! token it carried is replaced, never reused). Ended rows are deleted: at each sign-in
//! for the merchant's own, and by the scheduled [`prune_sessions`] for everyone's.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::entities::{merchants, sessions, shops};
use super::{Actor, Change, Db, StoreError};
use crate::auth::keys::{hash_key, session_token};
use crate::auth::password;

/// How long a session lasts after sign-in, however much it is used.
pub const SESSION_LIFETIME: Duration = Duration::days(7);

/// A session's use is written at most this often: often enough for an idle timeout
/// counted in minutes, rare enough that browsing the admin is not a stream of writes.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Checks credentials; on success opens a session and returns its token (only its hash
/// is stored). A wrong email and a wrong password look the same to the caller, and
/// cost the same work (`password::verify_off_workers`). `replacing` is the session
/// token the browser already carried, if any: it ends here, so a token planted before
/// sign-in (session fixation) is never the signed-in one.
pub async fn sign_in(
    db: &Db,
    email: &str,
    password: &str,
    replacing: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let merchant = merchants::Entity::find()
        .filter(merchants::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await?;
    let stored = merchant.as_ref().map(|m| m.password_hash.clone());
    let matches = password::verify_off_workers(password.to_string(), stored).await;
    let Some(merchant) = merchant.filter(|_| matches) else {
        return Ok(None);
    };
    let token = session_token();
    let now = db.now();
    let sessions = db.system("sessions").await?;
    let mut ended = Condition::any().add(
        Condition::all()
            .add(sessions::Column::MerchantId.eq(merchant.id))
            .add(sessions::Column::ExpiresAt.lte(now)),
    );
    if let Some(previous) = replacing {
        ended = ended.add(sessions::Column::TokenHash.eq(hash_key(previous)));
    }
    sessions::Entity::delete_many()
        .filter(ended)
        .exec(&sessions)
        .await?;
    sessions::ActiveModel {
        merchant_id: Set(merchant.id),
        token_hash: Set(hash_key(&token)),
        created_at: Set(now),
        expires_at: Set(now + SESSION_LIFETIME),
        last_seen_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&sessions)
    .await?;
    sessions.commit().await?;
    Ok(Some(token))
}

/// The merchant and shop behind a live session token: not past its lifetime, and used
/// within `idle`. Using it keeps it alive.
pub async fn by_session(
    db: &Db,
    token: &str,
    idle: Duration,
) -> Result<Option<(merchants::Model, shops::Model)>, StoreError> {
    let now = db.now();
    let session = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(hash_key(token)))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .filter(used_since(now - idle))
        .one(db)
        .await?;
    let Some(session) = session else { return Ok(None) };
    let found = merchants::Entity::find_by_id(session.merchant_id)
        .find_also_related(shops::Entity)
        .one(db)
        .await?;
    let last_seen = session.last_seen_at.unwrap_or(session.created_at);
    if now - last_seen >= TOUCH_EVERY {
        // Failing to note the use only shortens the session: the page still answers.
        if let Err(error) = touch(db, session.id, now).await {
            tracing::warn!(%error, "noting a session's use failed");
        }
    }
    Ok(found.and_then(|(merchant, shop)| Some((merchant, shop?))))
}

/// Sessions used after `since` (the migration that added `last_seen_at` set it for
/// the rows before it, so every row has one).
fn used_since(since: DateTime<Utc>) -> Condition {
    Condition::all().add(sessions::Column::LastSeenAt.gt(since))
}

async fn touch(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let sessions = db.system("sessions").await?;
    sessions::Entity::update_many()
        .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(id))
        .exec(&sessions)
        .await?;
    sessions.commit().await?;
    Ok(())
}

/// Ends the session with `token`, if it exists.
pub async fn sign_out(db: &Db, token: &str) -> Result<(), StoreError> {
    let sessions = db.system("sessions").await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::TokenHash.eq(hash_key(token)))
        .exec(&sessions)
        .await?;
    sessions.commit().await?;
    Ok(())
}

/// Ends every session of the merchant signed in with `token` (a lost laptop, a shared
/// password changed), audited in their shop's log; returns how many ended, or `None`
/// when `token` is no live session.
pub async fn sign_out_everywhere(db: &Db, token: &str, idle: Duration) -> Result<Option<u64>, StoreError> {
    let Some((merchant, shop)) = by_session(db, token, idle).await? else {
        return Ok(None);
    };
    let mut w = db.write(shop.id, Actor::merchant(merchant.id)).await?;
    let ended = sessions::Entity::delete_many()
        .filter(sessions::Column::MerchantId.eq(merchant.id))
        .exec(&w)
        .await?
        .rows_affected;
    w.record(
        Change::new("session.sign_out_everywhere", "merchant", merchant.id.to_string())
            .after(json!({"email": merchant.email, "sessions_ended": ended}))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(Some(ended))
}

/// Deletes every session past its lifetime or idle longer than `idle`, at most
/// `chunk` rows per statement; returns how many were deleted.
pub async fn prune_sessions(db: &Db, idle: Duration, chunk: u64) -> Result<u64, StoreError> {
    let now = db.now();
    let ended = Condition::any()
        .add(sessions::Column::ExpiresAt.lte(now))
        .add(used_since(now - idle).not());
    Ok(
        super::prune::in_chunks::<sessions::Entity>(db, "sessions", sessions::Column::Id, ended, chunk)
            .await?,
    )
}
