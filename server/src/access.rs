//! Key and origin lookups, cached so the public endpoints do not read the database on
//! every request.
//!
//! A live key maps to its shop row and allowed origins for [`TTL`]; so does the answer
//! to "does any shop allow this origin" (the CORS preflight question). A commit that
//! changes a shop's keys, origins or profile is followed ([`AuthCache::follow`]): in
//! the process that made it, and on PostgreSQL in every replica (`LISTEN`), the shop's
//! lookups are dropped at once, so a revoked key is refused everywhere by its next
//! request. [`TTL`] bounds what a missed notification could leave. Unknown keys are
//! not cached: a key created a moment ago works at once.

use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;

use crate::auth::keys::{KeyKind, key_digest};
use crate::store::{self, Db, StoreError, entities::shops};

/// How long a lookup is trusted.
pub const TTL: Duration = Duration::from_secs(30);

/// What a live key gives access to.
#[derive(Clone, Debug)]
pub struct KeyAccess {
    /// The key's kind.
    pub kind: KeyKind,
    /// The key's shop, as read when cached. Its `state_version` may be behind: the
    /// quote service keeps its own versions.
    pub shop: shops::Model,
    /// Origins whose pages may use the shop's publishable key.
    pub origins: Vec<String>,
}

/// The caches; one per process.
pub struct AuthCache {
    /// By the key's SHA-256 (raw bytes: no hex string to build per request).
    keys: Cache<[u8; 32], Arc<KeyAccess>>,
    origins: Cache<String, bool>,
}

impl Default for AuthCache {
    fn default() -> Self {
        AuthCache {
            keys: Cache::builder().max_capacity(10_000).time_to_live(TTL).build(),
            origins: Cache::builder().max_capacity(10_000).time_to_live(TTL).build(),
        }
    }
}

impl AuthCache {
    /// The access a live key gives, or `None` for an unknown or revoked key.
    pub async fn key(&self, db: &Db, key: &str) -> Result<Option<Arc<KeyAccess>>, StoreError> {
        let hash = key_digest(key);
        if let Some(access) = self.keys.get(&hash) {
            return Ok(Some(access));
        }
        let Some((shop, kind)) = store::shops::by_key(db, key).await? else {
            return Ok(None);
        };
        let origins = store::shops::origins(db, shop.id).await?;
        let access = Arc::new(KeyAccess { kind, shop, origins });
        self.keys.insert(hash, access.clone());
        Ok(Some(access))
    }

    /// Drops a shop's lookups whenever a commit (here or, on PostgreSQL, in another
    /// replica) changes its keys, origins or profile, for as long as the cache lives.
    pub fn follow(self: &Arc<Self>, changes: &crate::store::Changes) {
        use tokio::sync::broadcast::error::RecvError;
        let mut told = changes.subscribe();
        let cache = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let change = told.recv().await;
                let Some(cache) = cache.upgrade() else { break };
                match change {
                    Ok(crate::store::ShopChange::Access(shop)) => cache.forget_shop(shop),
                    Ok(crate::store::ShopChange::Version(..)) => {}
                    Err(RecvError::Lagged(_)) => cache.forget_all(),
                    Err(RecvError::Closed) => break,
                }
            }
        });
    }

    /// Drops every cached lookup.
    pub fn forget_all(&self) {
        self.keys.invalidate_all();
        self.origins.invalidate_all();
    }

    /// Drops every cached lookup of `shop_id`'s keys, and every origin answer (which
    /// does not say whose origin it was), after a change to its keys, origins or
    /// profile: the next request reads them again.
    pub fn forget_shop(&self, shop_id: i64) {
        for (hash, access) in &self.keys {
            if access.shop.id == shop_id {
                self.keys.invalidate(&*hash);
            }
        }
        self.origins.invalidate_all();
    }

    /// Whether any shop allows `origin`.
    pub async fn any_allows(&self, db: &Db, origin: &str) -> Result<bool, StoreError> {
        if let Some(allowed) = self.origins.get(origin) {
            return Ok(allowed);
        }
        let allowed = store::shops::any_allows(db, origin).await?;
        self.origins.insert(origin.to_string(), allowed);
        Ok(allowed)
    }
}
