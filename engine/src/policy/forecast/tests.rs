//! Hand-computed forecasts. Each expected value was also reproduced with a plain
//! Python transcription of statsforecast's `_ses_fcst_mse`, `_croston_classic`,
//! `_croston_sba` and `_tsb` (and of the current C++ `ses_forecast`): same digits.

use proptest::prelude::*;

use super::*;

/// Demands of 3, 2 and 1 on days 3, 7 and 9 of ten.
const SPARSE: [f64; 10] = [0., 0., 3., 0., 0., 0., 2., 0., 1., 0.];

#[track_caller]
fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
}

#[test]
fn croston_smooths_sizes_and_intervals_separately() {
    // Sizes 3, 2, 1: 3 → 0.1·2 + 0.9·3 = 2.9 → 0.1·1 + 0.9·2.9 = 2.71.
    // Intervals 3 (from the start), 4, 2: 3 → 0.1·4 + 0.9·3 = 3.1 → 0.1·2 + 0.9·3.1 = 2.99.
    // Forecast 2.71 / 2.99.
    assert_close(croston(&SPARSE), 2.71 / 2.99);
    assert_close(croston(&SPARSE), 0.906_354_515_050_167_3);
}

#[test]
fn sba_is_croston_times_095() {
    // 0.95 · 2.71 / 2.99 = 0.861036789…
    assert_close(sba(&SPARSE), 0.861_036_789_297_658_9);
}

#[test]
fn tsb_multiplies_demand_probability_by_size() {
    // Indicator 0 0 1 0 0 0 1 0 1 0 with α_p = 0.1: 0, 0, 0, 0.1, 0.09, 0.081, 0.0729,
    // 0.1 + 0.9·0.0729 = 0.16561, 0.149049, 0.1 + 0.9·0.149049 = 0.2341441,
    // 0.9·0.2341441 = 0.21072969. Size as in Croston with α_d = 0.1: 2.71.
    // 0.21072969 · 2.71 = 0.5710774599.
    assert_close(tsb(&SPARSE, 0.1, 0.1), 0.571_077_459_9);
    // α_d = 0.2, α_p = 0.3: probability 0, 0, 0.3, 0.21, 0.147, 0.1029, 0.37203,
    // 0.260421, 0.4822947, 0.33760629; size 3 → 2.8 → 2.44; product 0.8237593476.
    assert_close(tsb(&SPARSE, 0.2, 0.3), 0.823_759_347_6);
}

#[test]
fn ses_smooths_every_day() {
    // α = 0.1 from level 0: 0, 0, 0.3, 0.27, 0.243, 0.2187, 0.2 + 0.19683 = 0.39683,
    // 0.357147, 0.1 + 0.3214323 = 0.4214323, 0.37928907.
    assert_close(ses(&SPARSE, 0.1), 0.379_289_07);
}

#[test]
fn a_single_demand_is_its_size_over_its_position() {
    // One demand of 5 on day 4: Croston 5 / 4; SBA 0.95 · 1.25 = 1.1875; TSB: the
    // probability reaches 0.1 on day 4 and 0.09 on day 5, times size 5 = 0.45.
    let series = [0., 0., 0., 5., 0.];
    assert_close(croston(&series), 1.25);
    assert_close(sba(&series), 1.1875);
    assert_close(tsb(&series, 0.1, 0.1), 0.45);
}

#[test]
fn without_demand_every_method_forecasts_zero() {
    for series in [&[][..], &[0.0; 20][..]] {
        assert_eq!(ses(series, 0.1), 0.0);
        assert_eq!(croston(series), 0.0);
        assert_eq!(sba(series), 0.0);
        assert_eq!(tsb(series, 0.1, 0.1), 0.0);
    }
}

#[test]
fn a_constant_series_forecasts_the_constant() {
    let series = [4.0; 30];
    assert_close(ses(&series, 0.1), 4.0);
    assert_close(ses(&series, 0.9), 4.0);
    assert_close(croston(&series), 4.0); // size 4 every 1 day
    assert_close(tsb(&series, 0.1, 0.1), 4.0); // probability 1, size 4
}

#[test]
fn tsb_decays_through_a_long_run_of_zeros_while_sba_stands_still() {
    let mut series = vec![2.0; 10];
    let before = (sba(&series), tsb(&series, 0.1, 0.1));
    series.extend([0.0; 30]);
    assert_eq!(sba(&series), before.0, "SBA only moves when demand arrives");
    // 0.9³⁰ ≈ 0.042 of the probability is left.
    assert_close(tsb(&series, 0.1, 0.1), before.1 * 0.9f64.powi(30));
}

#[test]
fn the_method_follows_the_class_and_obsolescence() {
    use DemandClass::*;
    for (class, obsolescent, method) in [
        (Smooth, false, Method::Ses),
        (Erratic, true, Method::Ses),
        (Intermittent, false, Method::Sba),
        (Lumpy, false, Method::Sba),
        (Intermittent, true, Method::Tsb),
        (Lumpy, true, Method::Tsb),
    ] {
        assert_eq!(
            Method::for_class(class, obsolescent),
            method,
            "{class:?} {obsolescent}"
        );
    }
}

/// statsforecast's formulas written out literally, allocating as its NumPy code does:
/// `_demand` (positive values), `_intervals` (differences of 1-based positions, 0
/// prepended), `_probability` (the 0/1 indicator) and `_ses_fcst_mse`.
mod reference {
    pub fn ses(x: &[f64], alpha: f64) -> f64 {
        let mut smoothed = x[0];
        for i in 1..x.len() {
            smoothed = alpha * x[i - 1] + (1.0 - alpha) * smoothed;
        }
        alpha * x[x.len() - 1] + (1.0 - alpha) * smoothed
    }

    fn demand(x: &[f64]) -> Vec<f64> {
        x.iter().copied().filter(|&v| v > 0.0).collect()
    }

    fn intervals(x: &[f64]) -> Vec<f64> {
        let positions: Vec<usize> = (0..x.len()).filter(|&i| x[i] != 0.0).map(|i| i + 1).collect();
        let mut previous = 0;
        positions
            .iter()
            .map(|&p| {
                let gap = (p - previous) as f64;
                previous = p;
                gap
            })
            .collect()
    }

    fn probability(x: &[f64]) -> Vec<f64> {
        x.iter().map(|&v| if v != 0.0 { 1.0 } else { 0.0 }).collect()
    }

    pub fn croston(y: &[f64]) -> f64 {
        let yd = demand(y);
        if yd.is_empty() {
            return *y.last().unwrap_or(&0.0);
        }
        ses(&yd, 0.1) / ses(&intervals(y), 0.1)
    }

    pub fn tsb(y: &[f64], alpha_d: f64, alpha_p: f64) -> f64 {
        if y.iter().all(|&v| v == 0.0) {
            return 0.0;
        }
        ses(&probability(y), alpha_p) * ses(&demand(y), alpha_d)
    }
}

fn daily_demand() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![3 => Just(0.0), 2 => 0.5f64..50.0], 1..120)
}

proptest! {
    #[test]
    fn one_pass_methods_equal_the_reference_bit_for_bit(
        series in daily_demand(), alpha_d in 0.01f64..1.0, alpha_p in 0.01f64..1.0,
    ) {
        prop_assert_eq!(ses(&series, alpha_d), reference::ses(&series, alpha_d));
        prop_assert_eq!(croston(&series), reference::croston(&series));
        prop_assert_eq!(tsb(&series, alpha_d, alpha_p), reference::tsb(&series, alpha_d, alpha_p));
    }

    #[test]
    fn forecasts_stay_within_the_observed_range(series in daily_demand(), alpha in 0.01f64..1.0) {
        let max = series.iter().copied().fold(0.0, f64::max);
        for f in [ses(&series, alpha), croston(&series), tsb(&series, alpha, alpha)] {
            prop_assert!((0.0..=max + 1e-9).contains(&f), "{f} outside 0..={max}");
        }
    }
}
