//! Presale heat in the admin: funnels and trends.

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
