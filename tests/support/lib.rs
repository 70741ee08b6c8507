//! Test support: the real server on a random port with a database of its own.
//!
//! Every API and browser test calls [`spawn_app`] with a [`Backend`]: SQLite gets a
//! fresh file, PostgreSQL a fresh schema in the `test` database (so tests run in
//! parallel). The demo shop is seeded with a fixed date so answers are reproducible.

pub mod browser;
pub mod process;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};

use sea_orm::DatabaseConnection;
use server::config::{Config, Sources};
use server::startup::Application;

/// The fixed "today" the demo shop is seeded with.
pub fn seed_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date")
}

/// Which database a test runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A new SQLite file.
    Sqlite,
    /// A new schema on the PostgreSQL server of `C2M_TEST_PG`.
    Postgres,
}

/// The PostgreSQL server the tests use.
pub fn postgres_url() -> String {
    std::env::var("C2M_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The workspace root: from the `CARGO_MANIFEST_DIR` that `cargo test` sets when it
/// runs a test, so a test binary shared between checkouts (through one target
/// directory) reads the files of the checkout under test, not those it was built in.
pub fn workspace_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// A running server and a way to reach it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// The server's database without the unit-of-work guard, for arranging and
    /// checking state directly (what it writes is neither audited nor versioned).
    pub db: DatabaseConnection,
    /// A client with a cookie store, like a browser.
    pub client: reqwest::Client,
    /// Which database this is.
    pub backend: Backend,
    /// The server's database URL (for a second, independent connection to it).
    pub database_url: String,
    /// The server's clock: noon UTC on [`seed_day`] until a test moves it.
    pub now: Arc<Mutex<DateTime<Utc>>>,
    /// The server's shared state, to run a scheduled job now rather than on its timer.
    pub state: server::state::AppState,
    _cleanup: Cleanup,
}

impl TestApp {
    /// An absolute URL for `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Signs the demo merchant in on [`TestApp::client`] (its cookie store keeps the
    /// session), as a browser's form post before the wasm loads would.
    pub async fn sign_in(&self) {
        let response = self
            .client
            .post(self.url("/_fn/login"))
            .header("accept", "text/html")
            .form(&[
                ("email", server::seed::DEMO_MERCHANT_EMAIL),
                ("password", server::seed::DEMO_MERCHANT_PASSWORD),
            ])
            .send()
            .await
            .expect("the sign-in post");
        assert_eq!(
            response.headers().get("location").and_then(|l| l.to_str().ok()),
            Some("/admin"),
            "signed in"
        );
    }

    /// `GET path` with the demo shop's secret key, as a shop platform's server sends it.
    pub async fn get_with_secret_key(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(server::seed::DEMO_SECRET_KEY)
            .send()
            .await
            .expect("the server answers")
    }

    /// A unit of work on `shop` by `actor`, as the server's own writes open them: for
    /// tests that call a store write directly.
    pub async fn write(&self, shop: i64, actor: impl Into<server::store::Actor>) -> server::store::ShopWrite {
        self.state.db.write(shop, actor).await.expect("a unit of work")
    }

    /// The server's guarded database handle, for store functions that take it.
    pub fn store(&self) -> &server::store::Db {
        &self.state.db
    }

    /// Value `group.value` of product `slug` as the configurator API shows it to a
    /// shopper (publishable key, the demo's origin): status, estimate, alternative.
    pub async fn configured_value(&self, slug: &str, group: &str, value: &str) -> serde_json::Value {
        let configurator: serde_json::Value = self
            .client
            .get(self.url(&format!("/api/v1/products/{slug}/configurator")))
            .bearer_auth(server::seed::DEMO_PUBLISHABLE_KEY)
            .header("origin", "http://localhost:3000")
            .send()
            .await
            .expect("the configurator")
            .json()
            .await
            .expect("its JSON");
        configurator["groups"]
            .as_array()
            .and_then(|groups| groups.iter().find(|g| g["code"] == group))
            .and_then(|g| g["values"].as_array())
            .and_then(|values| values.iter().find(|v| v["code"] == value))
            .cloned()
            .unwrap_or_else(|| panic!("{group}.{value} in {configurator}"))
    }

    /// Moves the server's clock.
    pub fn set_now(&self, now: DateTime<Utc>) {
        *self.now.lock().expect("clock lock") = now;
    }
}

/// Noon UTC on [`seed_day`]: the demo shop's data is relative to that day.
pub fn seed_noon() -> DateTime<Utc> {
    Utc.from_utc_datetime(&seed_day().and_hms_opt(12, 0, 0).expect("valid time"))
}

/// Starts the server on a random port against a fresh database with the demo shop.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// [`spawn_app`] with `settings` (`C2M_*` variables and their values) on top of the
/// test configuration.
pub async fn spawn_app_with(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let (url, schema, cleanup) = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("c2m-test-{id}.db"));
            (
                format!("sqlite://{}", path.display()),
                None,
                Cleanup::SqliteFile(path),
            )
        }
        Backend::Postgres => {
            let schema = format!("t_{id}");
            (
                postgres_url(),
                Some(schema.clone()),
                Cleanup::PostgresSchema(schema),
            )
        }
    };
    let root = workspace_root();
    let sources = Sources {
        leptos_toml: Some(root.join("Leptos.toml")),
        config_file: None,
    };
    let site_root =
        std::env::var("C2M_SITE_ROOT").unwrap_or_else(|_| root.join("target/site").display().to_string());
    let mut config = Config::load_with_env(&sources, |key| match key {
        "C2M_ADDR" => Some("127.0.0.1:0".into()),
        "C2M_DATABASE_URL" => Some(url.clone()),
        "C2M_DATABASE_SCHEMA" => schema.clone(),
        // A failed webhook delivery is retried at the next poll, not after 30 seconds.
        "C2M_WEBHOOK_RETRY_SECONDS" => Some("0".into()),
        other => settings
            .iter()
            .find(|(key, _)| *key == other)
            .map(|(_, value)| value.to_string()),
    })
    .expect("test configuration");
    config.leptos.site_root = site_root.into();

    let now = Arc::new(Mutex::new(seed_noon()));
    let clock = {
        let now = now.clone();
        Arc::new(move || *now.lock().expect("clock lock"))
    };
    let app = Application::build_with_clock(config, clock)
        .await
        .expect("the server starts");
    let db = app.db().unguarded().clone();
    let state = app.state();
    server::seed::seed_demo(&db, seed_day())
        .await
        .expect("the demo shop seeds");
    let base_url = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        // A server that stops answering fails the test that asked, rather than holding
        // the whole run until CI gives up.
        .timeout(std::time::Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        base_url,
        db,
        client,
        backend,
        database_url: url,
        now,
        state,
        _cleanup: cleanup,
    }
}

/// Removes a test's database when the test ends, pass or fail.
enum Cleanup {
    SqliteFile(PathBuf),
    PostgresSchema(String),
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresSchema(schema) => {
                // Drop runs inside the test's runtime, which cannot be blocked on; a
                // thread with its own runtime does the async work.
                let schema = schema.clone();
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        use sea_orm::ConnectionTrait;
                        let db = sea_orm::Database::connect(postgres_url()).await.ok()?;
                        db.execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                            .await
                            .ok()?;
                        db.close().await.ok()
                    })
                })
                .join();
            }
        }
    }
}

/// Declares one test per database from an `async fn(TestApp)`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::spawn_app($crate::Backend::Sqlite).await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::spawn_app($crate::Backend::Postgres).await).await
                }
            )*
        }
    };
}
