//! Supply: materials and their stock, stock counts, suppliers and their offers,
//! purchase orders and transfers (inbound lines), capacity reservations with
//! suppliers, stock kept for one sales channel, and the CSV import and export of
//! materials, stock and suppliers.
//!
//! Stock counts (`stock`) are one rule for the REST API and the admin; inbound
//! transitions are guarded by the status they start from, so of two concurrent moves
//! only one lands.

mod admin;
mod allocations;
mod awaited;
mod commitments;
mod csv;
mod expiry;
mod lead_times;
mod material_writes;
mod materials;
mod paces;
mod purchasing;
mod reschedule;
mod sending;
mod sourcing;
mod stock;

pub use allocations::{
    ALLOCATION_CURSOR, Allocation, AllocationPage, Keep, allocation_page, allocations, remove_allocation,
    set_allocation,
};
pub use app::model::admin::{
    InboundAction, InboundRow, LeadTimeRow, MaterialChoices, MaterialFilter, MaterialRow, NewPurchaseOrder,
    NewReservation, NewTransfer, PromiseSettings, ReservationAction, ReservationRow, StockAtNode,
    SupplierOffer, SupplierRow, SupplyView,
};
pub use app::model::import::ImportState;
pub use awaited::raise_awaited;
pub(crate) use commitments::draft_transfer;
pub use commitments::{act_on_reservation, create_reservation, create_transfer};
pub use csv::{
    CHUNK_ROWS, DEFAULT_REASON, Imported, MAX_FILE_BYTES, export_csv, import_csv, import_record, imports,
    refuse_file, too_large,
};
pub use expiry::{ACTOR as EXPIRY_ACTOR, CONFIRM_WITHIN, expire_due, expire_reservations};
pub use lead_times::{
    LEAD_TIME_CURSOR, LeadTimePage, Promises, lead_time_page, lead_time_rows, promise_settings,
    save_promises, set_promises,
};
pub use material_writes::{CheckedMaterial, check_material, check_material_change, create_material};
pub use materials::{adjust_stock, material_choices, materials};
pub(crate) use purchasing::draft_purchase_order;
pub use purchasing::{act_on_inbound, create_purchase_order, supply_view};
pub use reschedule::{Rescheduled, reschedule_inbound};
pub use sending::{
    ConfirmationError, ConfirmedOrder, PurchaseOrderDocument, Sent, SupplierConfirmation,
    confirm_by_supplier, purchase_order_csv, send_purchase_order, supplier_actor,
};
pub use sourcing::{make_up_for_late, set_shares_back};
pub use stock::{StockLevel, set_stock};
