//! The demo shop as plain data: what the generator produces and the writer stores.
//!
//! Rows refer to each other by natural keys (material SKU, node code, supplier code,
//! work-center code) or by index into the vectors of [`DemoShop`], never by database
//! ids, so the generator stays pure and its output can be compared and tested without a
//! database. Enumerations carry the exact strings of `docs/schema.md` (`as_str`).

use chrono::{DateTime, NaiveDate, Utc};
use engine::Selection;
use serde_json::Value;

use crate::auth::keys::KeyKind;
pub use crate::store::entities::{InboundKind, InboundStatus, OrderStatus, SupplyStatus};
pub use crate::store::heat::HeatKind;

/// Everything the demo shop consists of, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoShop {
    /// The tenant itself, with its calendar and widget origins.
    pub shop: Shop,
    /// The one merchant account.
    pub merchant: Merchant,
    /// Publishable and secret keys, in plain text (the writer stores their hashes).
    pub api_keys: Vec<ApiKey>,
    /// Warehouse and factories.
    pub nodes: Vec<Node>,
    /// Transfer lanes between nodes.
    pub lanes: Vec<Lane>,
    /// Parts and raw materials.
    pub materials: Vec<Material>,
    /// Suppliers, one of them discontinued.
    pub suppliers: Vec<Supplier>,
    /// Which supplier supplies which material, on what terms.
    pub supplier_materials: Vec<SupplierMaterial>,
    /// On hand and reserved per material per node.
    pub stock: Vec<Stock>,
    /// Purchase orders and transfers on their way.
    pub inbound: Vec<Inbound>,
    /// Work centers with their calendars.
    pub work_centers: Vec<WorkCenter>,
    /// Booked load on work centers in the coming weeks.
    pub bookings: Vec<Booking>,
    /// Products with options, bills of materials and routings.
    pub products: Vec<Product>,
    /// Order history, oldest first.
    pub orders: Vec<Order>,
    /// Material reservations of the open orders.
    pub reservations: Vec<Reservation>,
    /// Material orders in production reported used (the production-watch scenario).
    pub consumption: Vec<Consumption>,
    /// Presale heat, oldest first.
    pub heat_events: Vec<HeatEvent>,
    /// Audit trail of the seeding itself.
    pub audit: Vec<AuditEntry>,
}

/// The shop (tenant) row and its one-to-many settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Shop {
    /// Unique slug (`demo`).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// IANA time zone.
    pub timezone: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Shipping weekdays, Monday = bit 0.
    pub working_weekdays: u8,
    /// Days from shipping to the customer's door.
    pub transit_days: i32,
    /// When the shop was opened.
    pub created_at: DateTime<Utc>,
    /// Days the shop does not ship.
    pub holidays: Vec<Holiday>,
    /// Origins whose pages may embed the widget.
    pub origins: Vec<String>,
}

/// A dated day off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// The day.
    pub day: NaiveDate,
    /// Why it is off.
    pub name: String,
}

/// The merchant account; the password is hashed by the writer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merchant {
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Plain-text password (a demo credential, printed in the README).
    pub password: String,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
}

/// An API key in plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    /// Publishable or secret.
    pub kind: KeyKind,
    /// The whole key.
    pub key: String,
    /// Label shown in the admin.
    pub label: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// Holds stock and ships.
    Warehouse,
    /// Makes products.
    Factory,
}

impl NodeKind {
    /// The value of `nodes.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Warehouse => "warehouse",
            NodeKind::Factory => "factory",
        }
    }
}

/// A place that holds stock or makes things.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Short code, unique in the shop (`WH`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Warehouse or factory.
    pub kind: NodeKind,
}

/// A transfer lane from one node to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// Code of the sending node.
    pub from: String,
    /// Code of the receiving node.
    pub to: String,
    /// Days on the road.
    pub lead_time_days: i32,
    /// Cost of moving one unit, minor units.
    pub cost_per_unit_minor: i64,
}

/// What a material is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MaterialKind {
    /// Woven textiles (canvas, linen, linings, mesh).
    Fabric,
    /// Hides, suede, nubuck.
    Leather,
    /// Zippers.
    Zipper,
    /// Buckles, snaps, clips, eyelets.
    Fastener,
    /// Soles.
    Sole,
    /// Laces.
    Lace,
    /// Boxes, bags, cartons.
    Packaging,
    /// Sewing and embroidery thread.
    Thread,
    /// Anything else (webbing, insoles).
    Other,
}

impl MaterialKind {
    /// The value of `materials.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            MaterialKind::Fabric => "fabric",
            MaterialKind::Leather => "leather",
            MaterialKind::Zipper => "zipper",
            MaterialKind::Fastener => "fastener",
            MaterialKind::Sole => "sole",
            MaterialKind::Lace => "lace",
            MaterialKind::Packaging => "packaging",
            MaterialKind::Thread => "thread",
            MaterialKind::Other => "other",
        }
    }
}

/// A part or raw material.
#[derive(Clone, Debug, PartialEq)]
pub struct Material {
    /// Stock-keeping unit, unique in the shop.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Unit all its quantities are counted in (`cm`, `dm2`, `pcs`, `pair`, `m`).
    pub unit: String,
    /// Cost of one unit, minor units.
    pub unit_cost_minor: i64,
    /// Kind.
    pub kind: MaterialKind,
    /// Colour family, for matching leftovers to live products.
    pub colour_family: Option<String>,
    /// Free-form attributes (`{"material":"canvas","colour":"navy","weight_gsm":340}`).
    pub attributes: Value,
    /// Shared by many configurations (postponement) rather than dedicated to one option.
    pub is_generic: bool,
}

/// A supplier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Supplier {
    /// Short code, unique in the shop.
    pub code: String,
    /// Company name.
    pub name: String,
    /// Where purchase orders go.
    pub email: Option<String>,
    /// Active or discontinued.
    pub status: SupplyStatus,
}

/// A supplier's offer for one material.
#[derive(Clone, Debug, PartialEq)]
pub struct SupplierMaterial {
    /// Supplier code.
    pub supplier: String,
    /// Material SKU.
    pub sku: String,
    /// Mean replenishment lead time, days.
    pub lead_time_mean_days: f64,
    /// Standard deviation of the lead time, days.
    pub lead_time_sd_days: f64,
    /// Minimum order quantity, material units.
    pub moq: i64,
    /// Orders are multiples of this.
    pub pack_size: i64,
    /// Price per unit, minor units.
    pub price_minor: i64,
    /// Whether the offer still stands.
    pub status: SupplyStatus,
}

/// Stock of one material at one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stock {
    /// Material SKU.
    pub sku: String,
    /// Node code.
    pub node: String,
    /// Physically there.
    pub on_hand: i64,
    /// Promised to open orders (the sum of their stock reservations here).
    pub reserved: i64,
}

/// One line of a purchase order or transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    /// Material SKU.
    pub sku: String,
    /// Destination node code.
    pub node: String,
    /// Purchase or transfer.
    pub kind: InboundKind,
    /// Supplier code of a purchase.
    pub supplier: Option<String>,
    /// Sending node code of a transfer.
    pub from_node: Option<String>,
    /// Quantity in material units.
    pub quantity: i64,
    /// Expected arrival.
    pub eta: NaiveDate,
    /// Draft or confirmed.
    pub status: InboundStatus,
    /// Document number (`PO-1041`); several lines may share one.
    pub reference: String,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
}

/// A work center and its calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkCenter {
    /// Short code, unique in the shop.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Node code where it stands.
    pub node: String,
    /// Capacity per working day.
    pub minutes_per_day: i32,
    /// Working weekdays, Monday = bit 0.
    pub working_weekdays: u8,
    /// Days it does not run.
    pub holidays: Vec<Holiday>,
}

/// Minutes of a work center booked on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    /// Work-center code.
    pub work_center: String,
    /// The day.
    pub day: NaiveDate,
    /// Minutes taken.
    pub minutes: i32,
    /// Index into [`DemoShop::orders`] of the order the minutes are for; `None` for
    /// other work (wholesale batches, samples, maintenance).
    pub order: Option<usize>,
}

/// A product's place in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// Taking preorders; demand is read from heat.
    Presale,
    /// Selling more every week.
    Growth,
    /// Steady.
    Mature,
}

impl Lifecycle {
    /// The value of `products.lifecycle`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Presale => "presale",
            Lifecycle::Growth => "growth",
            Lifecycle::Mature => "mature",
        }
    }
}

/// A made-to-order product.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    /// Unique slug in the shop.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Shop-page text.
    pub description: String,
    /// Price with no options, minor units.
    pub base_price_minor: i64,
    /// Lifecycle phase.
    pub lifecycle: Lifecycle,
    /// Longest lead time the shop will promise.
    pub max_lead_time_days: i32,
    /// Days between completion and shipping.
    pub handling_days: i32,
    /// Last day it is sold, if planned.
    pub end_of_sale: Option<NaiveDate>,
    /// Code of the node that makes it.
    pub producing_node: String,
    /// When it was listed.
    pub created_at: DateTime<Utc>,
    /// Materials every unit needs.
    pub bom: Vec<BomLine>,
    /// Operations every unit goes through, by `seq`.
    pub operations: Vec<Operation>,
    /// SKU of the semi-finished generic part its generic operations make (postponement).
    pub generic_part: Option<String>,
    /// SKUs of the base BOM lines that go into the generic part.
    pub generic_lines: Vec<String>,
    /// Option groups in display order (`position` = index).
    pub groups: Vec<OptionGroup>,
}

/// A quantity of a material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BomLine {
    /// Material SKU.
    pub sku: String,
    /// Quantity per unit of product, in the material's unit.
    pub quantity: i64,
}

/// A routing step.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// Order within the routing.
    pub seq: i32,
    /// What is done.
    pub name: String,
    /// Work-center code.
    pub work_center: String,
    /// Run time per unit.
    pub minutes_per_unit: f64,
    /// Setup time per order.
    pub setup_minutes: i32,
    /// Makes generic semi-finished goods (skippable when they are in stock). Not stored
    /// for option-value operations, which are custom by nature.
    pub is_generic: bool,
}

/// A group of option values.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionGroup {
    /// Code, unique in the product.
    pub code: String,
    /// Display name.
    pub name: String,
    /// A selection must name a value.
    pub required: bool,
    /// Any number of values (add-ons) instead of exactly one.
    pub multi: bool,
    /// Values in display order (`position` = index).
    pub values: Vec<OptionValue>,
}

/// Why and by whom a value is frozen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freeze {
    /// Reason shown to shoppers.
    pub reason: String,
    /// `merchant`, `rule` or `engine`.
    pub by: String,
}

/// A choosable value.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionValue {
    /// Code, unique in the group.
    pub code: String,
    /// Label shown to shoppers.
    pub label: String,
    /// Added to the base price, minor units.
    pub price_delta_minor: i64,
    /// Set when the merchant froze it.
    pub frozen: Option<Freeze>,
    /// Materials the value adds per unit.
    pub bom: Vec<BomLine>,
    /// Operations the value adds.
    pub operations: Vec<Operation>,
}

/// A customer order.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    /// Reference, unique in the shop.
    pub reference: String,
    /// Index into [`DemoShop::products`].
    pub product: usize,
    /// Units ordered.
    pub quantity: i64,
    /// Chosen value codes per group code.
    pub selection: Selection,
    /// Total price, minor units.
    pub price_minor: i64,
    /// Quoted median delivery date.
    pub quoted_p50: NaiveDate,
    /// Quoted 90th-percentile delivery date.
    pub quoted_p90: NaiveDate,
    /// Delivery date promised to the customer.
    pub promised_on: NaiveDate,
    /// Status today.
    pub status: OrderStatus,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
    /// When it arrived, for delivered orders.
    pub delivered_on: Option<NaiveDate>,
}

/// Material set aside for an open order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    /// Index into [`DemoShop::orders`].
    pub order: usize,
    /// Material SKU.
    pub sku: String,
    /// Node code the material is (or will be) at.
    pub node: String,
    /// Index into [`DemoShop::inbound`] when reserved from supply on its way.
    pub inbound: Option<usize>,
    /// Quantity in material units.
    pub quantity: i64,
}

/// Units of a material an order in production reported used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumption {
    /// Index into [`DemoShop::orders`].
    pub order: usize,
    /// Material SKU.
    pub sku: String,
    /// Node code it was taken at.
    pub node: String,
    /// Units used.
    pub quantity: i64,
    /// The day.
    pub consumed_on: NaiveDate,
}

/// An option value by its position in a product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ValueRef {
    /// Index into [`Product::groups`].
    pub group: usize,
    /// Index into [`OptionGroup::values`].
    pub value: usize,
}

/// One presale-heat event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeatEvent {
    /// Client-made id, unique in the shop (`seed-000001`).
    pub event_id: String,
    /// What happened.
    pub kind: HeatKind,
    /// Index into [`DemoShop::products`].
    pub product: usize,
    /// The option values concerned: the one an `option_select` picked, the
    /// configuration of a favorite, cart, preorder or purchase; none for a view.
    pub values: Vec<ValueRef>,
    /// Anonymous browser session.
    pub session_id: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Page origin.
    pub origin: Option<String>,
}

/// The row an audit entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditSubject {
    /// The shop.
    Shop,
    /// An option value of a product (index into [`DemoShop::products`]).
    OptionValue {
        /// Product index.
        product: usize,
        /// The value.
        value: ValueRef,
    },
}

/// An audit-log entry.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// Who acted (`system`).
    pub actor: String,
    /// What was done (`seed`).
    pub action: String,
    /// Table name of the subject.
    pub entity: String,
    /// The subject.
    pub subject: AuditSubject,
    /// State before, if any.
    pub before: Option<Value>,
    /// State after.
    pub after: Option<Value>,
    /// When.
    pub at: DateTime<Utc>,
}
