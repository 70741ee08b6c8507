//! Presale heat analytics: funnels and trends per product and option value, as
//! `GET /api/v1/analytics/funnel` and `/trend` send them and the admin's Heat page
//! shows them. The definitions are in `docs/analytics.md`; the ones code elsewhere
//! must agree with (the window, [`rate`], [`add_to_cart_rate`]) live here, once.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days in the window when none is asked for: the 30 days ending today.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;
/// The longest window, in days.
pub const MAX_WINDOW_DAYS: u32 = 366;
/// Days of a trend's series when none is asked for.
pub const DEFAULT_TREND_DAYS: u32 = 90;
/// The shortest trend series: two weeks, twice the short average's span.
pub const MIN_TREND_DAYS: u32 = 14;
/// The longest trend series.
pub const MAX_TREND_DAYS: u32 = 366;

/// `numerator / denominator`, `None` when the denominator is 0 (no rate, rather than a
/// rate of 0).
pub fn rate(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// An option value's add-to-cart rate: add-to-carts whose configuration contains the
/// value per selection of the value (`option_select` events), over the same days.
/// The funnels show it and the heat-spike alert compares it with its threshold, so
/// both mean the same thing by it.
pub fn add_to_cart_rate(add_to_cart: u64, selections: u64) -> Option<f64> {
    rate(add_to_cart, selections)
}

/// A range of the shop's days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeatWindow {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// A window or series length that cannot be used, with the parameter to blame.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct WindowError {
    /// The query parameter (`from`, `to`, `days`).
    pub field: &'static str,
    /// What is wrong with it.
    pub detail: String,
}

impl HeatWindow {
    /// The window of `from` and `to` as asked: `to` defaults to `today`, `from` to
    /// [`DEFAULT_WINDOW_DAYS`] days ending on `to`. Refused when `from` is after `to`
    /// or the window is longer than [`MAX_WINDOW_DAYS`] (both blamed on `from`).
    pub fn resolve(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<HeatWindow, WindowError> {
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| days_ending(to, DEFAULT_WINDOW_DAYS));
        if from > to {
            return Err(WindowError {
                field: "from",
                detail: format!("the window starts on {from}, after it ends ({to})"),
            });
        }
        let window = HeatWindow { from, to };
        if window.days() > u64::from(MAX_WINDOW_DAYS) {
            return Err(WindowError {
                field: "from",
                detail: format!(
                    "the window from {from} to {to} is {} days long; at most {MAX_WINDOW_DAYS} are allowed",
                    window.days()
                ),
            });
        }
        Ok(window)
    }

    /// The `days` days ending on `to`.
    pub fn ending(to: NaiveDate, days: u32) -> HeatWindow {
        HeatWindow {
            from: days_ending(to, days),
            to,
        }
    }

    /// How many days the window has.
    pub fn days(&self) -> u64 {
        self.to.signed_duration_since(self.from).num_days().unsigned_abs() + 1
    }

    /// Each day of the window, in order.
    pub fn each_day(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let from = self.from;
        (0..self.days()).filter_map(move |n| from.checked_add_days(Days::new(n)))
    }
}

/// The first of `days` days ending on `to`.
fn days_ending(to: NaiveDate, days: u32) -> NaiveDate {
    to.checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
        .unwrap_or(NaiveDate::MIN)
}

/// The last day of a trend when none is asked for: yesterday, the shop's last whole
/// day. Today is still under way, and its count so far would read as a fall every
/// morning.
pub fn trend_end(today: NaiveDate) -> NaiveDate {
    today.pred_opt().unwrap_or(today)
}

/// A trend series' length as asked: [`DEFAULT_TREND_DAYS`] when not given, refused
/// (blaming `days`) outside [`MIN_TREND_DAYS`]..=[`MAX_TREND_DAYS`].
pub fn trend_days(days: Option<u32>) -> Result<u32, WindowError> {
    let days = days.unwrap_or(DEFAULT_TREND_DAYS);
    if (MIN_TREND_DAYS..=MAX_TREND_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(WindowError {
            field: "days",
            detail: format!("{days} days: a trend covers {MIN_TREND_DAYS} to {MAX_TREND_DAYS} days"),
        })
    }
}

/// Funnels over a window: `GET /api/v1/analytics/funnel`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    /// The shop's days counted, both ends included.
    pub window: HeatWindow,
    /// One funnel per product (the one asked for, or all by name).
    pub products: Vec<ProductFunnel>,
}

/// A product's funnel, as a whole and per option value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductFunnel {
    /// The product's slug.
    pub product: String,
    /// Its name.
    pub name: String,
    /// Events of each kind (one per event, whatever its configuration).
    pub counts: FunnelCounts,
    /// The counts as rates.
    pub rates: FunnelRates,
    /// Every option group in catalog order, with every value, heat or not.
    pub groups: Vec<GroupFunnel>,
}

/// Events of each kind for a product.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelCounts {
    /// Product page views (`view`).
    pub views: u64,
    /// Values picked in the configurator (`option_select`).
    pub selections: u64,
    /// Configurations saved (`favorite`).
    pub favorites: u64,
    /// Configurations added to the cart (`add_to_cart`).
    pub add_to_cart: u64,
    /// Preorders (`preorder`).
    pub preorders: u64,
    /// Purchases (`purchase`).
    pub purchases: u64,
}

/// A product's funnel as rates; each is `null` when its denominator is 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelRates {
    /// `selections / views`.
    pub selections_per_view: Option<f64>,
    /// `favorites / views`.
    pub favorites_per_view: Option<f64>,
    /// `add_to_cart / views`.
    pub add_to_cart_per_view: Option<f64>,
    /// `preorders / views`.
    pub preorders_per_view: Option<f64>,
    /// `purchases / views`.
    pub purchases_per_view: Option<f64>,
    /// `(purchases + preorders) / add_to_cart`.
    pub purchase_per_cart: Option<f64>,
}

impl FunnelCounts {
    /// The rates of these counts.
    pub fn rates(&self) -> FunnelRates {
        FunnelRates {
            selections_per_view: rate(self.selections, self.views),
            favorites_per_view: rate(self.favorites, self.views),
            add_to_cart_per_view: rate(self.add_to_cart, self.views),
            preorders_per_view: rate(self.preorders, self.views),
            purchases_per_view: rate(self.purchases, self.views),
            purchase_per_cart: rate(self.purchases + self.preorders, self.add_to_cart),
        }
    }
}

/// An option group's values with their heat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupFunnel {
    /// The group's code.
    pub group: String,
    /// Its name.
    pub name: String,
    /// Every value in catalog order.
    pub values: Vec<ValueFunnel>,
}

/// An option value's heat: its own selections, and the favorites, carts, preorders and
/// purchases whose configuration contains it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValueFunnel {
    /// The value's code.
    pub value: String,
    /// Its label.
    pub label: String,
    /// Times it was picked (`option_select`).
    pub selections: u64,
    /// Favorites containing it.
    pub favorites: u64,
    /// Add-to-carts containing it.
    pub add_to_cart: u64,
    /// Preorders containing it.
    pub preorders: u64,
    /// Purchases containing it.
    pub purchases: u64,
    /// [`add_to_cart_rate`]: `add_to_cart / selections`.
    pub add_to_cart_rate: Option<f64>,
    /// Its selections per selection of any value of its group.
    pub share_of_selections: Option<f64>,
}

/// Trends over the days ending on a given day: `GET /api/v1/analytics/trend`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendReport {
    /// The days of every series, oldest first.
    pub window: HeatWindow,
    /// One per product (the one asked for, or all by name).
    pub products: Vec<ProductTrend>,
}

/// A product's trend, as a whole and per option value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductTrend {
    /// The product's slug.
    pub product: String,
    /// Its name.
    pub name: String,
    /// Its add-to-carts plus preorders.
    pub trend: TrendView,
    /// Every option value, groups and values in catalog order.
    pub values: Vec<ValueTrend>,
}

/// An option value's trend: add-to-carts plus preorders whose configuration contains it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValueTrend {
    /// The group's code.
    pub group: String,
    /// The value's code.
    pub value: String,
    /// Its trend.
    pub trend: TrendView,
}

/// A daily series of add-to-carts plus preorders and its short and long averages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendView {
    /// One count per day of the window, oldest first.
    pub series: Vec<u64>,
    /// Exponentially weighted average with a span of 7 days, after the last day.
    pub short: f64,
    /// The same with a span of 28 days.
    pub long: f64,
    /// `short / long`; `null` when `long` is 0.
    pub ratio: Option<f64>,
    /// `rising` above 1.2, `falling` below 0.8, `steady` otherwise.
    pub direction: TrendDirection,
}

/// Which way a trend heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// The last week runs well ahead of the month.
    Rising,
    /// The last week runs well behind the month.
    Falling,
    /// Neither (or no activity).
    Steady,
}

impl TrendDirection {
    /// In words, for the admin.
    pub fn words(self) -> &'static str {
        match self {
            TrendDirection::Rising => "rising",
            TrendDirection::Falling => "falling",
            TrendDirection::Steady => "steady",
        }
    }
}

/// What the admin's Heat page shows for a window and a product (or all).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatReport {
    /// Funnels over the window.
    pub funnel: FunnelReport,
    /// Trends over the [`DEFAULT_TREND_DAYS`] days ending on the window's last day, or
    /// on [`trend_end`] when the window reaches today.
    pub trend: TrendReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_rate_without_a_denominator_is_none_not_zero() {
        assert_eq!(rate(3, 0), None);
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(0, 4), Some(0.0));
        assert_eq!(add_to_cart_rate(3, 20), Some(0.15));
    }

    #[test]
    fn the_default_window_is_the_thirty_days_ending_today() {
        let today = day("2026-11-25");
        let w = HeatWindow::resolve(None, None, today).unwrap();
        assert_eq!((w.from, w.to, w.days()), (day("2026-10-27"), today, 30));
        let w = HeatWindow::resolve(None, Some(day("2026-01-31")), today).unwrap();
        assert_eq!(w.from, day("2026-01-02"));
        let w = HeatWindow::resolve(Some(day("2026-11-20")), None, today).unwrap();
        assert_eq!((w.days(), w.each_day().last()), (6, Some(today)));
    }

    #[test]
    fn a_window_backwards_or_over_366_days_is_refused_naming_from() {
        let today = day("2026-11-25");
        let backwards = HeatWindow::resolve(Some(day("2026-11-26")), None, today).unwrap_err();
        assert_eq!(backwards.field, "from");
        let longest = HeatWindow::resolve(Some(day("2025-11-25")), None, today).unwrap();
        assert_eq!(longest.days(), 366);
        let too_long = HeatWindow::resolve(Some(day("2025-11-24")), None, today).unwrap_err();
        assert_eq!(too_long.field, "from");
        assert!(too_long.detail.contains("367 days"), "{}", too_long.detail);
    }

    #[test]
    fn trend_lengths_stay_between_two_weeks_and_a_year() {
        assert_eq!(trend_days(None), Ok(90));
        assert_eq!(trend_days(Some(14)), Ok(14));
        assert_eq!(trend_days(Some(366)), Ok(366));
        assert_eq!(trend_days(Some(13)).unwrap_err().field, "days");
        assert_eq!(trend_days(Some(367)).unwrap_err().field, "days");
        assert_eq!(trend_end(day("2026-11-25")), day("2026-11-24"));
    }

    #[test]
    fn funnel_rates_divide_by_views_and_carts() {
        let counts = FunnelCounts {
            views: 200,
            selections: 50,
            favorites: 4,
            add_to_cart: 10,
            preorders: 3,
            purchases: 1,
        };
        let r = counts.rates();
        assert_eq!(r.selections_per_view, Some(0.25));
        assert_eq!(r.add_to_cart_per_view, Some(0.05));
        assert_eq!(r.purchase_per_cart, Some(0.4));
        let none = FunnelCounts::default().rates();
        assert_eq!((none.purchases_per_view, none.purchase_per_cart), (None, None));
    }
}
