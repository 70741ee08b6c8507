//! The c2m server: everything that does I/O around the pure `engine`.
//!
//! Layering (see ARCHITECTURE.md): `engine` ← `store` (persistence) ← `quoting` (snapshots and
//! cached answers) ← `api` (REST) and `backend` (Leptos server functions) ← `startup` (composition) ← `main` (the binary).

pub mod admin_csv;
pub mod alerts;
pub mod api;
pub mod auth;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod config;
pub mod health;
pub mod ingest;
pub mod jobs;
pub mod policies;
pub mod quoting;
pub mod seed;
pub mod startup;
pub mod store;
pub mod telemetry;
