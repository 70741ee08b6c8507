//! Forecasts chosen by evidence at the size of the issue: the rolling-origin backtest
//! of every material, 10,000 materials with 365 days of history (35 % smooth, 15 %
//! erratic, 30 % intermittent, 20 % lumpy, 10 % obsolescent: `policy::synthetic`).
//!
//! Run: `cargo bench -p engine --bench forecast_selection`. Target: `select_10k_365`
//! under 2 s. The whole policy computation with it is `policies`' `compute_10k_365`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use engine::policy::Method;
use engine::policy::backtest::{FixedAlphas, History, choose_all};
use engine::policy::classify::profile;
use engine::policy::synthetic::synthetic_materials;

fn select_10k_365(c: &mut Criterion) {
    let materials = synthetic_materials(10_000, 365, 42);
    let histories: Vec<History<'_>> = materials
        .iter()
        .filter_map(|m| {
            profile(&m.demand).map(|p| History {
                series: &m.demand,
                class: p.class,
                obsolescent: m.obsolescent,
            })
        })
        .collect();
    let fixed = FixedAlphas {
        ses: 0.1,
        tsb_size: 0.1,
        tsb_probability: 0.1,
    };
    let chosen = choose_all(&histories, fixed);
    let share = |method: Method| chosen.iter().filter(|c| c.method == method).count();
    println!(
        "select: {} materials with demand; chosen SES {}, fitted SES {}, SBA {}, TSB {}, fitted Croston {}, ADIDA {}, IMAPA {}",
        histories.len(),
        share(Method::Ses),
        share(Method::SesFitted),
        share(Method::Sba),
        share(Method::Tsb),
        share(Method::CrostonFitted),
        share(Method::Adida),
        share(Method::Imapa),
    );
    c.bench_function("select_10k_365", |b| {
        b.iter(|| choose_all(black_box(&histories), black_box(fixed)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = select_10k_365
}
criterion_main!(benches);
