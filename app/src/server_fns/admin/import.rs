//! Server functions of the import page, the import outcome page and the New material
//! form. Files themselves go up and down through plain routes of the server
//! (`/admin/import/{kind}`, `/admin/export/{kind}.csv`), not through these.

use leptos::prelude::*;

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_money, signed_in};
use crate::model::import::ImportRecord;
#[cfg(feature = "ssr")]
use crate::model::import::{NewMaterial, parse_attributes};

/// How many imports the import page lists.
pub const RECENT_IMPORTS: u64 = 20;

/// The newest imports of the shop.
#[server(prefix = "/_fn", endpoint = "admin/imports")]
pub async fn admin_imports() -> Result<Vec<ImportRecord>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.imports(&session, RECENT_IMPORTS).await
}

/// One import's outcome; `None` when the shop has no import `id`.
#[server(prefix = "/_fn", endpoint = "admin/import")]
pub async fn admin_import(id: i64) -> Result<Option<ImportRecord>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.import(&session, id).await
}

/// The New material form's optional fields as typed. Flattened into the server
/// function's arguments, so the form's field names stay plain.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MaterialExtras {
    /// Colour family (empty for none).
    #[serde(default)]
    pub colour_family: String,
    /// The check box: present when ticked.
    #[serde(default)]
    pub is_generic: Option<String>,
    /// `key=value; key=value`.
    #[serde(default)]
    pub attributes: String,
}

/// Adds a material. `is_generic` is a check box (present when ticked); `attributes`
/// is `key=value; key=value`.
#[server(prefix = "/_fn", endpoint = "admin/create_material")]
pub async fn create_material(
    sku: String,
    name: String,
    unit: String,
    unit_cost: String,
    kind: String,
    #[server(flatten)] extras: MaterialExtras,
) -> Result<(), AdminError> {
    let MaterialExtras {
        colour_family,
        is_generic,
        attributes,
    } = extras;
    let colour_family = colour_family.trim();
    let material = NewMaterial {
        sku,
        name,
        unit,
        unit_cost_minor: field("unit_cost", parse_money(&unit_cost))?,
        kind,
        colour_family: (!colour_family.is_empty()).then(|| colour_family.to_string()),
        is_generic: is_generic.is_some(),
        attributes: field("attributes", parse_attributes(&attributes))?,
    };
    let (backend, session) = signed_in().await?;
    backend.create_material(&session, material).await
}

#[cfg(feature = "ssr")]
pub use interface::ImportAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
    use crate::model::import::{ImportKind, ImportRecord, NewMaterial};
    use crate::model::refusal::AdminError;

    /// CSV export and import (`docs/csv.md`), their recorded outcomes, and the New material
    /// form.
    #[async_trait::async_trait]
    pub trait ImportAdmin: Send + Sync {
        /// The shop's current `kind` data as a CSV file.
        async fn export_csv(&self, session: &str, kind: ImportKind) -> Result<String, AdminError>;
        /// Imports a `kind` file: all of it, or (refused, with every problem's line and
        /// column) none of it. Either way the outcome is recorded and returned; an error
        /// means the session or the database failed.
        async fn import_csv(
            &self,
            session: &str,
            kind: ImportKind,
            file_name: &str,
            contents: &[u8],
        ) -> Result<ImportRecord, AdminError>;
        /// Records a file refused before it could be read (too large), with `message`.
        async fn refuse_import(
            &self,
            session: &str,
            kind: ImportKind,
            file_name: &str,
            message: String,
        ) -> Result<ImportRecord, AdminError>;
        /// The newest `limit` imports.
        async fn imports(&self, session: &str, limit: u64) -> Result<Vec<ImportRecord>, AdminError>;
        /// One import's outcome; `None` for an id of no import of this shop.
        async fn import(&self, session: &str, id: i64) -> Result<Option<ImportRecord>, AdminError>;
        /// Adds a material; refused (with its field) when a rule is broken or the SKU exists.
        async fn create_material(&self, session: &str, material: NewMaterial) -> Result<(), AdminError>;
    }
}
