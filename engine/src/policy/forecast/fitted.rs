//! SES and Croston with smoothing constants fitted to the series, as statsforecast
//! fits them (`_optimized_ses_forecast`, `_ses_optimized`, `_croston_optimized` in
//! `python/statsforecast/models.py`, and `golden_section_ses`, `ses_sse`,
//! `ses_forecast` in `src/ses.cpp`, both at a580cf9, statsforecast 2.1.1).
//!
//! α minimises the in-sample sum of squared one-step errors ([`ses_sse`]) within
//! bounds, found by golden-section search ([`fit_alpha`]): deterministic, so the
//! forecasts here equal statsforecast's bit for bit.

pub use super::golden::{Bounds, INTERMITTENT_BOUNDS, SES_FITTED_BOUNDS, fit_alpha, ses_sse};
use super::lockstep::{FitBatch, FitId};
use super::{Constants, Fitted};

/// SES with α fitted within [`SES_FITTED_BOUNDS`] (statsforecast's
/// `SimpleExponentialSmoothingOptimized`). An empty series forecasts 0.
pub fn ses_fitted(series: &[f64]) -> Fitted {
    let mut batch = FitBatch::default();
    let plan = SesFittedPlan::new(series, &mut batch);
    batch.solve();
    plan.finish(&batch)
}

/// Croston's method with both constants fitted, each within [`INTERMITTENT_BOUNDS`]
/// (statsforecast's `CrostonOptimized`): fitted SES over the positive sizes, fitted SES
/// over the intervals (the first counted from the start of the series), forecast =
/// size / interval. No demand: the last day's value (statsforecast's naive fallback,
/// 0 for daily demand), or 0 for an empty series.
pub fn croston_fitted(series: &[f64]) -> Fitted {
    let mut batch = FitBatch::default();
    let plan = CrostonFittedPlan::new(series, &mut batch);
    batch.solve();
    plan.finish(&batch)
}

/// Fitted SES of one series, waiting for its batch to be solved.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SesFittedPlan(Option<FitId>);

impl SesFittedPlan {
    pub(crate) fn new(series: &[f64], batch: &mut FitBatch) -> SesFittedPlan {
        SesFittedPlan((!series.is_empty()).then(|| batch.push(SES_FITTED_BOUNDS, series.iter().copied())))
    }

    pub(crate) fn finish(self, batch: &FitBatch) -> Fitted {
        match self.0 {
            Some(id) => Fitted {
                forecast: batch.forecast(id),
                constants: Constants {
                    alpha: Some(batch.alpha(id)),
                    ..Constants::default()
                },
            },
            None => Fitted::default(),
        }
    }
}

/// Fitted Croston of one series: its sizes and its intervals, or the naive forecast
/// when it has no demand.
#[derive(Clone, Copy, Debug)]
pub(crate) enum CrostonFittedPlan {
    Fits { sizes: FitId, intervals: FitId },
    Naive(f64),
}

impl CrostonFittedPlan {
    pub(crate) fn new(series: &[f64], batch: &mut FitBatch) -> CrostonFittedPlan {
        if !series.iter().any(|&x| x > 0.0) {
            return CrostonFittedPlan::Naive(series.last().copied().unwrap_or(0.0));
        }
        let sizes = batch.push(INTERMITTENT_BOUNDS, series.iter().copied().filter(|&x| x > 0.0));
        let intervals = batch.push(INTERMITTENT_BOUNDS, intervals(series));
        CrostonFittedPlan::Fits { sizes, intervals }
    }

    pub(crate) fn finish(self, batch: &FitBatch) -> Fitted {
        match self {
            CrostonFittedPlan::Fits { sizes, intervals } => {
                let (size, interval) = (batch.forecast(sizes), batch.forecast(intervals));
                Fitted {
                    // statsforecast guards a zero interval, which cannot happen here:
                    // every interval is at least one day.
                    forecast: if interval != 0.0 { size / interval } else { size },
                    constants: Constants {
                        alpha: Some(batch.alpha(sizes)),
                        alpha_interval: Some(batch.alpha(intervals)),
                        ..Constants::default()
                    },
                }
            }
            CrostonFittedPlan::Naive(last) => Fitted {
                forecast: last,
                constants: Constants::default(),
            },
        }
    }
}

/// Days between demands, the first counted from the start of the series
/// (statsforecast's `_intervals`).
fn intervals(series: &[f64]) -> impl Iterator<Item = f64> + '_ {
    let mut previous = 0;
    series
        .iter()
        .enumerate()
        .filter(|&(_, &x)| x > 0.0)
        .map(move |(i, _)| {
            let gap = i + 1 - previous;
            previous = i + 1;
            gap as f64
        })
}

#[cfg(test)]
mod tests;
