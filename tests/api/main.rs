//! The REST API and the server-rendered pages over real HTTP, on SQLite and PostgreSQL.

mod admin;
mod admin_capacity;
mod admin_csv;
mod admin_policies;
mod admin_settings;
mod admin_store;
mod analytics;
mod awaited;
mod configurator;
mod cors;
mod durability;
mod events;
mod faults;
mod lead_times;
mod limits;
mod operations;
mod orders;
mod pages;
mod persistence;
mod platform;
mod policies;
mod promises;
mod quotes;
mod replay;
mod versions;
mod webhooks;
