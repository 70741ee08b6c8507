//! `c2m simulate`: a shop replayed day by day through the real server code (quotes,
//! bookings with their reservations, status moves, purchase orders and receipts,
//! policy recomputations) on a copy of its database, with a reality that may differ
//! from the shop's data, and a report of how many promises came true.
//!
//! Nothing is re-implemented: a shopper is a `Quoting::quote` and an
//! `orders::Desk::place` with the quote's token, production is `orders::move_order`, the
//! merchant's purchasing is `supply::raise_awaited`, `recompute::run` and
//! `supply::create_purchase_order`, and a delivery from a supplier is
//! `supply::act_on_inbound`, all on a simulated clock. What the replay adds is the
//! world around them (`reality`: when lines really arrive, how long production really
//! takes; `demand`: who comes to the shop) and the counting (`tally`). Each day ends
//! with a check that no stock or inbound unit is held twice; a run that finds one
//! fails.
//!
//! Every draw is seeded and every collection ordered, so the same seed on the same
//! shop and start day gives the same report.

mod demand;
pub mod reality;
pub mod render;
pub mod report;
mod run;
mod scratch;
mod tally;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use run::{Behaviour, Run, RunError};
pub use scratch::{Scratch, ScratchError, Source};

use report::{LeadTimeRow, PaceRow, Report, RunReport};
use tally::Tally;

/// What to replay and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The shop.
    pub source: Source,
    /// The random seed.
    pub seed: u64,
    /// The first simulated day.
    pub start: NaiveDate,
    /// Days to simulate.
    pub days: u32,
    /// Days whose orders the steady-state figures leave out.
    pub warm_up_days: u32,
    /// How shoppers, the merchant and the world behave.
    pub behaviour: Behaviour,
    /// One run per entry: quotes learning lead times (`true`) or using the declared
    /// ones (`false`).
    pub learning: Vec<bool>,
    /// Where the scratch copies go.
    pub scratch_dir: PathBuf,
}

/// Where a replay is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// The run (0-based) and how many there are.
    pub run: usize,
    /// See `run`.
    pub runs: usize,
    /// Days done in this run, and the horizon.
    pub day: u32,
    /// See `day`.
    pub days: u32,
    /// Orders booked so far in this run.
    pub orders: u32,
}

/// Why a replay failed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The copy of the shop could not be made.
    #[error(transparent)]
    Scratch(#[from] ScratchError),
    /// A run stopped.
    #[error("the {run} run: {source}")]
    Run {
        /// Which run.
        run: String,
        /// Why.
        source: RunError,
    },
}

/// Replays the shop as `options` say; `progress` hears after every day.
pub async fn replay(options: &Options, mut progress: impl FnMut(Progress)) -> Result<Report, ReplayError> {
    let scratch = Scratch::prepare(&options.source, &options.scratch_dir, options.start).await?;
    let result = replay_on(&scratch, options, &mut progress).await;
    scratch.remove();
    result
}

async fn replay_on(
    scratch: &Scratch,
    options: &Options,
    progress: &mut impl FnMut(Progress),
) -> Result<Report, ReplayError> {
    let mut runs = Vec::with_capacity(options.learning.len());
    let mut promise_quantile = 0.97;
    for (index, &learning) in options.learning.iter().enumerate() {
        let name = if learning { "learned" } else { "declared" };
        let failed = |source| ReplayError::Run {
            run: name.to_string(),
            source,
        };
        let pool = scratch.copy(name).await?;
        let mut run = Run::open(
            pool,
            &scratch.shop,
            options.start,
            options.seed,
            learning,
            options.behaviour.clone(),
        )
        .await
        .map_err(failed)?;
        promise_quantile = run.promise_quantile();
        for day in 0..options.days {
            run.step().await.map_err(failed)?;
            progress(Progress {
                run: index,
                runs: options.learning.len(),
                day: day + 1,
                days: options.days,
                orders: run.tally().orders(),
            });
        }
        let report = run_report(&run, name, options).await.map_err(failed)?;
        run.close().await;
        runs.push(report);
    }
    Ok(Report {
        shop: scratch.shop.clone(),
        seed: options.seed,
        start: options.start,
        days: options.days,
        warm_up_days: options.warm_up_days,
        promise_quantile,
        scenario: options.behaviour.reality.describe(),
        runs,
    })
}

/// What `run` measured.
pub async fn run_report(run: &Run, name: &str, options: &Options) -> Result<RunReport, RunError> {
    let start = options.start;
    let end = reality::plus(start, i64::from(options.days));
    let steady = reality::plus(start, i64::from(options.warm_up_days)).min(end);
    let tally = run.tally();
    let after_warm_up = tally.figures(steady, end, false);
    let reality = &run.behaviour().reality;
    let learned = crate::service::supply::lead_time_rows(run.db(), run.shop().id, run.today()).await?;
    let lead_times = run
        .offers()
        .filter(|(supplier, _, _, receipts)| *receipts > 0 || reality.slip(supplier).is_some())
        .map(|(supplier, sku, declared, receipts)| LeadTimeRow {
            supplier: supplier.to_string(),
            sku: sku.to_string(),
            declared,
            learned: learned
                .iter()
                .find(|r| r.supplier == supplier && r.sku == sku)
                .map(|r| (r.learned_mean, r.learned_sd)),
            truth: reality.truth(supplier, declared),
            receipts,
        })
        .collect();
    let paces = crate::store::paces::records(run.db(), run.shop().id, run.today()).await?;
    let mut paces: Vec<PaceRow> = run
        .work_centers()
        .iter()
        .map(|(id, code)| {
            let record = paces.get(id);
            PaceRow {
                work_center: code.clone(),
                learned: run
                    .learning
                    .then(|| record.map(|r| (r.learned.pace.ratio, r.learned.pace.sd)))
                    .flatten(),
                truth: reality.pace(code),
                operations: run.reported(code),
            }
        })
        .filter(|row| row.operations > 0)
        .collect();
    paces.sort_by(|a, b| a.work_center.cmp(&b.work_center));
    Ok(RunReport {
        name: name.to_string(),
        learning: run.learning,
        overall: tally.figures(start, end, false),
        reliability: Tally::reliability(&after_warm_up, run.promise_quantile()),
        slipping_supplier: (!reality.slips.is_empty()).then(|| tally.figures(steady, end, true)),
        after_warm_up,
        weeks: tally.weeks(start, end),
        lead_times,
        paces,
    })
}
