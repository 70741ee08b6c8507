//! Server functions of the Policies page (the stored policies, the Recompute button,
//! the settings) and of the Alerts inbox.
//!
//! Shares are typed as fractions or percentages: `0.8` and `80 %` are the same share;
//! a bare `80` is a share of 80 and refused by the settings' rules, never guessed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_whole, signed_in};
use crate::model::alerts::AlertView;
use crate::model::policies::{PoliciesPage, RecomputeSummary};

/// A decimal number typed by a merchant (`0.8`, `0,8`, `1.25`).
pub fn parse_decimal(text: &str) -> Result<f64, String> {
    let cleaned: String = text.trim().replace(',', ".");
    let valid = !cleaned.is_empty()
        && cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && cleaned.chars().filter(|c| *c == '.').count() <= 1
        && cleaned.rfind('-').is_none_or(|at| at == 0);
    match cleaned.parse::<f64>() {
        Ok(number) if valid && number.is_finite() => Ok(number),
        _ => Err(format!("“{}” is not a number like 0.8", text.trim())),
    }
}

/// A share typed as a fraction (`0.8`) or a percentage (`80 %`, `80%`).
pub fn parse_share(text: &str) -> Result<f64, String> {
    match text.trim().strip_suffix('%') {
        Some(percent) => parse_decimal(percent)
            .map(|p| p / 100.0)
            .map_err(|_| format!("“{}” is not a percentage like 80 %", text.trim())),
        None => parse_decimal(text).map_err(|_| format!("“{}” is not a share like 0.8 or 80 %", text.trim())),
    }
}

/// The Policies page.
#[server(prefix = "/_fn", endpoint = "admin/policies")]
pub async fn admin_policies() -> Result<PoliciesPage, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.policies_page(&session).await
}

/// Recomputes every material's policy now. A plain form post (no wasm) is sent back to
/// the page with the summary in its query (`?recomputed=…`), which the page shows.
#[server(prefix = "/_fn", endpoint = "admin/recompute_policies")]
pub async fn recompute_policies() -> Result<RecomputeSummary, AdminError> {
    // Read before anything is awaited: the request's context is not guaranteed after.
    let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let (backend, session) = signed_in().await?;
    let summary = backend.recompute_policies(&session).await?;
    let plain_post = headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if plain_post {
        leptos_axum::redirect(&format!(
            "/admin/policies?recomputed={}&to_order={}&alerts={}&ms={}",
            summary.materials, summary.to_order, summary.alerts_raised, summary.elapsed_ms
        ));
    }
    Ok(summary)
}

/// The settings form as typed. Flattened into the server function's arguments, so the
/// form's field names stay plain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySettingsText {
    /// Share of annual value that is class A (`0.8` or `80 %`).
    pub abc_a: String,
    /// Share of A and B together.
    pub abc_b: String,
    /// Largest coefficient of variation of class X.
    pub xyz_x: String,
    /// … of class Y.
    pub xyz_y: String,
    /// Expected orders per add-to-cart or preorder.
    pub heat_conversion: String,
    /// Add-to-cart rate that raises an alert (`0.15` or `15 %`).
    pub spike_threshold: String,
    /// Days the rate is measured over.
    pub spike_window_days: String,
    /// Percent above plan that raises an overconsumption alert (`20`); blank keeps 20.
    #[serde(default)]
    pub overconsumption_percent: String,
    /// End of life: days of the short average (`14`); blank keeps 14.
    #[serde(default)]
    pub decay_short_days: String,
    /// … of the long average (`90`); blank keeps 90.
    #[serde(default)]
    pub decay_long_days: String,
    /// … declining below this share of the long average (`0.5` or `50 %`); blank keeps 0.5.
    #[serde(default)]
    pub decline_below: String,
    /// … niche under this share of a group's selections (`5 %`); blank keeps 5 %.
    #[serde(default)]
    pub niche_share: String,
    /// Holding cost, percent of stock value a year (`20`); blank keeps 20.
    #[serde(default)]
    pub holding_percent: String,
    /// Expedite premium, percent of a purchase order's value (`15`); blank keeps 15.
    #[serde(default)]
    pub expedite_premium_percent: String,
}

/// A form field's value, or `default` when left blank (a form from before the field
/// existed sends none).
#[cfg(feature = "ssr")]
fn or_default<T>(
    text: &str,
    default: T,
    parse: impl FnOnce(&str) -> Result<T, AdminError>,
) -> Result<T, AdminError> {
    match text.trim() {
        "" => Ok(default),
        text => parse(text),
    }
}

#[cfg(feature = "ssr")]
impl PolicySettingsText {
    /// The typed settings, or the first field that is not a number.
    fn change(&self) -> Result<crate::model::policies::PolicySettingsChange, AdminError> {
        Ok(crate::model::policies::PolicySettingsChange {
            abc_a: field("abc_a", parse_share(&self.abc_a))?,
            abc_b: field("abc_b", parse_share(&self.abc_b))?,
            xyz_x: field("xyz_x", parse_decimal(&self.xyz_x))?,
            xyz_y: field("xyz_y", parse_decimal(&self.xyz_y))?,
            heat_conversion: field("heat_conversion", parse_decimal(&self.heat_conversion))?,
            spike_threshold: field("spike_threshold", parse_share(&self.spike_threshold))?,
            spike_window_days: field("spike_window_days", parse_whole(&self.spike_window_days))?,
            overconsumption_percent: match self.overconsumption_percent.trim().trim_end_matches('%').trim() {
                "" => 20,
                text => field("overconsumption_percent", parse_whole(text))?,
            },
            decay_short_days: or_default(&self.decay_short_days, 14, |t| {
                field("decay_short_days", parse_whole(t))
            })?,
            decay_long_days: or_default(&self.decay_long_days, 90, |t| {
                field("decay_long_days", parse_whole(t))
            })?,
            decline_below: or_default(&self.decline_below, 0.5, |t| {
                field("decline_below", parse_share(t))
            })?,
            niche_share: or_default(&self.niche_share, 0.05, |t| field("niche_share", parse_share(t)))?,
            holding_percent: or_default(&self.holding_percent, 20, |t| {
                field("holding_percent", parse_whole(t.trim_end_matches('%').trim()))
            })?,
            expedite_premium_percent: or_default(&self.expedite_premium_percent, 15, |t| {
                field(
                    "expedite_premium_percent",
                    parse_whole(t.trim_end_matches('%').trim()),
                )
            })?,
        })
    }
}

/// Saves the policy settings; refused when `version` is not the current one.
#[server(prefix = "/_fn", endpoint = "admin/save_policy_settings")]
pub async fn save_policy_settings(
    version: i64,
    #[server(flatten)] form: PolicySettingsText,
) -> Result<(), AdminError> {
    let change = form.change()?;
    let (backend, session) = signed_in().await?;
    backend.save_policy_settings(&session, version, change).await
}

/// The alert inbox.
#[server(prefix = "/_fn", endpoint = "admin/alerts")]
pub async fn admin_alerts() -> Result<Vec<AlertView>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.alerts(&session).await
}

/// How many alerts are open (the navigation's badge).
#[server(prefix = "/_fn", endpoint = "admin/open_alerts")]
pub async fn open_alerts() -> Result<u64, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.open_alerts(&session).await
}

/// Accepts (`decision=accept`) or dismisses (`dismiss`) suggestion `id`. Refusals are
/// named `suggestion-<id>`, so the page shows them next to the suggestion.
#[server(prefix = "/_fn", endpoint = "admin/decide_suggestion")]
pub async fn decide_suggestion(id: i64, decision: String) -> Result<(), AdminError> {
    let row = format!("suggestion-{id}");
    let accept = match decision.as_str() {
        "accept" => true,
        "dismiss" => false,
        other => return Err(AdminError::invalid(row, format!("unknown decision `{other}`"))),
    };
    let (backend, session) = signed_in().await?;
    backend
        .decide_suggestion(&session, id, accept)
        .await
        .map_err(|e| {
            if e.kind == super::AdminErrorKind::SignedOut {
                e
            } else {
                on_row(e, &row)
            }
        })
}

/// Dismisses alert `id` and its open suggestions; refusals are named `alert-<id>`.
#[server(prefix = "/_fn", endpoint = "admin/dismiss_alert")]
pub async fn dismiss_alert(id: i64) -> Result<(), AdminError> {
    let row = format!("alert-{id}");
    let (backend, session) = signed_in().await?;
    backend.dismiss_alert(&session, id).await.map_err(|e| {
        if e.kind == super::AdminErrorKind::SignedOut {
            e
        } else {
            on_row(e, &row)
        }
    })
}

/// The refusal shown next to the row it concerns.
#[cfg(feature = "ssr")]
fn on_row(mut e: AdminError, row: &str) -> AdminError {
    e.field = Some(row.to_string());
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_fractions_or_percentages() {
        assert_eq!(parse_share("0.8"), Ok(0.8));
        assert_eq!(parse_share(" 0,95 "), Ok(0.95));
        assert_eq!(parse_share("15 %"), Ok(0.15));
        assert_eq!(parse_share("80%"), Ok(0.8));
        // A bare 80 is a share of 80: the settings' rules refuse it, nothing guesses.
        assert_eq!(parse_share("80"), Ok(80.0));
    }

    #[test]
    fn text_that_is_not_a_number_is_refused_not_guessed() {
        for bad in ["", "abc", "0.8.1", "1e3", "--1", "1-", "%", "inf", "NaN"] {
            assert!(parse_share(bad).is_err(), "{bad:?} was accepted");
            assert!(parse_decimal(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(parse_decimal("-0.5"), Ok(-0.5));
    }
}

#[cfg(feature = "ssr")]
pub use interface::PoliciesAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
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
}
