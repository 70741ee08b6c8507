use proptest::prelude::*;

use super::*;
use crate::policy::classify::profile;
use crate::policy::forecast::{adida, croston_fitted, imapa, ses_fitted};
use crate::policy::synthetic::{SplitMix64, synthetic_series};

const FIXED: FixedAlphas = FixedAlphas {
    ses: 0.1,
    tsb_size: 0.1,
    tsb_probability: 0.1,
};

fn history(series: &[f64], obsolescent: bool) -> History<'_> {
    History {
        series,
        class: profile(series).expect("demand").class,
        obsolescent,
    }
}

/// `first` days of 2, then 4 up to `days`: a smooth series whose level steps up.
fn step(first: usize, days: usize) -> Vec<f64> {
    (0..days).map(|day| if day < first { 2.0 } else { 4.0 }).collect()
}

#[track_caller]
fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} != {expected}");
}

#[test]
fn a_level_shift_is_followed_best_by_the_fitted_alpha() {
    // 14 days of 2, then 42 of 4. Origins 28 and 42 (56 − 56 and 56 − 42 leave too
    // little to train on). The step is in both training windows: fitted SES takes
    // α → 0.99 and forecasts 4 (to 2·0.01¹⁴); SES at α = 0.1 is still catching up:
    // 4 − 2·0.9¹⁴ at origin 28, 4 − 2·0.9²⁸ at origin 42. The scale: before origin 28
    // the one change is the step, 2² over 27 changes.
    let series = step(14, 56);
    let choice = choose(history(&series, false), FIXED);
    let ses_mse = ((2.0 * 0.9f64.powi(14)).powi(2) + (2.0 * 0.9f64.powi(28)).powi(2)) / 2.0;
    let ses_rmsse = (ses_mse / (4.0 / 27.0)).sqrt();
    assert_eq!(
        (choice.method, choice.reason),
        (Method::SesFitted, ChoiceReason::LowestError)
    );
    assert_eq!((choice.origins, choice.horizon_days), (2, 14));
    let [ses, fitted] = choice.candidates[..] else {
        panic!("{:?}", choice.candidates)
    };
    assert_eq!((ses.method, fitted.method), (Method::Ses, Method::SesFitted));
    assert_close(ses.error, ses_rmsse, 1e-12);
    assert_close(ses_rmsse, 0.862, 1e-3);
    assert!(fitted.error < 1e-20, "{}", fitted.error);
    assert_eq!(choice.error, Some(fitted.error));
    // The forecast used is fitted on the whole history: 4.
    assert_close(choice.forecast, 4.0, 1e-12);
    assert_close(choice.constants.alpha.unwrap(), 0.99, 1e-11);
    // SES's own forecast from the whole history: 4 − 2·0.9⁴².
    assert_close(ses.forecast, 4.0 - 2.0 * 0.9f64.powi(42), 1e-12);
}

#[test]
fn a_tie_goes_to_the_simpler_method() {
    // 28 days of 2, then 14 of 4: one origin, at 28, where both SES and fitted SES see
    // only 2s and forecast 2, missing by 2 on each of the 14 days. Flat before the
    // origin, so the scale is the whole history's: 2² over 41 changes, and RMSSE
    // √(4 / (4/41)) = √41 for both. SES, the simpler, is chosen.
    let series = step(28, 42);
    let choice = choose(history(&series, false), FIXED);
    assert_eq!(choice.method, Method::Ses);
    assert_eq!(choice.reason, ChoiceReason::LowestError);
    assert_eq!(choice.origins, 1);
    for candidate in &choice.candidates {
        assert_close(candidate.error, 41f64.sqrt(), 1e-12);
    }
    // SES from the whole history: 4 − 2·0.9¹⁴.
    assert_close(choice.forecast, 4.0 - 2.0 * 0.9f64.powi(14), 1e-12);
    assert_eq!(choice.constants.alpha, Some(0.1));
}

#[test]
fn intermittent_demand_is_contested_by_the_intermittent_methods() {
    let mut rng = SplitMix64::new(3);
    let series = synthetic_series(&mut rng, DemandClass::Intermittent, 365);
    let choice = choose(history(&series, false), FIXED);
    let methods: Vec<Method> = choice.candidates.iter().map(|c| c.method).collect();
    assert_eq!(
        methods,
        [Method::Sba, Method::CrostonFitted, Method::Adida, Method::Imapa]
    );
    assert_eq!(choice.origins, 4);
}

#[test]
fn an_obsolescent_material_keeps_tsb() {
    let series = [0., 3., 0., 0., 2., 0.].repeat(10);
    let choice = choose(history(&series, true), FIXED);
    assert_eq!(
        (choice.method, choice.reason),
        (Method::Tsb, ChoiceReason::Obsolescent)
    );
    assert_eq!(choice.candidates.len(), 1);
    assert_eq!(choice.forecast, tsb(&series, 0.1, 0.1));
    assert_eq!(choice.constants.alpha_probability, Some(0.1));
}

#[test]
fn a_short_history_uses_the_class_method_without_a_backtest() {
    let series = [0., 0., 3., 0., 0., 0., 2., 0., 1., 0.];
    let choice = choose(history(&series, false), FIXED);
    assert_eq!(
        (choice.method, choice.reason),
        (Method::Sba, ChoiceReason::ShortHistory)
    );
    assert_eq!(choice.forecast, sba(&series));
    assert_eq!((choice.error, choice.origins, choice.horizon_days), (None, 0, 0));
    assert!(choice.candidates.is_empty());
}

#[test]
fn demand_that_starts_after_the_last_origin_leaves_every_candidate_tied() {
    // Nothing to learn before day 360: every candidate forecast 0 at every origin.
    let mut series = vec![0.0; 365];
    series[362] = 6.0;
    let choice = choose(history(&series, false), FIXED);
    assert_eq!(choice.method, Method::Sba, "the simplest of the tied");
    let first = choice.candidates[0].error;
    assert!(first.is_finite() && choice.candidates.iter().all(|c| c.error == first));
}

#[test]
fn the_first_candidate_of_each_class_is_the_class_method() {
    for class in [
        DemandClass::Smooth,
        DemandClass::Erratic,
        DemandClass::Intermittent,
        DemandClass::Lumpy,
    ] {
        for obsolescent in [false, true] {
            assert_eq!(
                candidates(class, obsolescent)[0],
                Method::for_class(class, obsolescent)
            );
        }
    }
}

#[test]
fn a_choice_round_trips_through_json_with_snake_case_names() {
    let series = step(14, 56);
    let choice = choose(history(&series, false), FIXED);
    let json = serde_json::to_string(&choice).unwrap();
    assert!(json.contains(r#""method":"ses_fitted""#), "{json}");
    assert!(json.contains(r#""reason":"lowest_error""#), "{json}");
    // Constants a method does not use are left out.
    assert!(
        !json.contains("alpha_interval") && !json.contains("level_alphas"),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<ForecastChoice>(&json).unwrap(), choice);
}

/// A series of any class and length, with its obsolescence.
fn any_history() -> impl Strategy<Value = (Vec<f64>, bool)> {
    (any::<u64>(), 0usize..4, 1usize..200, any::<bool>()).prop_map(|(seed, class, days, obsolescent)| {
        let class = [
            DemandClass::Smooth,
            DemandClass::Erratic,
            DemandClass::Intermittent,
            DemandClass::Lumpy,
        ][class];
        let mut rng = SplitMix64::new(seed);
        let mut series = synthetic_series(&mut rng, class, days);
        // At least one demand, so there is a class.
        series[days - 1] = series[days - 1].max(1.0);
        (series, obsolescent)
    })
}

/// The public forecast of `method` over the whole series.
fn forecast_of(method: Method, series: &[f64]) -> f64 {
    match method {
        Method::Ses => ses(series, FIXED.ses),
        Method::Croston => croston(series),
        Method::Sba => sba(series),
        Method::Tsb => tsb(series, FIXED.tsb_size, FIXED.tsb_probability),
        Method::SesFitted => ses_fitted(series).forecast,
        Method::CrostonFitted => croston_fitted(series).forecast,
        Method::Adida => adida(series).forecast,
        Method::Imapa => imapa(series).forecast,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_chosen_method_has_the_lowest_error((series, obsolescent) in any_history()) {
        let choice = choose(history(&series, obsolescent), FIXED);
        if choice.reason == ChoiceReason::LowestError {
            let error = choice.error.unwrap();
            prop_assert!(choice.candidates.iter().all(|c| error <= c.error), "{choice:?}");
        }
        for c in &choice.candidates {
            prop_assert!(c.error.is_finite() && c.error >= 0.0, "{c:?}");
        }
    }

    #[test]
    fn the_forecast_used_is_the_chosen_methods_own((series, obsolescent) in any_history()) {
        let choice = choose(history(&series, obsolescent), FIXED);
        prop_assert_eq!(choice.forecast, forecast_of(choice.method, &series));
        for c in &choice.candidates {
            prop_assert_eq!(c.forecast, forecast_of(c.method, &series));
        }
        prop_assert!(choice.forecast.is_finite() && choice.forecast >= 0.0);
    }

    #[test]
    fn choosing_together_equals_choosing_one_by_one(
        materials in proptest::collection::vec(any_history(), 1..80),
    ) {
        let histories: Vec<History<'_>> = materials.iter().map(|(s, o)| history(s, *o)).collect();
        let together = choose_all(&histories, FIXED);
        for (h, choice) in histories.iter().zip(&together) {
            prop_assert_eq!(&choose(*h, FIXED), choice);
        }
    }
}
