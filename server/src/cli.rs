//! The `c2m` command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// c2m: live lead time per option for made-to-order products.
///
/// Configuration is read from Leptos.toml, then the --config file, then C2M_*
/// environment variables (C2M_ADDR, C2M_DATABASE_URL, C2M_DATABASE_SCHEMA,
/// C2M_STOREFRONT_SHOP, C2M_LOG_FORMAT, C2M_HEAT_RETENTION_DAYS,
/// C2M_RECOMPUTE_EVERY_HOURS). The default database is the SQLite file ./data/c2m.db,
/// created on first use.
#[derive(Debug, Parser)]
#[command(name = "c2m", version)]
pub struct Cli {
    /// A c2m config file (TOML: addr, database_url, database_schema, storefront_shop,
    /// log_format, heat_retention_days, recompute_every_hours).
    #[arg(long, global = true, env = "C2M_CONFIG")]
    pub config: Option<PathBuf>,
    /// Leptos' runtime settings.
    #[arg(long, global = true, env = "C2M_LEPTOS_TOML", default_value = "Leptos.toml")]
    pub leptos_toml: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API, storefront, admin and widget until
    /// Ctrl-C or SIGTERM (in-flight requests finish first).
    Serve,
    /// Bring the database schema up to date, then exit. `serve` does this too.
    Migrate,
    /// Create the demo shop (products, materials, suppliers, capacity, 180 days of
    /// history). Does nothing if it exists, unless --reset. Only in builds with the
    /// `demo` feature (`cargo xtask build` has it; a production build does not).
    Seed {
        /// Delete the demo shop and create it again.
        #[arg(long)]
        reset: bool,
    },
    /// Recompute every material's inventory policy now (demand, class, forecast,
    /// safety stock, reorder point, order-up-to, suggested order), with a progress bar.
    /// `serve` also does this on a schedule (C2M_RECOMPUTE_EVERY_HOURS).
    Recompute {
        /// Only this shop (its slug); default: every shop.
        #[arg(long)]
        shop: Option<String>,
    },
}
