//! When a material is ready: the supply ladder of PRODUCT.md, "The quote", step 2,
//! for one material at one node.
//!
//! Supply is used in a fixed order: uncommitted stock on hand, then confirmed inbound
//! in ETA order, then a new order from the supplier. The supplier's lead time is
//! uncertain: P50 is its median day ([`median_day`]), P90 the mean plus 1.28 standard
//! deviations (the 90th percentile of a normal distribution, z = 1.2816).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The one-sided z-score of the 90th percentile of the standard normal distribution.
pub const Z_P90: f64 = 1.28;

/// The day a lead time whose median is `days` away is due. Lead times are whole days
/// (a receipt comes on the day its draw rounds to), so the median day is the first
/// whole day by which half have come, `⌈days − ½⌉`: a mean of 13.2 days is day 13,
/// kept by 53 % of such orders when they spread by 3.8 days, where `⌈13.2⌉` is kept by
/// 63 %.
pub fn median_day(days: f64) -> u32 {
    (days - 0.5).ceil().max(0.0) as u32
}

/// A confirmed purchase order or transfer arriving at the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    /// Expected arrival.
    pub eta: NaiveDate,
    /// Quantity not yet promised to anyone.
    pub uncommitted: i64,
}

/// How an active supplier replenishes the material.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replenishment {
    /// Mean lead time in days.
    pub lead_time_mean_days: f64,
    /// Standard deviation of the lead time in days.
    pub lead_time_sd_days: f64,
    /// Minimum order quantity.
    pub moq: i64,
    /// Orders are whole multiples of this.
    pub pack_size: i64,
}

impl Replenishment {
    /// The quantity to order to cover `shortfall`: at least the MOQ, rounded up to
    /// whole packs.
    pub fn order_quantity(&self, shortfall: i64) -> i64 {
        let wanted = shortfall.max(self.moq).max(0);
        let pack = self.pack_size.max(1);
        // Both are non-negative; `i64::div_ceil` is not stable yet.
        (wanted + pack - 1) / pack * pack
    }
}

/// Everything that can supply a material at a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MaterialSupply {
    /// On hand.
    pub on_hand: i64,
    /// Of which already promised to orders.
    pub reserved: i64,
    /// Confirmed inbound, in any order.
    pub inbound: Vec<Inbound>,
    /// The fastest active supplier, if any.
    pub replenishment: Option<Replenishment>,
}

/// Where the last needed unit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReadySource {
    /// Stock on hand covers the requirement.
    OnHand,
    /// Waiting for the inbound arriving on this date.
    Inbound {
        /// Its expected arrival.
        eta: NaiveDate,
    },
    /// A new supplier order of this quantity is needed.
    Replenishment {
        /// The order quantity (MOQ and pack size applied).
        order_quantity: i64,
    },
}

/// When a requirement is covered, as a median and a pessimistic date.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadyDate {
    /// Median (P50) date.
    pub p50: NaiveDate,
    /// 90th percentile date; equal to `p50` for stock and confirmed inbound.
    pub p90: NaiveDate,
    /// What covers the last unit.
    pub source: ReadySource,
}

impl MaterialSupply {
    /// The earliest date at which uncommitted supply covers `required`, or `None` when
    /// nothing can (no stock or inbound enough and no active supplier).
    ///
    /// A new supplier order runs in parallel with what is already inbound, so it wins
    /// whenever it would arrive before the inbound that completes the requirement; the
    /// P90 date is then the earlier of its pessimistic arrival and that inbound.
    pub fn ready_date(&self, required: i64, today: NaiveDate) -> Option<ReadyDate> {
        let uncommitted = (self.on_hand - self.reserved).max(0);
        let mut covered = uncommitted;
        if covered >= required {
            return Some(ReadyDate {
                p50: today,
                p90: today,
                source: ReadySource::OnHand,
            });
        }
        let mut inbound = self.inbound.clone();
        inbound.sort_by_key(|i| i.eta);
        let mut by_inbound = None;
        for arrival in inbound {
            covered += arrival.uncommitted.max(0);
            if covered >= required {
                by_inbound = Some(arrival.eta.max(today));
                break;
            }
        }
        let by_supplier = self.replenishment.and_then(|supplier| {
            let p50_days = u64::from(median_day(supplier.lead_time_mean_days));
            let p90_days = (supplier.lead_time_mean_days + Z_P90 * supplier.lead_time_sd_days)
                .max(0.0)
                .ceil() as u64;
            let shortfall = required - uncommitted;
            Some(ReadyDate {
                p50: today.checked_add_days(Days::new(p50_days))?,
                p90: today.checked_add_days(Days::new(p90_days))?,
                source: ReadySource::Replenishment {
                    order_quantity: supplier.order_quantity(shortfall),
                },
            })
        });
        match (by_inbound, by_supplier) {
            (Some(eta), Some(order)) if order.p50 < eta => Some(ReadyDate {
                p90: order.p90.min(eta),
                ..order
            }),
            (Some(eta), _) => Some(ReadyDate {
                p50: eta,
                p90: eta,
                source: ReadySource::Inbound { eta },
            }),
            (None, order) => order,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn supply() -> MaterialSupply {
        MaterialSupply {
            on_hand: 500,
            reserved: 200,
            inbound: vec![
                Inbound {
                    eta: d(12, 10),
                    uncommitted: 400,
                },
                Inbound {
                    eta: d(12, 2),
                    uncommitted: 100,
                },
            ],
            replenishment: Some(Replenishment {
                lead_time_mean_days: 10.0,
                lead_time_sd_days: 2.5,
                moq: 1_000,
                pack_size: 250,
            }),
        }
    }

    #[test]
    fn uncommitted_stock_covers_today() {
        let ready = supply().ready_date(300, d(11, 25)).unwrap();
        assert_eq!(
            (ready.p50, ready.p90, ready.source),
            (d(11, 25), d(11, 25), ReadySource::OnHand)
        );
    }

    #[test]
    fn reserved_stock_is_never_promised_again() {
        // 300 uncommitted + the 2 Dec arrival of 100 = 400 >= 301.
        let ready = supply().ready_date(301, d(11, 25)).unwrap();
        assert_eq!(ready.source, ReadySource::Inbound { eta: d(12, 2) });
    }

    #[test]
    fn inbound_is_used_in_eta_order() {
        // 300 + 100 (2 Dec) = 400 < 700 <= 800 with the 10 Dec arrival.
        let s = MaterialSupply {
            replenishment: None,
            ..supply()
        };
        let ready = s.ready_date(700, d(11, 25)).unwrap();
        assert_eq!((ready.p50, ready.p90), (d(12, 10), d(12, 10)));
        assert_eq!(ready.source, ReadySource::Inbound { eta: d(12, 10) });
    }

    #[test]
    fn the_supplier_fills_the_rest_with_p90_from_the_deviation() {
        // Without waiting for inbound: shortfall 1000 - 300 = 700 -> MOQ 1000 (four packs).
        // P50 = 25 Nov + 10 days; P90 = 25 Nov + ceil(10 + 1.28 x 2.5 = 13.2) = 14 days.
        let ready = supply().ready_date(1_000, d(11, 25)).unwrap();
        assert_eq!(ready.p50, d(12, 5));
        assert_eq!(ready.p90, d(12, 9));
        assert_eq!(
            ready.source,
            ReadySource::Replenishment {
                order_quantity: 1_000
            }
        );
    }

    #[test]
    fn the_median_day_is_the_first_whole_day_half_are_in_by() {
        use crate::policy::normal::normal_cdf;
        // A lead time drawn from N(mean, sd) comes on the day its draw rounds to, so by
        // day d with probability Φ((d + ½ − mean) / sd).
        let by = |day: u32, mean: f64, sd: f64| normal_cdf((f64::from(day) + 0.5 - mean) / sd);
        for tenths in 6..300 {
            let mean = f64::from(tenths) / 10.0;
            for sd in [0.5, 2.0, 3.8] {
                let day = median_day(mean);
                assert!(
                    by(day, mean, sd) >= 0.5,
                    "{mean} ± {sd}: day {day} keeps under half"
                );
                assert!(
                    by(day - 1, mean, sd) < 0.5,
                    "{mean} ± {sd}: day {} already keeps half",
                    day - 1
                );
            }
        }
        // Rounding up instead would be a day late for the learned canvas (13.2 days).
        assert_eq!(median_day(13.2), 13);
        assert_eq!((median_day(0.0), median_day(-3.0), median_day(0.7)), (0, 0, 1));
    }

    #[test]
    fn a_supplier_order_with_a_fractional_mean_arrives_on_its_median_day() {
        let s = MaterialSupply {
            replenishment: Some(Replenishment {
                lead_time_mean_days: 10.4,
                ..supply().replenishment.unwrap()
            }),
            ..supply()
        };
        // 25 Nov + 10 days: the draws of 10.4 ± 2.5 days round to 10 or less 53 % of
        // the time; P90 = ceil(10.4 + 1.28 × 2.5 = 13.6) = 14 days.
        let ready = s.ready_date(1_000, d(11, 25)).unwrap();
        assert_eq!((ready.p50, ready.p90), (d(12, 5), d(12, 9)));
    }

    #[test]
    fn a_supplier_order_arriving_before_the_last_inbound_wins() {
        // 300 + 100 (2 Dec) + 400 (20 Dec) covers 700 only on 20 Dec; an order placed
        // today arrives 5 Dec (P50), 9 Dec (P90).
        let mut s = supply();
        s.inbound[0].eta = d(12, 20);
        let ready = s.ready_date(700, d(11, 25)).unwrap();
        assert_eq!((ready.p50, ready.p90), (d(12, 5), d(12, 9)));
        // With the inbound on 7 Dec, P50 is still the order but P90 is the inbound.
        s.inbound[0].eta = d(12, 7);
        let ready = s.ready_date(700, d(11, 25)).unwrap();
        assert_eq!((ready.p50, ready.p90), (d(12, 5), d(12, 7)));
    }

    #[test]
    fn order_quantities_respect_moq_and_pack_size() {
        let r = Replenishment {
            lead_time_mean_days: 1.0,
            lead_time_sd_days: 0.0,
            moq: 100,
            pack_size: 30,
        };
        assert_eq!(r.order_quantity(10), 120);
        assert_eq!(r.order_quantity(121), 150);
        assert_eq!(r.order_quantity(150), 150);
    }

    #[test]
    fn without_a_supplier_a_shortage_has_no_date() {
        let s = MaterialSupply {
            replenishment: None,
            ..supply()
        };
        assert_eq!(s.ready_date(801, d(11, 25)), None);
        assert!(s.ready_date(800, d(11, 25)).is_some());
    }

    #[test]
    fn an_overdue_inbound_counts_from_today() {
        let s = MaterialSupply {
            on_hand: 0,
            reserved: 0,
            inbound: vec![Inbound {
                eta: d(11, 20),
                uncommitted: 5,
            }],
            replenishment: None,
        };
        assert_eq!(s.ready_date(5, d(11, 25)).unwrap().p50, d(11, 25));
    }

    proptest::proptest! {
        #[test]
        fn more_stock_never_makes_a_material_later(
            on_hand in 0i64..2_000, extra in 0i64..2_000, required in 1i64..3_000,
        ) {
            let today = d(11, 25);
            let base = MaterialSupply { on_hand, ..supply() };
            let more = MaterialSupply { on_hand: on_hand + extra, ..supply() };
            let (a, b) = (base.ready_date(required, today).unwrap(), more.ready_date(required, today).unwrap());
            proptest::prop_assert!(b.p50 <= a.p50 && b.p90 <= a.p90);
            proptest::prop_assert!(a.p50 >= today && a.p50 <= a.p90);
        }
    }
}
