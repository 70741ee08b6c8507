//! Deterministic synthetic inputs for the policy engine, for benchmarks and tests (the
//! server's included): materials with a realistic mix of demand patterns, and a shop's
//! orders and presale heat to explode. The same seed always gives the same data.

use super::classify::DemandClass;
use super::compute::MaterialInput;
use super::demand::{BomLine, HeatDay, OrderLine, ProductBom};
use super::matrix::StockLevel;
use super::stock::LeadTime;

/// SplitMix64 (Steele, Lea & Flood, 2014): tiny, fast, and statistically sound enough
/// for test data.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `low..high` (`low` when the range is empty).
    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly standard normal: the sum of four uniforms, rescaled (mean 0, variance 1,
    /// bounded by ±√12, which keeps synthetic demand free of wild outliers).
    pub fn normalish(&mut self) -> f64 {
        let sum: f64 = (0..4).map(|_| self.unit()).sum();
        (sum - 2.0) * 3f64.sqrt()
    }

    /// Standard normal, by the Box–Muller transform (unbounded, unlike [`normalish`]).
    ///
    /// [`normalish`]: SplitMix64::normalish
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Exponential with mean 1.
    pub fn exponential(&mut self) -> f64 {
        -(1.0 - self.unit()).ln()
    }
}

/// A daily series of `days` whose pattern is meant to fall in `class`: frequent or
/// occasional demand (every day, or with probability 0.1–0.5), of steady size (±20 %)
/// or exponentially spread size. Short series can land in a neighbouring class, as
/// real ones do.
pub fn synthetic_series(rng: &mut SplitMix64, class: DemandClass, days: usize) -> Vec<f64> {
    let size = rng.between(2.0, 40.0);
    let probability = if class.is_intermittent() {
        rng.between(0.1, 0.5)
    } else {
        1.0
    };
    let steady = matches!(class, DemandClass::Smooth | DemandClass::Intermittent);
    (0..days)
        .map(|_| {
            if !rng.chance(probability) {
                return 0.0;
            }
            let x = if steady {
                size * (1.0 + 0.2 * rng.normalish())
            } else {
                size * rng.exponential()
            };
            x.round().max(1.0)
        })
        .collect()
}

/// `count` materials with `days` of history: 35 % smooth, 15 % erratic, 30 %
/// intermittent, 20 % lumpy; unit costs spread log-uniformly from 0.10 to 1,000.00 so
/// ABC has a long tail; 90 % with a supplier (lead time 3–30 days, σ up to a quarter of
/// it); 10 % obsolescent; 5 % with a stock-level override.
pub fn synthetic_materials(count: usize, days: usize, seed: u64) -> Vec<MaterialInput> {
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .map(|_| {
            let roll = rng.unit();
            let class = match roll {
                r if r < 0.35 => DemandClass::Smooth,
                r if r < 0.50 => DemandClass::Erratic,
                r if r < 0.80 => DemandClass::Intermittent,
                _ => DemandClass::Lumpy,
            };
            let demand = synthetic_series(&mut rng, class, days);
            let mean_days = rng.between(3.0, 30.0);
            let lead_time = rng.chance(0.9).then(|| LeadTime {
                mean_days,
                sd_days: rng.between(0.0, mean_days / 4.0),
            });
            let daily = demand.iter().sum::<f64>() / days.max(1) as f64;
            let levels = [StockLevel::Low, StockLevel::Medium, StockLevel::High];
            MaterialInput {
                unit_cost: 10f64.powf(rng.between(1.0, 5.0)).round() as i64,
                lead_time,
                moq: 10 * rng.below(20) as i64,
                pack: [1, 6, 12, 24, 50][rng.below(5) as usize],
                position: (daily * rng.between(0.0, 60.0)).round() as i64,
                obsolescent: rng.chance(0.1),
                stock_level_override: rng.chance(0.05).then(|| levels[rng.below(3) as usize]),
                demand,
            }
        })
        .collect()
}

/// The size of a synthetic shop's order and heat history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemandSpec {
    /// Days of history.
    pub days: usize,
    /// Materials.
    pub materials: usize,
    /// Products.
    pub products: usize,
    /// Option values per product.
    pub values_per_product: usize,
    /// Order lines per day.
    pub orders_per_day: usize,
    /// Seed of the generator.
    pub seed: u64,
}

impl DemandSpec {
    /// The benchmark size: a year of 2,000 order lines a day over 200 products of 12
    /// values, 2,000 materials.
    pub const BENCHMARK: DemandSpec = DemandSpec {
        days: 365,
        materials: 2_000,
        products: 200,
        values_per_product: 12,
        orders_per_day: 2_000,
        seed: 11,
    };
}

/// A synthetic shop's demand inputs, ready for `explode`.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandInputs {
    /// Bills of materials.
    pub products: Vec<ProductBom>,
    /// Order lines.
    pub orders: Vec<OrderLine>,
    /// Presale heat.
    pub heat: Vec<HeatDay>,
}

/// Products of 3–6 base lines and one or two lines per value, a fifth of them in
/// presale with a conversion of 0.05–0.3; orders choose two or three values; each
/// presale product sees heat every day on itself and on three of its values.
pub fn synthetic_demand(spec: DemandSpec) -> DemandInputs {
    let mut rng = SplitMix64::new(spec.seed);
    let materials = spec.materials.max(1) as u64;
    let lines = |rng: &mut SplitMix64, n: u64| -> Vec<BomLine> {
        (0..n)
            .map(|_| BomLine {
                material: rng.below(materials) as usize,
                per_unit: (rng.between(0.1, 3.0) * 10.0).round() / 10.0,
            })
            .collect()
    };
    let products: Vec<ProductBom> = (0..spec.products)
        .map(|_| {
            let base_lines = 3 + rng.below(4);
            ProductBom {
                base: lines(&mut rng, base_lines),
                values: (0..spec.values_per_product)
                    .map(|_| {
                        let n = 1 + rng.below(2);
                        lines(&mut rng, n)
                    })
                    .collect(),
                presale: rng.chance(0.2),
                conversion: rng.between(0.05, 0.3),
            }
        })
        .collect();
    let values = spec.values_per_product as u64;
    let mut orders = Vec::with_capacity(spec.days * spec.orders_per_day);
    for day in 0..spec.days {
        for _ in 0..spec.orders_per_day {
            let product = rng.below(spec.products as u64) as usize;
            let chosen = if values == 0 { 0 } else { 2 + rng.below(2) };
            orders.push(OrderLine {
                day,
                product,
                values: (0..chosen).map(|_| rng.below(values) as usize).collect(),
                quantity: 1 + rng.below(3) as u32,
            });
        }
    }
    let mut heat = Vec::new();
    for (product, bom) in products.iter().enumerate().filter(|(_, p)| p.presale) {
        for day in 0..spec.days {
            heat.push(HeatDay {
                day,
                product,
                value: None,
                intents: rng.below(40) as u32,
            });
            for _ in 0..3.min(bom.values.len()) {
                heat.push(HeatDay {
                    day,
                    product,
                    value: Some(rng.below(values) as usize),
                    intents: rng.below(15) as u32,
                });
            }
        }
    }
    DemandInputs {
        products,
        orders,
        heat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::classify::profile;
    use crate::policy::demand::explode;

    #[test]
    fn the_same_seed_gives_the_same_materials() {
        assert_eq!(synthetic_materials(50, 365, 3), synthetic_materials(50, 365, 3));
        assert_ne!(synthetic_materials(50, 365, 3), synthetic_materials(50, 365, 4));
    }

    #[test]
    fn a_year_of_history_lands_mostly_in_the_intended_class() {
        let mut rng = SplitMix64::new(1);
        for class in [
            DemandClass::Smooth,
            DemandClass::Erratic,
            DemandClass::Intermittent,
            DemandClass::Lumpy,
        ] {
            let hits = (0..200)
                .filter(|_| profile(&synthetic_series(&mut rng, class, 365)).map(|p| p.class) == Some(class))
                .count();
            assert!(hits >= 180, "{class:?}: {hits} of 200");
        }
    }

    #[test]
    fn synthetic_demand_explodes_without_errors() {
        let spec = DemandSpec {
            days: 30,
            materials: 50,
            products: 10,
            values_per_product: 4,
            orders_per_day: 20,
            seed: 5,
        };
        let inputs = synthetic_demand(spec);
        assert_eq!(inputs.orders.len(), 600);
        let demand = explode(30, 50, &inputs.products, &inputs.orders, &inputs.heat).unwrap();
        assert!(
            demand
                .iter()
                .map(|m| m.from_orders.iter().sum::<f64>())
                .sum::<f64>()
                > 0.0
        );
    }
}
