//! The interface the server functions call, implemented by the server crate.
//!
//! `server` depends on `app`, so `app` cannot call server code directly: the server
//! provides an `Arc<dyn Backend>` through Leptos context instead. That keeps the app free
//! of database types and lets tests substitute nothing: they run the real server.

mod capacity;
mod catalog;
mod heat;
mod import;
mod policies;
mod settings;
mod supply;

pub use capacity::CapacityAdmin;
pub use catalog::CatalogAdmin;
pub use heat::HeatAdmin;
pub use import::ImportAdmin;
pub use policies::PoliciesAdmin;
pub use settings::SettingsAdmin;
pub use supply::SupplyAdmin;

use std::sync::Arc;

use crate::model::admin::AuditEntry;
use crate::model::refusal::AdminError;
use crate::model::storefront::{MerchantView, StorefrontView};
use crate::model::{ConfiguratorView, QuoteRequest, QuoteView};

/// A failure the UI reports without detail (the server logs the detail).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BackendError(pub String);

/// What the UI needs from the rest of the system.
#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    /// The demo storefront: the shop and its products.
    async fn storefront(&self) -> Result<StorefrontView, BackendError>;
    /// A product's configurator in the storefront's shop, `None` for an unknown slug.
    async fn configurator(&self, slug: &str) -> Result<Option<ConfiguratorView>, BackendError>;
    /// The answer for a configuration of a product of the storefront's shop; an invalid
    /// request is an error that says which field is wrong.
    async fn quote(&self, request: QuoteRequest) -> Result<QuoteView, BackendError>;
    /// Checks a merchant's credentials; on success returns a new session token.
    async fn login(&self, email: &str, password: &str) -> Result<Option<String>, BackendError>;
    /// The merchant a session token belongs to, if the session is live.
    async fn merchant(&self, session_token: &str) -> Result<Option<MerchantView>, BackendError>;
    /// Ends a session.
    async fn logout(&self, session_token: &str) -> Result<(), BackendError>;
}

/// How the backend travels through Leptos context.
pub type SharedBackend = Arc<dyn Backend>;

/// The backend of the current request.
pub fn backend() -> Result<SharedBackend, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<SharedBackend>()
        .ok_or_else(|| leptos::prelude::ServerFnError::new("backend missing from context"))
}

/// What the merchant admin needs, one trait per area of the admin. Every call names the
/// session it acts for, and acts on that merchant's shop only. Writes follow the API's
/// rules, refuse a stale version, land in the audit log and, when they change quotes,
/// reach the quote service before they answer.
#[async_trait::async_trait]
pub trait AdminBackend:
    CatalogAdmin
    + SupplyAdmin
    + SettingsAdmin
    + CapacityAdmin
    + ImportAdmin
    + HeatAdmin
    + PoliciesAdmin
    + Send
    + Sync
{
    /// The newest `limit` audit entries.
    async fn audit(&self, session: &str, limit: u64) -> Result<Vec<AuditEntry>, AdminError>;
}

/// How the admin backend travels through Leptos context.
pub type SharedAdmin = Arc<dyn AdminBackend>;
