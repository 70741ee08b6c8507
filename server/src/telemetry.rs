//! Structured logs with `tracing`.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// What a server logs unless `RUST_LOG` says otherwise.
pub const SERVER_LOGS: &str = "info,sqlx=warn,sea_orm=warn,tower_http=info";
/// What a command that draws its own progress logs: warnings only, which a replay's
/// thousands of snapshot loads would otherwise drown.
pub const QUIET_LOGS: &str = "warn";

/// Installs the global subscriber. `RUST_LOG` replaces the `default` filter.
pub fn init(format: LogFormat, default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second call (tests start many servers in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
