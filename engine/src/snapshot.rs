//! What every quote of one state version reuses, computed once: PRODUCT.md, "The
//! quote", made fast.
//!
//! - Per material and node, a *supply curve*: every source that can put uncommitted
//!   units there (stock on hand, confirmed inbound, transfers from other nodes' surplus,
//!   reserved supplier capacity) sorted by the day it arrives, with running totals. The
//!   ready date of a requirement is one binary search for the first total that covers it.
//! - Per work center, *prefix sums of free minutes* per day over the horizon, with and
//!   without the booked load. Placing an operation is one binary search for the day its
//!   last minute falls on.
//! - For the shop's shipping calendar, a prefix count of working days, so handling and
//!   transit days are two binary searches.
//!
//! Days are `u32` offsets from `today` throughout; dates appear only in answers.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use crate::calendar::WorkingCalendar;
use crate::policy::normal::inverse_normal_cdf;
use crate::requirements::MaterialId;
use crate::state::{NodeId, ShopState, SupplierOffer, WorkCenterId};
use crate::supply::{Z_P90, median_day};

/// The highest promise quantile a shop may choose: beyond it a normal tail says more
/// than any lead-time record can.
pub const MAX_PROMISE_QUANTILE: f64 = 0.999;

/// Working days beyond the horizon kept for handling and transit.
const SHIPPING_MARGIN_DAYS: u32 = 120;

/// Where a step of a supply curve comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepSource {
    /// Uncommitted stock at the node itself: `ShopState::stock[index]`.
    OnHand {
        /// Index into [`ShopState::stock`].
        stock: usize,
    },
    /// A confirmed inbound line: `ShopState::inbound[index]`.
    Inbound {
        /// Index into [`ShopState::inbound`].
        inbound: usize,
    },
    /// Surplus stock at another node, moved over a lane.
    Transfer {
        /// Index into [`ShopState::stock`] of the source node's row.
        stock: usize,
        /// Index into [`ShopState::lanes`].
        lane: usize,
    },
    /// Reserved supplier capacity: `ShopState::reservations[index]`.
    Reservation {
        /// Index into [`ShopState::reservations`].
        reservation: usize,
    },
}

/// One source on a supply curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SupplyStep {
    /// Day offset at which its units are expected at the node.
    pub day: u32,
    /// Units it brings.
    pub quantity: i64,
    /// Units of this and every earlier step.
    pub cumulative: i64,
    /// Cost per unit of using it (transfer cost; zero for local supply).
    pub cost_per_unit: i64,
    /// What it is.
    pub source: StepSource,
    /// The largest arrival spread (standard deviation, days) of this and every earlier
    /// step: a requirement covered here waits for all of them.
    pub sd_upto: f64,
}

/// The fastest active supplier of a material, with its lead time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestOffer {
    /// Index into [`ShopState::offers`].
    pub offer: usize,
    /// Median lead time, whole days ([`median_day`]).
    pub p50_days: u32,
    /// When an order placed today arrives, in days.
    pub arrival: Arrival,
}

/// When something is expected to arrive: a normal distribution over day offsets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrival {
    /// Mean, days from today.
    pub mean: f64,
    /// Standard deviation, days.
    pub sd: f64,
}

impl Arrival {
    /// A day that is certain.
    pub fn on(day: u32) -> Self {
        Arrival {
            mean: f64::from(day),
            sd: 0.0,
        }
    }

    /// The quantile `z` (standard normal units) of this arrival followed by a step
    /// whose duration spreads by `then_sd` days: the two are independent, so their
    /// variances add.
    pub fn at(&self, z: f64, then_sd: f64) -> f64 {
        self.mean + z * self.sd.hypot(then_sd)
    }
}

/// When a requirement is covered, as day offsets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ready {
    /// Median day.
    pub p50: u32,
    /// When it is expected.
    pub arrival: Arrival,
    /// A slower source the requirement is covered by anyway (the supply curve a new
    /// supplier order races against): the later quantiles are capped by it.
    pub fallback: Option<Arrival>,
    /// What covers the last unit.
    pub via: ReadyVia,
}

impl Ready {
    /// The day offset by which it is covered with the probability of `z` (standard
    /// normal units), with `then_sd` days of spread added after it (production's).
    pub fn day_at(&self, z: f64, then_sd: f64) -> u32 {
        let own = self.arrival.at(z, then_sd);
        let day = self.fallback.map_or(own, |f| own.min(f.at(z, then_sd)));
        // Rounded up, not to the whole-day quantile `⌈q − ½⌉` the median takes
        // (`median_day`): the replay kept far fewer promises that way (ARCHITECTURE.md,
        // "The replay"). Never before the median (a quantile below it is not asked for).
        (day.ceil().max(0.0) as u32).max(self.p50)
    }
}

/// What covers the last unit of a requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadyVia {
    /// Supply curve steps `0..=step`.
    Curve {
        /// Index of the covering step.
        step: usize,
    },
    /// The supply curve up to (excluding) `used_steps`, then a new supplier order.
    Supplier {
        /// Index into [`ShopState::offers`].
        offer: usize,
        /// Order quantity, MOQ and pack size applied.
        order_quantity: i64,
        /// How many curve steps (all that arrive before the order) are used too.
        used_steps: usize,
    },
}

/// Prefix sums of one work center's free minutes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityPrefix {
    /// `free[i]` = sum of free minutes on day offsets `0..i` (length horizon + 2).
    pub free: Vec<u64>,
    /// The same ignoring booked load: what an empty line could do.
    pub open: Vec<u64>,
}

/// Where one operation landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Day offset of its last minute.
    pub end: u32,
    /// Position on the prefix-sum axis where it started and ended (for allocation).
    pub from: u64,
    /// See `from`.
    pub to: u64,
}

/// The precomputed view of one [`ShopState`].
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The state it was built from.
    pub state: ShopState,
    curves: HashMap<(MaterialId, NodeId), Vec<SupplyStep>>,
    best_offer: Vec<Option<BestOffer>>,
    capacity: Vec<CapacityPrefix>,
    /// `shipping[i]` = number of shipping days among offsets `0..i`.
    shipping: Vec<u32>,
    /// Per work center, its mean minutes per working day over the horizon (what turns
    /// a spread in minutes into one in days).
    daily_minutes: Vec<f64>,
    /// The promise quantile in standard normal units.
    promise_z: f64,
}

impl Snapshot {
    /// Precomputes everything quotes reuse from `state`.
    pub fn build(state: ShopState) -> Snapshot {
        let curves = supply_curves(&state);
        let best_offer = (0..state.materials.len())
            .map(|m| best_offer(&state.offers, m as MaterialId))
            .collect();
        let capacity: Vec<CapacityPrefix> = state
            .work_centers
            .iter()
            .map(|wc| capacity_prefix(&wc.load, state.today, state.horizon_days))
            .collect();
        let shipping = working_prefix(
            &state.shipping,
            state.today,
            state.horizon_days + SHIPPING_MARGIN_DAYS,
        );
        let daily_minutes = capacity.iter().map(mean_daily_minutes).collect();
        let promise_z = inverse_normal_cdf(state.promise_quantile.clamp(0.5, MAX_PROMISE_QUANTILE));
        Snapshot {
            state,
            curves,
            best_offer,
            capacity,
            shipping,
            daily_minutes,
            promise_z,
        }
    }

    /// The promise quantile of the shop in standard normal units (1.88 for 97 %).
    pub fn promise_z(&self) -> f64 {
        self.promise_z
    }

    /// The spread, in days, that `operations` add to a delivery: each operation's
    /// minutes times its work center's pace spread, in that center's working days,
    /// summed (one order's operations are not independent draws: a slow week slows
    /// them all).
    pub fn production_sd(&self, operations: &[crate::schedule::Operation]) -> f64 {
        operations
            .iter()
            .map(|op| {
                let sd = self
                    .state
                    .work_centers
                    .get(op.work_center)
                    .map_or(0.0, |wc| wc.pace.sd);
                let daily = self.daily_minutes.get(op.work_center).copied().unwrap_or(0.0);
                if sd > 0.0 && daily > 0.0 {
                    f64::from(op.minutes) * sd / daily
                } else {
                    0.0
                }
            })
            .sum()
    }

    /// The date of day offset `day`.
    pub fn date(&self, day: u32) -> NaiveDate {
        self.state.today + Days::new(u64::from(day))
    }

    /// The day offset of `date` (dates before today count as today).
    pub fn offset(&self, date: NaiveDate) -> u32 {
        (date - self.state.today).num_days().max(0) as u32
    }

    /// The supply curve of `material` at `node` (empty when nothing supplies it there).
    pub fn curve(&self, material: MaterialId, node: NodeId) -> &[SupplyStep] {
        self.curves
            .get(&(material, node))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The fastest active supplier of `material`.
    pub fn best_offer(&self, material: MaterialId) -> Option<BestOffer> {
        self.best_offer.get(material as usize).copied().flatten()
    }

    /// Units of `material` at `node` uncommitted today (no waiting).
    pub fn on_hand_today(&self, material: MaterialId, node: NodeId) -> i64 {
        let curve = self.curve(material, node);
        let today = curve.partition_point(|s| s.day == 0);
        if today == 0 {
            0
        } else {
            curve[today - 1].cumulative
        }
    }

    /// The earliest day uncommitted supply of `material` at `node` covers `required`,
    /// or `None` when nothing can.
    ///
    /// A new supplier order runs in parallel with the curve: it wins when its median
    /// arrival is before the curve step that would complete the requirement, and the
    /// P90 day is then the earlier of its pessimistic arrival and that step.
    pub fn ready(&self, material: MaterialId, node: NodeId, required: i64) -> Option<Ready> {
        let by_curve = self.ready_on_curve(material, node, required);
        if required <= 0 {
            return by_curve;
        }
        let by_supplier = self.best_offer(material).map(|best| {
            let curve = self.curve(material, node);
            let used_steps = curve.partition_point(|s| s.day < best.p50_days);
            let have = used_steps.checked_sub(1).map_or(0, |i| curve[i].cumulative);
            let terms = self.state.offers[best.offer].terms;
            Ready {
                p50: best.p50_days,
                arrival: best.arrival,
                fallback: None,
                via: ReadyVia::Supplier {
                    offer: best.offer,
                    order_quantity: terms.order_quantity(required - have),
                    used_steps,
                },
            }
        });
        match (by_curve, by_supplier) {
            (Some(curve), Some(supplier)) if supplier.p50 < curve.p50 => Some(Ready {
                fallback: Some(curve.arrival),
                ..supplier
            }),
            (Some(curve), _) => Some(curve),
            (None, supplier) => supplier,
        }
    }

    /// The earliest day supply already there or on its way (stock, inbound, transfers,
    /// reserved capacity: the supply curve, no new supplier order) covers `required`
    /// of `material` at `node`, or `None` when it cannot.
    pub fn ready_on_curve(&self, material: MaterialId, node: NodeId, required: i64) -> Option<Ready> {
        if required <= 0 {
            return Some(Ready {
                p50: 0,
                arrival: Arrival::on(0),
                fallback: None,
                via: ReadyVia::Curve { step: usize::MAX },
            });
        }
        let curve = self.curve(material, node);
        let covering = curve.partition_point(|s| s.cumulative < required);
        curve.get(covering).map(|s| Ready {
            p50: s.day,
            arrival: Arrival {
                mean: f64::from(s.day),
                sd: s.sd_upto,
            },
            fallback: None,
            via: ReadyVia::Curve { step: covering },
        })
    }

    /// The prefix sums of `work_center`.
    pub fn capacity(&self, work_center: WorkCenterId) -> &CapacityPrefix {
        &self.capacity[work_center]
    }

    /// Places `minutes` on `work_center` starting on day `start`, after position
    /// `cursor` on its prefix axis (minutes this quote already took there). `open`
    /// ignores the booked load. `None` when it does not fit within the horizon.
    pub fn place(
        &self,
        work_center: WorkCenterId,
        open: bool,
        start: u32,
        cursor: u64,
        minutes: u32,
    ) -> Option<Placement> {
        let prefix = self.capacity.get(work_center)?;
        let prefix = if open { &prefix.open } else { &prefix.free };
        let from = (*prefix.get(start as usize)?).max(cursor);
        let to = from + u64::from(minutes);
        if minutes == 0 {
            return Some(Placement { end: start, from, to });
        }
        // The last minute falls on the first day `e` whose running total reaches `to`:
        // prefix[e + 1] >= to.
        let after = prefix.partition_point(|&p| p < to);
        if after >= prefix.len() {
            return None;
        }
        let end = (after - 1).max(start as usize) as u32;
        Some(Placement { end, from, to })
    }

    /// Day `from` plus `days` shipping days (`from` itself never counts), moved on to
    /// the next shipping day if it is not one; `None` beyond the shipping horizon.
    pub fn add_shipping_days(&self, from: u32, days: u32) -> Option<u32> {
        let s = &self.shipping;
        let before = *s.get(from as usize)?;
        let through = *s.get(from as usize + 1)?;
        // The shipping day whose running count (inclusive) reaches `target`.
        let target = (through + days).max(before + 1);
        let after = s.partition_point(|&c| c < target);
        (after < s.len()).then(|| (after - 1) as u32)
    }
}

fn supply_curves(state: &ShopState) -> HashMap<(MaterialId, NodeId), Vec<SupplyStep>> {
    let today = state.today;
    let offset = |date: NaiveDate| (date - today).num_days().max(0) as u32;
    let mut raw: HashMap<(MaterialId, NodeId), Vec<SupplyStep>> = HashMap::new();
    let mut push = |key, day, quantity: i64, cost_per_unit, source, sd: f64| {
        if quantity > 0 {
            raw.entry(key).or_default().push(SupplyStep {
                day,
                quantity,
                cumulative: 0,
                cost_per_unit,
                source,
                sd_upto: sd.max(0.0),
            });
        }
    };
    for (i, s) in state.stock.iter().enumerate() {
        let free = s.on_hand - s.reserved;
        push(
            (s.material, s.node),
            0,
            free,
            0,
            StepSource::OnHand { stock: i },
            0.0,
        );
        for (l, lane) in state.lanes.iter().enumerate().filter(|(_, l)| l.from == s.node) {
            push(
                (s.material, lane.to),
                lane.lead_time_days,
                free,
                lane.cost_per_unit,
                StepSource::Transfer { stock: i, lane: l },
                0.0,
            );
        }
    }
    for (i, line) in state.inbound.iter().enumerate() {
        push(
            (line.material, line.node),
            offset(line.eta),
            line.uncommitted,
            0,
            StepSource::Inbound { inbound: i },
            line.sd_days,
        );
    }
    for (i, r) in state
        .reservations
        .iter()
        .enumerate()
        .filter(|(_, r)| r.window_end >= today)
    {
        push(
            (r.material, r.node),
            offset(r.window_start),
            r.quantity,
            0,
            StepSource::Reservation { reservation: i },
            0.0,
        );
    }
    for steps in raw.values_mut() {
        // Earliest first; on the same day the cheaper source is used first, so ties in
        // date go to the lower cost (PRODUCT.md, step 5).
        steps.sort_by_key(|s| (s.day, s.cost_per_unit, kind_rank(s.source)));
        let mut total = 0;
        let mut sd: f64 = 0.0;
        for step in steps.iter_mut() {
            total += step.quantity;
            step.cumulative = total;
            sd = sd.max(step.sd_upto);
            step.sd_upto = sd;
        }
    }
    raw
}

/// Local supply before transfers before reservations when day and cost tie.
fn kind_rank(source: StepSource) -> u8 {
    match source {
        StepSource::OnHand { .. } => 0,
        StepSource::Inbound { .. } => 1,
        StepSource::Transfer { .. } => 2,
        StepSource::Reservation { .. } => 3,
    }
}

fn best_offer(offers: &[SupplierOffer], material: MaterialId) -> Option<BestOffer> {
    offers
        .iter()
        .enumerate()
        .filter(|(_, o)| o.material == material)
        .map(|(i, o)| {
            let arrival = Arrival {
                mean: o.terms.lead_time_mean_days.max(0.0),
                sd: o.terms.lead_time_sd_days.max(0.0),
            };
            let p90 = arrival.at(Z_P90, 0.0).ceil() as u32;
            let best = BestOffer {
                offer: i,
                p50_days: median_day(arrival.mean),
                arrival,
            };
            (best, p90, o.price)
        })
        .min_by_key(|(b, p90, price)| (b.p50_days, *p90, *price))
        .map(|(b, _, _)| b)
}

/// Mean free minutes per day with any capacity, on an empty line.
fn mean_daily_minutes(prefix: &CapacityPrefix) -> f64 {
    let open = &prefix.open;
    let working = open.windows(2).filter(|w| w[1] > w[0]).count();
    match (open.last(), working) {
        (Some(&total), n) if n > 0 => total as f64 / n as f64,
        _ => 0.0,
    }
}

fn capacity_prefix(load: &crate::schedule::WorkCenterLoad, today: NaiveDate, horizon: u32) -> CapacityPrefix {
    let days = horizon as usize + 1;
    let mut free = Vec::with_capacity(days + 1);
    let mut open = Vec::with_capacity(days + 1);
    free.push(0);
    open.push(0);
    for (i, day) in today.iter_days().take(days).enumerate() {
        let working = if load.calendar.is_working_day(day) {
            u64::from(load.minutes_per_day)
        } else {
            0
        };
        free.push(free[i] + u64::from(load.free_minutes(day)));
        open.push(open[i] + working);
    }
    CapacityPrefix { free, open }
}

fn working_prefix(calendar: &WorkingCalendar, today: NaiveDate, days: u32) -> Vec<u32> {
    let mut prefix = Vec::with_capacity(days as usize + 2);
    prefix.push(0);
    for (i, day) in today.iter_days().take(days as usize + 1).enumerate() {
        prefix.push(prefix[i] + u32::from(calendar.is_working_day(day)));
    }
    prefix
}

#[cfg(test)]
mod tests;
