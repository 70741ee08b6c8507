//! The policy engine at the size of issue 6: every material's policy for 10,000
//! materials with 365 days of history, and the BOM explosion of a year of orders and
//! presale heat (2,000 order lines a day, 200 products of 12 values, 2,000 materials).
//!
//! Run: `cargo bench -p engine --bench policies`. Target: `compute_10k_365` under 2 s.
//! It chooses every material's forecasting method by backtest (the default), which is
//! most of its time; `compute_10k_365_class_methods` is the same with the class's
//! methods, as before backtests.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use engine::policy::synthetic::{DemandSpec, synthetic_demand, synthetic_materials};
use engine::policy::{PolicySettings, compute, explode};

fn compute_10k_365(c: &mut Criterion) {
    let materials = synthetic_materials(10_000, 365, 42);
    let settings = PolicySettings::default();
    c.bench_function("compute_10k_365", |b| {
        b.iter(|| compute(black_box(&materials), black_box(&settings)))
    });
}

fn compute_10k_365_class_methods(c: &mut Criterion) {
    let materials = synthetic_materials(10_000, 365, 42);
    let settings = PolicySettings {
        backtest_forecasts: false,
        ..PolicySettings::default()
    };
    c.bench_function("compute_10k_365_class_methods", |b| {
        b.iter(|| compute(black_box(&materials), black_box(&settings)))
    });
}

fn explode_year(c: &mut Criterion) {
    let spec = DemandSpec::BENCHMARK;
    let inputs = synthetic_demand(spec);
    println!(
        "explode: {} order lines, {} heat entries",
        inputs.orders.len(),
        inputs.heat.len()
    );
    c.bench_function("explode", |b| {
        b.iter(|| {
            explode(
                spec.days,
                spec.materials,
                black_box(&inputs.products),
                black_box(&inputs.orders),
                black_box(&inputs.heat),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = compute_10k_365, compute_10k_365_class_methods, explode_year
}
criterion_main!(benches);
