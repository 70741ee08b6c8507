//! The Heat page: funnels and trends of the merchant's shop, from the same store
//! reads as `GET /api/v1/analytics/…`.

use app::model::analytics::{DEFAULT_TREND_DAYS, HeatReport, HeatWindow, trend_end};
use app::server_fns::admin::AdminError;
use app::server_fns::admin::HeatAdmin;
use chrono::NaiveDate;

use super::analytics;
use crate::backend::StoreBackend;
use crate::backend::failed;
use crate::store::catalog;

#[async_trait::async_trait]
impl HeatAdmin for StoreBackend {
    async fn heat_products(&self, session: &str) -> Result<Vec<(String, String)>, AdminError> {
        let who = self.acting(session).await?;
        let products = catalog::products(&self.db, who.shop.id).await.map_err(failed)?;
        Ok(products.into_iter().map(|p| (p.slug, p.name)).collect())
    }

    async fn heat(
        &self,
        session: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        product: Option<&str>,
    ) -> Result<HeatReport, AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        let window =
            HeatWindow::resolve(from, to, today).map_err(|e| AdminError::invalid(e.field, e.detail))?;
        let unknown = || {
            AdminError::invalid(
                "product",
                format!("There is no product “{}”.", product.unwrap_or_default()),
            )
        };
        let funnel = analytics::funnel(&self.db, who.shop.id, product, window)
            .await
            .map_err(failed)?
            .ok_or_else(unknown)?;
        let trend = analytics::trend(
            &self.db,
            who.shop.id,
            product,
            HeatWindow::ending(window.to.min(trend_end(today)), DEFAULT_TREND_DAYS),
        )
        .await
        .map_err(failed)?
        .ok_or_else(unknown)?;
        Ok(HeatReport { funnel, trend })
    }
}
