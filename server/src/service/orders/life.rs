//! An order's life: placed -> in production -> shipped -> delivered, or cancelled
//! before it ships. Each move is audited; the moves that end what an order holds give
//! it back or use it up in the same unit of work, so the next quote sees it at once.
//!
//! An order cancelled in production has had material issued to it: what was issued
//! within its plan leaves the node's stock with the cancellation (beyond the plan it
//! left when reported), and only the rest of its reservations is free again. The
//! issued units are the parts it freed (its `material_consumption` rows less what was
//! `returned`): off the shelf, but reusable, and the internal-first cover offers them
//! before anything is bought.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{OrderView, ReservationView, read};
use crate::service::webhooks::{EventKind, outbox};
use crate::service::{WriteError, invalid};
use crate::store::entities::{
    OrderStatus, ReservationSource, material_consumption, materials, nodes, order_reservations, orders,
    stock, work_center_bookings,
};
use crate::store::{Change, ShopWrite};

/// A move of an order to another status.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusMove {
    /// `in_production`, `shipped`, `delivered` or `cancelled`.
    #[schema(value_type = String, pattern = "^(placed|in_production|shipped|delivered|cancelled)$")]
    pub status: OrderStatus,
    /// For `delivered`: the day it arrived (today in the shop's time zone unless said).
    #[serde(default)]
    pub delivered_on: Option<NaiveDate>,
    /// Why (kept in the audit log); required for `cancelled`.
    #[serde(default)]
    pub reason: Option<String>,
    /// For `cancelled`: `customer` (the default) or `shop`. Only the shop's own
    /// cancellations count against its perfect order rate.
    #[serde(default)]
    pub cancelled_by: Option<CancelledBy>,
}

/// Who called an order off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The customer (or the platform on their behalf).
    Customer,
    /// The shop.
    Shop,
}

impl CancelledBy {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            CancelledBy::Customer => "customer",
            CancelledBy::Shop => "shop",
        }
    }
}

/// An order after a move, with what the move gave back.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Moved {
    /// The order now.
    pub order: OrderView,
    /// What a cancellation gave back: the reusable pool it freed (units now free
    /// again for the next quote). Empty for other moves.
    pub freed: Vec<ReservationView>,
}

/// Moves order `id` of the unit's shop as `change` says, and commits. `today` is the
/// shop's date (a delivery's default day).
pub async fn move_order(
    mut w: ShopWrite,
    id: i64,
    change: StatusMove,
    today: NaiveDate,
) -> Result<Moved, WriteError> {
    let shop_id = w.shop();
    let row = orders::Entity::find_by_id(id)
        .filter(orders::Column::ShopId.eq(shop_id))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no order {id} in this shop")))?;
    let from = row.status;
    let to = change.status;
    if !from.can_move_to(to) {
        return Err(WriteError::Conflict(format!(
            "order {id} is `{from}` and cannot move to `{to}` (orders go placed -> in_production -> \
             shipped -> delivered, and may be cancelled until they ship)"
        )));
    }
    let reason = change.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if to == OrderStatus::Cancelled && reason.is_none() {
        return Err(invalid(
            "reason",
            "say why the order is cancelled (it is kept in the audit log)",
        ));
    }
    let delivered_on = match to {
        OrderStatus::Delivered => {
            let day = change.delivered_on.unwrap_or(today);
            if day < row.placed_at.date_naive() || day > today {
                return Err(invalid(
                    "delivered_on",
                    format!(
                        "must be between the day it was placed ({}) and today",
                        row.placed_at.date_naive()
                    ),
                ));
            }
            Some(day)
        }
        _ if change.delivered_on.is_some() => {
            return Err(invalid("delivered_on", "is only for `delivered`"));
        }
        _ => None,
    };
    let before = read::order(&w, shop_id, id).await?;
    let (freed, issued) = match to {
        OrderStatus::Shipped => {
            release(&w, id, Release::UseUp).await?;
            (Vec::new(), Vec::new())
        }
        OrderStatus::Cancelled => {
            let issued = release(&w, id, Release::GiveBack).await?;
            let held = before
                .as_ref()
                .map(|o| o.reservations.clone())
                .unwrap_or_default();
            (given_back(held, &issued), issued)
        }
        _ => (Vec::new(), Vec::new()),
    };
    // Conditional on the status read, so of two concurrent moves only one applies.
    let mut update = orders::ActiveModel {
        id: Set(id),
        status: Set(to),
        ..Default::default()
    };
    if let Some(day) = delivered_on {
        update.delivered_on = Set(Some(day));
    }
    let cancelled_by = match (to, change.cancelled_by) {
        (OrderStatus::Cancelled, by) => Some(by.unwrap_or(CancelledBy::Customer)),
        (_, Some(_)) => return Err(invalid("cancelled_by", "is only for `cancelled`")),
        (_, None) => None,
    };
    if let Some(by) = cancelled_by {
        update.cancelled_by = Set(Some(by.as_str().to_string()));
    }
    let moved = orders::Entity::update_many()
        .set(update)
        .filter(orders::Column::Id.eq(id))
        .filter(orders::Column::Status.eq(from))
        .exec(&w)
        .await?;
    if moved.rows_affected == 0 {
        return Err(WriteError::Conflict(format!(
            "order {id} changed while it was being moved"
        )));
    }
    let order = read::order(&w, shop_id, id)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no order {id} in this shop")))?;
    w.record(
        Change::new(action(to), "order", id.to_string())
            .before(before.map(|b| json!({"status": b.status, "reservations": b.reservations})))
            .after(json!({"status": to, "delivered_on": delivered_on, "reason": reason, "cancelled_by": cancelled_by,
                          "freed": freed, "issued": issued})),
    )
    .await?;
    outbox::publish(
        &w,
        EventKind::OrderStatusChanged,
        outbox::order_data(&order, json!({"from": from, "to": to, "freed": freed})),
    )
    .await?;
    w.commit().await?;
    Ok(Moved { order, freed })
}

fn action(to: OrderStatus) -> &'static str {
    match to {
        OrderStatus::Placed => "order.place",
        OrderStatus::InProduction => "order.start",
        OrderStatus::Shipped => "order.ship",
        OrderStatus::Delivered => "order.deliver",
        OrderStatus::Cancelled => "order.cancel",
    }
}

/// What ending an order's hold does to its stock.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Release {
    /// Shipped: the reserved units leave the stock.
    UseUp,
    /// Cancelled: the reserved units are free again.
    GiveBack,
}

/// Stock units of a cancelled order's reservation that were issued to production,
/// so did not go back on the shelf.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issued {
    /// The material's SKU.
    pub material: String,
    /// The node's code.
    pub node: String,
    /// Units.
    pub quantity: i64,
}

/// `held` less what was `issued`: the reservations whose units are free again.
fn given_back(held: Vec<ReservationView>, issued: &[Issued]) -> Vec<ReservationView> {
    let mut left: HashMap<(String, String), i64> = HashMap::new();
    for i in issued {
        *left.entry((i.material.clone(), i.node.clone())).or_default() += i.quantity;
    }
    held.into_iter()
        .filter_map(|mut r| {
            if r.source == ReservationSource::Stock
                && let Some(used) = left.get_mut(&(r.material.clone(), r.node.clone()))
            {
                let taken = std::cmp::min(*used, r.quantity);
                *used -= taken;
                r.quantity -= taken;
            }
            (r.quantity > 0).then_some(r)
        })
        .collect()
}

/// Ends everything order `id` holds: its stock reservations leave `stock.reserved`
/// (and, when used up, `on_hand`); its reservations of inbound, supplier capacity and
/// supplier orders and its work-center bookings are deleted, so their units and
/// minutes count as free in the next quote. Given back, the units of a stock
/// reservation that were issued to production (reported consumption up to the plan)
/// leave `on_hand` too: they are returned as [`Issued`].
async fn release(w: &ShopWrite, id: i64, how: Release) -> Result<Vec<Issued>, WriteError> {
    let held = order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.eq(id))
        .all(w)
        .await?;
    // Never below zero: a count corrected by hand may already have taken the units off.
    let less = |column: stock::Column, quantity: i64| {
        CaseStatement::new()
            .case(Expr::col(column).gt(quantity), Expr::col(column).sub(quantity))
            .finally(0)
    };
    // Per material, the units issued within the plan (beyond it, they left the stock
    // when reported).
    let mut within: HashMap<i64, i64> = HashMap::new();
    if how == Release::GiveBack {
        let mut planned: HashMap<i64, i64> = HashMap::new();
        for r in &held {
            *planned.entry(r.material_id).or_default() += r.quantity;
        }
        for report in material_consumption::Entity::find()
            .filter(material_consumption::Column::OrderId.eq(id))
            .all(w)
            .await?
        {
            *within.entry(report.material_id).or_default() += report.quantity;
        }
        for (material, units) in within.iter_mut() {
            *units = std::cmp::min(*units, planned.get(material).copied().unwrap_or(0));
        }
    }
    let mut issued: Vec<(i64, i64, i64)> = Vec::new();
    for r in held.iter().filter(|r| r.source == ReservationSource::Stock) {
        let used = match how {
            Release::UseUp => r.quantity,
            Release::GiveBack => {
                let left = within.entry(r.material_id).or_default();
                let used = std::cmp::min(*left, r.quantity);
                *left -= used;
                if used > 0 {
                    issued.push((r.material_id, r.node_id, used));
                }
                used
            }
        };
        let mut update = stock::Entity::update_many().col_expr(
            stock::Column::Reserved,
            less(stock::Column::Reserved, r.quantity).into(),
        );
        if used > 0 {
            update = update.col_expr(stock::Column::OnHand, less(stock::Column::OnHand, used).into());
        }
        update
            .filter(stock::Column::MaterialId.eq(r.material_id))
            .filter(stock::Column::NodeId.eq(r.node_id))
            .exec(w)
            .await?;
    }
    order_reservations::Entity::delete_many()
        .filter(order_reservations::Column::OrderId.eq(id))
        .exec(w)
        .await?;
    work_center_bookings::Entity::delete_many()
        .filter(work_center_bookings::Column::OrderId.eq(id))
        .exec(w)
        .await?;
    named(w, issued).await
}

/// `issued` `(material id, node id, units)` with the SKUs and node codes.
async fn named(w: &ShopWrite, issued: Vec<(i64, i64, i64)>) -> Result<Vec<Issued>, WriteError> {
    if issued.is_empty() {
        return Ok(Vec::new());
    }
    let skus: HashMap<i64, String> = materials::Entity::find()
        .filter(materials::Column::Id.is_in(issued.iter().map(|i| i.0)))
        .all(w)
        .await?
        .into_iter()
        .map(|m| (m.id, m.sku))
        .collect();
    let codes: HashMap<i64, String> = nodes::Entity::find()
        .filter(nodes::Column::Id.is_in(issued.iter().map(|i| i.1)))
        .all(w)
        .await?
        .into_iter()
        .map(|n| (n.id, n.code))
        .collect();
    Ok(issued
        .into_iter()
        .map(|(material, node, quantity)| Issued {
            material: skus.get(&material).cloned().unwrap_or_default(),
            node: codes.get(&node).cloned().unwrap_or_default(),
            quantity,
        })
        .collect())
}
