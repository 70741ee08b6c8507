//! `cargo xtask fuzz`: schemathesis (PyPI) over the OpenAPI document the server serves,
//! with every check, once with the secret key and once with the publishable key,
//! against the dev server on a fresh SQLite copy of the demo shop. Installs
//! schemathesis with pip, in a virtual environment of its own under the target
//! directory, when it is missing there. Its configuration, `tests/fuzz/schemathesis.toml`,
//! says which refusals depend on the shop's data rather than the request's shape.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::build::{self, Profile};
use crate::setup::run;

/// The schemathesis release the run is pinned to, so a new release's new checks do not
/// change what CI means without a commit.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";
/// The demo shop's keys (`server::seed`).
const KEYS: [(&str, &str); 2] = [
    ("secret", "sk_demo_c2m_secret_0000000000000000"),
    ("publishable", "pk_demo_c2m_public_0000000000000000"),
];
const PORT: u16 = 3_917;
/// One of the demo shop's allowed origins (`server::seed`).
const ORIGIN: &str = "Origin: http://localhost:3000";

/// Builds the server, serves a fresh demo shop and runs schemathesis with each key.
pub fn run_fuzz(examples: u32) -> Result<()> {
    let schemathesis = install()?;
    crate::setup::wasm_target()?;
    build::site(Profile::Dev)?;
    let dir = build::target_dir().join("fuzz");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let binary = build::target_dir().join("debug").join("c2m");
    let url = format!("sqlite://{}", dir.join("c2m.db").display());
    run(c2m(&binary, &url).arg("seed").stdout(Stdio::null()))?;
    let server = Server(
        c2m(&binary, &url)
            .arg("serve")
            .stdout(Stdio::null())
            .spawn()
            .context("starting c2m serve")?,
    );
    wait_ready()?;
    let mut failed = Vec::new();
    let config = build::root().join("tests").join("fuzz").join("schemathesis.toml");
    for (name, key) in KEYS {
        eprintln!("xtask: schemathesis with the {name} key");
        let mut command = Command::new(&schemathesis);
        command
            .arg("--config-file")
            .arg(&config)
            .args(["run", &format!("http://127.0.0.1:{PORT}/api/v1/openapi.json")]);
        // A publishable key is used from the shop's pages: its requests carry one of
        // the shop's origins, as a browser's do.
        if name == "publishable" {
            command.args(["-H", ORIGIN]);
        }
        let status = command
            .args(["--checks", "all", "--workers", "2", "--seed", "1"])
            .args(["--max-examples", &examples.to_string()])
            .args(["-H", &format!("Authorization: Bearer {key}")])
            .args(["--report", "junit", "--report-dir"])
            .arg(dir.join(name))
            .status()
            .context("running schemathesis")?;
        if !status.success() {
            failed.push(name);
        }
    }
    drop(server);
    if !failed.is_empty() {
        bail!(
            "schemathesis found failures with the {} key(s)",
            failed.join(" and ")
        );
    }
    Ok(())
}

/// The pinned schemathesis, installed in `target/fuzz-venv` unless it is there already;
/// its executable.
fn install() -> Result<std::path::PathBuf> {
    let venv = build::target_dir().join("fuzz-venv");
    let executable = venv.join("bin").join("schemathesis");
    let installed = Command::new(&executable)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("4.32.5"));
    if installed {
        return Ok(executable);
    }
    eprintln!("xtask: installing {SCHEMATHESIS} with pip in {}", venv.display());
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin").join("python")).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        SCHEMATHESIS,
    ]))?;
    Ok(executable)
}

fn c2m(binary: &Path, url: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .current_dir(build::root())
        .env("C2M_DATABASE_URL", url)
        .env("C2M_ADDR", format!("127.0.0.1:{PORT}"))
        .env("C2M_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        // The fuzzer sends hundreds of requests a second: it tests the API, not the
        // rate limits (tests/api/limits.rs does).
        .env("C2M_QUOTES_PER_MINUTE", "0")
        .env("C2M_EVENTS_PER_MINUTE", "0");
    command
}

fn wait_ready() -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", PORT)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("c2m serve did not listen on {PORT} within a minute")
}

/// The server, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
