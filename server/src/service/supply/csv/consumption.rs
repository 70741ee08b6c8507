//! `consumption` files: material used by orders in production, one row per report
//! (`docs/csv.md`), as operators' terminals or a spreadsheet collect them.
//!
//! A row without a `report` id is a new report, recorded by the same rules as
//! `POST /api/v1/orders/{id}/consumption` (`service::orders::consumption::record`): the
//! order (by its reference) in production, a material of its plan, 1 to 1,000,000 units,
//! a day between its placing and today; units beyond the plan leave the node's stock. A
//! row with a `report` id is one the export wrote: it must still say what was recorded,
//! and changes nothing, so an exported file imports unchanged and a file with new rows
//! appended records only those. Reports add up and are never edited: a correction is a
//! new row.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::cells::whole;
use super::read::{Problems, Row};
use crate::service::WriteError;
use crate::service::orders::consumption::{ConsumptionReport, record};
use crate::store::StoreError;
use crate::store::entities::{material_consumption, materials, orders, shops};
use crate::store::unit::ShopWrite;

/// What an import recorded: reports, and the materials they concern (for the rules a
/// report feeds).
#[derive(Debug, Default)]
pub struct Recorded {
    /// New reports.
    pub reports: usize,
    /// Their materials, each once.
    pub materials: Vec<i64>,
}

/// Checks and records every new row in `w`; a refused row is a problem at its line and
/// column, and the caller then applies nothing.
pub async fn import(
    w: &mut ShopWrite,
    rows: &[Row],
    problems: &mut Problems,
) -> Result<Recorded, StoreError> {
    let shop_id = w.shop();
    let shop = shops::Entity::find_by_id(shop_id).one(&*w).await?;
    let tz: chrono_tz::Tz = shop
        .and_then(|s| s.timezone.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    let today = w.now().with_timezone(&tz).date_naive();
    let shop_orders: HashMap<String, orders::Model> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .all(&*w)
        .await?
        .into_iter()
        .map(|o| (o.reference.clone(), o))
        .collect();
    let skus = skus(&*w, shop_id).await?;
    let mut recorded = Recorded::default();
    for row in rows {
        let reference = row.get("order");
        let Some(order) = shop_orders.get(reference) else {
            problems.at(
                row.line,
                "order",
                format!("there is no order “{reference}” in this shop"),
            );
            continue;
        };
        let quantity = whole(row, "quantity", problems);
        let consumed_on = match row.get("consumed_on") {
            "" => None,
            text => match text.parse::<NaiveDate>() {
                Ok(day) => Some(day),
                Err(_) => {
                    problems.at(
                        row.line,
                        "consumed_on",
                        format!("“{text}” is not a date like 2026-12-24"),
                    );
                    continue;
                }
            },
        };
        let Some(quantity) = quantity else { continue };
        let sku = row.get("sku");
        if !row.get("report").is_empty() {
            check_recorded(&*w, row, order, sku, quantity, consumed_on, &skus, problems).await?;
            continue;
        }
        let report = ConsumptionReport {
            sku: sku.to_string(),
            quantity,
            consumed_on,
        };
        match record(w, order, &report, today).await {
            Ok(done) => {
                recorded.reports += 1;
                if !recorded.materials.contains(&done.material_id) {
                    recorded.materials.push(done.material_id);
                }
            }
            Err(WriteError::Invalid { field, detail }) => problems.at(row.line, field, detail),
            Err(WriteError::Conflict(detail) | WriteError::NotFound(detail)) => {
                problems.at(row.line, "order", detail);
            }
            Err(WriteError::Store(e)) => return Err(e),
        }
    }
    Ok(recorded)
}

/// A row naming a recorded report must say what it recorded.
#[allow(clippy::too_many_arguments)]
async fn check_recorded(
    db: &impl ConnectionTrait,
    row: &Row,
    order: &orders::Model,
    sku: &str,
    quantity: i64,
    consumed_on: Option<NaiveDate>,
    skus: &HashMap<i64, String>,
    problems: &mut Problems,
) -> Result<(), StoreError> {
    let Some(id) = whole(row, "report", problems) else {
        return Ok(());
    };
    let stored = material_consumption::Entity::find_by_id(id)
        .filter(material_consumption::Column::OrderId.eq(order.id))
        .one(db)
        .await?;
    let Some(stored) = stored else {
        problems.at(
            row.line,
            "report",
            format!(
                "order {} has no report {id}; leave `report` empty for a new one",
                order.reference
            ),
        );
        return Ok(());
    };
    let same = skus.get(&stored.material_id).map(String::as_str) == Some(sku)
        && stored.quantity == quantity
        && consumed_on.is_none_or(|day| day == stored.consumed_on);
    if !same {
        problems.at(
            row.line,
            "report",
            format!(
                "report {id} recorded {} {} on {}; a recorded report does not change: add a new row (with `report` empty) for more",
                stored.quantity,
                skus.get(&stored.material_id).map_or("?", String::as_str),
                stored.consumed_on
            ),
        );
    }
    Ok(())
}

async fn skus(db: &impl ConnectionTrait, shop_id: i64) -> Result<HashMap<i64, String>, StoreError> {
    Ok(materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.sku))
        .collect())
}

/// Every report of the shop's orders, oldest first, as rows of
/// `ImportKind::Consumption.columns()`.
pub async fn export(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<Vec<String>>, StoreError> {
    let references: HashMap<i64, String> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.reference))
        .collect();
    let skus = skus(db, shop_id).await?;
    let reports = material_consumption::Entity::find()
        .filter(material_consumption::Column::OrderId.is_in(references.keys().copied()))
        .order_by_asc(material_consumption::Column::Id)
        .all(db)
        .await?;
    Ok(reports
        .into_iter()
        .filter_map(|r| {
            Some(vec![
                r.id.to_string(),
                references.get(&r.order_id)?.clone(),
                skus.get(&r.material_id)?.clone(),
                r.quantity.to_string(),
                r.consumed_on.to_string(),
            ])
        })
        .collect())
}
