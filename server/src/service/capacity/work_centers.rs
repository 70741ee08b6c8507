//! Work centers in the admin: their hours (minutes per day, working weekdays) and own
//! holidays, and the load of the coming weeks, booked against what each day can work.
//!
//! Every write here changes what the scheduler can place, so each moves the state
//! version (its unit of work bumps it on commit). The hours form carries the hours it
//! was read with and is refused if they changed since.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use engine::WorkingCalendar;
use engine::calendar::Weekdays;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

pub use app::model::capacity::{CapacityView, DayLoad, LOAD_WEEKS, WorkCenterHours, WorkCenterView};

use crate::service::WriteError;
use crate::service::settings::{Holiday, checked_holiday, checked_weekdays};
use crate::store::StoreError;
use crate::store::entities::{nodes, work_center_bookings, work_center_holidays, work_centers};
use crate::store::unit::{Change, ShopWrite};

/// Every work center of the shop by code, with its calendar and its load for
/// [`LOAD_WEEKS`] weeks from `today`.
pub async fn capacity_view(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<CapacityView, StoreError> {
    let centers = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .order_by_asc(work_centers::Column::Code)
        .all(db)
        .await?;
    let ids: Vec<i64> = centers.iter().map(|c| c.id).collect();
    let nodes: HashMap<i64, nodes::Model> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let mut holidays: HashMap<i64, Vec<Holiday>> = HashMap::new();
    for h in work_center_holidays::Entity::find()
        .filter(work_center_holidays::Column::WorkCenterId.is_in(ids.clone()))
        .order_by_asc(work_center_holidays::Column::Day)
        .all(db)
        .await?
    {
        holidays.entry(h.work_center_id).or_default().push(Holiday {
            day: h.day,
            name: h.name,
        });
    }
    let end = today + Days::new(u64::from(LOAD_WEEKS) * 7);
    let mut booked: HashMap<(i64, NaiveDate), u32> = HashMap::new();
    for b in work_center_bookings::Entity::find()
        .filter(work_center_bookings::Column::WorkCenterId.is_in(ids))
        .filter(work_center_bookings::Column::Day.gte(today))
        .filter(work_center_bookings::Column::Day.lt(end))
        .all(db)
        .await?
    {
        *booked.entry((b.work_center_id, b.day)).or_default() += b.minutes.max(0) as u32;
    }
    let centers = centers
        .into_iter()
        .map(|center| {
            let mut holidays = holidays.remove(&center.id).unwrap_or_default();
            let load = load(&center, &holidays, &booked, today);
            holidays.retain(|h| h.day >= today);
            let node = nodes
                .get(&center.node_id)
                .map(|n| (n.code.clone(), n.name.clone()))
                .unwrap_or_default();
            WorkCenterView {
                hours: hours_of(&center),
                code: center.code,
                name: center.name,
                node,
                holidays,
                load,
            }
        })
        .collect();
    Ok(CapacityView { today, centers })
}

/// One entry per day from `today`: what the center can work that day by the same
/// calendar the quotes use, and what is booked.
fn load(
    center: &work_centers::Model,
    holidays: &[Holiday],
    booked: &HashMap<(i64, NaiveDate), u32>,
    today: NaiveDate,
) -> Vec<DayLoad> {
    let weekdays = Weekdays::from_mask((center.working_weekdays & 0x7f) as u8).unwrap_or(Weekdays::MON_FRI);
    let calendar = WorkingCalendar::new(weekdays, holidays.iter().map(|h| h.day));
    (0..u64::from(LOAD_WEEKS) * 7)
        .map(|n| today + Days::new(n))
        .map(|day| DayLoad {
            day,
            capacity: if calendar.is_working_day(day) {
                center.minutes_per_day.max(0) as u32
            } else {
                0
            },
            booked: booked.get(&(center.id, day)).copied().unwrap_or(0),
            holiday: holidays.iter().find(|h| h.day == day).map(|h| h.name.clone()),
        })
        .collect()
}

/// Sets work center `code`'s hours if they are still `expected`. Minutes per day go
/// through `set_capacity`'s rule and audit entry; weekdays get their own.
/// Returns the new state version, or `None` when nothing changed.
pub async fn save_work_center(
    mut w: ShopWrite,
    code: &str,
    expected: WorkCenterHours,
    hours: WorkCenterHours,
) -> Result<Option<i64>, WriteError> {
    let weekdays = checked_weekdays("weekdays", hours.working_weekdays)?;
    let shop_id = w.shop();
    // Claimed on the hours the form was read with: a concurrent save either lands
    // before (and this one finds other hours) or waits for this transaction.
    let claimed = work_centers::Entity::update_many()
        .col_expr(work_centers::Column::WorkingWeekdays, Expr::value(weekdays))
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .filter(work_centers::Column::Code.eq(code))
        .filter(work_centers::Column::MinutesPerDay.eq(expected.minutes_per_day))
        .filter(work_centers::Column::WorkingWeekdays.eq(i16::from(expected.working_weekdays)))
        .exec(&w)
        .await?;
    if claimed.rows_affected == 0 {
        let center = find_center(&w, shop_id, code).await?;
        let now = hours_of(&center);
        return Err(WriteError::Conflict(format!(
            "{} was changed by someone else since you opened this page (it now works {} minutes \
             on {}); reload to see it (your edit was not saved)",
            center.name,
            now.minutes_per_day,
            app::model::settings::weekday_names(now.working_weekdays)
        )));
    }
    if hours == expected {
        // The claim only confirmed the hours (it wrote the weekdays they already had):
        // nothing to record, and dropping the unit of work rolls that back.
        return Ok(None);
    }
    if hours.minutes_per_day != expected.minutes_per_day {
        set_capacity_in(&mut w, code, hours.minutes_per_day).await?;
    }
    if hours.working_weekdays != expected.working_weekdays {
        w.record(
            Change::new("work_center.weekdays", "work_center", code)
                .before(Some(json!({"working_weekdays": expected.working_weekdays})))
                .after(json!({"working_weekdays": hours.working_weekdays})),
        )
        .await?;
    }
    let done = w.commit().await?;
    Ok(done.new_version().map(|v| v.get()))
}

/// Adds a day work center `code` does not work; returns the new state version.
pub async fn add_work_center_holiday(
    mut w: ShopWrite,
    code: &str,
    holiday: &Holiday,
    today: NaiveDate,
) -> Result<i64, WriteError> {
    let holiday = checked_holiday(holiday, today)?;
    let center = find_center(&w, w.shop(), code).await?;
    if let Some(existing) = find_holiday(&w, center.id, holiday.day).await? {
        return Err(crate::service::invalid(
            "day",
            format!(
                "{} is already a holiday of {code} ({})",
                existing.day, existing.name
            ),
        ));
    }
    work_center_holidays::ActiveModel {
        work_center_id: Set(center.id),
        day: Set(holiday.day),
        name: Set(holiday.name.clone()),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    w.record(
        Change::new(
            "work_center_holiday.add",
            "work_center_holiday",
            format!("{code}@{}", holiday.day),
        )
        .after(json!(holiday)),
    )
    .await?;
    let done = w.commit().await?;
    Ok(done.state_version.get())
}

/// Removes work center `code`'s holiday on `day`; returns the new state version.
pub async fn remove_work_center_holiday(
    mut w: ShopWrite,
    code: &str,
    day: NaiveDate,
) -> Result<i64, WriteError> {
    let center = find_center(&w, w.shop(), code).await?;
    let existing = find_holiday(&w, center.id, day)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("{day} is not a holiday of {code} (any more)")))?;
    work_center_holidays::Entity::delete_by_id(existing.id)
        .exec(&w)
        .await?;
    w.record(
        Change::new(
            "work_center_holiday.remove",
            "work_center_holiday",
            format!("{code}@{day}"),
        )
        .before(Some(json!(Holiday {
            day,
            name: existing.name
        })))
        .after(serde_json::Value::Null),
    )
    .await?;
    let done = w.commit().await?;
    Ok(done.state_version.get())
}

fn hours_of(center: &work_centers::Model) -> WorkCenterHours {
    WorkCenterHours {
        minutes_per_day: center.minutes_per_day,
        working_weekdays: (center.working_weekdays & 0x7f) as u8,
    }
}

async fn find_center(
    db: &impl ConnectionTrait,
    shop_id: i64,
    code: &str,
) -> Result<work_centers::Model, WriteError> {
    work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .filter(work_centers::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no work center `{code}` in this shop")))
}

async fn find_holiday(
    db: &impl ConnectionTrait,
    work_center_id: i64,
    day: NaiveDate,
) -> Result<Option<work_center_holidays::Model>, WriteError> {
    Ok(work_center_holidays::Entity::find()
        .filter(work_center_holidays::Column::WorkCenterId.eq(work_center_id))
        .filter(work_center_holidays::Column::Day.eq(day))
        .one(db)
        .await?)
}

/// A work center's capacity after a change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Capacity {
    /// Work center code.
    pub work_center: String,
    /// Minutes per working day.
    pub minutes_per_day: i32,
    /// The shop's state version after the change.
    pub state_version: i64,
}

/// Sets the daily capacity of work center `code` (e.g. a second shift), and commits.
pub async fn set_capacity(
    mut w: ShopWrite,
    code: &str,
    minutes_per_day: i32,
) -> Result<Capacity, WriteError> {
    set_capacity_in(&mut w, code, minutes_per_day).await?;
    let done = w.commit().await?;
    Ok(Capacity {
        work_center: code.to_string(),
        minutes_per_day,
        state_version: done.state_version.get(),
    })
}

/// [`set_capacity`] inside the caller's unit of work, so a write that changes more of
/// the work center (the admin's hours form) keeps the same rule and audit entry.
pub(crate) async fn set_capacity_in(
    w: &mut ShopWrite,
    code: &str,
    minutes_per_day: i32,
) -> Result<(), WriteError> {
    if !(0..=1_440).contains(&minutes_per_day) {
        return Err(WriteError::Invalid {
            field: "minutes_per_day",
            detail: "must be between 0 and 1440 (the minutes of a day)".into(),
        });
    }
    let center = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(w.shop()))
        .filter(work_centers::Column::Code.eq(code))
        .one(&*w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no work center `{code}` in this shop")))?;
    let before = json!({"minutes_per_day": center.minutes_per_day});
    let mut active: work_centers::ActiveModel = center.into();
    active.minutes_per_day = Set(minutes_per_day);
    active.update(&*w).await?;
    w.record(
        Change::new("work_center.capacity", "work_center", code)
            .before(Some(before))
            .after(json!({"minutes_per_day": minutes_per_day})),
    )
    .await?;
    Ok(())
}
