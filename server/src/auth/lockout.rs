//! Temporary lockout per account: after [`MAX_FAILURES`] failed sign-ins for one email
//! within [`LOCKOUT`] of each other, no password is checked for it until [`LOCKOUT`]
//! has passed since the last failure. Unknown emails are counted the same way, so the
//! lockout tells nothing about which accounts exist. Per process (a replica counts its
//! own attempts); the per-address rate limit (`limits`) bounds the attempts across
//! accounts.

use std::time::Duration;

use moka::sync::Cache;

/// Failed attempts that lock an email.
pub const MAX_FAILURES: u32 = 5;

/// How long an email stays locked after its last failure.
pub const LOCKOUT: Duration = Duration::from_secs(15 * 60);

/// Failed attempts per email (lowercased), forgotten [`LOCKOUT`] after the last one.
pub struct Lockout {
    failures: Cache<String, u32>,
    max: u32,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout::new(MAX_FAILURES, LOCKOUT)
    }
}

impl Lockout {
    /// Locks an email after `max` failures, for `lockout` after the last one.
    pub fn new(max: u32, lockout: Duration) -> Self {
        Lockout {
            failures: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(lockout)
                .build(),
            max,
        }
    }

    /// Whether `email` is locked now.
    pub fn is_locked(&self, email: &str) -> bool {
        self.failures.get(&key(email)).is_some_and(|n| n >= self.max)
    }

    /// Counts a failed attempt for `email`.
    pub fn failed(&self, email: &str) {
        let key = key(email);
        let n = self.failures.get(&key).unwrap_or(0);
        self.failures.insert(key, n.saturating_add(1));
    }

    /// Forgets `email`'s failures (it signed in).
    pub fn succeeded(&self, email: &str) {
        self.failures.invalidate(&key(email));
    }
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_locked_after_its_failures_and_free_again_after_the_lockout() {
        let lockout = Lockout::new(3, Duration::from_millis(200));
        for _ in 0..2 {
            lockout.failed("Ana@Shop.example");
        }
        assert!(!lockout.is_locked("ana@shop.example"));
        lockout.failed("ana@shop.example ");
        assert!(
            lockout.is_locked("ANA@shop.example"),
            "case and spaces do not matter"
        );
        assert!(
            !lockout.is_locked("bo@shop.example"),
            "another email is not locked"
        );
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !lockout.is_locked("ana@shop.example"),
            "free again after the lockout"
        );
    }

    #[test]
    fn a_success_forgets_the_failures() {
        let lockout = Lockout::new(2, LOCKOUT);
        lockout.failed("ana@shop.example");
        lockout.succeeded("ana@shop.example");
        lockout.failed("ana@shop.example");
        assert!(!lockout.is_locked("ana@shop.example"));
    }
}
