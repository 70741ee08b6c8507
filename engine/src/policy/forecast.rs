//! One-step-ahead forecasts of daily demand, in units per day.
//!
//! The conventions are those of Nixtla's statsforecast (`python/statsforecast/models.py`
//! and `src/ses.cpp`), the most widely used open-source implementation, so a forecast
//! here can be checked against it number for number. `docs/policies.md` spells them
//! out. With fixed constants ([`ses`], [`croston`], [`sba`], [`tsb`]) each method is one
//! pass over the series with no allocation; with fitted constants ([`ses_fitted`],
//! [`croston_fitted`], and the temporal aggregations [`adida`] and [`imapa`]) α is
//! searched as statsforecast searches it, and many searches can run side by side
//! (`lockstep`), which is how the backtest fits them.

use serde::{Deserialize, Serialize};

use super::classify::DemandClass;

mod aggregation;
mod fitted;
mod golden;
pub(crate) mod lockstep;

pub(crate) use aggregation::{AggregationPlan, Aggregations};
pub use aggregation::{adida, imapa};
pub use fitted::{
    Bounds, INTERMITTENT_BOUNDS, SES_FITTED_BOUNDS, croston_fitted, fit_alpha, ses_fitted, ses_sse,
};
pub(crate) use fitted::{CrostonFittedPlan, SesFittedPlan};

/// Croston's smoothing constant for both demand size and interval, as statsforecast
/// fixes it.
pub const CROSTON_ALPHA: f64 = 0.1;

/// The Syntetos–Boylan correction of Croston's bias: 1 − α/2 with α = 0.1.
pub const SBA_FACTOR: f64 = 0.95;

/// A forecasting method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Simple exponential smoothing.
    Ses,
    /// Croston's method (kept for comparison; the policy uses SBA instead).
    Croston,
    /// Croston with the Syntetos–Boylan approximation.
    Sba,
    /// Teunter–Syntetos–Babai: demand probability × size.
    Tsb,
    /// Simple exponential smoothing with α fitted to the series.
    SesFitted,
    /// Croston's method with both smoothing constants fitted to the series.
    CrostonFitted,
    /// ADIDA: fitted SES over sums of buckets of about one demand interval.
    Adida,
    /// IMAPA: the mean of ADIDA-like forecasts over every bucket size up to ADIDA's.
    Imapa,
}

impl Method {
    /// The method PRODUCT.md assigns: smooth and erratic demand use SES; intermittent
    /// and lumpy use SBA, or TSB when the material is `obsolescent` (its products are in
    /// decline or at end of life). TSB updates its demand probability every day, so a
    /// run of zero days pulls the forecast down; Croston and SBA only update when a
    /// demand arrives and would keep forecasting demand for a dying item.
    pub fn for_class(class: DemandClass, obsolescent: bool) -> Method {
        match (class.is_intermittent(), obsolescent) {
            (false, _) => Method::Ses,
            (true, false) => Method::Sba,
            (true, true) => Method::Tsb,
        }
    }
}

/// The smoothing constants and bucket size a forecast was made with; what a method
/// does not use is left out (`None`, or empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Constants {
    /// α of the level: SES's; Croston's, SBA's and fitted Croston's of the demand
    /// sizes; TSB's of the sizes (α_d); ADIDA's of the bucket sums.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// α of the intervals between demands (Croston, SBA, fitted Croston).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha_interval: Option<f64>,
    /// α of the demand probability (TSB's α_p).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha_probability: Option<f64>,
    /// Bucket size in days: ADIDA's, IMAPA's largest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregation_level: Option<u32>,
    /// IMAPA: α of the bucket sums for each bucket size from 1 day up.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub level_alphas: Vec<f64>,
}

impl Constants {
    /// SES's: its α.
    pub fn ses(alpha: f64) -> Constants {
        Constants {
            alpha: Some(alpha),
            ..Constants::default()
        }
    }

    /// Croston's and SBA's: [`CROSTON_ALPHA`] for sizes and intervals.
    pub fn croston() -> Constants {
        Constants {
            alpha: Some(CROSTON_ALPHA),
            alpha_interval: Some(CROSTON_ALPHA),
            ..Constants::default()
        }
    }

    /// TSB's: α_d of the sizes, α_p of the probability.
    pub fn tsb(alpha_d: f64, alpha_p: f64) -> Constants {
        Constants {
            alpha: Some(alpha_d),
            alpha_probability: Some(alpha_p),
            ..Constants::default()
        }
    }
}

/// A forecast, units per day, and the constants it was made with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// The one-step-ahead forecast, units per day.
    pub forecast: f64,
    /// The constants.
    pub constants: Constants,
}

/// Simple exponential smoothing of `series` (oldest first) with constant `alpha`.
///
/// The level starts at the first observation and is smoothed through every
/// observation, the first included: ℓ ← α·x + (1 − α)·ℓ. The forecast is the last
/// level. An empty series forecasts 0.
pub fn ses(series: &[f64], alpha: f64) -> f64 {
    let Some(&first) = series.first() else {
        return 0.0;
    };
    let mut level = Level::at(alpha, first);
    for &x in series {
        level.observe(x);
    }
    level.value
}

/// Croston (1972), "Forecasting and stock control for intermittent demands", Journal of
/// the Operational Research Society 23(3), 289–303.
///
/// SES with α = 0.1 over the positive demand sizes and, separately, over the intervals
/// between them, the first interval being the 1-based position of the first demand
/// (so leading zero days count). The forecast is size / interval; a series without
/// demand forecasts 0.
pub fn croston(series: &[f64]) -> f64 {
    let Some(first) = series.iter().position(|&x| x > 0.0) else {
        return 0.0;
    };
    let mut size = Level::at(CROSTON_ALPHA, series[first]);
    let mut interval = Level::at(CROSTON_ALPHA, (first + 1) as f64);
    let mut gap = (first + 1) as f64;
    for &x in &series[first..] {
        let demand = x > 0.0;
        size.observe_if(demand, x);
        interval.observe_if(demand, gap);
        gap = if demand { 1.0 } else { gap + 1.0 };
    }
    size.value / interval.value
}

/// Syntetos & Boylan (2005), "The accuracy of intermittent demand estimates",
/// International Journal of Forecasting 21(2), 303–314: Croston × 0.95.
pub fn sba(series: &[f64]) -> f64 {
    SBA_FACTOR * croston(series)
}

/// Teunter, Syntetos & Babai (2011), "Intermittent demand: linking forecasting to
/// inventory obsolescence", European Journal of Operational Research 214(3), 606–615.
///
/// SES with `alpha_p` over the daily demand indicator (1 on a day with demand, else 0,
/// over the whole series) times SES with `alpha_d` over the positive demand sizes. A
/// series without demand forecasts 0.
pub fn tsb(series: &[f64], alpha_d: f64, alpha_p: f64) -> f64 {
    let Some(first) = series.iter().position(|&x| x > 0.0) else {
        return 0.0;
    };
    // The probability level starts at the first day's indicator. Days before the first
    // demand smooth 0 into 0, which stays exactly 0, so the pass can start there.
    let mut probability = Level::at(alpha_p, if first == 0 { 1.0 } else { 0.0 });
    let mut size = Level::at(alpha_d, series[first]);
    for &x in &series[first..] {
        let demand = x > 0.0;
        probability.observe(if demand { 1.0 } else { 0.0 });
        size.observe_if(demand, x);
    }
    probability.value * size.value
}

/// An exponentially smoothed level.
///
/// A level starts at its first observation and then smooths every observation in,
/// that first one included, as statsforecast does; every update is written
/// α·x + (1 − α)·ℓ, its order of operations, so results agree to the last bit.
struct Level {
    alpha: f64,
    value: f64,
}

impl Level {
    /// A level started at `first`, which is still to be observed.
    fn at(alpha: f64, first: f64) -> Level {
        Level { alpha, value: first }
    }

    fn observe(&mut self, x: f64) {
        self.value = self.alpha * x + (1.0 - self.alpha) * self.value;
    }

    /// Observes `x` only on days `observed` is true. A select, not a branch: on
    /// intermittent series whether a day has demand is as good as random, and a
    /// mispredicted branch costs more than the smoothing it would skip.
    fn observe_if(&mut self, observed: bool, x: f64) {
        let next = self.alpha * x + (1.0 - self.alpha) * self.value;
        self.value = if observed { next } else { self.value };
    }
}

#[cfg(test)]
mod tests;
