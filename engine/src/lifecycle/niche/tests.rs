use super::*;
use crate::testkit::{FACTORY, LAGOON, MONOGRAM_THREAD, NAVY, WAREHOUSE, shop, stock, supplier};

/// The test shop's bag (colour: navy, lagoon; add-ons: monogram) with a supplier for
/// every material of its values.
fn supplied() -> ShopState {
    let mut state = shop();
    for material in [NAVY, LAGOON, MONOGRAM_THREAD] {
        supplier(&mut state, material, 10.0, 2.0);
    }
    state
}

fn suggested(state: &ShopState, selections: &[Vec<u64>]) -> Vec<(String, Vec<FreezeReason>)> {
    freeze_suggestions(state, 0, selections, &NicheSettings::default())
        .into_iter()
        .map(|s| (s.value_code, s.reasons))
        .collect()
}

fn niche(share: f64) -> FreezeReason {
    FreezeReason::Niche {
        share,
        min_share: 0.05,
    }
}

#[test]
fn a_value_chosen_by_three_in_a_hundred_is_niche() {
    // Colour: 97 navy, 3 lagoon: 3/100 = 0.03 < 0.05. Add-ons: 10 selections, under 50.
    let all = freeze_suggestions(
        &supplied(),
        0,
        &[vec![97, 3], vec![10]],
        &NicheSettings::default(),
    );
    assert_eq!(
        all,
        [FreezeSuggestion {
            group: 0,
            value: 1,
            group_code: "colour".into(),
            value_code: "lagoon".into(),
            selections: 3,
            group_selections: 100,
            reasons: vec![niche(0.03)],
        }]
    );
}

#[test]
fn a_share_of_exactly_the_threshold_is_not_niche() {
    // 5/100 = 0.05: not below.
    assert!(suggested(&supplied(), &[vec![95, 5]]).is_empty());
}

#[test]
fn a_group_with_too_few_selections_is_not_compared() {
    // 41 selections, under 50: lagoon's 1/41 is noise. At 50 it counts: 1/50 = 0.02.
    assert!(suggested(&supplied(), &[vec![40, 1]]).is_empty());
    assert_eq!(
        suggested(&supplied(), &[vec![49, 1]]),
        [("lagoon".into(), vec![niche(0.02)])]
    );
}

#[test]
fn no_selections_at_all_suggest_nothing() {
    assert!(suggested(&supplied(), &[]).is_empty());
}

#[test]
fn a_value_whose_material_no_one_supplies_any_more_is_named_with_its_stock() {
    let mut state = shop();
    supplier(&mut state, NAVY, 10.0, 2.0);
    supplier(&mut state, MONOGRAM_THREAD, 10.0, 2.0);
    state.stock.push(crate::state::Stock {
        material: LAGOON,
        node: FACTORY,
        on_hand: 300,
        reserved: 100,
    });
    stock(&mut state, LAGOON, WAREHOUSE, 50);
    // Lagoon is popular (60 %) but its canvas has no offer: 300 − 100 + 50 = 250 left.
    let lost = FreezeReason::CannotReplenish {
        materials: vec![Unreplenishable {
            material: LAGOON,
            free_stock: 250,
        }],
    };
    assert_eq!(
        suggested(&state, &[vec![40, 60]]),
        [("lagoon".into(), vec![lost.clone()])]
    );
    // Chosen by 2 in 100 as well: both reasons.
    assert_eq!(
        suggested(&state, &[vec![98, 2]]),
        [("lagoon".into(), vec![niche(0.02), lost])]
    );
}

#[test]
fn a_required_group_keeps_its_most_chosen_value() {
    // No supplier for anything: navy and lagoon both cannot be replenished, but colour is
    // required, so navy (60) stays; the optional monogram may go.
    let names: Vec<String> = suggested(&shop(), &[vec![60, 40], vec![5]])
        .into_iter()
        .map(|(value, _)| value)
        .collect();
    assert_eq!(names, ["lagoon", "monogram"]);
}

#[test]
fn frozen_values_are_not_suggested_again_and_the_last_active_one_stays() {
    let mut state = supplied();
    state.products[0].catalog.groups[0].values[1].status = ValueStatus::Frozen {
        reason: "Discontinued".into(),
        by: "merchant".into(),
    };
    // Navy's 2 in 100 is niche, but it is the colour's only active value.
    assert!(suggested(&state, &[vec![2, 98]]).is_empty());
}

#[test]
fn settings_outside_a_share_are_refused() {
    let bad = NicheSettings {
        min_share: 1.5,
        ..NicheSettings::default()
    };
    assert_eq!(bad.check().unwrap_err().field, "min_share");
    assert_eq!(NicheSettings::default().check(), Ok(()));
}
