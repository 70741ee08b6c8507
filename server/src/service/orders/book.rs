//! Booking orders: re-quote on the state under the shop's write lock, check the token,
//! gather what each order's plan takes, and write a group of orders at once with one
//! commit (which bumps the version once). [`super::Desk`] forms the groups; `batch`
//! writes them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use engine::quote::Chosen;
use engine::state::Product;
use engine::{Plan, Snapshot};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::batch::{Batch, Booking};
use super::{DeliveryPromise, NewOrder, OrderError, OrderView};
use crate::quoting::token::{self, Claims};
use crate::quoting::{MAX_QUANTITY, QuoteError, Quoting, ShopSnapshot, check_channel, chosen_values, render};
pub use crate::service::idempotency::Idempotency;
use crate::service::idempotency::{self, Stored};
use crate::service::invalid;
use crate::service::webhooks::{EventKind, outbox};
use crate::store::entities::{OrderStatus, idempotency_keys, orders, shops};
use crate::store::{ShopWrite, StoreError};

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
/// and their keys and references known, [`Known`]). Each order is checked before
/// anything of it is written ([`check_in`]), so a refused one leaves nothing behind
/// and the others stay booked; what the booked ones take is gathered in a [`Batch`]
/// and written at the end, one statement per table. One commit (one state version,
/// one fsync) for them all; the answers hold only once it has committed, and the
/// caller gives none out before. An `Err` is the whole group's and nothing of it was
/// committed: the database failed, or lost a race for a lock (run it again).
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
    let mut known = Known::read(&w, requests).await?;
    let mut batch = Batch::new(current.get().currency.clone());
    let mut answers = Vec::with_capacity(requests.len());
    for request in requests {
        let answer = match check_in(&shop, w.now(), current.get(), request, &known) {
            Ok(Checked::Book(checked)) => {
                let snapshot = current.get();
                let row = order_row(snapshot, shop_id, w.now(), &request.order, &checked);
                let booked = batch.add(
                    snapshot,
                    Booking {
                        row,
                        reference: request.order.reference.trim(),
                        product: &request.order.product,
                        plan: &checked.promise.plan,
                        claims: checked.claims.as_ref(),
                        idempotency: request.idempotency.as_ref(),
                    },
                );
                known.booked(request, booked);
                current = Current::Booked(Box::new(snapshot.reserving(&checked.promise.plan)));
                Answer::Booked(booked)
            }
            Ok(Checked::Answered(answer)) => answer,
            Err(e) if e.is_refusal() => Answer::Done(Box::new(Err(e))),
            Err(e) => return Err(e),
        };
        answers.push(answer);
    }
    let views = match current {
        Current::Booked(booked) => {
            let listeners = outbox::Listeners::of(&w, EventKind::OrderPromised).await?;
            let views = batch.write(&mut w, &listeners).await?;
            let committed = w.commit().await?;
            quoting.booked(shop_id, *booked, committed.state_version);
            views
        }
        // Refusals and replays only: nothing was written.
        Current::Loaded(_) => {
            w.rollback().await?;
            Vec::new()
        }
    };
    Ok(answers.into_iter().map(|answer| answer.resolve(&views)).collect())
}

/// A group's answer to one request, as far as it is known before the group's orders
/// have ids (they get them when the batch is written).
enum Answer {
    /// Known outright: a refusal, or the stored answer to a repeated key.
    Done(Box<Result<Placed, OrderError>>),
    /// The batch's `n`th order.
    Booked(usize),
    /// The batch's `n`th order again: this request repeats that one's key and body.
    ReplayOf(usize),
    /// Refused: its reference is the batch's `n`th order's.
    TakenBy(usize, String),
}

impl Answer {
    /// The answer, given the views of the batch's orders once written.
    fn resolve(self, views: &[OrderView]) -> Result<Placed, OrderError> {
        match self {
            Answer::Done(answer) => *answer,
            Answer::Booked(n) => Ok(Placed {
                order: views[n].clone(),
                replayed: false,
            }),
            Answer::ReplayOf(n) => Ok(Placed {
                order: views[n].clone(),
                replayed: true,
            }),
            Answer::TakenBy(n, reference) => Err(taken(&reference, views[n].id)),
        }
    }
}

/// The refusal of an order whose reference order `id` has.
fn taken(reference: &str, id: i64) -> OrderError {
    crate::service::WriteError::Conflict(format!(
        "an order with reference `{reference}` exists already (id {id})"
    ))
    .into()
}

/// The idempotency keys and references a group's requests name, as stored before the
/// group and as taken by its own orders so far: read in two queries for the group,
/// instead of two per order.
struct Known {
    stored_keys: HashMap<String, idempotency_keys::Model>,
    /// The id of each stored order among the group's references.
    stored_references: HashMap<String, i64>,
    /// Key → (request hash, the batch's order that used it).
    group_keys: HashMap<String, (String, usize)>,
    /// Reference → the batch's order that took it.
    group_references: HashMap<String, usize>,
}

impl Known {
    async fn read(w: &ShopWrite, requests: &[&Request]) -> Result<Known, StoreError> {
        let keys = requests
            .iter()
            .filter_map(|r| r.idempotency.as_ref().map(|k| k.key.as_str()));
        let stored_keys = idempotency::stored_all(w, keys).await?;
        let references: Vec<&str> = requests.iter().map(|r| r.order.reference.trim()).collect();
        let stored_references = orders::Entity::find()
            .filter(orders::Column::ShopId.eq(w.shop()))
            .filter(orders::Column::Reference.is_in(references))
            .all(w)
            .await?
            .into_iter()
            .map(|row| (row.reference, row.id))
            .collect();
        Ok(Known {
            stored_keys,
            stored_references,
            group_keys: HashMap::new(),
            group_references: HashMap::new(),
        })
    }

    /// Notes that `request` was booked as the batch's `n`th order.
    fn booked(&mut self, request: &Request, n: usize) {
        if let Some(key) = &request.idempotency {
            self.group_keys
                .insert(key.key.clone(), (key.request_hash.clone(), n));
        }
        self.group_references
            .insert(request.order.reference.trim().to_string(), n);
    }
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
    /// The request is answered without booking anything (a replay of a key).
    Answered(Answer),
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

/// Every check an order must pass, without a statement of its own (what it needs of
/// the database, `known`, was read for the whole group, under the shop's lock, and
/// follows the group's earlier orders): its idempotency key, its reference, its
/// product and selection, its quote token, and a promise on `snapshot`. A refusal here
/// has written nothing, which is what lets a group go on past it.
fn check_in(
    shop: &shops::Model,
    now: DateTime<Utc>,
    snapshot: &ShopSnapshot,
    request: &Request,
    known: &Known,
) -> Result<Checked, OrderError> {
    let (order, shop_id) = (&request.order, shop.id);
    if let Some(key) = &request.idempotency {
        if let Some((hash, n)) = known.group_keys.get(&key.key) {
            if *hash != key.request_hash {
                return Err(OrderError::KeyReused(key.key.clone()));
            }
            return Ok(Checked::Answered(Answer::ReplayOf(*n)));
        }
        match idempotency::judge(known.stored_keys.get(&key.key), key)? {
            Ok(Stored::Replay(order)) => {
                return Ok(Checked::Answered(Answer::Done(Box::new(Ok(Placed {
                    order,
                    replayed: true,
                })))));
            }
            Ok(Stored::Fresh) => {}
            Err(reused) => return Err(OrderError::KeyReused(reused.0)),
        }
    }
    let reference = order.reference.trim();
    if let Some(id) = known.stored_references.get(reference) {
        return Err(taken(reference, *id));
    }
    if let Some(n) = known.group_references.get(reference) {
        return Ok(Checked::Answered(Answer::TakenBy(*n, reference.to_string())));
    }
    let index = snapshot
        .product_index(&order.product)
        .ok_or_else(|| QuoteError::UnknownProduct(order.product.clone()))?;
    let product = &snapshot.engine.state.products[index];
    let chosen = chosen_values(product, &order.selection)?;
    let claims = match &order.quote_token {
        Some(t) => Some(token::verify(&shop.quote_token_secret, t, now).map_err(OrderError::Token)?),
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

/// The row of the order `checked` accepted, on `snapshot`, placed at `now`.
fn order_row(
    snapshot: &ShopSnapshot,
    shop_id: i64,
    now: DateTime<Utc>,
    order: &NewOrder,
    checked: &Bookable,
) -> orders::ActiveModel {
    let Bookable {
        index,
        chosen,
        claims,
        promise: Promise { quote, plan, parts },
    } = checked;
    let product = &snapshot.engine.state.products[*index];
    let view = snapshot.view(&order.channel);
    let unit_price = claims.as_ref().map_or(quote.price.minor(), |c| c.price_minor);
    orders::ActiveModel {
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
        placed_at: Set(now),
        delivered_on: Set(None),
        channel: Set(order.channel.clone()),
        plan: Set(Some(json!(render::fulfilment(view, plan)))),
        deliveries: Set(parts.as_deref().map(|parts| json!(deliveries(parts)))),
        preorder: Set(snapshot.listing(*index).presale),
        ..Default::default()
    }
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
