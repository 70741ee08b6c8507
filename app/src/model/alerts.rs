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
    /// The figures that raised it, for a heat spike.
    pub evidence: Option<SpikeEvidence>,
    /// `open`, `resolved` (every suggestion decided) or `dismissed`.
    pub status: String,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// What the rule suggests.
    pub suggestions: Vec<SuggestionView>,
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
    /// `raise_stock_level` or `reserve_capacity`.
    pub kind: String,
    /// What accepting it does, in one sentence.
    pub summary: String,
    /// `open`, `accepted`, `dismissed`.
    pub status: String,
    /// Who decided (`merchant:<id>`).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
}
