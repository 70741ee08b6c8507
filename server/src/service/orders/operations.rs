//! Finished work: an operator reports how many minutes an operation of an order really
//! took. Those reports are what each work center's pace is learned from
//! (`store::paces`), so the next quote books that work center at the pace it really
//! keeps.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::service::{WriteError, invalid};
use crate::store::entities::{OrderStatus, order_operations, orders, shops};
use crate::store::paces;
use crate::store::{Change, ShopWrite};

/// The most minutes one operation may be reported to have taken: thirty days around
/// the clock. More is a typing error, not a pace.
pub const MAX_ACTUAL_MINUTES: i32 = 30 * 1_440;

/// A finished operation as an operator reports it.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationReport {
    /// Minutes the operation really took, setup included (1 to 43 200).
    #[schema(minimum = 1, maximum = 43_200)]
    pub actual_minutes: i32,
    /// The day it finished (today in the shop's time zone unless said).
    #[serde(default)]
    pub finished_on: Option<NaiveDate>,
}

/// Records that operation `seq` of order `order_id` is finished, as `report` says, and
/// commits; a second report of the same operation corrects the first (both audited).
/// Only work that has been done can be reported: the order must be in production,
/// shipped or delivered. `today` is the shop's date.
pub async fn report(
    mut w: ShopWrite,
    order_id: i64,
    seq: i32,
    report: OperationReport,
    today: NaiveDate,
) -> Result<(), WriteError> {
    let shop_id = w.shop();
    let order = orders::Entity::find_by_id(order_id)
        .filter(orders::Column::ShopId.eq(shop_id))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no order {order_id} in this shop")))?;
    if matches!(order.status, OrderStatus::Placed | OrderStatus::Cancelled) {
        return Err(WriteError::Conflict(format!(
            "order {order_id} is `{}`: operations are reported once it is `in_production`",
            order.status
        )));
    }
    let operation = order_operations::Entity::find()
        .filter(order_operations::Column::OrderId.eq(order_id))
        .filter(order_operations::Column::Seq.eq(seq))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("order {order_id} has no operation {seq}")))?;
    if !(1..=MAX_ACTUAL_MINUTES).contains(&report.actual_minutes) {
        return Err(invalid(
            "actual_minutes",
            format!("must be between 1 and {MAX_ACTUAL_MINUTES} (thirty days)"),
        ));
    }
    let finished_on = work_day(&order, report.finished_on, today, "finished_on")?;
    let before = json!({
        "seq": seq,
        "actual_minutes": operation.actual_minutes,
        "finished_on": operation.finished_on,
    });
    let (planned, center) = (operation.planned_minutes, operation.work_center_id);
    // Quotes read the pace only when the shop learns, and only a report that moves it
    // changes them.
    let learns = shops::Entity::find_by_id(shop_id)
        .one(&w)
        .await?
        .is_some_and(|s| s.learn_lead_times);
    let pace_before = if learns {
        Some(paces::pace_of(&w, center, today).await?.pace)
    } else {
        None
    };
    let mut active: order_operations::ActiveModel = operation.into();
    active.actual_minutes = Set(Some(report.actual_minutes));
    active.finished_on = Set(Some(finished_on));
    active.update(&w).await?;
    let pace_moved = match pace_before {
        Some(before) => paces::pace_of(&w, center, today).await?.pace != before,
        None => false,
    };
    w.record(
        Change::new("order.operation", "order", format!("{order_id}/{seq}"))
            .leaves_quotes_if(!pace_moved)
            .before(Some(before))
            .after(json!({
                "seq": seq,
                "planned_minutes": planned,
                "actual_minutes": report.actual_minutes,
                "finished_on": finished_on,
            })),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// The day work on `order` was done: `given`, or today; refused under `field` unless it
/// lies between the day the order was placed and `today`.
pub(super) fn work_day(
    order: &orders::Model,
    given: Option<NaiveDate>,
    today: NaiveDate,
    field: &'static str,
) -> Result<NaiveDate, WriteError> {
    let placed_on = order.placed_at.date_naive();
    let day = given.unwrap_or(today);
    if day < placed_on || day > today {
        return Err(invalid(
            field,
            format!("must be between the day the order was placed ({placed_on}) and today ({today})"),
        ));
    }
    Ok(day)
}
