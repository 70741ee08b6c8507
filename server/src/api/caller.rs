//! Who is calling the API: the key (in `Authorization: Bearer …`, or in the body of a
//! beacon) and the page's origin.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::problem::ApiError;
use crate::access::KeyAccess;
use crate::auth::keys::KeyKind;
use crate::state::AppState;
use crate::store::{self, entities::shops};

/// A caller allowed to use the public endpoints: a publishable key from an allowed
/// origin (or from no browser at all), or a secret key.
#[derive(Clone, Debug)]
pub struct PublicCaller {
    access: Arc<KeyAccess>,
}

impl PublicCaller {
    /// Checks `key` for a request with these headers: a live key (through the 30 s auth
    /// cache) and, when the request comes from another site's page, a publishable key
    /// and an origin on its shop's allowlist. The extractor runs it on the
    /// `Authorization` header; an endpoint that also takes the key from its body (see
    /// [`key_of`]) runs it itself, so both follow the same rules.
    pub async fn authorize(state: &AppState, headers: &HeaderMap, key: &str) -> Result<Self, ApiError> {
        let access = state
            .auth
            .key(&state.db, key)
            .await?
            .ok_or(ApiError::Unauthenticated("unknown or revoked API key"))?;
        if let Some(origin) = cross_origin(headers) {
            if access.kind == KeyKind::Secret {
                return Err(ApiError::Forbidden(
                    "secret keys must stay on servers; use the publishable key in web pages".into(),
                ));
            }
            if !access.origins.iter().any(|o| o == origin) {
                return Err(ApiError::OriginNotAllowed(origin.to_string()));
            }
        }
        Ok(PublicCaller { access })
    }

    /// The shop the key belongs to (from the auth cache: its `state_version` may be
    /// behind; the quote service keeps the current one).
    pub fn shop(&self) -> &shops::Model {
        &self.access.shop
    }

    /// Whether the key is a secret one (so the caller is the shop's own server).
    pub fn is_secret(&self) -> bool {
        self.access.kind == KeyKind::Secret
    }
}

impl FromRequestParts<AppState> for PublicCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = bearer(&parts.headers)?;
        PublicCaller::authorize(state, &parts.headers, key).await
    }
}

/// The key of a request that may carry it in its body, because `navigator.sendBeacon`
/// cannot set headers: the `Authorization` header when one is sent, else `body_key`.
pub fn key_of<'a>(headers: &'a HeaderMap, body_key: Option<&'a str>) -> Result<&'a str, ApiError> {
    match body_key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(key) if !headers.contains_key(header::AUTHORIZATION) => Ok(key),
        _ => bearer(headers),
    }
}

/// A caller with a secret key, from a server (never from a browser page): the whole
/// API of its shop.
#[derive(Clone, Debug)]
pub struct SecretCaller {
    /// The shop the key belongs to.
    pub shop: shops::Model,
    /// `api:<key prefix>`, for the audit log.
    pub actor: String,
}

impl SecretCaller {
    /// A unit of work on the caller's shop, audited as the caller.
    pub(crate) async fn write(&self, state: &AppState) -> Result<store::ShopWrite, ApiError> {
        let write = state.db.write(self.shop.id, self.actor.as_str()).await;
        Ok(write.map_err(store::StoreError::from)?)
    }
}

impl FromRequestParts<AppState> for SecretCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = bearer(&parts.headers)?;
        let (shop, kind) = store::shops::by_key(&state.db, key)
            .await?
            .ok_or(ApiError::Unauthenticated("unknown or revoked API key"))?;
        if kind != KeyKind::Secret {
            return Err(ApiError::Forbidden(
                "this endpoint reads or changes the shop's own data: it needs a secret key (sk_…)".into(),
            ));
        }
        if cross_origin(&parts.headers).is_some() {
            return Err(ApiError::Forbidden(
                "secret keys must stay on servers; use the publishable key in web pages".into(),
            ));
        }
        Ok(SecretCaller {
            shop,
            actor: format!("api:{}", key.chars().take(12).collect::<String>()),
        })
    }
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated(
            "send the shop's key as `Authorization: Bearer pk_…`",
        ))?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(ApiError::Unauthenticated(
            "the Authorization header must be `Bearer <key>`",
        ))
}

/// The request's `Origin` when it names another site than this server; same-origin
/// requests (the demo storefront, the server's own pages) need no allowlist entry.
pub fn cross_origin(headers: &HeaderMap) -> Option<&str> {
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let same = host.is_some_and(|host| {
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            == Some(host)
    });
    (!same).then_some(origin)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn same_origin_requests_are_not_cross_origin() {
        let h = headers(&[
            (header::ORIGIN, "http://127.0.0.1:3000"),
            (header::HOST, "127.0.0.1:3000"),
        ]);
        assert_eq!(cross_origin(&h), None);
        let h = headers(&[
            (header::ORIGIN, "http://shop.example"),
            (header::HOST, "127.0.0.1:3000"),
        ]);
        assert_eq!(cross_origin(&h), Some("http://shop.example"));
        assert_eq!(cross_origin(&headers(&[(header::HOST, "a")])), None);
    }

    #[test]
    fn bearer_needs_the_scheme_and_a_key() {
        assert!(bearer(&headers(&[(header::AUTHORIZATION, "Bearer pk_x")])).is_ok());
        assert!(bearer(&headers(&[(header::AUTHORIZATION, "pk_x")])).is_err());
        assert!(bearer(&headers(&[(header::AUTHORIZATION, "Bearer ")])).is_err());
        assert!(bearer(&headers(&[])).is_err());
    }

    #[test]
    fn a_body_key_counts_only_without_an_authorization_header() {
        assert_eq!(key_of(&headers(&[]), Some("pk_body")).ok(), Some("pk_body"));
        let with_header = headers(&[(header::AUTHORIZATION, "Bearer pk_header")]);
        assert_eq!(key_of(&with_header, Some("pk_body")).ok(), Some("pk_header"));
        assert_eq!(key_of(&with_header, None).ok(), Some("pk_header"));
        assert!(key_of(&headers(&[]), Some(" ")).is_err());
        assert!(key_of(&headers(&[]), None).is_err());
    }
}
