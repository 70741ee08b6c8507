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
    /// Orders at risk because a supplier is late.
    LateSupply(LateSupplyEvidence),
    /// A material's stock position at or below its policy's reorder point.
    BelowReorderPoint(ReorderEvidence),
}

/// Why a late-supply alert was raised: the units that orders at risk hold on inbound
/// lines now expected after production needs them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LateSupplyEvidence {
    /// The material's SKU.
    pub sku: String,
    /// Its name.
    pub material: String,
    /// Its unit.
    pub unit: String,
    /// The node the late units were due at (where most of them were).
    pub node: String,
    /// The late supplier's code (the one with most of the late units).
    pub supplier: String,
    /// Its name.
    pub supplier_name: String,
    /// Units the orders hold on late lines.
    pub late_units: i64,
    /// Units of purchase orders no order holds arriving at the node by then.
    pub on_time_inbound: i64,
    /// The node's free stock above its safety stock.
    pub free_at_node: i64,
    /// What is left to cover: `late_units − on_time_inbound − free_at_node`.
    pub shortage: i64,
    /// The earliest day production needs the units.
    pub needed_by: NaiveDate,
    /// The orders and the late lines they hold.
    pub orders: Vec<LateHold>,
}

/// Units one order at risk holds on a late inbound line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LateHold {
    /// The order's row id.
    pub order_id: i64,
    /// The platform's reference.
    pub reference: String,
    /// The inbound line's reference (`PO-1042`).
    pub line: String,
    /// Units held on it.
    pub quantity: i64,
    /// When the line was expected as the order was booked.
    pub booked_eta: NaiveDate,
    /// When it is expected now.
    pub eta: NaiveDate,
    /// When the order's production needs the units.
    pub needed_by: NaiveDate,
}

/// Why a reorder-point alert was raised: the policy's levels against the position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReorderEvidence {
    /// The material's SKU.
    pub sku: String,
    /// Its name.
    pub material: String,
    /// Its unit.
    pub unit: String,
    /// The node the cover delivers to (where the material is used).
    pub node: String,
    /// On hand − reserved at every node, plus confirmed inbound and drafted purchase
    /// orders.
    pub position: i64,
    /// The policy's reorder point.
    pub reorder_point: i64,
    /// The policy's order-up-to level.
    pub order_up_to: i64,
    /// The policy's safety stock.
    pub safety_stock: i64,
    /// The forecast a day the policy used.
    pub daily_demand: f64,
    /// `order_up_to − position`: what the cover brings in.
    pub shortage: i64,
    /// When the position reaches the safety stock at the forecast (today plus the
    /// lead time when there is no forecast).
    pub needed_by: NaiveDate,
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
