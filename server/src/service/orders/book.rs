//! Booking orders: re-quote on the state under the shop's write lock, check the token,
//! write each order with what its plan takes; a group of them per commit (which bumps
//! the version once). [`super::Desk`] forms the groups.

use engine::quote::Chosen;
use engine::snapshot::StepSource;
use engine::state::Product;
use engine::{Plan, Snapshot, Source};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{
    BookingView, DeliveryPromise, NewOrder, OperationView, OrderError, OrderView, ReservationView, read,
};
use crate::quoting::token::{self, Claims};
use crate::quoting::{MAX_QUANTITY, QuoteError, Quoting, ShopSnapshot, check_channel, chosen_values, render};
pub use crate::service::idempotency::Idempotency;
use crate::service::idempotency::{self, Stored};
use crate::service::invalid;
use crate::service::webhooks::{EventKind, outbox};
use crate::store::entities::{
    OrderStatus, ReservationSource, order_operations, order_reservations, orders, shops, stock,
    work_center_bookings,
};
use crate::store::{Change, ShopWrite, StoreError};

/// A booked order, or the stored answer to a repeated idempotency key.
#[derive(Clone, Debug)]
pub struct Placed {
    /// The order.
    pub order: OrderView,
    /// Whether this is the stored answer of an earlier identical request (nothing was
    /// booked this time).
    pub replayed: bool,
}

/// One order to book, as it waits for its group ([`super::Desk`]).
#[derive(Clone, Debug)]
pub struct Request {
    /// The order.
    pub order: NewOrder,
    /// Its idempotency key, if it came with one.
    pub idempotency: Option<Idempotency>,
}

/// Books `requests`, in this order, in the unit of work `w`: each on the state the
/// ones before it left (their plans reserved in memory, [`ShopSnapshot::reserving`],
/// as in rows). Each order is first checked with reads only ([`check_in`]), so a
/// refused one has written nothing and the others stay booked; only then is it
/// written ([`write`]), where nothing but the database can fail. One commit (one state
/// version, one fsync) for them all; the answers hold only once it has committed, and
/// the caller gives none out before. An `Err` is the whole group's and nothing of it
/// was committed: the database failed, or lost a race for a lock (run it again).
pub async fn group(
    mut w: ShopWrite,
    quoting: &Quoting,
    requests: &[&Request],
) -> Result<Vec<Result<Placed, OrderError>>, OrderError> {
    let shop_id = w.shop();
    let shop = shops::Entity::find_by_id(shop_id)
        .one(&w)
        .await?
        .ok_or(QuoteError::ShopGone)?;
    let mut current = Current::Loaded(quoting.snapshot_in(&w, &shop).await?);
    let mut listeners = None;
    let mut answers = Vec::with_capacity(requests.len());
    for request in requests {
        let checked = match check_in(&w, &shop, current.get(), request).await {
            Ok(Checked::Replay(order)) => {
                answers.push(Ok(Placed {
                    order: *order,
                    replayed: true,
                }));
                continue;
            }
            Ok(Checked::Book(checked)) => checked,
            Err(e) if e.is_refusal() => {
                answers.push(Err(e));
                continue;
            }
            Err(e) => return Err(e),
        };
        let listeners = match &mut listeners {
            Some(listeners) => listeners,
            None => listeners.insert(outbox::Listeners::of(&w, EventKind::OrderPromised).await?),
        };
        let order = write(&mut w, current.get(), request, &checked, listeners).await?;
        current = Current::Booked(Box::new(current.get().reserving(&checked.promise.plan)));
        answers.push(Ok(Placed {
            order,
            replayed: false,
        }));
    }
    match current {
        Current::Booked(booked) => {
            let committed = w.commit().await?;
            quoting.booked(shop_id, *booked, committed.state_version);
        }
        // Refusals and replays only: nothing was written.
        Current::Loaded(_) => w.rollback().await?,
    }
    Ok(answers)
}

/// The state a group's next booking is made on.
enum Current {
    /// The shop's snapshot as loaded (or cached): nothing booked yet.
    Loaded(std::sync::Arc<ShopSnapshot>),
    /// With the group's bookings so far reserved.
    Booked(Box<ShopSnapshot>),
}

impl Current {
    fn get(&self) -> &ShopSnapshot {
        match self {
            Current::Loaded(snapshot) => snapshot,
            Current::Booked(snapshot) => snapshot,
        }
    }
}

/// What [`check_in`] found.
enum Checked {
    /// The stored answer of an earlier identical request: nothing to book.
    Replay(Box<OrderView>),
    /// An order that can be booked, and at what.
    Book(Box<Bookable>),
}

/// An order that passed every check: what [`write`] books.
struct Bookable {
    index: usize,
    chosen: Vec<(usize, usize)>,
    claims: Option<Claims>,
    promise: Promise,
}

/// The checks that need no database.
pub(super) fn check(order: &NewOrder) -> Result<(), OrderError> {
    let reference = order.reference.trim();
    if reference.is_empty() || reference.len() > 100 {
        return Err(invalid("reference", "must be 1 to 100 characters").into());
    }
    if !(1..=MAX_QUANTITY).contains(&order.quantity) {
        return Err(invalid("quantity", format!("must be between 1 and {MAX_QUANTITY}")).into());
    }
    check_channel(&order.channel).map_err(|detail| invalid("channel", detail))?;
    Ok(())
}

/// Every check an order must pass, by reads alone (in `w`, so under the shop's lock
/// and seeing the group's earlier orders): its idempotency key, its reference, its
/// product and selection, its quote token, and a promise on `snapshot`. A refusal here
/// has written nothing, which is what lets a group go on past it.
async fn check_in(
    w: &ShopWrite,
    shop: &shops::Model,
    snapshot: &ShopSnapshot,
    request: &Request,
) -> Result<Checked, OrderError> {
    let (order, shop_id) = (&request.order, w.shop());
    if let Some(key) = &request.idempotency {
        match idempotency::lookup(w, key).await? {
            Ok(Stored::Replay(order)) => return Ok(Checked::Replay(Box::new(order))),
            Ok(Stored::Fresh) => {}
            Err(reused) => return Err(OrderError::KeyReused(reused.0)),
        }
    }
    let reference = order.reference.trim();
    let taken = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Reference.eq(reference))
        .one(w)
        .await?;
    if let Some(taken) = taken {
        return Err(crate::service::WriteError::Conflict(format!(
            "an order with reference `{reference}` exists already (id {})",
            taken.id
        ))
        .into());
    }
    let index = snapshot
        .product_index(&order.product)
        .ok_or_else(|| QuoteError::UnknownProduct(order.product.clone()))?;
    let product = &snapshot.engine.state.products[index];
    let chosen = chosen_values(product, &order.selection)?;
    let claims = match &order.quote_token {
        Some(t) => Some(token::verify(&shop.quote_token_secret, t, w.now()).map_err(OrderError::Token)?),
        None => None,
    };
    if let Some(claims) = &claims {
        matches_token(snapshot, index, &chosen, order, shop_id, claims)?;
    }

    let quantity = order.quantity;
    // What this channel may use: stock kept for another channel is not there for it.
    let view = snapshot.view(&order.channel);
    let frozen = chosen
        .iter()
        .any(|&(g, v)| view.freeze(product, g, v, quantity).is_some());
    let planned = if frozen {
        None
    } else {
        promise(view, product, &chosen, quantity, order.split)
    };
    let Some(promise) = planned else {
        let view = render::quote(snapshot, &order.channel, index, &chosen, quantity);
        return Err(OrderError::Unavailable {
            detail: format!(
                "this configuration cannot be promised now: {}",
                view.unavailable_reason
                    .as_deref()
                    .unwrap_or("it cannot be supplied")
            ),
            quote: Box::new(view),
        });
    };
    // The order commits to the shop's promise quantile of the delivery date (97 %
    // unless it chose another), from the whole path's spread.
    let promised_on = promise.quote.promised;
    if let Some(claims) = &claims
        && promised_on > claims.promised_on
        && !order.accept_later_date
    {
        return Err(OrderError::PromiseChanged {
            detail: format!(
                "the promise shown ({}) can no longer be kept: the earliest now is {promised_on}; \
                 send `accept_later_date: true` to book at the new date",
                claims.promised_on
            ),
            quote: Box::new(render::quote(snapshot, &order.channel, index, &chosen, quantity)),
        });
    }
    Ok(Checked::Book(Box::new(Bookable {
        index,
        chosen,
        claims,
        promise,
    })))
}

/// Writes the order [`check_in`] accepted: the order, what its plan takes, its audit
/// entry, its `order.promised` event and its idempotent answer. Only the database can
/// fail here.
async fn write(
    w: &mut ShopWrite,
    snapshot: &ShopSnapshot,
    request: &Request,
    checked: &Bookable,
    listeners: &outbox::Listeners,
) -> Result<OrderView, StoreError> {
    let (order, shop_id) = (&request.order, w.shop());
    let Bookable {
        index,
        chosen,
        claims,
        promise: Promise { quote, plan, parts },
    } = checked;
    let product = &snapshot.engine.state.products[*index];
    let view = snapshot.view(&order.channel);
    let unit_price = claims.as_ref().map_or(quote.price.minor(), |c| c.price_minor);
    let row = orders::ActiveModel {
        shop_id: Set(shop_id),
        product_id: Set(snapshot.listing(*index).id),
        reference: Set(order.reference.trim().to_string()),
        quantity: Set(i64::from(order.quantity)),
        selection: Set(json!(render::selection(product, chosen))),
        price_minor: Set(unit_price * i64::from(order.quantity)),
        quoted_p50: Set(quote.p50),
        quoted_p90: Set(quote.p90),
        promised_on: Set(quote.promised),
        status: Set(OrderStatus::Placed),
        placed_at: Set(w.now()),
        delivered_on: Set(None),
        channel: Set(order.channel.clone()),
        plan: Set(Some(json!(render::fulfilment(view, plan)))),
        deliveries: Set(parts.as_deref().map(|parts| json!(deliveries(parts)))),
        preorder: Set(snapshot.listing(*index).presale),
        ..Default::default()
    }
    .insert(&*w)
    .await?;
    let held = reserve(w, snapshot, plan, row.id).await?;
    let id = row.id;
    let view = read::view(row, order.product.clone(), snapshot.currency.clone(), held);
    let mut change = Change::new("order.place", "order", id.to_string()).after(json!(view));
    if let Some(claims) = claims {
        // What the shopper was shown, beside what was booked.
        change = change.before(Some(json!({"quote_token": claims})));
    }
    w.record(change).await?;
    listeners.publish(w, outbox::order_data(&view, json!({}))).await?;
    if let Some(key) = &request.idempotency {
        idempotency::store(w, key, 201, &view).await?;
    }
    Ok(view)
}

/// What an order is booked at: the quote of its (last) delivery and everything it
/// uses, with the deliveries when it takes a split.
struct Promise {
    quote: engine::Quote,
    plan: Plan,
    parts: Option<Vec<engine::Delivery>>,
}

/// The promise for `quantity` units on `view`: the split the quote proposes when
/// `split` asks for it and there is one, else one delivery; `None` when it cannot be
/// promised.
fn promise(
    view: &Snapshot,
    product: &Product,
    chosen: &Chosen,
    quantity: u32,
    split: bool,
) -> Option<Promise> {
    if split && let Some(parts) = view.split(product, chosen, quantity) {
        return Some(Promise {
            quote: parts[1].quote.clone(),
            plan: engine::split::combined(&parts),
            parts: Some(parts.into()),
        });
    }
    let (quote, plan) = view.plan(product, chosen, quantity).ok()?;
    Some(Promise {
        quote,
        plan,
        parts: None,
    })
}

/// A split's deliveries as the order keeps them: each part's quantity, quoted dates
/// and promise.
fn deliveries(parts: &[engine::Delivery]) -> Vec<DeliveryPromise> {
    parts
        .iter()
        .map(|part| DeliveryPromise {
            quantity: part.quantity,
            quoted_p50: part.quote.p50,
            quoted_p90: part.quote.p90,
            promised_on: part.quote.promised,
        })
        .collect()
}

/// Whether the token was issued for this very order: shop, product, selection, quantity.
fn matches_token(
    snapshot: &ShopSnapshot,
    index: usize,
    chosen: &Chosen,
    order: &NewOrder,
    shop_id: i64,
    claims: &Claims,
) -> Result<(), OrderError> {
    if claims.shop != shop_id {
        return Err(OrderError::TokenMismatch("another shop"));
    }
    if claims.product != order.product {
        return Err(OrderError::TokenMismatch("another product"));
    }
    if claims.quantity != order.quantity {
        return Err(OrderError::TokenMismatch("another quantity"));
    }
    let product = &snapshot.engine.state.products[index];
    if chosen_values(product, &claims.selection).ok().as_deref() != Some(chosen) {
        return Err(OrderError::TokenMismatch("another selection"));
    }
    Ok(())
}

/// Writes what `plan` takes as rows: a reservation per material use (and the stock's
/// `reserved` count for units on hand), a booking per work center and day; returns them
/// as the order's view shows them. Mirrors `engine::ShopState::reserve`, which does the
/// same to the snapshot in memory.
///
/// A few statements whatever the plan (one update of every stock row it takes from, one
/// insert per table): a booking runs under the shop's write lock, so each statement it
/// saves is throughput for every order of the shop.
async fn reserve(
    w: &ShopWrite,
    snapshot: &ShopSnapshot,
    plan: &Plan,
    order_id: i64,
) -> Result<read::Held, StoreError> {
    let state = &snapshot.engine.state;
    let ids = &snapshot.ids;
    let mut reservations = Vec::with_capacity(plan.materials.len());
    let mut held = read::Held::default();
    let mut from_stock: Vec<(i64, i64)> = Vec::new();
    for used in &plan.materials {
        let (source, node, inbound_id, capacity_reservation_id, expected_on) = match used.source {
            Source::Supply(StepSource::OnHand { stock } | StepSource::Transfer { stock, .. }) => {
                match from_stock.iter_mut().find(|(row, _)| *row == ids.stock[stock]) {
                    Some((_, units)) => *units += used.quantity,
                    None => from_stock.push((ids.stock[stock], used.quantity)),
                }
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
            order_id: Set(order_id),
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
    if !from_stock.is_empty() {
        // reserved + CASE id WHEN … THEN units … END, over the rows taken from.
        let mut units = CaseStatement::new();
        for &(row, quantity) in &from_stock {
            units = units.case(stock::Column::Id.eq(row), Expr::val(quantity));
        }
        stock::Entity::update_many()
            .col_expr(
                stock::Column::Reserved,
                Expr::col(stock::Column::Reserved).add(Into::<Expr>::into(units)),
            )
            .filter(stock::Column::Id.is_in(from_stock.iter().map(|(row, _)| *row)))
            .exec(w)
            .await?;
    }
    if !reservations.is_empty() {
        order_reservations::Entity::insert_many(reservations)
            .exec_without_returning(w)
            .await?;
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
    let bookings: Vec<_> = plan
        .minutes
        .iter()
        .map(|used| work_center_bookings::ActiveModel {
            work_center_id: Set(ids.work_centers[used.work_center]),
            day: Set(used.day),
            minutes: Set(used.minutes as i32),
            order_id: Set(Some(order_id)),
            ..Default::default()
        })
        .collect();
    if !bookings.is_empty() {
        work_center_bookings::Entity::insert_many(bookings)
            .exec_without_returning(w)
            .await?;
    }
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
    let operations: Vec<_> = plan
        .operations
        .iter()
        .enumerate()
        .map(|(seq, op)| order_operations::ActiveModel {
            order_id: Set(order_id),
            seq: Set(seq as i32),
            work_center_id: Set(ids.work_centers[op.work_center]),
            planned_minutes: Set(op.planned as i32),
            booked_minutes: Set(op.minutes as i32),
            ..Default::default()
        })
        .collect();
    if !operations.is_empty() {
        order_operations::Entity::insert_many(operations)
            .exec_without_returning(w)
            .await?;
    }
    Ok(held)
}
