//! A supplier's new date for an inbound line: the line moves, quotes see it at once, and
//! the orders holding its units are checked for late risk in the same unit of work, so
//! a slipped purchase order flags (and tells of) the orders it now makes late.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::service::orders::risk;
use crate::service::{WriteError, invalid};
use crate::store::entities::{InboundStatus, inbound, shops};
use crate::store::{Change, ShopWrite};

/// A rescheduled line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Rescheduled {
    /// The line's id.
    pub id: i64,
    /// Its reference (`PO-1042`).
    pub reference: String,
    /// The day it was expected.
    pub was: NaiveDate,
    /// The day it is expected now.
    pub eta: NaiveDate,
    /// Orders the move put at late risk.
    pub orders_now_at_risk: usize,
    /// Late-supply alerts raised for their late units (filled in after the move is
    /// committed: the move stands whatever the rule does).
    pub alerts_raised: u32,
}

/// Moves inbound line `id` (draft or confirmed) to arrive on `eta`, not before `today`.
pub async fn reschedule_inbound(
    mut w: ShopWrite,
    id: i64,
    eta: NaiveDate,
    today: NaiveDate,
) -> Result<Rescheduled, WriteError> {
    let shop_id = w.shop();
    let line = inbound::Entity::find_by_id(id)
        .filter(inbound::Column::ShopId.eq(shop_id))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no purchase order or transfer #{id} in this shop")))?;
    if !matches!(line.status, InboundStatus::Draft | InboundStatus::Confirmed) {
        return Err(WriteError::Conflict(format!(
            "{} is {} and has no date to move",
            line.reference, line.status
        )));
    }
    if eta < today {
        return Err(invalid("eta", format!("must be today ({today}) or later")));
    }
    let was = line.eta;
    let reference = line.reference.clone();
    let feeds_quotes = line.status == InboundStatus::Confirmed;
    let mut row: inbound::ActiveModel = line.into();
    row.eta = Set(eta);
    row.update(&w).await?;
    w.record(
        Change::new("inbound.reschedule", "inbound", id.to_string())
            .before(Some(json!({"reference": reference, "eta": was})))
            .after(json!({"reference": reference, "eta": eta}))
            .leaves_quotes_if(!feeds_quotes || was == eta),
    )
    .await?;
    let shop = shops::Entity::find_by_id(shop_id)
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound("the shop no longer exists".into()))?;
    let orders_now_at_risk = risk::mark_late_risk(&mut w, &shop, today).await?;
    w.commit().await?;
    Ok(Rescheduled {
        id,
        reference,
        was,
        eta,
        orders_now_at_risk,
        alerts_raised: 0,
    })
}
