use proptest::prelude::*;

use super::*;
use crate::policy::normal::normal_cdf;
use crate::policy::synthetic::synthetic_materials;

fn material(demand: &[f64]) -> MaterialInput {
    MaterialInput {
        unit_cost: 100,
        demand: demand.to_vec(),
        lead_time: Some(LeadTime {
            mean_days: 10.0,
            sd_days: 2.0,
        }),
        moq: 0,
        pack: 1,
        position: 0,
        obsolescent: false,
        stock_level_override: None,
    }
}

/// Settings under which the textbook example comes out: SES with α = 1 forecasts the
/// last day, and class A X has z = 1.65 and a weekly review.
fn textbook_settings() -> PolicySettings {
    let mut settings = PolicySettings {
        ses_alpha: 1.0,
        ..PolicySettings::default()
    };
    let ax = settings.matrix.get_mut(Abc::A, Xyz::X);
    ax.service_level = normal_cdf(1.65);
    ax.review_days = 7;
    ax.stock_level = StockLevel::Medium;
    settings
}

#[test]
fn the_textbook_example_end_to_end() {
    // Days 22, 28, 25: mean 25, sample variance (9 + 9 + 0) / 2 = 9, so σd = 3; CV 0.12
    // (X); daily demand of steady size (smooth), so SES, which with α = 1 forecasts the
    // last day: d̄ = 25. Alone, the material is A. LT 10 ± 2, z 1.65: SS 83.97 → 84,
    // ROP 333.97 → 334, OUT 25 · 17 + 83.97 = 508.97 → 509. Position 100 is below the
    // ROP: need 409, in packs of 50 → 450.
    let mut m = material(&[22.0, 28.0, 25.0]);
    m.position = 100;
    m.pack = 50;
    let [p] = &compute(&[m], &textbook_settings())[..] else {
        panic!()
    };
    assert_eq!((p.abc, p.xyz), (Abc::A, Xyz::X));
    assert_eq!(
        p.profile.map(|p| p.class),
        Some(crate::policy::DemandClass::Smooth)
    );
    assert_eq!(p.method, Some(Method::Ses));
    assert_eq!((p.d_mean, p.d_sd), (25.0, 3.0));
    assert!((p.z - 1.65).abs() < 1e-14);
    assert!((p.safety_stock - 83.97).abs() < 0.005);
    assert_eq!(p.safety_stock_units, 84);
    assert!((333.9..334.0).contains(&p.reorder_point));
    assert_eq!((p.reorder_point_units, p.order_up_to_units), (334, 509));
    assert_eq!(p.suggested_order, 450);
    assert_eq!(p.coverage_now_days, Some(4.0));
    // Annual consumption: 25/day × 365 = 9125 units, × 100 = 912,500 minor units.
    assert_eq!((p.annual_units, p.annual_value), (9125.0, 912_500.0));
}

#[test]
fn without_a_supplier_nothing_is_ordered_and_lead_time_is_zero() {
    let mut m = material(&[22.0, 28.0, 25.0]);
    m.lead_time = None;
    let [p] = &compute(&[m], &textbook_settings())[..] else {
        panic!()
    };
    assert!(p.no_supplier);
    assert_eq!(p.lead_time, LeadTime::NONE);
    // No lead time, no lead-time demand and no buffer: OUT covers the review only.
    assert_eq!((p.safety_stock, p.reorder_point), (0.0, 0.0));
    assert_eq!(p.order_up_to_units, 25 * 7);
    assert_eq!(p.suggested_order, 0);
}

#[test]
fn a_stock_level_override_scales_the_safety_stock() {
    let mut high = material(&[22.0, 28.0, 25.0]);
    high.stock_level_override = Some(StockLevel::High);
    let mut low = high.clone();
    low.stock_level_override = Some(StockLevel::Low);
    let settings = textbook_settings();
    let [h] = &compute(&[high], &settings)[..] else {
        panic!()
    };
    let [l] = &compute(&[low], &settings)[..] else {
        panic!()
    };
    assert!(h.stock_level_overridden);
    assert_eq!(h.stock_level, StockLevel::High);
    // 1.5× and 0.5× of the same buffer: a ratio of 3.
    assert!((h.safety_stock / l.safety_stock - 3.0).abs() < 1e-12);
}

#[test]
fn a_material_without_demand_is_c_z_and_needs_nothing() {
    let materials = [material(&[22.0, 28.0, 25.0]), material(&[0.0; 3])];
    let p = compute(&materials, &PolicySettings::default());
    let idle = &p[1];
    assert_eq!((idle.abc, idle.xyz), (Abc::C, Xyz::Z));
    assert_eq!((idle.profile, idle.method, idle.cv), (None, None, None));
    assert_eq!(idle.forecast, 0.0);
    assert_eq!((idle.reorder_point_units, idle.suggested_order), (0, 0));
    assert_eq!(idle.coverage_now_days, None);
}

#[test]
fn intermittent_demand_uses_sba_or_tsb_when_obsolescent() {
    let series = [0., 0., 3., 0., 0., 0., 2., 0., 1., 0.];
    let mut dying = material(&series);
    dying.obsolescent = true;
    let p = compute(&[material(&series), dying], &PolicySettings::default());
    assert_eq!(p[0].method, Some(Method::Sba));
    assert!((p[0].forecast - 0.95 * 2.71 / 2.99).abs() < 1e-12);
    assert_eq!(p[1].method, Some(Method::Tsb));
    assert!((p[1].forecast - 0.210_729_69 * 2.71).abs() < 1e-12);
}

#[test]
fn a_year_of_history_carries_why_its_forecast_was_chosen() {
    // A level that steps up from 2 to 4 five weeks before the end: the backtest sees
    // SES at α = 0.1 lag behind the step and fitted SES follow it.
    let demand: Vec<f64> = (0..365).map(|day| if day < 330 { 2.0 } else { 4.0 }).collect();
    let [p] = &compute(&[material(&demand)], &PolicySettings::default())[..] else {
        panic!()
    };
    let choice = p.forecast_choice.as_ref().expect("a backtest");
    assert_eq!(p.method, Some(Method::SesFitted));
    assert_eq!(
        (choice.method, p.forecast, p.d_mean),
        (Method::SesFitted, choice.forecast, choice.forecast)
    );
    assert_eq!(choice.reason, crate::policy::ChoiceReason::LowestError);
    assert_eq!(choice.candidates.len(), 2);
    assert!((p.forecast - 4.0).abs() < 1e-9);
}

#[test]
fn with_backtests_off_the_class_method_is_used() {
    let demand: Vec<f64> = (0..365).map(|day| if day < 330 { 2.0 } else { 4.0 }).collect();
    let settings = PolicySettings {
        backtest_forecasts: false,
        ..PolicySettings::default()
    };
    let [p] = &compute(&[material(&demand)], &settings)[..] else {
        panic!()
    };
    assert_eq!((p.method, p.forecast_choice.as_ref()), (Some(Method::Ses), None));
    assert_eq!(p.forecast, crate::policy::forecast::ses(&demand, 0.1));
}

#[test]
fn policies_and_settings_stored_before_backtests_still_read() {
    let [p] = &compute(&[material(&[22.0, 28.0, 25.0])], &textbook_settings())[..] else {
        panic!()
    };
    let mut stored = serde_json::to_value(p).unwrap();
    stored.as_object_mut().unwrap().remove("forecast_choice");
    let read: MaterialPolicy = serde_json::from_value(stored).unwrap();
    assert_eq!(read.forecast_choice, None);
    assert_eq!(read.forecast, p.forecast);
    let mut stored = serde_json::to_value(PolicySettings::default()).unwrap();
    stored.as_object_mut().unwrap().remove("backtest_forecasts");
    let read: PolicySettings = serde_json::from_value(stored).unwrap();
    assert!(read.backtest_forecasts, "on unless turned off");
}

#[test]
fn abc_ranks_materials_against_each_other_by_value() {
    // Same demand (1/day); costs 9000, 600, 400 → values split 90 % / 6 % / 4 %.
    let mut ms = vec![material(&[1.0; 10]), material(&[1.0; 10]), material(&[1.0; 10])];
    for (m, cost) in ms.iter_mut().zip([400, 9000, 600]) {
        m.unit_cost = cost;
    }
    let classes: Vec<Abc> = compute(&ms, &PolicySettings::default())
        .iter()
        .map(|p| p.abc)
        .collect();
    assert_eq!(classes, [Abc::C, Abc::A, Abc::B]);
}

#[test]
fn settings_check_names_the_cell_or_field() {
    let mut s = PolicySettings::default();
    assert_eq!(s.check(), Ok(()));
    s.matrix.get_mut(Abc::B, Xyz::Y).service_level = 1.0;
    assert_eq!(
        s.check(),
        Err(SettingsError::ServiceLevel {
            abc: Abc::B,
            xyz: Xyz::Y,
            value: 1.0
        })
    );
    let s = PolicySettings {
        tsb_alpha_p: 0.0,
        ..PolicySettings::default()
    };
    assert_eq!(
        s.check(),
        Err(SettingsError::Smoothing {
            field: "tsb_alpha_p",
            value: 0.0
        })
    );
    let mut s = PolicySettings::default();
    s.thresholds.abc_b = 0.5;
    assert!(matches!(s.check(), Err(SettingsError::Thresholds(_))));
}

#[test]
fn the_stored_figures_are_consistent_for_a_synthetic_assortment() {
    let materials = synthetic_materials(2_000, 365, 9);
    let policies = compute(&materials, &PolicySettings::default());
    for (m, p) in materials.iter().zip(&policies) {
        assert!(p.safety_stock >= 0.0 && p.reorder_point >= p.safety_stock);
        assert!(p.order_up_to >= p.reorder_point);
        let units = p.safety_stock_units as f64;
        assert!(units + 1e-9 >= p.safety_stock && units < p.safety_stock + 1.0);
        if p.suggested_order > 0 {
            assert!(m.position <= p.reorder_point_units);
            assert!(m.position + p.suggested_order >= p.order_up_to_units);
            assert_eq!(p.suggested_order % m.pack.max(1), 0);
            assert!(p.suggested_order >= m.moq);
        } else {
            assert!(m.position > p.reorder_point_units || p.no_supplier || m.position >= p.order_up_to_units);
        }
    }
    // Every class of the matrix is used by a realistic assortment.
    for abc in [Abc::A, Abc::B, Abc::C] {
        for xyz in [Xyz::X, Xyz::Y, Xyz::Z] {
            assert!(
                policies.iter().any(|p| (p.abc, p.xyz) == (abc, xyz)),
                "{abc}{xyz}"
            );
        }
    }
}

proptest! {
    #[test]
    fn a_higher_service_level_never_lowers_a_reorder_point(seed in 0u64..1_000, raise in 0.001f64..0.04) {
        let materials = synthetic_materials(20, 120, seed);
        // The forecasts are the same on both sides whichever way they are chosen; the
        // backtest would only add time.
        let base = PolicySettings {
            backtest_forecasts: false,
            ..PolicySettings::default()
        };
        let mut higher = base;
        for abc in [Abc::A, Abc::B, Abc::C] {
            for xyz in [Xyz::X, Xyz::Y, Xyz::Z] {
                let cell = higher.matrix.get_mut(abc, xyz);
                cell.service_level = (cell.service_level + raise).min(0.9999);
            }
        }
        for (a, b) in compute(&materials, &base).iter().zip(&compute(&materials, &higher)) {
            prop_assert!(b.reorder_point >= a.reorder_point);
            prop_assert!(b.reorder_point_units >= a.reorder_point_units);
        }
    }
}
