use proptest::prelude::*;

use super::*;

#[test]
fn classes_follow_the_cumulative_share_before_each_material() {
    // Total 10,000. Ranked: 5000 (share before 0 → A), 2000 (0.50 → A), 1200 (0.70 → A,
    // it takes the total to 0.82), 800 (0.82 → B), 500 (0.90 → B), 300 (0.95: not below
    // 0.95 → C), 100, 60, 40 (C), and 0 (no value → C). Given in a shuffled order.
    let values = [
        300.0, 5000.0, 0.0, 800.0, 60.0, 2000.0, 500.0, 40.0, 1200.0, 100.0,
    ];
    let classes = ClassThresholds::default().abc(&values);
    use Abc::*;
    assert_eq!(classes, [C, A, C, B, C, A, B, C, A, C]);
}

#[test]
fn one_material_worth_most_of_the_value_is_still_a() {
    let classes = ClassThresholds::default().abc(&[90.0, 6.0, 4.0]);
    // Shares before: 0 → A, 0.90 → B, 0.96 → C.
    assert_eq!(classes, [Abc::A, Abc::B, Abc::C]);
}

#[test]
fn equal_values_keep_the_callers_order() {
    // Four of 25 each: shares before 0, 0.25, 0.5, 0.75 → all A; five of 20: 0, 0.2,
    // 0.4, 0.6 → A, 0.8 → B. Only the caller's order decides which one is B.
    assert_eq!(ClassThresholds::default().abc(&[25.0; 4]), [Abc::A; 4]);
    let classes = ClassThresholds::default().abc(&[20.0; 5]);
    assert_eq!(classes, [Abc::A, Abc::A, Abc::A, Abc::A, Abc::B]);
}

#[test]
fn nothing_of_value_is_all_c() {
    assert_eq!(ClassThresholds::default().abc(&[0.0, 0.0]), [Abc::C, Abc::C]);
    assert!(ClassThresholds::default().abc(&[]).is_empty());
}

#[test]
fn xyz_limits_are_inclusive() {
    let t = ClassThresholds::default();
    assert_eq!(t.xyz(Some(0.0)), Xyz::X);
    assert_eq!(t.xyz(Some(0.5)), Xyz::X);
    assert_eq!(t.xyz(Some(0.500_001)), Xyz::Y);
    assert_eq!(t.xyz(Some(1.0)), Xyz::Y);
    assert_eq!(t.xyz(Some(1.000_001)), Xyz::Z);
    assert_eq!(t.xyz(None), Xyz::Z);
}

#[test]
fn coefficient_of_variation_uses_the_sample_deviation_and_counts_zero_days() {
    // 1, 2, 3: mean 2, sample variance (1 + 0 + 1) / 2 = 1, CV = 0.5.
    assert_eq!(coefficient_of_variation(&[1.0, 2.0, 3.0]), Some(0.5));
    // 2, 0, 2, 0: mean 1, variance 4 / 3, CV = √(4/3) ≈ 1.1547: zero days count.
    let cv = coefficient_of_variation(&[2.0, 0.0, 2.0, 0.0]).unwrap();
    assert!((cv - (4.0f64 / 3.0).sqrt()).abs() < 1e-15);
    assert_eq!(coefficient_of_variation(&[0.0; 5]), None);
    assert_eq!(coefficient_of_variation(&[7.0]), Some(0.0));
}

#[test]
fn check_names_the_field_that_is_wrong() {
    let field_of = |t: ClassThresholds| match t.check() {
        Err(ThresholdError::OutOfRange { field, .. } | ThresholdError::OutOfOrder { field, .. }) => field,
        Ok(()) => "none",
    };
    let d = ClassThresholds::default();
    assert_eq!(field_of(d), "none");
    assert_eq!(field_of(ClassThresholds { abc_a: 0.0, ..d }), "abc_a");
    assert_eq!(field_of(ClassThresholds { abc_b: 1.2, ..d }), "abc_b");
    assert_eq!(field_of(ClassThresholds { abc_b: 0.7, ..d }), "abc_b");
    assert_eq!(field_of(ClassThresholds { xyz_x: f64::NAN, ..d }), "xyz_x");
    assert_eq!(field_of(ClassThresholds { xyz_y: 0.4, ..d }), "xyz_y");
    assert_eq!(
        field_of(ClassThresholds {
            xyz_y: f64::INFINITY,
            ..d
        }),
        "xyz_y"
    );
}

proptest! {
    #[test]
    fn a_larger_value_never_gets_a_worse_class(values in proptest::collection::vec(0.0f64..1e6, 1..80)) {
        let classes = ClassThresholds::default().abc(&values);
        for i in 0..values.len() {
            for j in 0..values.len() {
                if values[i] > values[j] {
                    prop_assert!(classes[i] <= classes[j]);
                }
            }
        }
    }

    #[test]
    fn class_a_stops_at_the_material_that_crosses_the_threshold(
        values in proptest::collection::vec(0.01f64..1e6, 1..80),
    ) {
        let classes = ClassThresholds::default().abc(&values);
        let total: f64 = values.iter().sum();
        let a: Vec<f64> = (0..values.len()).filter(|&i| classes[i] == Abc::A).map(|i| values[i]).collect();
        let a_total: f64 = a.iter().sum();
        let smallest_a = a.iter().copied().fold(f64::INFINITY, f64::min);
        // Without its smallest member, class A is below 80 % of the value...
        prop_assert!((a_total - smallest_a) / total < 0.80 + 1e-12);
        // ...and with it, A reaches 80 % unless every material is A.
        prop_assert!(a.len() == values.len() || a_total / total >= 0.80 - 1e-12);
    }
}

#[test]
fn xyz_sums_whole_periods_from_the_end_before_taking_the_cv() {
    // 10 days, period 4: the first 2 days are left out; sums 1+0+0+3 = 4 and 0+0+4+0 = 4.
    let series = [9.0, 9.0, 1.0, 0.0, 0.0, 3.0, 0.0, 0.0, 4.0, 0.0];
    assert_eq!(period_cv(&series, 4), Some(0.0), "equal weekly sums do not vary");
    // Day by day the same series is very variable.
    assert!(coefficient_of_variation(&series).unwrap() > 1.0);
    // Sums 2 and 6: mean 4, sample sd √8 ≈ 2.828, CV ≈ 0.7071.
    let uneven = [1.0, 1.0, 0.0, 6.0];
    assert!((period_cv(&uneven, 2).unwrap() - 8f64.sqrt() / 4.0).abs() < 1e-12);
    assert_eq!(period_cv(&[0.0; 14], 7), None, "no demand, no CV");
    assert_eq!(
        period_cv(&[2.0, 1.0], 7),
        Some(0.0),
        "shorter than a period: one period"
    );
}
