//! Server functions of the capacity page. A work center's refusals are named
//! `<code>.<field>` (`SEW.minutes_per_day`), so each card shows its own.

use leptos::prelude::*;

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_date, parse_weekdays, parse_whole, signed_in};
use crate::model::capacity::CapacityView;
#[cfg(feature = "ssr")]
use crate::model::{capacity::WorkCenterHours, settings::Holiday};

/// The capacity page.
#[server(prefix = "/_fn", endpoint = "admin/capacity")]
pub async fn admin_capacity() -> Result<CapacityView, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.capacity(&session).await
}

/// Sets work center `code`'s minutes per day and working weekdays (`weekdays[]`, `0` =
/// Monday … `6` = Sunday); refused when its hours are no longer the `expected_*` ones
/// the form was read with.
#[server(prefix = "/_fn", endpoint = "admin/save_work_center")]
pub async fn save_work_center(
    code: String,
    expected_minutes_per_day: i32,
    expected_weekdays: u8,
    minutes_per_day: String,
    #[server(default)] weekdays: Vec<String>,
) -> Result<(), AdminError> {
    let scoped = |e: AdminError| if e.field.is_some() { e.under(&code) } else { e };
    let expected = WorkCenterHours {
        minutes_per_day: expected_minutes_per_day,
        working_weekdays: expected_weekdays,
    };
    let hours = WorkCenterHours {
        minutes_per_day: field("minutes_per_day", parse_whole(&minutes_per_day)).map_err(scoped)?,
        working_weekdays: field("weekdays", parse_weekdays(&weekdays)).map_err(scoped)?,
    };
    let (backend, session) = signed_in().await?;
    backend
        .save_work_center(&session, &code, expected, hours)
        .await
        .map_err(scoped)
}

/// Adds a day work center `code` does not work.
#[server(prefix = "/_fn", endpoint = "admin/add_work_center_holiday")]
pub async fn add_work_center_holiday(code: String, day: String, name: String) -> Result<(), AdminError> {
    let scoped = |e: AdminError| if e.field.is_some() { e.under(&code) } else { e };
    let day = field("day", parse_date(&day))
        .and_then(|day| day.ok_or_else(|| AdminError::invalid("day", "say which day")))
        .map_err(scoped)?;
    let (backend, session) = signed_in().await?;
    backend
        .add_work_center_holiday(&session, &code, Holiday { day, name })
        .await
        .map_err(scoped)
}

/// Removes work center `code`'s holiday on `day`.
#[server(prefix = "/_fn", endpoint = "admin/remove_work_center_holiday")]
pub async fn remove_work_center_holiday(code: String, day: String) -> Result<(), AdminError> {
    let scoped = |e: AdminError| if e.field.is_some() { e.under(&code) } else { e };
    let day = field("day", parse_date(&day))
        .and_then(|day| day.ok_or_else(|| AdminError::invalid("day", "say which day")))
        .map_err(scoped)?;
    let (backend, session) = signed_in().await?;
    backend
        .remove_work_center_holiday(&session, &code, day)
        .await
        .map_err(scoped)
}

#[cfg(feature = "ssr")]
pub use interface::CapacityAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
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
}
