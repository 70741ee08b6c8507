//! The admin's policies page: every material's policy with the figures it came from,
//! and the shop's policy settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One material's stored policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyRow {
    /// The material's code.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// Its unit (`cm`, `pcs`).
    pub unit: String,
    /// `A`, `B`, `C`.
    pub abc: String,
    /// `X`, `Y`, `Z`.
    pub xyz: String,
    /// Syntetos–Boylan class (`smooth`, `erratic`, `intermittent`, `lumpy`, `no_demand`).
    pub demand_class: String,
    /// Forecast method (`ses`, `ses_fitted`, `croston`, `croston_fitted`, `sba`, `tsb`,
    /// `adida`, `imapa`), if any demand.
    pub method: Option<String>,
    /// How the method was chosen ("why this forecast"); `None` for policies computed
    /// without a backtest (before it existed, or with it turned off).
    pub forecast_why: Option<ForecastWhy>,
    /// Forecast, units per day.
    pub forecast: f64,
    /// Sample standard deviation of daily demand.
    pub d_sd: f64,
    /// Lead time used (mean, sd), days; `None` without an active supplier.
    pub lead_time: Option<(f64, f64)>,
    /// Target service level.
    pub service_level: f64,
    /// Its z.
    pub z: f64,
    /// Review period, days.
    pub review_days: i32,
    /// `low`, `medium`, `high`.
    pub stock_level: String,
    /// Whether the merchant (or an accepted suggestion) set the stock level.
    pub stock_level_overridden: bool,
    /// Units.
    pub safety_stock: i64,
    /// Units.
    pub reorder_point: i64,
    /// Units.
    pub order_up_to: i64,
    /// On hand − reserved + confirmed inbound.
    pub position: i64,
    /// Units to order now (0: above the reorder point).
    pub suggested_order: i64,
    /// Days the position covers at the forecast, if any demand.
    pub coverage_now_days: Option<f64>,
    /// Demand in the history window from orders and from presale heat.
    pub from_orders: f64,
    /// See `from_orders`.
    pub from_heat: f64,
    /// When it was computed.
    pub computed_at: DateTime<Utc>,
}

/// Why a material is forecast the way it is: the backtest its method won.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastWhy {
    /// `lowest_error`, `obsolescent` (TSB kept whatever the backtest says) or
    /// `short_history` (too little for a backtest: the class's method).
    pub reason: String,
    /// The chosen method's constants, in words (`α = 0.132`).
    pub constants: String,
    /// Its RMSSE over the backtest, if there was one.
    pub error: Option<f64>,
    /// Every candidate with its RMSSE and its forecast, simplest first.
    pub candidates: Vec<ForecastCandidate>,
    /// Forecast origins the backtest used.
    pub origins: u32,
    /// Days each origin's forecast was scored over.
    pub horizon_days: u32,
}

/// One method that competed in a material's backtest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastCandidate {
    /// The method (`ses_fitted`, …).
    pub method: String,
    /// Its RMSSE over the backtest.
    pub error: f64,
    /// Its forecast from the whole history, units per day.
    pub forecast: f64,
}

/// The policies page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoliciesPage {
    /// Every material with a policy, A before B before C, then by SKU.
    pub rows: Vec<PolicyRow>,
    /// Materials without a policy yet (added since the last recomputation).
    pub missing: usize,
    /// The newest `computed_at`.
    pub computed_at: Option<DateTime<Utc>>,
    /// The shop's settings, as the form shows them.
    pub settings: PolicySettingsForm,
}

/// The settings a merchant edits (the rest of the matrix is shown, not edited here).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicySettingsForm {
    /// Cumulative share of annual value that is class A (0.80).
    pub abc_a: f64,
    /// … A and B together (0.95).
    pub abc_b: f64,
    /// Largest coefficient of variation of class X (0.5).
    pub xyz_x: f64,
    /// … of class Y (1.0).
    pub xyz_y: f64,
    /// Expected orders per add-to-cart or preorder of a presale product (0.3).
    pub heat_conversion: f64,
    /// Add-to-cart rate that raises a heat-spike alert (0.15).
    pub spike_threshold: f64,
    /// Days the rate is measured over (14).
    pub spike_window_days: u32,
    /// Percent above plan that work in progress may use of a material before an
    /// alert (20).
    pub overconsumption_percent: u32,
    /// End of life: days of the short moving average (14).
    pub decay_short_days: u32,
    /// … of the long one (90).
    pub decay_long_days: u32,
    /// … a product declines when short ÷ long falls below this (0.5).
    pub decline_below: f64,
    /// … a declining product's value is niche under this share of its group's
    /// selections (0.05).
    pub niche_share: f64,
    /// Resilience cost: holding stock costs this percent of its value a year (20).
    pub holding_percent: u32,
    /// … an expedited purchase order costs this percent above its value (15).
    pub expedite_premium_percent: u32,
    /// The version the form was read at.
    pub version: i64,
    /// The matrix, one line per cell: (`AX`, service level, review days, coverage days,
    /// stock level).
    pub matrix: Vec<(String, f64, u32, u32, String)>,
}

/// What the admin's Recompute button did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecomputeSummary {
    /// Materials recomputed.
    pub materials: u64,
    /// Materials with an order to place now.
    pub to_order: u64,
    /// Heat-spike alerts raised afterwards.
    pub alerts_raised: u64,
    /// Milliseconds it took (reading, computing and storing).
    pub elapsed_ms: u64,
}

impl RecomputeSummary {
    /// The sentence the page shows after a recomputation.
    pub fn sentence(&self) -> String {
        let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "Recomputed {} in {} ms; {} to order; {} raised.",
            plural(self.materials, "material", "materials"),
            self.elapsed_ms,
            self.to_order,
            plural(self.alerts_raised, "alert", "alerts"),
        )
    }
}

/// The settings form's values, typed: shares as fractions (0.8 is 80 %).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicySettingsChange {
    /// Cumulative value share of class A.
    pub abc_a: f64,
    /// Cumulative value share of classes A and B.
    pub abc_b: f64,
    /// Largest coefficient of variation of class X.
    pub xyz_x: f64,
    /// Largest coefficient of variation of class Y.
    pub xyz_y: f64,
    /// Expected orders per add-to-cart or preorder of a presale product.
    pub heat_conversion: f64,
    /// Add-to-cart rate that raises a heat-spike alert.
    pub spike_threshold: f64,
    /// Days the rate is measured over.
    pub spike_window_days: u32,
    /// Percent above plan that raises an overconsumption alert.
    pub overconsumption_percent: u32,
    /// Days of the short moving average of the end-of-life rule.
    pub decay_short_days: u32,
    /// Days of the long one.
    pub decay_long_days: u32,
    /// The share of the long average below which a product declines.
    pub decline_below: f64,
    /// The share of its group's selections below which a value is niche.
    pub niche_share: f64,
    /// Holding cost, percent of stock value a year.
    pub holding_percent: u32,
    /// Expedite premium, percent of a purchase order's value.
    pub expedite_premium_percent: u32,
}
