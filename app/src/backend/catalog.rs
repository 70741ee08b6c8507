//! The product catalog in the admin: products, their options and the preview.

use crate::model::admin::{NewProduct, ProductChoices, ProductEditor, ProductFields, ProductSummary};
use crate::model::admin::{StructureChange, ValueChange};
use crate::model::refusal::AdminError;
use crate::model::{ConfiguratorView, QuoteRequest, QuoteView};

/// Products, options and the live preview.
#[async_trait::async_trait]
pub trait CatalogAdmin: Send + Sync {
    /// The shop's products.
    async fn products(&self, session: &str) -> Result<Vec<ProductSummary>, AdminError>;
    /// One product's editor, `None` for an unknown slug.
    async fn product(&self, session: &str, slug: &str) -> Result<Option<ProductEditor>, AdminError>;
    /// A product's configurator as shoppers see it now.
    async fn preview(&self, session: &str, slug: &str) -> Result<Option<ConfiguratorView>, AdminError>;
    /// A quote in the merchant's shop.
    async fn quote(&self, session: &str, request: QuoteRequest) -> Result<QuoteView, AdminError>;
    /// Saves a product's fields, and renames it to `new_slug` if that differs, if
    /// `version` is current.
    async fn save_product(
        &self,
        session: &str,
        slug: &str,
        version: i64,
        fields: ProductFields,
        new_slug: &str,
    ) -> Result<(), AdminError>;
    /// Changes one option value if the product's `version` is current.
    async fn edit_value(
        &self,
        session: &str,
        slug: &str,
        version: i64,
        group: &str,
        value: &str,
        change: ValueChange,
    ) -> Result<(), AdminError>;
    /// What the new-product form offers.
    async fn product_choices(&self, session: &str) -> Result<ProductChoices, AdminError>;
    /// Creates a product.
    async fn create_product(&self, session: &str, product: NewProduct) -> Result<(), AdminError>;
    /// Changes how a product is built, if its `version` is current.
    async fn change_structure(
        &self,
        session: &str,
        slug: &str,
        version: i64,
        change: StructureChange,
    ) -> Result<(), AdminError>;
}
