//! Retrying work that lost a race for a lock: SQLite's file still locked by another
//! process after the busy timeout, or a PostgreSQL transaction rolled back as a
//! serialization failure, a deadlock victim or a lock it could not get. Nothing of the
//! failed attempt was committed, so running it again is safe; after a short,
//! jittered, growing wait it usually succeeds, and the caller never sees the race.
//! Anything else (bad data, a database that is down) is not retried here: the first
//! is final, the second is the 503 the API answers.

use std::future::Future;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use sea_orm::DbErr;

use super::StoreError;

/// Attempts after the first: with the waits below, a write gives up within about a
/// second of backoff on PostgreSQL (plus SQLite's own busy timeout per attempt).
const RETRIES: usize = 4;

/// The backoff between attempts: 25 ms doubling up to 400 ms, each jittered so that
/// writers that collided do not collide again.
fn backoff() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(25))
        .with_max_delay(Duration::from_millis(400))
        .with_max_times(RETRIES)
        .with_jitter()
}

/// An error that may say "lost a race for a lock".
pub trait Contention {
    /// Whether the operation failed only because another transaction held what it
    /// needed, so the same operation may succeed if run again.
    fn is_contention(&self) -> bool;
}

impl Contention for DbErr {
    fn is_contention(&self) -> bool {
        use sea_orm::RuntimeErr;
        match self {
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match &**e {
                sea_orm::sqlx::Error::Database(db) => db.code().is_some_and(|code| contention_code(&code)),
                _ => false,
            },
            _ => false,
        }
    }
}

impl Contention for StoreError {
    fn is_contention(&self) -> bool {
        match self {
            StoreError::Db(e) => e.is_contention(),
            _ => false,
        }
    }
}

/// SQLite: `SQLITE_BUSY` (5) and `SQLITE_LOCKED` (6), with any extended code in the
/// high bits. PostgreSQL: 40001 (serialization failure), 40P01 (deadlock detected),
/// 55P03 (lock not available).
fn contention_code(code: &str) -> bool {
    if code.len() == 5 {
        return matches!(code, "40001" | "40P01" | "55P03");
    }
    code.parse::<u32>()
        .is_ok_and(|sqlite| matches!(sqlite & 0xff, 5 | 6))
}

/// Runs `attempt` until it succeeds, fails for another reason than contention, or has
/// been retried [`RETRIES`] times.
pub async fn on_contention<T, E, F, Fut>(what: &'static str, attempt: F) -> Result<T, E>
where
    E: Contention + std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    attempt
        .retry(backoff())
        .sleep(tokio::time::sleep)
        .when(E::is_contention)
        .notify(|error, wait| {
            metrics::counter!("c2m_db_retries_total", "what" => what).increment(1);
            tracing::info!(%error, ?wait, what, "lost a race for a lock; trying again");
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[test]
    fn lock_races_are_contention_and_the_rest_is_not() {
        for code in ["5", "6", "517", "261", "40001", "40P01", "55P03"] {
            assert!(contention_code(code), "{code}");
        }
        for code in ["1", "19", "2067", "23505", "08006", "57P01", "42P01"] {
            assert!(!contention_code(code), "{code}");
        }
    }

    struct Busy(bool);

    impl Contention for Busy {
        fn is_contention(&self) -> bool {
            self.0
        }
    }

    impl std::fmt::Display for Busy {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(if self.0 { "busy" } else { "refused" })
        }
    }

    #[tokio::test]
    async fn contention_is_retried_until_it_passes_and_other_failures_are_not() {
        let calls = AtomicU32::new(0);
        let passed = on_contention("test", || async {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 | 1 => Err(Busy(true)),
                n => Ok(n),
            }
        })
        .await;
        assert!(matches!(passed, Ok(2)), "third attempt succeeds");

        let calls = AtomicU32::new(0);
        let refused: Result<(), Busy> = on_contention("test", || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(Busy(false))
        })
        .await;
        assert!(refused.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1, "a refusal is final");

        let calls = AtomicU32::new(0);
        let busy: Result<(), Busy> = on_contention("test", || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(Busy(true))
        })
        .await;
        assert!(busy.is_err());
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1 + RETRIES as u32,
            "then it gives up"
        );
    }
}
