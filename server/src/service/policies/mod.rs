//! Inventory policies, recomputed: every material's demand, class, forecast, safety
//! stock, reorder point, order-up-to level and suggested order (PRODUCT.md,
//! "Policies"; the formulas are the engine's, `docs/policies.md`).
//!
//! [`recompute`] reads a shop's inputs ([`inputs`]: bills of materials, a year of
//! orders, presale heat from the daily rollups, supplier terms, stock and inbound),
//! runs the pure engine (`engine::policy::explode`, then `compute`), and stores each
//! policy with the inputs it used ([`results`]), replacing the previous ones in one
//! transaction. The daily demand series is not stored: it is derived again, exactly,
//! whenever it is needed. The alert rules that read the result run after it, through
//! `crate::service::recompute`, the one coordinator every caller uses (the schedule in
//! `crate::jobs`, `c2m recompute`, the admin's button).

pub mod inputs;
pub mod page;
pub mod results;
pub mod settings;

use std::time::Instant;

use chrono::{DateTime, Utc};
use engine::policy::{DemandError, MaterialInput, SettingsError};
use sea_orm::DbErr;

use crate::store::Db;
use crate::store::entities::shops;

/// Where a recomputation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the inputs.
    Loading,
    /// Running the engine.
    Computing,
    /// `done` of `total` materials stored.
    Storing {
        /// Materials stored so far.
        done: usize,
        /// Materials in all.
        total: usize,
    },
}

/// What a recomputation of the policies did and how long each part took, with the
/// settings it ran under (the alert rules that follow it use the same).
#[derive(Clone, Debug, PartialEq)]
pub struct Recomputed {
    /// Materials recomputed.
    pub materials: usize,
    /// Materials at or below their reorder point with an order to place.
    pub to_order: usize,
    /// Orders in the history window.
    pub orders: usize,
    /// Days of presale heat (per product or value) that added demand.
    pub heat_days: usize,
    /// Milliseconds reading inputs.
    pub load_ms: u128,
    /// Milliseconds in the engine.
    pub compute_ms: u128,
    /// Milliseconds storing results.
    pub store_ms: u128,
    /// The shop's policy settings it ran under.
    pub policy: settings::ShopPolicy,
}

/// Why a recomputation failed; nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum RecomputeError {
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// The stored settings cannot be used.
    #[error("the shop's policy settings cannot be used: {0}")]
    Settings(#[from] SettingsError),
    /// The inputs refer to something that does not exist (a bug: inputs are built here).
    #[error("inconsistent inputs: {0}")]
    Demand(#[from] DemandError),
}

/// Recomputes every material's policy of `shop` as of `now` (its history is the
/// shop's local days before today).
pub async fn recompute(
    db: &Db,
    shop: &shops::Model,
    now: DateTime<Utc>,
    mut progress: impl FnMut(Stage),
) -> Result<Recomputed, RecomputeError> {
    progress(Stage::Loading);
    let started = Instant::now();
    let (policy, _) = settings::load(db, shop.id).await?;
    policy.engine.check()?;
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = now.with_timezone(&tz).date_naive();
    let inputs = inputs::load(
        db,
        shop,
        today,
        policy.history_days as usize,
        policy.heat_conversion,
    )
    .await?;
    let load_ms = started.elapsed().as_millis();

    progress(Stage::Computing);
    let started = Instant::now();
    let demand = engine::policy::explode(
        inputs.days,
        inputs.materials.len(),
        &inputs.products,
        &inputs.orders,
        &inputs.heat,
    )?;
    let materials: Vec<MaterialInput> = inputs
        .materials
        .iter()
        .zip(&demand)
        .map(|(m, d)| MaterialInput {
            unit_cost: m.unit_cost,
            demand: d.daily(),
            lead_time: m.supply.as_ref().map(|s| s.lead_time),
            moq: m.supply.as_ref().map_or(0, |s| s.moq),
            pack: m.supply.as_ref().map_or(1, |s| s.pack),
            position: m.position,
            obsolescent: m.obsolescent,
            stock_level_override: m.stock_level,
        })
        .collect();
    let results = engine::policy::compute(&materials, &policy.engine);
    let compute_ms = started.elapsed().as_millis();

    let started = Instant::now();
    let total = inputs.materials.len();
    progress(Stage::Storing { done: 0, total });
    results::store(db, &inputs, &demand, &results, now, |done, total| {
        progress(Stage::Storing { done, total });
    })
    .await?;
    let store_ms = started.elapsed().as_millis();
    Ok(Recomputed {
        materials: total,
        to_order: results.iter().filter(|r| r.suggested_order > 0).count(),
        orders: inputs.orders.len(),
        heat_days: inputs.heat.len(),
        load_ms,
        compute_ms,
        store_ms,
        policy,
    })
}
