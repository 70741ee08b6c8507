//! API keys: created from the admin (the whole key is returned once; only its hash is
//! stored) and revoked (kept, with the time, so the list says what happened).

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{KEY_KINDS, NewApiKey, invalid, required_text};
use crate::auth::keys::{KeyKind, display_prefix, generate, hash_key};
use crate::service::WriteError;
use crate::store::entities::api_keys;
use crate::store::unit::{Change, ShopWrite};

/// Creates a key of `kind` (`publishable` or `secret`) labelled `label` (1 to 80
/// characters). The audit log keeps its prefix, never the key.
pub async fn create_api_key(mut w: ShopWrite, kind: &str, label: &str) -> Result<NewApiKey, WriteError> {
    let kind = match kind {
        "publishable" => KeyKind::Publishable,
        "secret" => KeyKind::Secret,
        _ => {
            return Err(invalid(
                "kind",
                format!("must be one of {}", KEY_KINDS.join(", ")),
            ));
        }
    };
    let label = required_text("label", label, 80)?;
    let key = generate(kind);
    let prefix = display_prefix(&key);
    let row = api_keys::ActiveModel {
        shop_id: Set(w.shop()),
        kind: Set(kind.as_str().to_string()),
        prefix: Set(prefix.clone()),
        token_hash: Set(hash_key(&key)),
        label: Set(label.to_string()),
        created_at: Set(w.now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    w.record(
        Change::new("api_key.create", "api_key", prefix.clone())
            .after(json!({"kind": kind.as_str(), "label": label, "prefix": prefix})),
    )
    .await?;
    w.commit().await?;
    Ok(NewApiKey {
        id: row.id,
        kind: kind.as_str().to_string(),
        label: label.to_string(),
        key,
    })
}

/// Revokes key `id` of the shop: from now on the API refuses it. Revoking a revoked key
/// is refused (someone else did it first), so the log has one entry per revocation.
pub async fn revoke_api_key(mut w: ShopWrite, id: i64) -> Result<(), WriteError> {
    let shop_id = w.shop();
    let now = w.now();
    let revoked = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now))
        .filter(api_keys::Column::Id.eq(id))
        .filter(api_keys::Column::ShopId.eq(shop_id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(&w)
        .await?;
    let key = api_keys::Entity::find_by_id(id)
        .filter(api_keys::Column::ShopId.eq(shop_id))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound("there is no such key in this shop".into()))?;
    if revoked.rows_affected == 0 {
        return Err(WriteError::Conflict(format!(
            "the key {}… was already revoked; reload to see the list as it is",
            key.prefix
        )));
    }
    w.record(
        Change::new("api_key.revoke", "api_key", key.prefix.clone())
            .before(Some(
                json!({"kind": key.kind, "label": key.label, "revoked_at": null}),
            ))
            .after(json!({"kind": key.kind, "label": key.label, "revoked_at": now})),
    )
    .await?;
    w.commit().await?;
    Ok(())
}
