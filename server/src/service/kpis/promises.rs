//! The KPIs measured from orders (`docs/kpis.md`): whether the dates quoted and
//! promised came true, over a window of whole weeks ending today, week by week, and the
//! orders behind each.

use std::cmp::Reverse;

use app::model::dashboard::{DRILL_LIMIT, Drill, DrillOrder, Kpi, KpiGroup, KpiKey, WeekValue};
use chrono::NaiveDate;
use engine::kpi::{self, Ending, Promise};

use crate::store::entities::{OrderStatus, orders};

/// An order as the KPIs read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFacts {
    /// Row id.
    pub id: i64,
    /// The platform's reference.
    pub reference: String,
    /// Product slug.
    pub product: String,
    /// Its quoted and promised dates.
    pub promise: Promise,
    /// When it arrived, if it did.
    pub delivered: Option<NaiveDate>,
    /// Cancelled, and by the shop (`Some(true)`) or its customer (`Some(false)`).
    pub cancelled_by_shop: Option<bool>,
}

impl OrderFacts {
    /// The facts of stored order `o` of product `product`.
    pub fn of(o: orders::Model, product: String) -> OrderFacts {
        OrderFacts {
            id: o.id,
            product,
            promise: Promise {
                p50: o.quoted_p50,
                p90: o.quoted_p90,
                promised: o.promised_on,
            },
            delivered: o.delivered_on.filter(|_| o.status == OrderStatus::Delivered),
            cancelled_by_shop: (o.status == OrderStatus::Cancelled)
                .then(|| o.cancelled_by.as_deref() == Some("shop")),
            reference: o.reference,
        }
    }

    /// How it ended as of `today` for the perfect order rate; `None` while it can still
    /// be on time (open, due today or later).
    pub fn ending(&self, today: NaiveDate) -> Option<Ending> {
        match (self.delivered, self.cancelled_by_shop) {
            (Some(day), _) => Some(Ending::Delivered(day)),
            (None, Some(true)) => Some(Ending::CancelledByShop),
            (None, Some(false)) => Some(Ending::CancelledByCustomer),
            (None, None) if self.promise.promised < today => Some(Ending::Overdue),
            (None, None) => None,
        }
    }
}

/// The window: `weeks` whole weeks, the last ending `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub today: NaiveDate,
    /// Its length.
    pub weeks: u32,
}

impl Window {
    /// The `weeks` weeks ending `today`.
    pub fn ending(today: NaiveDate, weeks: u32) -> Window {
        let from = today - chrono::Days::new(u64::from(weeks) * 7 - 1);
        Window { from, today, weeks }
    }

    /// The week `day` falls in, if it is inside.
    pub fn week(&self, day: NaiveDate) -> Option<usize> {
        (self.from <= day && day <= self.today).then(|| ((day - self.from).num_days() / 7) as usize)
    }

    /// The first day of week `week` (0: the window's first).
    pub fn week_start(&self, week: usize) -> NaiveDate {
        self.from + chrono::Days::new(week as u64 * 7)
    }
}

/// The orders each KPI is over: due in the window (perfect order rate) or delivered
/// in it (the rest), each with the day that places it in a week.
fn behind(key: KpiKey, orders: &[OrderFacts], window: Window) -> Vec<(&OrderFacts, usize)> {
    orders
        .iter()
        .filter_map(|o| {
            let day = match key {
                KpiKey::PerfectOrderRate => {
                    o.ending(window.today)?;
                    o.promise.promised
                }
                _ => o.delivered?,
            };
            Some((o, window.week(day)?))
        })
        .collect()
}

/// `key`'s value over `orders` (all of them behind it), and a second figure beside it.
fn value(key: KpiKey, orders: &[&OrderFacts], today: NaiveDate) -> (Option<f64>, Option<f64>) {
    if key == KpiKey::PerfectOrderRate {
        let ended: Vec<(Promise, Ending)> = orders
            .iter()
            .filter_map(|o| Some((o.promise, o.ending(today)?)))
            .collect();
        return (kpi::perfect_order_rate(&ended), None);
    }
    let delivered: Vec<(Promise, NaiveDate)> = orders
        .iter()
        .filter_map(|o| Some((o.promise, o.delivered?)))
        .collect();
    let a = kpi::accuracy(&delivered);
    match key {
        KpiKey::ByPromise => (a.by_promise, None),
        KpiKey::ByP90 => (a.by_p90, None),
        KpiKey::ByP50 => (a.by_p50, a.before_p50),
        KpiKey::P50ErrorDays => (a.mean_abs_error_days, a.p95_abs_error_days),
        // Measured above, or not from orders at all.
        _ => (None, None),
    }
}

/// Every KPI measured from `orders` over `window`.
pub fn kpis(orders: &[OrderFacts], window: Window) -> Vec<Kpi> {
    KpiKey::ALL
        .into_iter()
        .filter(|key| key.group() == KpiGroup::Promises)
        .map(|key| {
            let behind = behind(key, orders, window);
            let all: Vec<&OrderFacts> = behind.iter().map(|(o, _)| *o).collect();
            let (value, aside) = value(key, &all, window.today);
            let weekly = (0..window.weeks as usize)
                .map(|week| {
                    let in_week: Vec<&OrderFacts> = behind
                        .iter()
                        .filter(|(_, w)| *w == week)
                        .map(|(o, _)| *o)
                        .collect();
                    WeekValue {
                        start: window.week_start(week),
                        value: value_of(key, &in_week, window.today),
                        count: counted(key, &in_week) as u32,
                    }
                })
                .collect();
            Kpi {
                key,
                value,
                basis: basis(key, counted(key, &all)),
                aside: aside.map(|a| match key {
                    KpiKey::ByP50 => format!("{:.1} % before it", a * 100.0),
                    _ => format!("P95 {a:.0} days"),
                }),
                weekly,
            }
        })
        .collect()
}

/// How many of `orders` the KPI counts: a customer's own cancellation leaves the
/// perfect order rate's count.
fn counted(key: KpiKey, orders: &[&OrderFacts]) -> usize {
    match key {
        KpiKey::PerfectOrderRate => orders
            .iter()
            .filter(|o| o.cancelled_by_shop != Some(false))
            .count(),
        _ => orders.len(),
    }
}

fn value_of(key: KpiKey, orders: &[&OrderFacts], today: NaiveDate) -> Option<f64> {
    value(key, orders, today).0
}

fn basis(key: KpiKey, n: usize) -> String {
    let orders = if n == 1 { "order" } else { "orders" };
    match key {
        KpiKey::PerfectOrderRate => format!("over {n} {orders} due"),
        _ => format!("over {n} {orders} delivered"),
    }
}

/// The orders behind `key` in `window`: those that count against it first, the
/// furthest off first, then the rest.
pub fn drill(key: KpiKey, orders: &[OrderFacts], window: Window) -> Drill {
    let mut rows: Vec<(DrillOrder, i64)> = behind(key, orders, window)
        .into_iter()
        .map(|(o, _)| drill_row(key, o, window.today))
        .collect();
    let total = rows.len() as u32;
    rows.sort_by_key(|(row, off)| (Reverse(row.missed), Reverse(*off), row.id));
    Drill {
        key,
        total,
        orders: rows.into_iter().take(DRILL_LIMIT).map(|(row, _)| row).collect(),
        materials: Vec::new(),
    }
}

/// One order's row, and how far off it is (days) for sorting.
fn drill_row(key: KpiKey, o: &OrderFacts, today: NaiveDate) -> (DrillOrder, i64) {
    let days = |n: i64| {
        if n.abs() == 1 {
            "1 day".to_string()
        } else {
            format!("{} days", n.abs())
        }
    };
    let against = |date: NaiveDate, name: &str| -> (String, bool, i64) {
        let Some(delivered) = o.delivered else {
            return ("not delivered".into(), false, 0);
        };
        let late = (delivered - date).num_days();
        match late {
            0 => (format!("on its {name} date"), false, 0),
            n if n > 0 => (format!("{} after its {name} date", days(n)), true, n),
            n => (format!("{} before its {name} date", days(n)), false, n),
        }
    };
    let (outcome, missed, off) = match key {
        KpiKey::PerfectOrderRate => match o.ending(today) {
            Some(Ending::Delivered(_)) => against(o.promise.promised, "promised"),
            Some(Ending::CancelledByShop) => ("cancelled by the shop".into(), true, 0),
            Some(Ending::CancelledByCustomer) => ("cancelled by the customer (not counted)".into(), false, 0),
            Some(Ending::Overdue) => {
                let n = (today - o.promise.promised).num_days();
                (format!("open, {} past its promised date", days(n)), true, n)
            }
            None => ("open, not due yet".into(), false, 0),
        },
        KpiKey::ByPromise => against(o.promise.promised, "promised"),
        KpiKey::ByP90 => against(o.promise.p90, "P90"),
        KpiKey::ByP50 => against(o.promise.p50, "P50"),
        KpiKey::P50ErrorDays => {
            let (outcome, _, off) = against(o.promise.p50, "P50");
            (outcome, off != 0, off.abs())
        }
        // The stock's KPIs list materials (`inventory::drill`), not orders.
        KpiKey::InventoryHealth
        | KpiKey::Turnover
        | KpiKey::CoverageDays
        | KpiKey::DemandSensing
        | KpiKey::ResilienceCost => (String::new(), false, 0),
    };
    let row = DrillOrder {
        id: o.id,
        reference: o.reference.clone(),
        product: o.product.clone(),
        p50: o.promise.p50,
        p90: o.promise.p90,
        promised: o.promise.promised,
        delivered: o.delivered,
        outcome,
        missed,
    };
    (row, off)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn order(id: i64, promised: u32, delivered: Option<u32>, cancelled_by_shop: Option<bool>) -> OrderFacts {
        OrderFacts {
            id,
            reference: format!("R-{id}"),
            product: "tote".into(),
            promise: Promise {
                p50: day(promised - 3),
                p90: day(promised - 1),
                promised: day(promised),
            },
            delivered: delivered.map(day),
            cancelled_by_shop,
        }
    }

    #[test]
    fn the_window_is_whole_weeks_ending_today() {
        let w = Window::ending(day(28), 2);
        assert_eq!(w.from, day(15));
        assert_eq!(w.week(day(14)), None);
        assert_eq!(w.week(day(15)), Some(0));
        assert_eq!(w.week(day(21)), Some(0));
        assert_eq!(w.week(day(22)), Some(1));
        assert_eq!(w.week(day(29)), None);
    }

    #[test]
    fn perfect_orders_by_due_week_with_failures_first_in_the_drill() {
        // Window: the 15th to the 28th. Week 0 (15th–21st): one on time, one a day
        // late, one cancelled by the customer. Week 1: one cancelled by the shop, one
        // overdue, one due today and open (not counted yet).
        let orders = vec![
            order(1, 16, Some(16), None),
            order(2, 18, Some(19), None),
            order(3, 20, None, Some(false)),
            order(4, 23, None, Some(true)),
            order(5, 25, None, None),
            order(6, 28, None, None),
            // Due before the window: not counted.
            order(7, 10, Some(9), None),
        ];
        let w = Window::ending(day(28), 2);
        let kpis = kpis(&orders, w);
        let perfect = &kpis[0];
        assert_eq!(perfect.key, KpiKey::PerfectOrderRate);
        assert_eq!(perfect.value, Some(1.0 / 4.0));
        assert_eq!(perfect.basis, "over 4 orders due");
        assert_eq!(perfect.weekly[0].value, Some(0.5));
        assert_eq!(perfect.weekly[0].count, 2);
        assert_eq!(perfect.weekly[1].value, Some(0.0));
        let d = drill(KpiKey::PerfectOrderRate, &orders, w);
        assert_eq!(d.total, 5);
        let ids: Vec<i64> = d.orders.iter().map(|o| o.id).collect();
        // Missed first, furthest off first: overdue 3 days, a day late, the shop's
        // cancellation; then the rest.
        assert_eq!(ids, vec![5, 2, 4, 1, 3]);
        assert_eq!(d.orders[0].outcome, "open, 3 days past its promised date");
        assert_eq!(d.orders[1].outcome, "1 day after its promised date");
    }

    #[test]
    fn accuracy_kpis_are_over_deliveries_in_the_window() {
        // Delivered the 16th (P50 the 13th, P90 the 15th, promised the 16th) and the
        // 24th (P50 the 22nd, P90 the 24th, promised the 25th).
        let orders = vec![order(1, 16, Some(16), None), order(2, 25, Some(24), None)];
        let kpis = kpis(&orders, Window::ending(day(28), 2));
        let by = |key| kpis.iter().find(|k| k.key == key).unwrap();
        assert_eq!(by(KpiKey::ByPromise).value, Some(1.0));
        assert_eq!(by(KpiKey::ByP90).value, Some(0.5));
        assert_eq!(by(KpiKey::ByP50).value, Some(0.0));
        assert_eq!(by(KpiKey::P50ErrorDays).value, Some(2.5));
        assert_eq!(by(KpiKey::P50ErrorDays).aside.as_deref(), Some("P95 3 days"));
        assert_eq!(by(KpiKey::ByP90).weekly[0].value, Some(0.0));
        assert_eq!(by(KpiKey::ByP90).weekly[1].value, Some(1.0));
        assert_eq!(by(KpiKey::ByP90).basis, "over 2 orders delivered");
    }
}
