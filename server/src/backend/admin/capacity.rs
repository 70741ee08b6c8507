//! The capacity page: work center hours and holidays, and the load chart's data.

use app::backend::CapacityAdmin;
use app::model::capacity::{CapacityView, WorkCenterHours};
use app::model::settings::Holiday;
use app::server_fns::admin::AdminError;
use chrono::NaiveDate;

use super::{failed, refused};
use crate::backend::StoreBackend;
use crate::store::admin;

#[async_trait::async_trait]
impl CapacityAdmin for StoreBackend {
    async fn capacity(&self, session: &str) -> Result<CapacityView, AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        admin::capacity_view(&self.db, who.shop.id, today)
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
        admin::save_work_center(self.write(&who).await?, code, expected, hours)
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
        admin::add_work_center_holiday(self.write(&who).await?, code, &holiday, today)
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
        admin::remove_work_center_holiday(self.write(&who).await?, code, day)
            .await
            .map_err(refused)?;
        Ok(())
    }
}
