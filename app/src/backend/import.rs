//! Materials, stock and suppliers as CSV files, and new materials, in the admin.

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
