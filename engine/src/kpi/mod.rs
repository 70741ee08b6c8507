//! Whether promises came true, as the dashboard and the replay measure it
//! (`docs/kpis.md`): the share of deliveries made by each quoted date, the error of the
//! median date in days, and the perfect order rate. How the stock stands (turnover,
//! coverage, the health index) is [`inventory`]; how soon policies follow demand is
//! [`sensing`].
//!
//! One definition for both: the replay's report and the merchant's dashboard must
//! never disagree on what "kept" means. Dates are whole days and a delivery on the
//! quoted day counts as kept.

pub mod inventory;
pub mod sensing;

use chrono::NaiveDate;

/// The dates an order was quoted and promised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Promise {
    /// The median date shown (P50).
    pub p50: NaiveDate,
    /// The late end of the range shown (P90).
    pub p90: NaiveDate,
    /// The "arrives by" date the order committed to.
    pub promised: NaiveDate,
}

/// How an order ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It arrived, complete, on this day.
    Delivered(NaiveDate),
    /// The shop called it off: a failed order.
    CancelledByShop,
    /// The customer called it off: not the shop's failure, so it leaves the count.
    CancelledByCustomer,
    /// Still open after its promised date: failed already, whenever it arrives.
    Overdue,
}

/// How well the quoted dates held, over the delivered orders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accuracy {
    /// Orders delivered (what the shares are over).
    pub delivered: u32,
    /// Share delivered on or before the P50 date.
    pub by_p50: Option<f64>,
    /// Share delivered on or before the P90 date.
    pub by_p90: Option<f64>,
    /// Share delivered on or before the promised date.
    pub by_promise: Option<f64>,
    /// Share delivered strictly before the P50 date. A calibrated P50 date has
    /// `before_p50 ≤ 0.5 ≤ by_p50`: the day itself carries the rest.
    pub before_p50: Option<f64>,
    /// Share delivered strictly before the P90 date.
    pub before_p90: Option<f64>,
    /// Share delivered strictly before the promised date.
    pub before_promise: Option<f64>,
    /// Mean absolute difference between the delivery and the P50 date, days.
    pub mean_abs_error_days: Option<f64>,
    /// 95th percentile (nearest rank) of that difference, days.
    pub p95_abs_error_days: Option<f64>,
}

/// The accuracy of `delivered` orders: each promise with the day it arrived.
pub fn accuracy(delivered: &[(Promise, NaiveDate)]) -> Accuracy {
    let n = delivered.len() as f64;
    let share_where = |kept: &dyn Fn(&Promise, NaiveDate) -> bool| {
        share(delivered.iter().filter(|(p, d)| kept(p, *d)).count() as f64, n)
    };
    let mut errors: Vec<f64> = delivered
        .iter()
        .map(|(p, d)| (*d - p.p50).num_days().abs() as f64)
        .collect();
    errors.sort_by(f64::total_cmp);
    Accuracy {
        delivered: delivered.len() as u32,
        by_p50: share_where(&|p, d| d <= p.p50),
        by_p90: share_where(&|p, d| d <= p.p90),
        by_promise: share_where(&|p, d| d <= p.promised),
        before_p50: share_where(&|p, d| d < p.p50),
        before_p90: share_where(&|p, d| d < p.p90),
        before_promise: share_where(&|p, d| d < p.promised),
        mean_abs_error_days: share(errors.iter().sum(), n),
        p95_abs_error_days: nearest_rank(&errors, 0.95),
    }
}

/// Orders delivered complete by their promised date over the orders counted: those
/// delivered, cancelled by the shop or overdue; `None` when there are none.
pub fn perfect_order_rate(ended: &[(Promise, Ending)]) -> Option<f64> {
    let mut counted = 0u32;
    let mut perfect = 0u32;
    for (promise, ending) in ended {
        match ending {
            Ending::Delivered(day) => {
                counted += 1;
                perfect += u32::from(*day <= promise.promised);
            }
            Ending::CancelledByShop | Ending::Overdue => counted += 1,
            Ending::CancelledByCustomer => {}
        }
    }
    share(f64::from(perfect), f64::from(counted))
}

/// The `q` quantile of sorted `values` by nearest rank (the smallest value with at
/// least `q` of them at or below it).
fn nearest_rank(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[((n as f64 * q).ceil() as usize).clamp(1, n) - 1])
}

fn share(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    /// P50 the 10th, P90 the 13th, promised the 15th.
    fn promise() -> Promise {
        Promise {
            p50: day(10),
            p90: day(13),
            promised: day(15),
        }
    }

    #[test]
    fn shares_count_the_quoted_day_as_kept() {
        // Arrivals on the 8th, 10th, 12th, 14th and 20th.
        let delivered: Vec<_> = [8, 10, 12, 14, 20].map(|d| (promise(), day(d))).to_vec();
        let a = accuracy(&delivered);
        assert_eq!(a.delivered, 5);
        assert_eq!(a.by_p50, Some(2.0 / 5.0));
        assert_eq!(a.before_p50, Some(1.0 / 5.0));
        assert_eq!(a.by_p90, Some(3.0 / 5.0));
        assert_eq!(a.by_promise, Some(4.0 / 5.0));
        assert_eq!(a.before_promise, Some(4.0 / 5.0));
        // |−2| + 0 + 2 + 4 + 10 = 18 days over 5.
        assert_eq!(a.mean_abs_error_days, Some(18.0 / 5.0));
        // Nearest rank: ceil(5 × 0.95) = 5th of [0, 2, 2, 4, 10].
        assert_eq!(a.p95_abs_error_days, Some(10.0));
    }

    #[test]
    fn nothing_delivered_has_no_shares() {
        assert_eq!(accuracy(&[]), Accuracy::default());
        assert_eq!(perfect_order_rate(&[]), None);
    }

    #[test]
    fn shop_cancellations_and_overdue_orders_fail_customer_cancellations_leave_the_count() {
        let ended = [
            (promise(), Ending::Delivered(day(15))),
            (promise(), Ending::Delivered(day(16))),
            (promise(), Ending::CancelledByShop),
            (promise(), Ending::CancelledByCustomer),
            (promise(), Ending::Overdue),
        ];
        // One perfect out of four counted.
        assert_eq!(perfect_order_rate(&ended), Some(1.0 / 4.0));
        assert_eq!(
            perfect_order_rate(&[(promise(), Ending::CancelledByCustomer)]),
            None
        );
    }
}
