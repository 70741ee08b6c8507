//! Server functions of the settings page: the profile and its holidays, the allowed
//! origins, and the API keys.

use leptos::prelude::*;

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_date, parse_whole, signed_in};
#[cfg(feature = "ssr")]
use crate::model::settings::{Holiday, ProfileFields};
use crate::model::settings::{NewApiKey, SettingsView};

/// The settings page, with the origin shoppers' pages load c2m from (configured, not
/// read from the request: its headers are the client's to choose).
#[server(prefix = "/_fn", endpoint = "admin/settings")]
pub async fn admin_settings() -> Result<SettingsView, AdminError> {
    // Read before anything is awaited: the request's context is not guaranteed after.
    let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let (backend, session) = signed_in().await?;
    let request = header(&headers, "x-request-id").unwrap_or_default();
    backend.settings(&session, &request).await
}

/// Saves the shop profile; refused when `version` is not the current one. `weekdays`
/// are the checked boxes' values, `0` (Monday) to `6` (Sunday); the form names them
/// `weekdays[]`.
#[server(prefix = "/_fn", endpoint = "admin/save_profile")]
pub async fn save_profile(
    version: i64,
    name: String,
    timezone: String,
    #[server(default)] weekdays: Vec<String>,
    transit_days: String,
) -> Result<(), AdminError> {
    let fields = ProfileFields {
        name,
        timezone,
        working_weekdays: field("weekdays", parse_weekdays(&weekdays))?,
        transit_days: field("transit_days", parse_whole(&transit_days))?,
    };
    let (backend, session) = signed_in().await?;
    backend.save_profile(&session, version, fields).await
}

/// Adds a day the shop does not ship. Refusals are named `holiday.day` and
/// `holiday.name`, apart from the profile's `name`.
#[server(prefix = "/_fn", endpoint = "admin/add_shop_holiday")]
pub async fn add_shop_holiday(day: String, name: String) -> Result<(), AdminError> {
    let scoped = |e: AdminError| if e.field.is_some() { e.under("holiday") } else { e };
    let day = field("day", parse_date(&day))
        .and_then(|day| day.ok_or_else(|| AdminError::invalid("day", "say which day")))
        .map_err(scoped)?;
    let (backend, session) = signed_in().await?;
    backend
        .add_shop_holiday(&session, Holiday { day, name })
        .await
        .map_err(scoped)
}

/// Removes the shop's holiday on `day`.
#[server(prefix = "/_fn", endpoint = "admin/remove_shop_holiday")]
pub async fn remove_shop_holiday(day: String) -> Result<(), AdminError> {
    let day = field("day", parse_date(&day))?.ok_or_else(|| AdminError::invalid("day", "say which day"))?;
    let (backend, session) = signed_in().await?;
    backend.remove_shop_holiday(&session, day).await
}

/// Allows pages of `origin` to embed the widget.
#[server(prefix = "/_fn", endpoint = "admin/add_origin")]
pub async fn add_origin(origin: String) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend.add_origin(&session, &origin).await
}

/// Stops allowing `origin`.
#[server(prefix = "/_fn", endpoint = "admin/remove_origin")]
pub async fn remove_origin(origin: String) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend.remove_origin(&session, &origin).await
}

/// Creates an API key of `kind` (`publishable` or `secret`); the answer carries the
/// whole key, the only time it is seen.
#[server(prefix = "/_fn", endpoint = "admin/create_api_key")]
pub async fn create_api_key(kind: String, label: String) -> Result<NewApiKey, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.create_api_key(&session, &kind, &label).await
}

/// Revokes key `id`. Refusals are named `key-<id>`.
#[server(prefix = "/_fn", endpoint = "admin/revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend.revoke_api_key(&session, id).await.map_err(|e| {
        if e.field.is_some() {
            e.under(&format!("key-{id}"))
        } else {
            e
        }
    })
}

/// Checked weekday boxes (`"0"` = Monday … `"6"` = Sunday) as a mask, Monday = bit 0.
/// No box is an empty mask, which the server refuses with its reason.
pub fn parse_weekdays(values: &[String]) -> Result<u8, String> {
    values
        .iter()
        .try_fold(0u8, |mask, value| match value.trim().parse::<u8>() {
            Ok(day) if day < 7 => Ok(mask | 1 << day),
            _ => Err(format!(
                "“{}” is not a weekday (0 = Monday … 6 = Sunday)",
                value.trim()
            )),
        })
}

/// The first value of a request header, when it has one.
#[cfg(feature = "ssr")]
fn header(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or_default().trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::parse_weekdays;

    #[test]
    fn weekday_boxes_become_a_monday_first_mask() {
        let boxes = |days: &[&str]| days.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_weekdays(&boxes(&["0", "1", "2", "3", "4"])), Ok(0b001_1111));
        assert_eq!(parse_weekdays(&boxes(&["6"])), Ok(0b100_0000));
        assert_eq!(parse_weekdays(&[]), Ok(0));
        assert!(parse_weekdays(&boxes(&["7"])).is_err());
        assert!(parse_weekdays(&boxes(&["mon"])).is_err());
    }
}

#[cfg(feature = "ssr")]
pub use interface::SettingsAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
    use chrono::NaiveDate;

    use crate::model::refusal::AdminError;
    use crate::model::settings::{Holiday, NewApiKey, ProfileFields, SettingsView};

    /// The profile, its holidays, the allowed origins and the API keys.
    #[async_trait::async_trait]
    pub trait SettingsAdmin: Send + Sync {
        /// The settings page, with the key this session created and has not seen yet.
        /// `request` names the page request: the key is shown to that one request only,
        /// however often it reads (server rendering reads a page's data in two passes).
        async fn settings(&self, session: &str, request: &str) -> Result<SettingsView, AdminError>;
        /// Saves the profile if `version` is current.
        async fn save_profile(
            &self,
            session: &str,
            version: i64,
            fields: ProfileFields,
        ) -> Result<(), AdminError>;
        /// Adds a day the shop does not ship.
        async fn add_shop_holiday(&self, session: &str, holiday: Holiday) -> Result<(), AdminError>;
        /// Removes the shop's holiday on `day`.
        async fn remove_shop_holiday(&self, session: &str, day: NaiveDate) -> Result<(), AdminError>;
        /// Allows pages of `origin` to use the publishable keys; at once in this process.
        async fn add_origin(&self, session: &str, origin: &str) -> Result<(), AdminError>;
        /// Stops allowing `origin`; at once in this process.
        async fn remove_origin(&self, session: &str, origin: &str) -> Result<(), AdminError>;
        /// Creates a key; the answer is the only time the whole key is seen.
        async fn create_api_key(
            &self,
            session: &str,
            kind: &str,
            label: &str,
        ) -> Result<NewApiKey, AdminError>;
        /// Revokes key `id`; the API refuses it at once in this process.
        async fn revoke_api_key(&self, session: &str, id: i64) -> Result<(), AdminError>;
    }
}
