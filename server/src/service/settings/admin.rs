//! The settings page: the profile, shipping holidays, widget origins and API keys.
//!
//! Changes to keys, origins and the profile drop the shop's cached key lookups, so the
//! public API applies them from its next request (a revoked key is refused at once);
//! profile and holiday changes also report the new state version to the quote service.

use app::model::settings::{Holiday, NewApiKey, ProfileFields, SettingsView};
use app::server_fns::admin::AdminError;
use app::server_fns::admin::SettingsAdmin;
use chrono::NaiveDate;

use crate::backend::StoreBackend;
use crate::backend::failed;
use crate::service::refused;

#[async_trait::async_trait]
impl SettingsAdmin for StoreBackend {
    async fn settings(&self, session: &str, request: &str) -> Result<SettingsView, AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        let mut view = super::settings_view(&self.db, who.shop.id, today)
            .await
            .map_err(failed)?;
        view.revealed = self.reveals.show(session, request);
        view.site_origin = self.config.public_url.clone().unwrap_or_default();
        Ok(view)
    }

    async fn save_profile(
        &self,
        session: &str,
        version: i64,
        fields: ProfileFields,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::save_profile(self.write(&who).await?, version, &fields)
            .await
            .map_err(refused)?;
        // The cached key lookups carry the shop row, whose time zone decides the
        // public API's "today".
        self.auth.forget_shop(who.shop.id);
        Ok(())
    }

    async fn add_shop_holiday(&self, session: &str, holiday: Holiday) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::add_shop_holiday(self.write(&who).await?, &holiday, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn remove_shop_holiday(&self, session: &str, day: NaiveDate) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::remove_shop_holiday(self.write(&who).await?, day)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn add_origin(&self, session: &str, origin: &str) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::add_origin(self.write(&who).await?, origin)
            .await
            .map_err(refused)?;
        self.auth.forget_shop(who.shop.id);
        Ok(())
    }

    async fn remove_origin(&self, session: &str, origin: &str) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::remove_origin(self.write(&who).await?, origin)
            .await
            .map_err(refused)?;
        self.auth.forget_shop(who.shop.id);
        Ok(())
    }

    async fn create_api_key(&self, session: &str, kind: &str, label: &str) -> Result<NewApiKey, AdminError> {
        let who = self.acting(session).await?;
        let key = super::create_api_key(self.write(&who).await?, kind, label)
            .await
            .map_err(refused)?;
        // For a page without wasm, which sees only the redirect (see `reveal`).
        self.reveals.keep(session, key.clone());
        Ok(key)
    }

    async fn revoke_api_key(&self, session: &str, id: i64) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::revoke_api_key(self.write(&who).await?, id)
            .await
            .map_err(refused)?;
        self.auth.forget_shop(who.shop.id);
        Ok(())
    }
}
