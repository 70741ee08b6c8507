//! The whole policy of every material in one call: classes, forecast, safety stock,
//! reorder point, order-up-to level and the order to place now.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::abc_xyz::{Abc, ClassThresholds, ThresholdError, Xyz, mean_and_sd, period_cv};
use super::backtest::{FixedAlphas, ForecastChoice, History, choose_all};
use super::classify::{DemandProfile, profile};
use super::forecast::{Method, adida, croston, croston_fitted, imapa, sba, ses, ses_fitted, tsb};
use super::matrix::{PolicyMatrix, StockLevel};
use super::normal::inverse_normal_cdf;
use super::stock::{LeadTime, order_up_to, reorder_point, safety_stock, suggested_order, whole_units};

/// Days in the year that annual consumption is counted over.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// What the policy of one material is computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialInput {
    /// Cost of one unit, in minor currency units.
    pub unit_cost: i64,
    /// Daily demand over the history window, oldest day first (e.g. 365 days).
    pub demand: Vec<f64>,
    /// The supplier's lead time; `None` when the material has no active supplier.
    pub lead_time: Option<LeadTime>,
    /// The supplier's minimum order quantity.
    pub moq: i64,
    /// The supplier's pack size.
    pub pack: i64,
    /// Stock position: on hand − reserved + confirmed inbound.
    pub position: i64,
    /// Whether demand is likely to die out (its products are in decline or at end of
    /// life), which selects TSB for intermittent demand.
    pub obsolescent: bool,
    /// The merchant's (or an accepted suggestion's) stock level, over the matrix's.
    pub stock_level_override: Option<StockLevel>,
}

/// The shop's policy settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicySettings {
    /// ABC and XYZ thresholds.
    pub thresholds: ClassThresholds,
    /// Policy per class.
    pub matrix: PolicyMatrix,
    /// SES smoothing constant (default 0.1).
    pub ses_alpha: f64,
    /// TSB smoothing constant of demand size (default 0.1).
    pub tsb_alpha_d: f64,
    /// TSB smoothing constant of demand probability (default 0.1).
    pub tsb_alpha_p: f64,
    /// Choose each material's forecasting method by a backtest on its history (default
    /// on); off, the method is the class's (`Method::for_class`).
    #[serde(default = "on")]
    pub backtest_forecasts: bool,
}

/// Settings stored before `backtest_forecasts` existed read as on.
fn on() -> bool {
    true
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            thresholds: ClassThresholds::default(),
            matrix: PolicyMatrix::default(),
            ses_alpha: 0.1,
            tsb_alpha_d: 0.1,
            tsb_alpha_p: 0.1,
            backtest_forecasts: true,
        }
    }
}

/// A setting that cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Error)]
pub enum SettingsError {
    /// A class threshold.
    #[error(transparent)]
    Thresholds(#[from] ThresholdError),
    /// A service level outside (0, 1), where z does not exist.
    #[error("the service level of class {abc}{xyz} must be above 0 and below 1, not {value}")]
    ServiceLevel {
        /// ABC class of the cell.
        abc: Abc,
        /// XYZ class of the cell.
        xyz: Xyz,
        /// The service level.
        value: f64,
    },
    /// A smoothing constant outside (0, 1].
    #[error("{field} must be above 0 and at most 1, not {value}")]
    Smoothing {
        /// The field.
        field: &'static str,
        /// Its value.
        value: f64,
    },
}

impl PolicySettings {
    /// Checks every threshold, service level and smoothing constant, so that
    /// [`compute`] only ever sees numbers it can use.
    pub fn check(&self) -> Result<(), SettingsError> {
        self.thresholds.check()?;
        for (abc, xyz, cell) in self.matrix.cells() {
            let value = cell.service_level;
            if !(value > 0.0 && value < 1.0) {
                return Err(SettingsError::ServiceLevel { abc, xyz, value });
            }
        }
        for (field, value) in [
            ("ses_alpha", self.ses_alpha),
            ("tsb_alpha_d", self.tsb_alpha_d),
            ("tsb_alpha_p", self.tsb_alpha_p),
        ] {
            if !(value > 0.0 && value <= 1.0) {
                return Err(SettingsError::Smoothing { field, value });
            }
        }
        Ok(())
    }
}

/// One material's policy with every input and intermediate figure it came from, so a
/// merchant can see why (stored as JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialPolicy {
    /// ABC class.
    pub abc: Abc,
    /// XYZ class.
    pub xyz: Xyz,
    /// Unit cost used, in minor units.
    pub unit_cost: i64,
    /// Mean daily demand over the history × 365.
    pub annual_units: f64,
    /// `annual_units` × unit cost, in minor units: what ABC ranks.
    pub annual_value: f64,
    /// Coefficient of variation of daily demand (`None` without demand): what XYZ
    /// classifies.
    pub cv: Option<f64>,
    /// Syntetos–Boylan profile; `None` when no day had demand.
    pub profile: Option<DemandProfile>,
    /// Forecasting method used; `None` when there was no demand to forecast.
    pub method: Option<Method>,
    /// Its forecast of demand, units per day.
    pub forecast: f64,
    /// How the method was chosen, with its constants and the backtest's errors ("why
    /// this forecast"); `None` without demand, or with `backtest_forecasts` off.
    #[serde(default)]
    pub forecast_choice: Option<ForecastChoice>,
    /// Daily demand the stock formulas use: the forecast.
    pub d_mean: f64,
    /// Sample standard deviation of the daily history.
    pub d_sd: f64,
    /// Lead time used (zero without a supplier).
    pub lead_time: LeadTime,
    /// No active supplier: nothing can be ordered.
    pub no_supplier: bool,
    /// Service level of the class.
    pub service_level: f64,
    /// Φ⁻¹(service level).
    pub z: f64,
    /// Review period of the class, days.
    pub review_days: u32,
    /// Coverage target of the class, days.
    pub coverage_days: u32,
    /// Stock level applied: the override, else the class's.
    pub stock_level: StockLevel,
    /// Whether `stock_level` is an override.
    pub stock_level_overridden: bool,
    /// Safety stock, units, stock-level factor included.
    pub safety_stock: f64,
    /// Safety stock rounded up to whole units.
    pub safety_stock_units: i64,
    /// Reorder point, units.
    pub reorder_point: f64,
    /// Reorder point rounded up to whole units.
    pub reorder_point_units: i64,
    /// Order-up-to level, units.
    pub order_up_to: f64,
    /// Order-up-to level rounded up to whole units.
    pub order_up_to_units: i64,
    /// Minimum order quantity used.
    pub moq: i64,
    /// Pack size used.
    pub pack: i64,
    /// Stock position used.
    pub position: i64,
    /// Units to order now.
    pub suggested_order: i64,
    /// Days the position lasts at the forecast; `None` when the forecast is 0.
    pub coverage_now_days: Option<f64>,
}

/// Computes every material's policy, in the order given.
///
/// ABC ranks the materials against each other, so the whole assortment is one call.
/// `settings` should have passed [`PolicySettings::check`]; a service level outside
/// (0, 1) gives z = NaN, and then levels of 0. Each material's series is read a few
/// times and nothing is allocated per day; with `backtest_forecasts` the fitted
/// methods' searches dominate (`backtest::choose_all`).
pub fn compute(materials: &[MaterialInput], settings: &PolicySettings) -> Vec<MaterialPolicy> {
    let stats: Vec<(f64, f64)> = materials.iter().map(|m| mean_and_sd(&m.demand)).collect();
    let annual_values: Vec<f64> = materials
        .iter()
        .zip(&stats)
        .map(|(m, &(mean, _))| annual_units(mean) * m.unit_cost as f64)
        .collect();
    let classes = settings.thresholds.abc(&annual_values);
    let profiles: Vec<Option<DemandProfile>> = materials.iter().map(|m| profile(&m.demand)).collect();
    let mut choices = forecast_choices(materials, &profiles, settings).into_iter();
    materials
        .iter()
        .zip(stats)
        .zip(classes)
        .zip(profiles)
        .map(|(((m, (mean, sd)), abc), profile)| {
            let choice = profile.and_then(|_| choices.next().flatten());
            material_policy(m, mean, sd, abc, profile, choice, settings)
        })
        .collect()
}

/// One entry per material with demand, in order: its choice, or `None` with
/// `backtest_forecasts` off.
fn forecast_choices(
    materials: &[MaterialInput],
    profiles: &[Option<DemandProfile>],
    settings: &PolicySettings,
) -> Vec<Option<ForecastChoice>> {
    let histories: Vec<History<'_>> = materials
        .iter()
        .zip(profiles)
        .filter_map(|(m, p)| {
            p.map(|p| History {
                series: &m.demand,
                class: p.class,
                obsolescent: m.obsolescent,
            })
        })
        .collect();
    if !settings.backtest_forecasts {
        return vec![None; histories.len()];
    }
    let fixed = FixedAlphas {
        ses: settings.ses_alpha,
        tsb_size: settings.tsb_alpha_d,
        tsb_probability: settings.tsb_alpha_p,
    };
    choose_all(&histories, fixed).into_iter().map(Some).collect()
}

fn material_policy(
    m: &MaterialInput,
    mean: f64,
    d_sd: f64,
    abc: Abc,
    profile: Option<DemandProfile>,
    choice: Option<ForecastChoice>,
    settings: &PolicySettings,
) -> MaterialPolicy {
    // Daily figures when the period is a day (the mean and deviation are at hand);
    // otherwise the CV of the period sums.
    let cv = match settings.thresholds.xyz_period_days {
        0 | 1 => (mean > 0.0).then(|| d_sd / mean),
        days => period_cv(&m.demand, days),
    };
    let xyz = settings.thresholds.xyz(cv);
    let (method, forecast) = match (&choice, profile) {
        (Some(choice), _) => (Some(choice.method), choice.forecast),
        (None, Some(p)) => {
            let method = Method::for_class(p.class, m.obsolescent);
            (Some(method), forecast_with(method, &m.demand, settings))
        }
        (None, None) => (None, 0.0),
    };
    let class = settings.matrix.get(abc, xyz);
    let stock_level = m.stock_level_override.unwrap_or(class.stock_level);
    let lead_time = m.lead_time.unwrap_or(LeadTime::NONE);
    let z = inverse_normal_cdf(class.service_level);
    let d_mean = forecast;
    let ss = stock_level.factor() * safety_stock(z, d_mean, d_sd, lead_time);
    let rop = reorder_point(d_mean, lead_time, ss);
    let out = order_up_to(d_mean, lead_time, class.review_days, ss);
    let (rop_units, out_units) = (whole_units(rop), whole_units(out));
    let suggested = match m.lead_time {
        Some(_) => suggested_order(out_units, m.position, rop_units, m.moq, m.pack),
        None => 0,
    };
    let annual_units = annual_units(mean);
    MaterialPolicy {
        abc,
        xyz,
        unit_cost: m.unit_cost,
        annual_units,
        annual_value: annual_units * m.unit_cost as f64,
        cv,
        profile,
        method,
        forecast,
        forecast_choice: choice,
        d_mean,
        d_sd,
        lead_time,
        no_supplier: m.lead_time.is_none(),
        service_level: class.service_level,
        z,
        review_days: class.review_days,
        coverage_days: class.coverage_days,
        stock_level,
        stock_level_overridden: m.stock_level_override.is_some(),
        safety_stock: ss,
        safety_stock_units: whole_units(ss),
        reorder_point: rop,
        reorder_point_units: rop_units,
        order_up_to: out,
        order_up_to_units: out_units,
        moq: m.moq,
        pack: m.pack,
        position: m.position,
        suggested_order: suggested,
        coverage_now_days: (d_mean > 0.0).then(|| m.position as f64 / d_mean),
    }
}

/// Annual consumption: mean daily demand over the history × 365, whatever the
/// history's length.
fn annual_units(mean_daily: f64) -> f64 {
    mean_daily * DAYS_PER_YEAR
}

fn forecast_with(method: Method, series: &[f64], settings: &PolicySettings) -> f64 {
    match method {
        Method::Ses => ses(series, settings.ses_alpha),
        Method::Croston => croston(series),
        Method::Sba => sba(series),
        Method::Tsb => tsb(series, settings.tsb_alpha_d, settings.tsb_alpha_p),
        Method::SesFitted => ses_fitted(series).forecast,
        Method::CrostonFitted => croston_fitted(series).forecast,
        Method::Adida => adida(series).forecast,
        Method::Imapa => imapa(series).forecast,
    }
}

#[cfg(test)]
mod tests;
