//! What the merchant admin shows and sends: the server's store builds these, the admin
//! pages render them. Inputs that come from forms are checked on the server
//! (`server::service`), which names the field of every refusal.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Lifecycle phases a product can be in (PRODUCT.md, "Policies").
pub const LIFECYCLES: [&str; 5] = ["presale", "growth", "mature", "decline", "end_of_life"];

/// A product in the admin's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSummary {
    /// URL slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Lifecycle phase.
    pub lifecycle: String,
    /// Base price in minor units.
    pub base_price_minor: i64,
    /// Option groups.
    pub groups: usize,
    /// Option values over all groups.
    pub values: usize,
    /// Values a merchant or a rule has frozen.
    pub frozen: usize,
}

/// The product's own fields, as edited in the admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFields {
    /// Display name, 1 to 200 characters.
    pub name: String,
    /// Plain-text description.
    pub description: String,
    /// Base price in minor units, not negative.
    pub base_price_minor: i64,
    /// One of [`LIFECYCLES`].
    pub lifecycle: String,
    /// The longest lead time the shop will promise, 1 to 365 days.
    pub max_lead_time_days: i32,
    /// Days between production and dispatch, 0 to 60.
    pub handling_days: i32,
    /// Last day the product is sold, if it is being phased out.
    pub end_of_sale: Option<NaiveDate>,
    /// In presale: the last day the first batch is made; preorders are then promised
    /// only from supply already on its way and finished by that day (none: preorders
    /// are promised like any order).
    #[serde(default)]
    pub first_batch_until: Option<NaiveDate>,
}

/// One product with everything its editor shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductEditor {
    /// URL slug (not editable: embeds refer to it).
    pub slug: String,
    /// The version the editor's forms send back; a save against an older version is
    /// refused.
    pub version: i64,
    /// ISO 4217 currency of the prices.
    pub currency: String,
    /// The editable fields.
    pub fields: ProductFields,
    /// The node that makes it (code).
    pub producing_node: String,
    /// Materials of every configuration (the base bill of materials), by SKU.
    pub bom: Vec<BomLineView>,
    /// Operations of every configuration (the base routing), in sequence.
    pub operations: Vec<OperationView>,
    /// Option groups in display order.
    pub groups: Vec<GroupEditor>,
    /// What the editor's selects offer.
    pub choices: ProductChoices,
}

/// What product forms offer to choose from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChoices {
    /// Nodes: (code, name).
    pub nodes: Vec<(String, String)>,
    /// Work centers: (code, name).
    pub work_centers: Vec<(String, String)>,
    /// Materials: (SKU, name, unit), by SKU.
    pub materials: Vec<(String, String, String)>,
}

/// One line of a bill of materials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BomLineView {
    /// Material SKU.
    pub sku: String,
    /// Material name.
    pub material: String,
    /// The material's unit.
    pub unit: String,
    /// Units per product.
    pub quantity: i64,
}

/// One operation of a routing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperationView {
    /// Position in the routing (operations run in this order).
    pub seq: i32,
    /// What is done.
    pub name: String,
    /// Work center code.
    pub work_center: String,
    /// Minutes per unit.
    pub minutes_per_unit: f64,
    /// Minutes once per order line.
    pub setup_minutes: i32,
}

/// A new product, as the form sends it (checked on the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProduct {
    /// URL slug: lower-case letters, digits and dashes; unique in the shop.
    pub slug: String,
    /// The product's fields (the same rules as an edit).
    pub fields: ProductFields,
    /// Code of the node that makes it.
    pub producing_node: String,
}

/// Which bill of materials or routing a line belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// The product's own: every configuration has it.
    Base,
    /// An option value's: only configurations with that value.
    Value {
        /// Group code.
        group: String,
        /// Value code.
        value: String,
    },
}

impl Part {
    /// The form's name for it: empty for the base, `group.value` for a value.
    pub fn form_name(&self) -> String {
        match self {
            Part::Base => String::new(),
            Part::Value { group, value } => format!("{group}.{value}"),
        }
    }

    /// Reads the form's name back.
    pub fn from_form(name: &str) -> Option<Part> {
        let name = name.trim();
        if name.is_empty() {
            return Some(Part::Base);
        }
        let (group, value) = name.split_once('.')?;
        Some(Part::Value {
            group: group.to_string(),
            value: value.to_string(),
        })
    }
}

/// A new operation, as the form sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewOperation {
    /// What is done, 1 to 80 characters.
    pub name: String,
    /// Work center code.
    pub work_center: String,
    /// Minutes per unit, more than 0 and at most 1440.
    pub minutes_per_unit: f64,
    /// Minutes once per order line, 0 to 1440.
    pub setup_minutes: i32,
}

/// An option group in the editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupEditor {
    /// Stable code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Whether a shopper must choose.
    pub required: bool,
    /// Whether several values may be chosen.
    pub multi: bool,
    /// Values in display order.
    pub values: Vec<ValueEditor>,
}

/// An option value in the editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueEditor {
    /// Stable code.
    pub code: String,
    /// Display label.
    pub label: String,
    /// Price difference in minor units (may be negative).
    pub price_delta_minor: i64,
    /// Set when a merchant or a rule froze the value.
    pub frozen: Option<FrozenBy>,
    /// Materials the value adds, by SKU.
    pub bom: Vec<BomLineView>,
    /// Operations the value adds, in sequence.
    pub operations: Vec<OperationView>,
}

/// Why and by whom a value is frozen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenBy {
    /// The reason shoppers see.
    pub reason: String,
    /// `merchant` or `rule`.
    pub by: String,
}

/// Which way an option value moves in its group's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

/// How the materials list is narrowed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialFilter {
    /// Part of the SKU or the name, any case; empty for all.
    pub search: String,
    /// One material kind (`fabric`, `zipper`, …), or all.
    pub kind: Option<String>,
    /// One ABC class (`A`, `B`, `C`) from the stored policies, or all.
    pub class: Option<String>,
    /// Only materials whose available stock is at or below their reorder point.
    pub below_reorder_point: bool,
}

/// A material in the admin's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialRow {
    /// SKU.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Kind (`fabric`, `leather`, …).
    pub kind: String,
    /// Unit of every quantity (`cm`, `pcs`).
    pub unit: String,
    /// Cost per unit in minor units.
    pub unit_cost_minor: i64,
    /// Whether it is a generic (shared) material.
    pub is_generic: bool,
    /// Colour family, if any.
    pub colour_family: Option<String>,
    /// Attributes as `key: value` pairs in key order.
    pub attributes: Vec<(String, String)>,
    /// ABC class from the stored policy, if computed.
    pub abc: Option<String>,
    /// XYZ class from the stored policy, if computed.
    pub xyz: Option<String>,
    /// Reorder point from the stored policy, if computed.
    pub reorder_point: Option<i64>,
    /// Whether on hand minus reserved over all nodes is at or below the reorder point.
    pub below_reorder_point: bool,
    /// Stock per node, in node code order (nodes with no row and no inbound omitted).
    pub stock: Vec<StockAtNode>,
}

/// One material's stock at one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockAtNode {
    /// Node code.
    pub node: String,
    /// Node name.
    pub node_name: String,
    /// Units on hand.
    pub on_hand: i64,
    /// Units promised to orders.
    pub reserved: i64,
    /// Units on confirmed purchase orders and transfers not yet received.
    pub inbound: i64,
}

/// What the materials page offers in its filters and forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialChoices {
    /// Material kinds in use, sorted.
    pub kinds: Vec<String>,
    /// The shop's nodes: (code, name).
    pub nodes: Vec<(String, String)>,
}

/// A purchase order or transfer line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundRow {
    /// Row id (what confirm / receive / cancel name).
    pub id: i64,
    /// The merchant's reference (`PO-2026-0042`).
    pub reference: String,
    /// `purchase` or `transfer`.
    pub kind: String,
    /// Material SKU.
    pub sku: String,
    /// Material name.
    pub material: String,
    /// Unit of the quantity.
    pub unit: String,
    /// Supplier code, for a purchase.
    pub supplier: Option<String>,
    /// Sending node code, for a transfer.
    pub from_node: Option<String>,
    /// Destination node code.
    pub node: String,
    /// Units.
    pub quantity: i64,
    /// Expected arrival.
    pub eta: NaiveDate,
    /// `draft`, `confirmed`, `received` or `cancelled`.
    pub status: String,
    /// For a purchase order: how and when it went to its supplier, and the supplier's
    /// confirmation, in words ("sent by webhook 2026-12-05 10:02 UTC · confirmed by the
    /// supplier as SO-77").
    pub sent: Option<String>,
}

/// A new purchase order, as the form sends it (checked on the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPurchaseOrder {
    /// Supplier code.
    pub supplier: String,
    /// Material SKU.
    pub sku: String,
    /// Destination node code.
    pub node: String,
    /// Units: at least the supplier's minimum and a whole number of packs.
    pub quantity: i64,
    /// Expected arrival, not before today.
    pub eta: NaiveDate,
    /// Reference; generated (`PO-<id>`) when empty.
    pub reference: String,
}

/// What can happen to an inbound line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundAction {
    /// Draft → confirmed: the supplier accepted it; quotes count on it from now on.
    Confirm,
    /// Confirmed → received: the units are on hand at the destination.
    Receive,
    /// Draft or confirmed → cancelled.
    Cancel,
}

/// A supplier and what it supplies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Contact email.
    pub email: Option<String>,
    /// `active` or `discontinued`.
    pub status: String,
    /// Its materials, by SKU.
    pub offers: Vec<SupplierOffer>,
}

/// One material a supplier supplies, on what terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierOffer {
    /// Material SKU.
    pub sku: String,
    /// Material name.
    pub material: String,
    /// Mean lead time in days.
    pub lead_time_mean_days: f64,
    /// Standard deviation of the lead time in days.
    pub lead_time_sd_days: f64,
    /// Minimum order quantity.
    pub moq: i64,
    /// Units per pack.
    pub pack_size: i64,
    /// Price per unit in minor units.
    pub price_minor: i64,
    /// `active` or `discontinued`.
    pub status: String,
    /// Weight (0–100) of the material's forecast planned with this offer.
    pub forecast_share: i32,
    /// Its fraction of the forecast among the material's active offers (`None` when
    /// this one is not active).
    pub forecast_fraction: Option<f64>,
}

/// A capacity reservation with a supplier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationRow {
    /// Row id.
    pub id: i64,
    /// Supplier code.
    pub supplier: String,
    /// Material SKU.
    pub sku: String,
    /// Units reserved.
    pub quantity: i64,
    /// First day of the window.
    pub window_start: NaiveDate,
    /// Last day of the window.
    pub window_end: NaiveDate,
    /// When the supplier must confirm by.
    pub confirm_by: DateTime<Utc>,
    /// Fee in minor units.
    pub fee_minor: i64,
    /// `requested`, `confirmed`, `expired` or `released`.
    pub status: String,
}

/// The supply page: suppliers, open and recent inbound lines, reservations, and the
/// nodes a purchase order can go to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplyView {
    /// Suppliers by code.
    pub suppliers: Vec<SupplierRow>,
    /// Draft and confirmed lines by ETA, then the 50 most recently received or
    /// cancelled.
    pub inbound: Vec<InboundRow>,
    /// Capacity reservations by confirm-by deadline.
    pub reservations: Vec<ReservationRow>,
    /// Stock kept for one sales channel, by material and node.
    pub allocations: Vec<AllocationRow>,
    /// The shop's nodes: (code, name).
    pub nodes: Vec<(String, String)>,
    /// Each offer's declared and learned lead time, by supplier and SKU.
    pub lead_times: Vec<LeadTimeRow>,
    /// Each work center's learned pace, by code.
    pub paces: Vec<PaceRow>,
    /// How sure the shop's promises are and whether they learn.
    pub promises: PromiseSettings,
}

/// How sure a shop's promises are, and whether quotes use learned lead times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseSettings {
    /// The quantile of the delivery date an order commits to, in thousandths (970).
    pub permille: i32,
    /// Whether quotes use lead times learned from receipts.
    pub learn: bool,
}

/// One offer's lead time: what the supplier declared, what its receipts show, and the
/// receipts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeRow {
    /// Supplier code.
    pub supplier: String,
    /// Material SKU.
    pub sku: String,
    /// Declared mean, days.
    pub declared_mean: f64,
    /// Declared standard deviation, days.
    pub declared_sd: f64,
    /// Learned mean, days (the declared one until a receipt).
    pub learned_mean: f64,
    /// Learned standard deviation, days.
    pub learned_sd: f64,
    /// The receipts, newest first.
    pub receipts: Vec<ReceiptRow>,
}

/// One work center's pace: its real minutes against its routings', as its finished
/// operations show them, with those operations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaceRow {
    /// Work-center code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Learned real ÷ planned minutes (1 until an operation is reported).
    pub ratio: f64,
    /// Its spread from operation to operation.
    pub sd: f64,
    /// The finished operations, newest first.
    pub finished: Vec<FinishedRow>,
}

/// A finished operation, as a pace observation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishedRow {
    /// The order.
    pub order_id: i64,
    /// The operation's place in the order's routing.
    pub seq: i32,
    /// Minutes its routing states.
    pub planned_minutes: i32,
    /// Minutes it took.
    pub actual_minutes: i32,
    /// When it finished.
    pub finished_on: NaiveDate,
}

/// A received purchase order, as a lead-time observation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRow {
    /// Its reference (`PO-1042`).
    pub reference: String,
    /// When it was ordered.
    pub ordered_on: NaiveDate,
    /// When it arrived.
    pub received_on: NaiveDate,
    /// Days between the two.
    pub days: i64,
}

/// Stock of a material at a node kept for one sales channel: other channels' quotes
/// and orders leave it alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationRow {
    /// Material SKU.
    pub sku: String,
    /// Node code.
    pub node: String,
    /// The channel it is kept for.
    pub channel: String,
    /// Units kept, when given as a quantity.
    pub quantity: Option<i64>,
    /// Share of the node's on-hand stock kept, when given as a share (0 to 1).
    pub share: Option<f64>,
    /// Units kept now.
    pub kept: i64,
    /// On hand at the node now.
    pub on_hand: i64,
}

/// Stock to keep for a channel, as the Supply page's form sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAllocation {
    /// Material SKU.
    pub sku: String,
    /// Node code.
    pub node: String,
    /// The channel (`wholesale`).
    pub channel: String,
    /// Units kept, or
    pub quantity: Option<i64>,
    /// a share of the node's on-hand stock (0 to 1).
    pub share: Option<f64>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: `merchant:<id>`, `api:<key prefix>`, `rule:<name>` or `system`.
    pub actor: String,
    /// What (`product.update`, `stock.set`, …).
    pub action: String,
    /// The kind of thing changed.
    pub entity: String,
    /// Which one.
    pub entity_id: String,
    /// Its state before, as compact JSON.
    pub before: Option<String>,
    /// Its state after, as compact JSON.
    pub after: Option<String>,
}

/// A new transfer between two of the shop's nodes, as the form sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTransfer {
    /// Material SKU.
    pub sku: String,
    /// Sending node code (needs a transfer lane to the destination).
    pub from_node: String,
    /// Destination node code.
    pub to_node: String,
    /// Units: at least 1, at most what the sending node has free.
    pub quantity: i64,
    /// Reference; generated (`TR-<id>`) when empty.
    pub reference: String,
}

/// A new capacity reservation with a supplier, as the form sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReservation {
    /// Supplier code (must offer the material).
    pub supplier: String,
    /// Material SKU.
    pub sku: String,
    /// Units reserved, at least 1.
    pub quantity: i64,
    /// First day the supplier delivers from.
    pub window_start: NaiveDate,
    /// Last day of the window, not before its start.
    pub window_end: NaiveDate,
    /// The day the supplier must confirm by (end of that day, UTC), not after the
    /// window starts; unless given, 48 hours from the request (at the latest the
    /// window's first day). Unconfirmed past it, the reservation expires by itself.
    pub confirm_by: Option<NaiveDate>,
    /// Fee in minor units, not negative.
    pub fee_minor: i64,
}

/// What can happen to a capacity reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationAction {
    /// Requested → confirmed: the supplier holds the capacity; quotes count on it.
    Confirm,
    /// Requested or confirmed → released: the capacity is given back.
    Release,
}

/// What a value's forms ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueChange {
    /// New label and price difference.
    Update {
        /// Display label.
        label: String,
        /// Price difference in minor units.
        price_delta_minor: i64,
    },
    /// One place earlier or later.
    Move(Move),
    /// Frozen, with the reason shoppers see.
    Freeze {
        /// The reason.
        reason: String,
    },
    /// Available again.
    Unfreeze,
}

/// A change to how a product is built.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StructureChange {
    /// A new option group at the end.
    AddGroup {
        /// Code, unique in the product.
        code: String,
        /// Display name.
        name: String,
        /// Whether a shopper must choose.
        required: bool,
        /// Whether several values may be chosen.
        multi: bool,
    },
    /// A new value at the end of `group`.
    AddValue {
        /// Group code.
        group: String,
        /// Code, unique in the group.
        code: String,
        /// Display label.
        label: String,
        /// Price difference in minor units.
        price_delta_minor: i64,
    },
    /// How much of a material the product or a value takes (0 removes the line).
    SetBomLine {
        /// Whose bill of materials.
        part: Part,
        /// Material SKU.
        sku: String,
        /// Units per product.
        quantity: i64,
    },
    /// A new operation at the end of the product's or a value's routing.
    AddOperation {
        /// Whose routing.
        part: Part,
        /// The operation.
        operation: NewOperation,
    },
    /// An operation removed.
    RemoveOperation {
        /// Whose routing.
        part: Part,
        /// Its position.
        seq: i32,
    },
}
