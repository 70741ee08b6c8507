//! Lead times in the admin: each offer's declared figures beside what its receipts
//! taught (`store::lead_times`), and the shop's promise settings: how sure an order's
//! "arrives by" date is, and whether quotes use the learned lead times.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::service::{WriteError, invalid};
use crate::store::StoreError;
use crate::store::entities::{materials, shops, suppliers};
use crate::store::lead_times::records;
use crate::store::unit::{Change, ShopWrite};
use app::model::admin::{LeadTimeRow, PromiseSettings, ReceiptRow};

/// The lowest and highest promise quantile a shop may choose, in thousandths: below the
/// median a promise is a guess; above 99.9 % a normal tail claims more than any record
/// of lead times can show (`engine::snapshot::MAX_PROMISE_QUANTILE`).
const PERMILLE_RANGE: std::ops::RangeInclusive<i32> = 500..=999;

/// Every offer's declared and learned lead time with its receipts, by supplier and SKU.
pub async fn lead_time_rows(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<Vec<LeadTimeRow>, StoreError> {
    let skus: HashMap<i64, String> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.sku))
        .collect();
    let codes: HashMap<i64, String> = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.code))
        .collect();
    let mut rows: Vec<LeadTimeRow> = records(db, shop_id, today)
        .await?
        .into_values()
        .map(|r| LeadTimeRow {
            supplier: codes.get(&r.supplier_id).cloned().unwrap_or_default(),
            sku: skus.get(&r.material_id).cloned().unwrap_or_default(),
            declared_mean: r.declared.mean_days,
            declared_sd: r.declared.sd_days,
            learned_mean: r.learned.lead_time.mean_days,
            learned_sd: r.learned.lead_time.sd_days,
            receipts: r
                .receipts
                .into_iter()
                .map(|receipt| ReceiptRow {
                    reference: receipt.reference,
                    ordered_on: receipt.ordered_on,
                    received_on: receipt.received_on,
                    days: receipt.days,
                })
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| (&a.supplier, &a.sku).cmp(&(&b.supplier, &b.sku)));
    Ok(rows)
}

/// The shop's promise settings as stored.
pub fn promise_settings(shop: &shops::Model) -> PromiseSettings {
    PromiseSettings {
        permille: shop.promise_permille,
        learn: shop.learn_lead_times,
    }
}

/// Sets how sure promises are and whether quotes learn lead times, audited; quotes
/// change with either, so the state version moves.
pub async fn save_promises(mut w: ShopWrite, settings: PromiseSettings) -> Result<(), WriteError> {
    if !PERMILLE_RANGE.contains(&settings.permille) {
        return Err(invalid("percent", "must be between 50 % (the median) and 99.9 %"));
    }
    let shop = shops::Entity::find_by_id(w.shop())
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound("the shop no longer exists".into()))?;
    let before = promise_settings(&shop);
    if before == settings {
        return Ok(());
    }
    let slug = shop.slug.clone();
    let mut active: shops::ActiveModel = shop.into();
    active.promise_permille = Set(settings.permille);
    active.learn_lead_times = Set(settings.learn);
    active.update(&w).await?;
    w.record(
        Change::new("shop.promises", "shop", slug)
            .before(Some(json!(before)))
            .after(json!(settings)),
    )
    .await?;
    w.commit().await?;
    Ok(())
}
