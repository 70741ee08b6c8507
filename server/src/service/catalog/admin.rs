//! The product pages: products, options and the preview.

use app::model::admin::{NewProduct, ProductChoices, ProductEditor, ProductFields, ProductSummary};
use app::model::{ConfiguratorView, QuoteRequest, QuoteView};
use app::server_fns::admin::CatalogAdmin;
use app::server_fns::admin::{AdminError, StructureChange, ValueChange};

use crate::backend::StoreBackend;
use crate::backend::failed;
use crate::service::{quote_refused, refused};

#[async_trait::async_trait]
impl CatalogAdmin for StoreBackend {
    async fn products(&self, session: &str) -> Result<Vec<ProductSummary>, AdminError> {
        let who = self.acting(session).await?;
        super::product_summaries(&self.db, who.shop.id)
            .await
            .map_err(failed)
    }

    async fn product(&self, session: &str, slug: &str) -> Result<Option<ProductEditor>, AdminError> {
        let who = self.acting(session).await?;
        super::product_editor(&self.db, who.shop.id, slug)
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
        super::save_product(self.write(&who).await?, slug, version, &fields, new_slug)
            .await
            .map_err(refused)?;
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
        let w = self.write(&who).await?;
        match change {
            ValueChange::Update {
                label,
                price_delta_minor,
            } => super::update_value(w, slug, version, group, value, &label, price_delta_minor).await,
            ValueChange::Move(direction) => {
                super::move_value(w, slug, version, group, value, direction).await
            }
            ValueChange::Freeze { reason } => {
                super::freeze_value(w, slug, version, group, value, &reason).await
            }
            ValueChange::Unfreeze => super::unfreeze_value(w, slug, version, group, value).await,
        }
        .map_err(refused)?;
        Ok(())
    }

    async fn product_choices(&self, session: &str) -> Result<ProductChoices, AdminError> {
        let who = self.acting(session).await?;
        super::product_choices(&self.db, who.shop.id)
            .await
            .map_err(failed)
    }

    async fn create_product(&self, session: &str, product: NewProduct) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::create_product(self.write(&who).await?, &product)
            .await
            .map_err(refused)?;
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
        let w = self.write(&who).await?;
        match change {
            StructureChange::AddGroup {
                code,
                name,
                required,
                multi,
            } => super::add_group(w, slug, version, &code, &name, required, multi).await,
            StructureChange::AddValue {
                group,
                code,
                label,
                price_delta_minor,
            } => super::add_value(w, slug, version, &group, &code, &label, price_delta_minor).await,
            StructureChange::SetBomLine { part, sku, quantity } => {
                super::set_bom_line(w, slug, version, &part, &sku, quantity).await
            }
            StructureChange::AddOperation { part, operation } => {
                super::add_operation(w, slug, version, &part, &operation).await
            }
            StructureChange::RemoveOperation { part, seq } => {
                super::remove_operation(w, slug, version, &part, seq).await
            }
        }
        .map_err(refused)?;
        Ok(())
    }
}
