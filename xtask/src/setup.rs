//! Installs what a fresh machine lacks. Each step checks first and does nothing when
//! the thing is already there.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The wasm32 target for the browser bundles.
pub fn wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"])?;
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    eprintln!("xtask: installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Debian's Chromium and its WebDriver, for the browser tests.
pub fn chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    eprintln!("xtask: installing chromium and chromium-driver from Debian");
    apt_install(&["chromium", "chromium-driver"])
}

/// The axe-core release the accessibility tests run.
const AXE: &str = "axe-core@4.14.1";

/// axe-core from npm, for the browser tests' accessibility checks, installed under
/// `target_dir` unless it is there already; the path of its script.
pub fn axe(target_dir: &Path) -> Result<std::path::PathBuf> {
    let dir = target_dir.join("axe");
    let script = dir.join("node_modules/axe-core/axe.min.js");
    if script.exists() {
        return Ok(script);
    }
    if Command::new("npm").arg("--version").output().is_err() {
        eprintln!("xtask: installing npm from Debian");
        apt_install(&["npm"])?;
    }
    eprintln!("xtask: installing {AXE} with npm in {}", dir.display());
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .arg(AXE))?;
    Ok(script)
}

/// wrk, the HTTP load generator of `cargo xtask load`.
pub fn wrk() -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    eprintln!("xtask: installing wrk from Debian");
    apt_install(&["wrk"])
}

/// A PostgreSQL server on 127.0.0.1:5432 for the PostgreSQL half of the tests.
pub fn postgres() -> Result<()> {
    if postgres_ready() {
        return Ok(());
    }
    if !Path::new("/etc/postgresql").exists() {
        eprintln!("xtask: installing postgresql from Debian");
        apt_install(&["postgresql"])?;
    }
    let version = std::fs::read_dir("/etc/postgresql")
        .context("reading /etc/postgresql")?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .max()
        .context("no PostgreSQL cluster under /etc/postgresql")?;
    eprintln!("xtask: starting PostgreSQL {version}");
    run(Command::new("pg_ctlcluster").args(["--skip-systemctl-redirect", &version, "main", "start"]))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if postgres_ready() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    bail!("PostgreSQL did not become ready on 127.0.0.1:5432 within 30 s")
}

fn postgres_ready() -> bool {
    Command::new("pg_isready")
        .args(["-q", "-h", "127.0.0.1", "-p", "5432"])
        .status()
        .is_ok_and(|s| s.success())
}

fn apt_install(packages: &[&str]) -> Result<()> {
    if output("id", &["-u"])?.trim() != "0" {
        bail!(
            "please install {} (e.g. `sudo apt-get install -y {}`)",
            packages.join(", "),
            packages.join(" ")
        );
    }
    run(Command::new("apt-get").args(["update", "-q"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("running {program}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a command, failing with its name when it fails.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}
