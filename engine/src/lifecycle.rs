//! Signals and suggestions over a product's life (PRODUCT.md, "Signals, alerts,
//! suggestions"): what the server's scheduled rules compute before they raise an alert.
//!
//! - [`overconsumption`]: materials consumed more than a threshold faster than the
//!   orders in production planned ("WIP overconsumption").
//! - [`surplus`](mod@surplus) and [`internal_first`]: a shortage covered by other
//!   nodes' surplus first, then by parts freed by cancelled orders, and only then by a
//!   purchase-order draft, marked expedite when the supplier's lead time misses the date
//!   ("Internal first").
//! - [`decay`], [`niche`] and [`matching`]: a product whose orders and heat decay moves
//!   to decline; its niche and unreplenishable values are suggested for freezing; its
//!   leftover dedicated materials are matched by attributes to live products' bills of
//!   materials ("End of life").
//! - [`sourcing`]: a material's forecast split between its suppliers, and a late
//!   supplier's share lowered when a second supplier's top-up makes up for it.
//! - [`rules`]: which suggestions execute by themselves under the merchant's rules,
//!   within their caps, and what the rules would have done over the last 30 days
//!   ("Rule-bounded autonomy").
//!
//! Every output derives `Serialize`: the server stores it as the alert's or the
//! suggestion's evidence, so each carries the figures that raised it. Like the rest of
//! the engine: plain data in and out, units and money as integers, no I/O, no clock
//! (callers pass `today`).

use thiserror::Error;

use crate::money::Money;

pub mod decay;
pub mod internal_first;
pub mod matching;
pub mod niche;
pub mod overconsumption;
pub mod rules;
pub mod sourcing;
pub mod surplus;

pub use decay::{Decay, DecaySettings, Verdict};
pub use internal_first::{Cover, CoverStep, FreedParts, Shortage, Sources, cover};
pub use matching::{Attributes, BomPlace, Leftover, LiveLine, MaterialMatch, match_leftover};
pub use niche::{FreezeReason, FreezeSuggestion, NicheSettings, freeze_suggestions};
pub use overconsumption::{MaterialUse, Overconsumption, PlannedUse, overconsumed};
pub use rules::{
    Candidate, Class, Condition, Decision, DryRun, Outcome, Rule, Spending, SuggestionKind, dry_run, evaluate,
};
pub use sourcing::{FULL_SHARE, ShareShift, lower_late_share};
pub use surplus::{NodeStock, surplus};

/// The caller's identifier of an order (its database id), carried into evidence as it
/// came: the engine never looks orders up.
pub type OrderId = i64;

/// A setting that cannot be used, named by its field.
#[derive(Clone, Copy, Debug, PartialEq, Error)]
#[error("{field} must be {range}, not {value}")]
pub struct SettingError {
    /// The field.
    pub field: &'static str,
    /// Its value.
    pub value: f64,
    /// The range it must lie in, in words.
    pub range: &'static str,
}

/// `quantity` units at `unit` each; saturating, so absurd inputs cannot wrap round to a
/// small or negative value that would slip under a rule's cap.
fn value_of(quantity: i64, unit: Money) -> Money {
    Money(quantity.saturating_mul(unit.minor()))
}
