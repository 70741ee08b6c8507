//! Builds the server and the two browser bundles with plain cargo, runs wasm-bindgen as
//! a library, and lays out the site the server serves (`target/site`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use wasm_bindgen_cli_support::Bindgen;

use crate::setup::run;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Debug builds for quick iteration, release builds for speed and size.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `dev` everywhere.
    Dev,
    /// `release` for the server, size-optimised `wasm-release` for the bundles.
    Release,
}

impl Profile {
    /// The profile a `--release` flag asks for.
    pub fn from_flag(release: bool) -> Profile {
        if release { Profile::Release } else { Profile::Dev }
    }

    fn server_args(self) -> &'static [&'static str] {
        match self {
            Profile::Dev => &[],
            Profile::Release => &["--release"],
        }
    }

    fn wasm_args(self) -> &'static [&'static str] {
        match self {
            Profile::Dev => &[],
            Profile::Release => &["--profile", "wasm-release"],
        }
    }

    fn server_dir(self) -> &'static str {
        match self {
            Profile::Dev => "debug",
            Profile::Release => "release",
        }
    }

    fn wasm_dir(self) -> &'static str {
        match self {
            Profile::Dev => "debug",
            Profile::Release => "wasm-release",
        }
    }
}

/// The workspace root (this crate's parent).
///
/// Read from the `CARGO_MANIFEST_DIR` that `cargo run` sets for this process, not the
/// one compiled in: checkouts sharing a target directory (CI's clone and a working
/// copy) share this binary too, and cargo does not rebuild it when only the checkout's
/// path differs, so a compiled-in path would build and test the other checkout.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where cargo puts its output (honours `CARGO_TARGET_DIR`, as CI sets it).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Where the server finds the built site; fixed relative to the workspace so that
/// `Leptos.toml`'s `site-root` is right whatever `CARGO_TARGET_DIR` is.
pub fn site_dir() -> PathBuf {
    root().join("target/site")
}

pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    // `cargo run` gives xtask its package's variables; passed on, build scripts that
    // track them (ring's does) would make every dependency build differ from a plain
    // `cargo build` or `cargo test` and rebuild each time.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let leaked = [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_PACKAGE",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix));
        if leaked {
            command.env_remove(name.as_ref());
        }
    }
    command
}

/// Builds everything the server serves.
pub fn site(profile: Profile) -> Result<()> {
    eprintln!("xtask: building the server");
    // Without `-p`, features unify across the default members as they do in `cargo test`,
    // so building the site and running the tests share one build of every dependency.
    // The demo shop is part of this build (`cargo xtask run` seeds it); a production
    // build leaves it out.
    run(cargo()
        .args(["build", "--bin", "c2m", "--features", "server/demo"])
        .args(profile.server_args()))?;
    eprintln!("xtask: building the hydrate bundle");
    run(cargo()
        .args([
            "build",
            "-p",
            "app",
            "--lib",
            "--target",
            WASM_TARGET,
            "--features",
            "hydrate",
        ])
        .args(profile.wasm_args()))?;
    let wasm_dir = target_dir().join(WASM_TARGET).join(profile.wasm_dir());
    let site = site_dir();
    bindgen(&wasm_dir.join("app.wasm"), "c2m", &site.join("pkg"), profile)?;
    widget(profile)?;
    copy_dir(&root().join("public"), &site)?;
    copy_dir(&root().join("app/style"), &site.join("assets"))?;
    eprintln!("xtask: site ready in {}", site.display());
    Ok(())
}

/// Builds the widget's bundle alone into `target/site/widget` (what `cargo xtask budget
/// --size-only` measures): the wasm, its glue, the loader, and a `.gz` beside each.
pub fn widget(profile: Profile) -> Result<()> {
    eprintln!("xtask: building the widget bundle");
    run(cargo()
        .args(["build", "-p", "widget", "--lib", "--target", WASM_TARGET])
        .args(profile.wasm_args()))?;
    let wasm_dir = target_dir().join(WASM_TARGET).join(profile.wasm_dir());
    let out = site_dir().join("widget");
    bindgen(&wasm_dir.join("widget.wasm"), "c2m_widget", &out, profile)?;
    copy_dir(&root().join("widget/js"), &out)?;
    precompress(&out)
}

/// The release widget module as wasm-bindgen leaves it but with its function names
/// kept, in `out`, for a size profiler (`twiggy top`, `twiggy dominators`); its path.
pub fn widget_with_names(out: &Path) -> Result<PathBuf> {
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(Profile::Release.wasm_dir())
        .join("widget.wasm");
    run_bindgen(&wasm, "c2m_widget", out, false, true)?;
    Ok(out.join("c2m_widget_bg.wasm"))
}

fn bindgen(wasm: &Path, name: &str, out: &Path, profile: Profile) -> Result<()> {
    let release = profile == Profile::Release;
    run_bindgen(wasm, name, out, !release, !release)
}

fn run_bindgen(wasm: &Path, name: &str, out: &Path, debug: bool, keep_names: bool) -> Result<()> {
    std::fs::create_dir_all(out)?;
    Bindgen::new()
        .input_path(wasm)
        .out_name(name)
        .web(true)?
        .typescript(false)
        .debug(debug)
        .remove_name_section(!keep_names)
        .remove_producers_section(!keep_names)
        .generate(out)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))
}

/// Writes `name.gz` beside every script and wasm file in `dir`, so the server sends the
/// widget compressed without compressing it per request.
fn precompress(dir: &Path) -> Result<()> {
    use std::io::Write;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .is_some_and(|e| e == "js" || e == "wasm" || e == "css");
        if !compressible {
            continue;
        }
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&std::fs::read(&path)?)?;
        let mut gz = path.clone().into_os_string();
        gz.push(".gz");
        std::fs::write(&gz, encoder.finish()?).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest).with_context(|| format!("copying to {}", dest.display()))?;
        }
    }
    Ok(())
}

/// Seeds the demo shop if it is missing, then serves (replacing this process's work).
pub fn run_server(profile: Profile) -> Result<()> {
    let binary = target_dir().join(profile.server_dir()).join("c2m");
    run(Command::new(&binary).arg("seed").current_dir(root()))?;
    eprintln!(
        "xtask: open http://127.0.0.1:3000/ (storefront), /admin (merchant@demo.c2m.dev / demo-merchant), \
         /third-party/ (the widget on a plain page)"
    );
    run(Command::new(&binary).arg("serve").current_dir(root()))
}

/// Runs `c2m simulate` of the built server with `args`, its report in `target/replay`
/// of the checkout (whatever the cargo target directory).
pub fn simulate(profile: Profile, args: &[String]) -> Result<()> {
    let binary = target_dir().join(profile.server_dir()).join("c2m");
    let out = root().join("target").join("replay");
    let mut command = Command::new(&binary);
    command
        .arg("simulate")
        .arg("--out")
        .arg(&out)
        .args(args)
        .current_dir(root());
    run(&mut command)
}

/// Formatting and lints, each build side on its own (features differ per side).
pub fn lint() -> Result<()> {
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args([
        "clippy",
        "-p",
        "app",
        "--lib",
        "--target",
        WASM_TARGET,
        "--features",
        "hydrate",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().args([
        "clippy",
        "-p",
        "widget",
        "--lib",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))
}

/// Every test of the default members, with the built site and axe-core (`axe`) for the
/// browser tests, then
/// one total line: cargo prints a result per test binary, the last often a doc-test run
/// with nothing in it, which would read as if no test ran.
pub fn tests(args: &[String], axe: &Path) -> Result<()> {
    let mut child = cargo()
        .arg("test")
        .args(args)
        .env("C2M_SITE_ROOT", site_dir())
        .env("C2M_AXE_JS", axe)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting cargo test")?;
    let stdout = child.stdout.take().context("cargo test's output")?;
    let mut totals = Totals::default();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        totals.add(&line);
    }
    let status = child.wait()?;
    println!(
        "tests: {} passed, {} failed, {} skipped",
        totals.passed, totals.failed, totals.ignored
    );
    if !status.success() {
        bail!("cargo test failed with {status}");
    }
    if totals.passed == 0 {
        bail!("no test ran");
    }
    Ok(())
}

/// Sums of cargo's `test result:` lines.
#[derive(Default)]
struct Totals {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Totals {
    fn add(&mut self, line: &str) {
        let Some(summary) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in summary.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(kind), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let count: u64 = count.parse().unwrap_or(0);
            match kind {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Totals;

    #[test]
    fn totals_add_up_every_result_line() {
        let mut totals = Totals::default();
        totals.add(
            "test result: ok. 51 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 1s",
        );
        totals.add("test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        totals.add("running 4 tests");
        assert_eq!((totals.passed, totals.failed, totals.ignored), (54, 1, 2));
    }
}
