//! Products and their option groups, read as the engine's catalog types.

use std::collections::HashMap;

use engine::{GroupKind, Money, OptionGroup, OptionValue, ProductCatalog, ValueStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::StoreError;
use super::entities::{option_groups, option_values, products};

/// The shop's products, by name.
pub async fn products(db: &DatabaseConnection, shop_id: i64) -> Result<Vec<products::Model>, StoreError> {
    Ok(products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .order_by_asc(products::Column::Name)
        .all(db)
        .await?)
}

/// A product's catalog with the row id of every value, for rows that refer to values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredProduct {
    /// The product's row id.
    pub id: i64,
    /// Its groups and values, as the engine checks selections against them.
    pub catalog: ProductCatalog,
    /// `value_ids[group][value]`: the row id of each value of `catalog`.
    pub value_ids: Vec<Vec<i64>>,
}

/// The products of shop `shop_id` among `slugs`, by slug; unknown slugs are absent.
pub async fn products_by_slug(
    db: &DatabaseConnection,
    shop_id: i64,
    slugs: Vec<String>,
) -> Result<HashMap<String, StoredProduct>, StoreError> {
    let rows = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .filter(products::Column::Slug.is_in(slugs))
        .all(db)
        .await?;
    let mut groups: HashMap<i64, Vec<_>> = HashMap::new();
    for (group, values) in groups_with_values(db, rows.iter().map(|p| p.id).collect()).await? {
        groups.entry(group.product_id).or_default().push((group, values));
    }
    Ok(rows
        .into_iter()
        .map(|p| {
            let groups = groups.remove(&p.id).unwrap_or_default();
            let value_ids = groups
                .iter()
                .map(|(_, values)| values.iter().map(|v| v.id).collect())
                .collect();
            let catalog = ProductCatalog {
                base_price: Money(p.base_price_minor),
                groups: groups.into_iter().map(|(g, vs)| group_of(g, vs)).collect(),
            };
            let product = StoredProduct {
                id: p.id,
                catalog,
                value_ids,
            };
            (p.slug, product)
        })
        .collect())
}

/// The option groups of `product_ids` with their values, both in display order.
pub async fn groups_with_values(
    db: &impl ConnectionTrait,
    product_ids: Vec<i64>,
) -> Result<Vec<(option_groups::Model, Vec<option_values::Model>)>, StoreError> {
    Ok(option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.is_in(product_ids))
        .order_by_asc(option_groups::Column::Position)
        .order_by_asc(option_groups::Column::Id)
        .find_with_related(option_values::Entity)
        .order_by_asc(option_values::Column::Position)
        .order_by_asc(option_values::Column::Id)
        .all(db)
        .await?)
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
