use proptest::prelude::*;

use super::*;
use crate::supply::Replenishment;

const FACTORY: NodeId = 0;
const WAREHOUSE: NodeId = 1;
const OUTLET: NodeId = 2;
const ISLAND: NodeId = 3;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

/// Wednesday 25 Nov 2026.
fn today() -> NaiveDate {
    d(11, 25)
}

fn shortage(quantity: i64, needed_by: NaiveDate) -> Shortage {
    Shortage {
        material: 7,
        node: FACTORY,
        quantity,
        needed_by,
        unit_cost: Money(10),
    }
}

fn at(node: NodeId, on_hand: i64, reserved: i64, safety_stock: i64) -> NodeStock {
    NodeStock {
        node,
        on_hand,
        reserved,
        safety_stock,
    }
}

fn lane(from: NodeId, lead_time_days: u32, cost_per_unit: i64) -> Lane {
    Lane {
        from,
        to: FACTORY,
        lead_time_days,
        cost_per_unit,
    }
}

fn offer(supplier: &str, mean: f64, moq: i64, pack_size: i64, price: i64) -> SupplierOffer {
    SupplierOffer {
        material: 7,
        supplier: supplier.into(),
        terms: Replenishment {
            lead_time_mean_days: mean,
            lead_time_sd_days: 2.0,
            moq,
            pack_size,
        },
        price,
    }
}

fn transfers(cover: &Cover) -> Vec<(NodeId, i64)> {
    let moves = cover.steps.iter().filter_map(|s| match s {
        CoverStep::Transfer(t) => Some((t.from.node, t.quantity)),
        _ => None,
    });
    moves.collect()
}

fn draft(cover: &Cover) -> Option<&PurchaseDraft> {
    cover.steps.iter().find_map(|s| match s {
        CoverStep::Purchase(p) => Some(p),
        _ => None,
    })
}

/// The warehouse has 300 − 100 − 50 = 150 to spare, 2 days away at 5 a unit; the
/// outlet 400 − 0 − 100 = 300, 4 days away at 3; the island 1,000 but no lane.
fn network() -> Sources {
    Sources {
        stock: vec![
            at(FACTORY, 900, 0, 0),
            at(WAREHOUSE, 300, 100, 50),
            at(OUTLET, 400, 0, 100),
            at(ISLAND, 1_000, 0, 0),
        ],
        lanes: vec![lane(WAREHOUSE, 2, 5), lane(OUTLET, 4, 3)],
        freed: vec![],
        offers: vec![],
    }
}

#[test]
fn surplus_comes_first_from_the_nearest_node_then_freed_parts() {
    let mut sources = network();
    sources.freed = vec![
        FreedParts {
            order: 43,
            node: WAREHOUSE,
            quantity: 100,
        },
        FreedParts {
            order: 42,
            node: FACTORY,
            quantity: 20,
        },
    ];
    sources.offers = vec![offer("Weberei Nord", 10.0, 0, 1, 12)];
    let cover = cover(&shortage(500, d(12, 5)), &sources, today());
    // 500: 150 from the warehouse (arrives 27 Nov), 300 from the outlet (29 Nov), 50
    // left; 20 freed at the factory itself (today), 30 of the 100 freed at the warehouse
    // (27 Nov). Nothing left to buy. The factory's own 900 and the island are not asked.
    assert_eq!(transfers(&cover), [(WAREHOUSE, 150), (OUTLET, 300)]);
    let CoverStep::Transfer(first) = &cover.steps[0] else {
        panic!()
    };
    assert_eq!(
        (first.surplus, first.arrives, first.on_time),
        (150, d(11, 27), true)
    );
    // 150 × 10 of material, 150 × 5 of freight.
    assert_eq!((first.value, first.cost), (Money(1_500), Money(750)));
    let freed: Vec<(OrderId, i64, NaiveDate, Money)> = cover.steps[2..]
        .iter()
        .map(|s| match s {
            CoverStep::Freed(f) => (f.parts.order, f.quantity, f.arrives, f.cost),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        freed,
        [(42, 20, today(), Money(0)), (43, 30, d(11, 27), Money(150))]
    );
    assert_eq!((draft(&cover), cover.uncovered), (None, 0));
}

#[test]
fn the_rest_is_drafted_from_the_cheapest_offer_on_time() {
    // 600 short, 450 internal (above): 150 to buy. Nord: 150 → 200 (MOQ 200) × 11 =
    // 2,200 in 13.2 → 14 days (9 Dec). Süd: 150 × 12 = 1,800 in 5 days. Both make 10 Dec;
    // Süd costs less.
    let mut sources = network();
    sources.offers = vec![offer("Nord", 13.2, 200, 50, 11), offer("Süd", 5.0, 0, 1, 12)];
    let cover = cover(&shortage(600, d(12, 10)), &sources, today());
    let draft = draft(&cover).unwrap();
    assert_eq!(
        draft,
        &PurchaseDraft {
            supplier: "Süd".into(),
            shortfall: 150,
            quantity: 150,
            lead_time_days: 5,
            arrives: d(11, 30),
            expedite: false,
            value: Money(1_800),
        }
    );
    assert_eq!(cover.uncovered, 0);
}

#[test]
fn a_cheaper_offer_that_arrives_late_loses_to_one_on_time() {
    // Nord is cheaper (2,200 vs 2,400 for 200) but arrives 9 Dec, after 5 Dec.
    let sources = Sources {
        offers: vec![offer("Nord", 14.0, 0, 1, 11), offer("Süd", 5.0, 0, 1, 12)],
        ..Sources::default()
    };
    let cover = cover(&shortage(200, d(12, 5)), &sources, today());
    let draft = draft(&cover).unwrap();
    assert_eq!((draft.supplier.as_str(), draft.expedite), ("Süd", false));
}

#[test]
fn when_every_offer_is_late_the_fastest_is_drafted_as_expedite() {
    // Needed by 28 Nov: Süd arrives 30 Nov, Nord 9 Dec.
    let sources = Sources {
        offers: vec![offer("Nord", 14.0, 0, 1, 11), offer("Süd", 5.0, 0, 1, 12)],
        ..Sources::default()
    };
    let cover = cover(&shortage(200, d(11, 28)), &sources, today());
    let draft = draft(&cover).unwrap();
    assert_eq!(
        (draft.supplier.as_str(), draft.arrives, draft.expedite),
        ("Süd", d(11, 30), true)
    );
}

#[test]
fn a_lead_time_ending_on_the_date_itself_is_not_expedited() {
    let sources = Sources {
        offers: vec![offer("Süd", 5.0, 0, 1, 12)],
        ..Sources::default()
    };
    assert!(
        !draft(&cover(&shortage(1, d(11, 30)), &sources, today()))
            .unwrap()
            .expedite
    );
    assert!(
        draft(&cover(&shortage(1, d(11, 29)), &sources, today()))
            .unwrap()
            .expedite
    );
}

#[test]
fn a_node_with_no_safety_stock_gives_all_its_free_stock() {
    let sources = Sources {
        stock: vec![at(WAREHOUSE, 300, 100, 0)],
        lanes: vec![lane(WAREHOUSE, 2, 5)],
        ..Sources::default()
    };
    let cover = cover(&shortage(500, d(12, 5)), &sources, today());
    assert_eq!(transfers(&cover), [(WAREHOUSE, 200)]);
    // No offer: the other 300 stay uncovered.
    assert_eq!(cover.uncovered, 300);
}

#[test]
fn a_node_exactly_at_its_safety_stock_sends_nothing() {
    let sources = Sources {
        stock: vec![at(WAREHOUSE, 150, 100, 50)],
        lanes: vec![lane(WAREHOUSE, 2, 5)],
        ..Sources::default()
    };
    let cover = cover(&shortage(10, d(12, 5)), &sources, today());
    assert!(cover.steps.is_empty());
    assert_eq!(cover.uncovered, 10);
}

#[test]
fn a_transfer_arriving_after_the_date_is_still_suggested_but_flagged() {
    let cover = cover(&shortage(100, d(11, 26)), &network(), today());
    let CoverStep::Transfer(t) = &cover.steps[0] else {
        panic!()
    };
    assert_eq!((t.quantity, t.arrives, t.on_time), (100, d(11, 27), false));
}

#[test]
fn nothing_missing_suggests_nothing() {
    for quantity in [0, -5] {
        let cover = cover(&shortage(quantity, d(12, 5)), &network(), today());
        assert!(cover.steps.is_empty());
        assert_eq!(cover.uncovered, 0);
    }
}

proptest! {
    #[test]
    fn no_transfer_takes_a_node_below_its_own_safety_stock(
        nodes in prop::collection::vec((0i64..500, 0i64..500, -20i64..300, 0u32..10, 0i64..20), 1..6),
        quantity in 0i64..2_000,
        needed_in in 0u64..20,
    ) {
        // Node 0 is short; nodes 1.. have stock and a lane to it.
        let mut sources = Sources::default();
        for (i, &(on_hand, reserved, safety_stock, days, cost)) in nodes.iter().enumerate() {
            let node = i + 1;
            sources.stock.push(at(node, on_hand, reserved, safety_stock));
            sources.lanes.push(lane(node, days, cost));
        }
        let needed_by = today() + Days::new(needed_in);
        let cover = cover(&shortage(quantity, needed_by), &sources, today());
        for stock in &sources.stock {
            let sent: i64 = transfers(&cover).iter().filter(|(n, _)| *n == stock.node).map(|(_, q)| q).sum();
            if sent > 0 {
                prop_assert!(stock.on_hand - stock.reserved - sent >= stock.safety_stock.max(0),
                    "{stock:?} sent {sent}");
            }
        }
        let internal: i64 = transfers(&cover).iter().map(|(_, q)| q).sum();
        prop_assert!(internal <= quantity);
        prop_assert_eq!(internal + cover.uncovered, quantity);
    }
}
