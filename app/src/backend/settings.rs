//! The shop's settings in the admin: profile and shipping calendar, widget origins, API
//! keys.

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
    async fn create_api_key(&self, session: &str, kind: &str, label: &str) -> Result<NewApiKey, AdminError>;
    /// Revokes key `id`; the API refuses it at once in this process.
    async fn revoke_api_key(&self, session: &str, id: i64) -> Result<(), AdminError>;
}
