//! How the stock stands, as the dashboard measures it (`docs/kpis.md`, "Inventory"):
//! how fast it turns, how many days it lasts at the recent pace, and the inventory
//! health index that combines its structure, its age and its fit with the current
//! demand.
//!
//! Everything is measured on daily closes: each material's stock at the end of a day,
//! valued at its unit cost, beside what the orders of each day used. Values are in
//! minor units; units are the material's own.

use chrono::NaiveDate;

/// Units held longer than this since their receipt are aged.
pub const AGED_AFTER_DAYS: i64 = 90;
/// Stock that would last longer than this at the recent pace is a slow mover.
pub const SLOW_COVERAGE_DAYS: f64 = 180.0;
/// Days before a close whose use sets "the recent pace".
pub const PACE_DAYS: usize = 90;

/// How much of a stock's units were received within [`AGED_AFTER_DAYS`] and how much
/// before, first in first out: the units on hand are the most recently received ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Age {
    /// Units whose receipt is on record.
    pub dated: i64,
    /// Of those, units received more than [`AGED_AFTER_DAYS`] before the close.
    pub aged: i64,
}

/// The age of `on_hand` units at the close of `day`, given the receipts (day, units)
/// up to that day. Units beyond what the receipts account for have no known age: they
/// were there before the records start, so they are neither dated nor aged.
pub fn fifo_age(on_hand: i64, receipts: &[(NaiveDate, i64)], day: NaiveDate) -> Age {
    let mut newest_first: Vec<(NaiveDate, i64)> = receipts
        .iter()
        .copied()
        .filter(|(received, units)| *received <= day && *units > 0)
        .collect();
    newest_first.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut left = on_hand.max(0);
    let mut age = Age::default();
    for (received, units) in newest_first {
        if left == 0 {
            break;
        }
        let taken = units.min(left);
        left -= taken;
        age.dated += taken;
        if (day - received).num_days() > AGED_AFTER_DAYS {
            age.aged += taken;
        }
    }
    age
}

/// The band the material's current policy keeps its stock in, units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// Below this, a demand peak runs it out: short.
    pub safety_stock: f64,
    /// Above this, more is held than the policy would ever order up to: excess.
    pub order_up_to: f64,
}

/// One material at a day's close.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MaterialClose {
    /// Units on hand at every node.
    pub on_hand: f64,
    /// Cost of one unit, minor units.
    pub unit_cost: f64,
    /// Units used per day by the orders of the [`PACE_DAYS`] before the close.
    pub daily_use: f64,
    /// Its units by age.
    pub age: Age,
    /// Its policy's band, if it has a policy.
    pub band: Option<Band>,
    /// Whether its demand is erratic (XYZ class Z).
    pub volatile: bool,
}

impl MaterialClose {
    /// Its stock at cost.
    pub fn value(&self) -> f64 {
        self.on_hand.max(0.0) * self.unit_cost
    }

    /// Days its stock lasts at the recent pace; `None` when nothing used it (it lasts
    /// for ever).
    pub fn coverage_days(&self) -> Option<f64> {
        (self.daily_use > 0.0).then(|| self.on_hand.max(0.0) / self.daily_use)
    }

    /// Stock that would outlast [`SLOW_COVERAGE_DAYS`] at the recent pace, or that
    /// nothing used at all.
    pub fn slow(&self) -> bool {
        self.on_hand > 0.0 && self.coverage_days().is_none_or(|d| d > SLOW_COVERAGE_DAYS)
    }

    /// Units above the policy's order-up-to level.
    pub fn excess(&self) -> f64 {
        self.band.map_or(0.0, |b| (self.on_hand - b.order_up_to).max(0.0))
    }

    /// Units missing to the policy's safety stock.
    pub fn shortfall(&self) -> f64 {
        self.band
            .map_or(0.0, |b| (b.safety_stock - self.on_hand.max(0.0)).max(0.0))
    }
}

/// The inventory health index and its three parts, each a share from 0 (bad) to 1
/// (good); a part is `None` when there is nothing to judge it on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Health {
    /// 100 × the mean of the parts that could be judged; `None` when none could.
    pub index: Option<f64>,
    /// Share of the stock's value in materials that are neither slow movers nor
    /// erratic (XYZ class Z).
    pub structure: Option<f64>,
    /// Share of the dated stock's value received within [`AGED_AFTER_DAYS`].
    pub age: Option<f64>,
    /// One minus the value held beyond the policies' order-up-to levels and missing
    /// to their safety stocks, over the stock's value plus what is missing.
    pub fit: Option<f64>,
}

/// The health of the stock at one close.
pub fn health(materials: &[MaterialClose]) -> Health {
    let value: f64 = materials.iter().map(MaterialClose::value).sum();
    let risky: f64 = materials
        .iter()
        .filter(|m| m.slow() || m.volatile)
        .map(MaterialClose::value)
        .sum();
    let structure = share(value - risky, value);

    let dated: f64 = materials.iter().map(|m| m.age.dated as f64 * m.unit_cost).sum();
    let aged: f64 = materials.iter().map(|m| m.age.aged as f64 * m.unit_cost).sum();
    let age = share(dated - aged, dated);

    let banded = materials.iter().filter(|m| m.band.is_some());
    let (held, off, missing) = banded.fold((0.0, 0.0, 0.0), |(held, off, missing), m| {
        let short = m.shortfall() * m.unit_cost;
        (
            held + m.value(),
            off + m.excess() * m.unit_cost + short,
            missing + short,
        )
    });
    let fit = share(held + missing - off, held + missing);

    let parts: Vec<f64> = [structure, age, fit].into_iter().flatten().collect();
    let index = (!parts.is_empty()).then(|| 100.0 * parts.iter().sum::<f64>() / parts.len() as f64);
    Health {
        index,
        structure,
        age,
        fit,
    }
}

/// Times a year the stock turns: what the orders used per day, a year of it, over the
/// mean stock value of the closes. `used` holds each day's use at cost; `None` without
/// days, closes or stock.
pub fn turnover(used: &[f64], stock_values: &[f64]) -> Option<f64> {
    let use_per_day = mean(used)?;
    let stock = mean(stock_values).filter(|v| *v > 0.0)?;
    Some(use_per_day * 365.0 / stock)
}

/// Days the stock valued `stock_value` lasts at the mean daily use at cost of `used`;
/// `None` when nothing was used.
pub fn coverage_days(stock_value: f64, used: &[f64]) -> Option<f64> {
    let use_per_day = mean(used).filter(|u| *u > 0.0)?;
    Some(stock_value / use_per_day)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn share(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| (part / whole).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(d))
    }

    fn close(on_hand: f64, daily_use: f64) -> MaterialClose {
        MaterialClose {
            on_hand,
            unit_cost: 100.0,
            daily_use,
            age: Age::default(),
            band: None,
            volatile: false,
        }
    }

    #[test]
    fn the_newest_receipts_make_up_the_stock_and_the_rest_has_no_known_age() {
        // 30 units received on day 0, 20 on day 100, 10 on day 150; the close on day
        // 200 holds 45: the 10 and 20 newest (50 and 100 days old), 15 of day 0's.
        let receipts = [(day(0), 30), (day(150), 10), (day(100), 20), (day(250), 99)];
        let age = fifo_age(45, &receipts, day(200));
        assert_eq!(
            age,
            Age {
                dated: 45,
                aged: 15 + 20
            }
        );
        // Exactly 90 days old is not aged yet.
        assert_eq!(fifo_age(10, &[(day(10), 10)], day(100)).aged, 0);
        assert_eq!(fifo_age(10, &[(day(10), 10)], day(101)).aged, 10);
        // More on hand than received: the excess is undated.
        assert_eq!(fifo_age(80, &receipts, day(200)), Age { dated: 60, aged: 50 });
        assert_eq!(fifo_age(-3, &receipts, day(200)), Age::default());
    }

    #[test]
    fn slow_movers_outlast_half_a_year_or_are_never_used() {
        assert!(!close(179.0, 1.0).slow());
        assert!(close(181.0, 1.0).slow());
        assert!(close(1.0, 0.0).slow());
        assert!(!close(0.0, 0.0).slow(), "no stock, nothing slow");
        assert_eq!(close(50.0, 2.0).coverage_days(), Some(25.0));
        assert_eq!(close(50.0, 0.0).coverage_days(), None);
    }

    #[test]
    fn health_combines_structure_age_and_fit_over_value() {
        // A: 100 units (10,000), used 2 a day, 60 of them dated and 20 of those aged,
        // band 20..80: 20 units of excess. B: erratic, 50 units (5,000), band 10..100.
        // C: a slow mover, 10 units (1,000), nothing dated, band 30..60: 20 short.
        let a = MaterialClose {
            age: Age { dated: 60, aged: 20 },
            band: Some(Band {
                safety_stock: 20.0,
                order_up_to: 80.0,
            }),
            ..close(100.0, 2.0)
        };
        let b = MaterialClose {
            volatile: true,
            band: Some(Band {
                safety_stock: 10.0,
                order_up_to: 100.0,
            }),
            ..close(50.0, 5.0)
        };
        let c = MaterialClose {
            band: Some(Band {
                safety_stock: 30.0,
                order_up_to: 60.0,
            }),
            ..close(10.0, 0.0)
        };
        let h = health(&[a, b, c]);
        // Structure: B (erratic) and C (slow) are 6,000 of 16,000.
        assert_eq!(h.structure, Some(10_000.0 / 16_000.0));
        // Age: 2,000 aged of 6,000 dated.
        assert_eq!(h.age, Some(4_000.0 / 6_000.0));
        // Fit: 2,000 excess (A) + 2,000 short (C) over 16,000 held + 2,000 short.
        assert_eq!(h.fit, Some(14_000.0 / 18_000.0));
        let mean = (10.0 / 16.0 + 4.0 / 6.0 + 14.0 / 18.0) / 3.0;
        assert!((h.index.unwrap() - 100.0 * mean).abs() < 1e-9);
    }

    #[test]
    fn a_part_without_anything_to_judge_is_left_out_of_the_index() {
        // Stock without a policy or a dated receipt: only the structure is judged.
        let h = health(&[close(10.0, 1.0)]);
        assert_eq!((h.structure, h.age, h.fit), (Some(1.0), None, None));
        assert_eq!(h.index, Some(100.0));
        assert_eq!(health(&[]), Health::default());
    }

    #[test]
    fn turnover_and_coverage_read_the_use_against_the_stock() {
        // 200 a day used against a mean stock of 10,000: 7.3 turns a year, 50 days.
        let used = [100.0, 300.0];
        assert!((turnover(&used, &[8_000.0, 12_000.0]).unwrap() - 7.3).abs() < 1e-9);
        assert_eq!(coverage_days(10_000.0, &used), Some(50.0));
        assert_eq!(turnover(&used, &[]), None);
        assert_eq!(turnover(&used, &[0.0]), None);
        assert_eq!(coverage_days(10_000.0, &[0.0, 0.0]), None);
    }
}
