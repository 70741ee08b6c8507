//! Shortages that are not work over plan (PRODUCT.md, "Internal first": "a shortage (an
//! order at risk, a policy below its reorder point, an overconsumption)"): two rules,
//! each one open alert per material, not raised again for a week after one was raised,
//! whatever was decided. Both cover what is missing internal first ([`super::cover`]).
//!
//! - **Late supply** ([`LATE_SUPPLY`]): orders at late risk hold units on inbound lines
//!   now expected after their production needs them (`orders::risk::Waiting::late_holds`, the
//!   rule that flags them). The units held on those lines are what is missing, at the
//!   node most of them were due at, by the earliest day production needs them; purchase
//!   orders no order holds that arrive there by then (a top-up drafted earlier) and the
//!   node's own free stock above its safety stock cover what they can first, and only
//!   what is left raises an alert. The cover
//!   leaves out the late supplier's offer when another supplier offers the material,
//!   so its draft is a top-up from the second supplier, marked as making up for the
//!   late one (accepting it lowers the late supplier's forecast share: `inbox`).
//!   Evaluated whenever orders become at risk (a new ETA, the 5-minute check) and at
//!   every recomputation.
//! - **Below the reorder point** ([`BELOW_REORDER_POINT`]): a material whose position
//!   (on hand − reserved at every node, confirmed inbound, and purchase orders already
//!   drafted, which answer the same need) is at or below its policy's reorder point.
//!   What is missing is the policy's order, `order-up-to − position`, at the node the
//!   material is used at (where open orders hold most of it; else where most of it
//!   lies), by the day the position reaches the safety stock at the forecast. Surplus
//!   moved from another node is stock the company owns already, so the purchase draft
//!   buys that much less than the policy's order; the sending node keeps its safety
//!   stock. Evaluated at every recomputation, after the policies are stored.

use std::collections::{BTreeMap, HashMap};

use app::model::alerts::{LateHold, LateSupplyEvidence, ReorderEvidence};
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;

use super::cover::{self, Missing, Need};
use crate::service::orders::risk;
use crate::store::entities::{
    InboundKind, InboundStatus, OrderStatus, inbound, materials, nodes, order_reservations, orders, policies,
    shops, stock, suppliers,
};
use crate::store::shop_state::{self, LoadedShop};
use crate::store::{Db, StoreError};

/// The kind of an alert for orders at risk from a late supplier.
pub const LATE_SUPPLY: &str = "late_supply";
/// The kind of an alert for a material at or below its reorder point.
pub const BELOW_REORDER_POINT: &str = "below_reorder_point";
/// After an alert for a material, the same shortage is not raised again for this long.
const QUIET: TimeDelta = TimeDelta::days(7);

/// Runs both rules for `shop` as of `now`; how many alerts they raised.
pub async fn evaluate(db: &Db, shop: &shops::Model, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(late_supply(db, shop, now).await? + below_reorder_point(db, shop, now).await?)
}

/// The shop's day at `now`.
fn today_of(shop: &shops::Model, now: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    now.with_timezone(&tz).date_naive()
}

/// The shop's stock, lanes and offers as quotes see them, read in `txn`.
async fn state_of(
    txn: &impl ConnectionTrait,
    shop: &shops::Model,
    today: NaiveDate,
) -> Result<Option<LoadedShop>, StoreError> {
    shop_state::load_in(txn, shop.id, |_| today, crate::quoting::HORIZON_DAYS).await
}

/// What orders at risk hold of one material on late lines.
#[derive(Default)]
struct Late {
    holds: Vec<LateHold>,
    units_at: BTreeMap<i64, i64>,
    units_from: BTreeMap<i64, i64>,
}

/// The late-supply rule (module docs).
pub async fn late_supply(db: &Db, shop: &shops::Model, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let today = today_of(shop, now);
    // Alerts and suggestions are what a rule observed; the decisions on them are audited.
    let txn = db.system("alerts").await?;
    let at_risk: Vec<orders::Model> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop.id))
        .filter(orders::Column::Status.is_in([OrderStatus::Placed, OrderStatus::InProduction]))
        .filter(orders::Column::LateRisk.is_not_null())
        .all(&txn)
        .await?;
    if at_risk.is_empty() {
        return Ok(0);
    }
    let waiting = risk::Waiting::load(&txn, shop, &at_risk).await?;
    let mut by_material: BTreeMap<i64, Late> = BTreeMap::new();
    for order in &at_risk {
        let needed_by = waiting.needed_by(order);
        for (hold, line) in waiting.late_holds(order) {
            let late = by_material.entry(hold.material_id).or_default();
            late.holds.push(LateHold {
                order_id: order.id,
                reference: order.reference.clone(),
                line: line.reference.clone(),
                quantity: hold.quantity,
                booked_eta: hold.expected_on.unwrap_or(line.eta),
                eta: line.eta,
                needed_by,
            });
            *late.units_at.entry(hold.node_id).or_default() += hold.quantity;
            if let Some(supplier) = line.supplier_id {
                *late.units_from.entry(supplier).or_default() += hold.quantity;
            }
        }
    }
    let recent = super::quiet_subjects(&txn, shop.id, LATE_SUPPLY, now, QUIET).await?;
    by_material.retain(|&id, _| !recent.contains(&super::material_subject(id)));
    if by_material.is_empty() {
        return Ok(0);
    }
    let Some(loaded) = state_of(&txn, shop, today).await? else {
        return Ok(0);
    };
    let mut raised = 0;
    for (material_id, late) in by_material {
        let (Some(material), Some(node_id), Some(supplier_id)) = (
            materials::Entity::find_by_id(material_id).one(&txn).await?,
            most(&late.units_at),
            most(&late.units_from),
        ) else {
            continue;
        };
        let (Some(node), Some(supplier)) = (
            nodes::Entity::find_by_id(node_id).one(&txn).await?,
            suppliers::Entity::find_by_id(supplier_id).one(&txn).await?,
        ) else {
            continue;
        };
        let late_units: i64 = late.holds.iter().map(|h| h.quantity).sum();
        let needed_by = late
            .holds
            .iter()
            .map(|h| h.needed_by)
            .min()
            .unwrap_or(today)
            .max(today);
        let free_at_node = cover::free_at(
            &loaded,
            material.id,
            node_id,
            cover::safety_stock(&txn, material.id).await?,
        );
        let on_time_inbound = free_inbound(&txn, material.id, node_id, needed_by).await?;
        let missing = late_units - on_time_inbound;
        let shortage = (missing - free_at_node).max(0);
        if shortage == 0 {
            // Covered already (a top-up drafted last week, stock come in): the orders'
            // flags say they are at risk; there is nothing to do about it here.
            continue;
        }
        let message = format!(
            "{} ({}) — {} is late: {} orders at risk hold {late_units} {unit} on lines now expected after production needs them ({needed_by}); {}.",
            material.name,
            material.sku,
            supplier.name,
            late.holds
                .iter()
                .map(|h| h.order_id)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            if shortage > 0 {
                format!("{shortage} {} to cover", material.unit)
            } else {
                format!("the free stock at {} covers them", node.code)
            },
            unit = material.unit,
        );
        let evidence = LateSupplyEvidence {
            sku: material.sku.clone(),
            material: material.name.clone(),
            unit: material.unit.clone(),
            node: node.code.clone(),
            supplier: supplier.code.clone(),
            supplier_name: supplier.name.clone(),
            late_units,
            on_time_inbound,
            free_at_node,
            shortage,
            needed_by,
            orders: late.holds,
        };
        let Some(alert_id) =
            super::raise_about_material(&txn, shop.id, LATE_SUPPLY, material.id, message, &evidence, now)
                .await?
        else {
            continue;
        };
        raised += 1;
        let need = Need {
            alert_id,
            material: &material,
            node_id,
            missing: Missing::BeyondFreeStock(missing),
            needed_by,
            late: Some(&supplier),
            basis: json!({"late_units": late_units, "on_time_inbound": on_time_inbound}),
            today,
            now,
        };
        cover::suggest(&txn, shop.id, &loaded, need).await?;
    }
    txn.commit().await?;
    Ok(raised)
}

/// The reorder-point rule (module docs).
pub async fn below_reorder_point(
    db: &Db,
    shop: &shops::Model,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let today = today_of(shop, now);
    let txn = db.system("alerts").await?;
    let materials: Vec<materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop.id))
        .all(&txn)
        .await?;
    let ids: Vec<i64> = materials.iter().map(|m| m.id).collect();
    let policies: HashMap<i64, policies::Model> = policies::Entity::find()
        .filter(policies::Column::MaterialId.is_in(ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.material_id, p))
        .collect();
    let rows: Vec<stock::Model> = stock::Entity::find()
        .filter(stock::Column::MaterialId.is_in(ids))
        .all(&txn)
        .await?;
    let mut position: HashMap<i64, i64> = HashMap::new();
    let mut on_hand_at: HashMap<i64, BTreeMap<i64, i64>> = HashMap::new();
    for row in &rows {
        *position.entry(row.material_id).or_default() += row.on_hand - row.reserved;
        *on_hand_at
            .entry(row.material_id)
            .or_default()
            .entry(row.node_id)
            .or_default() += row.on_hand;
    }
    for line in inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop.id))
        .filter(inbound::Column::Status.is_in([InboundStatus::Draft, InboundStatus::Confirmed]))
        .all(&txn)
        .await?
    {
        // As the policies count it, plus drafted purchase orders: a draft is already
        // the answer to this shortage, and counting it keeps the rule from asking twice.
        let counts = line.status == InboundStatus::Confirmed || line.kind == InboundKind::Purchase;
        if counts {
            *position.entry(line.material_id).or_default() += line.quantity;
        }
    }
    let recent = super::quiet_subjects(&txn, shop.id, BELOW_REORDER_POINT, now, QUIET).await?;
    let below: Vec<(&materials::Model, &policies::Model, i64)> = materials
        .iter()
        .filter(|m| !recent.contains(&super::material_subject(m.id)))
        .filter_map(|m| {
            let policy = policies.get(&m.id)?;
            let position = position.get(&m.id).copied().unwrap_or(0);
            (policy.reorder_point > 0 && position <= policy.reorder_point && policy.order_up_to > position)
                .then_some((m, policy, position))
        })
        .collect();
    if below.is_empty() {
        return Ok(0);
    }
    let Some(loaded) = state_of(&txn, shop, today).await? else {
        return Ok(0);
    };
    let used_at = held_at(&txn, shop.id).await?;
    let mut raised = 0;
    for (material, policy, position) in below {
        let node_id = used_at
            .get(&material.id)
            .and_then(most)
            .or_else(|| on_hand_at.get(&material.id).and_then(most))
            .or_else(|| loaded.ids.nodes.first().copied());
        let Some(node_id) = node_id else { continue };
        let Some(node) = nodes::Entity::find_by_id(node_id).one(&txn).await? else {
            continue;
        };
        let daily_demand = policy.inputs["d_mean"].as_f64().unwrap_or(0.0).max(0.0);
        let lead_days = policy.inputs["lead_time"]["mean_days"]
            .as_f64()
            .unwrap_or(0.0)
            .max(0.0);
        let lasts_days = if daily_demand > 0.0 {
            ((position - policy.safety_stock).max(0) as f64 / daily_demand).floor()
        } else {
            lead_days.ceil()
        };
        let needed_by = today + Days::new(lasts_days.min(3_650.0) as u64);
        let shortage = policy.order_up_to - position;
        let message = format!(
            "{} ({}) — the stock position is {position} {unit}, at or below the reorder point of {}: {shortage} {unit} to bring it up to {}, needed by {needed_by}.",
            material.name,
            material.sku,
            policy.reorder_point,
            policy.order_up_to,
            unit = material.unit,
        );
        let evidence = ReorderEvidence {
            sku: material.sku.clone(),
            material: material.name.clone(),
            unit: material.unit.clone(),
            node: node.code.clone(),
            position,
            reorder_point: policy.reorder_point,
            order_up_to: policy.order_up_to,
            safety_stock: policy.safety_stock,
            daily_demand,
            shortage,
            needed_by,
        };
        let Some(alert_id) = super::raise_about_material(
            &txn,
            shop.id,
            BELOW_REORDER_POINT,
            material.id,
            message,
            &evidence,
            now,
        )
        .await?
        else {
            continue;
        };
        raised += 1;
        let need = Need {
            alert_id,
            material,
            node_id,
            missing: Missing::Exactly(shortage),
            needed_by,
            late: None,
            basis: json!({"position": position, "reorder_point": policy.reorder_point,
                          "order_up_to": policy.order_up_to}),
            today,
            now,
        };
        cover::suggest(&txn, shop.id, &loaded, need).await?;
    }
    txn.commit().await?;
    Ok(raised)
}

/// Units of purchase orders for `material_id` at `node_id` (drafted or confirmed)
/// expected by `needed_by` that no order holds: a top-up already on its way.
async fn free_inbound(
    db: &impl ConnectionTrait,
    material_id: i64,
    node_id: i64,
    needed_by: NaiveDate,
) -> Result<i64, DbErr> {
    let lines = inbound::Entity::find()
        .filter(inbound::Column::MaterialId.eq(material_id))
        .filter(inbound::Column::NodeId.eq(node_id))
        .filter(inbound::Column::Kind.eq(InboundKind::Purchase))
        .filter(inbound::Column::Status.is_in([InboundStatus::Draft, InboundStatus::Confirmed]))
        .filter(inbound::Column::Eta.lte(needed_by))
        .all(db)
        .await?;
    if lines.is_empty() {
        return Ok(0);
    }
    let held: i64 = order_reservations::Entity::find()
        .filter(order_reservations::Column::InboundId.is_in(lines.iter().map(|l| l.id)))
        .all(db)
        .await?
        .iter()
        .map(|r| r.quantity)
        .sum();
    Ok((lines.iter().map(|l| l.quantity).sum::<i64>() - held).max(0))
}

/// Per material, the units open orders hold at each node.
async fn held_at(db: &impl ConnectionTrait, shop_id: i64) -> Result<HashMap<i64, BTreeMap<i64, i64>>, DbErr> {
    let open: Vec<i64> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Status.is_in([OrderStatus::Placed, OrderStatus::InProduction]))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut at: HashMap<i64, BTreeMap<i64, i64>> = HashMap::new();
    for hold in order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.is_in(open))
        .all(db)
        .await?
    {
        *at.entry(hold.material_id)
            .or_default()
            .entry(hold.node_id)
            .or_default() += hold.quantity;
    }
    Ok(at)
}

/// The key with the most units (the lowest id among equals).
fn most(units: &BTreeMap<i64, i64>) -> Option<i64> {
    units.iter().max_by_key(|&(&id, &n)| (n, -id)).map(|(&id, _)| id)
}
