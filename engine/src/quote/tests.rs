//! Single quotes against the hand-made shop of `testkit`, dates computed by hand.

use super::*;
use crate::snapshot::Snapshot;
use crate::state::{CapacityReservation, ShopState};
use crate::testkit::*;

const NAVY_V: (usize, usize) = (0, 0);
const LAGOON_V: (usize, usize) = (0, 1);
const MONOGRAM_V: (usize, usize) = (1, 0);

fn quote(state: ShopState, chosen: &[(usize, usize)], quantity: u32) -> Result<Quote, Unavailable> {
    let snapshot = Snapshot::build(state);
    let product = snapshot.state.products[0].clone();
    snapshot.quote(&product, chosen, quantity)
}

fn sentence(state: ShopState, chosen: &[(usize, usize)]) -> String {
    let snapshot = Snapshot::build(state);
    let product = snapshot.state.products[0].clone();
    let q = snapshot.quote(&product, chosen, 1).unwrap();
    snapshot.describe_constraint(&q.constraint)
}

#[test]
fn in_stock_is_made_today_then_handled_and_shipped() {
    // Cutting 30 + sewing 90 minutes fit on Wed 25; ships Thu 26 (1 handling day),
    // arrives Mon 30 (2 transit days over the weekend).
    let q = quote(shop(), &[NAVY_V], 1).unwrap();
    assert_eq!((q.completion, q.p50, q.p90), (d(11, 25), d(11, 30), d(11, 30)));
    assert_eq!(
        (q.lead_days_p50, q.constraint.clone()),
        (5, Constraint::Production)
    );
    assert_eq!(q.price, crate::Money(10_000));
}

#[test]
fn a_purchase_order_binds_with_its_reference_and_date() {
    // Lagoon arrives Tue 1 Dec: made that day, ships Wed 2, arrives Fri 4.
    let q = quote(shop(), &[LAGOON_V], 1).unwrap();
    assert_eq!((q.completion, q.p50), (d(12, 1), d(12, 4)));
    assert_eq!(q.price, crate::Money(11_500));
    assert!(matches!(
        q.constraint,
        Constraint::Material { material: LAGOON, .. }
    ));
    assert_eq!(
        sentence(shop(), &[LAGOON_V]),
        "Waiting for Lagoon canvas: purchase order PO-7 arriving 1 Dec"
    );
}

#[test]
fn booked_sewing_binds_and_says_until_when() {
    let mut state = shop();
    for day in [d(11, 25), d(11, 26), d(11, 27)] {
        book(&mut state, SEWING, day, 480);
    }
    // Sewing only on Mon 30; ships Tue 1, arrives Thu 3 Dec; 5 days later than empty.
    let q = quote(state.clone(), &[NAVY_V], 1).unwrap();
    assert_eq!((q.completion, q.p50), (d(11, 30), d(12, 3)));
    assert_eq!(
        q.constraint,
        Constraint::Capacity {
            work_center: SEWING,
            booked_until: d(11, 30),
            delay_days: 5
        }
    );
    assert_eq!(sentence(state, &[NAVY_V]), "Sewing booked until 30 Nov");
}

#[test]
fn setup_minutes_count_once_per_order() {
    // 10 bags: cutting 300 min; sewing 30 + 600 = 630 > 480 free after nothing booked:
    // 480 on Wed, 150 on Thu.
    let q = quote(shop(), &[NAVY_V], 10).unwrap();
    assert_eq!(q.completion, d(11, 26));
    // 7 bags: sewing 30 + 420 = 450 fits Wednesday after cutting 210.
    assert_eq!(quote(shop(), &[NAVY_V], 7).unwrap().completion, d(11, 25));
}

#[test]
fn two_operations_on_one_center_never_share_a_minute() {
    // Sewing 90 + embroidery 20 on one center; with 400 booked on Wed only 80 are free:
    // sewing takes 80 Wed + 10 Thu, embroidery 20 Thu.
    let mut state = shop();
    book(&mut state, SEWING, d(11, 25), 400);
    let q = quote(state, &[NAVY_V, MONOGRAM_V], 1).unwrap();
    assert_eq!(q.completion, d(11, 26));
}

#[test]
fn surplus_at_another_node_is_transferred_and_ties_go_to_the_cheaper_source() {
    let mut state = shop();
    stock(&mut state, NAVY, FACTORY, 0);
    stock(&mut state, NAVY, WAREHOUSE, 500);
    // Warehouse stock reaches the factory Fri 27: made Fri, ships Mon 30, arrives Wed 2.
    let snapshot = Snapshot::build(state.clone());
    let product = snapshot.state.products[0].clone();
    let (q, plan) = snapshot.plan(&product, &[NAVY_V], 1).unwrap();
    assert_eq!((q.completion, q.p50), (d(11, 27), d(12, 2)));
    assert_eq!(plan.sourcing_cost, 100 * 5);
    assert_eq!(
        snapshot.describe_constraint(&q.constraint),
        "Waiting for Navy canvas: moving from Warehouse, arriving 27 Nov"
    );
    // A local PO arriving the same day costs nothing to move: it is used instead.
    state.inbound.push(crate::state::InboundLine {
        material: NAVY,
        node: FACTORY,
        kind: crate::state::InboundKind::Purchase,
        eta: d(11, 27),
        uncommitted: 100,
        reference: "PO-9".into(),
        sd_days: 0.0,
    });
    let snapshot = Snapshot::build(state);
    let (_, plan) = snapshot.plan(&product, &[NAVY_V], 1).unwrap();
    assert_eq!(plan.sourcing_cost, 0);
}

#[test]
fn a_supplier_order_uses_mean_for_p50_and_mean_plus_1_28_sd_for_p90() {
    let mut state = shop();
    stock(&mut state, NAVY, FACTORY, 0);
    supplier(&mut state, NAVY, 10.0, 2.5);
    // P50: Sat 5 Dec, production Mon 7, ships Tue 8, arrives Thu 10.
    // P90: 10 + 3.2 -> 14 days, Wed 9; ships Thu 10, arrives Mon 14.
    let q = quote(state, &[NAVY_V], 1).unwrap();
    assert_eq!((q.p50, q.p90), (d(12, 10), d(12, 14)));
    assert_eq!((q.lead_days_p50, q.lead_days_p90), (15, 19));
    match q.constraint {
        Constraint::Material {
            source: Source::SupplierOrder { order_quantity, .. },
            ..
        } => assert_eq!(order_quantity, 500, "MOQ 500 covers the 100 needed"),
        other => panic!("expected a supplier constraint, got {other:?}"),
    }
}

#[test]
fn reserved_supplier_capacity_is_supply_from_its_window() {
    let mut state = shop();
    stock(&mut state, NAVY, FACTORY, 0);
    state.reservations.push(CapacityReservation {
        material: NAVY,
        node: FACTORY,
        supplier: "Weberei Nord".into(),
        quantity: 300,
        window_start: d(12, 3),
        window_end: d(12, 31),
    });
    let q = quote(state.clone(), &[NAVY_V], 1).unwrap();
    assert_eq!(q.completion, d(12, 3));
    // An expired window supplies nothing.
    state.reservations[0].window_end = d(11, 24);
    assert_eq!(
        quote(state, &[NAVY_V], 1),
        Err(Unavailable::NoSupply { material: NAVY })
    );
}

#[test]
fn generic_parts_in_stock_skip_the_generic_operations() {
    let mut state = shop();
    stock(&mut state, THREAD, FACTORY, 0);
    stock(&mut state, SHELL, FACTORY, 3);
    for day in [d(11, 25), d(11, 26)] {
        book(&mut state, CUTTING, day, 480);
    }
    // Two bags: shells cover them, so neither cutting (booked) nor thread (none) matters.
    let q = quote(state.clone(), &[NAVY_V], 2).unwrap();
    assert!(q.postponed);
    assert_eq!(q.completion, d(11, 25));
    // Five bags: not enough shells, the thread is missing.
    assert_eq!(
        quote(state, &[NAVY_V], 5),
        Err(Unavailable::NoSupply { material: THREAD })
    );
}

#[test]
fn shipping_skips_holidays_of_the_shop_calendar() {
    let mut state = shop();
    state.shipping = crate::WorkingCalendar::new(crate::calendar::Weekdays::MON_FRI, [d(11, 26)]);
    // Completed Wed 25; Thu 26 is a shipping holiday: ships Fri 27, arrives Tue 1 Dec.
    assert_eq!(quote(state, &[NAVY_V], 1).unwrap().p50, d(12, 1));
}

#[test]
fn capacity_beyond_the_horizon_is_unavailable() {
    let mut state = shop();
    state.horizon_days = 10;
    for day in d(11, 25).iter_days().take(11) {
        book(&mut state, SEWING, day, 480);
    }
    assert_eq!(
        quote(state, &[NAVY_V], 1),
        Err(Unavailable::NoCapacity { work_center: SEWING })
    );
}

#[test]
fn a_plan_consumes_exactly_the_requirement_and_its_minutes() {
    let snapshot = Snapshot::build(shop());
    let product = snapshot.state.products[0].clone();
    let (_, plan) = snapshot.plan(&product, &[NAVY_V, MONOGRAM_V], 2).unwrap();
    let navy: i64 = plan
        .materials
        .iter()
        .filter(|u| u.material == NAVY)
        .map(|u| u.quantity)
        .sum();
    assert_eq!(navy, 200);
    let minutes: u32 = plan.minutes.iter().map(|m| m.minutes).sum();
    // Cutting 60 + sewing 30 + 120 + embroidery 40.
    assert_eq!(minutes, 250);
}

#[test]
fn a_reserved_plan_is_not_promised_again() {
    let mut state = shop();
    stock(&mut state, NAVY, FACTORY, 150);
    let snapshot = Snapshot::build(state.clone());
    let product = snapshot.state.products[0].clone();
    let (_, plan) = snapshot.plan(&product, &[NAVY_V], 1).unwrap();
    state.reserve(&plan);
    // 50 navy left, 100 needed, nothing inbound or orderable.
    let after = Snapshot::build(state);
    assert_eq!(
        after.quote(&product, &[NAVY_V], 1),
        Err(Unavailable::NoSupply { material: NAVY })
    );
}

#[test]
fn production_moves_earlier_onto_free_capacity_once_its_own_minutes_are_released() {
    // Lagoon waits for PO-7 (1 Dec): its cutting and sewing are booked that day.
    let state = shop();
    let snapshot = Snapshot::build(state.clone());
    let product = snapshot.state.products[0].clone();
    let (_, plan) = snapshot.plan(&product, &[LAGOON_V], 1).unwrap();
    assert!(
        plan.minutes.iter().all(|m| m.day == d(12, 1)),
        "{:?}",
        plan.minutes
    );
    let mut booked = state.clone();
    booked.reserve(&plan);

    // The line came early: with its own minutes released, the order is made today.
    let mut released = booked.clone();
    released.release_minutes(&plan.minutes);
    assert_eq!(
        released.work_centers, state.work_centers,
        "releasing minutes is the inverse of booking them"
    );
    let moved = Snapshot::build(released.clone())
        .reschedule(&plan.operations, d(11, 25))
        .unwrap();
    assert_eq!(
        moved
            .iter()
            .map(|m| (m.work_center, m.day, m.minutes))
            .collect::<Vec<_>>(),
        [(CUTTING, d(11, 25), 30), (SEWING, d(11, 25), 90)]
    );

    // Sewing full until Friday: the first free minutes after it.
    for day in [d(11, 25), d(11, 26), d(11, 27)] {
        book(&mut released, SEWING, day, 480);
    }
    let moved = Snapshot::build(released)
        .reschedule(&plan.operations, d(11, 25))
        .unwrap();
    assert_eq!(moved.iter().map(|m| m.day).max(), Some(d(11, 30)));
    let minutes: u32 = moved.iter().map(|m| m.minutes).sum();
    assert_eq!(minutes, 120, "the same minutes, elsewhere");
}

/// The shop with its navy canvas gone: navy comes from a new supplier order.
fn navy_from_supplier(mean: f64, sd: f64) -> ShopState {
    let mut state = shop();
    stock(&mut state, NAVY, FACTORY, 0);
    supplier(&mut state, NAVY, mean, sd);
    state
}

#[test]
fn the_promise_is_the_chosen_quantile_of_the_suppliers_lead_time() {
    // Mean 10, sd 4: the median material day 10 (Sat 5 Dec → made Mon 7), P90 day
    // ceil(10 + 1.28 × 4) = 16 (Fri 11), the 97 % day ceil(10 + 1.881 × 4) = 18 (Sun 13
    // → made Mon 14). Each ships the next working day and arrives two working days on.
    let q = quote(navy_from_supplier(10.0, 4.0), &[NAVY_V], 1).unwrap();
    assert_eq!((q.p50, q.p90, q.promised), (d(12, 10), d(12, 16), d(12, 17)));
    assert_eq!(q.lead_days_promised, 22);

    let mut surer = navy_from_supplier(10.0, 4.0);
    surer.promise_quantile = 0.999;
    // ceil(10 + 3.09 × 4) = 23: Fri 18 Dec, ships Mon 21, arrives Wed 23.
    let q = quote(surer, &[NAVY_V], 1).unwrap();
    assert_eq!(q.promised, d(12, 23));

    // A supplier that is never late leaves nothing to spread: one date.
    let q = quote(navy_from_supplier(10.0, 0.0), &[NAVY_V], 1).unwrap();
    assert_eq!((q.p90, q.promised), (q.p50, q.p50));
}

#[test]
fn a_late_inbound_line_spreads_the_promise_of_what_waits_for_it() {
    let mut state = shop();
    state.inbound[0].sd_days = 3.0;
    // Lagoon's PO is due Tue 1 Dec (day 6): P90 day ceil(6 + 3.84) = 10 (Sat 5 → made
    // Mon 7, ships Tue 8, arrives Thu 10); the 97 % day ceil(6 + 5.64) = 12 (Mon 7
    // → same). The median stays the PO's date.
    let q = quote(state, &[LAGOON_V], 1).unwrap();
    assert_eq!((q.p50, q.p90, q.promised), (d(12, 4), d(12, 10), d(12, 10)));
}

#[test]
fn production_spread_joins_the_materials_on_the_binding_path() {
    // Navy in stock, but sewing's pace varies by 50 % from order to order: 90 sewing
    // minutes spread by 45, a tenth of a 480-minute day. The path's spread is then
    // hypot(0, 0.09375) days: still within today at P90 (ceil(0.12) = 1 day later at
    // most) ...
    let mut state = shop();
    state.work_centers[SEWING].pace.sd = 0.5;
    let calm = quote(shop(), &[NAVY_V], 1).unwrap();
    let q = quote(state.clone(), &[NAVY_V], 1).unwrap();
    assert_eq!(q.p50, calm.p50, "the median does not move");
    assert!(q.promised > calm.promised, "{q:?}");

    // ... and with a supplier's spread on the same path the two add as variances: the
    // promise is later than either spread alone would make it.
    let mut both = navy_from_supplier(10.0, 4.0);
    both.work_centers[SEWING].pace.sd = 20.0;
    let supplier_only = quote(navy_from_supplier(10.0, 4.0), &[NAVY_V], 1).unwrap();
    let mut production_only = shop();
    production_only.work_centers[SEWING].pace.sd = 20.0;
    let production_only = quote(production_only, &[NAVY_V], 1).unwrap();
    let q = quote(both, &[NAVY_V], 1).unwrap();
    assert!(q.promised > supplier_only.promised, "{q:?} vs {supplier_only:?}");
    assert!(q.lead_days_promised > production_only.lead_days_promised);
}

#[test]
fn a_slow_work_center_is_booked_for_the_minutes_it_really_takes() {
    let mut state = shop();
    state.work_centers[SEWING].pace.ratio = 2.0;
    let snapshot = Snapshot::build(state);
    let product = snapshot.state.products[0].clone();
    let (_, plan) = snapshot.plan(&product, &[NAVY_V], 1).unwrap();
    let sewing: u32 = plan
        .minutes
        .iter()
        .filter(|m| m.work_center == SEWING)
        .map(|m| m.minutes)
        .sum();
    assert_eq!(sewing, 2 * (30 + 60), "setup and run, twice as long");
}
