//! The KPIs measured from the stock (`docs/kpis.md`, "Inventory"): the inventory health
//! index, turnover, coverage and demand-sensing sensitivity, week by week from the daily closes ([`super::closes`]),
//! beside what the orders of each day used (their bills of materials exploded as the
//! policies explode them), and the materials behind each.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use app::model::dashboard::{DRILL_LIMIT, Drill, DrillMaterial, Kpi, KpiGroup, KpiKey, WeekValue};
use chrono::{Days, NaiveDate};
use engine::kpi::inventory::{self, Age, Band, MaterialClose, PACE_DAYS};
use engine::kpi::sensing::{self, Direction, RESPONSE_DAYS, Sensing};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::closes;
use super::promises::Window;
use crate::service::policies::inputs;
use crate::store::entities::{inventory_closes, materials, shops};

/// The shop's stock over a window: its closes, and what its orders used each day.
#[derive(Clone, Debug, Default)]
pub struct Stock {
    /// The closes by day, the window's past days as stored and today's as it stands.
    closes: BTreeMap<NaiveDate, Vec<inventory_closes::Model>>,
    /// The first day of `used`.
    start: NaiveDate,
    /// Per material, the units its orders used each day from `start`.
    used: HashMap<i64, Vec<f64>>,
    /// Per material, its unit cost now, minor units.
    cost: HashMap<i64, i64>,
    /// Per material, its SKU and name.
    names: HashMap<i64, (String, String)>,
}

impl Stock {
    /// Reads the stock of `shop` over `window`, with `today` its close as it stands now.
    pub async fn load(
        db: &impl ConnectionTrait,
        shop: &shops::Model,
        window: Window,
        today: Vec<inventory_closes::Model>,
    ) -> Result<Stock, DbErr> {
        let yesterday = window.today - Days::new(1);
        let mut by_day: BTreeMap<NaiveDate, Vec<inventory_closes::Model>> = BTreeMap::new();
        for close in closes::between(db, shop.id, window.from, yesterday).await? {
            by_day.entry(close.day).or_default().push(close);
        }
        by_day.insert(window.today, today);
        // The pace at the window's first close looks back PACE_DAYS before it.
        let days = (window.today - window.from).num_days() as usize + 1 + PACE_DAYS;
        let inputs = inputs::load(db, shop, window.today + Days::new(1), days, 0.0).await?;
        let demand = engine::policy::explode(
            inputs.days,
            inputs.materials.len(),
            &inputs.products,
            &inputs.orders,
            &[],
        )
        .map_err(|e| DbErr::Custom(format!("exploding the orders' bills of materials: {e}")))?;
        let mut used = HashMap::new();
        let mut cost = HashMap::new();
        for (m, d) in inputs.materials.iter().zip(demand) {
            used.insert(m.id, d.from_orders);
            cost.insert(m.id, m.unit_cost);
        }
        let names = materials::Entity::find()
            .filter(materials::Column::ShopId.eq(shop.id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, (m.sku, m.name)))
            .collect();
        Ok(Stock {
            closes: by_day,
            start: inputs.start,
            used,
            cost,
            names,
        })
    }

    /// Units of material `id` its orders used on `day`.
    fn used_units(&self, id: i64, day: NaiveDate) -> f64 {
        let Ok(i) = usize::try_from((day - self.start).num_days()) else {
            return 0.0;
        };
        self.used.get(&id).and_then(|u| u.get(i)).copied().unwrap_or(0.0)
    }

    /// What the orders used on `day`, at cost.
    fn used_value(&self, day: NaiveDate) -> f64 {
        self.used
            .keys()
            .map(|&id| self.used_units(id, day) * self.cost.get(&id).copied().unwrap_or(0) as f64)
            .sum()
    }

    /// The daily use at cost over the [`PACE_DAYS`] ending `day`.
    fn pace(&self, day: NaiveDate) -> Vec<f64> {
        (0..PACE_DAYS as u64)
            .map(|back| self.used_value(day - Days::new(back)))
            .collect()
    }

    /// Each material at the close of `day`, as the health index reads it.
    fn materials_at(&self, day: NaiveDate) -> Vec<(&inventory_closes::Model, MaterialClose)> {
        let Some(rows) = self.closes.get(&day) else {
            return Vec::new();
        };
        rows.iter()
            .map(|row| {
                let used: f64 = (0..PACE_DAYS as u64)
                    .map(|back| self.used_units(row.material_id, day - Days::new(back)))
                    .sum();
                (row, close_of(row, used / PACE_DAYS as f64))
            })
            .collect()
    }

    /// The stock's value at cost at `day`'s close; the pace is not needed for it, so it
    /// is not summed (this runs for every close of the window).
    fn value_at(&self, day: NaiveDate) -> f64 {
        self.closes.get(&day).map_or(0.0, |rows| {
            rows.iter().map(|row| close_of(row, 0.0).value()).sum()
        })
    }

    /// The days from `from` to `to` with a close.
    pub fn close_days(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        self.closes.range(from..=to).map(|(day, _)| *day).collect()
    }

    /// Each material's units on hand and their value at cost (minor units) at
    /// `day`'s close.
    pub fn values_at(&self, day: NaiveDate) -> Vec<(i64, i64, f64)> {
        self.closes.get(&day).map_or_else(Vec::new, |rows| {
            rows.iter()
                .map(|row| (row.material_id, row.on_hand, close_of(row, 0.0).value()))
                .collect()
        })
    }

    /// Material `id`'s SKU and name.
    pub fn name(&self, id: i64) -> (String, String) {
        self.names.get(&id).cloned().unwrap_or_default()
    }

    /// The last day from `from` to `to` with a close.
    fn last_close(&self, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        self.closes.range(from..=to).next_back().map(|(day, _)| *day)
    }

    /// Each material's changes in demand and policy moves over everything loaded.
    fn sensing(&self) -> Vec<(i64, Sensing)> {
        let Some(last) = self.closes.keys().next_back().copied() else {
            return Vec::new();
        };
        let days = usize::try_from((last - self.start).num_days() + 1).unwrap_or(0);
        let mut points: HashMap<i64, Vec<Option<f64>>> = HashMap::new();
        for (day, rows) in &self.closes {
            let Ok(i) = usize::try_from((*day - self.start).num_days()) else {
                continue;
            };
            for row in rows {
                if let Some(point) = row.reorder_point {
                    points.entry(row.material_id).or_insert_with(|| vec![None; days])[i] = Some(point as f64);
                }
            }
        }
        let mut ids: Vec<i64> = self.used.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter()
            .map(|id| {
                let used: Vec<f64> = (0..days).map(|i| self.used_units(id, self.day(i))).collect();
                let none = Vec::new();
                (id, sensing::sense(&used, points.get(&id).unwrap_or(&none)))
            })
            .collect()
    }

    /// The day of day index `i` of the series.
    fn day(&self, i: usize) -> NaiveDate {
        self.start + Days::new(i as u64)
    }

    /// `key`'s value over the days from `from` to `to`, and what it is over.
    fn measure(&self, key: KpiKey, from: NaiveDate, to: NaiveDate) -> (Option<f64>, u32) {
        match key {
            KpiKey::Turnover => {
                let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
                let used: Vec<f64> = days.iter().map(|d| self.used_value(*d)).collect();
                let values: Vec<f64> = days
                    .iter()
                    .filter(|d| self.closes.contains_key(d))
                    .map(|d| self.value_at(*d))
                    .collect();
                (inventory::turnover(&used, &values), values.len() as u32)
            }
            KpiKey::CoverageDays | KpiKey::InventoryHealth => {
                let Some(day) = self.last_close(from, to) else {
                    return (None, 0);
                };
                let materials = self.materials_at(day);
                let counted = materials.len() as u32;
                let value = if key == KpiKey::CoverageDays {
                    inventory::coverage_days(self.value_at(day), &self.pace(day))
                } else {
                    let closes: Vec<MaterialClose> = materials.into_iter().map(|(_, c)| c).collect();
                    inventory::health(&closes).index
                };
                (value, counted)
            }
            _ => (None, 0),
        }
    }
}

/// A stored close as the engine reads it, with its recent pace `daily_use`.
fn close_of(row: &inventory_closes::Model, daily_use: f64) -> MaterialClose {
    MaterialClose {
        on_hand: row.on_hand as f64,
        unit_cost: row.unit_cost_minor as f64,
        daily_use,
        age: Age {
            dated: row.dated_units,
            aged: row.aged_units,
        },
        band: row.safety_stock.zip(row.order_up_to).map(|(s, u)| Band {
            safety_stock: s as f64,
            order_up_to: u as f64,
        }),
        volatile: row.xyz.as_deref() == Some("Z"),
    }
}

/// Every KPI measured from the stock over `window`.
pub fn kpis(stock: &Stock, window: Window) -> Vec<Kpi> {
    KpiKey::ALL
        .into_iter()
        .filter(|key| key.group() == KpiGroup::Inventory)
        .map(|key| {
            // Read once: every week's figure is a slice of the same changes.
            let sensed = (key == KpiKey::DemandSensing).then(|| stock.sensing());
            let measure = |from: NaiveDate, to: NaiveDate| match &sensed {
                Some(sensed) => followed(stock, sensed, from, to),
                None => stock.measure(key, from, to),
            };
            let weekly = (0..window.weeks as usize)
                .map(|week| {
                    let start = window.week_start(week);
                    let end = (start + Days::new(6)).min(window.today);
                    let (value, count) = measure(start, end);
                    WeekValue { start, value, count }
                })
                .collect();
            let (value, count) = measure(window.from, window.today);
            let basis = match key {
                KpiKey::Turnover | KpiKey::DemandSensing => format!("over {}", key.counted(count)),
                _ => format!("at today's close, over {}", key.counted(count)),
            };
            let aside = match key {
                KpiKey::InventoryHealth => Some(parts(stock, window.today)),
                KpiKey::DemandSensing => sensed.as_deref().map(|sensed| noise(stock, sensed, window)),
                _ => None,
            };
            Kpi {
                key,
                value,
                basis,
                aside,
                weekly,
            }
        })
        .collect()
}

/// The index's three parts at `day`'s close: "structure 62 % · age 67 % · fit 78 %".
fn parts(stock: &Stock, day: NaiveDate) -> String {
    let closes: Vec<MaterialClose> = stock.materials_at(day).into_iter().map(|(_, c)| c).collect();
    let h = inventory::health(&closes);
    let share = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{:.0} %", v * 100.0));
    format!(
        "structure {} · age {} · fit {}",
        share(h.structure),
        share(h.age),
        share(h.fit)
    )
}

/// The median days to follow the changes in demand from `from` to `to`, and how many
/// changes there were.
fn followed(stock: &Stock, sensed: &[(i64, Sensing)], from: NaiveDate, to: NaiveDate) -> (Option<f64>, u32) {
    let shifts: Vec<&sensing::Shift> = sensed
        .iter()
        .flat_map(|(_, s)| &s.shifts)
        .filter(|s| (from..=to).contains(&stock.day(s.day)))
        .collect();
    let days: Vec<f64> = shifts
        .iter()
        .filter_map(|s| s.followed_after)
        .map(|d| d as f64)
        .collect();
    (sensing::median(&days), shifts.len() as u32)
}

/// How often policies moved without a change in demand in `window`: "noise moved
/// policies 3 times (12 % of 25 moves)".
fn noise(stock: &Stock, sensed: &[(i64, Sensing)], window: Window) -> String {
    let inside = |i: usize| (window.from..=window.today).contains(&stock.day(i));
    let noise: usize = sensed
        .iter()
        .map(|(_, s)| s.noise.iter().filter(|m| inside(m.day)).count())
        .sum();
    let moves: usize = sensed.iter().map(|(_, s)| s.moves).sum();
    let unfollowed: usize = sensed
        .iter()
        .flat_map(|(_, s)| &s.shifts)
        .filter(|s| inside(s.day) && s.followed_after.is_none())
        .count();
    let times = |n: usize| {
        if n == 1 {
            "once".to_string()
        } else {
            format!("{n} times")
        }
    };
    let share = if moves > 0 {
        let noun = if moves == 1 { "move" } else { "moves" };
        format!(
            " ({:.0} % of {moves} {noun})",
            noise as f64 * 100.0 / moves as f64
        )
    } else {
        String::new()
    };
    format!(
        "noise moved policies {}{share}; {unfollowed} not followed within {RESPONSE_DAYS} days",
        times(noise)
    )
}

/// The materials whose demand changed or whose policy moved without it in `window`:
/// those with a change not followed or with noise first.
fn sensing_drill(stock: &Stock, window: Window) -> Drill {
    let inside = |i: usize| (window.from..=window.today).contains(&stock.day(i));
    let now: HashMap<i64, (i64, f64, Option<f64>)> = stock
        .materials_at(window.today)
        .into_iter()
        .map(|(row, c)| (row.material_id, (row.on_hand, c.value(), c.coverage_days())))
        .collect();
    let way = |d: Direction| if d == Direction::Up { "up" } else { "down" };
    let mut rows: Vec<(DrillMaterial, i64)> = stock
        .sensing()
        .into_iter()
        .filter_map(|(id, s)| {
            let mut said = Vec::new();
            let mut against = 0;
            for shift in s.shifts.iter().filter(|s| inside(s.day)) {
                let size = if shift.change >= f64::MAX {
                    "from nothing".to_string()
                } else {
                    format!("{:.0} %", shift.change.abs() * 100.0)
                };
                let answer = match shift.followed_after {
                    Some(days) => format!("followed after {days} days"),
                    None => {
                        against += 1;
                        format!("not followed within {RESPONSE_DAYS} days")
                    }
                };
                said.push(format!(
                    "demand {} {size} after {}: {answer}",
                    way(shift.direction),
                    stock.day(shift.day)
                ));
            }
            let noise = s.noise.iter().filter(|m| inside(m.day)).count();
            if noise > 0 {
                against += noise;
                said.push(format!(
                    "reorder point moved {noise} {} without a change in demand",
                    if noise == 1 { "time" } else { "times" }
                ));
            }
            if said.is_empty() {
                return None;
            }
            let (sku, name) = stock.name(id);
            let (on_hand, value, coverage_days) = now.get(&id).copied().unwrap_or((0, 0.0, None));
            let material = DrillMaterial {
                id,
                sku,
                name,
                on_hand,
                value_minor: value.round() as i64,
                coverage_days,
                outcome: said.join("; "),
                missed: against > 0,
            };
            Some((material, against as i64))
        })
        .collect();
    let total = rows.len() as u32;
    rows.sort_by_key(|(m, against)| (Reverse(m.missed), Reverse(*against), m.id));
    Drill {
        key: KpiKey::DemandSensing,
        total,
        orders: Vec::new(),
        materials: rows.into_iter().take(DRILL_LIMIT).map(|(m, _)| m).collect(),
    }
}

/// The materials behind `key` at today's close (or, for demand sensing, over
/// `window`): those that count against it first, the most at stake first.
pub fn drill(key: KpiKey, stock: &Stock, window: Window) -> Drill {
    let today = window.today;
    if key == KpiKey::DemandSensing {
        return sensing_drill(stock, window);
    }
    let mut rows: Vec<(DrillMaterial, i64)> = stock
        .materials_at(today)
        .into_iter()
        .filter(|(_, c)| c.on_hand > 0.0 || c.shortfall() > 0.0)
        .map(|(row, c)| {
            let (sku, name) = stock.names.get(&row.material_id).cloned().unwrap_or_default();
            let (outcome, missed, at_stake) = match key {
                KpiKey::InventoryHealth => health_outcome(row, &c),
                _ => coverage_outcome(&c),
            };
            let material = DrillMaterial {
                id: row.material_id,
                sku,
                name,
                on_hand: row.on_hand,
                value_minor: c.value().round() as i64,
                coverage_days: c.coverage_days(),
                outcome,
                missed,
            };
            (material, at_stake)
        })
        .collect();
    let total = rows.len() as u32;
    rows.sort_by_key(|(m, at_stake)| (Reverse(m.missed), Reverse(*at_stake), m.id));
    Drill {
        key,
        total,
        orders: Vec::new(),
        materials: rows.into_iter().take(DRILL_LIMIT).map(|(m, _)| m).collect(),
    }
}

/// How long a material lasts; slow movers count against turnover and coverage, the
/// longest lasting first (never used: first of all).
fn coverage_outcome(c: &MaterialClose) -> (String, bool, i64) {
    match c.coverage_days() {
        None => (
            format!("not used by the orders of the last {PACE_DAYS} days"),
            c.slow(),
            i64::MAX,
        ),
        Some(days) => (
            format!("lasts {days:.0} days at the recent pace"),
            c.slow(),
            days.round() as i64,
        ),
    }
}

/// What weighs on the health index, and the value at stake.
fn health_outcome(row: &inventory_closes::Model, c: &MaterialClose) -> (String, bool, i64) {
    let mut reasons = Vec::new();
    let mut at_stake = 0.0;
    if c.slow() {
        reasons.push("slow mover".to_string());
    }
    if c.volatile {
        reasons.push("erratic demand (class Z)".to_string());
    }
    if c.slow() || c.volatile {
        at_stake += c.value();
    }
    if c.age.aged > 0 {
        reasons.push(format!(
            "{} of {} dated units over {} days old",
            c.age.aged,
            c.age.dated,
            inventory::AGED_AFTER_DAYS
        ));
        at_stake += c.age.aged as f64 * c.unit_cost;
    }
    if c.excess() > 0.0 {
        reasons.push(format!(
            "{:.0} units above its order-up-to level of {}",
            c.excess(),
            row.order_up_to.unwrap_or(0)
        ));
        at_stake += c.excess() * c.unit_cost;
    }
    if c.shortfall() > 0.0 {
        reasons.push(format!(
            "{:.0} units short of its safety stock of {}",
            c.shortfall(),
            row.safety_stock.unwrap_or(0)
        ));
        at_stake += c.shortfall() * c.unit_cost;
    }
    if reasons.is_empty() {
        return ("healthy".into(), false, 0);
    }
    (reasons.join("; "), true, at_stake.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn close(material_id: i64, on: u32, on_hand: i64) -> inventory_closes::Model {
        inventory_closes::Model {
            id: 0,
            shop_id: 1,
            material_id,
            day: day(on),
            on_hand,
            unit_cost_minor: 100,
            dated_units: 0,
            aged_units: 0,
            safety_stock: Some(5),
            reorder_point: Some(20),
            order_up_to: Some(40),
            xyz: Some("X".into()),
        }
    }

    /// Material 1 (cost 100) used 2 units a day from the 1st; closes of 50 units on
    /// the 15th, 20th, 22nd and 28th, and of 30 units of material 2 (unused) on the 28th.
    fn stock() -> Stock {
        let mut closes: BTreeMap<NaiveDate, Vec<inventory_closes::Model>> = BTreeMap::new();
        for on in [15, 20, 22] {
            closes.insert(day(on), vec![close(1, on, 50)]);
        }
        closes.insert(day(28), vec![close(1, 28, 50), close(2, 28, 30)]);
        Stock {
            closes,
            start: day(1),
            used: HashMap::from([(1, vec![2.0; 28]), (2, vec![0.0; 28])]),
            cost: HashMap::from([(1, 100), (2, 100)]),
            names: HashMap::from([
                (1, ("LIN".into(), "Linen".into())),
                (2, ("OLD".into(), "Old".into())),
            ]),
        }
    }

    #[test]
    fn turnover_and_coverage_follow_the_closes_week_by_week() {
        let window = Window::ending(day(28), 2);
        let kpis = kpis(&stock(), window);
        let by = |key| kpis.iter().find(|k| k.key == key).unwrap();
        // Week 0 (15th–21st): 200 a day used against closes of 5,000: 14.6 a year.
        let turnover = by(KpiKey::Turnover);
        assert!((turnover.weekly[0].value.unwrap() - 200.0 * 365.0 / 5_000.0).abs() < 1e-9);
        assert_eq!(turnover.weekly[0].count, 2);
        // Week 1 closes: 5,000 on the 22nd, 8,000 on the 28th.
        assert!((turnover.weekly[1].value.unwrap() - 200.0 * 365.0 / 6_500.0).abs() < 1e-9);
        assert_eq!(turnover.basis, "over 4 daily closes");
        // Coverage at the 28th: 8,000 of stock over 90 days of which 28 used 200 a day.
        let coverage = by(KpiKey::CoverageDays);
        let pace = 200.0 * 28.0 / 90.0;
        assert!((coverage.value.unwrap() - 8_000.0 / pace).abs() < 1e-9);
        assert_eq!(coverage.weekly[1].count, 2);
        assert_eq!(coverage.basis, "at today's close, over 2 materials");
    }

    #[test]
    fn the_health_drill_lists_what_weighs_on_it_first() {
        let s = stock();
        let window = Window::ending(day(28), 2);
        let d = drill(KpiKey::InventoryHealth, &s, window);
        assert_eq!(d.total, 2);
        // Material 2 is unused: a slow mover, its 3,000 at stake. Material 1 lasts 80
        // days (50 units at 56 used in 90 days), but holds 10 units (1,000) above its
        // order-up-to level.
        let ids: Vec<i64> = d.materials.iter().map(|m| m.id).collect();
        assert_eq!(ids, vec![2, 1], "{d:#?}");
        assert_eq!(d.materials[0].outcome, "slow mover");
        assert_eq!(
            d.materials[1].outcome,
            "10 units above its order-up-to level of 40"
        );
        assert!(d.materials.iter().all(|m| m.missed));
        let coverage = drill(KpiKey::CoverageDays, &s, window);
        // Never used first.
        assert_eq!(coverage.materials[0].id, 2);
        assert_eq!(
            coverage.materials[0].outcome,
            format!("not used by the orders of the last {PACE_DAYS} days")
        );
        assert_eq!(coverage.materials[1].outcome, "lasts 80 days at the recent pace");
    }

    #[test]
    fn a_change_in_demand_and_the_policy_that_followed_it_are_measured_and_listed() {
        // From March 1st: 2 a day for 60 days, then 4 a day; the reorder point goes
        // from 20 to 30 at the close of day 66, a week after the change (day 59).
        let start = day(1);
        let at = |i: u64| start + Days::new(i);
        let mut closes: BTreeMap<NaiveDate, Vec<inventory_closes::Model>> = BTreeMap::new();
        for i in 0..120 {
            let mut row = close(1, 1, 50);
            row.day = at(i);
            row.reorder_point = Some(if i >= 66 { 30 } else { 20 });
            closes.insert(at(i), vec![row]);
        }
        let s = Stock {
            closes,
            start,
            used: HashMap::from([(1, [vec![2.0; 60], vec![4.0; 60]].concat())]),
            cost: HashMap::from([(1, 100)]),
            names: HashMap::from([(1, ("LIN".into(), "Linen".into()))]),
        };
        let window = Window::ending(at(119), 17);
        let kpis = kpis(&s, window);
        let sensing = kpis.iter().find(|k| k.key == KpiKey::DemandSensing).unwrap();
        assert_eq!(sensing.value, Some(7.0));
        assert_eq!(sensing.basis, "over 1 change in demand");
        assert_eq!(
            sensing.aside.as_deref(),
            Some("noise moved policies 0 times (0 % of 1 move); 0 not followed within 56 days")
        );
        let week = window.week(at(59)).unwrap();
        assert_eq!(sensing.weekly[week].value, Some(7.0));
        assert_eq!(sensing.weekly[week].count, 1);
        let d = drill(KpiKey::DemandSensing, &s, window);
        assert_eq!(d.total, 1);
        assert_eq!(
            d.materials[0].outcome,
            format!("demand up 100 % after {}: followed after 7 days", at(59))
        );
        assert!(!d.materials[0].missed);
    }
}
