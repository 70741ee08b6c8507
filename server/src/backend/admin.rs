//! Who an admin call acts for: the session's merchant and shop, and the unit of work
//! opened on their behalf ([`StoreBackend::write`]), which audits each write and, when
//! quotes change, moves the state version the preview (and every widget) is served
//! under. The areas' rules behind the admin's traits are in `crate::service`.

use app::server_fns::admin::{AdminError, AdminErrorKind};

use super::StoreBackend;
use crate::store::entities::shops;
use crate::store::{self, Actor, ShopWrite, StoreError};

/// The merchant acting, as the audit log names them, and their shop.
pub(crate) struct Acting {
    /// The merchant, as the audit log names them.
    pub(crate) actor: Actor,
    /// Their shop.
    pub(crate) shop: shops::Model,
}

impl StoreBackend {
    /// The merchant session `session` belongs to, or the admin's "signed out" refusal.
    pub(crate) async fn acting(&self, session: &str) -> Result<Acting, AdminError> {
        match store::merchants::by_session(&self.db, session, self.config.session_idle()).await {
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
    pub(crate) async fn write(&self, who: &Acting) -> Result<ShopWrite, AdminError> {
        self.db
            .write(who.shop.id, who.actor.clone())
            .await
            .map_err(|e| failed(e.into()))
    }
}

/// Logs a store failure and returns a message fit for the page.
pub(crate) fn failed(e: StoreError) -> AdminError {
    tracing::error!(error = %e, "admin call failed");
    AdminError::new(
        AdminErrorKind::Failed,
        "The database is unavailable; nothing was saved. Try again shortly.",
    )
}
