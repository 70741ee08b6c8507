//! `cargo xtask budget`: the widget's size and speed against its budgets.
//!
//! Size: the release bundle's files as the server sends them (the precompressed `.gz`
//! beside each), summed: the transfer size of everything the widget loads (its CSS is
//! inside the wasm). Speed: `tests/examples/widget_timing.rs` in headless Chromium
//! against the release server.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::build::{self, Profile, cargo, site_dir};
use crate::setup::run;

/// Transfer size budget for the widget (gzip), bytes.
const SIZE_BUDGET: u64 = 80 * 1024;

/// The files a page embedding the widget downloads.
const WIDGET_FILES: [&str; 3] = ["c2m.js", "c2m_widget.js", "c2m_widget_bg.wasm"];

/// Builds the release site, prints the sizes, then runs the timing script; with
/// `size_only`, builds the release widget bundle alone and checks its size (what CI runs).
pub fn run_budget(size_only: bool) -> Result<()> {
    if size_only {
        build::widget(Profile::Release)?;
        let named = build::widget_with_names(&build::target_dir().join("widget-names"))?;
        println!(
            "(the same module with its names, for twiggy: {})",
            named.display()
        );
        if !sizes(&site_dir().join("widget"))? {
            bail!("the widget is over its size budget");
        }
        return Ok(());
    }
    build::site(Profile::Release)?;
    let within_size = sizes(&site_dir().join("widget"))?;
    eprintln!("xtask: timing the widget in headless Chromium (release build)");
    run(cargo()
        .args([
            "run",
            "--release",
            "-p",
            "c2m-tests",
            "--example",
            "widget_timing",
        ])
        .env("C2M_SITE_ROOT", site_dir())
        .env("RUST_LOG", "warn"))?;
    if !within_size {
        bail!("the widget is over its size budget");
    }
    // The site is now the release build; the tests rebuild the dev one when they run.
    Ok(())
}

/// Prints raw and gzip sizes per file and in total; whether the total is in budget.
fn sizes(widget: &Path) -> Result<bool> {
    println!("widget transfer size (release, gzip -9 as served)");
    let (mut raw_total, mut gz_total) = (0, 0);
    for name in WIDGET_FILES {
        let raw = len(&widget.join(name))?;
        let gz = len(&widget.join(format!("{name}.gz")))?;
        println!("  {name:<22} {:>8.1} KB raw {:>8.1} KB gzip", kb(raw), kb(gz));
        raw_total += raw;
        gz_total += gz;
    }
    let within = gz_total <= SIZE_BUDGET;
    println!(
        "  {:<22} {:>8.1} KB raw {:>8.1} KB gzip   (budget {:.0} KB gzip: {})",
        "total",
        kb(raw_total),
        kb(gz_total),
        kb(SIZE_BUDGET),
        if within { "within" } else { "OVER" }
    );
    Ok(within)
}

fn len(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("{} (was the release site built?)", path.display()))?
        .len())
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}
