//! Server functions of the product pages: the list, the editor and its live preview.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_date, parse_money, parse_whole, signed_in};
#[cfg(feature = "ssr")]
use crate::model::admin::{Move, NewOperation};
#[cfg(feature = "ssr")]
use crate::model::admin::{NewProduct, ProductFields};
use crate::model::admin::{Part, ProductChoices, ProductEditor, ProductSummary};
pub use crate::model::admin::{StructureChange, ValueChange};
use crate::model::{ConfiguratorView, QuoteRequest, QuoteView};

/// The shop's products.
#[server(prefix = "/_fn", endpoint = "admin/products")]
pub async fn admin_products() -> Result<Vec<ProductSummary>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.products(&session).await
}

/// One product's editor; `None` for an unknown slug.
#[server(prefix = "/_fn", endpoint = "admin/product")]
pub async fn admin_product(slug: String) -> Result<Option<ProductEditor>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.product(&session, &slug).await
}

/// The configurator of one of the merchant's products, as shoppers see it now.
#[server(prefix = "/_fn", endpoint = "admin/preview")]
pub async fn admin_preview(slug: String) -> Result<Option<ConfiguratorView>, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.preview(&session, &slug).await
}

/// A quote in the merchant's shop, for the preview.
#[server(prefix = "/_fn", endpoint = "admin/quote", input = Json)]
pub async fn admin_quote(request: QuoteRequest) -> Result<QuoteView, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.quote(&session, request).await
}

/// A product form's own fields as typed (both the editor's and the new-product form;
/// the new-product form has no end of sale and no new slug). Flattened into the server
/// functions' arguments, so the form's field names stay plain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductForm {
    /// Display name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Base price as typed.
    pub price: String,
    /// Lifecycle phase.
    pub lifecycle: String,
    /// Longest promised lead time, as typed.
    pub max_lead_time_days: String,
    /// Handling days, as typed.
    pub handling_days: String,
    /// End of sale, as typed (empty for none).
    #[serde(default)]
    pub end_of_sale: String,
    /// The first batch's last day, as typed (empty for none).
    #[serde(default)]
    pub first_batch_until: String,
    /// A new slug (empty or the current one to keep it).
    #[serde(default)]
    pub new_slug: String,
}

#[cfg(feature = "ssr")]
impl ProductForm {
    /// The typed fields, or the first one that is not a number or date.
    fn fields(self) -> Result<ProductFields, AdminError> {
        Ok(ProductFields {
            base_price_minor: field("price", parse_money(&self.price))?,
            max_lead_time_days: field("max_lead_time_days", parse_whole(&self.max_lead_time_days))?,
            handling_days: field("handling_days", parse_whole(&self.handling_days))?,
            end_of_sale: field("end_of_sale", parse_date(&self.end_of_sale))?,
            first_batch_until: field("first_batch_until", parse_date(&self.first_batch_until))?,
            name: self.name,
            description: self.description,
            lifecycle: self.lifecycle,
        })
    }
}

/// Saves a product's own fields, and its slug when `new_slug` differs; refused when
/// `version` is not the current one.
#[server(prefix = "/_fn", endpoint = "admin/save_product")]
pub async fn save_product(
    slug: String,
    version: i64,
    #[server(flatten)] form: ProductForm,
) -> Result<(), AdminError> {
    let new_slug = form.new_slug.clone();
    let fields = form.fields()?;
    let new_slug = match new_slug.trim() {
        "" => slug.clone(),
        given => given.to_string(),
    };
    let (backend, session) = signed_in().await?;
    backend
        .save_product(&session, &slug, version, fields, &new_slug)
        .await?;
    if new_slug != slug {
        // The editor's address names the slug: open it under the new one.
        leptos_axum::redirect(&format!("/admin/products/{new_slug}"));
    }
    Ok(())
}

/// What a value's forms may send besides which value and which change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueForm {
    /// New label (update).
    #[serde(default)]
    pub label: String,
    /// New price difference as typed (update).
    #[serde(default)]
    pub price_delta: String,
    /// Why it is frozen (freeze).
    #[serde(default)]
    pub reason: String,
}

/// Changes one option value (`op`: `update`, `up`, `down`, `freeze`, `unfreeze`);
/// refused when `version` is not the product's current one. Field errors are named
/// `group.value.field`.
#[server(prefix = "/_fn", endpoint = "admin/edit_value")]
pub async fn edit_value(
    slug: String,
    version: i64,
    group: String,
    value: String,
    op: String,
    #[server(flatten)] form: ValueForm,
) -> Result<(), AdminError> {
    let ValueForm {
        label,
        price_delta,
        reason,
    } = form;
    let scope = format!("{group}.{value}");
    let change = match op.as_str() {
        "update" => ValueChange::Update {
            label,
            price_delta_minor: field("price_delta", parse_money(&price_delta))
                .map_err(|e| e.under(&scope))?,
        },
        "up" => ValueChange::Move(Move::Up),
        "down" => ValueChange::Move(Move::Down),
        "freeze" => ValueChange::Freeze { reason },
        "unfreeze" => ValueChange::Unfreeze,
        other => {
            return Err(AdminError::invalid(
                format!("{scope}.op"),
                format!("unknown change `{other}`"),
            ));
        }
    };
    let (backend, session) = signed_in().await?;
    backend
        .edit_value(&session, &slug, version, &group, &value, change)
        .await
        .map_err(|e| if e.field.is_some() { e.under(&scope) } else { e })
}

/// Where a structure form's refusals are shown: `bom` / `bom.fabric.linen`,
/// `operations` / `operations.fabric.linen`.
pub fn part_scope(kind: &str, part: &Part) -> String {
    match part {
        Part::Base => kind.to_string(),
        Part::Value { .. } => format!("{kind}.{}", part.form_name()),
    }
}

/// What the new-product form offers.
#[server(prefix = "/_fn", endpoint = "admin/product_choices")]
pub async fn admin_product_choices() -> Result<ProductChoices, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.product_choices(&session).await
}

/// Creates a product and opens its editor.
#[server(prefix = "/_fn", endpoint = "admin/create_product")]
pub async fn create_product(
    slug: String,
    producing_node: String,
    #[server(flatten)] form: ProductForm,
) -> Result<(), AdminError> {
    let new = NewProduct {
        slug: slug.trim().to_string(),
        fields: ProductFields {
            end_of_sale: None,
            first_batch_until: None,
            ..form.fields()?
        },
        producing_node,
    };
    let (backend, session) = signed_in().await?;
    backend.create_product(&session, new.clone()).await?;
    leptos_axum::redirect(&format!("/admin/products/{}", new.slug));
    Ok(())
}

/// Adds an option group. Field errors are named `new-group.field`.
#[server(prefix = "/_fn", endpoint = "admin/add_group")]
pub async fn add_group(
    slug: String,
    version: i64,
    code: String,
    name: String,
    #[server(default)] required: Option<String>,
    #[server(default)] multi: Option<String>,
) -> Result<(), AdminError> {
    let change = StructureChange::AddGroup {
        code: code.trim().to_string(),
        name,
        required: required.is_some(),
        multi: multi.is_some(),
    };
    change_structure(slug, version, change, "new-group").await
}

/// Adds a value to `group`. Field errors are named `group.new-value.field`.
#[server(prefix = "/_fn", endpoint = "admin/add_value")]
pub async fn add_value(
    slug: String,
    version: i64,
    group: String,
    code: String,
    label: String,
    #[server(default)] price_delta: String,
) -> Result<(), AdminError> {
    let scope = format!("{group}.new-value");
    let price_delta_minor = if price_delta.trim().is_empty() {
        0
    } else {
        field("price_delta", parse_money(&price_delta)).map_err(|e| e.under(&scope))?
    };
    let change = StructureChange::AddValue {
        group,
        code: code.trim().to_string(),
        label,
        price_delta_minor,
    };
    change_structure(slug, version, change, &scope).await
}

/// Sets a bill-of-materials line of the product (`part` empty) or of a value (`part`
/// `group.value`); quantity 0 removes it. Field errors are named `bom[.part].field`.
#[server(prefix = "/_fn", endpoint = "admin/set_bom_line")]
pub async fn set_bom_line(
    slug: String,
    version: i64,
    #[server(default)] part: String,
    sku: String,
    quantity: String,
) -> Result<(), AdminError> {
    let part = Part::from_form(&part).ok_or_else(|| AdminError::invalid("bom", "unknown part"))?;
    let scope = part_scope("bom", &part);
    let quantity = field("quantity", parse_whole(&quantity)).map_err(|e| e.under(&scope))?;
    let change = StructureChange::SetBomLine {
        part,
        sku: sku.trim().to_string(),
        quantity,
    };
    change_structure(slug, version, change, &scope).await
}

/// Adds an operation to the product's or a value's routing. Field errors are named
/// `operations[.part].field`.
#[server(prefix = "/_fn", endpoint = "admin/add_operation")]
pub async fn add_operation(
    slug: String,
    version: i64,
    #[server(default)] part: String,
    name: String,
    work_center: String,
    minutes_per_unit: String,
    #[server(default)] setup_minutes: String,
) -> Result<(), AdminError> {
    let part = Part::from_form(&part).ok_or_else(|| AdminError::invalid("operations", "unknown part"))?;
    let scope = part_scope("operations", &part);
    let minutes_per_unit: f64 = minutes_per_unit.trim().replace(',', ".").parse().map_err(|_| {
        AdminError::invalid(
            "minutes_per_unit",
            format!("“{}” is not a number like 2.5", minutes_per_unit.trim()),
        )
        .under(&scope)
    })?;
    let setup_minutes = if setup_minutes.trim().is_empty() {
        0
    } else {
        field("setup_minutes", parse_whole(&setup_minutes)).map_err(|e| e.under(&scope))?
    };
    let operation = NewOperation {
        name,
        work_center,
        minutes_per_unit,
        setup_minutes,
    };
    change_structure(
        slug,
        version,
        StructureChange::AddOperation { part, operation },
        &scope,
    )
    .await
}

/// Removes operation `seq` from the product's or a value's routing.
#[server(prefix = "/_fn", endpoint = "admin/remove_operation")]
pub async fn remove_operation(
    slug: String,
    version: i64,
    #[server(default)] part: String,
    seq: i32,
) -> Result<(), AdminError> {
    let part = Part::from_form(&part).ok_or_else(|| AdminError::invalid("operations", "unknown part"))?;
    let scope = part_scope("operations", &part);
    change_structure(
        slug,
        version,
        StructureChange::RemoveOperation { part, seq },
        &scope,
    )
    .await
}

#[cfg(feature = "ssr")]
async fn change_structure(
    slug: String,
    version: i64,
    change: StructureChange,
    scope: &str,
) -> Result<(), AdminError> {
    let (backend, session) = signed_in().await?;
    backend
        .change_structure(&session, &slug, version, change)
        .await
        .map_err(|e| if e.field.is_some() { e.under(scope) } else { e })
}

#[cfg(feature = "ssr")]
pub use interface::CatalogAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
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
}
