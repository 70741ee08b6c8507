//! One recomputation of a shop, in the order its parts depend on each other: the
//! inventory policies (`crate::service::policies`), then the alert rules that read them
//! (`crate::service::alerts`). Every caller (the schedule, `c2m recompute`, the admin's button)
//! goes through [`run`], so the rules never see half a recomputation and the two
//! modules need not know each other. The admin's Policies page and Alerts inbox show
//! what a recomputation produced and sit above both, so they live here too (`admin`).

mod admin;
mod rules;

use chrono::{DateTime, Utc};

use crate::service::policies::{self, RecomputeError, Stage};
use crate::store::entities::shops;
use crate::store::{Db, StoreError};

/// What a recomputation did and how long each part took.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
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
    /// Alerts raised afterwards (heat spikes, overconsumption, late supply, materials at
    /// their reorder point, products in decline, leftovers to reuse).
    pub alerts_raised: usize,
    /// Suggestions the merchant's rules then executed.
    pub rules_executed: usize,
}

/// Runs the rules a report of material used feeds: the overconsumption rule on that
/// material, then the merchant's rules on what it suggested (a transfer under their
/// cap executes at once). Every caller (the API, the orders board) goes through here;
/// failures are logged, as the report is committed. How many alerts were raised.
pub async fn after_consumption(db: &Db, shop: &shops::Model, material_id: i64) -> u32 {
    let raised = crate::service::alerts::overconsumption::after_report(db, shop, material_id).await;
    if raised > 0
        && let Err(error) = crate::service::alerts::autonomy::act_on_suggestions(db, shop, db.now()).await
    {
        tracing::warn!(shop = %shop.slug, %error, "the merchant's rules failed after a report");
    }
    raised
}

/// Runs the rules orders newly at late risk feed: the late-supply rule, then the
/// merchant's rules on what it suggested (a top-up from a second supplier under their
/// cap is released at once). Every caller (a new ETA through the API, the 5-minute
/// check) goes through here; failures are logged, as the flags are committed. How
/// many alerts were raised.
pub async fn after_late_risk(db: &Db, shop: &shops::Model) -> u32 {
    let raised = match crate::service::alerts::shortage::late_supply(db, shop, db.now()).await {
        Ok(n) => u32::try_from(n).unwrap_or(u32::MAX),
        Err(error) => {
            tracing::warn!(shop = %shop.slug, %error, "the late-supply rule failed");
            return 0;
        }
    };
    if raised > 0
        && let Err(error) = crate::service::alerts::autonomy::act_on_suggestions(db, shop, db.now()).await
    {
        tracing::warn!(shop = %shop.slug, %error, "the merchant's rules failed after late supply");
    }
    raised
}

/// Recomputes `shop`'s policies as of `now`, then runs the alert rules on them;
/// `progress` hears the policies' stages.
pub async fn run(
    db: &Db,
    shop: &shops::Model,
    now: DateTime<Utc>,
    progress: impl FnMut(Stage),
) -> Result<Summary, RecomputeError> {
    let done = policies::recompute(db, shop, now, progress).await?;
    // The spike rule reads the stock levels just stored, and the overconsumption rule
    // the safety stocks, so they run after them.
    let spikes = crate::service::alerts::heat_spike::evaluate(db, shop, &done.policy, now).await?;
    let overconsumed = crate::service::alerts::overconsumption::evaluate(db, shop, &done.policy, now, None)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => RecomputeError::Db(e),
            other => RecomputeError::Db(sea_orm::DbErr::Custom(other.to_string())),
        })?;
    // After the policies: the reorder-point rule reads the levels just stored.
    let short = crate::service::alerts::shortage::evaluate(db, shop, now)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => RecomputeError::Db(e),
            other => RecomputeError::Db(sea_orm::DbErr::Custom(other.to_string())),
        })?;
    let declined = crate::service::alerts::decay::evaluate(db, shop, &done.policy, now)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => RecomputeError::Db(e),
            other => RecomputeError::Db(sea_orm::DbErr::Custom(other.to_string())),
        })?;
    // After the decay rule: a product it moved to decline no longer uses its materials.
    let leftovers = crate::service::alerts::leftover::evaluate(db, shop, &done.policy, now)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => RecomputeError::Db(e),
            other => RecomputeError::Db(sea_orm::DbErr::Custom(other.to_string())),
        })?;
    let alerts_raised = spikes + overconsumed + short + declined + leftovers;
    // The merchant's rules act on what the rules above suggested today.
    let rules_executed = crate::service::alerts::autonomy::act_on_suggestions(db, shop, now)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => RecomputeError::Db(e),
            other => RecomputeError::Db(sea_orm::DbErr::Custom(other.to_string())),
        })?;
    Ok(Summary {
        materials: done.materials,
        to_order: done.to_order,
        orders: done.orders,
        heat_days: done.heat_days,
        load_ms: done.load_ms,
        compute_ms: done.compute_ms,
        store_ms: done.store_ms,
        alerts_raised,
        rules_executed,
    })
}
