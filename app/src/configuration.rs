//! The shopper's configuration, whatever renders it: choosing values, the unit price,
//! which values arrive first, and the configuration the host page is told about.
//!
//! The storefront's component ([`crate::configurator`]) and the widget's leaner view
//! both keep their state with these functions, so a choice means the same on both.

use chrono::NaiveDate;
use serde::Serialize;

use crate::i18n::Locale;
use crate::model::{EstimateView, GroupKindView, GroupView, QuoteView, SelectionView, ValueStatusView};

/// The configurator's own stylesheet; theme colours come from `--c2m-*` custom properties.
pub const STYLESHEET: &str = include_str!("configurator/configurator.css");

/// Why a fresh quote did not arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteFailure {
    /// The request never reached the server (no network).
    Offline,
    /// The server answered with an error; its explanation.
    Server(String),
}

/// Something the shopper did, as presale heat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heat {
    /// The configurator was shown.
    View,
    /// A value was chosen.
    OptionSelect {
        /// Group code.
        group: String,
        /// Value code.
        value: String,
    },
    /// The configuration was saved for later.
    Favorite {
        /// The configuration.
        selection: SelectionView,
    },
    /// The configuration went into the host's cart.
    AddToCart {
        /// The configuration.
        selection: SelectionView,
    },
    /// A presale product's configuration was preordered.
    Preorder {
        /// The configuration.
        selection: SelectionView,
    },
}

/// Applies the shopper (un)ticking `value` of `group`: a single-choice group takes it
/// alone, a multi-choice group toggles it. Whether the value is now chosen.
pub fn choose(selection: &mut SelectionView, group: &GroupView, value: &str) -> bool {
    let chosen = selection.entry(group.code.clone()).or_default();
    match group.kind {
        GroupKindView::Single => {
            *chosen = vec![value.to_string()];
            true
        }
        GroupKindView::Multi => match chosen.iter().position(|c| c == value) {
            Some(i) => {
                chosen.remove(i);
                false
            }
            None => {
                chosen.push(value.to_string());
                true
            }
        },
    }
}

/// Replaces a frozen `from` with its suggested `to`.
pub fn switch(selection: &mut SelectionView, group: &GroupView, from: &str, to: &str) {
    let chosen = selection.entry(group.code.clone()).or_default();
    chosen.retain(|c| c != from);
    if group.kind == GroupKindView::Single {
        chosen.clear();
    }
    if !chosen.iter().any(|c| c == to) {
        chosen.push(to.to_string());
    }
}

/// Whether `value` of group `group` is chosen.
pub fn is_chosen(selection: &SelectionView, group: &str, value: &str) -> bool {
    selection
        .get(group)
        .is_some_and(|values| values.iter().any(|v| v == value))
}

/// Price of one unit: the base price and every chosen value's delta (known at once,
/// no round trip).
pub fn unit_price(base_price_minor: i64, groups: &[GroupView], selection: &SelectionView) -> i64 {
    base_price_minor
        + groups
            .iter()
            .flat_map(|g| {
                let chosen = selection.get(&g.code);
                g.values
                    .iter()
                    .filter(move |v| chosen.is_some_and(|c| c.contains(&v.code)))
                    .map(|v| v.price_delta_minor)
            })
            .sum::<i64>()
}

/// How a value stands in its group's race.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Not among the first, or the group has no race (all equal, or add-ons).
    Other,
    /// The one value that arrives first.
    Fastest,
    /// Tied for first with other values: its estimate is highlighted, and the word
    /// "Fastest" is there for screen readers only, since a badge on each of the tied
    /// values would be noise and a badge on one of them would suggest the others are
    /// slower.
    TiedFastest,
}

/// Marks the values of a single-choice group that arrive first, where that tells the
/// shopper something: some other choosable value arrives later.
pub fn pace(groups: &[GroupView], answer: Option<&QuoteView>, group: usize, value: usize) -> Pace {
    if groups.get(group).is_none_or(|g| g.kind != GroupKindView::Single) {
        return Pace::Other;
    }
    let Some(values) = answer.and_then(|a| a.options.get(group)).map(|g| &g.values) else {
        return Pace::Other;
    };
    let lead = |v: &crate::model::OptionQuoteView| {
        (v.status == ValueStatusView::Active)
            .then(|| v.estimate.as_ref().map(|e| (e.lead_days_p90, e.lead_days_p50)))
            .flatten()
    };
    let leads: Vec<_> = values.iter().filter_map(lead).collect();
    let (Some(&first), Some(&last)) = (leads.iter().min(), leads.iter().max()) else {
        return Pace::Other;
    };
    if first == last || values.get(value).and_then(lead) != Some(first) {
        return Pace::Other;
    }
    match leads.iter().filter(|&&l| l == first).count() {
        1 => Pace::Fastest,
        _ => Pace::TiedFastest,
    }
}

/// The configuration a `c2m:change` or `c2m:add-to-cart` event carries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfigurationDetail {
    /// The product's slug.
    pub product: String,
    /// Chosen value codes per group code.
    pub selection: SelectionView,
    /// Units.
    pub quantity: u32,
    /// ISO 4217 currency of the prices.
    pub currency: String,
    /// Price of one unit, minor units.
    pub unit_price_minor: i64,
    /// `unit_price_minor × quantity`.
    pub total_price_minor: i64,
    /// Whether the configuration can be made; when not, `delivery` is null.
    pub available: bool,
    /// The promised delivery range, when the latest quote for this selection arrived.
    pub delivery: Option<DeliveryDetail>,
    /// Whether ordering it is a preorder (a presale product).
    pub preorder: bool,
    /// The signed token of the quote on screen: the shop's server sends it with the
    /// order (`POST /api/v1/orders`), so the promise the shopper saw is what is booked.
    pub quote_token: Option<String>,
}

/// The promised range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeliveryDetail {
    /// Median date.
    pub p50: NaiveDate,
    /// 90th percentile date.
    pub p90: NaiveDate,
    /// The date an order commits to ("arrives by"): the shop's promise quantile.
    pub promised: NaiveDate,
    /// The range in words, as the shopper saw it.
    pub label: String,
}

impl DeliveryDetail {
    /// The range of `estimate`, labelled as the shopper saw it.
    pub fn new(estimate: &EstimateView, locale: Locale) -> DeliveryDetail {
        DeliveryDetail {
            p50: estimate.p50,
            p90: estimate.p90,
            promised: estimate.promised,
            label: locale.estimate(estimate),
        }
    }
}

/// What a configuration is, besides its answer.
pub struct Configuration<'a> {
    /// The product's slug.
    pub product: &'a str,
    /// ISO 4217 currency.
    pub currency: &'a str,
    /// Price without options, minor units.
    pub base_price_minor: i64,
    /// A presale product: ordering is a preorder.
    pub preorder: bool,
    /// The option groups as loaded.
    pub groups: &'a [GroupView],
}

impl Configuration<'_> {
    /// The detail of `selection` × `quantity`; `answer` is the answer on screen for it,
    /// `None` when there is none or the latest request failed (a stale promise is never
    /// passed on).
    pub fn detail(
        &self,
        selection: &SelectionView,
        quantity: u32,
        answer: Option<&QuoteView>,
        locale: Locale,
    ) -> ConfigurationDetail {
        let unit = unit_price(self.base_price_minor, self.groups, selection);
        let (available, delivery, quote_token) = match answer {
            Some(a) => (
                a.available,
                a.estimate.as_ref().map(|e| DeliveryDetail::new(e, locale)),
                a.quote_token.clone(),
            ),
            None => (false, None, None),
        };
        ConfigurationDetail {
            product: self.product.to_string(),
            selection: selection.clone(),
            quantity,
            currency: self.currency.to_string(),
            unit_price_minor: unit,
            total_price_minor: unit * i64::from(quantity),
            available,
            delivery,
            preorder: self.preorder,
            quote_token,
        }
    }
}
