//! The Rules page and the inbox's Undo, as the admin asks for them (here, above the
//! rules and the recomputation: undoing a stock level recomputes the policies).

use app::model::rules::{NewRule, RulesPage};
use app::server_fns::admin::{AdminError, RulesAdmin};

use crate::backend::{StoreBackend, failed};
use crate::service::alerts::{autonomy, inbox};
use crate::service::refused;

#[async_trait::async_trait]
impl RulesAdmin for StoreBackend {
    async fn rules_page(&self, session: &str) -> Result<RulesPage, AdminError> {
        let who = self.acting(session).await?;
        autonomy::page(&self.db, &who.shop, self.quoting.now())
            .await
            .map_err(|e| failed(e.into()))
    }

    async fn create_rule(&self, session: &str, rule: NewRule) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        autonomy::rules::create_rule(self.write(&who).await?, &rule)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn set_rule_paused(&self, session: &str, id: i64, paused: bool) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        autonomy::rules::set_rule_paused(self.write(&who).await?, id, paused)
            .await
            .map_err(refused)
    }

    async fn delete_rule(&self, session: &str, id: i64) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        autonomy::rules::delete_rule(self.write(&who).await?, id)
            .await
            .map_err(refused)
    }

    async fn undo_suggestion(&self, session: &str, id: i64) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let undone = inbox::undo_suggestion(self.write(&who).await?, id)
            .await
            .map_err(refused)?;
        if undone.stock_level_changed {
            // Committed whatever happens here: the schedule or the button catches up.
            let recomputed = super::run(&self.db, &who.shop, self.quoting.now(), |_| {}).await;
            if let Err(e) = recomputed {
                tracing::warn!(shop = %who.shop.slug, error = %e, "recomputing after an undone stock level failed");
            }
        }
        Ok(())
    }
}
