//! c2m's database schema (`docs/schema.md`) as sea-orm migrations.
//!
//! Only sea-orm's portable schema builder is used, so the same migrations run on SQLite and
//! PostgreSQL. Tables are created in dependency order with their foreign keys inline (SQLite
//! cannot add a constraint to an existing table); `down` drops them in reverse.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_shops;
mod m20261125_000002_supply;
mod m20261125_000003_capacity;
mod m20261125_000004_catalog;
mod m20261125_000005_orders;
mod m20261125_000006_signals;
mod m20261125_000007_audit;
mod m20261125_000008_generic_part;
mod m20261127_000009_shop_version;
mod m20261127_000010_imports;
mod m20261127_000011_heat_rollups;
mod m20261127_000012_policy_settings;
mod m20261127_000013_drop_daily_demand;
mod m20261202_000014_shop_cascade;
mod m20261203_000015_order_booking;
mod m20261204_000016_webhooks;
mod m20261205_000017_promises;
mod m20261205_000018_learned_lead_times;
mod m20261206_000019_order_operations;
mod m20261206_000020_sessions_and_alerts;
mod m20261207_000021_sign_in_failures;
mod m20261208_000022_material_consumption;
mod m20261209_000023_automation_rules;
mod m20261210_000024_purchase_order_sending;
mod m20261211_000025_freed_parts;
mod m20261212_000026_inventory_closes;
mod m20261213_000027_forecast_share;

/// Every migration of the schema, in the order they apply.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_shops::Migration),
            Box::new(m20261125_000002_supply::Migration),
            Box::new(m20261125_000003_capacity::Migration),
            Box::new(m20261125_000004_catalog::Migration),
            Box::new(m20261125_000005_orders::Migration),
            Box::new(m20261125_000006_signals::Migration),
            Box::new(m20261125_000007_audit::Migration),
            Box::new(m20261125_000008_generic_part::Migration),
            Box::new(m20261127_000009_shop_version::Migration),
            Box::new(m20261127_000010_imports::Migration),
            Box::new(m20261127_000011_heat_rollups::Migration),
            Box::new(m20261127_000012_policy_settings::Migration),
            Box::new(m20261127_000013_drop_daily_demand::Migration),
            Box::new(m20261202_000014_shop_cascade::Migration),
            Box::new(m20261203_000015_order_booking::Migration),
            Box::new(m20261204_000016_webhooks::Migration),
            Box::new(m20261205_000017_promises::Migration),
            Box::new(m20261205_000018_learned_lead_times::Migration),
            Box::new(m20261206_000019_order_operations::Migration),
            Box::new(m20261206_000020_sessions_and_alerts::Migration),
            Box::new(m20261207_000021_sign_in_failures::Migration),
            Box::new(m20261208_000022_material_consumption::Migration),
            Box::new(m20261209_000023_automation_rules::Migration),
            Box::new(m20261210_000024_purchase_order_sending::Migration),
            Box::new(m20261211_000025_freed_parts::Migration),
            Box::new(m20261212_000026_inventory_closes::Migration),
            Box::new(m20261213_000027_forecast_share::Migration),
        ]
    }
}
