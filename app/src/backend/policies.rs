//! Inventory policies and the alert inbox in the admin.

use crate::model::alerts::AlertView;
use crate::model::policies::{PoliciesPage, PolicySettingsChange, RecomputeSummary};
use crate::model::refusal::AdminError;

/// The Policies page (stored policies, the Recompute button, the settings) and the
/// Alerts inbox (heat-spike alerts and their suggestions).
#[async_trait::async_trait]
pub trait PoliciesAdmin: Send + Sync {
    /// Every material's stored policy and the shop's policy settings.
    async fn policies_page(&self, session: &str) -> Result<PoliciesPage, AdminError>;
    /// Recomputes every material's policy now, then runs the alert rules.
    async fn recompute_policies(&self, session: &str) -> Result<RecomputeSummary, AdminError>;
    /// Saves the settings if `version` is current; refused naming the field
    /// (`abc_a`, `abc_b`, `xyz_x`, `xyz_y`, `heat_conversion`, `spike_threshold`,
    /// `spike_window_days`) or as a conflict when someone saved since.
    async fn save_policy_settings(
        &self,
        session: &str,
        version: i64,
        change: PolicySettingsChange,
    ) -> Result<(), AdminError>;
    /// Open alerts (newest first), then recently decided ones.
    async fn alerts(&self, session: &str) -> Result<Vec<AlertView>, AdminError>;
    /// How many alerts are open.
    async fn open_alerts(&self, session: &str) -> Result<u64, AdminError>;
    /// Accepts (applies) or dismisses suggestion `id`; refused as a conflict when it
    /// was already decided. An accepted stock level is recomputed into the policies
    /// before this answers.
    async fn decide_suggestion(&self, session: &str, id: i64, accept: bool) -> Result<(), AdminError>;
    /// Dismisses alert `id` with its open suggestions.
    async fn dismiss_alert(&self, session: &str, id: i64) -> Result<(), AdminError>;
}
