//! The `c2m` binary: reads configuration and runs the chosen command.

use anyhow::Context;
use clap::Parser;
use server::cli::{Cli, Command};
use server::config::{Config, Sources};
use server::seed::{self, SeedOutcome};
use server::startup::{Application, shutdown_signal};
use server::{store, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let sources = Sources {
        leptos_toml: Some(cli.leptos_toml.clone()),
        config_file: cli.config.clone(),
    };
    let config = Config::load(&sources).context("configuration")?;
    telemetry::init(config.log_format);
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
            let today = chrono::Utc::now().date_naive();
            let report = if reset {
                seed::reseed_demo(&db, today).await?
            } else {
                match seed::seed_demo(&db, today).await? {
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
    }
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
