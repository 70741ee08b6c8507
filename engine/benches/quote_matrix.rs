//! The per-option matrix on the benchmark shop of issue 3 (6 groups × 12 values, 40
//! materials, 3 nodes, 3 work centers, 180 days, 2,000 bookings), and how its cost
//! grows with each dimension.
//!
//! Run: `cargo bench -p engine --bench quote_matrix`. Target: the whole matrix (72
//! answers) under 250 µs median on one core.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::Snapshot;
use engine::synthetic::{SyntheticSpec, synthetic_shop};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn snapshot(spec: SyntheticSpec) -> Snapshot {
    Snapshot::build(synthetic_shop(spec, today()))
}

fn quote_matrix(c: &mut Criterion) {
    let s = snapshot(SyntheticSpec::BENCHMARK);
    let product = s.state.products[0].clone();
    let chosen = s.default_chosen(&product, 1);
    let cells: usize = product.catalog.groups.iter().map(|g| g.values.len()).sum();
    assert_eq!(cells, 72);
    c.bench_function("quote_matrix", |b| {
        b.iter(|| s.matrix(black_box(&product), black_box(&chosen), black_box(1)))
    });
    c.bench_function("quote_single", |b| {
        b.iter(|| s.quote(black_box(&product), black_box(&chosen), black_box(1)))
    });
    c.bench_function("snapshot_build", |b| {
        let state = synthetic_shop(SyntheticSpec::BENCHMARK, today());
        b.iter(|| Snapshot::build(black_box(state.clone())))
    });
}

/// One dimension at a time, the rest at the benchmark size.
fn scaling(c: &mut Criterion) {
    let base = SyntheticSpec::BENCHMARK;
    let mut group = c.benchmark_group("matrix_scaling");
    let variants: Vec<(&str, usize, SyntheticSpec)> = vec![
        (
            "values_per_group",
            6,
            SyntheticSpec {
                values_per_group: 6,
                ..base
            },
        ),
        (
            "values_per_group",
            24,
            SyntheticSpec {
                values_per_group: 24,
                ..base
            },
        ),
        ("groups", 3, SyntheticSpec { groups: 3, ..base }),
        ("groups", 12, SyntheticSpec { groups: 12, ..base }),
        (
            "materials",
            400,
            SyntheticSpec {
                materials: 400,
                ..base
            },
        ),
        (
            "materials",
            4_000,
            SyntheticSpec {
                materials: 4_000,
                ..base
            },
        ),
        (
            "bookings",
            200,
            SyntheticSpec {
                bookings: 200,
                ..base
            },
        ),
        (
            "bookings",
            20_000,
            SyntheticSpec {
                bookings: 20_000,
                horizon_days: 365,
                ..base
            },
        ),
    ];
    for (dimension, size, spec) in variants {
        let s = snapshot(spec);
        let product = s.state.products[0].clone();
        let chosen = s.default_chosen(&product, 1);
        group.bench_with_input(BenchmarkId::new(dimension, size), &chosen, |b, chosen| {
            b.iter(|| s.matrix(&product, chosen, 1))
        });
    }
    group.finish();
}

criterion_group!(benches, quote_matrix, scaling);
criterion_main!(benches);
