//! API keys created by a session and not yet shown to it.
//!
//! Creating a key answers with the key, which a hydrated page shows. A form posted
//! before the wasm loads gets a redirect instead, and a secret never goes into a URL:
//! so the key waits here, under the session, for the session's next settings page.
//! That page request is then the only one that sees it; it may ask more than once,
//! because server rendering resolves a page's data in two passes. In memory only (the
//! key is written nowhere), for a few minutes.

use std::sync::Mutex;
use std::time::Duration;

use app::model::settings::NewApiKey;
use moka::sync::Cache;

use crate::auth::keys::key_digest;

/// How long a key waits for its page.
const WAITING: Duration = Duration::from_secs(600);
/// How long the request that took a key may ask for it again.
const SHOWING: Duration = Duration::from_secs(60);

/// Keys by the SHA-256 of the session token: waiting, and taken by a page request.
pub struct KeyReveals {
    waiting: Cache<[u8; 32], NewApiKey>,
    shown: Cache<([u8; 32], String), NewApiKey>,
    /// Taking and recording happen together, so two passes of one request that ask at
    /// the same moment both get the key.
    taking: Mutex<()>,
}

impl Default for KeyReveals {
    fn default() -> Self {
        KeyReveals {
            waiting: Cache::builder().max_capacity(1_000).time_to_live(WAITING).build(),
            shown: Cache::builder().max_capacity(1_000).time_to_live(SHOWING).build(),
            taking: Mutex::new(()),
        }
    }
}

impl KeyReveals {
    /// Keeps `key` for `session`'s next page (replacing an unshown one: the newest is
    /// the one to show).
    pub fn keep(&self, session: &str, key: NewApiKey) {
        self.waiting.insert(key_digest(session), key);
    }

    /// The key for page request `request` of `session`: the one waiting, which only
    /// this request sees from now on. An empty `request` id sees nothing.
    pub fn show(&self, session: &str, request: &str) -> Option<NewApiKey> {
        if request.is_empty() {
            return None;
        }
        let session = key_digest(session);
        let seen = (session, request.to_string());
        let _taking = self
            .taking
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(key) = self.shown.get(&seen) {
            return Some(key);
        }
        let key = self.waiting.remove(&session)?;
        self.shown.insert(seen, key.clone());
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_shown_to_one_page_request_of_its_session() {
        let reveals = KeyReveals::default();
        let key = NewApiKey {
            id: 1,
            kind: "publishable".into(),
            label: "Shop".into(),
            key: "pk_0123".into(),
        };
        reveals.keep("session-a", key.clone());
        assert_eq!(reveals.show("session-b", "r1"), None, "another session");
        assert_eq!(reveals.show("session-a", ""), None, "no request id");
        assert_eq!(reveals.show("session-a", "r1"), Some(key.clone()));
        assert_eq!(
            reveals.show("session-a", "r1"),
            Some(key),
            "the same page, second pass"
        );
        assert_eq!(reveals.show("session-a", "r2"), None, "a reload");
    }
}
