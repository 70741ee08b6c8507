//! The merchant admin's server functions.
//!
//! Each reads the session cookie, turns the form's text into typed values (a number
//! that is not one is refused with its field, never guessed) and asks the
//! [`AdminBackend`], which applies the same rules as the
//! API. Refusals are [`AdminError`]s naming the form field, so the page can show them
//! next to it; without wasm, Leptos sends the error back in the redirect's query and
//! the re-rendered page shows it the same way.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

mod capacity;
mod catalog;
mod dashboard;
mod heat;
mod import;
mod orders;
mod policies;
mod rules;
mod settings;
mod supply;

pub use capacity::*;
pub use catalog::*;
pub use dashboard::*;
pub use heat::*;
pub use import::*;
pub use orders::*;
pub use policies::*;
pub use rules::*;
pub use settings::*;
pub use supply::*;

pub use crate::model::refusal::{AdminError, AdminErrorKind};

use crate::model::admin::AuditEntry;

#[cfg(feature = "ssr")]
/// What the merchant admin needs, one trait per area of the admin. Every call names the
/// session it acts for, and acts on that merchant's shop only. Writes follow the API's
/// rules, refuse a stale version, land in the audit log and, when they change quotes,
/// reach the quote service before they answer.
#[async_trait::async_trait]
pub trait AdminBackend:
    CatalogAdmin
    + DashboardAdmin
    + SupplyAdmin
    + SettingsAdmin
    + CapacityAdmin
    + ImportAdmin
    + HeatAdmin
    + PoliciesAdmin
    + RulesAdmin
    + OrdersAdmin
    + Send
    + Sync
{
    /// The newest `limit` audit entries.
    async fn audit(&self, session: &str, limit: u64) -> Result<Vec<AuditEntry>, AdminError>;
}

#[cfg(feature = "ssr")]
/// How the admin backend travels through Leptos context.
pub type SharedAdmin = std::sync::Arc<dyn AdminBackend>;

impl FromServerFnError for AdminError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let message = match value {
            ServerFnErrorErr::Request(_) => {
                "The server could not be reached; check the connection and try again.".to_string()
            }
            other => other.to_string(),
        };
        AdminError::new(AdminErrorKind::Failed, message)
    }
}

/// An amount of money typed by a merchant (`149`, `149.5`, `-12.00`, `1 249,00`) in
/// minor units of a two-decimal currency.
pub fn parse_money(text: &str) -> Result<i64, String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let cleaned = cleaned.replace(',', ".");
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
        && fraction.len() <= 2;
    if !valid {
        return Err(format!("“{}” is not an amount like 149.00", text.trim()));
    }
    let whole: i64 = whole
        .parse()
        .map_err(|_| format!("“{}” is too large", text.trim()))?;
    let cents: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let minor = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(|| format!("“{}” is too large", text.trim()))?;
    Ok(if negative { -minor } else { minor })
}

/// A whole number typed by a merchant.
pub fn parse_whole<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("“{}” is not a whole number", text.trim()))
}

/// A date typed by a merchant (`2026-12-24`); empty is none.
pub fn parse_date(text: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("“{text}” is not a date like 2026-12-24"))
}

/// A refusal shown next to the row it concerns (`rule-<id>`), unless the session ended
/// or the row does not exist (nothing to show it next to): the page's banner says those.
#[cfg(feature = "ssr")]
pub(crate) fn on_row(mut e: AdminError, row: &str) -> AdminError {
    if !matches!(e.kind, AdminErrorKind::SignedOut | AdminErrorKind::NotFound) {
        e.field = Some(row.to_string());
    }
    e
}

#[cfg(feature = "ssr")]
pub(crate) fn field<T>(name: &str, parsed: Result<T, String>) -> Result<T, AdminError> {
    parsed.map_err(|message| AdminError::invalid(name, message))
}

/// The newest entries of the shop's audit log.
#[server(prefix = "/_fn", endpoint = "admin/audit")]
pub async fn admin_audit() -> Result<Vec<AuditEntry>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.audit(&session, 200).await
}

#[cfg(feature = "ssr")]
pub(crate) async fn signed_in() -> Result<(SharedAdmin, String), AdminError> {
    let backend = use_context::<SharedAdmin>()
        .ok_or_else(|| AdminError::new(AdminErrorKind::Failed, "admin backend missing from context"))?;
    let session = crate::server_fns::session::token().await.ok_or_else(|| {
        AdminError::new(
            AdminErrorKind::SignedOut,
            "Your session has ended; sign in again.",
        )
    })?;
    Ok((backend, session))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_as_merchants_type_it() {
        assert_eq!(parse_money("149"), Ok(14_900));
        assert_eq!(parse_money("149.5"), Ok(14_950));
        assert_eq!(parse_money(" 1 249,05 "), Ok(124_905));
        assert_eq!(parse_money("-12.00"), Ok(-1_200));
        assert_eq!(parse_money("0.07"), Ok(7));
    }

    #[test]
    fn money_that_is_not_an_amount_is_refused_not_guessed() {
        for bad in [
            "",
            "abc",
            "12.345",
            "1.2.3",
            "--5",
            "12e3",
            "99999999999999999999",
        ] {
            assert!(parse_money(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn dates_and_whole_numbers() {
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(
            parse_date("2026-12-24").unwrap().unwrap().to_string(),
            "2026-12-24"
        );
        assert!(parse_date("24.12.2026").is_err());
        assert_eq!(parse_whole::<i32>(" 14 "), Ok(14));
        assert!(parse_whole::<i32>("14.5").is_err());
    }

    #[test]
    fn errors_are_placed_under_their_form() {
        let e = AdminError::invalid("reason", "say why").under("fabric.linen");
        assert!(e.is_about("fabric.linen.reason"));
        assert!(!e.is_general_for(Some("fabric.linen")));
        let conflict = AdminError::new(AdminErrorKind::Conflict, "changed");
        assert!(conflict.is_general_for(Some("fabric.linen")));
    }
}
