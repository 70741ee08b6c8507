//! The total resilience cost (`docs/kpis.md`): what keeping promises under uncertainty
//! costs the shop, week by week: holding its stock, the premiums of expedited purchase
//! orders, the fees of capacity reserved with suppliers, and the sales lost to orders
//! the shop called off.

use std::cmp::Reverse;
use std::collections::HashMap;

use app::i18n::Locale;
use app::model::dashboard::{DRILL_LIMIT, Drill, DrillMaterial, Kpi, KpiKey, WeekValue};
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::inventory::Stock;
use super::promises::Window;
use crate::service::policies::settings::ShopPolicy;
use crate::store::entities::{
    OrderStatus, SuggestionKind, SuggestionStatus, capacity_reservations, orders, shops, suggestions,
};

/// What a charge is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Charge {
    /// The premium of an expedited purchase order.
    Expedite,
    /// A capacity reservation's fee.
    ReservationFee,
    /// The price of an order the shop cancelled.
    LostSale,
}

/// One charge: its day, what it is for, the material it concerns (none for a lost
/// sale) and its amount in minor units.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    day: NaiveDate,
    charge: Charge,
    material: Option<i64>,
    amount: f64,
}

/// The shop's costs over a window: the stock's closes for holding, and the charges.
pub struct Costs<'a> {
    stock: &'a Stock,
    entries: Vec<Entry>,
    /// Holding cost per day per unit of stock value.
    daily_rate: f64,
    currency: String,
}

impl<'a> Costs<'a> {
    /// Reads the charges of `shop` in `window`; holding comes from `stock` at the
    /// rates of `policy`.
    pub async fn load(
        db: &impl ConnectionTrait,
        shop: &shops::Model,
        window: Window,
        stock: &'a Stock,
        policy: &ShopPolicy,
    ) -> Result<Costs<'a>, DbErr> {
        let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
        let day_of = |at: DateTime<Utc>| at.with_timezone(&tz).date_naive();
        // Timestamps a day either side of the window, so every local day in it is read.
        let (start, end) = (
            window.from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::TimeDelta::days(1),
            (window.today + Days::new(2))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc(),
        );
        let inside = |day: NaiveDate| window.from <= day && day <= window.today;
        let mut entries = Vec::new();
        let premium = f64::from(policy.expedite_premium_percent) / 100.0;
        for s in suggestions::Entity::find()
            .filter(suggestions::Column::ShopId.eq(shop.id))
            .filter(suggestions::Column::Kind.eq(SuggestionKind::Purchase))
            .filter(
                suggestions::Column::Status.is_in([SuggestionStatus::Accepted, SuggestionStatus::Executed]),
            )
            .filter(suggestions::Column::DecidedAt.between(start, end))
            .all(db)
            .await?
        {
            let expedited = s.payload["expedite"].as_bool().unwrap_or(false);
            let value = s.value_minor.or_else(|| s.payload["value_minor"].as_i64());
            let (Some(at), Some(value)) = (s.decided_at, value) else {
                continue;
            };
            if expedited && inside(day_of(at)) {
                entries.push(Entry {
                    day: day_of(at),
                    charge: Charge::Expedite,
                    material: s.payload["material_id"].as_i64(),
                    amount: value as f64 * premium,
                });
            }
        }
        for r in capacity_reservations::Entity::find()
            .filter(capacity_reservations::Column::ShopId.eq(shop.id))
            .filter(capacity_reservations::Column::CreatedAt.between(start, end))
            .all(db)
            .await?
        {
            if r.fee_minor > 0 && inside(day_of(r.created_at)) {
                entries.push(Entry {
                    day: day_of(r.created_at),
                    charge: Charge::ReservationFee,
                    material: Some(r.material_id),
                    amount: r.fee_minor as f64,
                });
            }
        }
        for o in orders::Entity::find()
            .filter(orders::Column::ShopId.eq(shop.id))
            .filter(orders::Column::Status.eq(OrderStatus::Cancelled))
            .filter(orders::Column::CancelledBy.eq("shop"))
            .filter(orders::Column::PromisedOn.between(window.from, window.today))
            .all(db)
            .await?
        {
            entries.push(Entry {
                day: o.promised_on,
                charge: Charge::LostSale,
                material: None,
                amount: o.price_minor as f64,
            });
        }
        Ok(Costs {
            stock,
            entries,
            daily_rate: f64::from(policy.holding_percent) / 100.0 / 365.0,
            currency: shop.currency.clone(),
        })
    }

    /// Holding from `from` to `to`: each day at the mean value of the closes among
    /// them; `None` without a close.
    fn holding(&self, from: NaiveDate, to: NaiveDate) -> Option<f64> {
        let closes = self.stock.close_days(from, to);
        if closes.is_empty() {
            return None;
        }
        let mean: f64 = closes
            .iter()
            .map(|d| self.stock.values_at(*d).iter().map(|(_, _, v)| v).sum::<f64>())
            .sum::<f64>()
            / closes.len() as f64;
        let days = (to - from).num_days() as f64 + 1.0;
        Some(mean * days * self.daily_rate)
    }

    fn charges(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| from <= e.day && e.day <= to)
    }

    /// The cost from `from` to `to` and the closes and charges it is over; `None`
    /// when there was neither.
    fn measure(&self, from: NaiveDate, to: NaiveDate) -> (Option<f64>, u32) {
        let holding = self.holding(from, to);
        let charged: Vec<f64> = self.charges(from, to).map(|e| e.amount).collect();
        let count = self.stock.close_days(from, to).len() + charged.len();
        if holding.is_none() && charged.is_empty() {
            return (None, 0);
        }
        (
            Some(holding.unwrap_or(0.0) + charged.iter().sum::<f64>()),
            count as u32,
        )
    }

    /// The KPI over `window`: each week's holding (weeks with a close) and charges;
    /// the window's is their sum.
    pub fn kpi(&self, window: Window) -> Kpi {
        let key = KpiKey::ResilienceCost;
        let weekly: Vec<WeekValue> = (0..window.weeks as usize)
            .map(|week| {
                let start = window.week_start(week);
                let end = (start + Days::new(6)).min(window.today);
                let (value, count) = self.measure(start, end);
                WeekValue { start, value, count }
            })
            .collect();
        let measured: Vec<&WeekValue> = weekly.iter().filter(|w| w.value.is_some()).collect();
        let value = (!measured.is_empty()).then(|| measured.iter().filter_map(|w| w.value).sum());
        let count: u32 = measured.iter().map(|w| w.count).sum();
        let holding: f64 = weekly
            .iter()
            .filter_map(|w| self.holding(w.start, (w.start + Days::new(6)).min(window.today)))
            .sum();
        let of = |charge: Charge| -> f64 {
            self.charges(window.from, window.today)
                .filter(|e| e.charge == charge)
                .map(|e| e.amount)
                .sum()
        };
        let money = |minor: f64| Locale::En.price(minor.round() as i64, &self.currency, false);
        Kpi {
            key,
            value,
            basis: format!("over {}", key.counted(count)),
            aside: Some(format!(
                "holding {} · expedite premiums {} · reservation fees {} · lost sales {}",
                money(holding),
                money(of(Charge::Expedite)),
                money(of(Charge::ReservationFee)),
                money(of(Charge::LostSale))
            )),
            weekly,
        }
    }

    /// The materials behind the cost in `window`, the costliest first: each one's
    /// holding (at its mean close value) and the charges that name it.
    pub fn drill(&self, window: Window) -> Drill {
        let closes = self.stock.close_days(window.from, window.today);
        let days = (window.today - window.from).num_days() as f64 + 1.0;
        let mut holding: HashMap<i64, f64> = HashMap::new();
        let mut now: HashMap<i64, (i64, f64)> = HashMap::new();
        for day in &closes {
            for (id, units, value) in self.stock.values_at(*day) {
                *holding.entry(id).or_default() += value / closes.len() as f64 * days * self.daily_rate;
                if *day == window.today {
                    now.insert(id, (units, value));
                }
            }
        }
        let mut charged: HashMap<(i64, Charge), f64> = HashMap::new();
        for e in self.charges(window.from, window.today) {
            if let Some(id) = e.material {
                *charged.entry((id, e.charge)).or_default() += e.amount;
            }
        }
        let mut ids: Vec<i64> = holding
            .keys()
            .chain(charged.keys().map(|(id, _)| id))
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let money = |minor: f64| Locale::En.price(minor.round() as i64, &self.currency, false);
        let mut rows: Vec<(DrillMaterial, i64)> = ids
            .into_iter()
            .filter_map(|id| {
                let held = holding.get(&id).copied().unwrap_or(0.0);
                let expedite = charged.get(&(id, Charge::Expedite)).copied().unwrap_or(0.0);
                let fees = charged.get(&(id, Charge::ReservationFee)).copied().unwrap_or(0.0);
                let total = held + expedite + fees;
                if total <= 0.0 {
                    return None;
                }
                let mut parts = vec![format!("holding {}", money(held))];
                if expedite > 0.0 {
                    parts.push(format!("expedite premiums {}", money(expedite)));
                }
                if fees > 0.0 {
                    parts.push(format!("reservation fees {}", money(fees)));
                }
                let (sku, name) = self.stock.name(id);
                let (on_hand, value) = now.get(&id).copied().unwrap_or((0, 0.0));
                let material = DrillMaterial {
                    id,
                    sku,
                    name,
                    on_hand,
                    value_minor: value.round() as i64,
                    coverage_days: None,
                    outcome: format!("{} in all: {}", money(total), parts.join("; ")),
                    // Every cost counts against it; the costliest come first.
                    missed: true,
                };
                Some((material, total.round() as i64))
            })
            .collect();
        let total = rows.len() as u32;
        rows.sort_by_key(|(m, cost)| (Reverse(*cost), m.id));
        Drill {
            key: KpiKey::ResilienceCost,
            total,
            orders: Vec::new(),
            materials: rows.into_iter().take(DRILL_LIMIT).map(|(m, _)| m).collect(),
        }
    }
}
