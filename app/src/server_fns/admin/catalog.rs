//! Server functions of the product pages: the list, the editor and its live preview.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{field, parse_date, parse_money, parse_whole, signed_in};
#[cfg(feature = "ssr")]
use crate::model::admin::ProductFields;
use crate::model::admin::{Move, ProductEditor, ProductSummary};
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

/// Saves a product's own fields; refused when `version` is not the current one.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_fn", endpoint = "admin/save_product")]
pub async fn save_product(
    slug: String,
    version: i64,
    name: String,
    #[server(default)] description: String,
    price: String,
    lifecycle: String,
    max_lead_time_days: String,
    handling_days: String,
    #[server(default)] end_of_sale: String,
) -> Result<(), AdminError> {
    let fields = ProductFields {
        name,
        description,
        base_price_minor: field("price", parse_money(&price))?,
        lifecycle,
        max_lead_time_days: field("max_lead_time_days", parse_whole(&max_lead_time_days))?,
        handling_days: field("handling_days", parse_whole(&handling_days))?,
        end_of_sale: field("end_of_sale", parse_date(&end_of_sale))?,
    };
    let (backend, session) = signed_in().await?;
    backend.save_product(&session, &slug, version, fields).await
}

/// What a value's forms ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueChange {
    /// New label and price difference.
    Update {
        /// Display label.
        label: String,
        /// Price difference in minor units.
        price_delta_minor: i64,
    },
    /// One place earlier or later.
    Move(Move),
    /// Frozen, with the reason shoppers see.
    Freeze {
        /// The reason.
        reason: String,
    },
    /// Available again.
    Unfreeze,
}

/// Changes one option value (`op`: `update`, `up`, `down`, `freeze`, `unfreeze`);
/// refused when `version` is not the product's current one. Field errors are named
/// `group.value.field`.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_fn", endpoint = "admin/edit_value")]
pub async fn edit_value(
    slug: String,
    version: i64,
    group: String,
    value: String,
    op: String,
    #[server(default)] label: String,
    #[server(default)] price_delta: String,
    #[server(default)] reason: String,
) -> Result<(), AdminError> {
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
