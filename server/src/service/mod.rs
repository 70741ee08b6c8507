//! The rules of each area the merchant works in, called by the REST handlers (`api`)
//! and by the admin's server functions (each area's `admin.rs` implements the app's
//! trait for that area, declared beside its server functions in `app::server_fns::admin`).
//!
//! - [`catalog`]: products, their option groups, values, bills of materials and
//!   operations, freezes.
//! - [`supply`]: materials, stock counts, suppliers, purchase orders, transfers,
//!   capacity reservations, CSV import and export.
//! - [`capacity`]: work centers' hours, holidays and load.
//! - [`settings`]: the shop's profile, calendar, widget origins, API keys; the audit log.
//! - [`policies`]: inventory policies and their recomputation.
//! - [`alerts`]: the rules that raise alerts and the merchant's inbox.
//! - [`heat`]: presale heat reports.
//! - [`orders`]: booking orders against what their promise uses, their life, late
//!   risk, the shop platform's signed notifications, and how many promises came true.
//! - [`webhooks`]: events out to the merchant's endpoints from the outbox, and the one
//!   signature scheme; [`idempotency`]: the stored answers of creating requests.
//!
//! A write takes the caller's unit of work ([`ShopWrite`](crate::store::ShopWrite)),
//! checks, changes, records the change ([`Change`](crate::store::Change)) and commits;
//! the commit audits, bumps the shop's state version when quotes depend on what was
//! written and tells the quote service. A refusal changes nothing (the unit of work is
//! dropped, so rolled back): [`WriteError::Invalid`] names the field,
//! [`WriteError::Conflict`] says someone else changed the thing first. Product and
//! option writes are guarded by the product's `version`, stock counts by the count the
//! merchant saw, inbound transitions by the status they start from.
//!
//! The store below holds the entities, the unit of work and the reads several areas
//! share; it knows nothing of the app's wire types, which are made here.

pub mod alerts;
pub mod audit;
pub mod capacity;
pub mod catalog;
pub mod cursor;
pub mod heat;
pub mod idempotency;
pub mod kpis;
pub mod orders;
pub mod policies;
pub mod recompute;
pub mod settings;
pub mod supply;
pub mod webhooks;

use app::model::admin::AuditEntry;
use app::server_fns::admin::AdminBackend;
use app::server_fns::admin::{AdminError, AdminErrorKind};

use crate::backend::{StoreBackend, failed};
use crate::quoting::QuoteError;
use crate::store::StoreError;

/// A refused write: what is wrong, and with which field.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The thing to change does not exist in the shop.
    #[error("{0}")]
    NotFound(String),
    /// A field's value is not acceptable.
    #[error("{detail}")]
    Invalid {
        /// JSON path of the field.
        field: &'static str,
        /// Why.
        detail: String,
    },
    /// Someone else changed the thing since the caller read it; nothing was saved.
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl crate::store::retry::Contention for WriteError {
    fn is_contention(&self) -> bool {
        matches!(self, WriteError::Store(e) if e.is_contention())
    }
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(e: sea_orm::DbErr) -> Self {
        WriteError::Store(e.into())
    }
}

/// A product or option write that was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The product's version after the write: what the editor sends with its next save.
    pub version: i64,
    /// The shop's state version after the write.
    pub state_version: i64,
}

/// Moves a row to a new status from the first of `from` it is in, and says which; `None`
/// when it was in none of them. `update(status)` is the row's update conditional on
/// `status`: of two concurrent moves only one can match (and on SQLite the write lock
/// is held from this first statement).
pub(crate) async fn move_status<E: sea_orm::EntityTrait, S: Copy>(
    txn: &impl sea_orm::ConnectionTrait,
    from: &[S],
    update: impl Fn(S) -> sea_orm::UpdateMany<E>,
) -> Result<Option<S>, sea_orm::DbErr> {
    for &status in from {
        if update(status).exec(txn).await?.rows_affected > 0 {
            return Ok(Some(status));
        }
    }
    Ok(None)
}

/// The shop's nodes as `(code, name)`, by code: what stock and purchase forms offer.
pub(crate) async fn node_choices(
    db: &impl sea_orm::ConnectionTrait,
    shop_id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    use crate::store::entities::nodes;
    Ok(nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .order_by_asc(nodes::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|node| (node.code, node.name))
        .collect())
}

/// A refusal of the form field `field`.
pub(crate) fn invalid(field: &'static str, detail: impl Into<String>) -> WriteError {
    WriteError::Invalid {
        field,
        detail: detail.into(),
    }
}

/// `value` trimmed, refused when empty or longer than `max` characters.
pub(crate) fn required_text<'a>(
    field: &'static str,
    value: &'a str,
    max: usize,
) -> Result<&'a str, WriteError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, "cannot be empty"));
    }
    let length = value.chars().count();
    if length > max {
        return Err(invalid(
            field,
            format!("must be at most {max} characters (it has {length})"),
        ));
    }
    Ok(value)
}

/// A refused write as the admin shows it.
pub(crate) fn refused(e: WriteError) -> AdminError {
    match e {
        WriteError::Invalid { field, detail } => AdminError::invalid(field, detail),
        WriteError::NotFound(detail) => AdminError::new(AdminErrorKind::NotFound, detail),
        WriteError::Conflict(detail) => AdminError::new(AdminErrorKind::Conflict, detail),
        WriteError::Store(e) => failed(e),
    }
}

/// A refused quote (the admin's preview) as the admin shows it.
pub(crate) fn quote_refused(e: QuoteError) -> AdminError {
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
        audit::audit_entries(&self.db, who.shop.id, limit)
            .await
            .map_err(failed)
    }
}
