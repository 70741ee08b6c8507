//! Pulling production in: an order booked to be made on the day its material was
//! expected is made earlier when the material came early.
//!
//! A booking places an order's work-center minutes from the day everything it needs
//! is expected at the producing node. When a purchase order arrives before its date,
//! those minutes stay where they were, so the order would wait for a day chosen for a
//! material already on the shelf, and no order could arrive before its quoted P50: the
//! P50 would not be a median. This rule moves such orders' minutes onto the earliest
//! free capacity from today, in order of promise (the earliest promised first), when
//! that finishes production sooner. Only orders not yet in production whose every
//! unit is reserved from stock qualify (nothing to wait for but a transfer from another
//! node, whose lane's days production then starts after); their material
//! reservations and promised dates stay as they are.
//!
//! It runs with the late-risk check (`jobs.rs`), and daily in the replay after the
//! day's receipts. Each move is audited (`order.pull_in`, the bookings before and
//! after) and, freeing later days, bumps the shop's state version.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use engine::quote::{MinutesUse, OperationUse};
use engine::state::{Lane, NodeId};
use engine::{Plan, ShopState, Snapshot};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::BookingView;
use crate::quoting::{QuoteError, Quoting, ShopSnapshot};
use crate::store::entities::{
    OrderStatus, ReservationSource, order_operations, order_reservations, orders, shops, work_center_bookings,
};
use crate::store::{Change, Db, ShopWrite, StoreError, bulk};

/// Who the audit log says moved an order's production.
pub const ACTOR: &str = "rule:pull-in";

/// An order whose production was moved earlier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PulledIn {
    /// The order.
    pub order: i64,
    /// Its first production day now.
    pub first_day: NaiveDate,
    /// Its last production day now.
    pub last_day: NaiveDate,
    /// Its last production day before.
    pub was: NaiveDate,
}

/// Moves the production of shop `shop`'s orders whose material came early onto the
/// earliest free capacity (see the module documentation); returns what moved. Opens a
/// unit of work only when some order may move.
pub async fn move_production_earlier(
    db: &Db,
    quoting: &Quoting,
    shop: &shops::Model,
) -> Result<Vec<PulledIn>, QuoteError> {
    let today = quoting.today(shop);
    if candidates(db, shop.id, today).await?.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = db.write(shop.id, ACTOR).await.map_err(StoreError::from)?;
    // The row as the lock holds it: its version names the snapshot to plan on.
    let shop = shops::Entity::find_by_id(shop.id)
        .one(&w)
        .await
        .map_err(StoreError::from)?
        .ok_or(QuoteError::ShopGone)?;
    let snapshot = quoting.snapshot_in(&w, &shop).await?;
    let pulled = pull_in(&mut w, &snapshot).await?;
    if pulled.is_empty() {
        w.rollback().await.map_err(StoreError::from)?;
    } else {
        w.commit().await?;
    }
    Ok(pulled)
}

/// One order that may move, with what it holds.
struct Candidate {
    order: orders::Model,
    nodes: Vec<i64>,
    bookings: Vec<work_center_bookings::Model>,
    operations: Vec<order_operations::Model>,
}

/// The shop's placed orders with production booked to start after `today` and every
/// unit reserved from stock, earliest promise first.
async fn candidates(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<Vec<Candidate>, StoreError> {
    let placed = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Status.eq(OrderStatus::Placed))
        .order_by_asc(orders::Column::PromisedOn)
        .order_by_asc(orders::Column::Id)
        .all(db)
        .await?;
    if placed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = placed.iter().map(|o| o.id).collect();
    let mut bookings: HashMap<i64, Vec<work_center_bookings::Model>> = HashMap::new();
    for booking in work_center_bookings::Entity::find()
        .filter(work_center_bookings::Column::OrderId.is_in(ids))
        .all(db)
        .await?
    {
        if let Some(order) = booking.order_id {
            bookings.entry(order).or_default().push(booking);
        }
    }
    // Only orders whose production has not begun and is booked later than today.
    let placed: Vec<orders::Model> = placed
        .into_iter()
        .filter(|order| {
            bookings
                .get(&order.id)
                .and_then(|b| b.iter().map(|b| b.day).min())
                .is_some_and(|first| first > today)
        })
        .collect();
    if placed.is_empty() {
        return Ok(Vec::new());
    }
    let later: Vec<i64> = placed.iter().map(|o| o.id).collect();
    let mut held: HashMap<i64, Vec<order_reservations::Model>> = HashMap::new();
    for reservation in order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.is_in(later.clone()))
        .all(db)
        .await?
    {
        held.entry(reservation.order_id).or_default().push(reservation);
    }
    let mut operations: HashMap<i64, Vec<order_operations::Model>> = HashMap::new();
    for operation in order_operations::Entity::find()
        .filter(order_operations::Column::OrderId.is_in(later))
        .order_by_asc(order_operations::Column::Seq)
        .all(db)
        .await?
    {
        operations.entry(operation.order_id).or_default().push(operation);
    }
    Ok(placed
        .into_iter()
        .filter_map(|order| {
            let held = held.remove(&order.id).unwrap_or_default();
            // Anything still to come (a line, a supplier's order, reserved supplier
            // capacity) keeps the order where it was booked.
            if held.iter().any(|r| r.source != ReservationSource::Stock) {
                return None;
            }
            Some(Candidate {
                nodes: held.iter().map(|r| r.node_id).collect(),
                bookings: bookings.remove(&order.id).unwrap_or_default(),
                operations: operations.remove(&order.id)?,
                order,
            })
        })
        .collect())
}

/// Moves what can move in `w`, on `snapshot` (the locked state): each candidate's own
/// minutes released, its operations scheduled afresh from today (or from when stock
/// held at another node can be there), kept when that ends sooner; each next
/// candidate sees the minutes the ones before took.
async fn pull_in(w: &mut ShopWrite, snapshot: &ShopSnapshot) -> Result<Vec<PulledIn>, StoreError> {
    let today = snapshot.today;
    let state = &snapshot.engine.state;
    let index =
        |ids: &[i64]| -> HashMap<i64, usize> { ids.iter().enumerate().map(|(i, id)| (*id, i)).collect() };
    let (centers, nodes) = (index(&snapshot.ids.work_centers), index(&snapshot.ids.nodes));
    let mut load = state.clone();
    let mut pulled = Vec::new();
    let (mut gone, mut booked, mut changes) = (Vec::new(), Vec::new(), Vec::new());
    for candidate in candidates(&*w, w.shop(), today).await? {
        let Some(own) = candidate
            .bookings
            .iter()
            .map(|b| {
                Some(MinutesUse {
                    work_center: *centers.get(&b.work_center_id)?,
                    day: b.day,
                    minutes: u32::try_from(b.minutes).ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some(operations) = candidate
            .operations
            .iter()
            .map(|op| {
                Some(OperationUse {
                    work_center: *centers.get(&op.work_center_id)?,
                    minutes: u32::try_from(op.booked_minutes).ok()?,
                    planned: u32::try_from(op.planned_minutes).ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        // Stock held at another node travels to where the order is made first.
        let Some(made_at) = operations
            .first()
            .map(|op| state.work_centers[op.work_center].node)
        else {
            continue;
        };
        let Some(start) = candidate
            .nodes
            .iter()
            .map(|node| travel_days(state, nodes.get(node).copied()?, made_at))
            .try_fold(0, |most, days| days.map(|days| most.max(days)))
            .map(|days| today + Days::new(u64::from(days)))
        else {
            continue;
        };
        let was = own.iter().map(|m| m.day).max().unwrap_or(today);
        load.release_minutes(&own);
        let moved = Snapshot::build(load.clone())
            .reschedule(&operations, start)
            .filter(|moved| moved.iter().map(|m| m.day).max().is_some_and(|last| last < was));
        let Some(moved) = moved else {
            load.reserve(&minutes_plan(own));
            continue;
        };
        load.reserve(&minutes_plan(moved.clone()));
        let view = |minutes: &[MinutesUse]| -> Vec<BookingView> {
            minutes
                .iter()
                .map(|m| BookingView {
                    work_center: state.work_centers[m.work_center].code.clone(),
                    day: m.day,
                    minutes: m.minutes as i32,
                })
                .collect()
        };
        let id = candidate.order.id;
        changes.push(
            Change::new("order.pull_in", "order", id.to_string())
                .before(Some(json!({ "bookings": view(&own) })))
                .after(json!({ "bookings": view(&moved) })),
        );
        pulled.push(PulledIn {
            order: id,
            first_day: moved.iter().map(|m| m.day).min().unwrap_or(today),
            last_day: moved.iter().map(|m| m.day).max().unwrap_or(today),
            was,
        });
        gone.push(id);
        booked.extend(moved.iter().map(|m| work_center_bookings::ActiveModel {
            work_center_id: Set(snapshot.ids.work_centers[m.work_center]),
            day: Set(m.day),
            minutes: Set(m.minutes as i32),
            order_id: Set(Some(id)),
            ..Default::default()
        }));
    }
    if gone.is_empty() {
        return Ok(pulled);
    }
    work_center_bookings::Entity::delete_many()
        .filter(work_center_bookings::Column::OrderId.is_in(gone))
        .exec(&*w)
        .await?;
    bulk::insert_all(&*w, booked).await?;
    w.record_all(changes).await?;
    Ok(pulled)
}

/// Days for stock at `from` to reach `to`: none when it is there, the fastest lane's
/// lead time otherwise; `None` without a lane.
fn travel_days(state: &ShopState, from: NodeId, to: NodeId) -> Option<u32> {
    if from == to {
        return Some(0);
    }
    Lane::fastest(&state.lanes, from, to).map(|lane| lane.lead_time_days)
}

/// A plan of `minutes` alone, to book or give back on the state in memory.
fn minutes_plan(minutes: Vec<MinutesUse>) -> Plan {
    Plan {
        minutes,
        ..Plan::default()
    }
}
