//! Demand patterns after Syntetos, Boylan & Croston (2005), "On the categorization of
//! demand patterns", Journal of the Operational Research Society 56(5), 495–503.
//!
//! Two numbers describe a daily series: how far apart demands are (ADI) and how much
//! their sizes vary (CV²). The cut-offs 1.32 and 0.49 are where, in that paper, one
//! forecasting method starts to beat the other.

use serde::{Deserialize, Serialize};

use super::sums::sum_by;

/// ADI at or above which demand counts as intermittent.
pub const ADI_CUTOFF: f64 = 1.32;
/// CV² at or above which demand sizes count as variable.
pub const CV2_CUTOFF: f64 = 0.49;

/// The Syntetos–Boylan quadrant of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    /// Frequent demands of steady size.
    Smooth,
    /// Frequent demands of varying size.
    Erratic,
    /// Infrequent demands of steady size.
    Intermittent,
    /// Infrequent demands of varying size.
    Lumpy,
}

impl DemandClass {
    /// The quadrant of an (ADI, CV²) pair: below both cut-offs is smooth; a value on a
    /// cut-off counts as above it.
    pub fn of(adi: f64, cv2: f64) -> DemandClass {
        match (adi < ADI_CUTOFF, cv2 < CV2_CUTOFF) {
            (true, true) => DemandClass::Smooth,
            (true, false) => DemandClass::Erratic,
            (false, true) => DemandClass::Intermittent,
            (false, false) => DemandClass::Lumpy,
        }
    }

    /// Whether demands are infrequent (intermittent or lumpy).
    pub fn is_intermittent(self) -> bool {
        matches!(self, DemandClass::Intermittent | DemandClass::Lumpy)
    }
}

/// What the classification saw in a series, kept so a merchant can see why.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemandProfile {
    /// Average demand interval, in days: the mean of the intervals Croston's method
    /// smooths (the first counted from the start of the series).
    pub adi: f64,
    /// Squared coefficient of variation of the non-zero demand sizes.
    pub cv2: f64,
    /// How many days had demand.
    pub nonzero: usize,
    /// The quadrant.
    pub class: DemandClass,
}

/// Classifies a daily series (oldest first); `None` when no day has demand, since
/// neither ADI nor CV² exists then.
///
/// A day has demand when its value is positive. Intervals are counted as Croston's
/// method counts them: the first is the 1-based position of the first demand, the
/// others the distances between demands. Their sum telescopes to the position of the
/// last demand, so ADI = (1-based position of the last demand) / (number of demands).
/// CV² uses the sample standard deviation (n − 1) of the sizes; with a single demand
/// it is 0.
pub fn profile(series: &[f64]) -> Option<DemandProfile> {
    // Written without branches on the data: whether a day has demand is as good as
    // random for intermittent series, and a mispredicted branch per day would cost more
    // than the arithmetic.
    let last_position = series.iter().rposition(|&x| x > 0.0)? + 1;
    let nonzero = series.iter().filter(|&&x| x > 0.0).count();
    let n = nonzero as f64;
    let mean = sum_by(series, |x| if x > 0.0 { x } else { 0.0 }) / n;
    let cv2 = if nonzero < 2 {
        0.0
    } else {
        // Two passes: the squared deviations are summed around the true mean, which
        // keeps precision where a running sum of squares would cancel.
        let squares = sum_by(series, |x| if x > 0.0 { (x - mean) * (x - mean) } else { 0.0 });
        squares / (n - 1.0) / (mean * mean)
    };
    let adi = last_position as f64 / n;
    Some(DemandProfile {
        adi,
        cv2,
        nonzero,
        class: DemandClass::of(adi, cv2),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[track_caller]
    fn check(series: &[f64], adi: f64, cv2: f64, class: DemandClass) {
        let p = profile(series).expect("the series has demand");
        assert!((p.adi - adi).abs() < 1e-12, "ADI {} != {adi}", p.adi);
        assert!((p.cv2 - cv2).abs() < 1e-12, "CV² {} != {cv2}", p.cv2);
        assert_eq!(p.class, class);
    }

    #[test]
    fn sparse_steady_demand_is_intermittent() {
        // Demands on days 3, 7, 9 (1-based): intervals 3, 4, 2, ADI = 9 / 3 = 3.
        // Sizes 3, 2, 1: mean 2, sample variance (1 + 0 + 1) / 2 = 1, CV² = 1 / 4.
        check(
            &[0., 0., 3., 0., 0., 0., 2., 0., 1., 0.],
            3.0,
            0.25,
            DemandClass::Intermittent,
        );
    }

    #[test]
    fn sparse_varying_demand_is_lumpy() {
        // Days 2, 4, 6: ADI = 6 / 3 = 2. Sizes 1, 10, 1: mean 4, variance
        // (9 + 36 + 9) / 2 = 27, CV² = 27 / 16 = 1.6875.
        check(&[0., 1., 0., 10., 0., 1.], 2.0, 1.6875, DemandClass::Lumpy);
    }

    #[test]
    fn daily_steady_demand_is_smooth() {
        // Every day: ADI = 4 / 4 = 1. Sizes 4, 5, 6, 5: mean 5, variance 2 / 3,
        // CV² = (2 / 3) / 25.
        check(&[4., 5., 6., 5.], 1.0, 2.0 / 75.0, DemandClass::Smooth);
    }

    #[test]
    fn daily_varying_demand_is_erratic() {
        // ADI 1; sizes 1, 9: mean 5, variance 32, CV² = 32 / 25 = 1.28.
        check(&[1., 9.], 1.0, 1.28, DemandClass::Erratic);
    }

    #[test]
    fn the_first_interval_counts_from_the_start_of_the_series() {
        // One demand on day 5: one interval of 5, so ADI 5 even though nothing
        // precedes it; one size, so CV² 0.
        check(&[0., 0., 0., 0., 7.], 5.0, 0.0, DemandClass::Intermittent);
    }

    #[test]
    fn trailing_zero_days_do_not_change_the_adi() {
        let a = profile(&[0., 2., 0., 2.]).unwrap();
        let b = profile(&[0., 2., 0., 2., 0., 0., 0.]).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn values_on_a_cutoff_count_as_above_it() {
        assert_eq!(DemandClass::of(1.32, 0.1), DemandClass::Intermittent);
        assert_eq!(DemandClass::of(1.0, 0.49), DemandClass::Erratic);
        assert_eq!(DemandClass::of(1.3199, 0.4899), DemandClass::Smooth);
    }

    #[test]
    fn no_demand_has_no_profile() {
        assert_eq!(profile(&[]), None);
        assert_eq!(profile(&[0.0; 30]), None);
    }

    proptest! {
        #[test]
        fn scaling_sizes_keeps_the_profile(
            series in proptest::collection::vec(proptest::prop_oneof![Just(0.0), 1.0f64..100.0], 1..60),
            k in 0.01f64..100.0,
        ) {
            let scaled: Vec<f64> = series.iter().map(|x| x * k).collect();
            match (profile(&series), profile(&scaled)) {
                (None, None) => {}
                (Some(a), Some(b)) => {
                    prop_assert_eq!(a.adi, b.adi);
                    prop_assert!((a.cv2 - b.cv2).abs() <= 1e-9 * (1.0 + a.cv2));
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }
    }
}
