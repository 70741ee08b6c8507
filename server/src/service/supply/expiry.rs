//! Supplier capacity reservations that were never confirmed: a requested reservation
//! must be confirmed by its `confirm_by` ([`CONFIRM_WITHIN`] after it is requested
//! unless the merchant says otherwise); past it, it expires by itself. Quotes count a
//! reservation only once it is confirmed, so an expired one never promised anything;
//! it can no longer be confirmed, and its fee (if the supplier charged one for holding
//! the capacity) is kept on the row and in the audit entry, for the resilience cost.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::service::WriteError;
use crate::store::entities::{ReservationStatus, capacity_reservations};
use crate::store::{Change, Db, ShopWrite, StoreError};

/// How long a supplier holds requested capacity for confirmation, unless said.
pub const CONFIRM_WITHIN: TimeDelta = TimeDelta::hours(48);
/// Who the audit log says expired a reservation.
pub const ACTOR: &str = "rule:reservation-expiry";

/// Expires every requested reservation of the write's shop whose `confirm_by` is
/// before `now`, audited one by one, and commits; their ids.
pub async fn expire_reservations(mut w: ShopWrite, now: DateTime<Utc>) -> Result<Vec<i64>, WriteError> {
    let due = capacity_reservations::Entity::find()
        .filter(capacity_reservations::Column::ShopId.eq(w.shop()))
        .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
        .filter(capacity_reservations::Column::ConfirmBy.lt(now))
        .order_by_asc(capacity_reservations::Column::Id)
        .all(&w)
        .await?;
    let mut expired = Vec::new();
    for row in due {
        // Conditional, so a confirmation that won the race is never undone.
        let moved = capacity_reservations::Entity::update_many()
            .col_expr(
                capacity_reservations::Column::Status,
                Expr::value(ReservationStatus::Expired),
            )
            .filter(capacity_reservations::Column::Id.eq(row.id))
            .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
            .exec(&w)
            .await?
            .rows_affected;
        if moved == 0 {
            continue;
        }
        // Only confirmed reservations feed quotes: this one never did.
        w.record(
            Change::new("reservation.expire", "capacity_reservation", row.id.to_string())
                .before(Some(json!({"status": ReservationStatus::Requested})))
                .after(
                    json!({"status": ReservationStatus::Expired, "confirm_by": row.confirm_by,
                    "fee_minor": row.fee_minor, "quantity": row.quantity}),
                )
                .leaves_quotes(),
        )
        .await?;
        expired.push(row.id);
    }
    w.commit().await?;
    Ok(expired)
}

/// Expires shop `shop_id`'s overdue requests as [`ACTOR`], opening a write only when
/// there is one; how many expired.
pub async fn expire_due(db: &Db, shop_id: i64, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let due = capacity_reservations::Entity::find()
        .filter(capacity_reservations::Column::ShopId.eq(shop_id))
        .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
        .filter(capacity_reservations::Column::ConfirmBy.lt(now))
        .one(db)
        .await?;
    if due.is_none() {
        return Ok(0);
    }
    let w = db.write(shop_id, ACTOR).await?;
    match expire_reservations(w, now).await {
        Ok(expired) => Ok(expired.len()),
        Err(WriteError::Store(e)) => Err(e),
        Err(other) => Err(StoreError::Db(sea_orm::DbErr::Custom(other.to_string()))),
    }
}
