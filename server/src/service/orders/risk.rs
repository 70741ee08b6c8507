//! Late risk: whether an open order's plan still keeps its promise. The one rule, used
//! by the scheduled check, by every write that moves an inbound line's date, and shown
//! on the orders (`late_risk`) and the admin's board.
//!
//! An order that is placed or in production is at risk when
//! - its promised day has passed (`overdue`), or
//! - an inbound line it holds units of is now expected later than when the order was
//!   booked, by more than the plan's slack: the units would reach the producing node
//!   after the first day production was booked (or, with no production, after the
//!   promised day less the shop's transit days).
//!
//! Becoming at risk is recorded on the order (`late_risk`, `late_risk_since`), audited
//! (`order.late_risk`) and published as the `order.late_risk` event; an order whose
//! plan holds again has its flag cleared (audited, no event).

use std::collections::HashMap;

use app::model::FulfilmentView;
use chrono::{NaiveDate, TimeDelta};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::read;
use crate::service::webhooks::{EventKind, outbox};
use crate::store::entities::{
    OrderStatus, ReservationSource, inbound, order_reservations, orders, shops, work_center_bookings,
};
use crate::store::{Change, Db, ShopWrite, StoreError};

/// Who the audit log says flagged an order.
pub const ACTOR: &str = "rule:late-risk";

/// Each open order of shop `shop` whose flag should change, with its new reason.
async fn changes(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    today: NaiveDate,
) -> Result<Vec<(orders::Model, Option<String>)>, StoreError> {
    let open = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop.id))
        .filter(orders::Column::Status.is_in([OrderStatus::Placed, OrderStatus::InProduction]))
        .all(db)
        .await?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let waiting = Waiting::load(db, shop, &open).await?;
    let mut out = Vec::new();
    for order in open {
        let reason = reason(&order, &waiting, today);
        if reason != order.late_risk {
            out.push((order, reason));
        }
    }
    Ok(out)
}

/// What open orders wait on: their holds on inbound lines, those lines, and the day
/// each order needs its materials. Read once for the late-risk rule and the
/// late-supply rule (`alerts::shortage`), which judge the same holds.
pub(crate) struct Waiting {
    held: HashMap<i64, Vec<order_reservations::Model>>,
    lines: HashMap<i64, inbound::Model>,
    needed: HashMap<i64, NaiveDate>,
}

impl Waiting {
    /// Reads what `open` (orders of `shop`) wait on.
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        shop: &shops::Model,
        open: &[orders::Model],
    ) -> Result<Waiting, StoreError> {
        let mut held: HashMap<i64, Vec<order_reservations::Model>> = HashMap::new();
        for hold in order_reservations::Entity::find()
            .filter(order_reservations::Column::OrderId.is_in(open.iter().map(|o| o.id)))
            .filter(order_reservations::Column::Source.eq(ReservationSource::Inbound))
            .all(db)
            .await?
        {
            held.entry(hold.order_id).or_default().push(hold);
        }
        let lines = inbound::Entity::find()
            .filter(inbound::Column::Id.is_in(held.values().flatten().filter_map(|r| r.inbound_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
        let needed = needed_by(db, shop, open).await?;
        Ok(Waiting { held, lines, needed })
    }

    /// The day `order` needs its materials at the producing node.
    pub(crate) fn needed_by(&self, order: &orders::Model) -> NaiveDate {
        self.needed[&order.id]
    }

    /// The holds of `order` on inbound lines that slipped past what its plan can
    /// absorb: expected later than when the order was booked, so that the units would
    /// reach the producing node after the day it needs them. With each its line.
    pub(crate) fn late_holds(
        &self,
        order: &orders::Model,
    ) -> Vec<(&order_reservations::Model, &inbound::Model)> {
        let holds = self.held.get(&order.id).map(Vec::as_slice).unwrap_or_default();
        late_holds(order, holds, &self.lines, self.needed_by(order))
    }
}

/// The day each of `open` needs its materials at the producing node: the first day
/// production was booked, or with no production the promised day less the shop's
/// transit days.
async fn needed_by(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    open: &[orders::Model],
) -> Result<HashMap<i64, NaiveDate>, StoreError> {
    let mut first_day: HashMap<i64, NaiveDate> = HashMap::new();
    for b in work_center_bookings::Entity::find()
        .filter(work_center_bookings::Column::OrderId.is_in(open.iter().map(|o| o.id)))
        .all(db)
        .await?
    {
        if let Some(order) = b.order_id {
            let day = first_day.entry(order).or_insert(b.day);
            *day = (*day).min(b.day);
        }
    }
    Ok(open
        .iter()
        .map(|o| {
            let shipped_by = o.promised_on - TimeDelta::days(i64::from(shop.transit_days));
            (o.id, first_day.get(&o.id).copied().unwrap_or(shipped_by))
        })
        .collect())
}

/// Why `order` is at risk, if it is.
fn reason(order: &orders::Model, waiting: &Waiting, today: NaiveDate) -> Option<String> {
    if today > order.promised_on {
        return Some(format!("overdue: promised for {}", order.promised_on));
    }
    let needed_by = waiting.needed_by(order);
    let (held, line) = waiting.late_holds(order).into_iter().next()?;
    let slip = (line.eta - held.expected_on.unwrap_or(line.eta)).num_days();
    Some(format!(
        "supply slipped: {} is now expected {} ({slip} days later), after production needs it ({needed_by})",
        line.reference, line.eta
    ))
}

/// [`Waiting::late_holds`], with `needed_by` the day the order needs the units.
fn late_holds<'a>(
    order: &orders::Model,
    holds: &'a [order_reservations::Model],
    lines: &'a HashMap<i64, inbound::Model>,
    needed_by: NaiveDate,
) -> Vec<(&'a order_reservations::Model, &'a inbound::Model)> {
    let plan: Option<FulfilmentView> = order.plan.clone().and_then(|p| serde_json::from_value(p).ok());
    let mut late = Vec::new();
    for held in holds {
        let (Some(line), Some(booked_eta)) = (held.inbound_id.and_then(|i| lines.get(&i)), held.expected_on)
        else {
            continue;
        };
        let slip = (line.eta - booked_eta).num_days();
        if slip <= 0 {
            continue;
        }
        // When the plan had the units at the producing node (after any transfer).
        let arrived = plan
            .as_ref()
            .and_then(|p| {
                p.materials
                    .iter()
                    .flat_map(|m| &m.sources)
                    .filter(|s| s.kind == "inbound" && s.reference.as_deref() == Some(&line.reference))
                    .map(|s| s.arrives)
                    .max()
            })
            .unwrap_or(booked_eta);
        if arrived + TimeDelta::days(slip) > needed_by {
            late.push((held, line));
        }
    }
    late
}

/// Sets the flags of the unit's shop's open orders as the rule finds them now, in `w`
/// (which the caller commits). Returns how many orders became at risk.
pub async fn mark_late_risk(
    w: &mut ShopWrite,
    shop: &shops::Model,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let mut raised = 0;
    for (order, reason) in changes(&*w, shop, today).await? {
        let id = order.id;
        let was = order.late_risk.clone();
        let mut row: orders::ActiveModel = order.into();
        row.late_risk = Set(reason.clone());
        row.late_risk_since = Set(reason.as_ref().map(|_| w.now()));
        row.update(&*w).await?;
        w.record(
            Change::new("order.late_risk", "order", id.to_string())
                .before(Some(json!({"late_risk": was})))
                .after(json!({"late_risk": reason}))
                .leaves_quotes(),
        )
        .await?;
        if let Some(reason) = reason
            && was.is_none()
        {
            raised += 1;
            let view = read::order(&*w, shop.id, id).await?;
            outbox::publish(
                w,
                EventKind::OrderLateRisk,
                outbox::order_data(&view, json!({"reason": reason})),
            )
            .await?;
        }
    }
    Ok(raised)
}

/// Checks shop `shop`'s open orders now, and writes (as [`ACTOR`]) only when a flag
/// changes. Returns how many orders became at risk.
pub async fn refresh_late_risk(db: &Db, shop: &shops::Model, today: NaiveDate) -> Result<usize, StoreError> {
    if changes(db, shop, today).await?.is_empty() {
        return Ok(0);
    }
    let mut w = db.write(shop.id, ACTOR).await?;
    let raised = mark_late_risk(&mut w, shop, today).await?;
    w.commit().await?;
    Ok(raised)
}
