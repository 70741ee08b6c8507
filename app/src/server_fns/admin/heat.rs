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
