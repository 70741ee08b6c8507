//! The admin's side of the backend: who the session is, then the store's admin reads
//! and writes for that merchant's shop. Each write runs in a unit of work opened for
//! the merchant ([`StoreBackend::write`]), which audits it and, when quotes change,
//! moves the state version the preview (and every widget) is served under.

mod capacity;
mod catalog;
mod heat;
mod import;
mod policies;
mod settings;
mod supply;

use app::backend::AdminBackend;
use app::model::admin::AuditEntry;
use app::server_fns::admin::{AdminError, AdminErrorKind};

use super::StoreBackend;
use crate::quoting::QuoteError;
use crate::store::entities::shops;
use crate::store::writes::WriteError;
use crate::store::{self, Actor, ShopWrite, StoreError, admin};

/// The merchant acting, as the audit log names them, and their shop.
pub(super) struct Acting {
    actor: Actor,
    shop: shops::Model,
}

impl StoreBackend {
    pub(super) async fn acting(&self, session: &str) -> Result<Acting, AdminError> {
        match store::merchants::by_session(&self.db, session).await {
            Ok(Some((merchant, shop))) => Ok(Acting {
                actor: Actor::merchant(merchant.id),
                shop,
            }),
            Ok(None) => Err(AdminError::new(
                AdminErrorKind::SignedOut,
                "Your session has ended; sign in again.",
            )),
            Err(e) => Err(failed(e)),
        }
    }

    /// A unit of work changing `who`'s shop on their behalf.
    pub(super) async fn write(&self, who: &Acting) -> Result<ShopWrite, AdminError> {
        self.db
            .write(who.shop.id, who.actor.clone())
            .await
            .map_err(|e| failed(e.into()))
    }
}

/// Logs a store failure and returns a message fit for the page.
pub(super) fn failed(e: StoreError) -> AdminError {
    tracing::error!(error = %e, "admin call failed");
    AdminError::new(
        AdminErrorKind::Failed,
        "The database is unavailable; nothing was saved. Try again shortly.",
    )
}

pub(super) fn refused(e: WriteError) -> AdminError {
    match e {
        WriteError::Invalid { field, detail } => AdminError::invalid(field, detail),
        WriteError::NotFound(detail) => AdminError::new(AdminErrorKind::NotFound, detail),
        WriteError::Conflict(detail) => AdminError::new(AdminErrorKind::Conflict, detail),
        WriteError::Store(e) => failed(e),
    }
}

pub(super) fn quote_refused(e: QuoteError) -> AdminError {
    match e {
        QuoteError::Store(e) => failed(e),
        QuoteError::Invalid { field, detail } => AdminError::invalid(field, detail),
        other => AdminError::new(AdminErrorKind::Failed, other.to_string()),
    }
}

#[async_trait::async_trait]
impl AdminBackend for StoreBackend {
    async fn audit(&self, session: &str, limit: u64) -> Result<Vec<AuditEntry>, AdminError> {
        let who = self.acting(session).await?;
        admin::audit_entries(&self.db, who.shop.id, limit)
            .await
            .map_err(failed)
    }
}
