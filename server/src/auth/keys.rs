//! API keys: `pk_…` publishable keys (read configurators and quotes, post events) and
//! `sk_…` secret keys (the whole API). Only a SHA-256 of a key is stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// Safe to put in a web page: public endpoints of its shop only.
    Publishable,
    /// Server-to-server: the whole API of its shop.
    Secret,
}

impl KeyKind {
    /// The prefix every key of this kind starts with.
    pub fn prefix(self) -> &'static str {
        match self {
            KeyKind::Publishable => "pk_",
            KeyKind::Secret => "sk_",
        }
    }

    /// The value stored in `api_keys.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Publishable => "publishable",
            KeyKind::Secret => "secret",
        }
    }

    /// The kind a presented key claims by its prefix.
    pub fn of(key: &str) -> Option<KeyKind> {
        [KeyKind::Publishable, KeyKind::Secret]
            .into_iter()
            .find(|k| key.starts_with(k.prefix()))
    }
}

/// The SHA-256 of a key. Keys are long random strings, so a plain hash (not a
/// password hash) is enough and keeps the lookup a single indexed read.
pub fn key_digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The stored form of a key: its [`key_digest`] in hex.
pub fn hash_key(key: &str) -> String {
    hex::encode(key_digest(key))
}

/// The first characters of a key, shown in the admin so a merchant can tell keys apart.
pub fn display_prefix(key: &str) -> String {
    key.chars().take(12).collect()
}

/// A new random key of `kind`: prefix plus 32 hex characters (128 bits).
pub fn generate(kind: KeyKind) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("{}{}", kind.prefix(), hex::encode(bytes))
}

/// A new opaque session token for a merchant's browser (256 bits).
pub fn session_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A new random secret for signing (a shop's quote tokens): 256 bits in hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_carry_their_kind() {
        let pk = generate(KeyKind::Publishable);
        assert_eq!(KeyKind::of(&pk), Some(KeyKind::Publishable));
        assert_eq!(pk.len(), 3 + 32);
        assert_eq!(KeyKind::of(&generate(KeyKind::Secret)), Some(KeyKind::Secret));
        assert_eq!(KeyKind::of("xk_123"), None);
    }

    #[test]
    fn hashes_are_stable_and_distinct() {
        assert_eq!(hash_key("pk_a"), hash_key("pk_a"));
        assert_ne!(hash_key("pk_a"), hash_key("pk_b"));
        assert_eq!(hash_key("pk_a").len(), 64);
    }
}
