//! Merchant passwords, hashed with argon2id (the PHC string carries salt and parameters).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

/// Hashes `password` with argon2id and a fresh random salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`verify`] on the blocking pool, at most one per core at once, so hashing never
/// stalls the async workers and a burst of sign-ins queues instead of starving them.
/// Without a stored hash (an unknown email) it does the same work against a fixed one
/// and answers `false`, so the time taken does not reveal whether an account exists.
pub async fn verify_off_workers(password: String, phc: Option<String>) -> bool {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let Ok(_slot) = slots.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify(&password, &phc),
        None => {
            verify(&password, stand_in());
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A hash no password is checked against for real: the work an unknown email costs.
fn stand_in() -> &'static str {
    static STAND_IN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STAND_IN.get_or_init(|| hash("c2m: an account that does not exist").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn verifying_off_the_workers_answers_as_verify_and_an_unknown_account_never_matches() {
        let phc = super::hash("correct horse").unwrap();
        assert!(super::verify_off_workers("correct horse".into(), Some(phc.clone())).await);
        assert!(!super::verify_off_workers("battery staple".into(), Some(phc)).await);
        assert!(!super::verify_off_workers("c2m: an account that does not exist".into(), None).await);
    }

    #[test]
    fn a_hash_verifies_only_its_password() {
        let phc = super::hash("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(super::verify("correct horse", &phc));
        assert!(!super::verify("battery staple", &phc));
        assert!(!super::verify("correct horse", "not a hash"));
    }
}
