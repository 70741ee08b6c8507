//! The generator's promises: deterministic, the right sizes, and the scenarios in place.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};

use super::model::{DemoShop, HeatKind, InboundStatus, OrderStatus, SupplyStatus, ValueRef};
use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 18).unwrap()
}

fn demo() -> DemoShop {
    generate(DEMO_SEED, today())
}

/// Several `today`s, in different months and on different weekdays (the history's
/// random draws depend on the weekday pattern), for properties that must not hang on
/// the calendar.
fn todays() -> Vec<NaiveDate> {
    [
        "2026-01-02",
        "2026-03-18",
        "2026-06-27",
        "2026-11-30",
        "2027-08-12",
    ]
    .iter()
    .map(|d| d.parse().unwrap())
    .collect()
}

fn locate(demo: &DemoShop, value: ScenarioValue) -> (usize, ValueRef) {
    history::locate(&demo.products, value).expect("scenario value exists")
}

/// `add_to_cart` events of a value over its `option_select` events, from `since` on.
fn add_to_cart_rate(demo: &DemoShop, product: usize, value: ValueRef, since: NaiveDate) -> (usize, usize) {
    let count = |kind| {
        demo.heat_events
            .iter()
            .filter(|e| e.product == product && e.values.contains(&value) && e.kind == kind)
            .filter(|e| e.occurred_at.date_naive() >= since)
            .count()
    };
    (count(HeatKind::AddToCart), count(HeatKind::OptionSelect))
}

#[test]
fn the_same_seed_and_day_give_the_same_shop() {
    assert_eq!(demo(), demo());
    assert_ne!(demo().heat_events, generate(DEMO_SEED + 1, today()).heat_events);
}

#[test]
fn the_shop_has_the_promised_shape() {
    let demo = demo();
    assert_eq!(demo.shop.slug, DEMO_SHOP_SLUG);
    assert_eq!(demo.nodes.len(), 3);
    assert!(
        (35..=50).contains(&demo.materials.len()),
        "{} materials",
        demo.materials.len()
    );
    assert_eq!(demo.suppliers.len(), 5);
    assert_eq!(
        demo.suppliers
            .iter()
            .filter(|s| s.status == SupplyStatus::Discontinued)
            .count(),
        1
    );
    assert_eq!(demo.work_centers.len(), 4);
    assert_eq!(demo.products.len(), 3);
    for product in &demo.products {
        assert!((3..=5).contains(&product.groups.len()), "{}", product.slug);
        for group in &product.groups {
            assert!(
                (3..=8).contains(&group.values.len()),
                "{}.{}",
                product.slug,
                group.code
            );
        }
    }
    assert_eq!(demo.api_keys.len(), 2);
    assert!(demo.materials.iter().any(|m| m.is_generic) && demo.materials.iter().any(|m| !m.is_generic));
}

#[test]
fn history_has_a_few_hundred_orders_and_tens_of_thousands_of_events() {
    for today in todays() {
        let demo = generate(DEMO_SEED, today);
        assert!(
            (150..=450).contains(&demo.orders.len()),
            "{today}: {} orders",
            demo.orders.len()
        );
        let events = demo.heat_events.len();
        assert!((20_000..=40_000).contains(&events), "{today}: {events} events");
    }
}

#[test]
fn exactly_one_value_cannot_be_supplied_and_it_is_the_scenario_one() {
    let demo = demo();
    let active: BTreeSet<&str> = demo
        .suppliers
        .iter()
        .filter(|s| s.status == SupplyStatus::Active)
        .map(|s| s.code.as_str())
        .collect();
    let stranded = |sku: &str| {
        let supplied = demo.supplier_materials.iter().any(|o| {
            o.sku == sku && o.status == SupplyStatus::Active && active.contains(o.supplier.as_str())
        });
        let on_hand: i64 = demo
            .stock
            .iter()
            .filter(|s| s.sku == sku)
            .map(|s| s.on_hand)
            .sum();
        let inbound = demo.inbound.iter().any(|i| i.sku == sku);
        !supplied && on_hand == 0 && !inbound
    };
    let mut found = Vec::new();
    for product in &demo.products {
        for group in &product.groups {
            for value in &group.values {
                if value.bom.iter().any(|line| stranded(&line.sku)) {
                    found.push((product.slug.as_str(), group.code.as_str(), value.code.as_str()));
                }
            }
        }
    }
    let expected = UNSUPPLIABLE_VALUE;
    assert_eq!(found, [(expected.product, expected.group, expected.value)]);
}

#[test]
fn the_merchant_froze_one_value_for_the_season() {
    let demo = demo();
    let frozen: Vec<_> = demo
        .products
        .iter()
        .flat_map(|p| {
            p.groups
                .iter()
                .flat_map(move |g| g.values.iter().map(move |v| (p, g, v)))
        })
        .filter_map(|(p, g, v)| {
            Some((
                p.slug.as_str(),
                g.code.as_str(),
                v.code.as_str(),
                v.frozen.as_ref()?,
            ))
        })
        .collect();
    assert_eq!(frozen.len(), 1);
    let (product, group, value, freeze) = frozen[0];
    assert_eq!(
        (product, group, value),
        (FROZEN_VALUE.product, FROZEN_VALUE.group, FROZEN_VALUE.value)
    );
    assert_eq!(freeze.reason, FROZEN_REASON);
    assert_eq!(freeze.by, "merchant");
}

#[test]
fn every_order_selection_is_valid_for_its_product() {
    let demo = demo();
    for order in &demo.orders {
        let product = &demo.products[order.product];
        for (group, codes) in &order.selection {
            let group = product
                .groups
                .iter()
                .find(|g| &g.code == group)
                .expect("known group");
            assert!(
                group.multi || codes.len() == 1,
                "{}: {:?}",
                order.reference,
                order.selection
            );
            for code in codes {
                assert!(
                    group.values.iter().any(|v| &v.code == code),
                    "{}: unknown {code}",
                    order.reference
                );
            }
            assert_eq!(
                codes.iter().collect::<BTreeSet<_>>().len(),
                codes.len(),
                "duplicates"
            );
        }
        for group in product.groups.iter().filter(|g| g.required) {
            assert!(
                order.selection.contains_key(&group.code),
                "{} misses {}",
                order.reference,
                group.code
            );
        }
        assert!(order.quoted_p50 <= order.quoted_p90 && order.quoted_p90 <= order.promised_on);
        assert_eq!(
            order.delivered_on.is_some(),
            order.status == OrderStatus::Delivered
        );
        assert!(order.placed_at.date_naive() < today());
    }
}

#[test]
fn orders_are_old_and_delivered_or_recent_and_open() {
    let demo = demo();
    let count = |status| demo.orders.iter().filter(|o| o.status == status).count();
    assert!(count(OrderStatus::Delivered) > demo.orders.len() / 2);
    assert!(count(OrderStatus::Placed) + count(OrderStatus::InProduction) >= 5);
    for order in demo.orders.iter().filter(|o| o.status.is_open()) {
        assert!(
            order.placed_at.date_naive() >= today() - Days::new(45),
            "{} is old",
            order.reference
        );
    }
    let references: BTreeSet<&str> = demo.orders.iter().map(|o| o.reference.as_str()).collect();
    assert_eq!(references.len(), demo.orders.len());
}

#[test]
fn open_orders_hold_their_materials_and_stock_adds_up() {
    let demo = demo();
    for (index, order) in demo.orders.iter().enumerate() {
        let held = demo.reservations.iter().any(|r| r.order == index);
        assert_eq!(held, order.status.is_open(), "{}", order.reference);
    }
    for stock in &demo.stock {
        let reserved: i64 = demo
            .reservations
            .iter()
            .filter(|r| r.inbound.is_none() && r.sku == stock.sku && r.node == stock.node)
            .map(|r| r.quantity)
            .sum();
        assert_eq!(stock.reserved, reserved, "{} at {}", stock.sku, stock.node);
        assert!(stock.on_hand >= stock.reserved);
    }
    for r in demo.reservations.iter().filter_map(|r| r.inbound) {
        assert_eq!(demo.inbound[r].status, InboundStatus::Confirmed);
    }
}

#[test]
fn demand_is_intermittent_for_every_product() {
    let demo = demo();
    for (index, product) in demo.products.iter().enumerate() {
        let per_day: BTreeMap<NaiveDate, usize> =
            demo.orders
                .iter()
                .filter(|o| o.product == index)
                .fold(BTreeMap::new(), |mut days, o| {
                    *days.entry(o.placed_at.date_naive()).or_default() += 1;
                    days
                });
        let first = *per_day.keys().next().expect("some orders");
        let selling_days = (today() - first).num_days() as usize;
        assert!(
            per_day.len() < selling_days * 9 / 10,
            "{}: too few zero days",
            product.slug
        );
        assert!(
            per_day.len() > selling_days / 5,
            "{}: too many zero days",
            product.slug
        );
    }
}

#[test]
fn the_niche_colour_spikes_above_fifteen_percent_add_to_cart_in_the_last_two_weeks() {
    for today in todays() {
        let demo = generate(DEMO_SEED, today);
        let (product, value) = locate(&demo, NICHE_VALUE);
        let (carts, selects) = add_to_cart_rate(&demo, product, value, today - Days::new(14));
        assert!(
            carts * 100 >= selects * 15,
            "{today}: {carts} carts of {selects} selects"
        );
        // Before the spike, it was an ordinary niche colour.
        let before: (usize, usize) = {
            let (all_carts, all_selects) = add_to_cart_rate(&demo, product, value, today - Days::new(180));
            (all_carts - carts, all_selects - selects)
        };
        assert!(
            before.0 * 100 < before.1 * 15,
            "{today}: {before:?} before the spike"
        );
    }
}

/// A spike detector needs a minimum sample (one cart more or less swings a rate over a
/// dozen selects); with 25 selects or more, only the niche colour crosses 15 %.
#[test]
fn no_other_value_with_a_fair_sample_spikes() {
    for today in todays() {
        let demo = generate(DEMO_SEED, today);
        let niche = locate(&demo, NICHE_VALUE);
        for (p, product) in demo.products.iter().enumerate() {
            for (g, group) in product.groups.iter().enumerate() {
                for v in (0..group.values.len()).map(|value| ValueRef { group: g, value }) {
                    let (carts, selects) = add_to_cart_rate(&demo, p, v, today - Days::new(14));
                    if (p, v) != niche && selects >= 25 {
                        let code = &group.values[v.value].code;
                        assert!(carts * 100 < selects * 15, "{today}: {code} {carts}/{selects}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_funnel_narrows_from_views_to_purchases() {
    let demo = demo();
    let sessions = |kind: HeatKind| {
        demo.heat_events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.session_id.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let viewed = sessions(HeatKind::View);
    let configured = sessions(HeatKind::OptionSelect);
    let carted = sessions(HeatKind::AddToCart);
    let bought = sessions(HeatKind::Purchase) + sessions(HeatKind::Preorder);
    assert!(
        viewed > 2 * configured && configured > carted && carted > bought,
        "{viewed} {configured} {carted} {bought}"
    );
    assert_eq!(bought, demo.orders.len());
    let ids: BTreeSet<&str> = demo.heat_events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), demo.heat_events.len());
    assert!(
        demo.heat_events
            .iter()
            .all(|e| e.occurred_at < catalog::days_ago(today(), 0))
    );
}

#[test]
fn bookings_never_exceed_a_work_centers_day() {
    let demo = demo();
    let mut load: BTreeMap<(&str, NaiveDate), i32> = BTreeMap::new();
    for booking in &demo.bookings {
        assert!(booking.day >= today());
        *load
            .entry((booking.work_center.as_str(), booking.day))
            .or_default() += booking.minutes;
    }
    for ((code, day), minutes) in load {
        let center = demo.work_centers.iter().find(|w| w.code == code).unwrap();
        assert!(minutes <= center.minutes_per_day, "{code} on {day}: {minutes}");
    }
    assert!(
        demo.bookings.iter().any(|b| b.order.is_some()) && demo.bookings.iter().any(|b| b.order.is_none())
    );
}

#[test]
fn a_fastener_is_used_beyond_plan_while_the_warehouse_has_a_surplus_on_every_day() {
    for today in todays() {
        let demo = generate(DEMO_SEED, today);
        let reports = &demo.consumption;
        assert!(!reports.is_empty(), "{today}: the production-watch case");
        let sku = &reports[0].sku;
        let material = demo.materials.iter().find(|m| &m.sku == sku).unwrap();
        assert_eq!(material.kind.as_str(), "fastener", "{today}");
        for report in reports {
            assert_eq!(demo.orders[report.order].status, OrderStatus::InProduction);
            let planned: i64 = demo
                .reservations
                .iter()
                .filter(|r| r.order == report.order && &r.sku == sku)
                .map(|r| r.quantity)
                .sum();
            assert!(
                report.quantity * 100 > planned * 120,
                "{today}: over 20 % above plan"
            );
        }
        let holders: BTreeSet<usize> = demo
            .reservations
            .iter()
            .filter(|r| &r.sku == sku && demo.orders[r.order].status == OrderStatus::InProduction)
            .map(|r| r.order)
            .collect();
        assert!(holders.len() > reports.len(), "{today}: work still to come");
        let free = |node: &str| {
            demo.stock
                .iter()
                .filter(|s| &s.sku == sku && s.node == node)
                .map(|s| s.on_hand - s.reserved)
                .sum::<i64>()
        };
        assert_eq!(free(&reports[0].node), 0, "{today}: the factory has none free");
        assert_eq!(free(wip::WAREHOUSE), wip::WAREHOUSE_SURPLUS, "{today}");
    }
}

#[test]
fn the_fading_tote_reads_as_declining_with_a_niche_colour_on_every_day() {
    use engine::lifecycle::{Decay, DecaySettings, Verdict};
    let settings = DecaySettings::default();
    for today in todays() {
        let demo = generate(DEMO_SEED, today);
        let tote = demo
            .products
            .iter()
            .position(|p| p.slug == FADING_PRODUCT)
            .unwrap();
        let days = u64::from(settings.long_days);
        let series = |count: &dyn Fn(NaiveDate) -> u64| -> Vec<u64> {
            (0..days).rev().map(|n| count(today - Days::new(n))).collect()
        };
        // The shop's days are Paris days; the UTC day is close enough for a reading.
        let carts = series(&|day| {
            demo.heat_events
                .iter()
                .filter(|e| e.product == tote && e.kind == HeatKind::AddToCart)
                .filter(|e| e.occurred_at.date_naive() == day)
                .count() as u64
        });
        let ordered = series(&|day| {
            demo.orders
                .iter()
                .filter(|o| o.product == tote && o.status != OrderStatus::Cancelled)
                .filter(|o| o.placed_at.date_naive() == day)
                .map(|o| o.quantity as u64)
                .sum()
        });
        let decay = Decay::of(&ordered, &carts, &settings);
        assert_eq!(decay.verdict, Verdict::Declining, "{today}: {decay:?}");

        let (group, rust) = locate(
            &demo,
            ScenarioValue {
                product: FADING_PRODUCT,
                group: "fabric",
                value: "rust-canvas",
            },
        );
        let since = today - Days::new(days - 1);
        let picked = |value: ValueRef| {
            demo.heat_events
                .iter()
                .filter(|e| {
                    e.product == group && e.kind == HeatKind::OptionSelect && e.values.contains(&value)
                })
                .filter(|e| e.occurred_at.date_naive() >= since)
                .count()
        };
        let fabrics = demo.products[group].groups[rust.group].values.len();
        let all: usize = (0..fabrics)
            .map(|value| {
                picked(ValueRef {
                    group: rust.group,
                    value,
                })
            })
            .sum();
        assert!(all >= 50, "{today}: {all} fabric selections");
        assert!(
            picked(rust) * 20 < all,
            "{today}: rust canvas {} of {all}",
            picked(rust)
        );
    }
}

#[test]
fn the_sage_linen_is_left_over_and_fits_the_launched_olive_line_on_every_day() {
    let (slug, group, code) = launch::LAUNCHED;
    for today in todays() {
        let demo = generate(DEMO_SEED, today);
        let free = |sku: &str| -> i64 {
            demo.stock
                .iter()
                .filter(|s| s.sku == sku)
                .map(|s| s.on_hand - s.reserved)
                .sum()
        };
        assert!(free("FAB-LIN-SAGE") > 0, "{today}: the leftover lies in stock");
        assert_eq!(free("FAB-LIN-OLIVE"), 0, "{today}: the new linen is not stocked");
        let (weekender, olive) = history::locate(
            &demo.products,
            ScenarioValue {
                product: slug,
                group,
                value: code,
            },
        )
        .expect("the launched value");
        let carts: Vec<_> = demo
            .heat_events
            .iter()
            .filter(|e| e.product == weekender && e.kind == HeatKind::AddToCart && e.values.contains(&olive))
            .collect();
        assert_eq!(
            carts.len() as u64,
            launch::LAUNCH_DAYS.0 - launch::LAUNCH_DAYS.1 + 1,
            "{today}"
        );
        assert!(
            carts
                .iter()
                .all(|e| e.occurred_at.date_naive() < today - Days::new(14)),
            "{today}: none in the heat-spike window"
        );
        let required = demo.products[weekender]
            .groups
            .iter()
            .filter(|g| g.required)
            .count();
        assert!(
            carts.iter().all(|e| e.values.len() == required),
            "{today}: every cart is a whole configuration"
        );
        // Kind and colour family agree, so the reuse rule can match them.
        let material = |sku: &str| demo.materials.iter().find(|m| m.sku == sku).unwrap();
        let (sage, olive_linen) = (material("FAB-LIN-SAGE"), material("FAB-LIN-OLIVE"));
        assert_eq!(
            (sage.kind, &sage.colour_family),
            (olive_linen.kind, &olive_linen.colour_family)
        );
        assert!(!sage.is_generic);
    }
}
