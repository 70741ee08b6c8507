//! Each material's forecasting method, chosen by evidence: a rolling-origin backtest on
//! its own history (Tashman 2000, "Out-of-sample tests of forecasting accuracy: an
//! analysis and review", IJF 16(4), 437–450), scored by RMSSE ([`rmsse()`]).
//!
//! The last 8 weeks of the history are forecast from 4 origins ([`origins()`]): at each,
//! every candidate method is fitted on the days before it, as it would have been that
//! day, and its forecast held flat over the next [`HORIZON_DAYS`]. The candidate with the
//! lowest error over those days is chosen, simpler methods first on a tie. Every
//! candidate is also fitted on the whole history: the chosen one's forecast is the one
//! the policy uses, the others' are shown beside their errors. Which methods compete
//! depends on the demand class ([`candidates`]).
//!
//! Fitting is the cost: the fitted methods search α at every origin. [`choose_all`]
//! gathers the searches of many materials and runs them side by side
//! (`forecast::lockstep`), which is what keeps 10,000 materials × 365 days under the
//! 2 s target (`benches/forecast_selection.rs`).

use serde::{Deserialize, Serialize};

use super::classify::DemandClass;
use super::forecast::lockstep::FitBatch;
use super::forecast::{
    AggregationPlan, Aggregations, Constants, CrostonFittedPlan, Fitted, Method, SesFittedPlan, croston, sba,
    ses, tsb,
};

mod origins;
mod rmsse;

pub use origins::{HORIZON_DAYS, MAX_ORIGINS, MIN_TRAINING_DAYS, origins};
pub use rmsse::{naive_scale, rmsse};

/// Materials whose searches are gathered into one batch: enough to fill the lanes with
/// searches of similar length, few enough to keep the batch's series in cache.
const MATERIALS_PER_BATCH: usize = 64;

/// The constants of the methods that do not fit theirs: the shop's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedAlphas {
    /// SES's α.
    pub ses: f64,
    /// TSB's α of the demand sizes (α_d).
    pub tsb_size: f64,
    /// TSB's α of the demand probability (α_p).
    pub tsb_probability: f64,
}

/// What a material's method is chosen from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct History<'a> {
    /// Daily demand, oldest first.
    pub series: &'a [f64],
    /// Its Syntetos–Boylan class.
    pub class: DemandClass,
    /// Whether its demand is likely to die out (TSB is then kept).
    pub obsolescent: bool,
}

/// Why a method was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceReason {
    /// It had the lowest backtest error of the candidates.
    LowestError,
    /// TSB, kept for an obsolescent material whatever the backtest says: its forecast
    /// decays through days without demand, which history cannot show is coming.
    Obsolescent,
    /// Too little history for a backtest: the class's method (`Method::for_class`).
    ShortHistory,
}

/// One candidate's backtest result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    /// The method.
    pub method: Method,
    /// Its RMSSE over the backtest.
    pub error: f64,
    /// Its forecast from the whole history, units per day.
    pub forecast: f64,
}

/// A material's forecasting method, its forecast and the evidence it was chosen on:
/// what the admin shows as "why this forecast".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastChoice {
    /// The method used.
    pub method: Method,
    /// Its forecast from the whole history, units per day.
    pub forecast: f64,
    /// The constants it was made with (fitted on the whole history).
    pub constants: Constants,
    /// Why this method.
    pub reason: ChoiceReason,
    /// Its RMSSE over the backtest; `None` without one.
    pub error: Option<f64>,
    /// Every candidate, the chosen one included, simplest first (the order ties are
    /// broken in); empty without a backtest.
    pub candidates: Vec<CandidateScore>,
    /// Forecast origins the backtest used.
    pub origins: u32,
    /// Days each origin's forecast was scored over.
    pub horizon_days: u32,
}

/// The methods that compete for a class, simplest first:
///
/// - smooth and erratic: SES (the shop's α) and SES with α fitted;
/// - intermittent and lumpy: SBA, Croston with fitted constants, ADIDA, IMAPA (SES
///   chases every demand of an intermittent series; ADIDA and IMAPA are how fitted SES
///   is applied to it, on bucket sums);
/// - intermittent and lumpy, obsolescent: TSB alone (PRODUCT.md).
pub fn candidates(class: DemandClass, obsolescent: bool) -> &'static [Method] {
    match (class.is_intermittent(), obsolescent) {
        (false, _) => &[Method::Ses, Method::SesFitted],
        (true, false) => &[Method::Sba, Method::CrostonFitted, Method::Adida, Method::Imapa],
        (true, true) => &[Method::Tsb],
    }
}

/// Chooses one material's method (see the module's documentation).
pub fn choose(history: History<'_>, fixed: FixedAlphas) -> ForecastChoice {
    let mut choices = choose_all(&[history], fixed);
    choices.swap_remove(0)
}

/// Chooses every material's method, in the order given. The result is the same as
/// [`choose`] one by one; the searches of up to 64 materials run side by side.
pub fn choose_all(histories: &[History<'_>], fixed: FixedAlphas) -> Vec<ForecastChoice> {
    let mut batch = FitBatch::default();
    let mut choices = Vec::with_capacity(histories.len());
    for group in histories.chunks(MATERIALS_PER_BATCH) {
        batch.clear();
        let plans: Vec<Plan> = group.iter().map(|h| Plan::new(*h, fixed, &mut batch)).collect();
        batch.solve();
        choices.extend(
            plans
                .into_iter()
                .zip(group)
                .map(|(plan, h)| plan.finish(h.series, &batch)),
        );
    }
    choices
}

/// One material's backtest, its searches waiting in a batch.
struct Plan {
    methods: &'static [Method],
    reason: ChoiceReason,
    /// Where forecasts are made: the evaluation origins, then the whole history.
    origins: Vec<usize>,
    /// Method by method, one forecast per origin.
    forecasts: Vec<Pending>,
}

/// A forecast at one origin: made, or waiting for fitted constants.
enum Pending {
    Made(Fitted),
    SesFitted(SesFittedPlan),
    CrostonFitted(CrostonFittedPlan),
    Adida(AggregationPlan),
    Imapa(AggregationPlan),
}

impl Plan {
    fn new(history: History<'_>, fixed: FixedAlphas, batch: &mut FitBatch) -> Plan {
        let series = history.series;
        let mut origins = origins(series.len());
        let (methods, reason) = if origins.is_empty() {
            // The first candidate of every class is the class's method.
            let class_method = &candidates(history.class, history.obsolescent)[..1];
            (class_method, ChoiceReason::ShortHistory)
        } else if history.class.is_intermittent() && history.obsolescent {
            (candidates(history.class, true), ChoiceReason::Obsolescent)
        } else {
            (candidates(history.class, false), ChoiceReason::LowestError)
        };
        origins.push(series.len());
        let wanted = Aggregations {
            adida: methods.contains(&Method::Adida),
            imapa: methods.contains(&Method::Imapa),
        };
        // ADIDA and IMAPA share their bucket sums at each origin.
        let mut shared = vec![None; origins.len()];
        let mut forecasts = Vec::with_capacity(methods.len() * origins.len());
        for &method in methods {
            for (&origin, shared) in origins.iter().zip(&mut shared) {
                let history = &series[..origin];
                let mut aggregation =
                    || *shared.get_or_insert_with(|| AggregationPlan::new(history, wanted, batch));
                forecasts.push(match method {
                    Method::Adida => Pending::Adida(aggregation()),
                    Method::Imapa => Pending::Imapa(aggregation()),
                    _ => Pending::new(method, history, fixed, batch),
                });
            }
        }
        Plan {
            methods,
            reason,
            origins,
            forecasts,
        }
    }

    fn finish(self, series: &[f64], batch: &FitBatch) -> ForecastChoice {
        let scored = &self.origins[..self.origins.len() - 1];
        let scale = scored.first().map_or(1.0, |&first| naive_scale(series, first));
        let mut candidates = Vec::with_capacity(self.methods.len());
        let mut finals = Vec::with_capacity(self.methods.len());
        for (&method, pending) in self.methods.iter().zip(self.forecasts.chunks(self.origins.len())) {
            let at_origins = scored
                .iter()
                .zip(pending)
                .map(|(&origin, p)| (origin, p.finish(batch).forecast));
            let error = rmsse(series, at_origins, scale);
            let last = pending.last().map_or_else(Fitted::default, |p| p.finish(batch));
            candidates.push(CandidateScore {
                method,
                error,
                forecast: last.forecast,
            });
            finals.push(last);
        }
        let best = first_lowest(&candidates);
        let chosen = finals.swap_remove(best);
        let backtested = !scored.is_empty();
        ForecastChoice {
            method: self.methods[best],
            forecast: chosen.forecast,
            constants: chosen.constants,
            reason: self.reason,
            error: backtested.then(|| candidates[best].error),
            candidates: if backtested { candidates } else { Vec::new() },
            origins: scored.len() as u32,
            horizon_days: if backtested { HORIZON_DAYS as u32 } else { 0 },
        }
    }
}

/// The index of the lowest error, the first of equals: candidates are listed simplest
/// first, so a tie goes to the simpler method.
fn first_lowest(candidates: &[CandidateScore]) -> usize {
    (0..candidates.len())
        .reduce(|best, i| {
            if candidates[i].error < candidates[best].error {
                i
            } else {
                best
            }
        })
        .unwrap_or(0)
}

impl Pending {
    /// Any method's forecast at one origin but ADIDA's and IMAPA's, which share a plan.
    fn new(method: Method, history: &[f64], fixed: FixedAlphas, batch: &mut FitBatch) -> Pending {
        let made = |forecast, constants| Pending::Made(Fitted { forecast, constants });
        match method {
            Method::Ses => made(ses(history, fixed.ses), Constants::ses(fixed.ses)),
            Method::Croston => made(croston(history), Constants::croston()),
            Method::Sba => made(sba(history), Constants::croston()),
            Method::Tsb => made(
                tsb(history, fixed.tsb_size, fixed.tsb_probability),
                Constants::tsb(fixed.tsb_size, fixed.tsb_probability),
            ),
            Method::SesFitted => Pending::SesFitted(SesFittedPlan::new(history, batch)),
            Method::CrostonFitted => Pending::CrostonFitted(CrostonFittedPlan::new(history, batch)),
            Method::Adida => Pending::Adida(AggregationPlan::new(history, Aggregations::ADIDA, batch)),
            Method::Imapa => Pending::Imapa(AggregationPlan::new(history, Aggregations::IMAPA, batch)),
        }
    }

    fn finish(&self, batch: &FitBatch) -> Fitted {
        match self {
            Pending::Made(fitted) => fitted.clone(),
            Pending::SesFitted(plan) => plan.finish(batch),
            Pending::CrostonFitted(plan) => plan.finish(batch),
            Pending::Adida(plan) => plan.adida(batch),
            Pending::Imapa(plan) => plan.imapa(batch),
        }
    }
}

#[cfg(test)]
mod tests;
