//! What every request handler and scheduled job can reach, in a module of its own so
//! the handlers (`api`, `health`, `jobs`) and the composition (`startup`) depend on it
//! and not on each other.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::access::AuthCache;
use crate::clock::Clock;
use crate::config::Config;
use crate::ingest::Ingest;
use crate::quoting::Quoting;
use crate::service::orders::Desk;
use crate::store::Db;

/// What every request handler can reach: one shared [`Shared`], so cloning the state
/// (which the router does for every request, once per layer that takes it) is one
/// reference count and not one per part. With a field per part it was seven shared
/// counters touched twice per clone, 8 % of a cached quote's CPU under load.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of [`AppState`], reached through it (`state.db`).
pub struct Shared {
    /// The database, behind the guard that lets writes through only in a unit of work.
    pub db: Db,
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// Leptos' settings, needed by the SSR routes.
    pub leptos: Arc<LeptosOptions>,
    /// Quote snapshots and cached answers.
    pub quoting: Arc<Quoting>,
    /// Cached key and origin lookups.
    pub auth: Arc<AuthCache>,
    /// The server's clock (the units of work's and the quote service's too), so tests
    /// can move time.
    pub clock: Clock,
    /// The heat writer (group commit).
    pub ingest: Ingest,
    /// Where orders are placed (group commit too).
    pub orders: Desk,
}

impl AppState {
    /// The state of a server made of `parts`.
    pub fn new(parts: Shared) -> AppState {
        AppState(Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        (*state.leptos).clone()
    }
}
