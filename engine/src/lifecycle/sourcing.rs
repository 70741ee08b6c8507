//! Split sourcing (PRODUCT.md, "Rule-bounded autonomy": "release a top-up to the
//! second supplier when the first is late, and lower the first one's forecast share").
//!
//! Each supplier offer of a material carries a forecast share: a weight from 0 to
//! [`FULL_SHARE`]. The material's forecast splits between its active offers in
//! proportion to their weights ([`split`]), and replenishment plans with the largest.
//! Every offer starts at the full share, so a material with two offers splits evenly
//! and plans with the faster one until a supplier proves late.
//!
//! When a top-up from a second supplier makes up for a late one, [`lower_late_share`]
//! halves the late supplier's weight (rounded down) and gives what it lost to the
//! top-up's supplier, up to the full share. Halving, not zeroing: one late delivery is
//! evidence against a supplier, not a verdict, and a supplier late again keeps losing.

use serde::{Deserialize, Serialize};

/// The largest (and starting) forecast share of an offer.
pub const FULL_SHARE: i32 = 100;

/// Both suppliers' shares before and after a top-up made up for the late one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareShift {
    /// The late supplier's share before.
    pub late_before: i32,
    /// … and after: half, rounded down.
    pub late_after: i32,
    /// The top-up supplier's share before.
    pub top_up_before: i32,
    /// … and after: what the late one lost added, at most [`FULL_SHARE`].
    pub top_up_after: i32,
}

/// The shares after a top-up from the supplier at `top_up` made up for the one at
/// `late` (shares outside 0–[`FULL_SHARE`] are read as the nearest bound).
pub fn lower_late_share(late: i32, top_up: i32) -> ShareShift {
    let (late, top_up) = (late.clamp(0, FULL_SHARE), top_up.clamp(0, FULL_SHARE));
    let late_after = late / 2;
    ShareShift {
        late_before: late,
        late_after,
        top_up_before: top_up,
        top_up_after: (top_up + late - late_after).min(FULL_SHARE),
    }
}

/// Each offer's fraction of the forecast, in the order given: its weight over the sum
/// of the weights. All zero (nobody is planned for) splits evenly, so the forecast is
/// never lost.
pub fn split(shares: &[i32]) -> Vec<f64> {
    let weights: Vec<f64> = shares
        .iter()
        .map(|&s| f64::from(s.clamp(0, FULL_SHARE)))
        .collect();
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        let even = 1.0 / shares.len().max(1) as f64;
        return vec![even; shares.len()];
    }
    weights.iter().map(|w| w / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_supplier_at_the_full_share_drops_to_half_and_the_top_up_stays_full() {
        let shift = lower_late_share(100, 100);
        assert_eq!((shift.late_after, shift.top_up_after), (50, 100));
        // Planned as one third and two thirds of the forecast.
        let fractions = split(&[shift.late_after, shift.top_up_after]);
        assert!((fractions[0] - 1.0 / 3.0).abs() < 1e-12, "{fractions:?}");
        assert!((fractions[1] - 2.0 / 3.0).abs() < 1e-12, "{fractions:?}");
    }

    #[test]
    fn what_the_late_supplier_loses_goes_to_the_top_up_up_to_the_full_share() {
        assert_eq!(
            lower_late_share(60, 10),
            ShareShift {
                late_before: 60,
                late_after: 30,
                top_up_before: 10,
                top_up_after: 40
            }
        );
        // Odd shares round the late one down: it loses the larger half.
        assert_eq!(lower_late_share(45, 90).late_after, 22);
        assert_eq!(lower_late_share(45, 90).top_up_after, 100);
    }

    #[test]
    fn a_supplier_late_again_keeps_losing_until_nothing_is_left() {
        let mut late = FULL_SHARE;
        let mut seen = Vec::new();
        for _ in 0..8 {
            late = lower_late_share(late, FULL_SHARE).late_after;
            seen.push(late);
        }
        assert_eq!(seen, [50, 25, 12, 6, 3, 1, 0, 0]);
    }

    #[test]
    fn shares_out_of_range_are_read_as_the_nearest_bound() {
        let shift = lower_late_share(250, -5);
        assert_eq!((shift.late_before, shift.top_up_before), (100, 0));
        assert_eq!((shift.late_after, shift.top_up_after), (50, 50));
    }

    #[test]
    fn the_forecast_splits_in_proportion_and_evenly_when_every_share_is_zero() {
        assert_eq!(split(&[100, 100]), vec![0.5, 0.5]);
        assert_eq!(split(&[75, 25, 0]), vec![0.75, 0.25, 0.0]);
        assert_eq!(split(&[0, 0, 0, 0]), vec![0.25; 4]);
        assert!(split(&[]).is_empty());
    }
}
