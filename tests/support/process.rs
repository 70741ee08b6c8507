//! The real `c2m` binary as a child process, for tests and benchmarks that must kill
//! or time the server from outside (SIGKILL durability, sustained ingestion).

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::workspace_root;

/// How to run `c2m`: which binary, on which database.
pub struct C2m<'a> {
    /// The binary.
    pub binary: PathBuf,
    /// `sqlite://…` or `postgres://…`.
    pub url: &'a str,
    /// The PostgreSQL schema, if any.
    pub schema: Option<&'a str>,
}

impl C2m<'_> {
    /// The command `c2m <args>` on the database, from the workspace root, killed
    /// when dropped; listening on `port` when given.
    pub fn command(&self, port: Option<u16>) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .current_dir(workspace_root())
            .env("C2M_DATABASE_URL", self.url)
            .env("C2M_LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            // These processes are driven as fast as they take requests (durability, load):
            // what they measure is not the rate limits, which `tests/api/limits.rs` checks.
            .env("C2M_QUOTES_PER_MINUTE", "0")
            .env("C2M_EVENTS_PER_MINUTE", "0")
            .kill_on_drop(true);
        if let Some(schema) = self.schema {
            command.env("C2M_DATABASE_SCHEMA", schema);
        }
        if let Some(port) = port {
            command.env("C2M_ADDR", format!("127.0.0.1:{port}"));
        }
        command
    }

    /// Starts `c2m serve` on `port` and waits until `/readyz` answers 200.
    pub async fn serve(&self, port: u16) -> Child {
        self.serve_with(port, &[]).await
    }

    /// [`C2m::serve`] with `settings` (`C2M_*` variables and their values).
    pub async fn serve_with(&self, port: u16, settings: &[(&str, &str)]) -> Child {
        let mut command = self.command(Some(port));
        command.envs(settings.iter().copied());
        let mut child = command
            .arg("serve")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("c2m serve starts");
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await
                && r.status() == 200
            {
                return child;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("c2m serve exited: {status}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("c2m serve did not become ready in 30 s");
    }
}

/// The `c2m` binary `cargo xtask build` made in the profile directory of `exe`
/// (`target/debug/deps/api-…` → `target/debug/c2m`).
pub fn binary_beside(exe: &Path) -> PathBuf {
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let binary = profile.join("c2m");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo xtask build` first",
        binary.display()
    );
    binary
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A connection to the database, on `schema` when given.
pub async fn connect(url: &str, schema: Option<&str>) -> sea_orm::DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(url.to_string());
    if let Some(schema) = schema {
        options.set_schema_search_path(schema.to_string());
    }
    sea_orm::Database::connect(options).await.expect("the database")
}
