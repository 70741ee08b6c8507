//! Who comes to the shop in a replay: per product, shoppers arrive as a Poisson stream
//! at the rate the shop's recent orders show, shaped by the weekday pattern of those
//! orders, and each wants a configuration and quantity drawn from what earlier
//! customers ordered (the option mix as it really was).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use engine::Selection;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::store::entities::{orders, products};
use crate::store::{Db, StoreError};

/// Days of order history the rates and the mix are read from.
pub const HISTORY_DAYS: u64 = 90;

/// A shopper who wants one configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Shopper {
    /// Product slug.
    pub product: String,
    /// The configuration.
    pub selection: Selection,
    /// Units.
    pub quantity: u32,
}

/// One product's demand.
#[derive(Clone, Debug)]
struct ProductDemand {
    slug: String,
    /// Shoppers per day, before the weekday factor.
    per_day: f64,
    /// Configurations and quantities ordered, one per past order.
    mix: Vec<(Selection, u32)>,
}

/// The shop's demand, as its history shows it.
#[derive(Clone, Debug)]
pub struct Demand {
    products: Vec<ProductDemand>,
    /// Orders on each weekday (Monday first) over the mean weekday.
    weekday: [f64; 7],
}

impl Demand {
    /// Reads the orders of the [`HISTORY_DAYS`] before `today` of shop `shop_id`.
    /// `scale` multiplies every rate (1: as many shoppers as there were orders).
    pub async fn from_history(
        db: &Db,
        shop_id: i64,
        today: NaiveDate,
        scale: f64,
    ) -> Result<Self, StoreError> {
        let from = today - Days::new(HISTORY_DAYS);
        let midnight = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc();
        let history = orders::Entity::find()
            .filter(orders::Column::ShopId.eq(shop_id))
            .filter(orders::Column::PlacedAt.gte(midnight(from)))
            .filter(orders::Column::PlacedAt.lt(midnight(today)))
            .order_by_asc(orders::Column::Id)
            .all(db)
            .await?;
        let slugs: BTreeMap<i64, String> = products::Entity::find()
            .filter(products::Column::ShopId.eq(shop_id))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.slug))
            .collect();
        let mut mix: BTreeMap<String, Vec<(Selection, u32)>> = BTreeMap::new();
        let mut weekdays = [0.0f64; 7];
        for order in history {
            let day = order.placed_at.date_naive();
            let (Some(slug), Ok(selection)) = (
                slugs.get(&order.product_id),
                serde_json::from_value::<Selection>(order.selection.clone()),
            ) else {
                continue;
            };
            weekdays[day.weekday().num_days_from_monday() as usize] += 1.0;
            mix.entry(slug.clone())
                .or_default()
                .push((selection, u32::try_from(order.quantity).unwrap_or(1).max(1)));
        }
        let total: f64 = weekdays.iter().sum();
        let weekday = if total > 0.0 {
            weekdays.map(|n| n / (total / 7.0))
        } else {
            [1.0; 7]
        };
        let products = mix
            .into_iter()
            .map(|(slug, mix)| ProductDemand {
                slug,
                per_day: mix.len() as f64 / HISTORY_DAYS as f64 * scale,
                mix,
            })
            .collect();
        Ok(Demand { products, weekday })
    }

    /// The shoppers of `day`, product by product.
    pub fn shoppers(&self, day: NaiveDate, rng: &mut ChaCha8Rng) -> Vec<Shopper> {
        let factor = self.weekday[day.weekday().num_days_from_monday() as usize];
        let mut shoppers = Vec::new();
        for product in &self.products {
            let rate = product.per_day * factor;
            let count = match Poisson::new(rate) {
                Ok(poisson) => poisson.sample(rng) as usize,
                Err(_) => 0,
            };
            for _ in 0..count {
                let (selection, quantity) = &product.mix[rng.random_range(0..product.mix.len())];
                shoppers.push(Shopper {
                    product: product.slug.clone(),
                    selection: selection.clone(),
                    quantity: *quantity,
                });
            }
        }
        shoppers
    }
}
