//! Work centers in the admin: hours, calendars and load.

use chrono::NaiveDate;

use crate::model::capacity::{CapacityView, WorkCenterHours};
use crate::model::refusal::AdminError;
use crate::model::settings::Holiday;

/// Work centers with their hours, holidays and the coming weeks' load.
#[async_trait::async_trait]
pub trait CapacityAdmin: Send + Sync {
    /// The capacity page, its load starting on the shop's today.
    async fn capacity(&self, session: &str) -> Result<CapacityView, AdminError>;
    /// Sets work center `code`'s hours if they are still `expected`.
    async fn save_work_center(
        &self,
        session: &str,
        code: &str,
        expected: WorkCenterHours,
        hours: WorkCenterHours,
    ) -> Result<(), AdminError>;
    /// Adds a day work center `code` does not work.
    async fn add_work_center_holiday(
        &self,
        session: &str,
        code: &str,
        holiday: Holiday,
    ) -> Result<(), AdminError>;
    /// Removes work center `code`'s holiday on `day`.
    async fn remove_work_center_holiday(
        &self,
        session: &str,
        code: &str,
        day: NaiveDate,
    ) -> Result<(), AdminError>;
}
