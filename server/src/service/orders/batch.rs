//! What a group of bookings writes, gathered while its orders are checked and written
//! at the end in one statement per table (per [`bulk::CHUNK`] rows), however many
//! orders the group holds.
//!
//! A booking runs under the shop's write lock, so every statement it runs is time no
//! other order of the shop can be booked in; on SQLite each is also a round trip
//! through the database's one worker thread. Written order by order, a booking took
//! eight statements; gathered, a group of any size takes about ten.

use std::collections::{BTreeMap, HashMap};

use engine::snapshot::StepSource;
use engine::{Plan, Source};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{BookingView, OperationView, OrderView, ReservationView, read};
use crate::quoting::ShopSnapshot;
use crate::quoting::token::Claims;
use crate::service::idempotency::{self, Idempotency};
use crate::service::webhooks::outbox;
use crate::store::entities::{
    ReservationSource, order_operations, order_reservations, orders, stock, work_center_bookings,
};
use crate::store::{Change, ShopWrite, StoreError, bulk};

/// The orders of a group, with everything each one's plan takes, not yet written.
pub(super) struct Batch {
    currency: String,
    entries: Vec<Entry>,
    /// Units taken from each stock row (by id), over the whole group.
    from_stock: BTreeMap<i64, i64>,
}

/// One order of a [`Batch`].
struct Entry {
    row: orders::ActiveModel,
    reference: String,
    product: String,
    uses: Uses,
    claims: Option<Claims>,
    idempotency: Option<Idempotency>,
}

/// What one plan takes, as rows (without the order's id, which the insert gives) and
/// as the order's view shows it.
struct Uses {
    held: read::Held,
    reservations: Vec<order_reservations::ActiveModel>,
    bookings: Vec<work_center_bookings::ActiveModel>,
    operations: Vec<order_operations::ActiveModel>,
}

/// An order to add to a [`Batch`].
pub(super) struct Booking<'a> {
    /// Its row, without id.
    pub row: orders::ActiveModel,
    /// Its reference, as in its row: how its id is found after the insert.
    pub reference: &'a str,
    /// Its product's slug.
    pub product: &'a str,
    /// What it takes.
    pub plan: &'a Plan,
    /// The quote token it came with, if any: the audit entry keeps what it promised.
    pub claims: Option<&'a Claims>,
    /// Its idempotency key, if any: stored with its answer.
    pub idempotency: Option<&'a Idempotency>,
}

impl Batch {
    /// An empty batch of a shop whose prices are in `currency`.
    pub(super) fn new(currency: String) -> Batch {
        Batch {
            currency,
            entries: Vec::new(),
            from_stock: BTreeMap::new(),
        }
    }

    /// Adds `booking`, whose plan was made on `snapshot`; returns its place in the
    /// batch (the index of its view in what [`Batch::write`] returns).
    pub(super) fn add(&mut self, snapshot: &ShopSnapshot, booking: Booking<'_>) -> usize {
        let uses = uses(snapshot, booking.plan, &mut self.from_stock);
        self.entries.push(Entry {
            row: booking.row,
            reference: booking.reference.to_string(),
            product: booking.product.to_string(),
            uses,
            claims: booking.claims.cloned(),
            idempotency: booking.idempotency.cloned(),
        });
        self.entries.len() - 1
    }

    /// Writes every order of the batch in `w`: the orders, what their plans take
    /// (reservations, the stock's `reserved` counts, bookings, operations), an audit
    /// entry each, their `order.promised` events to `listeners` and their idempotent
    /// answers. Returns their views, in the order added. Only the database can fail.
    pub(super) async fn write(
        self,
        w: &mut ShopWrite,
        listeners: &outbox::Listeners,
    ) -> Result<Vec<OrderView>, StoreError> {
        let Batch {
            currency,
            entries,
            from_stock,
        } = self;
        let rows = entries.iter().map(|entry| entry.row.clone()).collect();
        // A reference is unique in the shop (and was checked free), so it tells which
        // stored row is whose, whatever order RETURNING gives them in.
        let mut stored: HashMap<String, orders::Model> = bulk::insert_returning(&*w, rows)
            .await?
            .into_iter()
            .map(|row| (row.reference.clone(), row))
            .collect();
        if !from_stock.is_empty() {
            take_stock(w, &from_stock).await?;
        }
        let (mut reservations, mut bookings, mut operations) = (Vec::new(), Vec::new(), Vec::new());
        let mut views = Vec::with_capacity(entries.len());
        let mut changes = Vec::with_capacity(entries.len());
        for entry in entries {
            let row = stored
                .remove(&entry.reference)
                .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotInserted))?;
            let Uses {
                held,
                reservations: r,
                bookings: b,
                operations: o,
            } = entry.uses;
            let id = row.id;
            reservations.extend(r.into_iter().map(|mut row| {
                row.order_id = Set(id);
                row
            }));
            bookings.extend(b.into_iter().map(|mut row| {
                row.order_id = Set(Some(id));
                row
            }));
            operations.extend(o.into_iter().map(|mut row| {
                row.order_id = Set(id);
                row
            }));
            let view = read::view(row, entry.product, currency.clone(), held);
            let mut change = Change::new("order.place", "order", id.to_string()).after(json!(view));
            if let Some(claims) = entry.claims {
                // What the shopper was shown, beside what was booked.
                change = change.before(Some(json!({"quote_token": claims})));
            }
            changes.push((change, entry.idempotency));
            views.push(view);
        }
        bulk::insert_all(&*w, reservations).await?;
        bulk::insert_all(&*w, bookings).await?;
        bulk::insert_all(&*w, operations).await?;
        let (changes, keys): (Vec<Change>, Vec<Option<Idempotency>>) = changes.into_iter().unzip();
        w.record_all(changes).await?;
        listeners
            .publish(
                w,
                views
                    .iter()
                    .map(|view| outbox::order_data(view, json!({})))
                    .collect(),
            )
            .await?;
        let answers = keys
            .iter()
            .zip(&views)
            .filter_map(|(key, view)| key.as_ref().map(|key| (key, 201, view)));
        idempotency::store_all(w, answers).await?;
        Ok(views)
    }
}

/// Adds `units` to the `reserved` count of each stock row (by id) in one statement:
/// `reserved + CASE id WHEN … THEN units … END`.
async fn take_stock(w: &ShopWrite, units: &BTreeMap<i64, i64>) -> Result<(), StoreError> {
    let mut added = CaseStatement::new();
    for (&row, &quantity) in units {
        added = added.case(stock::Column::Id.eq(row), Expr::val(quantity));
    }
    stock::Entity::update_many()
        .col_expr(
            stock::Column::Reserved,
            Expr::col(stock::Column::Reserved).add(Into::<Expr>::into(added)),
        )
        .filter(stock::Column::Id.is_in(units.keys().copied()))
        .exec(w)
        .await?;
    Ok(())
}

/// What `plan` (made on `snapshot`) takes: a reservation per material use (adding the
/// units it takes from stock rows to `from_stock`), a booking per work center and day,
/// an operation per routing step. Mirrors `engine::ShopState::reserve`, which does the
/// same to the snapshot in memory.
fn uses(snapshot: &ShopSnapshot, plan: &Plan, from_stock: &mut BTreeMap<i64, i64>) -> Uses {
    let state = &snapshot.engine.state;
    let ids = &snapshot.ids;
    let mut held = read::Held::default();
    let mut reservations = Vec::with_capacity(plan.materials.len());
    for used in &plan.materials {
        let (source, node, inbound_id, capacity_reservation_id, expected_on) = match used.source {
            Source::Supply(StepSource::OnHand { stock } | StepSource::Transfer { stock, .. }) => {
                *from_stock.entry(ids.stock[stock]).or_default() += used.quantity;
                (
                    ReservationSource::Stock,
                    state.stock[stock].node,
                    None,
                    None,
                    None,
                )
            }
            Source::Supply(StepSource::Inbound { inbound }) => (
                ReservationSource::Inbound,
                state.inbound[inbound].node,
                Some(ids.inbound[inbound]),
                None,
                // What a later slip of the line is measured against (`risk`).
                Some(state.inbound[inbound].eta),
            ),
            Source::Supply(StepSource::Reservation { reservation }) => (
                ReservationSource::CapacityReservation,
                state.reservations[reservation].node,
                None,
                Some(ids.reservations[reservation]),
                None,
            ),
            Source::SupplierOrder { .. } => (
                ReservationSource::SupplierOrder,
                plan.producing_node,
                None,
                None,
                None,
            ),
        };
        held.reservations.push(ReservationView {
            material: state.materials[used.material as usize].sku.clone(),
            node: state.nodes[node].code.clone(),
            source,
            inbound: match used.source {
                Source::Supply(StepSource::Inbound { inbound }) => {
                    Some(state.inbound[inbound].reference.clone())
                }
                _ => None,
            },
            quantity: used.quantity,
        });
        reservations.push(order_reservations::ActiveModel {
            material_id: Set(ids.materials[used.material as usize]),
            node_id: Set(ids.nodes[node]),
            inbound_id: Set(inbound_id),
            quantity: Set(used.quantity),
            source: Set(source),
            capacity_reservation_id: Set(capacity_reservation_id),
            expected_on: Set(expected_on),
            ..Default::default()
        });
    }
    held.bookings = plan
        .minutes
        .iter()
        .map(|used| BookingView {
            work_center: state.work_centers[used.work_center].code.clone(),
            day: used.day,
            minutes: used.minutes as i32,
        })
        .collect();
    let bookings = plan
        .minutes
        .iter()
        .map(|used| work_center_bookings::ActiveModel {
            work_center_id: Set(ids.work_centers[used.work_center]),
            day: Set(used.day),
            minutes: Set(used.minutes as i32),
            ..Default::default()
        })
        .collect();
    held.operations = plan
        .operations
        .iter()
        .enumerate()
        .map(|(seq, op)| OperationView {
            seq: seq as i32,
            work_center: state.work_centers[op.work_center].code.clone(),
            planned_minutes: op.planned as i32,
            booked_minutes: op.minutes as i32,
            actual_minutes: None,
            finished_on: None,
        })
        .collect();
    let operations = plan
        .operations
        .iter()
        .enumerate()
        .map(|(seq, op)| order_operations::ActiveModel {
            seq: Set(seq as i32),
            work_center_id: Set(ids.work_centers[op.work_center]),
            planned_minutes: Set(op.planned as i32),
            booked_minutes: Set(op.minutes as i32),
            ..Default::default()
        })
        .collect();
    Uses {
        held,
        reservations,
        bookings,
        operations,
    }
}
