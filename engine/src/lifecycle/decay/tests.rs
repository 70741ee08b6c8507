use super::*;

/// `days` days of `value`, then the next run, and so on, oldest first.
fn series(runs: &[(usize, u64)]) -> Vec<u64> {
    runs.iter()
        .flat_map(|&(days, value)| std::iter::repeat_n(value, days))
        .collect()
}

#[track_caller]
fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-12, "{actual} is not {expected}");
}

fn decay(orders: &[u64], heat: &[u64]) -> Decay {
    Decay::of(orders, heat, &DecaySettings::default())
}

#[test]
fn orders_falling_to_a_third_with_no_heat_is_decline() {
    // 76 days of 3, then 14 of 1: long = (228 + 14) / 90 = 242/90, short = 1, ratio =
    // 90/242 ≈ 0.372 < 0.5. No heat at all: too quiet to count, orders decide.
    let d = decay(&series(&[(76, 3), (14, 1)]), &[0; 90]);
    close(d.orders.long_average, 242.0 / 90.0);
    close(d.orders.short_average, 1.0);
    close(d.orders.ratio.unwrap(), 90.0 / 242.0);
    assert_eq!(d.orders.standing, Standing::Falling);
    assert_eq!((d.heat.standing, d.heat.ratio), (Standing::TooQuiet, None));
    assert_eq!(d.verdict, Verdict::Declining);
}

#[test]
fn heat_that_holds_up_keeps_a_product_with_falling_orders_alive() {
    // Heat: 10 intents a day throughout, ratio 1.
    let d = decay(&series(&[(76, 3), (14, 1)]), &[10; 90]);
    assert_eq!(d.heat.standing, Standing::Holding);
    assert_eq!(d.verdict, Verdict::Holding);
}

#[test]
fn falling_heat_and_falling_orders_together_are_decline() {
    // Heat: 76 days of 8, 14 of 2: long = (608 + 28) / 90 ≈ 7.07, short 2, ratio ≈ 0.28.
    let d = decay(&series(&[(76, 3), (14, 1)]), &series(&[(76, 8), (14, 2)]));
    close(d.heat.ratio.unwrap(), 2.0 * 90.0 / 636.0);
    assert_eq!(d.verdict, Verdict::Declining);
}

#[test]
fn a_ratio_of_exactly_the_threshold_is_not_falling() {
    // 76 days of 83 and 14 of 38: long = (6,308 + 532) / 90 = 76, short 38, ratio 0.5.
    let at = decay(&series(&[(76, 83), (14, 38)]), &[]);
    close(at.orders.ratio.unwrap(), 0.5);
    assert_eq!(at.orders.standing, Standing::Holding);
    // 14 of 37: long = (6,308 + 518) / 90 ≈ 75.84, ratio ≈ 0.488.
    let below = decay(&series(&[(76, 83), (14, 37)]), &[]);
    assert_eq!(below.orders.standing, Standing::Falling);
}

#[test]
fn a_long_average_exactly_at_the_minimum_volume_counts() {
    // 62 days of 1, 14 of 2, 14 of 0: long = (62 + 28) / 90 = 1.0, the minimum; short 0.
    let at = decay(&series(&[(62, 1), (14, 2), (14, 0)]), &[]);
    close(at.orders.long_average, 1.0);
    assert_eq!(at.verdict, Verdict::Declining);
    // 76 days of 1, 14 of 0: long = 76/90 < 1: the same fall is noise.
    let below = decay(&series(&[(76, 1), (14, 0)]), &[]);
    assert_eq!(below.orders.standing, Standing::TooQuiet);
    assert_eq!(below.verdict, Verdict::TooLittleData);
}

#[test]
fn a_product_younger_than_the_long_window_is_not_judged() {
    // 89 days: the same fall as above, one day short of a quarter.
    let d = decay(&series(&[(75, 3), (14, 1)]), &series(&[(75, 8), (14, 2)]));
    assert_eq!(
        (d.orders.standing, d.heat.standing),
        (Standing::TooShort, Standing::TooShort)
    );
    assert_eq!(d.verdict, Verdict::TooLittleData);
}

#[test]
fn no_history_at_all_is_too_little_data() {
    let d = decay(&[], &[]);
    assert_eq!(
        (d.orders.short_average, d.orders.long_average, d.orders.ratio),
        (0.0, 0.0, None)
    );
    assert_eq!(d.verdict, Verdict::TooLittleData);
}

#[test]
fn only_the_last_long_window_is_averaged() {
    // A busy launch (200 days of 50) long gone, then a steady 3 a day for 90 days.
    let d = decay(&series(&[(200, 50), (90, 3)]), &[]);
    close(d.orders.long_average, 3.0);
    assert_eq!((d.orders.days, d.verdict), (290, Verdict::Holding));
}

#[test]
fn settings_that_cannot_work_are_named() {
    let field = |s: DecaySettings| s.check().unwrap_err().field;
    let base = DecaySettings::default();
    assert_eq!(base.check(), Ok(()));
    assert_eq!(
        field(DecaySettings {
            short_days: 0,
            ..base
        }),
        "short_days"
    );
    assert_eq!(
        field(DecaySettings {
            long_days: 14,
            ..base
        }),
        "long_days"
    );
    assert_eq!(
        field(DecaySettings {
            decline_below: 0.0,
            ..base
        }),
        "decline_below"
    );
    assert_eq!(
        field(DecaySettings {
            decline_below: 1.5,
            ..base
        }),
        "decline_below"
    );
    assert_eq!(
        field(DecaySettings {
            min_heat_per_day: f64::NAN,
            ..base
        }),
        "min_heat_per_day"
    );
    assert_eq!(
        field(DecaySettings {
            min_orders_per_day: -1.0,
            ..base
        }),
        "min_orders_per_day"
    );
}
