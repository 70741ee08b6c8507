//! ADIDA and IMAPA, hand-computed; the exact bits were also checked against
//! statsforecast 2.1.1 (`_adida`, `_imapa`).

use proptest::prelude::*;

use super::*;

/// Demands of 3, 2 and 1 on days 3, 7 and 9 of ten.
const SPARSE: [f64; 10] = [0., 0., 3., 0., 0., 0., 2., 0., 1., 0.];

#[track_caller]
fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} != {expected}");
}

#[test]
fn adida_sums_buckets_of_one_demand_interval() {
    // ADI 9 / 3 = 3: buckets of 3 days counted back from the end, the first day left
    // out: [0 3 0] [0 0 2] [0 1 0], sums 3, 2, 1. Their SSE 1 + (2 − α)² falls on
    // [0.1, 0.3], so α → 0.3: 3 → 3 → 2.7 → 2.19. Per day 2.19 / 3 = 0.73.
    let fit = adida(&SPARSE);
    assert_eq!(fit.constants.aggregation_level, Some(3));
    assert_close(fit.constants.alpha.unwrap(), 0.3, 1e-11);
    assert_close(fit.forecast, 0.73, 1e-12);
    assert_eq!(fit.forecast, 0.730_000_000_000_256_2, "statsforecast's bits");
}

#[test]
fn a_single_demand_is_one_bucket() {
    // [0 0 0 5 0]: ADI 4. The first day is left out, one bucket [0 0 5 0] of sum 5,
    // which forecasts itself: 5 / 4.
    let fit = adida(&[0., 0., 0., 5., 0.]);
    assert_eq!((fit.forecast, fit.constants.aggregation_level), (1.25, Some(4)));
}

#[test]
fn imapa_averages_every_bucket_size_up_to_adidas() {
    // [0 0 0 5 0], sizes 1 to 4:
    // 1: the series; SSE 25 + 25α² rises, α → 0.1: 0, 0, 0, 0.5, 0.45 → 0.45.
    // 2: first day out, sums 0, 5: SSE 25 whatever α, so α = 0.2: 0.2·5 = 1 → 1 / 2.
    // 3: two days out, one bucket, 5 → 5 / 3.  4: one day out, one bucket → 5 / 4.
    // Mean (0.45 + 0.5 + 1.6667 + 1.25) / 4 = 0.96667.
    let fit = imapa(&[0., 0., 0., 5., 0.]);
    assert_close(fit.forecast, (0.45 + 0.5 + 5.0 / 3.0 + 1.25) / 4.0, 1e-12);
    assert_eq!(fit.forecast, 0.966_666_666_666_987_1, "statsforecast's bits");
    assert_eq!(fit.constants.aggregation_level, Some(4));
    assert_eq!(fit.constants.level_alphas.len(), 4);
    assert_close(fit.constants.level_alphas[0], 0.1, 1e-11);
    assert_eq!(fit.constants.level_alphas[1..], [0.2, 0.2, 0.2]);
}

#[test]
fn buckets_of_whole_intervals_make_demand_steady() {
    // [2 0 2 0 2 0 2 0]: ADI 7 / 4 = 1.75 → 2; sums 2, 2, 2, 2, a constant: 2 / 2 = 1.
    let series = [2., 0., 2., 0., 2., 0., 2., 0.];
    assert_eq!(adida(&series).forecast, 1.0);
    assert_eq!(
        imapa(&series).forecast,
        1.009_020_530_168_956_3,
        "statsforecast's bits"
    );
}

#[test]
fn the_bucket_size_rounds_half_to_even() {
    // Demands on days 2 and 5: ADI 2.5 → 2. On days 3 and 7: 3.5 → 4.
    assert_eq!(adida(&[0., 1., 0., 0., 1.]).constants.aggregation_level, Some(2));
    assert_eq!(
        adida(&[0., 0., 1., 0., 0., 0., 1.]).constants.aggregation_level,
        Some(4)
    );
}

#[test]
fn without_demand_both_forecast_zero() {
    for series in [&[][..], &[0.0; 12][..]] {
        assert_eq!(adida(series), Fitted::default());
        assert_eq!(imapa(series), Fitted::default());
    }
}

#[test]
fn daily_demand_needs_no_buckets() {
    // ADI 1: one size, 1 day, so both are fitted SES within 0.1..0.3 of the series.
    let series = [4., 6., 5., 7., 5.];
    assert_eq!(adida(&series).constants.aggregation_level, Some(1));
    assert_eq!(adida(&series).forecast, imapa(&series).forecast);
}

#[test]
fn numpy_sums_eight_partial_sums_from_eight_values_on() {
    // Below 8 values left to right; from 8 on, 1e16 sits in the first partial sum and
    // the ones add up in the others before meeting it: 1e16 + 8 (numpy's figure), where
    // a left-to-right sum loses every 1.
    let mut values = vec![1e16];
    values.extend([1.0; 8]);
    assert_eq!(pairwise_sum(&values), 1.000_000_000_000_000_8e16);
    assert_eq!(sequential_sum(&values), 1e16);
    assert_eq!(pairwise_sum(&values[..7]), sequential_sum(&values[..7]));
    let long: Vec<f64> = (0..300).map(f64::from).collect();
    assert_eq!(pairwise_sum(&long), 299.0 * 300.0 / 2.0);
}

fn daily_demand() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![6 => Just(0.0), 1 => 0.25f64..50.0], 0..150)
}

proptest! {
    #[test]
    fn forecasts_are_finite_and_within_the_observed_range(series in daily_demand()) {
        let max = series.iter().copied().fold(0.0, f64::max);
        for f in [adida(&series).forecast, imapa(&series).forecast] {
            prop_assert!(f.is_finite() && (0.0..=max + 1e-9).contains(&f), "{f} outside 0..={max}");
        }
    }

    #[test]
    fn one_plan_for_both_equals_one_plan_each(series in daily_demand()) {
        let mut batch = FitBatch::default();
        let plan = AggregationPlan::new(&series, Aggregations { adida: true, imapa: true }, &mut batch);
        batch.solve();
        prop_assert_eq!(plan.adida(&batch), adida(&series));
        prop_assert_eq!(plan.imapa(&batch), imapa(&series));
    }
}
