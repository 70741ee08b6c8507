//! c2m's domain core.
//!
//! Everything here is pure: plain data in, plain data out. No I/O, no async, no clock
//! reads (callers pass `today`), no database or web types. That is what lets the quote
//! engine and the policy engine be tested exhaustively and benchmarked in isolation.
#![warn(missing_docs)]

pub mod calendar;
pub mod catalog;
pub mod money;
pub mod requirements;
pub mod schedule;
pub mod supply;

pub use calendar::WorkingCalendar;
pub use catalog::{
    CatalogError, GroupKind, OptionGroup, OptionValue, ProductCatalog, Selection, ValueStatus,
};
pub use money::Money;
