//! One run of a replay: the shop on its own copy, a simulated clock, and the day's
//! round: receipts, shoppers, production and deliveries, the merchant's purchasing,
//! and the check that nothing was promised twice.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use app::model::QuoteRequest;
use app::model::admin::{InboundAction, NewPurchaseOrder};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Statement};

use super::demand::Demand;
use super::reality::{Arrivals, Draws, Reality, chance, plus};
use super::tally::{Outcome, Tally, Visit};
use crate::quoting::Quoting;
use crate::service::orders::{self, NewOrder, OrderError, OrderView, StatusMove};
use crate::service::supply::{self, Promises};
use crate::service::{WriteError, recompute};
use crate::store::entities::{
    InboundKind, InboundStatus, ReservationSource, inbound, materials, nodes, policies, shops, stock,
    supplier_materials, suppliers, work_centers,
};
use crate::store::{Db, StoreError};

/// Who the replay's writes are audited as.
const ACTOR: &str = "replay";

/// How shoppers and the merchant behave in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Behaviour {
    /// How reality differs from the data.
    pub reality: Reality,
    /// Share of shoppers lost per day the P90 date lies beyond their patience.
    pub sensitivity: f64,
    /// Days of delivery (to the P90 date) a shopper accepts without hesitating.
    pub patience_days: i64,
    /// Shoppers per past order (1: as many as the history's orders).
    pub demand_scale: f64,
    /// Days between the merchant's policy recomputations and purchase orders.
    pub review_days: u32,
    /// Whether the merchant places the policies' suggested orders (stock kept ahead
    /// of demand); without, what orders wait on is the only thing ever ordered
    /// (made to order once the stock is used up).
    pub replenish: bool,
    /// Whether the server's pull-in rule runs after each day's receipts
    /// (`service::orders::pull_in`): orders whose material came early are made
    /// earlier. Off, production waits for the day it was booked for.
    pub pull_in: bool,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A write the merchant makes every day was refused.
    #[error("{what}: {source}")]
    Write {
        /// What the replay was doing.
        what: String,
        /// The refusal.
        source: WriteError,
    },
    /// A booking failed for a reason other than the shopper's.
    #[error("booking {reference}: {source}")]
    Booking {
        /// The order's reference.
        reference: String,
        /// The failure.
        source: OrderError,
    },
    /// Units or minutes are promised twice: the replay found more held than there is.
    #[error("day {day}: over-committed: {detail}")]
    OverCommitted {
        /// The day it was found.
        day: NaiveDate,
        /// What is held beyond what exists.
        detail: String,
    },
    /// The policies could not be recomputed.
    #[error(transparent)]
    Recompute(#[from] crate::service::policies::RecomputeError),
    /// The shop is not in the database.
    #[error("there is no shop `{0}` in the database")]
    NoShop(String),
    /// Pulling production in failed.
    #[error("pulling production in: {0}")]
    PullIn(#[from] crate::quoting::QuoteError),
}

impl From<sea_orm::DbErr> for RunError {
    fn from(e: sea_orm::DbErr) -> Self {
        RunError::Store(e.into())
    }
}

fn refused(what: impl Into<String>) -> impl FnOnce(WriteError) -> RunError {
    let what = what.into();
    move |source| RunError::Write { what, source }
}

/// The simulated time, which every unit of work and the quote service read.
#[derive(Clone, Default)]
struct SimClock(Arc<AtomicI64>);

impl SimClock {
    fn set(&self, at: DateTime<Utc>) {
        self.0.store(at.timestamp(), Ordering::SeqCst);
    }

    fn clock(&self) -> crate::clock::Clock {
        let seconds = self.0.clone();
        Arc::new(move || DateTime::from_timestamp(seconds.load(Ordering::SeqCst), 0).unwrap_or_default())
    }
}

/// An order on its way, as the replay follows it.
#[derive(Clone, Debug)]
struct Open {
    /// The first day production was booked for.
    first_day: NaiveDate,
    /// Calendar days of production as booked.
    span: i64,
    /// Days from the end of production to the P50 delivery (handling and transit).
    after: i64,
    stage: Stage,
    /// When its customer calls it off, if they do.
    cancel_on: Option<NaiveDate>,
    /// Its operations as booked (none for orders from before operations were kept).
    operations: Vec<Operation>,
}

/// One operation of an order the replay follows.
#[derive(Clone, Debug)]
struct Operation {
    seq: i32,
    work_center: String,
    planned: i32,
    booked: i32,
    /// Minutes it really takes, drawn when production starts.
    actual: Option<i32>,
}

impl Operation {
    fn of(order: &OrderView) -> Vec<Operation> {
        order
            .operations
            .iter()
            .map(|o| Operation {
                seq: o.seq,
                work_center: o.work_center.clone(),
                planned: o.planned_minutes,
                booked: o.booked_minutes,
                actual: None,
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Waiting,
    Making { done: NaiveDate },
    Shipped { arrives: NaiveDate },
}

/// An offer as the replay knows it.
#[derive(Clone, Debug)]
struct Offer {
    declared: (f64, f64),
    receipts: u32,
}

/// One run of a replay.
pub struct Run {
    db: Db,
    quoting: Arc<Quoting>,
    desk: orders::Desk,
    clock: SimClock,
    shop: shops::Model,
    behaviour: Behaviour,
    demand: Demand,
    draws: Draws,
    arrivals: Arrivals,
    open: BTreeMap<i64, Open>,
    tally: Tally,
    /// Offers by (supplier code, SKU).
    offers: BTreeMap<(String, String), Offer>,
    /// The fastest declared supplier per SKU (what a supplier order is placed with).
    fastest: BTreeMap<String, String>,
    /// Each open line's supplier, by reference.
    line_suppliers: BTreeMap<String, Option<String>>,
    /// Unit cost per SKU, minor units.
    costs: BTreeMap<String, i64>,
    /// SKU per material id and code per supplier id, as the stored policies name them.
    skus: BTreeMap<i64, String>,
    /// See `skus`.
    supplier_codes: BTreeMap<i64, String>,
    /// Code per work-center id.
    centers: BTreeMap<i64, String>,
    /// Operations reported finished per work-center code.
    reported: BTreeMap<String, usize>,
    /// Where each material's stock is kept (the node holding most of it).
    home: BTreeMap<String, String>,
    start: NaiveDate,
    day: u32,
    received_today: i64,
    /// Whether quotes learn lead times.
    pub learning: bool,
}

impl Run {
    /// Opens a run on `pool` (a copy of the shop) for shop `slug`, from `start`, with
    /// quotes learning lead times or not.
    pub async fn open(
        pool: DatabaseConnection,
        slug: &str,
        start: NaiveDate,
        seed: u64,
        learning: bool,
        behaviour: Behaviour,
    ) -> Result<Self, RunError> {
        let clock = SimClock::default();
        clock.set(Utc.from_utc_datetime(&start.and_hms_opt(12, 0, 0).unwrap_or_default()));
        let db = Db::new(pool, clock.clock());
        let shop = crate::store::shops::by_slug(&db, slug)
            .await?
            .ok_or_else(|| RunError::NoShop(slug.to_string()))?;
        let quoting = Arc::new(Quoting::new(db.clone()));
        let mut run = Run {
            quoting: quoting.clone(),
            desk: orders::Desk::new(db.clone(), quoting),
            demand: Demand::from_history(&db, shop.id, start, behaviour.demand_scale).await?,
            db,
            clock,
            shop,
            behaviour,
            draws: Draws::new(seed),
            arrivals: Arrivals::default(),
            open: BTreeMap::new(),
            tally: Tally::default(),
            offers: BTreeMap::new(),
            fastest: BTreeMap::new(),
            line_suppliers: BTreeMap::new(),
            costs: BTreeMap::new(),
            skus: BTreeMap::new(),
            supplier_codes: BTreeMap::new(),
            centers: BTreeMap::new(),
            reported: BTreeMap::new(),
            home: BTreeMap::new(),
            start,
            day: 0,
            received_today: 0,
            learning,
        };
        run.set_clock();
        let promises = Promises {
            promise_quantile: f64::from(run.shop.promise_permille) / 1000.0,
            learn_lead_times: learning,
        };
        let w = run.db.write(run.shop.id, ACTOR).await?;
        supply::set_promises(w, promises)
            .await
            .map_err(refused("setting whether quotes learn"))?;
        run.read_supply().await?;
        Ok(run)
    }

    /// The shop's promise quantile.
    pub fn promise_quantile(&self) -> f64 {
        f64::from(self.shop.promise_permille) / 1000.0
    }

    /// The day being simulated.
    pub fn today(&self) -> NaiveDate {
        plus(self.start, i64::from(self.day))
    }

    /// The database of the run (tests reach behind the replay's back with it).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// What was counted so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Each offer as (supplier, SKU, declared, receipts in the run).
    pub fn offers(&self) -> impl Iterator<Item = (&str, &str, (f64, f64), u32)> {
        self.offers
            .iter()
            .map(|((supplier, sku), o)| (supplier.as_str(), sku.as_str(), o.declared, o.receipts))
    }

    /// The behaviour the run was opened with.
    pub fn behaviour(&self) -> &Behaviour {
        &self.behaviour
    }

    /// The shop.
    pub fn shop(&self) -> &shops::Model {
        &self.shop
    }

    /// The shop's work centers: code per id.
    pub fn work_centers(&self) -> &BTreeMap<i64, String> {
        &self.centers
    }

    /// Operations reported finished at work center `code` during the run.
    pub fn reported(&self, code: &str) -> usize {
        self.reported.get(code).copied().unwrap_or(0)
    }

    /// Local noon of the day being simulated, in the shop's time zone.
    fn set_clock(&self) {
        let local = self.today().and_hms_opt(12, 0, 0).unwrap_or_default();
        let at = match self.shop.timezone.parse::<chrono_tz::Tz>() {
            Ok(tz) => tz
                .from_local_datetime(&local)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc)),
            Err(_) => Utc.from_utc_datetime(&local),
        };
        self.clock.set(at);
    }

    /// Reads suppliers, offers, costs, where stock is kept, and when the lines already
    /// open really arrive.
    async fn read_supply(&mut self) -> Result<(), RunError> {
        let shop_id = self.shop.id;
        let materials: BTreeMap<i64, materials::Model> = materials::Entity::find()
            .filter(materials::Column::ShopId.eq(shop_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let suppliers: BTreeMap<i64, suppliers::Model> = suppliers::Entity::find()
            .filter(suppliers::Column::ShopId.eq(shop_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let nodes: BTreeMap<i64, String> = nodes::Entity::find()
            .filter(nodes::Column::ShopId.eq(shop_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.code))
            .collect();
        for m in materials.values() {
            self.costs.insert(m.sku.clone(), m.unit_cost_minor);
            self.skus.insert(m.id, m.sku.clone());
        }
        self.supplier_codes = suppliers.iter().map(|(id, s)| (*id, s.code.clone())).collect();
        self.centers = work_centers::Entity::find()
            .filter(work_centers::Column::ShopId.eq(shop_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|w| (w.id, w.code))
            .collect();
        let offers = supplier_materials::Entity::find()
            .filter(supplier_materials::Column::MaterialId.is_in(materials.keys().copied()))
            .all(&self.db)
            .await?;
        let mut fastest: BTreeMap<String, (f64, String)> = BTreeMap::new();
        for offer in offers {
            let (Some(m), Some(s)) = (
                materials.get(&offer.material_id),
                suppliers.get(&offer.supplier_id),
            ) else {
                continue;
            };
            let declared = (offer.lead_time_mean_days, offer.lead_time_sd_days);
            self.offers.insert(
                (s.code.clone(), m.sku.clone()),
                Offer {
                    declared,
                    receipts: 0,
                },
            );
            let active = offer.status == crate::store::entities::SupplyStatus::Active
                && s.status == crate::store::entities::SupplyStatus::Active;
            let faster = fastest.get(&m.sku).is_none_or(|(mean, _)| declared.0 < *mean);
            if active && faster {
                fastest.insert(m.sku.clone(), (declared.0, s.code.clone()));
            }
        }
        self.fastest = fastest.into_iter().map(|(sku, (_, code))| (sku, code)).collect();
        let mut held: BTreeMap<String, (i64, String)> = BTreeMap::new();
        for row in stock::Entity::find()
            .filter(stock::Column::MaterialId.is_in(materials.keys().copied()))
            .all(&self.db)
            .await?
        {
            let (Some(m), Some(node)) = (materials.get(&row.material_id), nodes.get(&row.node_id)) else {
                continue;
            };
            if held.get(&m.sku).is_none_or(|(most, _)| row.on_hand > *most) {
                held.insert(m.sku.clone(), (row.on_hand, node.clone()));
            }
        }
        let first_node = nodes.values().next().cloned().unwrap_or_default();
        for m in materials.values() {
            let node = held.get(&m.sku).map_or(first_node.clone(), |(_, n)| n.clone());
            self.home.insert(m.sku.clone(), node);
        }
        let today = self.today();
        let lines = inbound::Entity::find()
            .filter(inbound::Column::ShopId.eq(shop_id))
            .all(&self.db)
            .await?;
        for line in lines {
            let supplier = line
                .supplier_id
                .and_then(|id| suppliers.get(&id))
                .map(|s| s.code.clone());
            self.line_suppliers
                .insert(line.reference.clone(), supplier.clone());
            if line.status != InboundStatus::Confirmed {
                continue;
            }
            let sku = materials
                .get(&line.material_id)
                .map(|m| m.sku.clone())
                .unwrap_or_default();
            let arrives = match (line.kind, supplier) {
                (InboundKind::Purchase, Some(code)) => {
                    let declared = self
                        .offers
                        .get(&(code.clone(), sku))
                        .map_or((0.0, 0.0), |o| o.declared);
                    let truth = self.behaviour.reality.truth(&code, declared);
                    let days = self.draws.lead_days(truth);
                    match line.ordered_on {
                        Some(on) => plus(on, days),
                        // Lines entered without an order day were expected at their
                        // declared lead time; they are as late as the draw says.
                        None => plus(line.eta, days - declared.0.round() as i64),
                    }
                }
                _ => line.eta,
            };
            self.arrivals.expect(line.id, arrives.max(today));
        }
        self.adopt_open_orders().await
    }

    /// The orders open when the replay starts are made and delivered as booked (they
    /// hold stock and minutes the replay's own orders compete for), but not counted:
    /// their promises were made before it.
    async fn adopt_open_orders(&mut self) -> Result<(), RunError> {
        use crate::store::entities::{OrderStatus, orders, work_center_bookings};
        let today = self.today();
        let open = orders::Entity::find()
            .filter(orders::Column::ShopId.eq(self.shop.id))
            .filter(orders::Column::Status.is_in([
                OrderStatus::Placed,
                OrderStatus::InProduction,
                OrderStatus::Shipped,
            ]))
            .all(&self.db)
            .await?;
        let mut booked: BTreeMap<i64, Vec<NaiveDate>> = BTreeMap::new();
        for b in work_center_bookings::Entity::find()
            .filter(work_center_bookings::Column::OrderId.is_in(open.iter().map(|o| o.id)))
            .all(&self.db)
            .await?
        {
            if let Some(order) = b.order_id {
                booked.entry(order).or_default().push(b.day);
            }
        }
        for order in open {
            let days = booked.remove(&order.id).unwrap_or_default();
            let first_day = days.iter().min().copied().unwrap_or(today);
            let last_day = days.iter().max().copied().unwrap_or(today).max(today);
            let stage = match order.status {
                OrderStatus::Placed => Stage::Waiting,
                OrderStatus::InProduction => Stage::Making { done: last_day },
                _ => Stage::Shipped {
                    arrives: order.quoted_p50.max(today),
                },
            };
            self.open.insert(
                order.id,
                Open {
                    first_day,
                    span: (last_day - first_day).num_days() + 1,
                    after: (order.quoted_p50 - last_day).num_days().max(0),
                    stage,
                    cancel_on: None,
                    operations: Vec::new(),
                },
            );
        }
        Ok(())
    }

    /// Simulates the current day and moves to the next.
    pub async fn step(&mut self) -> Result<(), RunError> {
        self.set_clock();
        self.received_today = 0;
        self.receive().await?;
        if self.behaviour.pull_in {
            self.pull_in().await?;
        }
        // Shoppers come before the day's production, so an order booked to start
        // today (from stock, on a free line) starts today, as its promise assumes.
        self.shoppers().await?;
        self.produce_and_deliver().await?;
        self.purchase().await?;
        self.check().await?;
        let value = self.stock_value().await?;
        self.tally.stock(self.today(), value, self.received_today);
        self.day += 1;
        Ok(())
    }

    async fn receive(&mut self) -> Result<(), RunError> {
        for id in self.arrivals.due(self.today()) {
            let w = self.db.write(self.shop.id, ACTOR).await?;
            let (line, _) = supply::act_on_inbound(w, id, InboundAction::Receive)
                .await
                .map_err(refused(format!("receiving line {id}")))?;
            self.received_today += line.quantity * self.costs.get(&line.sku).copied().unwrap_or(0);
            if let Some(code) = &line.supplier
                && let Some(offer) = self.offers.get_mut(&(code.clone(), line.sku.clone()))
            {
                offer.receipts += 1;
            }
        }
        Ok(())
    }

    /// Runs the server's pull-in rule, as its scheduled job does, and follows the
    /// orders it moved: they start production on their new first day.
    async fn pull_in(&mut self) -> Result<(), RunError> {
        for moved in orders::pull_in::move_production_earlier(&self.db, &self.quoting, &self.shop).await? {
            if let Some(order) = self.open.get_mut(&moved.order)
                && order.stage == Stage::Waiting
            {
                order.first_day = moved.first_day;
                order.span = (moved.last_day - moved.first_day).num_days() + 1;
            }
        }
        Ok(())
    }

    async fn produce_and_deliver(&mut self) -> Result<(), RunError> {
        let today = self.today();
        let waiting = self.waiting_for_supply().await?;
        let ids: Vec<i64> = self.open.keys().copied().collect();
        for id in ids {
            let Some(order) = self.open.get(&id).cloned() else {
                continue;
            };
            if order.stage == Stage::Waiting && order.cancel_on.is_some_and(|d| d <= today) {
                let change = StatusMove {
                    status: crate::store::entities::OrderStatus::Cancelled,
                    delivered_on: None,
                    reason: Some("the customer changed their mind (replay)".into()),
                    cancelled_by: Some(orders::life::CancelledBy::Customer),
                };
                self.move_order(id, change).await?;
                self.tally.cancelled(id);
                self.open.remove(&id);
                continue;
            }
            let mut stage = order.stage;
            if stage == Stage::Waiting && today >= order.first_day && !waiting.contains(&id) {
                self.move_order(id, to(crate::store::entities::OrderStatus::InProduction))
                    .await?;
                let days = self.production_days(id);
                let mut done = plus(today, days - 1);
                if let Some(outage) = self.behaviour.reality.outage {
                    let from = plus(self.start, i64::from(outage.from_day));
                    let until = plus(from, i64::from(outage.days) - 1);
                    let overlap = (done.min(until) - today.max(from)).num_days() + 1;
                    done = plus(done, overlap.max(0));
                }
                stage = Stage::Making { done };
            }
            if let Stage::Making { done } = stage
                && done <= today
            {
                self.report_operations(id, done).await?;
                self.move_order(id, to(crate::store::entities::OrderStatus::Shipped))
                    .await?;
                stage = Stage::Shipped {
                    arrives: plus(done, order.after),
                };
            }
            if let Stage::Shipped { arrives } = stage
                && arrives <= today
            {
                let mut change = to(crate::store::entities::OrderStatus::Delivered);
                change.delivered_on = Some(arrives);
                self.move_order(id, change).await?;
                self.tally.delivered(id, arrives);
                self.open.remove(&id);
                continue;
            }
            if let Some(o) = self.open.get_mut(&id) {
                o.stage = stage;
            }
        }
        Ok(())
    }

    /// Calendar days order `id`'s production really takes: its booked span stretched
    /// by the minutes its operations really take over the minutes booked for them
    /// (each drawn at its work center's true pace and kept for the report), or by a
    /// draw of the production noise for an order without operations.
    fn production_days(&mut self, id: i64) -> i64 {
        let reality = &self.behaviour.reality;
        let Some(order) = self.open.get_mut(&id) else {
            return 1;
        };
        let booked: i64 = order.operations.iter().map(|o| i64::from(o.booked)).sum();
        if booked <= 0 {
            return self.draws.production_days(order.span, reality.production_noise);
        }
        let mut actual = 0i64;
        for op in &mut order.operations {
            let minutes = self
                .draws
                .operation_minutes(op.planned, reality.pace(&op.work_center));
            op.actual = Some(minutes);
            actual += i64::from(minutes);
        }
        super::reality::stretched(order.span, actual as f64 / booked as f64)
    }

    /// Reports order `id`'s operations finished on `done` with the minutes they took,
    /// as an operator would, through the real report path.
    async fn report_operations(&mut self, id: i64, done: NaiveDate) -> Result<(), RunError> {
        let reports: Vec<(i32, i32, String)> = self
            .open
            .get(&id)
            .map(|o| {
                o.operations
                    .iter()
                    .filter_map(|op| Some((op.seq, op.actual?, op.work_center.clone())))
                    .collect()
            })
            .unwrap_or_default();
        for (seq, actual_minutes, center) in reports {
            *self.reported.entry(center).or_default() += 1;
            let w = self.db.write(self.shop.id, ACTOR).await?;
            let report = orders::OperationReport {
                actual_minutes,
                finished_on: Some(done),
            };
            orders::operations::report(w, id, seq, report, self.today())
                .await
                .map_err(refused(format!("reporting operation {seq} of order {id}")))?;
        }
        Ok(())
    }

    async fn move_order(&mut self, id: i64, change: StatusMove) -> Result<(), RunError> {
        let w = self.db.write(self.shop.id, ACTOR).await?;
        orders::move_order(w, id, change, self.today())
            .await
            .map_err(refused(format!("moving order {id}")))?;
        Ok(())
    }

    /// The placed orders that still wait for an inbound line or a supplier order.
    async fn waiting_for_supply(&self) -> Result<BTreeSet<i64>, RunError> {
        let rows = self
            .query(
                "SELECT DISTINCT r.order_id AS id FROM order_reservations r JOIN orders o ON o.id = r.order_id \
                 WHERE o.shop_id = ? AND o.status = 'placed' AND r.source IN ('inbound', 'supplier_order')",
            )
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.try_get::<i64>("", "id").ok())
            .collect())
    }

    async fn shoppers(&mut self) -> Result<(), RunError> {
        let today = self.today();
        let shoppers = self.demand.shoppers(today, self.draws.customers());
        for (n, shopper) in shoppers.into_iter().enumerate() {
            let request = QuoteRequest {
                product: shopper.product.clone(),
                selection: shopper.selection.clone(),
                quantity: shopper.quantity,
                channel: None,
            };
            let answer = match self.quoting.quote(&self.shop, &request).await {
                Ok(answer) => answer,
                Err(crate::quoting::QuoteError::Store(e)) => return Err(e.into()),
                // A configuration the catalog no longer takes as it was ordered.
                Err(_) => {
                    self.tally.visit(today, shopper.quantity, Visit::Unavailable);
                    continue;
                }
            };
            let view = &answer.view;
            let Some(estimate) = view.estimate.as_ref().filter(|_| view.available) else {
                self.tally.visit(today, shopper.quantity, Visit::Unavailable);
                continue;
            };
            let beyond = (i64::from(estimate.lead_days_p90) - self.behaviour.patience_days).max(0);
            let stays = (-self.behaviour.sensitivity * beyond as f64).exp();
            if chance(self.draws.customers()) >= stays {
                self.tally.visit(today, shopper.quantity, Visit::TooSlow);
                continue;
            }
            let cancels = chance(self.draws.customers()) < self.behaviour.reality.cancel_rate;
            let reference = format!("SIM-{}-{}", self.day, n + 1);
            let order = NewOrder {
                reference: reference.clone(),
                product: shopper.product,
                selection: shopper.selection,
                quantity: shopper.quantity,
                channel: "web".into(),
                quote_token: view.quote_token.clone(),
                accept_later_date: false,
                split: false,
            };
            match self.desk.place(self.shop.id, ACTOR, order, None).await {
                Ok(placed) => {
                    self.tally.visit(today, shopper.quantity, Visit::Ordered);
                    let order = placed.order;
                    let slipping = self.rests_on_slipping_supplier(&order);
                    self.tally.booked(
                        order.id,
                        Outcome {
                            placed: today,
                            p50: order.quoted_p50,
                            p90: order.quoted_p90,
                            promised: order.promised_on,
                            delivered: None,
                            cancelled: false,
                            slipping,
                        },
                    );
                    let first_day = order.bookings.iter().map(|b| b.day).min().unwrap_or(today);
                    let last_day = order.bookings.iter().map(|b| b.day).max().unwrap_or(today);
                    let cancel_on =
                        cancels.then(|| plus(today, (chance(self.draws.customers()) * 3.0) as i64));
                    self.open.insert(
                        order.id,
                        Open {
                            first_day,
                            span: (last_day - first_day).num_days() + 1,
                            after: (order.quoted_p50 - last_day).num_days().max(0),
                            stage: Stage::Waiting,
                            cancel_on,
                            operations: Operation::of(&order),
                        },
                    );
                }
                Err(OrderError::Unavailable { .. }) => {
                    self.tally.visit(today, shopper.quantity, Visit::Unavailable)
                }
                Err(OrderError::PromiseChanged { .. } | OrderError::Token(_)) => {
                    self.tally.visit(today, shopper.quantity, Visit::Refused);
                }
                Err(source) => return Err(RunError::Booking { reference, source }),
            }
        }
        Ok(())
    }

    /// Whether `order` waits on a supplier the scenario makes slip: an inbound line of
    /// theirs, or an order still to be placed with them.
    fn rests_on_slipping_supplier(&self, order: &OrderView) -> bool {
        order.reservations.iter().any(|r| {
            let supplier = match r.source {
                ReservationSource::Inbound => r
                    .inbound
                    .as_ref()
                    .and_then(|reference| self.line_suppliers.get(reference).cloned().flatten()),
                ReservationSource::SupplierOrder => self.fastest.get(&r.material).cloned(),
                _ => None,
            };
            supplier.is_some_and(|s| self.behaviour.reality.slip(&s).is_some())
        })
    }

    /// The merchant's purchasing: what orders wait on, every day; the policies'
    /// suggestions, every review.
    async fn purchase(&mut self) -> Result<(), RunError> {
        let today = self.today();
        let w = self.db.write(self.shop.id, ACTOR).await?;
        let raised = supply::raise_awaited(w, today)
            .await
            .map_err(refused("ordering what orders wait for"))?;
        for line in raised {
            self.expect(
                line.id,
                &line.reference,
                line.supplier.as_deref(),
                &line.sku,
                today,
            );
        }
        if !self.behaviour.replenish || !self.day.is_multiple_of(self.behaviour.review_days.max(1)) {
            return Ok(());
        }
        recompute::run(&self.db, &self.shop, self.db.now(), |_| {}).await?;
        for (sku, supplier, quantity) in self.suggestions().await? {
            let Some(offer) = self.offers.get(&(supplier.clone(), sku.clone())) else {
                continue;
            };
            let order = NewPurchaseOrder {
                supplier: supplier.clone(),
                sku: sku.clone(),
                node: self.home.get(&sku).cloned().unwrap_or_default(),
                quantity,
                eta: plus(today, i64::from(engine::supply::median_day(offer.declared.0))),
                reference: String::new(),
            };
            let w = self.db.write(self.shop.id, ACTOR).await?;
            let line = supply::create_purchase_order(w, &order, today)
                .await
                .map_err(refused(format!("ordering {sku} from {supplier}")))?;
            let w = self.db.write(self.shop.id, ACTOR).await?;
            supply::act_on_inbound(w, line.id, InboundAction::Confirm)
                .await
                .map_err(refused(format!("confirming {}", line.reference)))?;
            self.expect(line.id, &line.reference, Some(&supplier), &sku, today);
        }
        Ok(())
    }

    /// Line `id`, ordered today from `supplier`, arrives when its true lead time says.
    fn expect(&mut self, id: i64, reference: &str, supplier: Option<&str>, sku: &str, today: NaiveDate) {
        self.line_suppliers
            .insert(reference.to_string(), supplier.map(str::to_string));
        let declared = supplier
            .and_then(|s| self.offers.get(&(s.to_string(), sku.to_string())))
            .map_or((1.0, 0.0), |o| o.declared);
        let truth = self
            .behaviour
            .reality
            .truth(supplier.unwrap_or_default(), declared);
        let days = self.draws.lead_days(truth);
        self.arrivals.expect(id, plus(today, days));
    }

    /// The stored policies' suggested orders: (SKU, supplier code, units).
    async fn suggestions(&self) -> Result<Vec<(String, String, i64)>, RunError> {
        let stored = policies::Entity::find()
            .filter(policies::Column::MaterialId.is_in(self.skus.keys().copied()))
            .all(&self.db)
            .await?;
        let mut suggestions: Vec<(String, String, i64)> = stored
            .iter()
            .filter_map(|p| {
                let quantity = p.inputs["suggested_order"].as_i64().filter(|q| *q > 0)?;
                let supplier = self.supplier_codes.get(&p.inputs["supplier_id"].as_i64()?)?;
                Some((self.skus.get(&p.material_id)?.clone(), supplier.clone(), quantity))
            })
            .collect();
        suggestions.sort();
        Ok(suggestions)
    }

    /// Fails the run when more is held than exists: stock reserved beyond what is on
    /// hand, or an open line's units promised beyond its quantity.
    async fn check(&self) -> Result<(), RunError> {
        let over_stock = self
            .query(
                "SELECT m.sku AS sku, s.on_hand AS on_hand, s.reserved AS reserved FROM stock s \
                 JOIN materials m ON m.id = s.material_id \
                 WHERE m.shop_id = ? AND (s.reserved > s.on_hand OR s.reserved < 0)",
            )
            .await?;
        if let Some(row) = over_stock.first() {
            return Err(RunError::OverCommitted {
                day: self.today(),
                detail: format!(
                    "{} has {} reserved of {} on hand",
                    row.try_get::<String>("", "sku").unwrap_or_default(),
                    row.try_get::<i64>("", "reserved").unwrap_or_default(),
                    row.try_get::<i64>("", "on_hand").unwrap_or_default(),
                ),
            });
        }
        let over_lines = self
            .query(
                "SELECT i.reference AS reference, i.quantity AS quantity, SUM(r.quantity) AS held \
                 FROM inbound i JOIN order_reservations r ON r.inbound_id = i.id \
                 WHERE i.shop_id = ? AND i.status IN ('draft', 'confirmed') \
                 GROUP BY i.id, i.reference, i.quantity HAVING SUM(r.quantity) > i.quantity",
            )
            .await?;
        if let Some(row) = over_lines.first() {
            return Err(RunError::OverCommitted {
                day: self.today(),
                detail: format!(
                    "{} brings {} units and {} are promised",
                    row.try_get::<String>("", "reference").unwrap_or_default(),
                    row.try_get::<i64>("", "quantity").unwrap_or_default(),
                    row.try_get::<i64>("", "held").unwrap_or_default(),
                ),
            });
        }
        Ok(())
    }

    async fn stock_value(&self) -> Result<i64, RunError> {
        let rows = self
            .query(
                "SELECT CAST(COALESCE(SUM(s.on_hand * m.unit_cost_minor), 0) AS BIGINT) AS value FROM stock s \
                 JOIN materials m ON m.id = s.material_id WHERE m.shop_id = ?",
            )
            .await?;
        Ok(rows
            .first()
            .and_then(|r| r.try_get::<i64>("", "value").ok())
            .unwrap_or(0))
    }

    /// `sql` with the shop's id for its one `?`, in the database's own placeholder.
    async fn query(&self, sql: &str) -> Result<Vec<sea_orm::QueryResult>, RunError> {
        let backend = self.db.get_database_backend();
        let sql = match backend {
            sea_orm::DatabaseBackend::Postgres => sql.replace('?', "$1"),
            _ => sql.to_string(),
        };
        Ok(self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [self.shop.id.into()],
            ))
            .await?)
    }

    /// Closes the run's database.
    pub async fn close(self) {
        self.db.close().await;
    }
}

fn to(status: crate::store::entities::OrderStatus) -> StatusMove {
    StatusMove {
        status,
        delivered_on: None,
        reason: None,
        cancelled_by: None,
    }
}
