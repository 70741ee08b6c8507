//! sea-orm entities, one module per table of `docs/schema.md`.

pub mod alerts;
pub mod api_keys;
pub mod audit_log;
pub mod automation_rules;
pub mod capacity_reservations;
pub mod channel_allocations;
pub mod heat_daily;
pub mod heat_events;
pub mod heat_hourly;
pub mod idempotency_keys;
pub mod imports;
pub mod inbound;
pub mod inventory_closes;
pub mod material_consumption;
pub mod materials;
pub mod merchants;
pub mod nodes;
pub mod option_groups;
pub mod option_value_bom_lines;
pub mod option_value_operations;
pub mod option_values;
pub mod order_operations;
pub mod order_reservations;
pub mod orders;
pub mod policies;
pub mod policy_settings;
pub mod product_bom_lines;
pub mod product_operations;
pub mod products;
pub mod sessions;
pub mod shop_holidays;
pub mod shop_origins;
pub mod shops;
pub mod sign_in_failures;
pub mod status;
pub mod stock;
pub mod suggestions;
pub mod supplier_materials;
pub mod suppliers;
pub mod transfer_lanes;
pub mod webhook_deliveries;
pub mod webhook_endpoints;
pub mod webhook_events;
pub mod webhook_receipts;
pub mod work_center_bookings;
pub mod work_center_holidays;
pub mod work_centers;

pub use status::{
    AlertSeverity, AlertStatus, DeliveryStatus, ImportStatus, InboundKind, InboundStatus, OptionValueStatus,
    OrderStatus, ReservationSource, ReservationStatus, SuggestionKind, SuggestionStatus, SupplyStatus,
};

/// The entities under the names of their tables (`Shops`, `ApiKeys`, ...).
pub mod prelude {
    pub use super::alerts::Entity as Alerts;
    pub use super::api_keys::Entity as ApiKeys;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::automation_rules::Entity as AutomationRules;
    pub use super::capacity_reservations::Entity as CapacityReservations;
    pub use super::channel_allocations::Entity as ChannelAllocations;
    pub use super::heat_daily::Entity as HeatDaily;
    pub use super::heat_events::Entity as HeatEvents;
    pub use super::heat_hourly::Entity as HeatHourly;
    pub use super::idempotency_keys::Entity as IdempotencyKeys;
    pub use super::imports::Entity as Imports;
    pub use super::inbound::Entity as Inbound;
    pub use super::inventory_closes::Entity as InventoryCloses;
    pub use super::material_consumption::Entity as MaterialConsumption;
    pub use super::materials::Entity as Materials;
    pub use super::merchants::Entity as Merchants;
    pub use super::nodes::Entity as Nodes;
    pub use super::option_groups::Entity as OptionGroups;
    pub use super::option_value_bom_lines::Entity as OptionValueBomLines;
    pub use super::option_value_operations::Entity as OptionValueOperations;
    pub use super::option_values::Entity as OptionValues;
    pub use super::order_operations::Entity as OrderOperations;
    pub use super::order_reservations::Entity as OrderReservations;
    pub use super::orders::Entity as Orders;
    pub use super::policies::Entity as Policies;
    pub use super::policy_settings::Entity as PolicySettings;
    pub use super::product_bom_lines::Entity as ProductBomLines;
    pub use super::product_operations::Entity as ProductOperations;
    pub use super::products::Entity as Products;
    pub use super::sessions::Entity as Sessions;
    pub use super::shop_holidays::Entity as ShopHolidays;
    pub use super::shop_origins::Entity as ShopOrigins;
    pub use super::shops::Entity as Shops;
    pub use super::stock::Entity as Stock;
    pub use super::suggestions::Entity as Suggestions;
    pub use super::supplier_materials::Entity as SupplierMaterials;
    pub use super::suppliers::Entity as Suppliers;
    pub use super::transfer_lanes::Entity as TransferLanes;
    pub use super::webhook_deliveries::Entity as WebhookDeliveries;
    pub use super::webhook_endpoints::Entity as WebhookEndpoints;
    pub use super::webhook_events::Entity as WebhookEvents;
    pub use super::webhook_receipts::Entity as WebhookReceipts;
    pub use super::work_center_bookings::Entity as WorkCenterBookings;
    pub use super::work_center_holidays::Entity as WorkCenterHolidays;
    pub use super::work_centers::Entity as WorkCenters;
}
