//! Work centers' paces as their finished operations show them: every operation an
//! operator reported finished (`order_operations.actual_minutes`) is one observation of
//! real ÷ planned minutes, and each work center's pace is learned from its own
//! (`engine::learn::learn_pace`, the routings' figures as the prior). Computed when
//! read, never stored, like the lead times (`store::lead_times`).

use std::collections::HashMap;

use chrono::NaiveDate;
use engine::learn::{Finished, LearnedPace, Learning, learn_pace};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::StoreError;
use super::entities::{order_operations, work_centers};

/// The most recent finished operations an estimate reads per work center.
pub const OPERATIONS_READ: usize = 200;

/// How far back finished operations are read: older ones weigh under a quarter of a
/// new one at the default half-life, and a year covers every season once.
pub const WINDOW_DAYS: i64 = 365;

/// One finished operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinishedRow {
    /// The order it was part of.
    pub order_id: i64,
    /// Its place in the order's routing.
    pub seq: i32,
    /// Minutes its routing states.
    pub planned_minutes: i32,
    /// Minutes it really took.
    pub actual_minutes: i32,
    /// When it finished.
    pub finished_on: NaiveDate,
}

/// One work center's learned pace with the operations behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct PaceRecord {
    /// The work center.
    pub work_center_id: i64,
    /// What its finished operations suggest.
    pub learned: LearnedPace,
    /// Those operations, newest first.
    pub finished: Vec<FinishedRow>,
}

/// Every work center of shop `shop_id` with its learned pace as of `today`, keyed by
/// work center id (a work center without finished operations keeps its routings' pace).
pub async fn records(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<HashMap<i64, PaceRecord>, StoreError> {
    let centers: Vec<i64> = work_centers::Entity::find()
        .select_only()
        .column(work_centers::Column::Id)
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .into_tuple()
        .all(db)
        .await?;
    records_of(db, centers, today).await
}

/// [`records`] of the work centers `centers`, for a caller that has read them already.
pub async fn records_of(
    db: &impl ConnectionTrait,
    centers: Vec<i64>,
    today: NaiveDate,
) -> Result<HashMap<i64, PaceRecord>, StoreError> {
    let mut by_center = finished(db, centers.clone(), today).await?;
    Ok(centers
        .into_iter()
        .map(|id| {
            let finished = by_center.remove(&id).unwrap_or_default();
            let record = PaceRecord {
                work_center_id: id,
                learned: learned(&finished, today),
                finished,
            };
            (id, record)
        })
        .collect())
}

/// Work center `work_center_id`'s learned pace as of `today`.
pub async fn pace_of(
    db: &impl ConnectionTrait,
    work_center_id: i64,
    today: NaiveDate,
) -> Result<LearnedPace, StoreError> {
    let finished = finished(db, vec![work_center_id], today)
        .await?
        .remove(&work_center_id)
        .unwrap_or_default();
    Ok(learned(&finished, today))
}

/// The finished operations of `centers` within the window, newest first, at most
/// [`OPERATIONS_READ`] per work center (one work center's limited in the query).
async fn finished(
    db: &impl ConnectionTrait,
    centers: Vec<i64>,
    today: NaiveDate,
) -> Result<HashMap<i64, Vec<FinishedRow>>, StoreError> {
    let since = today - chrono::Duration::days(WINDOW_DAYS);
    let one_center = centers.len() == 1;
    let mut select = order_operations::Entity::find()
        .filter(order_operations::Column::WorkCenterId.is_in(centers))
        .filter(order_operations::Column::ActualMinutes.is_not_null())
        .filter(order_operations::Column::FinishedOn.gte(since))
        .order_by_desc(order_operations::Column::FinishedOn)
        .order_by_desc(order_operations::Column::Id);
    if one_center {
        select = select.limit(OPERATIONS_READ as u64);
    }
    let rows = select.all(db).await?;
    let mut by_center: HashMap<i64, Vec<FinishedRow>> = HashMap::new();
    for row in rows {
        let (Some(actual_minutes), Some(finished_on)) = (row.actual_minutes, row.finished_on) else {
            continue;
        };
        let finished = by_center.entry(row.work_center_id).or_default();
        if finished.len() < OPERATIONS_READ {
            finished.push(FinishedRow {
                order_id: row.order_id,
                seq: row.seq,
                planned_minutes: row.planned_minutes,
                actual_minutes,
                finished_on,
            });
        }
    }
    Ok(by_center)
}

fn learned(finished: &[FinishedRow], today: NaiveDate) -> LearnedPace {
    let observed: Vec<Finished> = finished
        .iter()
        .map(|f| Finished {
            planned_minutes: f64::from(f.planned_minutes),
            actual_minutes: f64::from(f.actual_minutes),
            age_days: (today - f.finished_on).num_days().max(0) as f64,
        })
        .collect();
    let mut learned = learn_pace(&observed, Learning::default());
    // A pace to the hundredth: finer moves no booked minute that matters, and each
    // move is a new state version (every cached quote of the shop recomputed).
    learned.pace.ratio = hundredths(learned.pace.ratio);
    learned.pace.sd = hundredths(learned.pace.sd);
    learned
}

fn hundredths(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
