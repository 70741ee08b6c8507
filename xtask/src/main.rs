//! `cargo xtask`: build and run c2m with plain cargo, and set up what a fresh machine
//! lacks. Every step is idempotent, so the README's two commands can be run any time.
//!
//! Why not cargo-leptos: it does not install on this toolchain without patching, takes
//! 14 minutes to build, and downloads tools at build time (see BUILD-NOTES). Plain
//! cargo plus `wasm-bindgen-cli-support` as a library does the same job.

mod budget;
mod build;
mod circles;
mod fuzz;
mod load;
mod setup;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// Build, run and test c2m.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the wasm target, then build the server, the hydrate bundle and the
    /// widget bundle into target/site.
    Build {
        /// Optimised builds (size-optimised wasm).
        #[arg(long)]
        release: bool,
    },
    /// Build everything, seed the demo shop if missing, and serve on 127.0.0.1:3000
    /// with the SQLite database in ./data.
    Run {
        /// Optimised builds.
        #[arg(long)]
        release: bool,
    },
    /// Install what tests need (wasm target, Chromium, PostgreSQL running), build the
    /// site, and run every test against SQLite and PostgreSQL.
    Test {
        /// Extra arguments for `cargo test` (after `--`), e.g. a test name filter.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// What CI runs: formatting and lint checks for every build side, the widget's size
    /// budget (`budget --size-only`), then `test`.
    Ci,
    /// Import circles between the modules of each crate (fails if there are any).
    Circles,
    /// The promise replay: builds the server and runs `c2m simulate` (a year of the
    /// demo shop, learned against declared lead times; report in target/replay).
    Simulate {
        /// Optimised build (a year takes about a tenth of the time).
        #[arg(long)]
        release: bool,
        /// Arguments for `c2m simulate` (after `--`), e.g. `--days 90 --seed 3`.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Widget budgets: builds the release site, prints the widget's transfer size
    /// (gzip) and runs the timing script in headless Chromium (first estimates after
    /// navigation, estimates after a change).
    Budget {
        /// Only build the release widget bundle and check its transfer size (no server
        /// build, no timing run): what CI runs.
        #[arg(long)]
        size_only: bool,
    },
    /// Schemathesis over the served OpenAPI document with every check, with the
    /// secret and the publishable key (installs schemathesis with pip if missing).
    Fuzz {
        /// Examples per operation and phase.
        #[arg(long, default_value_t = 25)]
        examples: u32,
    },
    /// Load benchmark: cached `POST /api/v1/quotes` against a bare axum endpoint with
    /// the same body, measured with wrk (installed if missing); prints both
    /// throughputs, their ratio and both p99 latencies; then quotes, heat event batches
    /// and orders at once on the same server, with each kind's rate, p50 and p99.
    Load {
        /// Seconds per endpoint.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Concurrent connections.
        #[arg(long, default_value_t = 32)]
        connections: u32,
    },
    /// Ingestion benchmark: sustained `POST /api/v1/events` against the release
    /// server on SQLite and on PostgreSQL (started if needed); prints events per
    /// second, batch latency, and acknowledged vs stored events (fails on any loss).
    Ingest {
        /// Seconds per database.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Concurrent clients.
        #[arg(long, default_value_t = 16)]
        clients: u32,
        /// Events per batch (at most 500).
        #[arg(long, default_value_t = 100)]
        batch: u32,
    },
    /// Orders benchmark: sustained `POST /api/v1/orders` against the release server on
    /// SQLite and on PostgreSQL with quotes asked alongside; prints orders per second,
    /// order and quote latencies, and checks every reservation afterwards.
    Orders {
        /// Seconds per database.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Concurrent clients placing orders.
        #[arg(long, default_value_t = 16)]
        clients: u32,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Build { release } => {
            setup::wasm_target()?;
            build::site(build::Profile::from_flag(release))
        }
        Command::Run { release } => {
            setup::wasm_target()?;
            let profile = build::Profile::from_flag(release);
            build::site(profile)?;
            build::run_server(profile)
        }
        Command::Test { args } => test(&args),
        Command::Load { seconds, connections } => load::run_load(seconds, connections),
        Command::Ingest {
            seconds,
            clients,
            batch,
        } => {
            setup::postgres()?;
            load::run_ingest(seconds, clients, batch)
        }
        Command::Orders { seconds, clients } => {
            setup::postgres()?;
            load::run_orders(seconds, clients)
        }
        Command::Budget { size_only } => {
            setup::wasm_target()?;
            if !size_only {
                setup::chromium()?;
            }
            budget::run_budget(size_only)
        }
        Command::Ci => {
            setup::wasm_target()?;
            build::lint()?;
            circles::run(&build::root())?;
            // The widget's transfer size against its budget: the release widget bundle
            // alone (about a minute warm, two cold), before the long test run.
            budget::run_budget(true)?;
            test(&[])?;
            // The replay on a shortened horizon, so it keeps working; its report is the
            // run's artifact.
            build::simulate(
                build::Profile::Dev,
                &["--days".into(), "60".into(), "--warm-up-days".into(), "20".into()],
            )?;
            // The OpenAPI document against the server (issue 17, "Proof").
            fuzz::run_fuzz(25)
        }
        Command::Simulate { release, args } => {
            setup::wasm_target()?;
            let profile = build::Profile::from_flag(release);
            build::site(profile)?;
            build::simulate(profile, &args)
        }
        Command::Circles => circles::run(&build::root()),
        Command::Fuzz { examples } => fuzz::run_fuzz(examples),
    }
}

fn test(args: &[String]) -> Result<()> {
    setup::wasm_target()?;
    setup::chromium()?;
    setup::postgres()?;
    let axe = setup::axe(&build::target_dir())?;
    build::site(build::Profile::Dev)?;
    build::tests(args, &axe)
}
