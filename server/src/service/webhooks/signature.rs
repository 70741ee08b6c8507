//! The one signature scheme for webhooks both ways: `C2M-Signature: t=<unix seconds>,v1=<hex>`
//! where the hex is HMAC-SHA256 over `<t>.<body bytes>` with the shared secret. Signing
//! the timestamp with the body lets a receiver refuse a replay outside its window; the
//! comparison is constant-time (`Mac::verify_slice`).

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The header that carries the signature.
pub const HEADER: &str = "c2m-signature";
/// How far a signed timestamp may be from the receiver's clock, either way.
pub const WINDOW: TimeDelta = TimeDelta::minutes(5);

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value signing `body` at `at`.
pub fn sign(secret: &str, at: DateTime<Utc>, body: &[u8]) -> String {
    let timestamp = at.timestamp();
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(digest))
}

/// Why a signed request is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No signature header.
    #[error(
        "the request is not signed: send `C2M-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`"
    )]
    Missing,
    /// The header is not `t=…,v1=…`.
    #[error("`C2M-Signature` must be `t=<unix seconds>,v1=<64 hex digits>`")]
    Malformed,
    /// The timestamp is outside the window.
    #[error("the signature's timestamp is {0} seconds from the server's clock; at most 300 are accepted")]
    Stale(i64),
    /// No `v1` matches the body with the shop's secret.
    #[error("the signature does not match the body (wrong secret, or the body was changed)")]
    Mismatch,
}

/// A verified signature: the hex digest that matched (what a replay would repeat).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The matching `v1` value.
    pub digest: String,
    /// The signed timestamp.
    pub at: DateTime<Utc>,
}

/// Checks `header` (the `C2M-Signature` value, if any) over `body` with `secret` at `now`.
/// Several `v1=` entries are allowed (a sender rotating its secret sends both).
pub fn verify(
    secret: &str,
    header: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Verified, SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut digests = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = Some(t.parse::<i64>().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", d)) => digests.push(d),
            _ => {}
        }
    }
    let (Some(timestamp), false) = (timestamp, digests.is_empty()) else {
        return Err(SignatureError::Malformed);
    };
    let at = DateTime::from_timestamp(timestamp, 0).ok_or(SignatureError::Malformed)?;
    let skew = (now - at).num_seconds();
    if skew.abs() > WINDOW.num_seconds() {
        return Err(SignatureError::Stale(skew));
    }
    if secret.is_empty() {
        return Err(SignatureError::Mismatch);
    }
    for digest in digests {
        let Ok(bytes) = hex::decode(digest) else {
            continue;
        };
        if mac(secret, timestamp, body).verify_slice(&bytes).is_ok() {
            return Ok(Verified {
                digest: digest.to_ascii_lowercase(),
                at,
            });
        }
    }
    Err(SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_signature_verifies_with_its_secret_and_body_only() {
        let header = sign("whsec_a", at(0), b"{\"x\":1}");
        assert!(header.starts_with("t=1800000000,v1="));
        let verified = verify("whsec_a", Some(&header), b"{\"x\":1}", at(10)).unwrap();
        assert_eq!(verified.at, at(0));
        assert_eq!(
            verify("whsec_b", Some(&header), b"{\"x\":1}", at(10)),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("whsec_a", Some(&header), b"{\"x\":2}", at(10)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn the_timestamp_is_signed_and_must_be_within_five_minutes() {
        let header = sign("s", at(0), b"body");
        assert!(verify("s", Some(&header), b"body", at(300)).is_ok());
        assert_eq!(
            verify("s", Some(&header), b"body", at(301)),
            Err(SignatureError::Stale(301))
        );
        assert_eq!(
            verify("s", Some(&header), b"body", at(-301)),
            Err(SignatureError::Stale(-301))
        );
        // Moving the timestamp into the window breaks the signature.
        let moved = header.replacen("t=1800000000", "t=1800000200", 1);
        assert_eq!(
            verify("s", Some(&moved), b"body", at(250)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn missing_and_malformed_headers_are_told_apart() {
        assert_eq!(verify("s", None, b"", at(0)), Err(SignatureError::Missing));
        for bad in ["", "v1=00", "t=x,v1=00", "t=1800000000"] {
            assert_eq!(
                verify("s", Some(bad), b"", at(0)),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_second_digest_lets_a_sender_rotate_its_secret() {
        let new = sign("new", at(0), b"b");
        let old = sign("old", at(0), b"b");
        let both = format!("{new},{}", old.split_once(',').unwrap().1);
        assert!(verify("old", Some(&both), b"b", at(0)).is_ok());
        assert!(verify("new", Some(&both), b"b", at(0)).is_ok());
    }
}
