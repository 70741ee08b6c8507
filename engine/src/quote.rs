//! The answer for one configuration: PRODUCT.md, "The quote", steps 1 to 6.
//!
//! [`Snapshot::quote`] is the fast path the per-option matrix calls dozens of times: it
//! works on day offsets, allocates two small vectors and does a binary search per
//! material and per operation. [`Snapshot::plan`] additionally returns what the
//! configuration would consume (the fulfilment path), which an order reserves.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::requirements::MaterialId;
use crate::schedule::Operation;
use crate::snapshot::{Ready, ReadyVia, Snapshot, StepSource};
use crate::state::{NodeId, Product, WorkCenterId};
use crate::supply::Z_P90;

/// The chosen values of a configuration: `(group, value)` indices into the product's
/// catalog, sorted.
pub type Chosen = [(usize, usize)];

/// When a configuration arrives and what holds it up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Base price plus the chosen values' deltas, for one unit.
    pub price: Money,
    /// Median delivery date.
    pub p50: NaiveDate,
    /// 90th percentile delivery date.
    pub p90: NaiveDate,
    /// The date an order commits to ("arrives by"): the shop's promise quantile
    /// (97 % unless it chose another) of the delivery date, from the combined spread of
    /// the binding material's arrival and production.
    pub promised: NaiveDate,
    /// Calendar days from today to `p50`.
    pub lead_days_p50: u32,
    /// Calendar days from today to `p90`.
    pub lead_days_p90: u32,
    /// Calendar days from today to `promised`.
    pub lead_days_promised: u32,
    /// The day production completes (median).
    pub completion: NaiveDate,
    /// Whether the generic operations were skipped because generic parts are in stock.
    pub postponed: bool,
    /// What decides the date.
    pub constraint: Constraint,
}

/// The binding constraint of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Constraint {
    /// Every material is on hand and the line is free: only production time counts.
    Production,
    /// Waiting for a material.
    Material {
        /// The material waited for.
        material: MaterialId,
        /// When it is at the producing node (median).
        ready_on: NaiveDate,
        /// Where its last needed unit comes from.
        source: Source,
    },
    /// A work center's booked load delays completion.
    Capacity {
        /// The work center.
        work_center: WorkCenterId,
        /// The day the delayed operation finishes.
        booked_until: NaiveDate,
        /// Days later than on an empty line.
        delay_days: u32,
    },
}

/// A source of units: a step of a supply curve, or a new supplier order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// Stock, inbound, a transfer or reserved capacity (a supply-curve step).
    Supply(StepSource),
    /// A new order to a supplier (`ShopState::offers[offer]`); the units beyond what is
    /// needed are surplus.
    SupplierOrder {
        /// Index into `ShopState::offers`.
        offer: usize,
        /// Units to order, MOQ and pack size applied.
        order_quantity: i64,
    },
}

/// Why a configuration cannot be promised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unavailable {
    /// Not enough stock or inbound, and no active supplier.
    NoSupply {
        /// The short material.
        material: MaterialId,
    },
    /// The material arrives only after the product's limit (max lead time or end of sale).
    PastLimit {
        /// The short material.
        material: MaterialId,
        /// When it could be there.
        ready_on: NaiveDate,
        /// The last acceptable day.
        limit: NaiveDate,
    },
    /// A work center has no room for the routing within the horizon.
    NoCapacity {
        /// The full work center.
        work_center: WorkCenterId,
    },
    /// A presale product's first batch cannot make it: the supply on its way lacks a
    /// material (`Some`), or the batch's capacity is taken (`None`), by its last day.
    BatchSoldOut {
        /// The material the batch has run out of, if that is what is missing.
        material: Option<MaterialId>,
        /// The batch's last day.
        until: NaiveDate,
    },
}

/// What a configuration consumes: the fulfilment path, as an order would reserve it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Where it is made.
    pub producing_node: NodeId,
    /// Every use of a supply source, per material.
    pub materials: Vec<MaterialUse>,
    /// Minutes taken per work center and day.
    pub minutes: Vec<MinutesUse>,
    /// The routing's operations in order, with the minutes each was booked for and
    /// the minutes its routing states (what finished work is measured against).
    #[serde(default)]
    pub operations: Vec<OperationUse>,
    /// Transfer and purchase cost of the sourcing, minor units.
    pub sourcing_cost: i64,
}

/// Units of a material taken from one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialUse {
    /// The material.
    pub material: MaterialId,
    /// The source.
    pub source: Source,
    /// Units taken.
    pub quantity: i64,
    /// When they are at the producing node.
    pub arrives: NaiveDate,
}

/// Minutes one operation takes on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesUse {
    /// The work center.
    pub work_center: WorkCenterId,
    /// The day.
    pub day: NaiveDate,
    /// Minutes taken.
    pub minutes: u32,
}

/// One operation of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationUse {
    /// The work center.
    pub work_center: WorkCenterId,
    /// Minutes booked for it (at the work center's pace).
    pub minutes: u32,
    /// Minutes its routing states.
    pub planned: u32,
}

/// The scheduled operations of a quote.
struct Scheduled {
    completion: u32,
    /// `(work center, start day, placement)` per operation, on the booked axis.
    placements: Vec<(WorkCenterId, u32, crate::snapshot::Placement)>,
}

impl Snapshot {
    /// The quote for `quantity` units of `product` with `chosen` values (already
    /// validated against the catalog).
    pub fn quote(&self, product: &Product, chosen: &Chosen, quantity: u32) -> Result<Quote, Unavailable> {
        self.evaluate(product, chosen, quantity, false).map(|(q, _)| q)
    }

    /// The quote and the fulfilment path: which sources and minutes it would consume.
    pub fn plan(
        &self,
        product: &Product,
        chosen: &Chosen,
        quantity: u32,
    ) -> Result<(Quote, Plan), Unavailable> {
        self.evaluate(product, chosen, quantity, true)
            .map(|(q, p)| (q, p.unwrap_or_default()))
    }

    /// Whether `quantity` units of the product's generic part are on hand at its
    /// producing node, so its generic operations can be skipped.
    pub fn postpones(&self, product: &Product, quantity: u32) -> bool {
        product
            .generic_part
            .is_some_and(|part| self.on_hand_today(part, product.producing_node) >= i64::from(quantity))
    }

    /// Requirements per material, sorted by material.
    pub fn requirements(&self, product: &Product, chosen: &Chosen, quantity: u32) -> Vec<(MaterialId, i64)> {
        self.needs(product, chosen, quantity, self.postpones(product, quantity))
    }

    fn needs(
        &self,
        product: &Product,
        chosen: &Chosen,
        quantity: u32,
        postponed: bool,
    ) -> Vec<(MaterialId, i64)> {
        let q = i64::from(quantity);
        let mut needs: Vec<(MaterialId, i64)> =
            Vec::with_capacity(product.bom.len() + product.generic_bom.len() + chosen.len() * 2 + 1);
        needs.extend(product.bom.iter().map(|line| (line.material, line.quantity * q)));
        match (postponed, product.generic_part) {
            (true, Some(part)) => needs.push((part, q)),
            _ => needs.extend(
                product
                    .generic_bom
                    .iter()
                    .map(|line| (line.material, line.quantity * q)),
            ),
        }
        for &(g, v) in chosen {
            for line in &product.recipes[g][v].bom {
                needs.push((line.material, line.quantity * q));
            }
        }
        needs.sort_unstable_by_key(|(m, _)| *m);
        needs.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 += later.1;
                true
            } else {
                false
            }
        });
        needs.retain(|(_, q)| *q > 0);
        needs
    }

    fn operations(
        &self,
        product: &Product,
        chosen: &Chosen,
        quantity: u32,
        postponed: bool,
    ) -> Vec<Operation> {
        let steps = product
            .routing
            .iter()
            .filter(|s| !(postponed && s.generic))
            .chain(
                chosen
                    .iter()
                    .flat_map(|&(g, v)| &product.recipes[g][v].operations),
            );
        steps
            .map(|s| {
                // A work center that really takes longer than its routings say is booked
                // for the minutes it really takes.
                let ratio = self
                    .state
                    .work_centers
                    .get(s.work_center)
                    .map_or(1.0, |wc| wc.pace.ratio);
                Operation::at_pace(
                    s.work_center,
                    s.setup_minutes,
                    s.minutes_per_unit,
                    quantity,
                    ratio,
                )
            })
            .collect()
    }

    /// Places `operations` in sequence from day `start`; `open` ignores booked load.
    fn schedule(&self, operations: &[Operation], start: u32, open: bool) -> Result<Scheduled, Unavailable> {
        let mut day = start;
        let mut cursors: Vec<(WorkCenterId, u64)> = Vec::with_capacity(4);
        let mut placements = Vec::with_capacity(operations.len());
        for op in operations {
            let cursor = cursors
                .iter()
                .find(|(wc, _)| *wc == op.work_center)
                .map_or(0, |(_, c)| *c);
            let placed =
                self.place(op.work_center, open, day, cursor, op.minutes)
                    .ok_or(Unavailable::NoCapacity {
                        work_center: op.work_center,
                    })?;
            match cursors.iter_mut().find(|(wc, _)| *wc == op.work_center) {
                Some(entry) => entry.1 = placed.to,
                None => cursors.push((op.work_center, placed.to)),
            }
            placements.push((op.work_center, day, placed));
            day = placed.end;
        }
        Ok(Scheduled {
            completion: day,
            placements,
        })
    }

    fn evaluate(
        &self,
        product: &Product,
        chosen: &Chosen,
        quantity: u32,
        detailed: bool,
    ) -> Result<(Quote, Option<Plan>), Unavailable> {
        let node = product.producing_node;
        let postponed = self.postpones(product, quantity);
        let needs = self.needs(product, chosen, quantity, postponed);
        // A presale product's first batch is made only from supply already on its way,
        // by the batch's last day (see `batch`).
        let batch = product.first_batch_until.map(|until| (until, self.offset(until)));
        let sold_out = |material| Unavailable::BatchSoldOut {
            material,
            until: batch.map_or(self.state.today, |(until, _)| until),
        };

        // Production's spread joins each material's on the path through it, so the later
        // quantiles come from the whole path's uncertainty, not one supplier's alone.
        let operations = self.operations(product, chosen, quantity, postponed);
        let production_sd = self.production_sd(&operations);
        let (z90, z_promise) = (Z_P90, self.promise_z());
        let from_production = |z: f64| (z * production_sd).ceil().max(0.0) as u32;

        // Step 2: the latest material decides when production can start. The plan
        // reuses each ready date (an empty `Vec` does not allocate when not asked for).
        let mut start_p50 = 0;
        let mut start_p90 = from_production(z90);
        let mut start_promise = from_production(z_promise);
        let mut binding: Option<(MaterialId, Ready)> = None;
        let mut readies = Vec::new();
        for &(material, required) in &needs {
            let ready = match batch {
                None => self
                    .ready(material, node, required)
                    .ok_or(Unavailable::NoSupply { material })?,
                Some((_, last)) => self
                    .ready_on_curve(material, node, required)
                    .filter(|r| r.p50 <= last)
                    .ok_or_else(|| sold_out(Some(material)))?,
            };
            if detailed {
                readies.push((material, required, ready));
            }
            if ready.p50 > start_p50 {
                start_p50 = ready.p50;
                binding = Some((material, ready));
            }
            start_p90 = start_p90.max(ready.day_at(z90, production_sd));
            start_promise = start_promise.max(ready.day_at(z_promise, production_sd));
        }

        // Step 3: finite capacity, and an empty line for comparison.
        let booked = self.schedule(&operations, start_p50, false)?;
        let completion_from = |start: u32| -> Result<u32, Unavailable> {
            if start <= start_p50 {
                Ok(booked.completion)
            } else {
                Ok(self.schedule(&operations, start, false)?.completion)
            }
        };
        let completion_p90 = completion_from(start_p90)?;
        let completion_promise = if start_promise == start_p90 {
            completion_p90
        } else {
            completion_from(start_promise)?
        };
        let open = self.schedule(&operations, start_p50, true)?;
        if batch.is_some_and(|(_, last)| booked.completion > last) {
            return Err(sold_out(None));
        }

        // Step 4: handling and transit in the shop's calendar.
        let deliver = |completion: u32| {
            let ships = self.add_shipping_days(completion, product.handling_days)?;
            self.add_shipping_days(ships, self.state.transit_days)
        };
        let beyond = || Unavailable::NoCapacity {
            work_center: operations.last().map_or(0, |o| o.work_center),
        };
        let p50 = deliver(booked.completion).ok_or_else(beyond)?;
        let p90 = deliver(completion_p90).ok_or_else(beyond)?.max(p50);
        let promised = deliver(completion_promise).ok_or_else(beyond)?.max(p90);

        let constraint = self.binding_constraint(node, binding, &booked, &open);
        let price = product.catalog.price_of(chosen);
        let quote = Quote {
            price,
            p50: self.date(p50),
            p90: self.date(p90),
            promised: self.date(promised),
            lead_days_p50: p50,
            lead_days_p90: p90,
            lead_days_promised: promised,
            completion: self.date(booked.completion),
            postponed,
            constraint,
        };
        let plan = detailed.then(|| self.consumption(node, &readies, &operations, &booked));
        Ok((quote, plan))
    }

    /// Material wait against capacity delay: the larger one binds; a tie goes to the
    /// material, which the merchant can act on sooner.
    fn binding_constraint(
        &self,
        node: NodeId,
        binding: Option<(MaterialId, Ready)>,
        booked: &Scheduled,
        open: &Scheduled,
    ) -> Constraint {
        let material_wait = binding.map_or(0, |(_, r)| r.p50);
        let delay = booked.completion.saturating_sub(open.completion);
        if delay > 0 && delay > material_wait {
            // The operation whose own finish slipped the most against the empty line.
            let mut worst = (0, 0u32, booked.placements[0].0);
            let mut previous_slip = 0u32;
            for (i, (wc, _, placed)) in booked.placements.iter().enumerate() {
                let slip = placed.end.saturating_sub(open.placements[i].2.end);
                let added = slip.saturating_sub(previous_slip);
                if added > worst.1 {
                    worst = (i, added, *wc);
                }
                previous_slip = slip;
            }
            return Constraint::Capacity {
                work_center: worst.2,
                booked_until: self.date(booked.placements[worst.0].2.end),
                delay_days: delay,
            };
        }
        match binding {
            Some((material, ready)) => Constraint::Material {
                material,
                ready_on: self.date(ready.p50),
                source: self.source_of(material, node, ready),
            },
            None => Constraint::Production,
        }
    }

    /// What covers the last unit of a requirement whose ready date is `ready`.
    fn source_of(&self, material: MaterialId, node: NodeId, ready: Ready) -> Source {
        match ready.via {
            ReadyVia::Supplier {
                offer,
                order_quantity,
                ..
            } => Source::SupplierOrder {
                offer,
                order_quantity,
            },
            // A covering step always exists on the curve (only an empty requirement
            // has none, and it never binds).
            ReadyVia::Curve { step } => Source::Supply(self.curve(material, node)[step].source),
        }
    }

    fn consumption(
        &self,
        node: NodeId,
        readies: &[(MaterialId, i64, Ready)],
        operations: &[Operation],
        booked: &Scheduled,
    ) -> Plan {
        let mut plan = Plan {
            producing_node: node,
            operations: operations
                .iter()
                .map(|op| OperationUse {
                    work_center: op.work_center,
                    minutes: op.minutes,
                    planned: op.planned,
                })
                .collect(),
            ..Plan::default()
        };
        for &(material, required, ready) in readies {
            let curve = self.curve(material, node);
            let used = match ready.via {
                ReadyVia::Curve { step } => step.saturating_add(1).min(curve.len()),
                ReadyVia::Supplier { used_steps, .. } => used_steps,
            };
            let mut left = required;
            for step in &curve[..used] {
                let take = step.quantity.min(left);
                if take <= 0 {
                    break;
                }
                left -= take;
                plan.sourcing_cost += take * step.cost_per_unit;
                plan.materials.push(MaterialUse {
                    material,
                    source: Source::Supply(step.source),
                    quantity: take,
                    arrives: self.date(step.day),
                });
            }
            if let (
                ReadyVia::Supplier {
                    offer,
                    order_quantity,
                    ..
                },
                true,
            ) = (ready.via, left > 0)
            {
                plan.sourcing_cost += order_quantity * self.state.offers[offer].price;
                plan.materials.push(MaterialUse {
                    material,
                    source: Source::SupplierOrder {
                        offer,
                        order_quantity,
                    },
                    quantity: left,
                    arrives: self.date(ready.p50),
                });
            }
        }
        plan.minutes = self.minutes_of(booked);
        plan
    }

    /// The minutes `booked` takes, per work center and day.
    fn minutes_of(&self, booked: &Scheduled) -> Vec<MinutesUse> {
        let mut minutes = Vec::new();
        for &(wc, start, placed) in &booked.placements {
            let prefix = &self.capacity(wc).free;
            let mut day = start;
            while day <= placed.end {
                let lo = prefix[day as usize].max(placed.from);
                let hi = prefix[day as usize + 1].min(placed.to);
                if hi > lo {
                    minutes.push(MinutesUse {
                        work_center: wc,
                        day: self.date(day),
                        minutes: (hi - lo) as u32,
                    });
                }
                day += 1;
            }
        }
        minutes
    }

    /// `operations` (an order's, as booked) scheduled afresh from `start` on the free
    /// capacity: the minutes they take per work center and day, or `None` when they do
    /// not fit within the horizon. What moving an order's production earlier books,
    /// on a state its own minutes were released from ([`ShopState::release_minutes`]).
    ///
    /// [`ShopState::release_minutes`]: crate::state::ShopState::release_minutes
    pub fn reschedule(&self, operations: &[OperationUse], start: NaiveDate) -> Option<Vec<MinutesUse>> {
        let operations: Vec<Operation> = operations
            .iter()
            .map(|op| Operation {
                work_center: op.work_center,
                minutes: op.minutes,
                planned: op.planned,
            })
            .collect();
        let booked = self.schedule(&operations, self.offset(start), false).ok()?;
        Some(self.minutes_of(&booked))
    }
}

#[cfg(test)]
mod tests;
