//! Reverting what an accepted or executed suggestion applied (`suggestions.applied`),
//! while nothing has moved on since: a draft is cancelled only while it is a draft, a
//! reservation request released only while it is a request, a stock level set back
//! only while it is the one the suggestion set, a value unfrozen only while the
//! suggestion's freeze stands, parts a cancelled order freed taken off the stock again
//! only while they are still free there, a line's material swapped back only while the line
//! still takes the leftover, forecast shares a top-up moved set back only while both are
//! still what it set. Otherwise the undo is refused naming what changed, and
//! the caller's unit of work rolls back whole.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::service::WriteError;
use crate::store::entities::{InboundStatus, ReservationStatus, capacity_reservations, inbound, materials};
use crate::store::unit::{Change, ShopWrite};

/// Reverts `applied` in `w`.
pub(super) async fn revert(w: &mut ShopWrite, applied: &Value) -> Result<(), WriteError> {
    if let Some(returned) = applied.get("returned") {
        // The transfer's draft first: its units must be free again before they leave.
        if let Some(id) = applied["inbound_id"].as_i64() {
            cancel_draft(w, id).await?;
        }
        return crate::service::orders::freed::take_back(w, returned).await;
    }
    if let Some(id) = applied["inbound_id"].as_i64() {
        cancel_draft(w, id).await?;
        if let Some(moved) = applied.get("forecast_share") {
            crate::service::supply::set_shares_back(w, moved).await?;
        }
        return Ok(());
    }
    if let Some(id) = applied["reservation_id"].as_i64() {
        return release_request(w, id).await;
    }
    if let Some(id) = applied["material_id"].as_i64() {
        return set_level_back(w, id, &applied["stock_level"]).await;
    }
    if let Some(value) = applied.get("option_value") {
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        return crate::service::catalog::unfreeze_suggested(
            w,
            &text("product"),
            &text("group"),
            &text("value"),
        )
        .await;
    }
    if let Some(swap) = applied.get("bom_swap") {
        let part = super::leftover::part_of(swap);
        let (to, from) = (swap["to"]["id"].as_i64(), swap["from"]["id"].as_i64());
        let (Some(to), Some(from)) = (to, from) else {
            return Err(WriteError::Conflict(
                "this swap's record names no materials".into(),
            ));
        };
        let product = swap["product"].as_str().unwrap_or_default();
        crate::service::catalog::swap_bom_material(w, product, &part, to, from).await?;
        return Ok(());
    }
    Err(WriteError::Conflict(
        "what this suggestion applied cannot be undone here".into(),
    ))
}

/// Cancels the drafted purchase order or transfer `id`; a draft feeds no quote.
async fn cancel_draft(w: &mut ShopWrite, id: i64) -> Result<(), WriteError> {
    let moved = inbound::Entity::update_many()
        .col_expr(inbound::Column::Status, Expr::value(InboundStatus::Cancelled))
        .filter(inbound::Column::Id.eq(id))
        .filter(inbound::Column::ShopId.eq(w.shop()))
        .filter(inbound::Column::Status.eq(InboundStatus::Draft))
        .exec(&*w)
        .await?
        .rows_affected;
    let line = inbound::Entity::find_by_id(id)
        .filter(inbound::Column::ShopId.eq(w.shop()))
        .one(&*w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("the draft #{id} no longer exists")))?;
    if moved == 0 {
        return Err(WriteError::Conflict(format!(
            "{} is {} now, no longer a draft: change it on the Supply page",
            line.reference, line.status
        )));
    }
    w.record(
        Change::new("inbound.cancel", "inbound", id.to_string())
            .before(Some(
                json!({"reference": line.reference, "status": InboundStatus::Draft}),
            ))
            .after(json!({"reference": line.reference, "status": InboundStatus::Cancelled}))
            .leaves_quotes(),
    )
    .await?;
    Ok(())
}

/// Releases reservation request `id`; a request feeds no quote.
async fn release_request(w: &mut ShopWrite, id: i64) -> Result<(), WriteError> {
    let moved = capacity_reservations::Entity::update_many()
        .col_expr(
            capacity_reservations::Column::Status,
            Expr::value(ReservationStatus::Released),
        )
        .filter(capacity_reservations::Column::Id.eq(id))
        .filter(capacity_reservations::Column::ShopId.eq(w.shop()))
        .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Requested))
        .exec(&*w)
        .await?
        .rows_affected;
    if moved == 0 {
        return Err(WriteError::Conflict(format!(
            "capacity reservation #{id} is no longer a request: change it on the Supply page"
        )));
    }
    w.record(
        Change::new("reservation.release", "capacity_reservation", id.to_string())
            .before(Some(json!({"status": ReservationStatus::Requested})))
            .after(json!({"status": ReservationStatus::Released}))
            .leaves_quotes(),
    )
    .await?;
    Ok(())
}

/// Sets material `id`'s stock level back to `levels.from`, while it is `levels.to`.
async fn set_level_back(w: &mut ShopWrite, id: i64, levels: &Value) -> Result<(), WriteError> {
    let material = materials::Entity::find_by_id(id)
        .filter(materials::Column::ShopId.eq(w.shop()))
        .one(&*w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("material {id} no longer exists")))?;
    let to = levels["to"].as_str();
    if material.stock_level.as_deref() != to {
        return Err(WriteError::Conflict(format!(
            "the stock level of {} was changed since (it is {}): set it on the Policies page",
            material.sku,
            material.stock_level.as_deref().unwrap_or("computed")
        )));
    }
    let from = levels["from"].as_str().map(str::to_string);
    let sku = material.sku.clone();
    let mut row: materials::ActiveModel = material.into();
    row.stock_level = Set(from.clone());
    row.update(&*w).await?;
    w.record(
        Change::new("material.stock_level", "material", id.to_string())
            .before(Some(json!({"sku": sku, "stock_level": to})))
            .after(json!({"sku": sku, "stock_level": from, "because": "undo"}))
            .leaves_quotes(),
    )
    .await?;
    Ok(())
}
