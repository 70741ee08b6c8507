//! Keeping score: how many promises came true (PRODUCT.md, "KPIs").
//!
//! Over the orders delivered in a window (by `delivered_on`):
//! - the share delivered by the quoted P50, by the quoted P90 and by the promised date;
//! - the mean absolute error in days between the delivery and the quoted P50 (the
//!   point estimate), and the mean signed error (positive: later than quoted);
//! - the perfect order rate: orders delivered by the promised date, complete and
//!   unchanged, over those delivered plus those the shop itself cancelled (placed in
//!   the window). Orders cannot be changed after they are placed and are always
//!   delivered complete, so today "complete, not changed" holds for every delivered one.

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::service::{WriteError, invalid};
use crate::store::entities::{OrderStatus, orders};

/// Days a window spans unless said.
pub const DEFAULT_WINDOW_DAYS: u64 = 90;

/// How well a shop's promises were kept.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Accuracy {
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// Orders delivered in the window.
    pub delivered: u64,
    /// Orders placed in the window that the shop cancelled.
    pub cancelled_by_shop: u64,
    /// Share (0 to 1) delivered on or before the quoted P50; `null` with no deliveries.
    pub share_by_p50: Option<f64>,
    /// Share delivered on or before the quoted P90.
    pub share_by_p90: Option<f64>,
    /// Share delivered on or before the promised date.
    pub share_by_promise: Option<f64>,
    /// Mean of |delivered − quoted P50| in days.
    pub mean_absolute_error_days: Option<f64>,
    /// Mean of (delivered − quoted P50) in days: positive when deliveries run late.
    pub mean_error_days: Option<f64>,
    /// Perfect orders over delivered plus shop-cancelled ones.
    pub perfect_order_rate: Option<f64>,
}

/// The score of shop `shop_id` from `from` to `to` (both included); the window is
/// the last [`DEFAULT_WINDOW_DAYS`] days up to `today` unless given.
pub async fn accuracy(
    db: &impl ConnectionTrait,
    shop_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Accuracy, WriteError> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to - Days::new(DEFAULT_WINDOW_DAYS - 1));
    if from > to {
        return Err(invalid("from", format!("must not be after `to` ({to})")));
    }
    let delivered = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Status.eq(OrderStatus::Delivered))
        .filter(orders::Column::DeliveredOn.between(from, to))
        .all(db)
        .await?;
    let cancelled_by_shop = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Status.eq(OrderStatus::Cancelled))
        .filter(orders::Column::CancelledBy.eq("shop"))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| (from..=to).contains(&o.placed_at.date_naive()))
        .count() as u64;
    let n = delivered.len() as u64;
    let share = |kept: usize| (n > 0).then(|| kept as f64 / n as f64);
    let on = |date: fn(&orders::Model) -> NaiveDate| {
        delivered
            .iter()
            .filter(|o| o.delivered_on.is_some_and(|d| d <= date(o)))
            .count()
    };
    let errors: Vec<i64> = delivered
        .iter()
        .filter_map(|o| Some((o.delivered_on? - o.quoted_p50).num_days()))
        .collect();
    let mean = |values: &mut dyn Iterator<Item = i64>| (n > 0).then(|| values.sum::<i64>() as f64 / n as f64);
    let kept = on(|o| o.promised_on);
    let perfect_of = n + cancelled_by_shop;
    Ok(Accuracy {
        from,
        to,
        delivered: n,
        cancelled_by_shop,
        share_by_p50: share(on(|o| o.quoted_p50)),
        share_by_p90: share(on(|o| o.quoted_p90)),
        share_by_promise: share(kept),
        mean_absolute_error_days: mean(&mut errors.iter().map(|e| e.abs())),
        mean_error_days: mean(&mut errors.iter().copied()),
        perfect_order_rate: (perfect_of > 0).then(|| kept as f64 / perfect_of as f64),
    })
}
