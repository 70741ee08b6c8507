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
        let state_version = admin::save_work_center(&self.db, who.shop.id, code, expected, hours, &who.actor)
            .await
            .map_err(refused)?;
        self.noted(who.shop.id, state_version);
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
        let state_version =
            admin::add_work_center_holiday(&self.db, who.shop.id, code, &holiday, today, &who.actor)
                .await
                .map_err(refused)?;
        self.noted(who.shop.id, Some(state_version));
        Ok(())
    }

    async fn remove_work_center_holiday(
        &self,
        session: &str,
        code: &str,
        day: NaiveDate,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let state_version = admin::remove_work_center_holiday(&self.db, who.shop.id, code, day, &who.actor)
            .await
            .map_err(refused)?;
        self.noted(who.shop.id, Some(state_version));
        Ok(())
    }
}
