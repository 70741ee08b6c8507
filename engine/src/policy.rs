//! The policy engine: how much of each material to keep and when to order it
//! (PRODUCT.md, "Policies"; formulas and conventions in `docs/policies.md`).
//!
//! In the order the work is done: [`demand`] explodes orders and presale heat into
//! daily demand per material; [`classify`] puts each series in its Syntetos–Boylan
//! quadrant, which names the [`forecast`] methods that compete in a rolling-origin
//! [`backtest`] on the material's own history; [`abc_xyz`] ranks materials by value and
//! by variability, which picks a cell of the policy [`matrix`]; [`normal`] turns the
//! cell's service level into z; [`stock`] turns forecast, variability, lead time and z
//! into safety stock, reorder point, order-up-to level and the order to place.
//! [`compute()`](fn@compute) does all of it for every material in one call.
//! [`synthetic`] makes deterministic inputs for benchmarks and tests.
//!
//! Like the rest of the engine: plain data in and out, f64 arithmetic, no I/O, no clock.

pub mod abc_xyz;
pub mod backtest;
pub mod classify;
pub mod compute;
pub mod demand;
pub mod forecast;
pub mod matrix;
pub mod normal;
pub mod stock;
mod sums;
pub mod synthetic;

pub use abc_xyz::{Abc, ClassThresholds, ThresholdError, Xyz};
pub use backtest::{CandidateScore, ChoiceReason, ForecastChoice};
pub use classify::{DemandClass, DemandProfile};
pub use compute::{MaterialInput, MaterialPolicy, PolicySettings, SettingsError, compute};
pub use demand::{BomLine, DemandError, HeatDay, MaterialDemand, OrderLine, ProductBom, explode};
pub use forecast::{Constants, Method};
pub use matrix::{ClassPolicy, PolicyMatrix, StockLevel};
pub use normal::{inverse_normal_cdf, normal_cdf};
pub use stock::{LeadTime, suggested_order};
