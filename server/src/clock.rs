//! The server's clock: one function every part reads the time from, so tests can move
//! time (cross a shop's midnight, age a session) without waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};

/// A clock.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system's clock.
pub fn system() -> Clock {
    Arc::new(Utc::now)
}
