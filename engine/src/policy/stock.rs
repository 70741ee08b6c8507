//! Safety stock, reorder point, order-up-to level and the order to place
//! (PRODUCT.md, "Policies").
//!
//! Quantities are computed in f64 units and rounded up to whole units once, where they
//! are stored and compared with stock ([`whole_units`]).

use serde::{Deserialize, Serialize};

/// A supplier's lead time: mean and standard deviation, in days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadTime {
    /// Mean lead time.
    pub mean_days: f64,
    /// Standard deviation of the lead time.
    pub sd_days: f64,
}

impl LeadTime {
    /// No lead time at all: what a material without an active supplier is computed
    /// with.
    pub const NONE: LeadTime = LeadTime {
        mean_days: 0.0,
        sd_days: 0.0,
    };
}

/// Safety stock when both daily demand and lead time vary, independently:
/// SS = z · √(LT · σd² + d̄² · σLT²).
///
/// Demand over a lead time is a sum of LT daily demands of variance σd², over a random
/// LT of variance σLT²; its variance is LT·σd² + d̄²·σLT² (the law of total variance,
/// e.g. Silver, Pyke & Peterson, "Inventory Management and Production Planning and
/// Scheduling", 3rd ed., 1998, on probabilistic lead times).
pub fn safety_stock(z: f64, d_mean: f64, d_sd: f64, lead_time: LeadTime) -> f64 {
    let variance =
        lead_time.mean_days * d_sd * d_sd + d_mean * d_mean * lead_time.sd_days * lead_time.sd_days;
    z * variance.sqrt()
}

/// ROP = d̄ · LT + SS: expected demand over the lead time plus the buffer.
pub fn reorder_point(d_mean: f64, lead_time: LeadTime, safety_stock: f64) -> f64 {
    d_mean * lead_time.mean_days + safety_stock
}

/// OUT = d̄ · (LT + review) + SS: an order placed now must last until the order after
/// the next review arrives.
pub fn order_up_to(d_mean: f64, lead_time: LeadTime, review_days: u32, safety_stock: f64) -> f64 {
    d_mean * (lead_time.mean_days + f64::from(review_days)) + safety_stock
}

/// Floating-point noise below which a quantity counts as whole: 2.1 × 10 is
/// 21.000000000000004 in f64, and must round up to 21, not 22.
const WHOLE_TOLERANCE: f64 = 1e-9;

/// A quantity rounded up to whole units, as it is stored: a buffer of 83.2 units needs
/// 84. Negative quantities and NaN give 0.
pub fn whole_units(quantity: f64) -> i64 {
    if quantity.is_nan() || quantity <= 0.0 {
        return 0;
    }
    // `as` saturates at i64::MAX, which no real quantity reaches.
    (quantity - WHOLE_TOLERANCE).ceil() as i64
}

/// The quantity to order now, in units.
///
/// Nothing while the stock `position` (on hand − reserved + confirmed inbound) is above
/// the reorder point `rop`; otherwise enough to bring the position up to `out`, at
/// least the supplier's minimum order `moq`, rounded up to a whole number of packs of
/// `pack` units. `rop` and `out` are the stored, whole-unit levels. A pack below 1
/// counts as 1 and a negative MOQ as none.
pub fn suggested_order(out: i64, position: i64, rop: i64, moq: i64, pack: i64) -> i64 {
    if position > rop {
        return 0;
    }
    let need = out.saturating_sub(position);
    if need <= 0 {
        return 0;
    }
    let pack = pack.max(1);
    let quantity = need.max(moq);
    let packs = quantity / pack + i64::from(quantity % pack != 0);
    packs * pack
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn textbook_reorder_point_when_demand_and_lead_time_both_vary() {
        // Issue 6's worked example: d̄ = 25/day, σd = 3, LT = 10 days, σLT = 2, z = 1.65.
        // Variance 10·3² + 25²·2² = 90 + 2500 = 2590; √2590 = 50.892; SS = 1.65 · 50.892
        // = 83.97; ROP = 25 · 10 + 83.97 = 333.97, stored as 334.
        let lt = LeadTime {
            mean_days: 10.0,
            sd_days: 2.0,
        };
        let ss = safety_stock(1.65, 25.0, 3.0, lt);
        assert!((ss - 83.97).abs() < 0.005, "SS = {ss}");
        let rop = reorder_point(25.0, lt, ss);
        assert!((333.9..334.0).contains(&rop), "ROP = {rop}");
        assert_eq!(whole_units(rop), 334);
        // With a weekly review: OUT = 25 · 17 + 83.97 = 508.97 → 509.
        assert_eq!(whole_units(order_up_to(25.0, lt, 7, ss)), 509);
    }

    #[test]
    fn a_fixed_lead_time_leaves_only_demand_variation() {
        // σLT = 0: SS = z · σd · √LT = 2 · 4 · 3 = 24.
        let lt = LeadTime {
            mean_days: 9.0,
            sd_days: 0.0,
        };
        assert!((safety_stock(2.0, 10.0, 4.0, lt) - 24.0).abs() < 1e-12);
    }

    #[test]
    fn rounding_up_ignores_floating_point_noise() {
        assert_eq!(whole_units(2.1 * 10.0), 21);
        assert_eq!(whole_units(83.2), 84);
        assert_eq!(whole_units(0.0), 0);
        assert_eq!(whole_units(-3.0), 0);
        assert_eq!(whole_units(f64::NAN), 0);
    }

    #[test]
    fn nothing_is_ordered_above_the_reorder_point() {
        assert_eq!(suggested_order(509, 335, 334, 1, 1), 0);
    }

    #[test]
    fn an_order_tops_up_to_the_order_up_to_level() {
        // At the reorder point: 509 − 334 = 175.
        assert_eq!(suggested_order(509, 334, 334, 1, 1), 175);
    }

    #[test]
    fn an_order_is_at_least_the_moq_then_whole_packs() {
        // Need 175: MOQ 200 lifts it to 200; packs of 48 round 200 up to 5 · 48 = 240.
        assert_eq!(suggested_order(509, 334, 334, 200, 48), 240);
        // Need 175, MOQ 100, packs of 25: 175 is already 7 packs.
        assert_eq!(suggested_order(509, 334, 334, 100, 25), 175);
        // A negative position (backorders) is needed too: 509 + 20 = 529 → 11 · 50 = 550.
        assert_eq!(suggested_order(509, -20, 334, 0, 50), 550);
    }

    proptest! {
        #[test]
        fn an_order_covers_the_need_in_whole_packs_with_less_than_a_pack_to_spare(
            out in 0i64..10_000, position in -1_000i64..10_000, moq in 0i64..500, pack in 1i64..100,
        ) {
            let order = suggested_order(out, position, position, moq, pack);
            let need = (out - position).max(0);
            if need == 0 {
                prop_assert_eq!(order, 0);
            } else {
                prop_assert_eq!(order % pack, 0);
                prop_assert!(order >= need.max(moq));
                prop_assert!(order - need.max(moq) < pack);
            }
        }

        #[test]
        fn safety_stock_grows_with_every_input(
            z in 0.0f64..4.0, d in 0.0f64..100.0, sd in 0.0f64..50.0, lt in 0.0f64..60.0, lt_sd in 0.0f64..20.0,
        ) {
            let ss = |z: f64, d: f64, sd: f64, mean_days: f64, sd_days: f64| {
                safety_stock(z, d, sd, LeadTime { mean_days, sd_days })
            };
            let base = ss(z, d, sd, lt, lt_sd);
            prop_assert!(base >= 0.0);
            prop_assert!(ss(z + 0.1, d, sd, lt, lt_sd) >= base);
            prop_assert!(ss(z, d + 1.0, sd, lt, lt_sd) >= base);
            prop_assert!(ss(z, d, sd + 1.0, lt, lt_sd) >= base);
            prop_assert!(ss(z, d, sd, lt + 1.0, lt_sd) >= base);
            prop_assert!(ss(z, d, sd, lt, lt_sd + 1.0) >= base);
        }
    }
}
