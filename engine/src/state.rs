//! A shop's state as the quote engine sees it: plain, owned data with index-based
//! references, built by the server from the database and replaced whenever the shop's
//! state version changes.
//!
//! Everything refers to everything else by index into the vectors of [`ShopState`]
//! ([`MaterialId`], [`NodeId`], [`WorkCenterId`]), never by database id, so the engine
//! needs no lookups by key on the quote path.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::catalog::ProductCatalog;
use crate::requirements::{BomLine, MaterialId};
use crate::schedule::WorkCenterLoad;
use crate::supply::Replenishment;

/// Index of a node in [`ShopState::nodes`].
pub type NodeId = usize;
/// Index of a work center in [`ShopState::work_centers`].
pub type WorkCenterId = usize;

/// Everything a quote depends on, as of `today` in the shop's time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopState {
    /// The shop's current date (its time zone applied by the caller).
    pub today: NaiveDate,
    /// How many days ahead supply and capacity are considered.
    pub horizon_days: u32,
    /// The days the shop ships and carriers deliver.
    pub shipping: WorkingCalendar,
    /// Working days from shipping to the customer's door.
    pub transit_days: u32,
    /// Warehouses and factories.
    pub nodes: Vec<Node>,
    /// Transfer lanes between nodes.
    pub lanes: Vec<Lane>,
    /// Materials, indexed by [`MaterialId`].
    pub materials: Vec<Material>,
    /// Stock per material and node (at most one row per pair).
    pub stock: Vec<Stock>,
    /// Confirmed purchase orders and transfers not yet received.
    pub inbound: Vec<InboundLine>,
    /// Active supplier offers.
    pub offers: Vec<SupplierOffer>,
    /// Confirmed supplier capacity reservations.
    pub reservations: Vec<CapacityReservation>,
    /// Work centers with their calendars and booked load.
    pub work_centers: Vec<WorkCenter>,
    /// Products with their options, bills of materials and routings.
    pub products: Vec<Product>,
    /// Stock protected for one sales channel: no other channel's quote or order may
    /// take it ([`ShopState::for_channel`]).
    #[serde(default)]
    pub allocations: Vec<Allocation>,
    /// The quantile of the delivery date an order's promise ("arrives by") commits to,
    /// between 0.5 and 0.999 ([`DEFAULT_PROMISE_QUANTILE`] unless the shop chooses).
    #[serde(default = "default_promise_quantile")]
    pub promise_quantile: f64,
}

/// Units of a material at a node that only one sales channel may take (a merchant
/// keeping 200 m of navy canvas for wholesale).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The material.
    pub material: MaterialId,
    /// The node whose stock is protected.
    pub node: NodeId,
    /// The channel the units are kept for (`wholesale`).
    pub channel: String,
    /// Units kept, already resolved from a share of the on-hand stock if the merchant
    /// gave one.
    pub quantity: i64,
}

/// A place that holds stock or makes things.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Stable code (`WH-MAIN`).
    pub code: String,
    /// Display name.
    pub name: String,
}

/// Stock can move from one node to another in this many days at this cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// Source node.
    pub from: NodeId,
    /// Destination node.
    pub to: NodeId,
    /// Calendar days from dispatch to arrival.
    pub lead_time_days: u32,
    /// Cost of moving one unit, minor units.
    pub cost_per_unit: i64,
}

impl Lane {
    /// The fastest, then cheapest, lane from `from` to `to` among `lanes`.
    pub fn fastest(lanes: &[Lane], from: NodeId, to: NodeId) -> Option<Lane> {
        lanes
            .iter()
            .filter(|l| l.from == from && l.to == to)
            .min_by_key(|l| (l.lead_time_days, l.cost_per_unit))
            .copied()
    }
}

/// A part or raw material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Stable code.
    pub sku: String,
    /// Name used in sentences ("waiting for Navy canvas").
    pub name: String,
    /// Cost of one unit, minor units.
    pub unit_cost: i64,
    /// Shared by many configurations (postponement) rather than dedicated to one value.
    pub is_generic: bool,
}

/// On hand and reserved stock of one material at one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stock {
    /// The material.
    pub material: MaterialId,
    /// The node.
    pub node: NodeId,
    /// Physically there.
    pub on_hand: i64,
    /// Of which promised to orders.
    pub reserved: i64,
}

/// How an inbound line travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundKind {
    /// A purchase order from a supplier.
    Purchase,
    /// A transfer from another node.
    Transfer,
}

/// A confirmed purchase order or transfer on its way to a node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboundLine {
    /// The material.
    pub material: MaterialId,
    /// Destination node.
    pub node: NodeId,
    /// Purchase or transfer.
    pub kind: InboundKind,
    /// Expected arrival.
    pub eta: NaiveDate,
    /// Quantity not yet promised to any order.
    pub uncommitted: i64,
    /// The merchant's reference (`PO-1042`).
    pub reference: String,
    /// Standard deviation of its arrival, days: the supplier's learned spread for a
    /// purchase, 0 for a date that is certain.
    #[serde(default)]
    pub sd_days: f64,
}

/// An active supplier's terms for one material.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierOffer {
    /// The material.
    pub material: MaterialId,
    /// Supplier name, for sentences.
    pub supplier: String,
    /// Lead time, MOQ and pack size.
    pub terms: Replenishment,
    /// Price of one unit, minor units.
    pub price: i64,
}

/// Supplier capacity the merchant has booked: `quantity` units deliverable from
/// `window_start` until `window_end`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityReservation {
    /// The material.
    pub material: MaterialId,
    /// Node the reserved units are delivered to.
    pub node: NodeId,
    /// Supplier name, for sentences.
    pub supplier: String,
    /// Units still unclaimed.
    pub quantity: i64,
    /// First day of delivery.
    pub window_start: NaiveDate,
    /// Last day of delivery.
    pub window_end: NaiveDate,
}

/// A work center with its calendar and load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkCenter {
    /// Stable code.
    pub code: String,
    /// Name used in sentences ("sewing booked until 5 Dec").
    pub name: String,
    /// Where it is.
    pub node: NodeId,
    /// Calendar, daily capacity and booked minutes.
    pub load: WorkCenterLoad,
    /// How its real minutes compare with the routings' (learned from finished work).
    #[serde(default)]
    pub pace: Pace,
}

/// A work center's real minutes against its routings' minutes: `ratio` 1.2 takes a
/// fifth longer than planned; `sd` is the spread of that ratio from order to order.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    /// Mean of real ÷ planned minutes.
    pub ratio: f64,
    /// Standard deviation of real ÷ planned minutes.
    pub sd: f64,
}

impl Default for Pace {
    /// As planned, exactly.
    fn default() -> Self {
        Pace { ratio: 1.0, sd: 0.0 }
    }
}

/// The share of orders a promise is kept for unless the shop says otherwise: its
/// "arrives by" date is this quantile of the delivery date's distribution.
pub const DEFAULT_PROMISE_QUANTILE: f64 = 0.97;

fn default_promise_quantile() -> f64 {
    DEFAULT_PROMISE_QUANTILE
}

/// One operation of a routing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingStep {
    /// What is done.
    pub name: String,
    /// Where.
    pub work_center: WorkCenterId,
    /// Run time per unit.
    pub minutes_per_unit: f64,
    /// Setup time once per order.
    pub setup_minutes: u32,
    /// Makes the generic part (skipped when generic parts are in stock).
    pub generic: bool,
}

/// What choosing one option value adds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueRecipe {
    /// Materials per unit.
    pub bom: Vec<BomLine>,
    /// Operations, run after the base routing.
    pub operations: Vec<RoutingStep>,
}

/// A configurable product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Stable slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Option groups and values, with prices and merchant freezes.
    pub catalog: ProductCatalog,
    /// `recipes[g][v]`: what value `v` of group `g` of the catalog adds.
    pub recipes: Vec<Vec<ValueRecipe>>,
    /// Materials every unit needs.
    pub bom: Vec<BomLine>,
    /// Materials every unit needs that go into the generic part: needed only when the
    /// generic operations run (see `generic_part`).
    pub generic_bom: Vec<BomLine>,
    /// Operations every unit goes through, in order.
    pub routing: Vec<RoutingStep>,
    /// Where it is made; materials must be there.
    pub producing_node: NodeId,
    /// Working days from completion to shipping.
    pub handling_days: u32,
    /// Longest lead time the merchant will promise; beyond it a short material freezes
    /// the values that need it.
    pub max_lead_time_days: u32,
    /// Last day the product is sold, if it is being phased out.
    pub end_of_sale: Option<NaiveDate>,
    /// In presale, the last day the first batch is made: preorders that supply already
    /// there or on its way (no new supplier order) and free capacity finish by then
    /// belong to it ([`Snapshot::batch_left`](crate::Snapshot::batch_left)). `None` for
    /// a product not in presale.
    #[serde(default)]
    pub first_batch_until: Option<NaiveDate>,
    /// The semi-finished generic part the generic operations make (postponement): when
    /// its uncommitted stock at the producing node covers the order, the order takes
    /// those parts instead, and the generic operations and `generic_bom` are skipped.
    pub generic_part: Option<MaterialId>,
}
