//! The `c2m` binary: reads configuration and runs the chosen command.

use anyhow::Context;
use clap::Parser;
use server::cli::{Cli, Command};
use server::config::{Config, Sources};
use server::service::{policies, recompute};
use server::startup::{Application, shutdown_signal};
use server::{clock, store, telemetry};

/// mimalloc instead of the system's allocator: a cached quote allocates and frees a few
/// dozen small blocks (headers, futures, the parsed selection), and glibc's malloc and
/// free were 15 % of its CPU under load (`perf record` while `cargo xtask load` ran).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let sources = Sources {
        leptos_toml: Some(cli.leptos_toml.clone()),
        config_file: cli.config.clone(),
    };
    let config = Config::load(&sources).context("configuration")?;
    let logs = match cli.command {
        Command::Simulate(_) => telemetry::QUIET_LOGS,
        _ => telemetry::SERVER_LOGS,
    };
    telemetry::init(config.log_format, logs);
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = store::connect(&config.database_url, config.database_schema.as_deref()).await?;
            store::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Seed { reset } => {
            let db = store::connect(&config.database_url, config.database_schema.as_deref()).await?;
            store::migrate(&db).await?;
            seed(&db, reset).await?;
            recompute(&store::Db::new(db, clock::system()), None).await
        }
        Command::Recompute { shop } => {
            let db = store::connect(&config.database_url, config.database_schema.as_deref()).await?;
            store::migrate(&db).await?;
            recompute(&store::Db::new(db, clock::system()), shop.as_deref()).await
        }
        Command::Backup { to } => {
            // Connecting would create a missing SQLite file: a typo in the URL would
            // back up an empty database without a word.
            if let Some(path) = store::backup::missing_sqlite_file(&config.database_url) {
                anyhow::bail!("there is no database at {} (C2M_DATABASE_URL)", path.display());
            }
            let db = store::connect(&config.database_url, config.database_schema.as_deref()).await?;
            let bytes = store::backup::sqlite_to(&store::Db::new(db, clock::system()), &to).await?;
            println!(
                "backed up {} to {} ({bytes} bytes)",
                config.database_url,
                to.display()
            );
            Ok(())
        }
        Command::Simulate(args) => simulate(*args).await,
    }
}

/// Replays a shop and writes the report, with a progress bar.
async fn simulate(args: server::cli::SimulateArgs) -> anyhow::Result<()> {
    use server::simulate::{self, Behaviour, Options, Source, reality::Reality, render};
    for (name, share) in [
        ("production-noise", args.production_noise),
        ("cancel-rate", args.cancel_rate),
    ] {
        anyhow::ensure!(
            (0.0..=1.0).contains(&share),
            "--{name} must be a share between 0 and 1"
        );
    }
    anyhow::ensure!(args.sensitivity >= 0.0, "--sensitivity cannot be negative");
    anyhow::ensure!(args.demand_scale > 0.0, "--demand-scale must be above 0");
    let warm_up_days = args.warm_up();
    let options = Options {
        source: match (args.database, args.shop) {
            (Some(database), Some(shop)) => Source::of(database, args.database_schema, shop)?,
            _ => Source::Demo,
        },
        seed: args.seed,
        start: args.start.unwrap_or_else(|| chrono::Utc::now().date_naive()),
        days: args.days,
        warm_up_days,
        behaviour: Behaviour {
            reality: Reality {
                slips: if args.truthful { Vec::new() } else { args.slips },
                production_noise: args.production_noise,
                slow_centers: args.slow_centers,
                outage: args.outage,
                cancel_rate: args.cancel_rate,
            },
            sensitivity: args.sensitivity,
            patience_days: args.patience_days,
            demand_scale: args.demand_scale,
            review_days: args.review_days.max(1),
            replenish: !args.no_replenish,
            pull_in: !args.no_pull_in,
        },
        learning: match args.runs.as_str() {
            "learned" => vec![true],
            "declared" => vec![false],
            _ => vec![true, false],
        },
        scratch_dir: std::env::temp_dir(),
    };
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let bar = indicatif::ProgressBar::new(u64::from(options.days) * options.learning.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("replay {msg:<28} [{bar:32}] {pos}/{len} days {elapsed}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let report = simulate::replay(&options, |p| {
        bar.set_position(u64::from(p.days) * p.run as u64 + u64::from(p.day));
        bar.set_message(format!("run {}/{}: {} orders", p.run + 1, p.runs, p.orders));
    })
    .await?;
    bar.finish_and_clear();
    let text = render::terminal(&report);
    std::fs::write(args.out.join("report.txt"), &text)?;
    std::fs::write(args.out.join("report.json"), serde_json::to_vec_pretty(&report)?)?;
    std::fs::write(args.out.join("report.html"), render::html(&report))?;
    println!("{text}");
    println!(
        "replayed {} days × {} runs in {:.1} s; report in {}/report.{{txt,json,html}}",
        options.days,
        options.learning.len(),
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

/// Creates the demo shop (again, with `reset`).
#[cfg(feature = "demo")]
async fn seed(db: &sea_orm::DatabaseConnection, reset: bool) -> anyhow::Result<()> {
    use server::seed::{self, SeedOutcome};
    let today = chrono::Utc::now().date_naive();
    let report = if reset {
        seed::reseed_demo(db, today).await?
    } else {
        match seed::seed_demo(db, today).await? {
            SeedOutcome::Created(report) => report,
            SeedOutcome::AlreadyPresent => {
                println!("the demo shop already exists (use `c2m seed --reset` to recreate it)");
                return Ok(());
            }
        }
    };
    println!(
        "seeded the demo shop: {} products, {} materials, {} orders, {} heat events",
        report.products, report.materials, report.orders, report.heat_events
    );
    Ok(())
}

/// A build without the demo shop says so.
#[cfg(not(feature = "demo"))]
async fn seed(_db: &sea_orm::DatabaseConnection, _reset: bool) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build of c2m has no demo shop: build it with `cargo xtask build` (or `cargo build -p server \
         --features demo`)"
    )
}

/// Recomputes the policies of `shop` (a slug) or of every shop, with a progress bar.
async fn recompute(db: &store::Db, shop: Option<&str>) -> anyhow::Result<()> {
    let shops = match shop {
        Some(slug) => vec![
            store::shops::by_slug(db, slug)
                .await?
                .with_context(|| format!("no shop `{slug}`"))?,
        ],
        None => store::shops::all(db).await?,
    };
    for shop in shops {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{prefix} {msg:<10} [{bar:32}] {pos}/{len} materials {elapsed}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(format!("policies of `{}`", shop.slug));
        let summary = recompute::run(db, &shop, db.now(), |stage| match stage {
            policies::Stage::Loading => bar.set_message("loading"),
            policies::Stage::Computing => bar.set_message("computing"),
            policies::Stage::Storing { done, total } => {
                bar.set_message("storing");
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        })
        .await?;
        bar.finish_with_message("done");
        println!(
            "recomputed {} materials of `{}` ({} to order, {} alerts raised, {} suggestions executed by \
             rules; {} orders and {} days of presale heat; read {} ms, computed {} ms, stored {} ms)",
            summary.materials,
            shop.slug,
            summary.to_order,
            summary.alerts_raised,
            summary.rules_executed,
            summary.orders,
            summary.heat_days,
            summary.load_ms,
            summary.compute_ms,
            summary.store_ms
        );
    }
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let site_root = config.site_root().to_path_buf();
    if !site_root.join("pkg").exists() {
        tracing::warn!(site_root = %site_root.display(), "no built site here; run `cargo xtask build` for pages and widget");
    }
    let app = Application::build(config).await.context("starting the server")?;
    tracing::info!(addr = %app.local_addr(), "c2m is serving");
    app.run_until(shutdown_signal()).await?;
    Ok(())
}
