//! The answer of `POST /api/v1/quotes`: when a configuration arrives, why, and the
//! same for every option value (the per-option matrix the configurator shows).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{SelectionView, ValueStatusView};

/// A quote request: `POST /api/v1/quotes`'s body, and what the configurator asks for
/// after every change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// The product's slug.
    pub product: String,
    /// Chosen value codes per group code (`{"colour": ["navy"]}`); omitted groups are
    /// not chosen.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = std::collections::BTreeMap<String, Vec<String>>))]
    pub selection: SelectionView,
    /// Units, 1 to 1000 (default 1).
    #[serde(default = "one")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 1000))]
    pub quantity: u32,
    /// The sales channel quoted for (`web` when omitted): stock the merchant keeps for
    /// another channel is left out of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(pattern = "^[a-z0-9_-]{1,40}$"))]
    pub channel: Option<String>,
}

fn one() -> u32 {
    1
}

/// The answer for one configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuoteView {
    /// The product's slug.
    pub product: String,
    /// Units quoted.
    pub quantity: u32,
    /// ISO 4217 currency of every price.
    pub currency: String,
    /// The shop's state version the answer was computed from.
    pub state_version: i64,
    /// The shop's date (in its time zone) the answer was computed on.
    pub quoted_on: NaiveDate,
    /// The selection quoted, as sent.
    #[cfg_attr(feature = "ssr", schema(value_type = std::collections::BTreeMap<String, Vec<String>>))]
    pub selection: SelectionView,
    /// Price of one unit with the selection, minor units.
    pub price_minor: i64,
    /// Whether the configuration can be promised.
    pub available: bool,
    /// When it arrives, if available.
    pub estimate: Option<EstimateView>,
    /// Why it cannot be promised, if not available.
    pub unavailable_reason: Option<String>,
    /// Chosen values that are frozen (each with its reason and alternative).
    pub frozen: Vec<FrozenChoiceView>,
    /// What decides the date, if available.
    pub constraint: Option<ConstraintView>,
    /// Where it is made and where every material comes from, if available.
    pub fulfilment: Option<FulfilmentView>,
    /// Every value of every group, with the answer for the selection with that value
    /// swapped in (add-ons toggled).
    pub options: Vec<OptionsGroupView>,
    /// This answer's selection, quantity, price and promised date, signed by the
    /// server: an order presenting it (`POST /api/v1/orders`) is booked at exactly this
    /// promise or refused with the new quote. `null` when not available.
    #[serde(default)]
    pub quote_token: Option<String>,
    /// When `quote_token` stops being accepted (RFC 3339).
    #[serde(default)]
    pub quote_token_expires_at: Option<DateTime<Utc>>,
    /// When the whole quantity cannot arrive as early as part of it could: the most
    /// units that can come on that earliest date, then the rest (an order takes it with
    /// `"split": true`). `null` when one delivery is as early.
    #[serde(default)]
    pub split: Option<Vec<DeliveryView>>,
    /// For a product in presale with a first batch: how many units of this
    /// configuration the batch can still make, and its last day.
    #[serde(default)]
    pub first_batch: Option<FirstBatchView>,
}

/// One delivery of a split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    /// Units in it.
    pub quantity: u32,
    /// When it arrives.
    pub estimate: EstimateView,
}

/// What is left of a presale product's first batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FirstBatchView {
    /// Units of this configuration it can still make ("12 left in the first batch").
    pub left: u32,
    /// The last day it is made.
    pub until: NaiveDate,
}

/// A delivery estimate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EstimateView {
    /// Median delivery date.
    pub p50: NaiveDate,
    /// 90th percentile delivery date.
    pub p90: NaiveDate,
    /// The date an order placed now commits to ("arrives by"): the shop's promise
    /// quantile of the delivery date, 97 % unless it chose another.
    pub promised: NaiveDate,
    /// Calendar days from today to `p50`.
    pub lead_days_p50: u32,
    /// Calendar days from today to `p90`.
    pub lead_days_p90: u32,
    /// The estimate in words: `5–7 days`, or dates for long ones (`12–19 Jan`).
    pub label: String,
}

/// A chosen value that cannot be had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FrozenChoiceView {
    /// JSON path in the request (`selection.upper[0]`).
    pub field: String,
    /// Group code.
    pub group: String,
    /// Value code.
    pub value: String,
    /// Why it is frozen.
    pub reason: String,
    /// The fastest choosable value of the group, if any.
    pub alternative: Option<String>,
}

/// The binding constraint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConstraintView {
    /// `production` (nothing waited for), `material` or `capacity`.
    pub kind: String,
    /// The constraint in words ("Waiting for Canvas, navy: purchase order PO-1042
    /// arriving 2 Dec").
    pub sentence: String,
    /// SKU of the material waited for.
    pub material: Option<String>,
    /// Code of the booked work center.
    pub work_center: Option<String>,
    /// When the material arrives, or until when the work center is booked.
    pub until: Option<NaiveDate>,
    /// For a material: `inbound`, `transfer`, `reservation` or `supplier`.
    pub source: Option<String>,
}

/// The fulfilment path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FulfilmentView {
    /// Code of the producing node.
    pub producing_node: String,
    /// Every material and where its units come from.
    pub materials: Vec<MaterialSourcingView>,
    /// Minutes per work center and day.
    pub operations: Vec<MinutesView>,
    /// Transfer and purchase cost of the sourcing, minor units.
    pub sourcing_cost_minor: i64,
}

/// Where one material's units come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaterialSourcingView {
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Units needed.
    pub quantity: i64,
    /// Sources, earliest first.
    pub sources: Vec<SourceView>,
}

/// Units from one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceView {
    /// `stock`, `inbound`, `transfer`, `reservation` or `supplier_order`.
    pub kind: String,
    /// Node code the units come from (stock, transfer).
    pub node: Option<String>,
    /// Inbound reference or supplier name.
    pub reference: Option<String>,
    /// Units taken.
    pub quantity: i64,
    /// When they are at the producing node.
    pub arrives: NaiveDate,
}

/// Minutes taken on one work center on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MinutesView {
    /// Work center code.
    pub work_center: String,
    /// The day.
    pub day: NaiveDate,
    /// Minutes.
    pub minutes: u32,
}

/// The per-option answers of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionsGroupView {
    /// Group code.
    pub group: String,
    /// Its values in display order.
    pub values: Vec<OptionQuoteView>,
}

/// The answer with one value swapped in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionQuoteView {
    /// Value code.
    pub code: String,
    /// Whether the current selection has it.
    pub selected: bool,
    /// The fastest choosable value of its group.
    pub fastest: bool,
    /// `active` or `frozen`.
    pub status: ValueStatusView,
    /// Why it is frozen, or why the configuration with it cannot be promised.
    pub reason: Option<String>,
    /// For a frozen value: the fastest choosable value of the group.
    pub alternative: Option<String>,
    /// Unit price of the selection with this value swapped in, minor units.
    pub price_minor: i64,
    /// Its estimate, when it can be promised.
    pub estimate: Option<EstimateView>,
}
