//! Products and their option groups, read as the engine's [`ProductCatalog`].

use engine::{GroupKind, Money, OptionGroup, OptionValue, ProductCatalog, ValueStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::StoreError;
use super::entities::{option_groups, option_values, products};

/// A product row with its catalog (groups and values in display order).
#[derive(Clone, Debug)]
pub struct ProductDefinition {
    /// The product row.
    pub product: products::Model,
    /// Its option groups and values.
    pub catalog: ProductCatalog,
}

/// The shop's products, by name.
pub async fn products(db: &DatabaseConnection, shop_id: i64) -> Result<Vec<products::Model>, StoreError> {
    Ok(products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .order_by_asc(products::Column::Name)
        .all(db)
        .await?)
}

/// The product `slug` of the shop with its catalog, or `None`.
pub async fn definition(
    db: &DatabaseConnection,
    shop_id: i64,
    slug: &str,
) -> Result<Option<ProductDefinition>, StoreError> {
    let Some(product) = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .filter(products::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let groups = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product.id))
        .order_by_asc(option_groups::Column::Position)
        .order_by_asc(option_groups::Column::Id)
        .find_with_related(option_values::Entity)
        .order_by_asc(option_values::Column::Position)
        .order_by_asc(option_values::Column::Id)
        .all(db)
        .await?;
    let catalog = ProductCatalog {
        base_price: Money(product.base_price_minor),
        groups: groups
            .into_iter()
            .map(|(group, values)| group_of(group, values))
            .collect(),
    };
    Ok(Some(ProductDefinition { product, catalog }))
}

pub(crate) fn group_of(group: option_groups::Model, values: Vec<option_values::Model>) -> OptionGroup {
    OptionGroup {
        code: group.code,
        name: group.name,
        kind: if group.multi {
            GroupKind::Multi
        } else {
            GroupKind::Single
        },
        required: group.required,
        values: values.into_iter().map(value_of).collect(),
    }
}

pub(crate) fn value_of(value: option_values::Model) -> OptionValue {
    let status = match value.status.as_str() {
        "frozen" => ValueStatus::Frozen {
            reason: value.frozen_reason.unwrap_or_else(|| "Not available".to_string()),
            by: value.frozen_by.unwrap_or_else(|| "merchant".to_string()),
        },
        _ => ValueStatus::Active,
    };
    OptionValue {
        code: value.code,
        label: value.label,
        price_delta: Money(value.price_delta_minor),
        status,
    }
}
