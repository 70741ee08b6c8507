//! A small hand-made shop for unit tests, with dates easy to compute by hand.
//!
//! Today is Wednesday 25 Nov 2026. The factory (node 0) makes a bag; the warehouse
//! (node 1) sends stock over in 2 days at 5 per unit. Cutting (30 min/unit, generic)
//! then sewing (60 min/unit + 30 setup), both 480 min a day, Monday to Friday. Thread
//! goes into the generic part, the lined shell (material 3) is the generic part. Shipping Monday to
//! Friday, 1 handling day, 2 transit days.

use chrono::NaiveDate;

use crate::calendar::{Weekdays, WorkingCalendar};
use crate::catalog::{GroupKind, OptionGroup, OptionValue, ProductCatalog, ValueStatus};
use crate::money::Money;
use crate::requirements::BomLine;
use crate::schedule::WorkCenterLoad;
use crate::state::*;
use crate::supply::Replenishment;

pub const NAVY: u32 = 0;
pub const LAGOON: u32 = 1;
pub const THREAD: u32 = 2;
pub const SHELL: u32 = 3;
pub const MONOGRAM_THREAD: u32 = 4;
pub const FACTORY: usize = 0;
pub const WAREHOUSE: usize = 1;
pub const CUTTING: usize = 0;
pub const SEWING: usize = 1;

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn material(sku: &str, name: &str, generic: bool) -> Material {
    Material {
        sku: sku.into(),
        name: name.into(),
        unit_cost: 10,
        is_generic: generic,
    }
}

fn value(code: &str, delta: i64) -> OptionValue {
    OptionValue {
        code: code.into(),
        label: code.into(),
        price_delta: Money(delta),
        status: ValueStatus::Active,
    }
}

fn step(name: &str, work_center: usize, per_unit: f64, setup: u32, generic: bool) -> RoutingStep {
    RoutingStep {
        name: name.into(),
        work_center,
        minutes_per_unit: per_unit,
        setup_minutes: setup,
        generic,
    }
}

pub fn stock(state: &mut ShopState, material: u32, node: usize, on_hand: i64) {
    state
        .stock
        .retain(|s| !(s.material == material && s.node == node));
    state.stock.push(Stock {
        material,
        node,
        on_hand,
        reserved: 0,
    });
}

pub fn supplier(state: &mut ShopState, material: u32, mean: f64, sd: f64) {
    state.offers.push(SupplierOffer {
        material,
        supplier: "Weberei Nord".into(),
        terms: Replenishment {
            lead_time_mean_days: mean,
            lead_time_sd_days: sd,
            moq: 500,
            pack_size: 100,
        },
        price: 12,
    });
}

pub fn book(state: &mut ShopState, work_center: usize, day: NaiveDate, minutes: u32) {
    state.work_centers[work_center].load.booked.insert(day, minutes);
}

/// Navy in stock at the factory, lagoon arriving on a PO on Tue 1 Dec, plenty of
/// thread, no shells, no suppliers.
pub fn shop() -> ShopState {
    let mon_fri = || WorkingCalendar::new(Weekdays::MON_FRI, []);
    let center = |code: &str, name: &str| WorkCenter {
        code: code.into(),
        name: name.into(),
        node: FACTORY,
        load: WorkCenterLoad {
            calendar: mon_fri(),
            minutes_per_day: 480,
            booked: Default::default(),
        },
        pace: Default::default(),
    };
    let catalog = ProductCatalog {
        base_price: Money(10_000),
        groups: vec![
            OptionGroup {
                code: "colour".into(),
                name: "Colour".into(),
                kind: GroupKind::Single,
                required: true,
                values: vec![value("navy", 0), value("lagoon", 1_500)],
            },
            OptionGroup {
                code: "addons".into(),
                name: "Add-ons".into(),
                kind: GroupKind::Multi,
                required: false,
                values: vec![value("monogram", 900)],
            },
        ],
    };
    let fabric = |m| ValueRecipe {
        bom: vec![BomLine {
            material: m,
            quantity: 100,
        }],
        operations: vec![],
    };
    let monogram = ValueRecipe {
        bom: vec![BomLine {
            material: MONOGRAM_THREAD,
            quantity: 5,
        }],
        operations: vec![step("Embroidery", SEWING, 20.0, 0, false)],
    };
    let mut state = ShopState {
        today: d(11, 25),
        horizon_days: 180,
        shipping: mon_fri(),
        transit_days: 2,
        nodes: vec![
            Node {
                code: "FAC".into(),
                name: "Factory".into(),
            },
            Node {
                code: "WH".into(),
                name: "Warehouse".into(),
            },
        ],
        lanes: vec![Lane {
            from: WAREHOUSE,
            to: FACTORY,
            lead_time_days: 2,
            cost_per_unit: 5,
        }],
        materials: vec![
            material("NAVY", "Navy canvas", false),
            material("LAGOON", "Lagoon canvas", false),
            material("THREAD", "Thread", true),
            material("SHELL", "Lined shell", true),
            material("GOLD", "Gold thread", false),
        ],
        stock: vec![],
        inbound: vec![InboundLine {
            material: LAGOON,
            node: FACTORY,
            kind: InboundKind::Purchase,
            eta: d(12, 1),
            uncommitted: 1_000,
            reference: "PO-7".into(),
            sd_days: 0.0,
        }],
        offers: vec![],
        reservations: vec![],
        work_centers: vec![center("CUT", "Cutting"), center("SEW", "Sewing")],
        products: vec![Product {
            slug: "bag".into(),
            name: "Bag".into(),
            catalog,
            recipes: vec![vec![fabric(NAVY), fabric(LAGOON)], vec![monogram]],
            bom: vec![],
            generic_bom: vec![BomLine {
                material: THREAD,
                quantity: 10,
            }],
            routing: vec![
                step("Cutting", CUTTING, 30.0, 0, true),
                step("Sewing", SEWING, 60.0, 30, false),
            ],
            producing_node: FACTORY,
            handling_days: 1,
            max_lead_time_days: 30,
            end_of_sale: None,
            first_batch_until: None,
            generic_part: Some(SHELL),
        }],
        allocations: vec![],
        promise_quantile: crate::state::DEFAULT_PROMISE_QUANTILE,
    };
    stock(&mut state, NAVY, FACTORY, 1_000);
    stock(&mut state, THREAD, FACTORY, 10_000);
    stock(&mut state, MONOGRAM_THREAD, FACTORY, 1_000);
    state
}
