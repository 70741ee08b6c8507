//! Server functions of the Rules page (the merchant's rules, their dry run) and of the
//! inbox's Undo.
//!
//! A cap is typed as an amount (`500`, `500.00`) or left empty for no limit; classes as
//! `C-X, C-Y`. Refusals name the form field (`name`, `kind`, `classes`,
//! `max_per_action`, `max_per_day`), or the row (`rule-<id>`, `suggestion-<id>`).

use leptos::prelude::*;

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_money, signed_in};
#[cfg(feature = "ssr")]
use crate::model::rules::NewRule;
use crate::model::rules::RulesPage;

/// The Rules page.
#[server(prefix = "/_fn", endpoint = "admin/rules")]
pub async fn admin_rules() -> Result<RulesPage, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.rules_page(&session).await
}

/// Creates a rule. `supplier_late` is a checkbox (present when ticked).
#[server(prefix = "/_fn", endpoint = "admin/create_rule")]
pub async fn create_rule(
    name: String,
    kind: String,
    classes: String,
    #[server(default)] supplier_late: Option<String>,
    max_per_action: String,
    max_per_day: String,
) -> Result<(), AdminError> {
    let cap = |name: &str, text: &str| -> Result<Option<i64>, AdminError> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            field(name, parse_money(text)).map(Some)
        }
    };
    let rule = NewRule {
        name,
        kind,
        classes: classes
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        supplier_late: supplier_late.is_some_and(|v| !v.is_empty() && v != "false"),
        max_per_action_minor: cap("max_per_action", &max_per_action)?,
        max_per_day_minor: cap("max_per_day", &max_per_day)?,
    };
    let (backend, session) = signed_in().await?;
    backend.create_rule(&session, rule).await
}

/// Pauses (`paused=true`) or resumes (`false`) rule `id`.
#[server(prefix = "/_fn", endpoint = "admin/pause_rule")]
pub async fn pause_rule(id: i64, paused: bool) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend
        .set_rule_paused(&session, id, paused)
        .await
        .map_err(|e| super::on_row(e, &format!("rule-{id}")))
}

/// Deletes rule `id`.
#[server(prefix = "/_fn", endpoint = "admin/delete_rule")]
pub async fn delete_rule(id: i64) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend
        .delete_rule(&session, id)
        .await
        .map_err(|e| super::on_row(e, &format!("rule-{id}")))
}

/// Undoes accepted or executed suggestion `id`; refusals are named `suggestion-<id>`.
#[server(prefix = "/_fn", endpoint = "admin/undo_suggestion")]
pub async fn undo_suggestion(id: i64) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend
        .undo_suggestion(&session, id)
        .await
        .map_err(|e| super::on_row(e, &format!("suggestion-{id}")))
}

#[cfg(feature = "ssr")]
pub use interface::RulesAdmin;

/// What these functions need from the server, which implements it.
#[cfg(feature = "ssr")]
mod interface {
    use crate::model::refusal::AdminError;
    use crate::model::rules::{NewRule, RulesPage};

    /// The merchant's rules and the undo of what a suggestion applied.
    #[async_trait::async_trait]
    pub trait RulesAdmin: Send + Sync {
        /// The rules, what they executed today, and the 30-day dry run.
        async fn rules_page(&self, session: &str) -> Result<RulesPage, AdminError>;
        /// Creates a rule; refused naming the field.
        async fn create_rule(&self, session: &str, rule: NewRule) -> Result<(), AdminError>;
        /// Pauses or resumes rule `id`.
        async fn set_rule_paused(&self, session: &str, id: i64, paused: bool) -> Result<(), AdminError>;
        /// Deletes rule `id`.
        async fn delete_rule(&self, session: &str, id: i64) -> Result<(), AdminError>;
        /// Undoes accepted or executed suggestion `id`.
        async fn undo_suggestion(&self, session: &str, id: i64) -> Result<(), AdminError>;
    }
}
