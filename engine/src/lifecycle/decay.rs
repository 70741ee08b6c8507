//! Whether a product's demand is dying out (PRODUCT.md, "End of life"): a short moving
//! average of its daily orders and heat against a long one.
//!
//! Both averages are simple means of the last `short_days` and `long_days` days, both
//! ending on the last day given (the long window contains the short one, as in the
//! usual moving-average crossover). A series is *falling* when
//! `short / long < decline_below`. It only counts when it covers the long window and
//! its long average reaches a minimum volume: below it, a few orders more or less swing
//! the ratio across the threshold. With the defaults, a product steadily selling one
//! unit a day (Poisson, 14 expected in the short window) reads as falling in about
//! 1.4 % of fortnights; at half a unit a day it would be 8 %, at a quarter 14 %.
//!
//! The product declines when at least one series counts and every series that counts
//! is falling: orders dropping while shoppers still add the product to their carts
//! (supply trouble, a long lead time) is not decline, and a shop without heat data is
//! judged on its orders alone.
//!
//! Defaults: a fortnight against a quarter (14 and 90 days) sees a fall within two
//! weeks while a quarter smooths out a month's seasonality; "below half" is a
//! fall no ordinary fluctuation at the minimum volume reaches (the figures above).

use serde::{Deserialize, Serialize};

use super::SettingError;

/// Thresholds of decay detection, the shop's to change.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecaySettings {
    /// Days of the short average (default 14).
    pub short_days: u32,
    /// Days of the long average, and the history a series needs to count (default 90).
    pub long_days: u32,
    /// A series falls when short ÷ long is below this (default 0.5).
    pub decline_below: f64,
    /// Units ordered per day the long average must reach for orders to count
    /// (default 1.0).
    pub min_orders_per_day: f64,
    /// Purchase intents (add-to-cart plus preorder) per day the long average must reach
    /// for heat to count (default 1.0).
    pub min_heat_per_day: f64,
}

impl Default for DecaySettings {
    fn default() -> Self {
        DecaySettings {
            short_days: 14,
            long_days: 90,
            decline_below: 0.5,
            min_orders_per_day: 1.0,
            min_heat_per_day: 1.0,
        }
    }
}

impl DecaySettings {
    /// Checks 1 ≤ short < long, 0 < decline_below ≤ 1 and finite minimums ≥ 0.
    pub fn check(&self) -> Result<(), SettingError> {
        let fail = |field, value: f64, range| Err(SettingError { field, value, range });
        if self.short_days == 0 {
            return fail("short_days", 0.0, "at least 1");
        }
        if self.long_days <= self.short_days {
            return fail("long_days", f64::from(self.long_days), "more than short_days");
        }
        if !(self.decline_below > 0.0 && self.decline_below <= 1.0) {
            return fail("decline_below", self.decline_below, "above 0 and at most 1");
        }
        for (field, value) in [
            ("min_orders_per_day", self.min_orders_per_day),
            ("min_heat_per_day", self.min_heat_per_day),
        ] {
            if !(value >= 0.0 && value.is_finite()) {
                return fail(field, value, "a finite number of at least 0");
            }
        }
        Ok(())
    }
}

/// What one series says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Fewer days than the long window: too young to judge.
    TooShort,
    /// Long average below the minimum volume (or zero): noise, not a signal.
    TooQuiet,
    /// Short ÷ long below the threshold.
    Falling,
    /// Counts, and is not falling.
    Holding,
}

/// One series' averages and standing: the evidence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesReading {
    /// Days of history given.
    pub days: usize,
    /// Mean of the last `short_days` days.
    pub short_average: f64,
    /// Mean of the last `long_days` days.
    pub long_average: f64,
    /// `short_average / long_average`; `None` when the long average is 0.
    pub ratio: Option<f64>,
    /// What the figures say.
    pub standing: Standing,
}

/// The product's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every series that counts is falling: move the product to decline, with an alert.
    Declining,
    /// Some series that counts holds up.
    Holding,
    /// No series counts (too young or too quiet).
    TooLittleData,
}

/// A product's decay reading: both series, the verdict and the settings used.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decay {
    /// Units ordered per day.
    pub orders: SeriesReading,
    /// Purchase intents per day.
    pub heat: SeriesReading,
    /// What they add up to.
    pub verdict: Verdict,
    /// The thresholds they were read with.
    pub settings: DecaySettings,
}

impl Decay {
    /// Reads a product's daily units ordered and daily purchase intents (add-to-cart
    /// plus preorder), each oldest day first and ending on the same last day, with
    /// checked `settings`.
    pub fn of(orders: &[u64], heat: &[u64], settings: &DecaySettings) -> Decay {
        let orders = reading(orders, settings, settings.min_orders_per_day);
        let heat = reading(heat, settings, settings.min_heat_per_day);
        let standings = [orders.standing, heat.standing];
        let verdict = if standings.contains(&Standing::Holding) {
            Verdict::Holding
        } else if standings.contains(&Standing::Falling) {
            Verdict::Declining
        } else {
            Verdict::TooLittleData
        };
        Decay {
            orders,
            heat,
            verdict,
            settings: *settings,
        }
    }
}

fn reading(series: &[u64], settings: &DecaySettings, min_per_day: f64) -> SeriesReading {
    let short_average = mean_of_last(series, settings.short_days);
    let long_average = mean_of_last(series, settings.long_days);
    let ratio = (long_average > 0.0).then(|| short_average / long_average);
    let standing = match ratio {
        _ if series.len() < settings.long_days as usize => Standing::TooShort,
        None => Standing::TooQuiet,
        Some(_) if long_average < min_per_day => Standing::TooQuiet,
        Some(r) if r < settings.decline_below => Standing::Falling,
        Some(_) => Standing::Holding,
    };
    SeriesReading {
        days: series.len(),
        short_average,
        long_average,
        ratio,
        standing,
    }
}

/// Mean of the last `days` values (of all of them when there are fewer); 0 for none.
fn mean_of_last(series: &[u64], days: u32) -> f64 {
    let last = &series[series.len().saturating_sub(days as usize)..];
    if last.is_empty() {
        return 0.0;
    }
    last.iter().sum::<u64>() as f64 / last.len() as f64
}

#[cfg(test)]
mod tests;
