//! Configuration: one typed struct, layered and validated once at start.
//!
//! Layers, later ones winning: built-in defaults, `Leptos.toml` (Leptos' runtime
//! settings, including the default address), an optional c2m config file (TOML), then
//! `C2M_*` environment variables. Nothing else in the server reads the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use leptos::config::LeptosOptions;
use serde::Deserialize;

/// Where the default SQLite database lives, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/c2m.db";

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// `sqlite://path` or `postgres://…`.
    pub database_url: String,
    /// PostgreSQL schema to use instead of `public` (tests run one schema each).
    pub database_schema: Option<String>,
    /// Slug of the shop the demo storefront shows.
    pub storefront_shop: String,
    /// `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// Days raw heat events are kept (rollups are kept forever); at least 31, because
    /// events up to 30 days old are accepted and a replay is recognised by its stored id.
    pub heat_retention_days: u32,
    /// Hours between scheduled recomputations of every shop's inventory policies
    /// (0: only on demand).
    pub recompute_every_hours: u32,
    /// Minutes a quote token is accepted after it is issued (1 to 1440).
    pub quote_token_minutes: u32,
    /// Seconds before a failed webhook delivery is tried again; each further failure
    /// doubles the wait, up to 6 hours (0 to 3600; 0 retries at the next poll).
    pub webhook_retry_seconds: u32,
    /// Seconds a request may take before it is answered 503 (1 to 600).
    pub request_timeout_seconds: u32,
    /// Seconds in-flight requests get to finish after a shutdown signal (0 to 600).
    pub shutdown_grace_seconds: u32,
    /// Seconds a client may take to send a request's headers (1 to 300); a slower one
    /// (a "slowloris" holding connections open byte by byte) is disconnected.
    pub header_read_timeout_seconds: u32,
    /// Requests a minute per caller for each rate-limited budget (`limits`).
    pub rate_limits: PerMinute,
    /// Minutes an admin session may go unused before it ends (5 to 10 080, a week).
    pub session_idle_minutes: u32,
    /// Whether the session cookie is `Secure` (sent over HTTPS only). On unless the
    /// server listens on a loopback address, where browsers accept it over plain HTTP
    /// anyway but a LAN address over HTTP would lose it.
    pub secure_cookies: bool,
    /// The bearer token a scraper sends for `/metrics`; without one, `/metrics` answers
    /// only clients on the loopback address.
    pub metrics_token: Option<String>,
    /// Seconds between re-reads of every shop's state version (1 to 3600): how late a
    /// replica may notice another's write when PostgreSQL's notifications are missed
    /// (on SQLite, when another process writes the file).
    pub version_poll_seconds: u32,
    /// The origin shoppers' pages load c2m from (`https://c2m.example.com`), as the
    /// admin's embed snippet writes it; never taken from a request's headers, which a
    /// client chooses. Unset: `http://` and the address the server bound (with
    /// `localhost` for an unspecified address), filled in when it starts.
    pub public_url: Option<String>,
    /// Leptos' runtime settings (site root, package directory, output name).
    pub leptos: LeptosOptions,
}

/// Raw heat is kept this many days unless configured.
pub const DEFAULT_HEAT_RETENTION_DAYS: u32 = 90;

/// Seconds a request may take unless configured: far beyond any quote or order, short
/// enough that a stuck database frees the client.
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u32 = 30;

/// Seconds in-flight requests get after a shutdown signal unless configured.
pub const DEFAULT_SHUTDOWN_GRACE_SECONDS: u32 = 20;

/// Seconds a client has to send a request's headers unless configured: browsers and
/// platforms send them in one packet, so ten seconds only ever cuts off a stalled or
/// hostile client.
pub const DEFAULT_HEADER_READ_TIMEOUT_SECONDS: u32 = 10;

/// Rate limits unless configured, per client address and per API key, a minute: a
/// widget quotes once per change, a page sends a batch of heat every 2 s, a person
/// signs in a few times a day.
pub const DEFAULT_RATE_LIMITS: PerMinute = PerMinute {
    quotes: 1_200,
    events: 600,
    sign_ins: 10,
};

/// Minutes an admin session may go unused unless configured: a working session's
/// pauses pass, a laptop left open overnight does not stay signed in.
pub const DEFAULT_SESSION_IDLE_MINUTES: u32 = 120;

/// Seconds before the first retry of a failed webhook delivery unless configured.
pub const DEFAULT_WEBHOOK_RETRY_SECONDS: u32 = 30;
/// The shortest retention: events up to 30 days old are accepted, and a replayed
/// event is recognised by its stored id, so ids must outlive the acceptance window.
pub const MIN_HEAT_RETENTION_DAYS: u32 = 31;

/// Requests a minute per caller for each rate-limited budget (`limits`); 0 turns a
/// budget off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerMinute {
    /// Quotes.
    pub quotes: u32,
    /// Heat-event batches.
    pub events: u32,
    /// Sign-in attempts (per address).
    pub sign_ins: u32,
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// A configuration problem, reported before anything starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `Leptos.toml` is missing or malformed.
    #[error("cannot load Leptos settings from {path}: {source}")]
    Leptos {
        /// The file.
        path: PathBuf,
        /// Leptos' own message.
        source: leptos::config::errors::LeptosConfigError,
    },
    /// The c2m config file cannot be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The c2m config file is not valid TOML for [`FileLayer`].
    #[error("config file {path} is invalid: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML error.
        source: toml::de::Error,
    },
    /// A value is present but wrong.
    #[error("{key}: {message}")]
    Invalid {
        /// Config key or environment variable.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// The keys a c2m config file may set; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLayer {
    addr: Option<String>,
    database_url: Option<String>,
    database_schema: Option<String>,
    storefront_shop: Option<String>,
    log_format: Option<LogFormat>,
    heat_retention_days: Option<u32>,
    recompute_every_hours: Option<u32>,
    quote_token_minutes: Option<u32>,
    webhook_retry_seconds: Option<u32>,
    request_timeout_seconds: Option<u32>,
    shutdown_grace_seconds: Option<u32>,
    header_read_timeout_seconds: Option<u32>,
    quotes_per_minute: Option<u32>,
    events_per_minute: Option<u32>,
    sign_ins_per_minute: Option<u32>,
    session_idle_minutes: Option<u32>,
    secure_cookies: Option<bool>,
    metrics_token: Option<String>,
    version_poll_seconds: Option<u32>,
    public_url: Option<String>,
}

/// Where to look for the layers.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// `Leptos.toml`; defaults to `./Leptos.toml`.
    pub leptos_toml: Option<PathBuf>,
    /// The optional c2m config file.
    pub config_file: Option<PathBuf>,
}

impl Config {
    /// Loads every layer, reading the process environment for the last one.
    pub fn load(sources: &Sources) -> Result<Config, ConfigError> {
        Self::load_with_env(sources, |key| std::env::var(key).ok())
    }

    /// Loads every layer with `env` standing in for the process environment.
    pub fn load_with_env(
        sources: &Sources,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let leptos_path = sources
            .leptos_toml
            .clone()
            .unwrap_or_else(|| PathBuf::from("Leptos.toml"));
        // Leptos' own error for a missing file speaks of Cargo.toml; say what to do instead.
        if !leptos_path.is_file() {
            return Err(ConfigError::Invalid {
                key: "leptos_toml (C2M_LEPTOS_TOML)",
                message: format!(
                    "{} not found: run c2m from the repository root or point --leptos-toml at the file",
                    leptos_path.display()
                ),
            });
        }
        let leptos = leptos::config::get_configuration(Some(&leptos_path.to_string_lossy()))
            .map_err(|source| ConfigError::Leptos {
                path: leptos_path.clone(),
                source,
            })?
            .leptos_options;
        let file = match &sources.config_file {
            Some(path) => read_file_layer(path)?,
            None => FileLayer::default(),
        };

        let addr_text = env("C2M_ADDR")
            .or(file.addr)
            .unwrap_or_else(|| leptos.site_addr.to_string());
        let addr: SocketAddr = addr_text.parse().map_err(|e| ConfigError::Invalid {
            key: "addr (C2M_ADDR)",
            message: format!("`{addr_text}`: {e}"),
        })?;
        let database_url = env("C2M_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(ConfigError::Invalid {
                key: "database_url (C2M_DATABASE_URL)",
                message: format!("`{database_url}` is neither a sqlite: nor a postgres:// URL"),
            });
        }
        let log_format = match env("C2M_LOG_FORMAT") {
            Some(text) => match text.as_str() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                other => {
                    return Err(ConfigError::Invalid {
                        key: "log_format (C2M_LOG_FORMAT)",
                        message: format!("`{other}`: use `pretty` or `json`"),
                    });
                }
            },
            None => file.log_format.unwrap_or(LogFormat::Pretty),
        };
        let heat_retention_days = number(
            env("C2M_HEAT_RETENTION_DAYS"),
            file.heat_retention_days,
            DEFAULT_HEAT_RETENTION_DAYS,
            "heat_retention_days (C2M_HEAT_RETENTION_DAYS)",
        )?;
        if heat_retention_days < MIN_HEAT_RETENTION_DAYS {
            return Err(ConfigError::Invalid {
                key: "heat_retention_days (C2M_HEAT_RETENTION_DAYS)",
                message: format!(
                    "{heat_retention_days}: keep raw events at least {MIN_HEAT_RETENTION_DAYS} days (events up to 30 days old are accepted, and replays are recognised by their stored ids)"
                ),
            });
        }
        let recompute_every_hours = number(
            env("C2M_RECOMPUTE_EVERY_HOURS"),
            file.recompute_every_hours,
            24,
            "recompute_every_hours (C2M_RECOMPUTE_EVERY_HOURS)",
        )?;
        let quote_token_minutes = number(
            env("C2M_QUOTE_TOKEN_MINUTES"),
            file.quote_token_minutes,
            crate::quoting::token::DEFAULT_TTL_MINUTES,
            "quote_token_minutes (C2M_QUOTE_TOKEN_MINUTES)",
        )?;
        if !(1..=1440).contains(&quote_token_minutes) {
            return Err(ConfigError::Invalid {
                key: "quote_token_minutes (C2M_QUOTE_TOKEN_MINUTES)",
                message: format!("{quote_token_minutes}: between 1 minute and 1440 (a day)"),
            });
        }
        let webhook_retry_seconds = number(
            env("C2M_WEBHOOK_RETRY_SECONDS"),
            file.webhook_retry_seconds,
            DEFAULT_WEBHOOK_RETRY_SECONDS,
            "webhook_retry_seconds (C2M_WEBHOOK_RETRY_SECONDS)",
        )?;
        if webhook_retry_seconds > 3600 {
            return Err(ConfigError::Invalid {
                key: "webhook_retry_seconds (C2M_WEBHOOK_RETRY_SECONDS)",
                message: format!("{webhook_retry_seconds}: at most 3600 (an hour)"),
            });
        }
        let request_timeout_seconds = number(
            env("C2M_REQUEST_TIMEOUT_SECONDS"),
            file.request_timeout_seconds,
            DEFAULT_REQUEST_TIMEOUT_SECONDS,
            "request_timeout_seconds (C2M_REQUEST_TIMEOUT_SECONDS)",
        )?;
        if !(1..=600).contains(&request_timeout_seconds) {
            return Err(ConfigError::Invalid {
                key: "request_timeout_seconds (C2M_REQUEST_TIMEOUT_SECONDS)",
                message: format!("{request_timeout_seconds}: between 1 second and 600 (ten minutes)"),
            });
        }
        let shutdown_grace_seconds = number(
            env("C2M_SHUTDOWN_GRACE_SECONDS"),
            file.shutdown_grace_seconds,
            DEFAULT_SHUTDOWN_GRACE_SECONDS,
            "shutdown_grace_seconds (C2M_SHUTDOWN_GRACE_SECONDS)",
        )?;
        if shutdown_grace_seconds > 600 {
            return Err(ConfigError::Invalid {
                key: "shutdown_grace_seconds (C2M_SHUTDOWN_GRACE_SECONDS)",
                message: format!("{shutdown_grace_seconds}: at most 600 (ten minutes)"),
            });
        }
        let header_read_timeout_seconds = number(
            env("C2M_HEADER_READ_TIMEOUT_SECONDS"),
            file.header_read_timeout_seconds,
            DEFAULT_HEADER_READ_TIMEOUT_SECONDS,
            "header_read_timeout_seconds (C2M_HEADER_READ_TIMEOUT_SECONDS)",
        )?;
        if !(1..=300).contains(&header_read_timeout_seconds) {
            return Err(ConfigError::Invalid {
                key: "header_read_timeout_seconds (C2M_HEADER_READ_TIMEOUT_SECONDS)",
                message: format!("{header_read_timeout_seconds}: between 1 second and 300 (five minutes)"),
            });
        }
        let budget = |env_key: &'static str, file_value: Option<u32>, default: u32, key: &'static str| {
            let n = number(env(env_key), file_value, default, key)?;
            if n > 1_000_000 {
                return Err(ConfigError::Invalid {
                    key,
                    message: format!("{n}: at most 1000000 a minute (0 turns the limit off)"),
                });
            }
            Ok(n)
        };
        let rate_limits = PerMinute {
            quotes: budget(
                "C2M_QUOTES_PER_MINUTE",
                file.quotes_per_minute,
                DEFAULT_RATE_LIMITS.quotes,
                "quotes_per_minute (C2M_QUOTES_PER_MINUTE)",
            )?,
            events: budget(
                "C2M_EVENTS_PER_MINUTE",
                file.events_per_minute,
                DEFAULT_RATE_LIMITS.events,
                "events_per_minute (C2M_EVENTS_PER_MINUTE)",
            )?,
            sign_ins: budget(
                "C2M_SIGN_INS_PER_MINUTE",
                file.sign_ins_per_minute,
                DEFAULT_RATE_LIMITS.sign_ins,
                "sign_ins_per_minute (C2M_SIGN_INS_PER_MINUTE)",
            )?,
        };
        let session_idle_minutes = number(
            env("C2M_SESSION_IDLE_MINUTES"),
            file.session_idle_minutes,
            DEFAULT_SESSION_IDLE_MINUTES,
            "session_idle_minutes (C2M_SESSION_IDLE_MINUTES)",
        )?;
        if !(5..=10_080).contains(&session_idle_minutes) {
            return Err(ConfigError::Invalid {
                key: "session_idle_minutes (C2M_SESSION_IDLE_MINUTES)",
                message: format!("{session_idle_minutes}: between 5 minutes and 10080 (a week)"),
            });
        }
        let secure_cookies = match env("C2M_SECURE_COOKIES") {
            Some(text) => match text.trim() {
                "true" | "1" => true,
                "false" | "0" => false,
                other => {
                    return Err(ConfigError::Invalid {
                        key: "secure_cookies (C2M_SECURE_COOKIES)",
                        message: format!("`{other}`: use `true` or `false`"),
                    });
                }
            },
            None => file.secure_cookies.unwrap_or(!addr.ip().is_loopback()),
        };
        let metrics_token = env("C2M_METRICS_TOKEN")
            .or(file.metrics_token)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError::Invalid {
                key: "metrics_token (C2M_METRICS_TOKEN)",
                message: "at least 16 characters".into(),
            });
        }
        let version_poll_seconds = number(
            env("C2M_VERSION_POLL_SECONDS"),
            file.version_poll_seconds,
            1,
            "version_poll_seconds (C2M_VERSION_POLL_SECONDS)",
        )?;
        if !(1..=3600).contains(&version_poll_seconds) {
            return Err(ConfigError::Invalid {
                key: "version_poll_seconds (C2M_VERSION_POLL_SECONDS)",
                message: format!("{version_poll_seconds}: between 1 second and 3600 (an hour)"),
            });
        }
        let public_url = match env("C2M_PUBLIC_URL").or(file.public_url) {
            Some(text) => Some(public_origin(&text).ok_or_else(|| ConfigError::Invalid {
                key: "public_url (C2M_PUBLIC_URL)",
                message: format!(
                    "`{text}`: an origin such as https://c2m.example.com (scheme and host, no path)"
                ),
            })?),
            None => None,
        };
        let mut leptos = leptos;
        leptos.site_addr = addr;
        Ok(Config {
            addr,
            database_url,
            database_schema: env("C2M_DATABASE_SCHEMA").or(file.database_schema),
            storefront_shop: env("C2M_STOREFRONT_SHOP")
                .or(file.storefront_shop)
                .unwrap_or_else(|| "demo".to_string()),
            log_format,
            heat_retention_days,
            recompute_every_hours,
            quote_token_minutes,
            webhook_retry_seconds,
            request_timeout_seconds,
            shutdown_grace_seconds,
            header_read_timeout_seconds,
            rate_limits,
            session_idle_minutes,
            secure_cookies,
            metrics_token,
            version_poll_seconds,
            public_url,
            leptos,
        })
    }

    /// How long an admin session may go unused.
    pub fn session_idle(&self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.session_idle_minutes))
    }

    /// The directory the built site (hydrate bundle, widget, public files) is served from.
    pub fn site_root(&self) -> &Path {
        Path::new(&*self.leptos.site_root)
    }
}

/// `text` as an origin (`https://host[:port]`, a trailing `/` dropped), if it is one.
fn public_origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/');
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))?;
    let valid = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| text.to_string())
}

/// The public URL of a server bound to `addr` when none is configured.
pub fn default_public_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// A whole number from the environment, else the file, else `default`.
fn number(
    env: Option<String>,
    file: Option<u32>,
    default: u32,
    key: &'static str,
) -> Result<u32, ConfigError> {
    match env {
        Some(text) => text.trim().parse().map_err(|_| ConfigError::Invalid {
            key,
            message: format!("`{text}` is not a whole number of at least 0"),
        }),
        None => Ok(file.unwrap_or(default)),
    }
}

fn read_file_layer(path: &Path) -> Result<FileLayer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.into(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn leptos_toml() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml")
    }

    fn load(file: Option<&str>, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!("c2m-config-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = file.map(|text| {
            let path = dir.join("c2m.toml");
            std::fs::write(&path, text).unwrap();
            path
        });
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let sources = Sources {
            leptos_toml: Some(leptos_toml()),
            config_file,
        };
        Config::load_with_env(&sources, |k| env.get(k).cloned())
    }

    #[test]
    fn defaults_come_from_leptos_toml_and_sqlite() {
        let config = load(None, &[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(&*config.leptos.output_name, "c2m");
        assert_eq!(config.storefront_shop, "demo");
    }

    #[test]
    fn cookies_are_secure_unless_the_server_listens_on_loopback_and_sessions_idle_out() {
        let local = load(None, &[]).unwrap();
        assert!(!local.secure_cookies, "127.0.0.1: plain HTTP in development");
        assert_eq!(local.session_idle_minutes, DEFAULT_SESSION_IDLE_MINUTES);
        let public = load(None, &[("C2M_ADDR", "0.0.0.0:3000")]).unwrap();
        assert!(public.secure_cookies, "any other address: HTTPS only");
        let told = load(Some("secure_cookies = false\n"), &[("C2M_ADDR", "0.0.0.0:3000")]).unwrap();
        assert!(!told.secure_cookies, "the file decides when it says");
        let env = load(
            Some("secure_cookies = false\n"),
            &[("C2M_SECURE_COOKIES", "true")],
        )
        .unwrap();
        assert!(env.secure_cookies, "the environment over the file");
        let Err(ConfigError::Invalid { key, .. }) = load(None, &[("C2M_SECURE_COOKIES", "yes")]) else {
            panic!("`yes` is refused");
        };
        assert!(key.starts_with("secure_cookies"));
        let Err(ConfigError::Invalid { key, message }) = load(None, &[("C2M_SESSION_IDLE_MINUTES", "2")])
        else {
            panic!("an idle timeout under 5 minutes is refused");
        };
        assert!(
            key.starts_with("session_idle_minutes") && message.contains("between 5"),
            "{message}"
        );
        assert_eq!(
            load(None, &[("C2M_SESSION_IDLE_MINUTES", "30")])
                .unwrap()
                .session_idle(),
            chrono::Duration::minutes(30)
        );
    }

    #[test]
    fn the_public_url_is_an_origin() {
        let told = load(None, &[("C2M_PUBLIC_URL", "https://c2m.example.com/")]).unwrap();
        assert_eq!(told.public_url.as_deref(), Some("https://c2m.example.com"));
        assert_eq!(load(None, &[]).unwrap().public_url, None, "filled in at start");
        for bad in [
            "c2m.example.com",
            "https://",
            "https://c2m.example.com/widget",
            "ftp://x",
        ] {
            let Err(ConfigError::Invalid { key, .. }) = load(None, &[("C2M_PUBLIC_URL", bad)]) else {
                panic!("`{bad}` is refused");
            };
            assert!(key.starts_with("public_url"));
        }
        assert_eq!(
            default_public_url("0.0.0.0:3000".parse().unwrap()),
            "http://localhost:3000"
        );
        assert_eq!(
            default_public_url("127.0.0.1:4000".parse().unwrap()),
            "http://127.0.0.1:4000"
        );
    }

    #[test]
    fn the_file_overrides_leptos_toml_and_the_environment_overrides_the_file() {
        let file = "addr = \"127.0.0.1:4000\"\ndatabase_url = \"sqlite://file.db\"\n";
        let config = load(Some(file), &[]).unwrap();
        assert_eq!(config.addr.port(), 4000);
        assert_eq!(config.database_url, "sqlite://file.db");
        let config = load(Some(file), &[("C2M_ADDR", "127.0.0.1:5000")]).unwrap();
        assert_eq!(config.addr.port(), 5000);
        assert_eq!(config.leptos.site_addr.port(), 5000);
        assert_eq!(config.database_url, "sqlite://file.db");
    }

    #[test]
    fn request_and_shutdown_deadlines_default_and_refuse_what_is_out_of_range() {
        let config = load(None, &[]).unwrap();
        assert_eq!(
            (
                config.request_timeout_seconds,
                config.shutdown_grace_seconds,
                config.header_read_timeout_seconds
            ),
            (
                DEFAULT_REQUEST_TIMEOUT_SECONDS,
                DEFAULT_SHUTDOWN_GRACE_SECONDS,
                DEFAULT_HEADER_READ_TIMEOUT_SECONDS
            )
        );
        let config = load(
            Some("request_timeout_seconds = 5\nheader_read_timeout_seconds = 2\n"),
            &[("C2M_SHUTDOWN_GRACE_SECONDS", "0")],
        )
        .unwrap();
        assert_eq!(
            (
                config.request_timeout_seconds,
                config.shutdown_grace_seconds,
                config.header_read_timeout_seconds
            ),
            (5, 0, 2)
        );
        for (key, value) in [
            ("C2M_REQUEST_TIMEOUT_SECONDS", "0"),
            ("C2M_REQUEST_TIMEOUT_SECONDS", "601"),
            ("C2M_SHUTDOWN_GRACE_SECONDS", "601"),
            ("C2M_HEADER_READ_TIMEOUT_SECONDS", "0"),
            ("C2M_HEADER_READ_TIMEOUT_SECONDS", "301"),
        ] {
            let refused = load(None, &[(key, value)]).unwrap_err().to_string();
            assert!(refused.contains(key), "{refused}");
        }
    }

    #[test]
    fn heat_retention_defaults_to_90_days_and_refuses_less_than_the_acceptance_window() {
        let config = load(None, &[]).unwrap();
        assert_eq!(
            (config.heat_retention_days, config.recompute_every_hours),
            (90, 24)
        );
        let config = load(
            Some("heat_retention_days = 400\n"),
            &[("C2M_RECOMPUTE_EVERY_HOURS", "6")],
        )
        .unwrap();
        assert_eq!(
            (config.heat_retention_days, config.recompute_every_hours),
            (400, 6)
        );
        let err = load(None, &[("C2M_HEAT_RETENTION_DAYS", "30")]).unwrap_err();
        assert!(err.to_string().starts_with("heat_retention_days"), "{err}");
        let err = load(None, &[("C2M_RECOMPUTE_EVERY_HOURS", "daily")]).unwrap_err();
        assert!(err.to_string().contains("C2M_RECOMPUTE_EVERY_HOURS"), "{err}");
    }

    #[test]
    fn bad_values_are_named() {
        let err = load(None, &[("C2M_ADDR", "nowhere")]).unwrap_err();
        assert!(err.to_string().starts_with("addr (C2M_ADDR)"), "{err}");
        let err = load(None, &[("C2M_DATABASE_URL", "mysql://x")]).unwrap_err();
        assert!(err.to_string().contains("C2M_DATABASE_URL"), "{err}");
        let err = load(Some("adress = \"x\""), &[]).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { .. }), "{err}");
        let sources = Sources {
            leptos_toml: Some("/nowhere/Leptos.toml".into()),
            config_file: None,
        };
        let err = Config::load_with_env(&sources, |_| None).unwrap_err();
        assert!(
            err.to_string().contains("/nowhere/Leptos.toml not found"),
            "{err}"
        );
        let err = load(Some("adress = \"x\""), &[]).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { .. }), "{err}");
    }
}
