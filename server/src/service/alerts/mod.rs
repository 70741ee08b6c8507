//! Alerts and suggestions (PRODUCT.md, "Signals, alerts, suggestions"): the rules that
//! raise them ([`heat_spike`]) and the merchant's inbox ([`inbox`]).

pub mod heat_spike;
pub mod inbox;
