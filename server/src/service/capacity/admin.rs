//! The capacity page: work center hours and holidays, and the load chart's data.

use app::model::capacity::{CapacityView, WorkCenterHours};
use app::model::settings::Holiday;
use app::server_fns::admin::AdminError;
use app::server_fns::admin::CapacityAdmin;
use chrono::NaiveDate;

use crate::backend::StoreBackend;
use crate::backend::failed;
use crate::service::refused;

#[async_trait::async_trait]
impl CapacityAdmin for StoreBackend {
    async fn capacity(&self, session: &str) -> Result<CapacityView, AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::capacity_view(&self.db, who.shop.id, today)
            .await
            .map_err(failed)
    }

    async fn save_work_center(
        &self,
        session: &str,
        code: &str,
        expected: WorkCenterHours,
        hours: WorkCenterHours,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::save_work_center(self.write(&who).await?, code, expected, hours)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn add_work_center_holiday(
        &self,
        session: &str,
        code: &str,
        holiday: Holiday,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::add_work_center_holiday(self.write(&who).await?, code, &holiday, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn remove_work_center_holiday(
        &self,
        session: &str,
        code: &str,
        day: NaiveDate,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::remove_work_center_holiday(self.write(&who).await?, code, day)
            .await
            .map_err(refused)?;
        Ok(())
    }
}
