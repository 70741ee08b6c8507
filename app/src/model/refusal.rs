//! A refusal of an admin call, as the admin pages show it and the server functions
//! send it: its kind, the form field it concerns, a sentence for the merchant.

use serde::{Deserialize, Serialize};

/// Why an admin call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminErrorKind {
    /// A field's value is not acceptable.
    Invalid,
    /// Someone else changed the thing since the page was loaded.
    Conflict,
    /// The thing does not exist (any more).
    NotFound,
    /// No live session: sign in again.
    SignedOut,
    /// The server or the network failed.
    Failed,
}

/// A refusal the admin shows: next to `field` when there is one, above the form
/// otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AdminError {
    /// What kind of refusal.
    pub kind: AdminErrorKind,
    /// The form field it concerns (for per-value forms `group.value.field`).
    pub field: Option<String>,
    /// A sentence for the merchant.
    pub message: String,
}

impl AdminError {
    /// A field's value is not acceptable.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AdminError {
            kind: AdminErrorKind::Invalid,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A refusal of another `kind`, about no field in particular.
    pub fn new(kind: AdminErrorKind, message: impl Into<String>) -> Self {
        AdminError {
            kind,
            field: None,
            message: message.into(),
        }
    }

    /// The same refusal with its field put under `prefix` (`fabric.linen.` + `reason`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field {
            Some(field) => format!("{prefix}.{field}"),
            None => prefix.to_string(),
        });
        self
    }

    /// The same refusal shown next to a table row (`inbound-12`) when it concerns any
    /// field of it: a row's only form is its buttons.
    pub fn about_row(mut self, row: &str) -> Self {
        if self.field.is_some() {
            self.field = Some(row.to_string());
        }
        self
    }

    /// Whether the refusal is about `field` exactly.
    pub fn is_about(&self, field: &str) -> bool {
        self.field.as_deref() == Some(field)
    }

    /// Whether the refusal concerns nothing more precise than `scope` (the form's own
    /// banner shows it): no field, or `scope` itself.
    pub fn is_general_for(&self, scope: Option<&str>) -> bool {
        match (&self.field, scope) {
            (None, _) => true,
            (Some(field), Some(scope)) => field == scope,
            _ => false,
        }
    }
}
