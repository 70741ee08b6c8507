//! The admin's alert inbox: alerts with their evidence and the suggestions a merchant
//! accepts or dismisses.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One alert and what to do about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    /// Row id.
    pub id: i64,
    /// `heat_spike`, …
    pub kind: String,
    /// `info`, `warning`, `critical`.
    pub severity: String,
    /// What it is about, in words ("Weekender bag · Fabric: Lagoon canvas").
    pub subject: String,
    /// The alert in one sentence.
    pub message: String,
    /// The figures that raised it.
    pub evidence: Option<Evidence>,
    /// `open`, `resolved` (every suggestion decided) or `dismissed`.
    pub status: String,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// What the rule suggests.
    pub suggestions: Vec<SuggestionView>,
}

/// The figures that raised an alert, by the rule that raised it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Evidence {
    /// An option value's add-to-cart rate reached the threshold.
    HeatSpike(SpikeEvidence),
    /// Work in progress used a material faster than its orders planned.
    WipOverconsumption(OverconsumptionEvidence),
    /// A product's demand is dying out.
    DemandDecay(DecayEvidence),
}

/// Why a product was moved to decline: its short and long moving averages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecayEvidence {
    /// The product's slug.
    pub product: String,
    /// First day of the long window (the shop's local day).
    pub from: NaiveDate,
    /// Last day (today).
    pub to: NaiveDate,
    /// Units ordered a day over the short window.
    pub orders_short: f64,
    /// … over the long window.
    pub orders_long: f64,
    /// Whether orders were enough to judge by (else too young or too few).
    pub orders_counts: bool,
    /// Add-to-carts and preorders a day over the short window.
    pub heat_short: f64,
    /// … over the long window.
    pub heat_long: f64,
    /// Whether heat was enough to judge by.
    pub heat_counts: bool,
    /// Days of the short average.
    pub short_days: u32,
    /// Days of the long average.
    pub long_days: u32,
    /// The threshold: falling below this share of the long average.
    pub decline_below: f64,
}

/// Why a work-in-progress overconsumption alert was raised: the material, and each
/// order in production with what it planned and what was reported used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverconsumptionEvidence {
    /// The material's SKU.
    pub sku: String,
    /// Its name.
    pub material: String,
    /// Its unit.
    pub unit: String,
    /// Units the orders in production planned.
    pub planned: i64,
    /// Units reported used for them.
    pub actual: i64,
    /// `actual − planned`.
    pub excess: i64,
    /// Percent above plan (`None` when nothing was planned).
    pub percent_above: Option<f64>,
    /// The shop's threshold, percent above plan.
    pub threshold_percent: u32,
    /// The orders behind the figures.
    pub orders: Vec<OrderUse>,
}

/// One order in production's plan and reported use of a material.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderUse {
    /// The order's row id.
    pub order_id: i64,
    /// The platform's reference.
    pub reference: String,
    /// Units its plan holds.
    pub planned: i64,
    /// Units reported used.
    pub consumed: i64,
}

/// Why a heat-spike alert was raised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpikeEvidence {
    /// The product's slug.
    pub product: String,
    /// The option value's row id.
    pub value_id: i64,
    /// `group.value`.
    pub value_code: String,
    /// First day of the window (the shop's local day).
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// Selections of the value in the window.
    pub selections: i64,
    /// Add-to-carts with the value in the window.
    pub add_to_cart: i64,
    /// `add_to_cart / selections`.
    pub rate: f64,
    /// The shop's threshold.
    pub threshold: f64,
}

/// One suggested action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuggestionView {
    /// Row id.
    pub id: i64,
    /// `raise_stock_level`, `reserve_capacity`, `transfer` or `purchase`.
    pub kind: String,
    /// What accepting it does, in one sentence.
    pub summary: String,
    /// `open`, `accepted`, `dismissed`, `executed` (by a rule) or `undone`.
    pub status: String,
    /// Who decided (`merchant:<id>`, `automation:<rule id>`).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The name of the merchant's rule that executed it.
    pub rule: Option<String>,
    /// Whether it can be undone (accepted or executed, with what it applied recorded).
    pub undoable: bool,
    /// Who undid it and when, in words.
    pub undone: Option<String>,
}
