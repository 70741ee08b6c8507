//! Products and their option groups, read as the engine's catalog types.

use engine::{GroupKind, Money, OptionGroup, OptionValue, ValueStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::StoreError;
use super::entities::{OptionValueStatus, option_groups, option_values, products};

/// The shop's products, by name.
pub async fn products(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<products::Model>, StoreError> {
    Ok(products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .order_by_asc(products::Column::Name)
        .all(db)
        .await?)
}

/// The slugs of the shop's products by id, for lists that name a row's product.
pub async fn product_slugs(
    db: &impl ConnectionTrait,
    shop_id: i64,
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    Ok(products(db, shop_id)
        .await?
        .into_iter()
        .map(|p| (p.id, p.slug))
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
    let status = match value.status {
        OptionValueStatus::Frozen => ValueStatus::Frozen {
            reason: value.frozen_reason.unwrap_or_else(|| "Not available".to_string()),
            by: value.frozen_by.unwrap_or_else(|| "merchant".to_string()),
        },
        OptionValueStatus::Active => ValueStatus::Active,
    };
    OptionValue {
        code: value.code,
        label: value.label,
        price_delta: Money(value.price_delta_minor),
        status,
    }
}
