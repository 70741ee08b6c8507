//! Lead times in the admin: each offer's declared figures beside what its receipts
//! taught (`store::lead_times`), and the shop's promise settings: how sure an order's
//! "arrives by" date is, and whether quotes use the learned lead times.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;

use super::purchasing::Names;
use crate::service::{WriteError, invalid};
use crate::store::StoreError;
use crate::store::entities::shops;
use crate::store::lead_times::{OfferRecord, records};
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
    let mut rows: Vec<LeadTimeRow> = named_records(db, shop_id, today)
        .await?
        .into_iter()
        .map(|(supplier, sku, r)| LeadTimeRow {
            supplier,
            sku,
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

/// Every offer's record with its supplier's code and its material's SKU.
async fn named_records(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<Vec<(String, String, OfferRecord)>, StoreError> {
    let names = Names::load(db, shop_id).await?;
    Ok(records(db, shop_id, today)
        .await?
        .into_values()
        .map(|r| {
            let supplier = names.suppliers.get(&r.supplier_id).cloned().unwrap_or_default();
            let sku = names
                .materials
                .get(&r.material_id)
                .map(|m| m.sku.clone())
                .unwrap_or_default();
            (supplier, sku, r)
        })
        .collect())
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

/// One offer's lead time as the API shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LeadTimeView {
    /// Supplier code.
    pub supplier: String,
    /// Material SKU.
    pub material: String,
    /// What the supplier declared: mean and standard deviation, days.
    pub declared: Days,
    /// What quotes use when the shop learns: declared and received together.
    pub learned: Days,
    /// The receipts behind it, newest first.
    pub receipts: Vec<ReceiptView>,
}

/// A lead time's mean and standard deviation, days.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Days {
    /// Mean, days.
    pub mean: f64,
    /// Standard deviation, days.
    pub sd: f64,
}

/// A received purchase order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReceiptView {
    /// Its reference.
    pub reference: String,
    /// When it was ordered.
    pub ordered_on: NaiveDate,
    /// When it was received.
    pub received_on: NaiveDate,
    /// Days between the two.
    pub days: i64,
}

/// A page of lead times.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LeadTimePage {
    /// The offers, the latest added first.
    pub items: Vec<LeadTimeView>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// The kind of the lead-time list's cursors.
pub const LEAD_TIME_CURSOR: &str = "offer";

/// The page `window` asks for of the shop's offers with their lead times, newest
/// offer first.
pub async fn lead_time_page(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
    window: crate::service::cursor::Window,
) -> Result<LeadTimePage, StoreError> {
    let mut all: Vec<_> = named_records(db, shop_id, today)
        .await?
        .into_iter()
        .filter(|(_, _, r)| window.below.is_none_or(|below| r.offer_id < below))
        .collect();
    all.sort_by_key(|(_, _, r)| std::cmp::Reverse(r.offer_id));
    all.truncate(window.fetch() as usize);
    let next_cursor = window.cut(LEAD_TIME_CURSOR, &mut all, |(_, _, r)| r.offer_id);
    let days = |l: engine::learn::LeadTime| Days {
        mean: l.mean_days,
        sd: l.sd_days,
    };
    let items = all
        .into_iter()
        .map(|(supplier, material, r)| LeadTimeView {
            supplier,
            material,
            declared: days(r.declared),
            learned: days(r.learned.lead_time),
            receipts: r
                .receipts
                .into_iter()
                .map(|x| ReceiptView {
                    reference: x.reference,
                    ordered_on: x.ordered_on,
                    received_on: x.received_on,
                    days: x.days,
                })
                .collect(),
        })
        .collect();
    Ok(LeadTimePage { items, next_cursor })
}

/// The promise settings as the API reads and writes them.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Promises {
    /// The quantile of the delivery date an order commits to, 0.5 to 0.999 (0.97).
    #[schema(minimum = 0.5, maximum = 0.999)]
    pub promise_quantile: f64,
    /// Whether quotes use lead times learned from receipts.
    pub learn_lead_times: bool,
}

impl From<PromiseSettings> for Promises {
    fn from(s: PromiseSettings) -> Self {
        Promises {
            promise_quantile: f64::from(s.permille) / 1000.0,
            learn_lead_times: s.learn,
        }
    }
}

/// [`save_promises`] for the API, whose quantile is a share (field `promise_quantile`).
pub async fn set_promises(w: ShopWrite, promises: Promises) -> Result<Promises, WriteError> {
    let permille = (promises.promise_quantile * 1000.0).round();
    if !promises.promise_quantile.is_finite() || !(500.0..=999.0).contains(&permille) {
        return Err(invalid(
            "promise_quantile",
            "must be between 0.5 (the median) and 0.999",
        ));
    }
    let settings = PromiseSettings {
        permille: permille as i32,
        learn: promises.learn_lead_times,
    };
    save_promises(w, settings.clone()).await?;
    Ok(settings.into())
}
