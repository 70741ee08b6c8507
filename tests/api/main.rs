//! The REST API and the server-rendered pages over real HTTP, on SQLite and PostgreSQL.

mod admin;
mod admin_capacity;
mod admin_csv;
mod admin_settings;
mod admin_store;
mod configurator;
mod cors;
mod events;
mod pages;
mod persistence;
mod platform;
mod quotes;
