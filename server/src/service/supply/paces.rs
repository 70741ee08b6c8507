//! Work centers' paces in the admin: each one's learned real ÷ planned minutes beside
//! the routings' (1), with the finished operations behind it (`store::paces`).

use app::model::admin::{FinishedRow, PaceRow};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::store::StoreError;
use crate::store::entities::work_centers;

/// Every work center's learned pace with the finished operations behind it, by code.
pub async fn pace_rows(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<Vec<PaceRow>, StoreError> {
    let mut records = crate::store::paces::records(db, shop_id, today).await?;
    let mut rows: Vec<PaceRow> = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|center| {
            let record = records.remove(&center.id)?;
            Some(PaceRow {
                code: center.code,
                name: center.name,
                ratio: record.learned.pace.ratio,
                sd: record.learned.pace.sd,
                finished: record
                    .finished
                    .into_iter()
                    .map(|f| FinishedRow {
                        order_id: f.order_id,
                        seq: f.seq,
                        planned_minutes: f.planned_minutes,
                        actual_minutes: f.actual_minutes,
                        finished_on: f.finished_on,
                    })
                    .collect(),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(rows)
}
