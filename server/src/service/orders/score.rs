//! Keeping score: how many promises came true (PRODUCT.md, "KPIs"), by the definitions
//! of `docs/kpis.md` that the dashboard and the replay use too (`engine::kpi`).
//!
//! Over the orders delivered in a window (by `delivered_on`):
//! - the share delivered by the quoted P50, by the quoted P90 and by the promised date;
//! - the mean absolute error in days between the delivery and the quoted P50 (the
//!   point estimate), and the mean signed error (positive: later than quoted).
//!
//! Over the orders due in it (by promised date, up to today): the perfect order rate,
//! orders delivered by their promised date over those delivered, cancelled by the shop
//! or still open after their promised date (a customer's own cancellation is not
//! counted). Orders cannot be changed after they are placed and are always delivered
//! complete, so "complete, not changed" holds for every delivered one.

use chrono::{Days, NaiveDate};
use engine::kpi::{self, Ending, Promise};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::service::kpis::promises::OrderFacts;
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
    /// Orders due in the window (up to today) that the shop cancelled.
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
    /// Orders due in the window (up to today) delivered by their promised date, over
    /// those due that were delivered, cancelled by the shop or are overdue.
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
    let due: Vec<(Promise, Ending)> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::PromisedOn.between(from, std::cmp::min(to, today)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| {
            let facts = OrderFacts::of(o, String::new());
            Some((facts.promise, facts.ending(today)?))
        })
        .collect();
    let cancelled_by_shop = due.iter().filter(|(_, e)| *e == Ending::CancelledByShop).count() as u64;
    let n = delivered.len() as u64;
    let delivered_dates: Vec<(Promise, NaiveDate)> = delivered
        .iter()
        .filter_map(|o| {
            let promise = Promise {
                p50: o.quoted_p50,
                p90: o.quoted_p90,
                promised: o.promised_on,
            };
            Some((promise, o.delivered_on?))
        })
        .collect();
    let shares = kpi::accuracy(&delivered_dates);
    let signed: i64 = delivered_dates.iter().map(|(p, d)| (*d - p.p50).num_days()).sum();
    Ok(Accuracy {
        from,
        to,
        delivered: n,
        cancelled_by_shop,
        share_by_p50: shares.by_p50,
        share_by_p90: shares.by_p90,
        share_by_promise: shares.by_promise,
        mean_absolute_error_days: shares.mean_abs_error_days,
        mean_error_days: (n > 0).then(|| signed as f64 / n as f64),
        perfect_order_rate: kpi::perfect_order_rate(&due),
    })
}
