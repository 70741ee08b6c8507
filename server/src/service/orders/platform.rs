//! Order notifications from the shop platform (`POST /api/v1/webhooks/orders`): an
//! order created there is booked here, one cancelled there is cancelled here.
//!
//! The request names its shop (`C2M-Shop: <slug>`) and is signed with the shop's
//! `platform_webhook_secret` ([`signature`]). Refused, changing nothing: no or a
//! wrong signature, a timestamp more than 5 minutes off, and a signature already
//! accepted once (a replay). An accepted creation is booked under an idempotency key
//! made of its signature, so two copies racing past the replay check still book once.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::book::{Idempotency, Placed};
use super::life::CancelledBy;
use super::{Moved, NewOrder, OrderError, StatusMove};
use crate::quoting::Quoting;
use crate::service::WriteError;
use crate::service::webhooks::signature::{self, SignatureError, Verified};
use crate::store::entities::{OrderStatus, orders as order_rows, shops, webhook_receipts};
use crate::store::{Db, StoreError};

/// Who the audit log says acted for an inbound webhook.
pub const ACTOR: &str = "platform:webhook";

/// What the platform tells.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum PlatformEvent {
    /// An order was placed on the platform: book it (the fields of `POST /orders`).
    #[serde(rename = "order.created")]
    Created {
        /// The order.
        order: NewOrder,
    },
    /// An order was cancelled on the platform.
    #[serde(rename = "order.cancelled")]
    Cancelled {
        /// The platform's reference of the order.
        reference: String,
        /// Why (kept in the audit log).
        reason: String,
    },
}

/// What an accepted notification did.
#[derive(Debug)]
pub enum Handled {
    /// The order was booked (or, for a copy racing the first, the first's booking).
    Booked(Box<Placed>),
    /// The order was cancelled.
    Cancelled(Box<Moved>),
}

/// Why a notification was refused. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    /// No such shop, or the signature does not hold.
    #[error("{0}")]
    Signature(String),
    /// Booking refused it.
    #[error(transparent)]
    Order(#[from] OrderError),
    /// Cancelling refused it.
    #[error(transparent)]
    Move(WriteError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for InboundError {
    fn from(e: DbErr) -> Self {
        InboundError::Store(e.into())
    }
}

/// A signed request as it arrived.
pub struct Signed<'a> {
    /// `C2M-Shop`.
    pub shop: Option<&'a str>,
    /// `C2M-Signature`.
    pub signature: Option<&'a str>,
    /// The body's bytes, exactly as signed.
    pub body: &'a [u8],
}

/// A request whose signature holds, for its shop.
pub struct Authentic {
    /// The shop it is for.
    pub shop: shops::Model,
    /// Its signature.
    pub verified: Verified,
}

/// Checks who sent `request`: the shop exists, the signature holds with its secret
/// within the window, and it was not accepted before. Reads only.
pub async fn authenticate(db: &Db, request: &Signed<'_>) -> Result<Authentic, InboundError> {
    let slug = request
        .shop
        .ok_or_else(|| InboundError::Signature("name the shop in the `C2M-Shop` header (its slug)".into()))?;
    let shop = shops::Entity::find()
        .filter(shops::Column::Slug.eq(slug))
        .one(db)
        .await?
        // The same answer as a wrong signature: which shops exist is not told.
        .ok_or_else(|| InboundError::Signature(SignatureError::Mismatch.to_string()))?;
    let verified = signature::verify(
        &shop.platform_webhook_secret,
        request.signature,
        request.body,
        db.now(),
    )
    .map_err(|e| InboundError::Signature(e.to_string()))?;
    if seen(db, shop.id, &verified).await? {
        return Err(InboundError::Signature(
            "this signed request was accepted before: a replay is refused (sign each new request afresh)"
                .into(),
        ));
    }
    Ok(Authentic { shop, verified })
}

/// Does what an authentic notification (`body`, parsed as `event`) tells, then
/// remembers its signature.
pub async fn apply_notification(
    db: &Db,
    quoting: &Quoting,
    desk: &super::Desk,
    from: Authentic,
    body: &[u8],
    event: PlatformEvent,
) -> Result<Handled, InboundError> {
    let Authentic { shop, verified } = from;
    let handled = match event {
        PlatformEvent::Created { order } => {
            let key = Idempotency {
                key: format!("webhook:{}", verified.digest),
                request_hash: hex::encode(Sha256::digest(body)),
            };
            Handled::Booked(Box::new(desk.place(shop.id, ACTOR, order, Some(key)).await?))
        }
        PlatformEvent::Cancelled { reference, reason } => {
            let reference = reference.trim();
            let order = order_rows::Entity::find()
                .filter(order_rows::Column::ShopId.eq(shop.id))
                .filter(order_rows::Column::Reference.eq(reference))
                .one(db)
                .await?
                .ok_or_else(|| {
                    InboundError::Move(WriteError::NotFound(format!(
                        "no order with reference `{reference}` in this shop"
                    )))
                })?;
            let today = quoting.today(&shop);
            let w = db.write(shop.id, ACTOR).await?;
            let moved = super::move_order(
                w,
                order.id,
                StatusMove {
                    status: OrderStatus::Cancelled,
                    delivered_on: None,
                    reason: Some(reason),
                    cancelled_by: Some(CancelledBy::Customer),
                },
                today,
            )
            .await
            .map_err(InboundError::Move)?;
            Handled::Cancelled(Box::new(moved))
        }
    };
    remember(db, shop.id, &verified).await?;
    Ok(handled)
}

async fn seen(db: &impl ConnectionTrait, shop_id: i64, verified: &Verified) -> Result<bool, DbErr> {
    Ok(webhook_receipts::Entity::find()
        .filter(webhook_receipts::Column::ShopId.eq(shop_id))
        .filter(webhook_receipts::Column::Signature.eq(&verified.digest))
        .one(db)
        .await?
        .is_some())
}

/// Records an accepted signature; a copy that raced this one past [`seen`] finds it
/// stored already, which is fine (its booking was the idempotent replay of this one's).
async fn remember(db: &Db, shop_id: i64, verified: &Verified) -> Result<(), DbErr> {
    let now = db.now();
    let txn = db.system("webhook receipts").await?;
    webhook_receipts::Entity::insert(webhook_receipts::ActiveModel {
        shop_id: Set(shop_id),
        signature: Set(verified.digest.clone()),
        received_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([
        webhook_receipts::Column::ShopId,
        webhook_receipts::Column::Signature,
    ])
    .exec(&txn)
    .await?;
    txn.commit().await
}

/// Deletes receipts older than twice the signature window: a signature that old is
/// refused as stale anyway.
pub async fn purge(db: &Db) -> Result<u64, DbErr> {
    let before = db.now() - signature::WINDOW * 2;
    let txn = db.system("webhook receipts").await?;
    let deleted = webhook_receipts::Entity::delete_many()
        .filter(webhook_receipts::Column::ReceivedAt.lt(before))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(deleted)
}
