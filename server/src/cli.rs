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
    /// Write a consistent copy of the SQLite database to a new file, while the server
    /// runs (PostgreSQL: use pg_dump). Restore by serving from the copy.
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replay a shop day by day through the real quote, order, production and
    /// purchasing code on a copy of its database, with suppliers that slip, and report
    /// how many promises came true (terminal, JSON and HTML in --out).
    Simulate(Box<SimulateArgs>),
}

/// Warm-up days when none are asked for: a season's start (60 days) on a long
/// replay, a third of a short one, so a short replay still has a steady state to report.
const WARM_UP_DAYS: u32 = 60;

impl SimulateArgs {
    /// The days whose orders the steady-state figures leave out: `--warm-up-days` (at
    /// most the whole replay), or [`WARM_UP_DAYS`] or a third of `--days`, whichever is
    /// shorter.
    pub fn warm_up(&self) -> u32 {
        self.warm_up_days
            .unwrap_or(WARM_UP_DAYS.min(self.days / 3))
            .min(self.days)
    }
}

/// `c2m simulate`'s options.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Days to replay.
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub days: u32,
    /// The random seed: the same seed, shop and start give the same report.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// The first day (YYYY-MM-DD); default today.
    #[arg(long)]
    pub start: Option<chrono::NaiveDate>,
    /// A supplier whose real lead times differ from the declared ones:
    /// SUPPLIER:MEAN_FACTOR:SPREAD_FACTOR (S-TEX:1.3:2 is 30 % longer, twice as spread).
    /// Repeatable.
    #[arg(long = "slip", default_values = ["S-TEX:1.3:2"])]
    pub slips: Vec<crate::simulate::reality::Slip>,
    /// Every supplier keeps to its declared lead times (no --slip).
    #[arg(long, conflicts_with = "slips")]
    pub truthful: bool,
    /// Spread of operations' real minutes around their routing's, as a share (0.1 is
    /// ±10 %).
    #[arg(long, default_value_t = 0.1)]
    pub production_noise: f64,
    /// A work center whose operations really take another share of their routing's
    /// minutes: WORK_CENTER:RATIO:SPREAD (SEW:1.25:0.1 is a quarter longer, ±10 %).
    /// Repeatable.
    #[arg(long = "pace")]
    pub slow_centers: Vec<crate::simulate::reality::SlowCenter>,
    /// Production stands still FROM_DAY:DAYS (e.g. 200:3).
    #[arg(long)]
    pub outage: Option<crate::simulate::reality::Outage>,
    /// Share of orders their customer cancels before production.
    #[arg(long, default_value_t = 0.02)]
    pub cancel_rate: f64,
    /// Share of shoppers lost per day the P90 date lies beyond their patience.
    #[arg(long, default_value_t = 0.04)]
    pub sensitivity: f64,
    /// Days to the P90 date a shopper accepts without hesitating.
    #[arg(long, default_value_t = 14)]
    pub patience_days: i64,
    /// Shoppers per past order of the last 90 days.
    #[arg(long, default_value_t = 1.0)]
    pub demand_scale: f64,
    /// Days between the merchant's policy recomputations and purchase orders.
    #[arg(long, default_value_t = 7)]
    pub review_days: u32,
    /// The merchant does not place the policies' suggested orders: once the stock is
    /// used up, every order waits for what is ordered for it (made to order).
    #[arg(long)]
    pub no_replenish: bool,
    /// Production is never moved earlier when material comes early (the server's
    /// pull-in rule does not run): to see what the rule changes.
    #[arg(long)]
    pub no_pull_in: bool,
    /// Days at the start whose orders the steady-state figures leave out (default 60,
    /// or a third of --days when that is shorter).
    #[arg(long)]
    pub warm_up_days: Option<u32>,
    /// Which runs: `both` (learned and declared lead times, side by side), `learned`
    /// or `declared`.
    #[arg(long, default_value = "both", value_parser = ["both", "learned", "declared"])]
    pub runs: String,
    /// Replay a shop of this database instead of the demo shop: a SQLite file (a path
    /// or `sqlite:` URL) or a `postgres://` URL. It is copied and only read.
    #[arg(long, requires = "shop")]
    pub database: Option<PathBuf>,
    /// The PostgreSQL schema the shop's tables are in (the server's
    /// C2M_DATABASE_SCHEMA), when not the connection's default.
    #[arg(long, requires = "database")]
    pub database_schema: Option<String>,
    /// The slug of the shop to replay from --database.
    #[arg(long, requires = "database")]
    pub shop: Option<String>,
    /// Where report.txt, report.json and report.html go.
    #[arg(long, default_value = "target/replay")]
    pub out: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warm_up(args: &[&str]) -> u32 {
        let cli = Cli::try_parse_from(["c2m", "simulate"].iter().chain(args)).expect("valid arguments");
        match cli.command {
            Command::Simulate(args) => args.warm_up(),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn a_short_replay_keeps_two_thirds_of_its_days_for_the_steady_state() {
        assert_eq!(warm_up(&[]), 60, "a year: the first 60 days");
        assert_eq!(warm_up(&["--days", "30"]), 10, "a month: its first third");
        assert_eq!(warm_up(&["--days", "2"]), 0);
        assert_eq!(warm_up(&["--days", "30", "--warm-up-days", "25"]), 25, "as asked");
        assert_eq!(
            warm_up(&["--days", "30", "--warm-up-days", "90"]),
            30,
            "never past the replay's end"
        );
    }
}
