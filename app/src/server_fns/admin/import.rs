//! Server functions of the import page, the import outcome page and the New material
//! form. Files themselves go up and down through plain routes of the server
//! (`/admin/import/{kind}`, `/admin/export/{kind}.csv`), not through these.
// The hydrate build's client half of `create_material` does not carry the function's
// own `allow` (a form post takes one argument per field).
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments))]

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

/// Adds a material. `is_generic` is a check box (present when ticked); `attributes`
/// is `key=value; key=value`.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_fn", endpoint = "admin/create_material")]
pub async fn create_material(
    sku: String,
    name: String,
    unit: String,
    unit_cost: String,
    kind: String,
    #[server(default)] colour_family: String,
    #[server(default)] is_generic: Option<String>,
    #[server(default)] attributes: String,
) -> Result<(), AdminError> {
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
