//! The Policies page and the Alerts inbox: stored policies, the Recompute button, the
//! policy settings, the merchant's decisions on suggestions, and the rules other pages'
//! writes feed.
//!
//! Times come from the quote service's clock, so tests that move the server's clock
//! move these too. An accepted stock level is recomputed into the policies before the
//! answer, so the page the merchant opens next shows its safety stock.

use app::model::alerts::AlertView;
use app::model::policies::{PoliciesPage, PolicySettingsChange, RecomputeSummary};
use app::server_fns::admin::PoliciesAdmin;
use app::server_fns::admin::{AdminError, AdminErrorKind};

use crate::backend::StoreBackend;
use crate::backend::failed;
use crate::service::alerts::inbox::{self, Decision};
use crate::service::policies::settings::{self, SettingsChange};
use crate::service::policies::{self, RecomputeError};
use crate::service::refused;
use crate::store::entities::shops;

impl StoreBackend {
    /// Runs the alert rules that a report of material used feeds (the overconsumption
    /// rule, on that material): the orders board reports through here, so the orders
    /// service needs not know the alert rules, which read orders.
    pub(crate) async fn consumption_reported(&self, shop: &shops::Model, material_id: i64) -> u32 {
        super::after_consumption(&self.db, shop, material_id).await
    }

    async fn recompute(&self, shop: &shops::Model) -> Result<RecomputeSummary, AdminError> {
        let summary = super::run(&self.db, shop, self.quoting.now(), |_| {})
            .await
            .map_err(recompute_failed)?;
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        let elapsed = summary.load_ms + summary.compute_ms + summary.store_ms;
        Ok(RecomputeSummary {
            materials: count(summary.materials),
            to_order: count(summary.to_order),
            alerts_raised: count(summary.alerts_raised),
            elapsed_ms: u64::try_from(elapsed).unwrap_or(u64::MAX),
        })
    }
}

fn recompute_failed(e: RecomputeError) -> AdminError {
    match e {
        RecomputeError::Db(e) => failed(e.into()),
        other => {
            tracing::error!(error = %other, "recomputing policies failed");
            AdminError::new(
                AdminErrorKind::Failed,
                format!("Nothing was recomputed: {other}."),
            )
        }
    }
}

#[async_trait::async_trait]
impl PoliciesAdmin for StoreBackend {
    async fn policies_page(&self, session: &str) -> Result<PoliciesPage, AdminError> {
        let who = self.acting(session).await?;
        policies::page::read(&self.db, who.shop.id).await.map_err(failed)
    }

    async fn recompute_policies(&self, session: &str) -> Result<RecomputeSummary, AdminError> {
        let who = self.acting(session).await?;
        self.recompute(&who.shop).await
    }

    async fn save_policy_settings(
        &self,
        session: &str,
        version: i64,
        change: PolicySettingsChange,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let change = SettingsChange {
            abc_a: change.abc_a,
            abc_b: change.abc_b,
            xyz_x: change.xyz_x,
            xyz_y: change.xyz_y,
            heat_conversion: change.heat_conversion,
            spike_threshold: change.spike_threshold,
            spike_window_days: change.spike_window_days,
            overconsumption_percent: change.overconsumption_percent,
            decay_short_days: change.decay_short_days,
            decay_long_days: change.decay_long_days,
            decline_below: change.decline_below,
            niche_share: change.niche_share,
            holding_percent: change.holding_percent,
            expedite_premium_percent: change.expedite_premium_percent,
        };
        settings::save(self.write(&who).await?, change, version)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn alerts(&self, session: &str) -> Result<Vec<AlertView>, AdminError> {
        let who = self.acting(session).await?;
        inbox::list(&self.db, who.shop.id).await.map_err(failed)
    }

    async fn open_alerts(&self, session: &str) -> Result<u64, AdminError> {
        let who = self.acting(session).await?;
        inbox::open_count(&self.db, who.shop.id).await.map_err(failed)
    }

    async fn decide_suggestion(&self, session: &str, id: i64, accept: bool) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let decision = if accept {
            Decision::Accept
        } else {
            Decision::Dismiss
        };
        let today = self.quoting.today(&who.shop);
        let decided = inbox::decide(self.write(&who).await?, id, decision, today)
            .await
            .map_err(refused)?;
        if decided.stock_level_changed {
            // The decision is committed whatever happens here: a failed recomputation
            // is logged, and the schedule or the button catches up.
            if let Err(e) = self.recompute(&who.shop).await {
                tracing::warn!(shop = %who.shop.slug, error = %e.message, "recomputing after an accepted stock level failed");
            }
        }
        Ok(())
    }

    async fn dismiss_alert(&self, session: &str, id: i64) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        inbox::dismiss_alert(self.write(&who).await?, id)
            .await
            .map_err(refused)
    }
}
