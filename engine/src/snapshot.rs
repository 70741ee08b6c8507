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
use crate::requirements::MaterialId;
use crate::state::{NodeId, ShopState, SupplierOffer, WorkCenterId};
use crate::supply::Z_P90;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupplyStep {
    /// Day offset at which its units are at the node.
    pub day: u32,
    /// Units it brings.
    pub quantity: i64,
    /// Units of this and every earlier step.
    pub cumulative: i64,
    /// Cost per unit of using it (transfer cost; zero for local supply).
    pub cost_per_unit: i64,
    /// What it is.
    pub source: StepSource,
}

/// The fastest active supplier of a material, with its lead times in whole days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestOffer {
    /// Index into [`ShopState::offers`].
    pub offer: usize,
    /// Median lead time, days (rounded up).
    pub p50_days: u32,
    /// 90th percentile lead time, days (rounded up).
    pub p90_days: u32,
}

/// When a requirement is covered, as day offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ready {
    /// Median day.
    pub p50: u32,
    /// 90th percentile day.
    pub p90: u32,
    /// What covers the last unit.
    pub via: ReadyVia,
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
}

impl Snapshot {
    /// Precomputes everything quotes reuse from `state`.
    pub fn build(state: ShopState) -> Snapshot {
        let curves = supply_curves(&state);
        let best_offer = (0..state.materials.len())
            .map(|m| best_offer(&state.offers, m as MaterialId))
            .collect();
        let capacity = state
            .work_centers
            .iter()
            .map(|wc| capacity_prefix(&wc.load, state.today, state.horizon_days))
            .collect();
        let shipping = working_prefix(
            &state.shipping,
            state.today,
            state.horizon_days + SHIPPING_MARGIN_DAYS,
        );
        Snapshot {
            state,
            curves,
            best_offer,
            capacity,
            shipping,
        }
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
                p90: best.p90_days,
                via: ReadyVia::Supplier {
                    offer: best.offer,
                    order_quantity: terms.order_quantity(required - have),
                    used_steps,
                },
            }
        });
        match (by_curve, by_supplier) {
            (Some(curve), Some(supplier)) if supplier.p50 < curve.p50 => Some(Ready {
                p90: supplier.p90.min(curve.p50),
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
                p90: 0,
                via: ReadyVia::Curve { step: usize::MAX },
            });
        }
        let curve = self.curve(material, node);
        let covering = curve.partition_point(|s| s.cumulative < required);
        curve.get(covering).map(|s| Ready {
            p50: s.day,
            p90: s.day,
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
    let mut push = |key, day, quantity: i64, cost_per_unit, source| {
        if quantity > 0 {
            raw.entry(key).or_default().push(SupplyStep {
                day,
                quantity,
                cumulative: 0,
                cost_per_unit,
                source,
            });
        }
    };
    for (i, s) in state.stock.iter().enumerate() {
        let free = s.on_hand - s.reserved;
        push((s.material, s.node), 0, free, 0, StepSource::OnHand { stock: i });
        for (l, lane) in state.lanes.iter().enumerate().filter(|(_, l)| l.from == s.node) {
            push(
                (s.material, lane.to),
                lane.lead_time_days,
                free,
                lane.cost_per_unit,
                StepSource::Transfer { stock: i, lane: l },
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
        );
    }
    for steps in raw.values_mut() {
        // Earliest first; on the same day the cheaper source is used first, so ties in
        // date go to the lower cost (PRODUCT.md, step 5).
        steps.sort_by_key(|s| (s.day, s.cost_per_unit, kind_rank(s.source)));
        let mut total = 0;
        for step in steps.iter_mut() {
            total += step.quantity;
            step.cumulative = total;
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
            let mean = o.terms.lead_time_mean_days.max(0.0);
            let p90 = (mean + Z_P90 * o.terms.lead_time_sd_days.max(0.0)).ceil() as u32;
            (
                BestOffer {
                    offer: i,
                    p50_days: mean.ceil() as u32,
                    p90_days: p90,
                },
                o.price,
            )
        })
        .min_by_key(|(b, price)| (b.p50_days, b.p90_days, *price))
        .map(|(b, _)| b)
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
