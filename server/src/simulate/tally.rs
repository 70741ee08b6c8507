//! What a run counts as it goes (each shopper, each order and its delivery, the stock's
//! value each day) and the figures of any part of it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use engine::kpi::{self, Ending, Promise};

use super::report::{Figures, Lost, ReliabilityPoint, Week};

/// How a shopper's visit ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit {
    /// They ordered.
    Ordered,
    /// Frozen or not suppliable.
    Unavailable,
    /// The promise was too far off for them.
    TooSlow,
    /// The booking was refused.
    Refused,
}

/// One order from booking to delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The day it was placed.
    pub placed: NaiveDate,
    /// Its P50, P90 and promised dates.
    pub p50: NaiveDate,
    /// See `p50`.
    pub p90: NaiveDate,
    /// See `p50`.
    pub promised: NaiveDate,
    /// When it arrived.
    pub delivered: Option<NaiveDate>,
    /// Cancelled by the customer.
    pub cancelled: bool,
    /// Its promise rests on a slipping supplier.
    pub slipping: bool,
}

/// Everything counted in one run.
#[derive(Debug, Default)]
pub struct Tally {
    visits: Vec<(NaiveDate, u32, Visit)>,
    orders: BTreeMap<i64, Outcome>,
    /// Per day: the stock's value at its end and the value received during it.
    stock: Vec<(NaiveDate, i64, i64)>,
}

impl Tally {
    /// A shopper wanting `units` on `day` ended as `visit`.
    pub fn visit(&mut self, day: NaiveDate, units: u32, visit: Visit) {
        self.visits.push((day, units, visit));
    }

    /// Orders booked so far.
    pub fn orders(&self) -> u32 {
        self.orders.len() as u32
    }

    /// Order `id` was booked.
    pub fn booked(&mut self, id: i64, outcome: Outcome) {
        self.orders.insert(id, outcome);
    }

    /// Order `id` arrived on `day`.
    pub fn delivered(&mut self, id: i64, day: NaiveDate) {
        if let Some(o) = self.orders.get_mut(&id) {
            o.delivered = Some(day);
        }
    }

    /// Order `id` was cancelled by its customer.
    pub fn cancelled(&mut self, id: i64) {
        if let Some(o) = self.orders.get_mut(&id) {
            o.cancelled = true;
        }
    }

    /// At the end of `day` the stock was worth `value`; `received` came in during it.
    pub fn stock(&mut self, day: NaiveDate, value: i64, received: i64) {
        self.stock.push((day, value, received));
    }

    /// The figures of the shoppers and orders of days `from..to`, of every order or only
    /// those resting on a slipping supplier.
    pub fn figures(&self, from: NaiveDate, to: NaiveDate, slipping_only: bool) -> Figures {
        let within = |day: NaiveDate| from <= day && day < to;
        let mut f = Figures::default();
        let (mut wanted, mut booked) = (0u64, 0u64);
        if !slipping_only {
            for &(_, units, visit) in self.visits.iter().filter(|v| within(v.0)) {
                f.shoppers += 1;
                wanted += u64::from(units);
                match visit {
                    Visit::Ordered => booked += u64::from(units),
                    Visit::Unavailable => f.lost.unavailable += 1,
                    Visit::TooSlow => f.lost.too_slow += 1,
                    Visit::Refused => f.lost.refused += 1,
                }
            }
            f.fill_rate = share(booked as f64, wanted as f64);
        }
        let orders: Vec<&Outcome> = self
            .orders
            .values()
            .filter(|o| within(o.placed) && (!slipping_only || o.slipping))
            .collect();
        f.orders = orders.len() as u32;
        f.cancelled = orders.iter().filter(|o| o.cancelled).count() as u32;
        let delivered: Vec<(Promise, NaiveDate)> = orders
            .iter()
            .filter_map(|o| {
                let promise = Promise {
                    p50: o.p50,
                    p90: o.p90,
                    promised: o.promised,
                };
                o.delivered.map(|d| (promise, d))
            })
            .collect();
        let accuracy = kpi::accuracy(&delivered);
        f.delivered = accuracy.delivered;
        f.by_p50 = accuracy.by_p50;
        f.by_p90 = accuracy.by_p90;
        f.by_promise = accuracy.by_promise;
        f.before_p50 = accuracy.before_p50;
        f.before_p90 = accuracy.before_p90;
        f.before_promise = accuracy.before_promise;
        f.mean_abs_error_days = accuracy.mean_abs_error_days;
        f.p95_abs_error_days = accuracy.p95_abs_error_days;
        // The replay's customers cancel; the shop never does, and a customer's own
        // cancellation is not the shop's failure, so it leaves the count.
        let ended: Vec<(Promise, Ending)> = delivered
            .iter()
            .map(|(p, d)| (*p, Ending::Delivered(*d)))
            .collect();
        f.perfect_order_rate = kpi::perfect_order_rate(&ended);
        if !slipping_only {
            let days: Vec<&(NaiveDate, i64, i64)> = self.stock.iter().filter(|s| within(s.0)).collect();
            if !days.is_empty() {
                let mean = days.iter().map(|s| s.1 as f64).sum::<f64>() / days.len() as f64;
                f.inventory_value_minor = mean.round() as i64;
                let before = self
                    .stock
                    .iter()
                    .take_while(|s| s.0 < from)
                    .last()
                    .map_or(days[0].1, |s| s.1);
                let received: i64 = days.iter().map(|s| s.2).sum();
                let consumed = (before + received - days[days.len() - 1].1) as f64;
                f.turnover = share(consumed * 365.0 / days.len() as f64, mean);
            }
        }
        f
    }

    /// The figures of each week from `start` to `end`.
    pub fn weeks(&self, start: NaiveDate, end: NaiveDate) -> Vec<Week> {
        let mut weeks = Vec::new();
        let mut from = start;
        while from < end {
            let to = (from + chrono::Days::new(7)).min(end);
            weeks.push(Week {
                start: from,
                figures: self.figures(from, to, false),
            });
            from = to;
        }
        weeks
    }

    /// The reliability diagram's points for `figures` at promise quantile `promise`.
    pub fn reliability(figures: &Figures, promise: f64) -> Vec<ReliabilityPoint> {
        let point = |label: &str, quantile: f64, kept: Option<f64>| ReliabilityPoint {
            label: label.into(),
            quantile,
            kept,
        };
        vec![
            point("P50", 0.5, figures.by_p50),
            point("P90", 0.9, figures.by_p90),
            point("promise", promise, figures.by_promise),
        ]
    }
}

fn share(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

impl Lost {
    /// All shoppers lost.
    pub fn total(&self) -> u32 {
        self.unavailable + self.too_slow + self.refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, day).unwrap()
    }

    fn order(placed: u32, p50: u32, p90: u32, promised: u32, delivered: Option<u32>) -> Outcome {
        Outcome {
            placed: d(placed),
            p50: d(p50),
            p90: d(p90),
            promised: d(promised),
            delivered: delivered.map(d),
            cancelled: false,
            slipping: false,
        }
    }

    #[test]
    fn shares_errors_and_losses_are_counted_over_the_period() {
        let mut t = Tally::default();
        t.booked(1, order(1, 5, 7, 8, Some(5)));
        t.booked(2, order(1, 5, 7, 8, Some(7)));
        t.booked(3, order(2, 6, 8, 9, Some(10)));
        t.booked(4, order(2, 6, 8, 9, None));
        t.booked(5, order(9, 12, 14, 15, Some(11)));
        for _ in 0..4 {
            t.visit(d(1), 2, Visit::Ordered);
        }
        t.visit(d(2), 1, Visit::TooSlow);
        t.visit(d(2), 1, Visit::Unavailable);
        let f = t.figures(d(1), d(8), false);
        assert_eq!((f.shoppers, f.orders, f.delivered), (6, 4, 3));
        assert_eq!(f.by_p50, Some(1.0 / 3.0));
        assert_eq!(f.by_p90, Some(2.0 / 3.0));
        assert_eq!(f.by_promise, Some(2.0 / 3.0));
        assert_eq!((f.before_p50, f.before_p90), (Some(0.0), Some(1.0 / 3.0)));
        // |0|, |2|, |4| days from P50.
        assert_eq!(f.mean_abs_error_days, Some(2.0));
        assert_eq!(f.p95_abs_error_days, Some(4.0));
        assert_eq!(f.fill_rate, Some(0.8));
        assert_eq!((f.lost.too_slow, f.lost.unavailable, f.lost.total()), (1, 1, 2));
        let late = t.figures(d(8), d(20), false);
        assert_eq!((late.orders, late.by_p50), (1, Some(1.0)));
        assert_eq!(t.figures(d(20), d(25), false).by_p50, None);
    }

    #[test]
    fn turnover_is_what_was_consumed_over_the_mean_stock() {
        let mut t = Tally::default();
        t.stock(d(1), 1_000, 0);
        t.stock(d(2), 900, 0);
        t.stock(d(3), 1_100, 300);
        let f = t.figures(d(2), d(4), false);
        // From 1,000: 100 used on day 2, 100 on day 3 (300 in, 200 more on hand).
        assert_eq!(f.inventory_value_minor, 1_000);
        let turnover = f.turnover.unwrap();
        assert!(
            (turnover - 200.0 * 365.0 / 2.0 / 1_000.0).abs() < 1e-9,
            "{turnover}"
        );
    }
}
