//! Shops, their API keys and allowed widget origins.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::StoreError;
use super::entities::{api_keys, shop_origins, shops};
use crate::auth::keys::{KeyKind, hash_key};

/// Every shop, by id.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<shops::Model>, StoreError> {
    Ok(shops::Entity::find()
        .order_by_asc(shops::Column::Id)
        .all(db)
        .await?)
}

/// The shop with `slug`.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<shops::Model>, StoreError> {
    Ok(shops::Entity::find()
        .filter(shops::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// The shop a live (unrevoked) key belongs to, with the key's kind.
pub async fn by_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<(shops::Model, KeyKind)>, StoreError> {
    let Some(kind) = KeyKind::of(key) else {
        return Ok(None);
    };
    let found = api_keys::Entity::find()
        .filter(api_keys::Column::TokenHash.eq(hash_key(key)))
        .filter(api_keys::Column::RevokedAt.is_null())
        .filter(api_keys::Column::Kind.eq(kind.as_str()))
        .find_also_related(shops::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(_, shop)| shop).map(|shop| (shop, kind)))
}

/// The origins whose pages may call the shop's public endpoints.
pub async fn origins(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(shop_origins::Entity::find()
        .select_only()
        .column(shop_origins::Column::Origin)
        .filter(shop_origins::Column::ShopId.eq(shop_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether any shop allows `origin` (a CORS preflight carries no key, so this is all
/// it can be checked against; the real request is then checked against its own shop).
pub async fn any_allows(db: &impl ConnectionTrait, origin: &str) -> Result<bool, StoreError> {
    Ok(shop_origins::Entity::find()
        .filter(shop_origins::Column::Origin.eq(origin))
        .one(db)
        .await?
        .is_some())
}

/// Every shop's id and state version.
pub async fn state_versions(db: &impl ConnectionTrait) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(shops::Entity::find()
        .select_only()
        .column(shops::Column::Id)
        .column(shops::Column::StateVersion)
        .into_tuple()
        .all(db)
        .await?)
}
