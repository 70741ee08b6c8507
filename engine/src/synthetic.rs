//! Deterministic synthetic shops of any size, for benchmarks and property tests.
//!
//! The shape follows the demo shop (nodes with lanes, materials with stock, inbound,
//! suppliers, work centers with booked load, one product whose option values each add
//! a material and some add an operation) but every size is a parameter, and the same
//! seed always gives the same shop.

use chrono::{Days, NaiveDate};

use crate::calendar::{Weekdays, WorkingCalendar};
use crate::catalog::{GroupKind, OptionGroup, OptionValue, ProductCatalog, ValueStatus};
use crate::money::Money;
use crate::requirements::BomLine;
use crate::schedule::WorkCenterLoad;
use crate::state::*;
use crate::supply::Replenishment;

/// The size of a synthetic shop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntheticSpec {
    /// Option groups of the one product (the first required single choice, the last an
    /// add-on group when there are more than one).
    pub groups: usize,
    /// Values per group.
    pub values_per_group: usize,
    /// Materials (at least 2).
    pub materials: usize,
    /// Nodes (at least 1); node 0 is the factory.
    pub nodes: usize,
    /// Work centers (at least 1), all at the factory.
    pub work_centers: usize,
    /// Days of supply and capacity considered.
    pub horizon_days: u32,
    /// Booked (work center, day) entries.
    pub bookings: usize,
    /// Seed of the generator.
    pub seed: u64,
}

impl SyntheticSpec {
    /// The benchmark size of issue 3: 6 groups × 12 values, 40 materials, 3 nodes,
    /// 3 work centers, 180 days, 2,000 bookings.
    pub const BENCHMARK: SyntheticSpec = SyntheticSpec {
        groups: 6,
        values_per_group: 12,
        materials: 40,
        nodes: 3,
        work_centers: 3,
        horizon_days: 180,
        bookings: 2_000,
        seed: 7,
    };
}

/// SplitMix64: small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A shop of the given size whose `today` is `today`.
pub fn synthetic_shop(spec: SyntheticSpec, today: NaiveDate) -> ShopState {
    let mut rng = Rng(spec.seed);
    let materials_n = spec.materials.max(2);
    let nodes_n = spec.nodes.max(1);
    let wcs_n = spec.work_centers.max(1);
    let day = |offset: u64| today + Days::new(offset);

    let nodes = (0..nodes_n)
        .map(|i| Node {
            code: format!("N{i}"),
            name: format!("Node {i}"),
        })
        .collect();
    let lanes = (1..nodes_n)
        .map(|from| Lane {
            from,
            to: 0,
            lead_time_days: 1 + rng.below(5) as u32,
            cost_per_unit: 1 + rng.below(20) as i64,
        })
        .collect();
    let materials = (0..materials_n)
        .map(|i| Material {
            sku: format!("M{i}"),
            name: format!("Material {i}"),
            unit_cost: 5 + rng.below(100) as i64,
            is_generic: i < 2,
        })
        .collect();
    let mut stock = Vec::new();
    let mut inbound = Vec::new();
    let mut offers = Vec::new();
    for m in 0..materials_n as u32 {
        for node in 0..nodes_n {
            if rng.chance(70) {
                let on_hand = rng.below(2_000) as i64;
                stock.push(Stock {
                    material: m,
                    node,
                    on_hand,
                    reserved: rng.below(on_hand as u64 / 2 + 1) as i64,
                });
            }
        }
        for _ in 0..rng.below(3) {
            inbound.push(InboundLine {
                material: m,
                node: rng.below(nodes_n as u64) as usize,
                kind: InboundKind::Purchase,
                eta: day(1 + rng.below(40)),
                uncommitted: 50 + rng.below(1_000) as i64,
                reference: format!("PO-{m}"),
                sd_days: 0.0,
            });
        }
        if rng.chance(80) {
            offers.push(SupplierOffer {
                material: m,
                supplier: format!("Supplier {}", m % 5),
                terms: Replenishment {
                    lead_time_mean_days: 3.0 + rng.below(40) as f64,
                    lead_time_sd_days: rng.below(6) as f64,
                    moq: 100 * rng.below(5) as i64,
                    pack_size: 1 + rng.below(50) as i64,
                },
                price: 5 + rng.below(100) as i64,
            });
        }
    }
    let mut work_centers: Vec<WorkCenter> = (0..wcs_n)
        .map(|i| WorkCenter {
            code: format!("WC{i}"),
            name: format!("Work center {i}"),
            node: 0,
            load: WorkCenterLoad {
                calendar: WorkingCalendar::new(Weekdays::MON_FRI, [day(30 + rng.below(30))]),
                minutes_per_day: 480,
                booked: Default::default(),
            },
            pace: Default::default(),
        })
        .collect();
    for _ in 0..spec.bookings {
        let wc = rng.below(wcs_n as u64) as usize;
        let when = day(rng.below(u64::from(spec.horizon_days)));
        let booked = work_centers[wc].load.booked.entry(when).or_default();
        *booked = (*booked + 30 + rng.below(240) as u32).min(480);
    }

    let step = |rng: &mut Rng, name: String, generic: bool| RoutingStep {
        name,
        work_center: rng.below(wcs_n as u64) as usize,
        minutes_per_unit: 5.0 + rng.below(60) as f64,
        setup_minutes: rng.below(30) as u32,
        generic,
    };
    let mut groups = Vec::with_capacity(spec.groups);
    let mut recipes = Vec::with_capacity(spec.groups);
    for g in 0..spec.groups {
        let multi = spec.groups > 1 && g == spec.groups - 1;
        let mut values = Vec::with_capacity(spec.values_per_group);
        let mut row = Vec::with_capacity(spec.values_per_group);
        for v in 0..spec.values_per_group {
            values.push(OptionValue {
                code: format!("g{g}v{v}"),
                label: format!("Value {g}.{v}"),
                price_delta: Money(100 * rng.below(20) as i64),
                status: ValueStatus::Active,
            });
            let operations = if rng.chance(25) {
                vec![step(&mut rng, format!("Extra {g}.{v}"), false)]
            } else {
                vec![]
            };
            row.push(ValueRecipe {
                bom: vec![BomLine {
                    material: 2 + rng.below(materials_n as u64 - 2) as u32,
                    quantity: 1 + rng.below(60) as i64,
                }],
                operations,
            });
        }
        groups.push(OptionGroup {
            code: format!("g{g}"),
            name: format!("Group {g}"),
            kind: if multi {
                GroupKind::Multi
            } else {
                GroupKind::Single
            },
            required: !multi,
            values,
        });
        recipes.push(row);
    }
    let routing = (0..3)
        .map(|i| step(&mut rng, format!("Step {i}"), i == 0))
        .collect();
    let product = Product {
        slug: "synthetic".into(),
        name: "Synthetic".into(),
        catalog: ProductCatalog {
            base_price: Money(10_000),
            groups,
        },
        recipes,
        bom: vec![BomLine {
            material: 2,
            quantity: 1,
        }],
        generic_bom: vec![BomLine {
            material: 0,
            quantity: 2,
        }],
        routing,
        producing_node: 0,
        handling_days: 1,
        max_lead_time_days: 60,
        end_of_sale: None,
        first_batch_until: None,
        generic_part: Some(1),
    };
    ShopState {
        today,
        horizon_days: spec.horizon_days,
        shipping: WorkingCalendar::new(Weekdays::MON_FRI, []),
        transit_days: 2,
        nodes,
        lanes,
        materials,
        stock,
        inbound,
        offers,
        reservations: vec![],
        work_centers,
        products: vec![product],
        allocations: vec![],
        promise_quantile: crate::state::DEFAULT_PROMISE_QUANTILE,
    }
}
