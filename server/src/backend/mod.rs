//! The server's implementation of the UI's [`Backend`] (the storefront and sign-in), and
//! the handle the admin's traits are implemented on, area by area, in `crate::service`.

mod admin;
mod reveal;

pub(crate) use admin::failed;

use std::sync::Arc;

use crate::store::Db;
use app::backend::{Backend, BackendError, SignIn};
use app::model::{ConfiguratorView, QuoteRequest, QuoteView};
use app::server_fns::{MerchantView, ProductCard, StorefrontView};

use crate::access::AuthCache;
use crate::config::Config;
use crate::quoting::{QuoteError, Quoting};
use crate::store::{self, StoreError, entities::shops};

/// Reads the storefront's shop and merchant sessions from the database, and quotes
/// through the shared quote service.
pub struct StoreBackend {
    pub(crate) db: Db,
    pub(crate) config: Arc<Config>,
    pub(crate) quoting: Arc<Quoting>,
    /// The public API's key and origin lookups, dropped for a shop when the admin
    /// changes its keys, origins or profile.
    pub(crate) auth: Arc<AuthCache>,
    pub(crate) reveals: reveal::KeyReveals,
}

impl StoreBackend {
    /// A backend over `db`, showing the shop `config.storefront_shop`.
    pub fn new(db: Db, config: Arc<Config>, quoting: Arc<Quoting>, auth: Arc<AuthCache>) -> Self {
        StoreBackend {
            db,
            config,
            quoting,
            auth,
            reveals: reveal::KeyReveals::default(),
        }
    }

    async fn shop(&self) -> Result<shops::Model, BackendError> {
        store::shops::by_slug(&self.db, &self.config.storefront_shop)
            .await
            .map_err(hide)?
            .ok_or_else(|| {
                BackendError(format!(
                    "the storefront shop `{}` does not exist; run `c2m seed`",
                    self.config.storefront_shop
                ))
            })
    }
}

/// Logs a store failure and returns a message fit for a page.
fn hide(e: StoreError) -> BackendError {
    tracing::error!(error = %e, "backend call failed");
    BackendError("the database is unavailable; try again shortly".into())
}

#[async_trait::async_trait]
impl Backend for StoreBackend {
    async fn storefront(&self) -> Result<StorefrontView, BackendError> {
        let shop = self.shop().await?;
        let products = store::catalog::products(&self.db, shop.id).await.map_err(hide)?;
        Ok(StorefrontView {
            shop_name: shop.name,
            currency: shop.currency,
            products: products
                .into_iter()
                .map(|p| ProductCard {
                    slug: p.slug,
                    name: p.name,
                    description: p.description,
                    base_price_minor: p.base_price_minor,
                })
                .collect(),
        })
    }

    async fn configurator(&self, slug: &str) -> Result<Option<ConfiguratorView>, BackendError> {
        let shop = self.shop().await?;
        self.quoting.configurator(&shop, slug).await.map_err(|e| match e {
            QuoteError::Store(e) => hide(e),
            other => BackendError(other.to_string()),
        })
    }

    async fn quote(&self, request: QuoteRequest) -> Result<QuoteView, BackendError> {
        let shop = self.shop().await?;
        match self.quoting.quote(&shop, &request).await {
            Ok(answer) => Ok(answer.view.clone()),
            Err(QuoteError::Store(e)) => Err(hide(e)),
            Err(QuoteError::Invalid { field, detail }) => Err(BackendError(format!("{field}: {detail}"))),
            Err(other) => Err(BackendError(other.to_string())),
        }
    }

    async fn login(
        &self,
        email: &str,
        password: &str,
        replacing: Option<&str>,
    ) -> Result<SignIn, BackendError> {
        if store::lockout::is_locked(&self.db, email).await.map_err(hide)? {
            return Ok(SignIn::Locked);
        }
        match store::merchants::sign_in(&self.db, email, password, replacing)
            .await
            .map_err(hide)?
        {
            Some(token) => {
                store::lockout::succeeded(&self.db, email).await.map_err(hide)?;
                Ok(SignIn::Session(token))
            }
            None => {
                store::lockout::failed(&self.db, email).await.map_err(hide)?;
                Ok(SignIn::Refused)
            }
        }
    }

    async fn merchant(&self, session_token: &str) -> Result<Option<MerchantView>, BackendError> {
        let found = store::merchants::by_session(&self.db, session_token, self.config.session_idle())
            .await
            .map_err(hide)?;
        Ok(found.map(|(m, shop)| MerchantView {
            name: m.name,
            email: m.email,
            shop_name: shop.name,
        }))
    }

    async fn logout(&self, session_token: &str) -> Result<(), BackendError> {
        store::merchants::sign_out(&self.db, session_token)
            .await
            .map_err(hide)
    }

    async fn logout_everywhere(&self, session_token: &str) -> Result<(), BackendError> {
        store::merchants::sign_out_everywhere(&self.db, session_token, self.config.session_idle())
            .await
            .map(drop)
            .map_err(hide)
    }

    fn secure_cookies(&self) -> bool {
        self.config.secure_cookies
    }
}
