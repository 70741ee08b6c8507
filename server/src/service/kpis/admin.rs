//! The dashboard, as the admin asks for it.

use app::model::dashboard::{Dashboard, DashboardQuery};
use app::server_fns::admin::{AdminError, DashboardAdmin};

use crate::backend::{StoreBackend, failed};

#[async_trait::async_trait]
impl DashboardAdmin for StoreBackend {
    async fn dashboard(&self, session: &str, query: DashboardQuery) -> Result<Dashboard, AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::dashboard(&self.db, &who.shop, today, &query)
            .await
            .map_err(failed)
    }
}
