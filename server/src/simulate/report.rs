//! What a replay measured: per run (learned or declared lead times), overall, after the
//! warm-up, for the orders that wait on the slipping supplier, and per week; all plain
//! data, written as JSON and rendered by `render`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The whole report of one `c2m simulate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The shop replayed (its slug).
    pub shop: String,
    /// The random seed: the same seed on the same shop gives the same report.
    pub seed: u64,
    /// The first simulated day.
    pub start: NaiveDate,
    /// Days simulated.
    pub days: u32,
    /// Days at the start whose orders are left out of the `after_warm_up` figures.
    pub warm_up_days: u32,
    /// The promise quantile the shop commits orders to (0.97 is 97 %).
    pub promise_quantile: f64,
    /// How reality differed from the shop's data, in words, one line each.
    pub scenario: Vec<String>,
    /// One run per way of quoting: with lead times learned from receipts, and with the
    /// declared ones only.
    pub runs: Vec<RunReport>,
}

/// One replay of the shop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// A short name: `learned` or `declared`.
    pub name: String,
    /// Whether quotes used lead times learned from receipts.
    pub learning: bool,
    /// Every order and shopper of the whole horizon.
    pub overall: Figures,
    /// Orders placed after the warm-up (the steady state the targets are about).
    pub after_warm_up: Figures,
    /// Orders placed after the warm-up whose promise rests on a slipping supplier (an
    /// inbound line of theirs, or an order still to be placed with them); `None`
    /// without a slipping supplier in the scenario.
    pub slipping_supplier: Option<Figures>,
    /// Week by week (orders by the week they were placed in).
    pub weeks: Vec<Week>,
    /// Promised quantile against the share kept, after the warm-up: P50, P90 and the
    /// promise.
    pub reliability: Vec<ReliabilityPoint>,
    /// Each offer's lead time at the end: declared, learned (when learning) and true.
    pub lead_times: Vec<LeadTimeRow>,
    /// Each work center's pace at the end: learned (when learning) and true.
    #[serde(default)]
    pub paces: Vec<PaceRow>,
}

/// The figures of a set of shoppers and orders. Shares are 0–1; `None` when there was
/// nothing to divide by.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Shoppers who looked at a quote.
    pub shoppers: u32,
    /// Orders booked.
    pub orders: u32,
    /// Orders delivered by the end of the replay (the ones the shares are over).
    pub delivered: u32,
    /// Share delivered on or before the median date (P50).
    pub by_p50: Option<f64>,
    /// Share delivered on or before the P90 date.
    pub by_p90: Option<f64>,
    /// Share delivered on or before the promised ("arrives by") date.
    pub by_promise: Option<f64>,
    /// Share delivered strictly before the P50 date. Dates are whole days, so a
    /// calibrated P50 date has `before_p50 ≤ 0.5 ≤ by_p50`: the day itself carries
    /// the rest of the probability.
    #[serde(default)]
    pub before_p50: Option<f64>,
    /// Share delivered strictly before the P90 date (calibrated: `≤ 0.9 ≤ by_p90`).
    #[serde(default)]
    pub before_p90: Option<f64>,
    /// Share delivered strictly before the promised date.
    #[serde(default)]
    pub before_promise: Option<f64>,
    /// Mean absolute difference between the delivery and the P50 date, days.
    pub mean_abs_error_days: Option<f64>,
    /// 95th percentile of that difference, days.
    pub p95_abs_error_days: Option<f64>,
    /// Orders delivered complete by the promise and not cancelled by the shop, over
    /// orders that ended (delivered or cancelled).
    pub perfect_order_rate: Option<f64>,
    /// Units booked over units shoppers wanted.
    pub fill_rate: Option<f64>,
    /// Shoppers who left without an order, by reason.
    pub lost: Lost,
    /// Orders the customer cancelled.
    pub cancelled: u32,
    /// Mean value of the stock on hand over the period, minor units.
    pub inventory_value_minor: i64,
    /// Value of materials consumed over the mean inventory value, per year.
    pub turnover: Option<f64>,
}

/// Shoppers lost, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lost {
    /// The configuration was frozen or could not be supplied.
    pub unavailable: u32,
    /// The promise was too far off for them.
    pub too_slow: u32,
    /// The booking was refused (the promise changed between quote and order).
    pub refused: u32,
}

/// One week of the replay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Week {
    /// Its first day.
    pub start: NaiveDate,
    /// Its figures.
    pub figures: Figures,
}

/// A point of the reliability diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityPoint {
    /// The date's label: `P50`, `P90` or `promise`.
    pub label: String,
    /// The quantile the date stands for.
    pub quantile: f64,
    /// The share of delivered orders that arrived by it.
    pub kept: Option<f64>,
}

/// A work center's pace, as learned and as it really was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaceRow {
    /// Work-center code.
    pub work_center: String,
    /// Learned real ÷ planned minutes at the end, mean and spread (`None` when not
    /// learning). The routings' own figure is 1 ± 0.
    pub learned: Option<(f64, f64)>,
    /// The true ratio and spread the replay drew from.
    pub truth: (f64, f64),
    /// Operations finished there during the replay and reported.
    pub operations: usize,
}

/// An offer's lead time, as declared, as learned and as it really was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeRow {
    /// Supplier code.
    pub supplier: String,
    /// Material SKU.
    pub sku: String,
    /// Declared mean and spread, days.
    pub declared: (f64, f64),
    /// Learned mean and spread at the end, days (`None` when not learning).
    pub learned: Option<(f64, f64)>,
    /// The true mean and spread the replay drew from, days.
    pub truth: (f64, f64),
    /// Receipts of the offer during the replay.
    pub receipts: u32,
}
