//! The data the configurator shows, as the REST API sends it.
//!
//! These types are the wire format of `GET /api/v1/products/{slug}/configurator`; the
//! server builds them, the storefront and the widget render them.

pub mod admin;
pub mod alerts;
pub mod analytics;
pub mod capacity;
pub mod dashboard;
pub mod import;
pub mod orders;
pub mod policies;
mod quote;
pub mod refusal;
pub mod rules;
pub mod settings;
pub mod storefront;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use quote::{
    ConstraintView, DeliveryView, EstimateView, FirstBatchView, FrozenChoiceView, FulfilmentView,
    MaterialSourcingView, MinutesView, OptionQuoteView, OptionsGroupView, QuoteRequest, QuoteView,
    SourceView,
};

/// Chosen value codes per group code.
pub type SelectionView = BTreeMap<String, Vec<String>>;

/// A product as a configurator needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConfiguratorView {
    /// The product itself.
    pub product: ProductView,
    /// Option groups in display order.
    pub groups: Vec<GroupView>,
    /// The selection a shopper starts from: the first value of every required group
    /// that is not frozen.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub default_selection: SelectionView,
    /// The answer for the default selection, with every value's estimate; `None` when
    /// the product cannot be quoted at all (no routing, say).
    pub quote: Option<QuoteView>,
}

/// Product facts shown above the options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductView {
    /// URL-safe identifier, unique in the shop.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Plain-text description.
    pub description: String,
    /// Price without options, in minor units.
    pub base_price_minor: i64,
    /// ISO 4217 currency code.
    pub currency: String,
    /// In presale: the button says "Preorder" and ordering it counts as a preorder.
    #[serde(default)]
    pub preorder: bool,
}

/// One option group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupView {
    /// Stable code (`colour`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// `single` (radio buttons) or `multi` (check boxes).
    pub kind: GroupKindView,
    /// Whether a value must be chosen.
    pub required: bool,
    /// Values in display order.
    pub values: Vec<ValueView>,
}

/// Single or multiple choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupKindView {
    /// Exactly one value.
    Single,
    /// Any number of values.
    Multi,
}

/// One option value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValueView {
    /// Stable code (`navy`).
    pub code: String,
    /// Label as the merchant wrote it; always rendered as text, never as HTML.
    pub label: String,
    /// Added to the base price, in minor units.
    pub price_delta_minor: i64,
    /// `active` or `frozen` (by the merchant, or by the engine when its supply is gone).
    pub status: ValueStatusView,
    /// Why the value is frozen, when it is.
    pub frozen_reason: Option<String>,
    /// For a frozen value, the code of the fastest choosable value of its group.
    pub alternative: Option<String>,
    /// When the default selection with this value would arrive.
    pub estimate: Option<EstimateView>,
}

/// Whether a value can be chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueStatusView {
    /// Choosable.
    Active,
    /// Shown, disabled, with a reason.
    Frozen,
}
