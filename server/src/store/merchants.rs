//! Merchant accounts and their browser sessions.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{merchants, sessions, shops};
use super::{Db, StoreError};
use crate::auth::keys::{hash_key, session_token};
use crate::auth::password;

/// How long a session lasts after sign-in.
pub const SESSION_LIFETIME: Duration = Duration::days(7);

/// Checks credentials; on success opens a session and returns its token (only its hash
/// is stored). A wrong email and a wrong password look the same to the caller, and
/// cost the same work (`password::verify_off_workers`).
pub async fn sign_in(db: &Db, email: &str, password: &str) -> Result<Option<String>, StoreError> {
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
    sessions::ActiveModel {
        merchant_id: Set(merchant.id),
        token_hash: Set(hash_key(&token)),
        created_at: Set(now),
        expires_at: Set(now + SESSION_LIFETIME),
        ..Default::default()
    }
    .insert(&sessions)
    .await?;
    sessions.commit().await?;
    Ok(Some(token))
}

/// The merchant and shop behind a live session token.
pub async fn by_session(
    db: &Db,
    token: &str,
) -> Result<Option<(merchants::Model, shops::Model)>, StoreError> {
    let session = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(hash_key(token)))
        .filter(sessions::Column::ExpiresAt.gt(db.now()))
        .one(db)
        .await?;
    let Some(session) = session else { return Ok(None) };
    let found = merchants::Entity::find_by_id(session.merchant_id)
        .find_also_related(shops::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(merchant, shop)| Some((merchant, shop?))))
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
