//! The product pages: products, options and the preview.

use app::backend::CatalogAdmin;
use app::model::admin::{NewProduct, ProductChoices, ProductEditor, ProductFields, ProductSummary};
use app::model::{ConfiguratorView, QuoteRequest, QuoteView};
use app::server_fns::admin::{AdminError, StructureChange, ValueChange};

use super::{failed, quote_refused, refused};
use crate::backend::StoreBackend;
use crate::store::admin;

#[async_trait::async_trait]
impl CatalogAdmin for StoreBackend {
    async fn products(&self, session: &str) -> Result<Vec<ProductSummary>, AdminError> {
        let who = self.acting(session).await?;
        admin::product_summaries(&self.db, who.shop.id)
            .await
            .map_err(failed)
    }

    async fn product(&self, session: &str, slug: &str) -> Result<Option<ProductEditor>, AdminError> {
        let who = self.acting(session).await?;
        admin::product_editor(&self.db, who.shop.id, slug)
            .await
            .map_err(failed)
    }

    async fn preview(&self, session: &str, slug: &str) -> Result<Option<ConfiguratorView>, AdminError> {
        let who = self.acting(session).await?;
        self.quoting
            .configurator(&who.shop, slug)
            .await
            .map_err(quote_refused)
    }

    async fn quote(&self, session: &str, request: QuoteRequest) -> Result<QuoteView, AdminError> {
        let who = self.acting(session).await?;
        let answer = self
            .quoting
            .quote(&who.shop, &request)
            .await
            .map_err(quote_refused)?;
        Ok(answer.view.clone())
    }

    async fn save_product(
        &self,
        session: &str,
        slug: &str,
        version: i64,
        fields: ProductFields,
        new_slug: &str,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let saved = admin::save_product(
            &self.db,
            who.shop.id,
            slug,
            version,
            &fields,
            new_slug,
            &who.actor,
        )
        .await
        .map_err(refused)?;
        self.noted(who.shop.id, Some(saved.state_version));
        Ok(())
    }

    async fn edit_value(
        &self,
        session: &str,
        slug: &str,
        version: i64,
        group: &str,
        value: &str,
        change: ValueChange,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let (db, shop, actor) = (&self.db, who.shop.id, who.actor.as_str());
        let saved = match change {
            ValueChange::Update {
                label,
                price_delta_minor,
            } => {
                admin::update_value(
                    db,
                    shop,
                    slug,
                    version,
                    group,
                    value,
                    &label,
                    price_delta_minor,
                    actor,
                )
                .await
            }
            ValueChange::Move(direction) => {
                admin::move_value(db, shop, slug, version, group, value, direction, actor).await
            }
            ValueChange::Freeze { reason } => {
                admin::freeze_value(db, shop, slug, version, group, value, &reason, actor).await
            }
            ValueChange::Unfreeze => {
                admin::unfreeze_value(db, shop, slug, version, group, value, actor).await
            }
        }
        .map_err(refused)?;
        self.noted(shop, Some(saved.state_version));
        Ok(())
    }

    async fn product_choices(&self, session: &str) -> Result<ProductChoices, AdminError> {
        let who = self.acting(session).await?;
        admin::product_choices(&self.db, who.shop.id)
            .await
            .map_err(failed)
    }

    async fn create_product(&self, session: &str, product: NewProduct) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let saved = admin::create_product(&self.db, who.shop.id, &product, &who.actor)
            .await
            .map_err(refused)?;
        self.noted(who.shop.id, Some(saved.state_version));
        Ok(())
    }

    async fn change_structure(
        &self,
        session: &str,
        slug: &str,
        version: i64,
        change: StructureChange,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let (db, shop, actor) = (&self.db, who.shop.id, who.actor.as_str());
        let saved = match change {
            StructureChange::AddGroup {
                code,
                name,
                required,
                multi,
            } => admin::add_group(db, shop, slug, version, &code, &name, required, multi, actor).await,
            StructureChange::AddValue {
                group,
                code,
                label,
                price_delta_minor,
            } => {
                admin::add_value(
                    db,
                    shop,
                    slug,
                    version,
                    &group,
                    &code,
                    &label,
                    price_delta_minor,
                    actor,
                )
                .await
            }
            StructureChange::SetBomLine { part, sku, quantity } => {
                admin::set_bom_line(db, shop, slug, version, &part, &sku, quantity, actor).await
            }
            StructureChange::AddOperation { part, operation } => {
                admin::add_operation(db, shop, slug, version, &part, &operation, actor).await
            }
            StructureChange::RemoveOperation { part, seq } => {
                admin::remove_operation(db, shop, slug, version, &part, seq, actor).await
            }
        }
        .map_err(refused)?;
        self.noted(shop, Some(saved.state_version));
        Ok(())
    }
}
