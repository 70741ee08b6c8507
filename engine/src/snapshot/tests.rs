//! The snapshot's primitives on the hand-made shop of `testkit`.

use super::*;
use crate::testkit::*;

#[test]
fn shipping_days_count_from_the_day_after_and_land_on_a_shipping_day() {
    let s = Snapshot::build(shop());
    // Offsets from Wed 25 Nov: Sat 28 = 3, Mon 30 = 5, Tue 1 Dec = 6.
    assert_eq!(
        s.add_shipping_days(0, 0),
        Some(0),
        "a shipping day ships the same day"
    );
    assert_eq!(s.add_shipping_days(3, 0), Some(5), "Saturday moves on to Monday");
    assert_eq!(
        s.add_shipping_days(3, 2),
        Some(6),
        "Saturday + 2 shipping days = Tuesday"
    );
    assert_eq!(s.add_shipping_days(0, 2), Some(2), "Wednesday + 2 = Friday");
}

#[test]
fn supply_curves_run_in_arrival_order_with_totals() {
    let mut state = shop();
    stock(&mut state, LAGOON, WAREHOUSE, 300);
    let s = Snapshot::build(state);
    let curve = s.curve(LAGOON, FACTORY);
    let days: Vec<(u32, i64)> = curve.iter().map(|st| (st.day, st.cumulative)).collect();
    // Warehouse stock in 2 days, then the PO on 1 Dec (day 6).
    assert_eq!(days, vec![(2, 300), (6, 1_300)]);
    assert_eq!(s.ready(LAGOON, FACTORY, 300).map(|r| r.p50), Some(2));
    assert_eq!(s.ready(LAGOON, FACTORY, 301).map(|r| r.p50), Some(6));
    assert_eq!(s.ready(LAGOON, FACTORY, 1_301), None);
}

#[test]
fn placement_skips_closed_days_and_booked_minutes() {
    let mut state = shop();
    book(&mut state, SEWING, d(11, 26), 300);
    let s = Snapshot::build(state);
    // 480 free Wed, 180 Thu, 480 Fri: 700 minutes end on Friday (day 2).
    let placed = s.place(SEWING, false, 0, 0, 700).unwrap();
    assert_eq!(placed.end, 2);
    // On an empty line they end on Thursday.
    assert_eq!(s.place(SEWING, true, 0, 0, 700).unwrap().end, 1);
    // Starting on Saturday, the first minute is on Monday (day 5).
    assert_eq!(s.place(SEWING, false, 3, 0, 1).unwrap().end, 5);
}
