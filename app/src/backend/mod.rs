//! The interface the storefront's server functions call, implemented by the server
//! crate (the admin's areas declare theirs beside their server functions,
//! `server_fns::admin`).
//!
//! `server` depends on `app`, so `app` cannot call server code directly: the server
//! provides an `Arc<dyn Backend>` through Leptos context instead. That keeps the app free
//! of database types and lets tests substitute nothing: they run the real server.

use std::sync::Arc;

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
    /// Checks a merchant's credentials; on success opens a session, ending the one the
    /// browser carried before (`replacing`), so a session token is never reused across
    /// a sign-in.
    async fn login(
        &self,
        email: &str,
        password: &str,
        replacing: Option<&str>,
    ) -> Result<SignIn, BackendError>;
    /// The merchant a session token belongs to, if the session is live.
    async fn merchant(&self, session_token: &str) -> Result<Option<MerchantView>, BackendError>;
    /// Ends a session.
    async fn logout(&self, session_token: &str) -> Result<(), BackendError>;
    /// Ends every session of the merchant signed in with `session_token`, on every
    /// device.
    async fn logout_everywhere(&self, session_token: &str) -> Result<(), BackendError>;
    /// Whether the session cookie is sent over HTTPS only (`secure_cookies`).
    fn secure_cookies(&self) -> bool;
}

/// What a sign-in attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the new session's token.
    Session(String),
    /// Wrong email or password (the two are not told apart).
    Refused,
    /// Too many failed attempts for this email: no password is checked until the
    /// lockout ends.
    Locked,
}

/// How the backend travels through Leptos context.
pub type SharedBackend = Arc<dyn Backend>;

/// The backend of the current request.
pub fn backend() -> Result<SharedBackend, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<SharedBackend>()
        .ok_or_else(|| leptos::prelude::ServerFnError::new("backend missing from context"))
}
