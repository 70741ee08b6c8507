//! CSV export and import, and the New material form.

use app::backend::ImportAdmin;
use app::model::import::{ImportKind, ImportRecord, NewMaterial};
use app::server_fns::admin::AdminError;

use super::{failed, refused};
use crate::backend::StoreBackend;
use crate::store::admin;

#[async_trait::async_trait]
impl ImportAdmin for StoreBackend {
    async fn export_csv(&self, session: &str, kind: ImportKind) -> Result<String, AdminError> {
        let who = self.acting(session).await?;
        admin::export_csv(&self.db, who.shop.id, kind)
            .await
            .map_err(failed)
    }

    async fn import_csv(
        &self,
        session: &str,
        kind: ImportKind,
        file_name: &str,
        contents: &[u8],
    ) -> Result<ImportRecord, AdminError> {
        let who = self.acting(session).await?;
        let imported = admin::import_csv(
            &self.db,
            who.shop.id,
            kind,
            file_name,
            contents,
            who.actor.as_str(),
        )
        .await
        .map_err(failed)?;
        Ok(imported.record)
    }

    async fn refuse_import(
        &self,
        session: &str,
        kind: ImportKind,
        file_name: &str,
        message: String,
    ) -> Result<ImportRecord, AdminError> {
        let who = self.acting(session).await?;
        admin::refuse_file(
            &self.db,
            who.shop.id,
            kind,
            file_name,
            who.actor.as_str(),
            message,
        )
        .await
        .map(|imported| imported.record)
        .map_err(failed)
    }

    async fn imports(&self, session: &str, limit: u64) -> Result<Vec<ImportRecord>, AdminError> {
        let who = self.acting(session).await?;
        admin::imports(&self.db, who.shop.id, limit).await.map_err(failed)
    }

    async fn import(&self, session: &str, id: i64) -> Result<Option<ImportRecord>, AdminError> {
        let who = self.acting(session).await?;
        admin::import_record(&self.db, who.shop.id, id)
            .await
            .map_err(failed)
    }

    async fn create_material(&self, session: &str, material: NewMaterial) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        admin::create_material(self.write(&who).await?, &material)
            .await
            .map_err(refused)?;
        Ok(())
    }
}
