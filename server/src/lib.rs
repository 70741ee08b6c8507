//! The c2m server: everything that does I/O around the pure `engine`.
//!
//! Layering (see ARCHITECTURE.md): `engine` ← `store` (persistence; every write through its
//! unit of work, `store::unit`) ← `quoting` (snapshots and cached answers) ← `api` (REST)
//! and `backend` (Leptos server functions), which share `state::AppState` ← `startup`
//! (composition) ← `main` (the binary). No two modules import each other
//! (`cargo xtask circles`).

pub mod access;
pub mod admin_csv;
pub mod api;
pub mod auth;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csrf;
pub mod edge;
pub mod fault;
pub mod headers;
pub mod health;
pub mod ingest;
pub mod jobs;
pub mod limits;
pub mod metrics;
pub mod quoting;
#[cfg(feature = "demo")]
pub mod seed;
pub mod serve;
pub mod service;
pub mod simulate;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
