//! Quote tokens: what a shopper was shown, signed, so an order can be booked at
//! exactly that promise (PRODUCT.md, "Orders and promises").
//!
//! A token is `base64url(claims JSON) . base64url(HMAC-SHA256(claims JSON))`, keyed by
//! the shop's own secret (`shops.quote_token_secret`), so a token of one shop can never
//! pass in another, and every replica on the database checks it alike. The claims are
//! readable (the platform may show them) but cannot be changed without the key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use engine::Selection;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long a token is good for unless configured.
pub const DEFAULT_TTL_MINUTES: u32 = 30;

/// What the shopper was promised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The shop's row id.
    pub shop: i64,
    /// Product slug.
    pub product: String,
    /// The selection quoted, value codes per group code.
    pub selection: Selection,
    /// Units quoted.
    pub quantity: u32,
    /// Price of one unit, minor units.
    pub price_minor: i64,
    /// Median delivery date shown.
    pub p50: NaiveDate,
    /// 90th percentile delivery date shown.
    pub p90: NaiveDate,
    /// The "arrives by" date an order commits to.
    pub promised_on: NaiveDate,
    /// When the token stops being accepted (seconds since the Unix epoch).
    pub expires_at: i64,
}

/// Why a token is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not of the form `claims.signature`, or its claims do not parse.
    #[error("is not a quote token")]
    Malformed,
    /// The signature does not match the claims: changed, or made with another key.
    #[error("has been tampered with (its signature does not match)")]
    Tampered,
    /// Past its expiry.
    #[error("expired at {0}; quote again for a new one")]
    Expired(DateTime<Utc>),
}

fn mac(secret: &str) -> Option<Hmac<Sha256>> {
    // An empty secret (a shop made outside c2m's own paths) signs nothing.
    (!secret.is_empty())
        .then(|| Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key"))
}

/// Signs `claims` with the shop's `secret`; `None` when the shop has no secret.
pub fn sign(secret: &str, claims: &Claims) -> Option<String> {
    let mut mac = mac(secret)?;
    let body = serde_json::to_vec(claims).expect("claims serialise");
    mac.update(&body);
    let signature = mac.finalize().into_bytes();
    Some(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&body),
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// The claims of `token` if the shop's `secret` signed it and it has not expired at
/// `now`. The signature is compared in constant time.
pub fn verify(secret: &str, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
    let (body, signature) = token.trim().split_once('.').ok_or(TokenError::Malformed)?;
    let body = URL_SAFE_NO_PAD.decode(body).map_err(|_| TokenError::Malformed)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Malformed)?;
    let mut mac = mac(secret).ok_or(TokenError::Tampered)?;
    mac.update(&body);
    mac.verify_slice(&signature).map_err(|_| TokenError::Tampered)?;
    let claims: Claims = serde_json::from_slice(&body).map_err(|_| TokenError::Malformed)?;
    if claims.expires_at <= now.timestamp() {
        let at = DateTime::from_timestamp(claims.expires_at, 0).unwrap_or_default();
        return Err(TokenError::Expired(at));
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            shop: 1,
            product: "weekender-bag".into(),
            selection: [("fabric".to_string(), vec!["navy-canvas".to_string()])].into(),
            quantity: 2,
            price_minor: 18_900,
            p50: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            p90: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            promised_on: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            expires_at: 1_800_000_000,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn a_signed_token_gives_its_claims_back_until_it_expires() {
        let token = sign("s3cret", &claims()).unwrap();
        assert_eq!(verify("s3cret", &token, at(1_799_999_999)), Ok(claims()));
        assert_eq!(
            verify("s3cret", &token, at(1_800_000_000)),
            Err(TokenError::Expired(at(1_800_000_000)))
        );
    }

    #[test]
    fn changed_claims_or_another_key_are_tampering() {
        let token = sign("s3cret", &claims()).unwrap();
        assert_eq!(verify("other", &token, at(0)), Err(TokenError::Tampered));
        let (_, signature) = token.split_once('.').unwrap();
        let cheaper = Claims {
            price_minor: 100,
            ..claims()
        };
        let forged = format!(
            "{}.{signature}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&cheaper).unwrap())
        );
        assert_eq!(verify("s3cret", &forged, at(0)), Err(TokenError::Tampered));
    }

    #[test]
    fn what_is_not_a_token_says_so() {
        assert_eq!(verify("s3cret", "hello", at(0)), Err(TokenError::Malformed));
        assert_eq!(verify("s3cret", "a.b!", at(0)), Err(TokenError::Malformed));
        assert_eq!(sign("", &claims()), None);
    }
}
