//! The per-option matrix and freezing against the hand-made shop of `testkit`.

use super::*;
use crate::money::Money;
use crate::testkit::*;

fn snapshot(state: crate::ShopState) -> (Snapshot, Product) {
    let snapshot = Snapshot::build(state);
    let product = snapshot.state.products[0].clone();
    (snapshot, product)
}

#[test]
fn every_value_is_quoted_with_it_swapped_in_and_add_ons_toggled() {
    let (s, p) = snapshot(shop());
    let m = s.matrix(&p, &[(0, 0)], 1);
    let navy = &m.cells[0][0];
    let lagoon = &m.cells[0][1];
    let monogram = &m.cells[1][0];
    assert!(navy.selected && navy.fastest && !lagoon.fastest && !monogram.selected);
    assert_eq!(navy.quote().unwrap().p50, d(11, 30));
    assert_eq!(lagoon.quote().unwrap().p50, d(12, 4));
    assert_eq!(lagoon.quote().unwrap().price, Money(11_500));
    assert_eq!(monogram.quote().unwrap().price, Money(10_900), "toggled on");
    // From a selection with the monogram, its cell is the answer without it.
    let m = s.matrix(&p, &[(0, 0), (1, 0)], 1);
    assert!(m.cells[1][0].selected);
    assert_eq!(m.cells[1][0].quote().unwrap().price, Money(10_000));
}

#[test]
fn a_value_without_any_supply_is_frozen_with_the_fastest_alternative() {
    let mut state = shop();
    state.inbound.clear();
    let (s, p) = snapshot(state.clone());
    let m = s.matrix(&p, &[(0, 0)], 1);
    let lagoon = &m.cells[0][1];
    assert_eq!(
        lagoon.freeze,
        Some(Freeze::Engine {
            cause: Unavailable::NoSupply { material: LAGOON }
        })
    );
    assert_eq!((lagoon.alternative, lagoon.outcome.is_none()), (Some(0), true));
    assert_eq!(
        s.describe_freeze(lagoon.freeze.as_ref().unwrap()),
        "Lagoon canvas is out of stock and no supplier can deliver it"
    );
    // Supply returns: it unfreezes by itself.
    stock(&mut state, LAGOON, WAREHOUSE, 400);
    let (s, p) = snapshot(state);
    assert_eq!(s.freeze(&p, 0, 1, 1), None);
}

#[test]
fn replenishment_past_the_max_lead_time_or_end_of_sale_freezes() {
    let mut state = shop();
    state.inbound.clear();
    supplier(&mut state, LAGOON, 40.0, 4.0);
    let (s, p) = snapshot(state.clone());
    assert_eq!(
        s.freeze(&p, 0, 1, 1),
        Some(Freeze::Engine {
            cause: Unavailable::PastLimit {
                material: LAGOON,
                ready_on: d(1, 4) + chrono::Days::new(365),
                limit: d(12, 25),
            }
        })
    );
    // A 10-day supplier is within 30 days, but not within an end of sale on 1 Dec.
    state.offers.clear();
    supplier(&mut state, LAGOON, 10.0, 1.0);
    let (s, p) = snapshot(state.clone());
    assert_eq!(s.freeze(&p, 0, 1, 1), None);
    state.products[0].end_of_sale = Some(d(12, 1));
    let (s, p) = snapshot(state);
    assert!(matches!(
        s.freeze(&p, 0, 1, 1),
        Some(Freeze::Engine {
            cause: Unavailable::PastLimit { .. }
        })
    ));
}

#[test]
fn merchant_freezes_keep_their_reason_and_the_default_skips_frozen_values() {
    let mut state = shop();
    state.products[0].catalog.groups[0].values[0].status = crate::ValueStatus::Frozen {
        reason: "Navy is being discontinued".into(),
        by: "merchant".into(),
    };
    let (s, p) = snapshot(state);
    assert_eq!(s.default_chosen(&p, 1), vec![(0, 1)]);
    let m = s.matrix(&p, &[(0, 1)], 1);
    assert_eq!(
        s.describe_freeze(m.cells[0][0].freeze.as_ref().unwrap()),
        "Navy is being discontinued"
    );
    assert_eq!(m.cells[0][0].alternative, Some(1));
    assert!(m.cells[0][1].fastest);
}
