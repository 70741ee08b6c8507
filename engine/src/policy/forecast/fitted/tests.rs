//! Fitted SES and Croston. Hand-computed where the SSE is monotone in α (the search
//! then ends at a bound, within 10⁻¹²); every figure was also checked against
//! statsforecast 2.1.1 itself (`_ses_optimized`, `_croston_optimized`), which gives the
//! exact bits asserted in `statsforecast_gives_the_same_bits`.

use crate::policy::forecast::golden::{GOLDEN_RATIO, ses_forecast};
use proptest::prelude::*;

use super::*;
use crate::policy::forecast::ses;

/// Demands of 3, 2 and 1 on days 3, 7 and 9 of ten.
const SPARSE: [f64; 10] = [0., 0., 3., 0., 0., 0., 2., 0., 1., 0.];

#[track_caller]
fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} != {expected}");
}

#[test]
fn the_sse_sums_the_squared_one_step_errors() {
    // α = 0.5 over 1, 3, 2: the forecast of day 2 is 0.5·1 + 0.5·1 = 1 (error 2), of
    // day 3 0.5·3 + 0.5·1 = 2 (error 0): SSE 4.
    assert_eq!(ses_sse(&[1., 3., 2.], 0.5), 4.0);
    assert_eq!(ses_sse(&[5.], 0.5), 0.0);
    assert_eq!(ses_sse(&[], 0.5), 0.0);
}

#[test]
fn the_golden_ratio_is_the_one_statsforecast_computes() {
    assert_eq!(GOLDEN_RATIO.to_bits(), ((5f64.sqrt() + 1.0) / 2.0).to_bits());
}

#[test]
fn a_trend_pulls_alpha_to_the_upper_bound() {
    // On 1, 2, …, 10 every one-step error shrinks as α grows: α ends at 0.99.
    let trend: Vec<f64> = (1..=10).map(f64::from).collect();
    let fit = ses_fitted(&trend);
    let alpha = fit.constants.alpha.unwrap();
    assert_close(alpha, 0.99, 1e-11);
    assert_eq!(fit.forecast, ses_forecast(&trend, alpha));
    // The level lags one step behind by (1 − α)/α ≈ 0.0101: 9.9899.
    assert_close(fit.forecast, 10.0 - 0.01 / 0.99, 1e-9);
}

#[test]
fn croston_fits_sizes_and_intervals_separately() {
    // Sizes 3, 2, 1: SSE(α) = (2 − 3)² + (1 − (3 − α))² = 1 + (2 − α)², falling on
    // [0.1, 0.3], so α_size → 0.3: level 3 → 3 → 2.7 → 0.3 + 0.7·2.7 = 2.19.
    // Intervals 3, 4, 2: SSE = 1 + (2 − (3 + α))² = 1 + (1 + α)², rising, so
    // α_interval → 0.1: level 3 → 3 → 3.1 → 0.2 + 0.9·3.1 = 2.99. Forecast 2.19 / 2.99.
    let fit = croston_fitted(&SPARSE);
    assert_close(fit.constants.alpha.unwrap(), 0.3, 1e-11);
    assert_close(fit.constants.alpha_interval.unwrap(), 0.1, 1e-11);
    assert_close(fit.forecast, 2.19 / 2.99, 1e-11);
}

#[test]
fn two_days_tie_every_alpha_and_stop_in_the_middle() {
    // [2, 4]: the only error is 4 − 2 whatever α, so the first two probes tie and α is
    // the middle of 0.01..0.99: 0.5, forecast 0.5·4 + 0.5·2 = 3.
    let fit = ses_fitted(&[2., 4.]);
    assert_eq!((fit.forecast, fit.constants.alpha), (3.0, Some(0.5)));
    // Croston: sizes 2, 4 tie at α = 0.2 (middle of 0.1..0.3): 0.2·4 + 0.8·2 = 2.4;
    // intervals 1, 1: 1.
    assert_close(croston_fitted(&[2., 4.]).forecast, 2.4, 1e-15);
}

#[test]
fn a_single_demand_is_fitted_as_statsforecast_does() {
    // [0, 0, 0, 5, 0]: errors 5 on day 4 and −5α on day 5, SSE 25 + 25α², smallest at
    // α = 0.01: level 0.05 after day 4, 0.0495 after day 5.
    let series = [0., 0., 0., 5., 0.];
    let ses = ses_fitted(&series);
    assert_close(ses.constants.alpha.unwrap(), 0.01, 1e-11);
    assert_close(ses.forecast, 0.0495, 1e-11);
    // Croston: one size (5) and one interval (4), nothing to fit: 5 / 4.
    assert_eq!(croston_fitted(&series).forecast, 1.25);
}

#[test]
fn a_single_day_forecasts_itself() {
    // statsforecast's C++ `ses_forecast` returns a lone value as it is.
    assert_eq!(ses_fitted(&[7.]).forecast, 7.0);
    assert_eq!(croston_fitted(&[7.]).forecast, 7.0);
}

#[test]
fn without_demand_fitted_methods_forecast_zero() {
    assert_eq!(ses_fitted(&[]), Fitted::default());
    assert_eq!(croston_fitted(&[]), Fitted::default());
    let zeros = [0.0; 20];
    // Every α gives SSE 0: the probes tie, α is the middle.
    assert_eq!(ses_fitted(&zeros).forecast, 0.0);
    assert_eq!(ses_fitted(&zeros).constants.alpha, Some(0.5));
    // Croston falls back to the naive forecast, the last day: 0.
    assert_eq!(croston_fitted(&zeros), Fitted::default());
}

#[test]
fn a_constant_series_forecasts_the_constant() {
    let series = [4.0; 30];
    assert_eq!(ses_fitted(&series).forecast, 4.0);
    assert_eq!(croston_fitted(&series).forecast, 4.0);
}

#[test]
fn statsforecast_gives_the_same_bits() {
    // (series, SESOpt forecast, its α, CrostonOptimized forecast) from statsforecast 2.1.1.
    let trend: Vec<f64> = (1..=10).map(f64::from).collect();
    let cases: [(&[f64], f64, f64, f64); 4] = [
        (
            &SPARSE,
            0.369_497_992_862_519_1,
            0.095_445_426_829_849_63,
            0.732_441_471_572_179_1,
        ),
        (
            &[2., 0., 2., 0., 2., 0., 2., 0.],
            1.018_041_072_382_013_7,
            0.225_890_876_797_121_5,
            1.207_000_603_500_644_9,
        ),
        (
            &[0., 0., 0., 5., 0.],
            0.049_500_000_001_815_97,
            0.010_000_000_000_370_607,
            1.25,
        ),
        (
            &trend,
            9.989_898_989_898_611,
            0.989_999_999_999_629_4,
            7.760_825_082_996_972_5,
        ),
    ];
    for (series, ses, alpha, croston) in cases {
        let fit = ses_fitted(series);
        assert_eq!(fit.forecast, ses, "{series:?}");
        assert_eq!(fit.constants.alpha, Some(alpha), "{series:?}");
        assert_eq!(croston_fitted(series).forecast, croston, "{series:?}");
    }
}

fn daily_demand() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![3 => Just(0.0), 2 => 0.5f64..50.0], 0..90)
}

proptest! {
    #[test]
    fn fitted_alphas_stay_within_their_bounds(series in daily_demand()) {
        for (alpha, bounds) in [
            (ses_fitted(&series).constants.alpha, SES_FITTED_BOUNDS),
            (croston_fitted(&series).constants.alpha, INTERMITTENT_BOUNDS),
            (croston_fitted(&series).constants.alpha_interval, INTERMITTENT_BOUNDS),
        ] {
            if let Some(alpha) = alpha {
                prop_assert!((bounds.lower..=bounds.upper).contains(&alpha), "{alpha}");
            }
        }
    }

    #[test]
    fn fitted_forecasts_stay_within_the_observed_range(series in daily_demand()) {
        let max = series.iter().copied().fold(0.0, f64::max);
        for f in [ses_fitted(&series).forecast, croston_fitted(&series).forecast] {
            prop_assert!(f.is_finite() && (0.0..=max + 1e-9).contains(&f), "{f} outside 0..={max}");
        }
    }

    #[test]
    fn fitted_ses_is_ses_at_the_fitted_alpha(series in proptest::collection::vec(0.0f64..50.0, 2..90)) {
        let fit = ses_fitted(&series);
        prop_assert_eq!(fit.forecast, ses(&series, fit.constants.alpha.unwrap()));
    }
}
