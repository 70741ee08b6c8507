//! Invariants of the quote engine over generated shops (issue 3, "property tests").

use chrono::{Days, NaiveDate};
use engine::Source;
use engine::calendar::WorkingCalendar;
use engine::quote::Chosen;
use engine::schedule::{Operation, WorkCenterLoad, forward_schedule};
use engine::snapshot::StepSource;
use engine::state::{ShopState, Stock};
use engine::supply::{Inbound, MaterialSupply, Replenishment};
use engine::synthetic::{SyntheticSpec, synthetic_shop};
use engine::{Freeze, Quote, Snapshot, Unavailable};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn small(seed: u64) -> ShopState {
    let mut state = synthetic_shop(
        SyntheticSpec {
            groups: 3,
            values_per_group: 4,
            materials: 8,
            nodes: 2,
            work_centers: 2,
            horizon_days: 90,
            bookings: 60,
            seed,
        },
        today(),
    );
    // Limits near supplier lead times and inbound dates, so freezing is decided at
    // its boundary in many cases.
    state.products[0].max_lead_time_days = (seed % 45) as u32;
    state
}

/// A valid configuration picked by `pick` from the product's groups.
fn chosen(state: &ShopState, pick: &[usize]) -> Vec<(usize, usize)> {
    let catalog = &state.products[0].catalog;
    let mut out: Vec<(usize, usize)> = catalog
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.required)
        .map(|(g, group)| (g, pick.get(g).copied().unwrap_or(0) % group.values.len()))
        .collect();
    out.sort_unstable();
    out
}

fn quote(state: &ShopState, chosen: &Chosen, quantity: u32) -> Result<Quote, Unavailable> {
    let snapshot = Snapshot::build(state.clone());
    snapshot.quote(&state.products[0], chosen, quantity)
}

proptest! {
    #[test]
    fn more_stock_never_makes_a_quote_later(
        seed in 0u64..10_000, pick in prop::collection::vec(0usize..4, 3), quantity in 1u32..20,
        material in 0u32..8, extra in 1i64..5_000,
    ) {
        let state = small(seed);
        let chosen = chosen(&state, &pick);
        let before = quote(&state, &chosen, quantity);
        let mut more = state.clone();
        match more.stock.iter_mut().find(|s| s.material == material && s.node == 0) {
            Some(row) => row.on_hand += extra,
            None => more.stock.push(Stock { material, node: 0, on_hand: extra, reserved: 0 }),
        }
        let after = quote(&more, &chosen, quantity);
        if let Ok(before) = before {
            let after = after.expect("more stock made a promisable configuration unavailable");
            prop_assert!(after.p50 <= before.p50, "{} > {}", after.p50, before.p50);
            prop_assert!(after.p90 <= before.p90);
        }
    }

    #[test]
    fn more_booked_capacity_never_makes_a_quote_earlier(
        seed in 0u64..10_000, pick in prop::collection::vec(0usize..4, 3), quantity in 1u32..20,
        wc in 0usize..2, day in 0u64..60, minutes in 1u32..480,
    ) {
        let state = small(seed);
        let chosen = chosen(&state, &pick);
        let before = quote(&state, &chosen, quantity);
        let mut busier = state.clone();
        *busier.work_centers[wc].load.booked.entry(today() + Days::new(day)).or_default() += minutes;
        let after = quote(&busier, &chosen, quantity);
        if let Ok(after) = after {
            let before = before.expect("more load made an unavailable configuration available");
            prop_assert!(after.p50 >= before.p50);
            prop_assert!(after.p90 >= before.p90);
        }
    }

    #[test]
    fn the_answer_never_precedes_today_plus_minimum_production_time(
        seed in 0u64..10_000, pick in prop::collection::vec(0usize..4, 3), quantity in 1u32..20,
    ) {
        let state = small(seed);
        let chosen = chosen(&state, &pick);
        let Ok(q) = quote(&state, &chosen, quantity) else { return Ok(()) };
        // Independently: the routing on empty lines from today (the reference
        // scheduler), then handling and transit with the plain calendar.
        let product = &state.products[0];
        let snapshot = Snapshot::build(state.clone());
        let postponed = snapshot.postpones(product, quantity);
        let empty: Vec<WorkCenterLoad> = state.work_centers.iter()
            .map(|w| WorkCenterLoad { booked: Default::default(), ..w.load.clone() })
            .collect();
        let ops: Vec<Operation> = product.routing.iter().filter(|s| !(postponed && s.generic))
            .chain(chosen.iter().flat_map(|&(g, v)| &product.recipes[g][v].operations))
            .map(|s| Operation::for_quantity(s.work_center, s.setup_minutes, s.minutes_per_unit, quantity))
            .collect();
        let done = forward_schedule(&empty, &ops, today(), state.horizon_days).unwrap();
        let ship = next_working(&state.shipping, state.shipping.add_working_days(done, product.handling_days).unwrap());
        let earliest = state.shipping.add_working_days(ship, state.transit_days).unwrap();
        prop_assert!(q.p50 >= earliest, "{} < {}", q.p50, earliest);
        prop_assert!(q.p90 >= q.p50);
    }

    #[test]
    fn configurations_reserved_one_after_the_other_never_share_a_unit_or_a_minute(
        seed in 0u64..10_000, a in prop::collection::vec(0usize..4, 3), b in prop::collection::vec(0usize..4, 3),
        qa in 1u32..30, qb in 1u32..30,
    ) {
        let mut state = small(seed);
        let initial = state.clone();
        let mut plans = Vec::new();
        for (pick, quantity) in [(a, qa), (b, qb)] {
            let chosen = chosen(&state, &pick);
            let snapshot = Snapshot::build(state.clone());
            if let Ok((_, plan)) = snapshot.plan(&state.products[0], &chosen, quantity) {
                state.reserve(&plan);
                plans.push(plan);
            }
        }
        // What both plans take from each source never exceeds what was uncommitted.
        let mut from_stock = vec![0i64; initial.stock.len()];
        let mut from_inbound = vec![0i64; initial.inbound.len()];
        let mut minutes: std::collections::BTreeMap<(usize, NaiveDate), u32> = Default::default();
        for plan in &plans {
            for used in &plan.materials {
                match used.source {
                    Source::Supply(StepSource::OnHand { stock } | StepSource::Transfer { stock, .. }) => from_stock[stock] += used.quantity,
                    Source::Supply(StepSource::Inbound { inbound }) if inbound < initial.inbound.len() => from_inbound[inbound] += used.quantity,
                    _ => {}
                }
            }
            for m in &plan.minutes {
                *minutes.entry((m.work_center, m.day)).or_default() += m.minutes;
            }
        }
        for (i, s) in initial.stock.iter().enumerate() {
            prop_assert!(from_stock[i] <= (s.on_hand - s.reserved).max(0), "stock {i} promised twice");
        }
        for (i, l) in initial.inbound.iter().enumerate() {
            prop_assert!(from_inbound[i] <= l.uncommitted.max(0), "inbound {i} promised twice");
        }
        for ((wc, day), taken) in minutes {
            let load = &initial.work_centers[wc].load;
            prop_assert!(taken <= load.free_minutes(day), "{day} at {wc}: {taken} > free");
        }
    }

    #[test]
    fn a_value_is_frozen_iff_no_supply_path_reaches_it_within_the_limit(
        seed in 0u64..10_000, quantity in 1u32..40,
    ) {
        let state = small(seed);
        let snapshot = Snapshot::build(state.clone());
        let product = &state.products[0];
        let limit = product.max_lead_time_days;
        for (g, group) in product.catalog.groups.iter().enumerate() {
            for v in 0..group.values.len() {
                let frozen = matches!(snapshot.freeze(product, g, v, quantity), Some(Freeze::Engine { .. }));
                let reachable = product.recipes[g][v].bom.iter().all(|line| {
                    let base: i64 = product.bom.iter().filter(|b| b.material == line.material).map(|b| b.quantity).sum();
                    let required = (line.quantity + base) * i64::from(quantity);
                    supply_within(&state, line.material, limit) >= required
                        || state.offers.iter().any(|o| o.material == line.material
                            && o.terms.lead_time_mean_days.ceil() as u32 <= limit)
                });
                prop_assert_eq!(frozen, !reachable, "value {}.{}", g, v);
            }
        }
    }

    #[test]
    fn prefix_sum_placement_matches_the_reference_scheduler(
        seed in 0u64..10_000, start in 0u32..40, minutes in prop::collection::vec((0usize..2, 1u32..900), 1..6),
    ) {
        let state = small(seed);
        let snapshot = Snapshot::build(state.clone());
        let loads: Vec<WorkCenterLoad> = state.work_centers.iter().map(|w| w.load.clone()).collect();
        let ops: Vec<Operation> = minutes.iter().map(|&(work_center, minutes)| Operation { work_center, minutes, planned: minutes }).collect();
        let reference = forward_schedule(&loads, &ops, today() + Days::new(u64::from(start)), state.horizon_days - start);
        let mut day = start;
        let mut cursors = [0u64; 2];
        let mut fast = Some(());
        for op in &ops {
            match snapshot.place(op.work_center, false, day, cursors[op.work_center], op.minutes) {
                Some(p) => { cursors[op.work_center] = p.to; day = p.end; }
                None => { fast = None; break; }
            }
        }
        prop_assert_eq!(reference, fast.map(|_| today() + Days::new(u64::from(day))));
    }

    #[test]
    fn supply_curves_match_the_single_node_reference(
        on_hand in 0i64..500, reserved in 0i64..500, required in 1i64..3_000,
        inbound in prop::collection::vec((0u64..60, 0i64..400), 0..4),
        supplier in prop::option::of((0u32..40, 0u32..8, 0i64..500, 1i64..50)),
    ) {
        let mut state = small(1);
        state.lanes.clear();
        state.reservations.clear();
        state.stock = vec![Stock { material: 3, node: 0, on_hand, reserved: reserved.min(on_hand) }];
        state.inbound = inbound.iter().map(|&(eta, q)| engine::state::InboundLine {
            material: 3, node: 0, kind: engine::state::InboundKind::Purchase,
            eta: today() + Days::new(eta), uncommitted: q, reference: "PO".into(),
            sd_days: 0.0,
        }).collect();
        let terms = supplier.map(|(mean, sd, moq, pack)| Replenishment {
            lead_time_mean_days: f64::from(mean), lead_time_sd_days: f64::from(sd), moq, pack_size: pack,
        });
        state.offers = terms.iter().map(|&t| engine::state::SupplierOffer {
            material: 3, supplier: "S".into(), terms: t, price: 1,
        }).collect();
        let reference = MaterialSupply {
            on_hand,
            reserved: reserved.min(on_hand),
            inbound: state.inbound.iter().map(|l| Inbound { eta: l.eta, uncommitted: l.uncommitted }).collect(),
            replenishment: terms,
        }
        .ready_date(required, today());
        let snapshot = Snapshot::build(state);
        let fast = snapshot.ready(3, 0, required);
        prop_assert_eq!(
            reference.map(|r| (r.p50, r.p90)),
            fast.map(|r| (snapshot.date(r.p50), snapshot.date(r.day_at(engine::supply::Z_P90, 0.0))))
        );
    }
}

fn next_working(calendar: &WorkingCalendar, mut day: NaiveDate) -> NaiveDate {
    while !calendar.is_working_day(day) {
        day = day + Days::new(1);
    }
    day
}

/// Every unit that can be at the producing node (node 0) by day `limit`, summed by
/// brute force over the raw state.
fn supply_within(state: &ShopState, material: u32, limit: u32) -> i64 {
    let by = state.today + Days::new(u64::from(limit));
    let free = |s: &Stock| s.on_hand - s.reserved;
    let local: i64 = state
        .stock
        .iter()
        .filter(|s| s.material == material && s.node == 0)
        .map(free)
        .filter(|q| *q > 0)
        .sum();
    let moved: i64 = state
        .stock
        .iter()
        .filter(|s| s.material == material && s.node != 0)
        .filter(|s| {
            state
                .lanes
                .iter()
                .any(|l| l.from == s.node && l.to == 0 && l.lead_time_days <= limit)
        })
        .map(free)
        .filter(|q| *q > 0)
        .sum();
    let inbound: i64 = state
        .inbound
        .iter()
        .filter(|l| l.material == material && l.node == 0 && l.eta <= by)
        .map(|l| l.uncommitted)
        .filter(|q| *q > 0)
        .sum();
    local + moved + inbound
}
