//! The work-in-progress overconsumption rule (PRODUCT.md, "WIP overconsumption"): a
//! material that the orders in production are using more than the shop's threshold
//! (20 % by default) faster than they planned raises an alert with the orders and
//! figures behind it, and suggestions to cover what the excess will leave missing,
//! internal sources first (`engine::lifecycle::internal_first`).
//!
//! - *Planned*: what each order in production that has reported using the material
//!   holds of it (its reservations: the plan's units; orders that have reported
//!   nothing have done no work to compare). *Used*: what operators reported for those
//!   orders (`material_consumption`). The comparison is the engine's (`overconsumed`).
//! - *Shortage*: if the rest of the work (the reporting orders' unused plan and the
//!   other orders' whole plan) runs as far over plan as the work so far, the orders
//!   still need `remaining plan × (used ÷ planned − 1)` more units; the
//!   node where the material is used covers what it can from its free stock above its
//!   safety stock (`on hand − reserved − safety stock`, which the excess already
//!   lowered), and the rest is the shortage, needed by the earliest promise among the
//!   orders. It is covered internal first ([`super::cover`]): other nodes' surplus,
//!   then parts that cancelled orders freed (`orders::freed`: accepting takes them
//!   back into stock, and transfers them when they lie elsewhere), then a purchase
//!   draft, marked expedite when its normal lead time misses that date.
//! - An alert with no shortage (the node has enough) carries no suggestion: it is
//!   still news that production runs over plan.
//!
//! One open alert per material by construction ([`super::insert_open`]), and none
//! again for a week after one was raised, whatever the merchant decided (each report
//! of the same work would repeat it); it is evaluated after every consumption report
//! and at every recomputation.

use std::collections::{BTreeMap, HashMap};

use app::model::alerts::{OrderUse, OverconsumptionEvidence};
use chrono::{DateTime, TimeDelta, Utc};
use engine::lifecycle::{MaterialUse, PlannedUse, overconsumed};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;

use super::cover::{Missing, Need};
use crate::service::policies::settings::ShopPolicy;
use crate::store::entities::{
    OrderStatus, material_consumption, materials, order_reservations, orders, shops,
};
use crate::store::{Db, StoreError, shop_state};

/// The alert kind.
pub const KIND: &str = "wip_overconsumption";
/// After an alert for a material, however it was decided, the same overrun is not
/// raised again for this long: every report of the same work would repeat it.
const QUIET: TimeDelta = TimeDelta::days(7);

/// What the orders in production planned and used of one material.
#[derive(Debug, Default)]
struct Usage {
    /// Per order that reported using it: (planned, used).
    orders: BTreeMap<i64, (i64, i64)>,
    /// What the orders in production that have reported nothing yet plan.
    unreported: i64,
    /// Units used per node, to find where the material is consumed.
    used_at: HashMap<i64, i64>,
}

/// Evaluates the rule for `shop` (every material, or only `material`) as of `now` and
/// stores an alert for each material over the threshold that has none open; returns
/// how many were raised.
pub async fn evaluate(
    db: &Db,
    shop: &shops::Model,
    policy: &ShopPolicy,
    now: DateTime<Utc>,
    material: Option<i64>,
) -> Result<usize, StoreError> {
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = now.with_timezone(&tz).date_naive();
    // Alerts and suggestions are what a rule observed, not a change to the shop; the
    // merchant's decision on them is audited (`alerts::inbox`).
    let txn = db.system("alerts").await?;
    let in_production: HashMap<i64, orders::Model> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop.id))
        .filter(orders::Column::Status.eq(OrderStatus::InProduction))
        .all(&txn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let usage = usage(&txn, &in_production, material).await?;
    // The engine names materials by index; `rows[i]` is the row of index `i`.
    let rows: Vec<i64> = usage.keys().copied().collect();
    let uses: Vec<MaterialUse> = usage
        .values()
        .enumerate()
        .map(|(i, u)| MaterialUse {
            material: i as u32,
            orders: u
                .orders
                .iter()
                .map(|(&order, &(planned, _))| PlannedUse { order, planned })
                .collect(),
            actual: u.orders.values().map(|&(_, used)| used).sum(),
        })
        .collect();
    let recent = super::quiet_subjects(&txn, shop.id, KIND, now, QUIET).await?;
    let mut raised = 0;
    let mut state = None;
    for over in overconsumed(&uses, policy.overconsumption_percent) {
        let material_id = rows[over.material as usize];
        if recent.contains(&super::material_subject(material_id)) {
            continue;
        }
        let Some(material) = materials::Entity::find_by_id(material_id).one(&txn).await? else {
            continue;
        };
        let used = &usage[&material_id];
        let evidence = OverconsumptionEvidence {
            sku: material.sku.clone(),
            material: material.name.clone(),
            unit: material.unit.clone(),
            planned: over.planned,
            actual: over.actual,
            excess: over.excess,
            percent_above: over.ratio.map(|r| (r - 1.0) * 100.0),
            threshold_percent: over.threshold_percent,
            orders: used
                .orders
                .iter()
                .map(|(&order_id, &(planned, consumed))| OrderUse {
                    order_id,
                    reference: in_production
                        .get(&order_id)
                        .map(|o| o.reference.clone())
                        .unwrap_or_default(),
                    planned,
                    consumed,
                })
                .collect(),
        };
        let message = format!(
            "{} ({}) — production used {} {unit} against {} {unit} planned by {} orders in production: {} (threshold {} %).",
            material.name,
            material.sku,
            over.actual,
            over.planned,
            used.orders.len(),
            evidence.percent_above.map_or_else(
                || "none was planned".to_string(),
                |p| format!("{p:.0} % above plan")
            ),
            over.threshold_percent,
            unit = material.unit,
        );
        let raised_alert =
            super::raise_about_material(&txn, shop.id, KIND, material_id, message, &evidence, now);
        let Some(alert_id) = raised_alert.await? else {
            continue;
        };
        raised += 1;
        // The shop's stock, lanes and offers, read once per evaluation that raises.
        if state.is_none() {
            state = shop_state::load_in(&txn, shop.id, |_| today, crate::quoting::HORIZON_DAYS).await?;
        }
        let Some(loaded) = &state else { continue };
        let needed_by = used
            .orders
            .keys()
            .filter_map(|id| in_production.get(id))
            .map(|o| o.promised_on)
            .min()
            .unwrap_or(today)
            .max(today);
        let node_id = used
            .used_at
            .iter()
            .max_by_key(|&(node, units)| (*units, -node))
            .map(|(&node, _)| node);
        let remaining: i64 = used.unreported
            + used
                .orders
                .values()
                .map(|&(planned, consumed)| (planned - consumed).max(0))
                .sum::<i64>();
        let projected = match over.ratio {
            Some(ratio) => (remaining as f64 * (ratio - 1.0)).ceil() as i64,
            None => 0,
        };
        let Some(node_id) = node_id else { continue };
        let need = Need {
            alert_id,
            material: &material,
            node_id,
            missing: Missing::BeyondFreeStock(projected),
            needed_by,
            late: None,
            basis: json!({"projected_extra_use": projected}),
            today,
            now,
        };
        super::cover::suggest(&txn, shop.id, loaded, need).await?;
    }
    txn.commit().await?;
    Ok(raised)
}

/// Runs the rule for one material after a consumption report was committed; how many
/// alerts it raised. The report stands whatever happens here: a failure is logged, and
/// the next recomputation evaluates the rule again.
pub async fn after_report(db: &Db, shop: &shops::Model, material_id: i64) -> u32 {
    let raised = async {
        let (policy, _) = crate::service::policies::settings::load(db, shop.id).await?;
        evaluate(db, shop, &policy, db.now(), Some(material_id)).await
    };
    match raised.await {
        Ok(n) => u32::try_from(n).unwrap_or(u32::MAX),
        Err(error) => {
            tracing::warn!(shop = %shop.slug, %error, "the overconsumption rule failed after a report");
            0
        }
    }
}

/// Per material (ordered by row id): what the orders in production planned and used.
async fn usage(
    db: &impl ConnectionTrait,
    in_production: &HashMap<i64, orders::Model>,
    material: Option<i64>,
) -> Result<BTreeMap<i64, Usage>, DbErr> {
    let ids: Vec<i64> = in_production.keys().copied().collect();
    let mut usage: BTreeMap<i64, Usage> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(usage);
    }
    let only = |column: material_consumption::Column| match material {
        Some(id) => column.eq(id),
        None => column.is_not_null(),
    };
    for report in material_consumption::Entity::find()
        .filter(material_consumption::Column::OrderId.is_in(ids.clone()))
        .filter(only(material_consumption::Column::MaterialId))
        .all(db)
        .await?
    {
        let entry = usage.entry(report.material_id).or_default();
        entry.orders.entry(report.order_id).or_default().1 += report.quantity;
        *entry.used_at.entry(report.node_id).or_default() += report.quantity;
    }
    let used: Vec<i64> = usage.keys().copied().collect();
    for held in order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.is_in(ids))
        .filter(order_reservations::Column::MaterialId.is_in(used))
        .all(db)
        .await?
    {
        // The plan of the work reported so far is the reporting orders' plans; the
        // others' plans are work still to come.
        if let Some(entry) = usage.get_mut(&held.material_id) {
            match entry.orders.get_mut(&held.order_id) {
                Some((planned, _)) => *planned += held.quantity,
                None => entry.unreported += held.quantity,
            }
        }
    }
    Ok(usage)
}
