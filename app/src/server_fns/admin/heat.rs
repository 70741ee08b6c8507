//! The Heat page's server function: a read, so a window or product it cannot use is
//! part of its answer (shown next to its field, with the products still to choose
//! from) rather than a failure.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{AdminErrorKind, field, parse_date, signed_in};
use crate::model::analytics::HeatReport;

/// The Heat page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatView {
    /// The shop's products: (slug, name), by name.
    pub choices: Vec<(String, String)>,
    /// The product asked for, or every product.
    pub product: Option<String>,
    /// The funnels and trends, or why the window or product was refused (its field is
    /// `from`, `to` or `product`).
    pub report: Result<HeatReport, AdminError>,
}

/// The Heat page for the window `from`–`to` (shop days, `2026-11-01`; empty for the
/// default: the 30 days ending today) and `product` (a slug; empty for all).
#[server(prefix = "/_fn", endpoint = "admin/heat")]
pub async fn admin_heat(from: String, to: String, product: String) -> Result<HeatView, AdminError> {
    let (backend, session) = signed_in().await?;
    let choices = backend.heat_products(&session).await?;
    let product = Some(product.trim().to_string()).filter(|p| !p.is_empty());
    let report = match (field("from", parse_date(&from)), field("to", parse_date(&to))) {
        (Ok(from), Ok(to)) => backend.heat(&session, from, to, product.as_deref()).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match report {
        Err(e) if e.kind != AdminErrorKind::Invalid => Err(e),
        report => Ok(HeatView {
            choices,
            product,
            report,
        }),
    }
}

#[cfg(feature = "ssr")]
pub use interface::HeatAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
    use chrono::NaiveDate;

    use crate::model::analytics::HeatReport;
    use crate::model::refusal::AdminError;

    /// What the Heat page reads.
    #[async_trait::async_trait]
    pub trait HeatAdmin: Send + Sync {
        /// The shop's products to choose from: (slug, name), by name.
        async fn heat_products(&self, session: &str) -> Result<Vec<(String, String)>, AdminError>;
        /// Funnels over the window of `from` and `to` for `product` or every product, and
        /// the trends of the days ending on the window's last day (at the latest on
        /// [`trend_end`](crate::model::analytics::trend_end): yesterday). The window's defaults
        /// and limits are [`HeatWindow::resolve`](crate::model::analytics::HeatWindow::resolve)'s;
        /// a window it refuses is refused naming `from` or `to`, an unknown product naming
        /// `product`.
        async fn heat(
            &self,
            session: &str,
            from: Option<NaiveDate>,
            to: Option<NaiveDate>,
            product: Option<&str>,
        ) -> Result<HeatReport, AdminError>;
    }
}
