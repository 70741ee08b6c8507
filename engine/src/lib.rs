//! c2m's domain core.
//!
//! Everything here is pure: plain data in, plain data out. No I/O, no async, no clock
//! reads (callers pass `today`), no database or web types. That is what lets the quote
//! engine and the policy engine be tested exhaustively and benchmarked in isolation.
//!
//! The quote, in the order PRODUCT.md describes it: [`requirements`] (step 1),
//! [`snapshot`] (steps 2 and 3 made fast: supply curves and capacity prefix sums, with
//! [`supply`] and [`schedule`] as their plain reference versions), [`quote`] (steps 3
//! to 6 for one configuration), [`matrix`] (the per-option answers and freezing, step
//! 7), [`describe`] (sentences) and [`reserve`] (committing what an order uses); around
//! an order: [`split`] (an early and a later delivery), [`batch`] (a presale product's
//! first batch) and [`channel`] (stock kept for one sales channel).
//!
//! The replenishment policy of PRODUCT.md, "Policies" (demand by BOM explosion,
//! classification, forecasts, safety stock, reorder point and suggested orders for every
//! material) is [`policy`].
//!
//! The signals and suggestions over a product's life (PRODUCT.md, "Signals, alerts,
//! suggestions": overconsumption, internal-first cover of shortages, demand decay,
//! freezing, reuse of leftovers and the merchant's rules that execute suggestions) are
//! [`lifecycle`].
//!
//! Whether promises came true (the share kept by each quoted date, the perfect order
//! rate), as the dashboard and the replay both measure it, is [`kpi`].
#![warn(missing_docs)]

pub mod batch;
pub mod calendar;
pub mod catalog;
pub mod channel;
pub mod describe;
pub mod kpi;
pub mod learn;
pub mod lifecycle;
pub mod matrix;
pub mod money;
pub mod policy;
pub mod quote;
pub mod requirements;
pub mod reserve;
pub mod schedule;
pub mod snapshot;
pub mod split;
pub mod state;
pub mod supply;
pub mod synthetic;
#[cfg(test)]
mod testkit;
pub mod trend;

pub use calendar::WorkingCalendar;
pub use catalog::{
    CatalogError, GroupKind, OptionGroup, OptionValue, ProductCatalog, ResolvedSelection, Selection,
    ValueStatus,
};
pub use matrix::{Freeze, Matrix, OptionCell};
pub use money::Money;
pub use quote::{Constraint, Plan, Quote, Source, Unavailable};
pub use snapshot::Snapshot;
pub use split::Delivery;
pub use state::ShopState;
