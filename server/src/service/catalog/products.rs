//! Products and their option values in the admin: the list, the editor, and the writes,
//! each guarded by the product's `version` so two merchants cannot overwrite each
//! other's edits unseen.

use engine::Money;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

use super::product_rules::{
    MAX_PRICE_DELTA_MINOR, checked_code, checked_fields, claim_product, find_product,
};
use super::structure::{Structure, product_choices, structure};
use crate::service::WriteError;
use crate::service::{Saved, invalid, required_text};
use crate::store::StoreError;
use crate::store::catalog::{self, groups_with_values};
use crate::store::entities::{OptionValueStatus, option_groups, option_values, products, shops};
use crate::store::unit::{Change, ShopWrite};
use app::model::admin::{
    FrozenBy, GroupEditor, Move, ProductEditor, ProductFields, ProductSummary, ValueEditor,
};

/// The shop's products by name, with how many groups, values and frozen values each has.
pub async fn product_summaries(
    db: &impl ConnectionTrait,
    shop_id: i64,
) -> Result<Vec<ProductSummary>, StoreError> {
    let products = catalog::products(db, shop_id).await?;
    let groups = groups_with_values(db, products.iter().map(|p| p.id).collect()).await?;
    Ok(products
        .into_iter()
        .map(|product| {
            let own: Vec<&Vec<option_values::Model>> = groups
                .iter()
                .filter(|(group, _)| group.product_id == product.id)
                .map(|(_, values)| values)
                .collect();
            ProductSummary {
                slug: product.slug,
                name: product.name,
                lifecycle: product.lifecycle,
                base_price_minor: product.base_price_minor,
                groups: own.len(),
                values: own.iter().map(|values| values.len()).sum(),
                frozen: own
                    .iter()
                    .flat_map(|values| values.iter())
                    .filter(|value| value.status == OptionValueStatus::Frozen)
                    .count(),
            }
        })
        .collect())
}

/// The product `slug` with its groups and values in display order, or `None`.
pub async fn product_editor(
    db: &impl ConnectionTrait,
    shop_id: i64,
    slug: &str,
) -> Result<Option<ProductEditor>, StoreError> {
    // The product (and its version) is read before its options: if an option write
    // lands in between, the editor shows newer options under an older version, and its
    // next save is refused as a conflict rather than silently based on stale options.
    let Some(product) = find_product(db, shop_id, slug).await? else {
        return Ok(None);
    };
    let currency = shops::Entity::find_by_id(shop_id)
        .one(db)
        .await?
        .map(|shop| shop.currency)
        .unwrap_or_default();
    let groups = groups_with_values(db, vec![product.id]).await?;
    let value_ids = groups
        .iter()
        .flat_map(|(_, values)| values.iter().map(|v| v.id))
        .collect();
    let mut parts = structure(db, &product, value_ids).await?;
    Ok(Some(ProductEditor {
        slug: product.slug.clone(),
        version: product.version,
        currency,
        fields: fields_of(&product),
        producing_node: std::mem::take(&mut parts.producing_node),
        bom: std::mem::take(&mut parts.bom),
        operations: std::mem::take(&mut parts.operations),
        groups: groups
            .into_iter()
            .map(|(group, values)| GroupEditor {
                code: group.code,
                name: group.name,
                required: group.required,
                multi: group.multi,
                values: values.into_iter().map(|v| value_editor(v, &mut parts)).collect(),
            })
            .collect(),
        choices: product_choices(db, shop_id).await?,
    }))
}

/// Saves the product's own fields if it is still at `expected_version`.
pub async fn update_product(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    fields: &ProductFields,
) -> Result<Saved, WriteError> {
    save_product(w, slug, expected_version, fields, slug).await
}

/// Saves the product's own fields and, when `new_slug` differs from `slug`, renames it,
/// in one unit of work, if it is still at `expected_version`. A new slug must be free in
/// the shop; pages that embed the old one stop finding the product, which the form
/// says next to the field.
pub async fn save_product(
    mut w: ShopWrite,
    slug: &str,
    expected_version: i64,
    fields: &ProductFields,
    new_slug: &str,
) -> Result<Saved, WriteError> {
    let fields = checked_fields(fields)?;
    let new_slug = new_slug.trim();
    let renamed = if new_slug == slug {
        None
    } else {
        Some(checked_code("slug", new_slug, 64)?)
    };
    let product = claim_product(&w, slug, expected_version).await?;
    if let Some(new_slug) = renamed
        && find_product(&w, w.shop(), new_slug).await?.is_some()
    {
        return Err(invalid(
            "slug",
            format!("another product already uses `{new_slug}`"),
        ));
    }
    let discount = deepest_discount(&w, product.id).await?;
    if fields.base_price_minor < discount {
        return Err(invalid(
            "price",
            format!(
                "must be at least {}: an option takes that much off, and no total may be negative",
                Money(discount)
            ),
        ));
    }
    let before = json!(fields_of(&product));
    let version = product.version;
    let mut active: products::ActiveModel = product.into();
    active.name = Set(fields.name.clone());
    active.description = Set(fields.description.clone());
    active.base_price_minor = Set(fields.base_price_minor);
    active.lifecycle = Set(fields.lifecycle.clone());
    active.max_lead_time_days = Set(fields.max_lead_time_days);
    active.handling_days = Set(fields.handling_days);
    active.end_of_sale = Set(fields.end_of_sale);
    active.first_batch_until = Set(fields.first_batch_until);
    if let Some(new_slug) = renamed {
        active.slug = Set(new_slug.to_string());
    }
    active.update(&w).await?;
    let mut before = before;
    let mut after = json!(fields);
    if let Some(new_slug) = renamed {
        before["slug"] = json!(slug);
        after["slug"] = json!(new_slug);
    }
    w.record(
        Change::new("product.update", "product", slug)
            .before(Some(before))
            .after(after),
    )
    .await?;
    let done = w.commit().await?;
    Ok(Saved {
        version,
        state_version: done.state_version.get(),
    })
}

/// Changes a value's label and price difference. A value may not take more off than the
/// base price, so no total can be negative.
pub async fn update_value(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    group: &str,
    value: &str,
    label: &str,
    price_delta_minor: i64,
) -> Result<Saved, WriteError> {
    let label = required_text("label", label, 120)?;
    if price_delta_minor > MAX_PRICE_DELTA_MINOR {
        return Err(invalid(
            "price_delta",
            format!("must be at most {}", Money(MAX_PRICE_DELTA_MINOR)),
        ));
    }
    let target = claim_value(&w, slug, expected_version, group, value).await?;
    let base = target.product.base_price_minor;
    if price_delta_minor < -base {
        return Err(invalid(
            "price_delta",
            format!("cannot take more than the base price ({}) off", Money(base)),
        ));
    }
    let before = json!({"label": target.value.label, "price_delta_minor": target.value.price_delta_minor});
    let mut active: option_values::ActiveModel = target.value.clone().into();
    active.label = Set(label.to_string());
    active.price_delta_minor = Set(price_delta_minor);
    active.update(&w).await?;
    let after = json!({"label": label, "price_delta_minor": price_delta_minor});
    target.finish(w, "option_value.update", before, after).await
}

/// Moves a value one place up or down in its group's order.
pub async fn move_value(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    group: &str,
    value: &str,
    direction: Move,
) -> Result<Saved, WriteError> {
    let target = claim_value(&w, slug, expected_version, group, value).await?;
    let mut order = option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(target.group.id))
        .order_by_asc(option_values::Column::Position)
        .order_by_asc(option_values::Column::Id)
        .all(&w)
        .await?;
    let at = order
        .iter()
        .position(|v| v.id == target.value.id)
        .ok_or_else(|| WriteError::NotFound(format!("no value `{value}` in option group `{group}`")))?;
    let to = match direction {
        Move::Up => at.checked_sub(1),
        Move::Down => Some(at + 1).filter(|&to| to < order.len()),
    };
    let Some(to) = to else {
        let place = if direction == Move::Up { "first" } else { "last" };
        return Err(invalid(
            "position",
            format!("{} is already the {place} value of its group", target.value.label),
        ));
    };
    let codes = |order: &[option_values::Model]| order.iter().map(|v| v.code.clone()).collect::<Vec<_>>();
    let before = json!({"order": codes(&order)});
    order.swap(at, to);
    // Renumbered 0..n rather than swapping two positions: seeded or imported positions
    // may have gaps or ties, and a swap of equal positions would change nothing.
    for (position, row) in order.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        if row.position != position {
            let mut active: option_values::ActiveModel = row.clone().into();
            active.position = Set(position);
            active.update(&w).await?;
        }
    }
    let after = json!({"order": codes(&order)});
    target.finish(w, "option_value.move", before, after).await
}

/// Freezes a value with the reason shoppers see (or changes the reason of a frozen
/// value); quotes stop offering it.
pub async fn freeze_value(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    group: &str,
    value: &str,
    reason: &str,
) -> Result<Saved, WriteError> {
    let reason = required_text("reason", reason, 200)?;
    let target = claim_value(&w, slug, expected_version, group, value).await?;
    let before = status_json(&target.value);
    let mut active: option_values::ActiveModel = target.value.clone().into();
    active.status = Set(OptionValueStatus::Frozen);
    active.frozen_reason = Set(Some(reason.to_string()));
    active.frozen_by = Set(Some("merchant".into()));
    let after = status_json(&active.update(&w).await?);
    target.finish(w, "option_value.freeze", before, after).await
}

/// Freezes value `group.value` of product `slug` because a rule suggested it and the
/// merchant (or a rule of theirs) accepted: in the caller's unit of work, at the
/// product's current version (the suggestion was made from the catalog as it is), with
/// `reason`; marked `frozen_by = rule`. Refused when the value is frozen already.
pub(crate) async fn freeze_suggested(
    w: &mut ShopWrite,
    slug: &str,
    group: &str,
    value: &str,
    reason: &str,
) -> Result<(), WriteError> {
    let product = find_product(&*w, w.shop(), slug)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no product `{slug}` in this shop")))?;
    let target = claim_value(w, slug, product.version, group, value).await?;
    if target.value.status == OptionValueStatus::Frozen {
        return Err(WriteError::Conflict(format!(
            "{} is frozen already",
            target.value.label
        )));
    }
    let before = status_json(&target.value);
    let mut active: option_values::ActiveModel = target.value.clone().into();
    active.status = Set(OptionValueStatus::Frozen);
    active.frozen_reason = Set(Some(reason.chars().take(200).collect()));
    active.frozen_by = Set(Some("rule".into()));
    let after = status_json(&active.update(&*w).await?);
    let entity_id = format!("{slug}/{group}.{value}");
    w.record(
        Change::new("option_value.freeze", "option_value", entity_id)
            .before(Some(before))
            .after(after),
    )
    .await?;
    Ok(())
}

/// Makes value `group.value` of product `slug` available again because the merchant
/// undid the suggestion that froze it: in the caller's unit of work, and only while it
/// is still frozen by that suggestion (`frozen_by = rule`); a value the merchant froze or
/// unfroze since is theirs, and the undo is refused.
pub(crate) async fn unfreeze_suggested(
    w: &mut ShopWrite,
    slug: &str,
    group: &str,
    value: &str,
) -> Result<(), WriteError> {
    let product = find_product(&*w, w.shop(), slug)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no product `{slug}` in this shop")))?;
    let target = claim_value(w, slug, product.version, group, value).await?;
    if target.value.status != OptionValueStatus::Frozen || target.value.frozen_by.as_deref() != Some("rule") {
        return Err(WriteError::Conflict(format!(
            "{} is no longer frozen by this suggestion: it was changed since",
            target.value.label
        )));
    }
    let before = status_json(&target.value);
    let mut active: option_values::ActiveModel = target.value.clone().into();
    active.status = Set(OptionValueStatus::Active);
    active.frozen_reason = Set(None);
    active.frozen_by = Set(None);
    let after = status_json(&active.update(&*w).await?);
    w.record(
        Change::new(
            "option_value.unfreeze",
            "option_value",
            format!("{slug}/{group}.{value}"),
        )
        .before(Some(before))
        .after(after),
    )
    .await?;
    Ok(())
}

/// Makes a frozen value available again.
pub async fn unfreeze_value(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    group: &str,
    value: &str,
) -> Result<Saved, WriteError> {
    let target = claim_value(&w, slug, expected_version, group, value).await?;
    if target.value.status != OptionValueStatus::Frozen {
        return Err(invalid("status", format!("{} is not frozen", target.value.label)));
    }
    let before = status_json(&target.value);
    let mut active: option_values::ActiveModel = target.value.clone().into();
    active.status = Set(OptionValueStatus::Active);
    active.frozen_reason = Set(None);
    active.frozen_by = Set(None);
    let after = status_json(&active.update(&w).await?);
    target.finish(w, "option_value.unfreeze", before, after).await
}

fn fields_of(product: &products::Model) -> ProductFields {
    ProductFields {
        name: product.name.clone(),
        description: product.description.clone(),
        base_price_minor: product.base_price_minor,
        lifecycle: product.lifecycle.clone(),
        max_lead_time_days: product.max_lead_time_days,
        handling_days: product.handling_days,
        end_of_sale: product.end_of_sale,
        first_batch_until: product.first_batch_until,
    }
}

fn value_editor(value: option_values::Model, parts: &mut Structure) -> ValueEditor {
    let frozen = (value.status == OptionValueStatus::Frozen).then(|| FrozenBy {
        reason: value.frozen_reason.unwrap_or_default(),
        by: value.frozen_by.unwrap_or_else(|| "merchant".into()),
    });
    ValueEditor {
        bom: parts.value_bom.remove(&value.id).unwrap_or_default(),
        operations: parts.value_operations.remove(&value.id).unwrap_or_default(),
        code: value.code,
        label: value.label,
        price_delta_minor: value.price_delta_minor,
        frozen,
    }
}

fn status_json(value: &option_values::Model) -> Value {
    json!({"status": value.status, "frozen_reason": value.frozen_reason, "frozen_by": value.frozen_by})
}

/// The most any single value of the product takes off its price (0 if none does).
async fn deepest_discount(db: &impl ConnectionTrait, product_id: i64) -> Result<i64, StoreError> {
    let groups = groups_with_values(db, vec![product_id]).await?;
    Ok(groups
        .iter()
        .flat_map(|(_, values)| values.iter())
        .map(|value| -value.price_delta_minor)
        .fold(0, std::cmp::max))
}

/// A claimed product with the group and value an option write is about.
struct ValueTarget {
    product: products::Model,
    group: option_groups::Model,
    value: option_values::Model,
}

async fn claim_value(
    w: &ShopWrite,
    slug: &str,
    expected: i64,
    group: &str,
    value: &str,
) -> Result<ValueTarget, WriteError> {
    let product = claim_product(w, slug, expected).await?;
    let group_row = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product.id))
        .filter(option_groups::Column::Code.eq(group))
        .one(w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no option group `{group}` in `{slug}`")))?;
    let value_row = option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(group_row.id))
        .filter(option_values::Column::Code.eq(value))
        .one(w)
        .await?
        .ok_or_else(|| {
            WriteError::NotFound(format!(
                "no value `{value}` in option group `{group}` of `{slug}`"
            ))
        })?;
    Ok(ValueTarget {
        product,
        group: group_row,
        value: value_row,
    })
}

impl ValueTarget {
    /// Records the change and commits, which bumps the state version (options are part
    /// of every quote).
    async fn finish(
        self,
        mut w: ShopWrite,
        action: &'static str,
        before: Value,
        after: Value,
    ) -> Result<Saved, WriteError> {
        let entity_id = format!("{}/{}.{}", self.product.slug, self.group.code, self.value.code);
        w.record(
            Change::new(action, "option_value", entity_id)
                .before(Some(before))
                .after(after),
        )
        .await?;
        let done = w.commit().await?;
        Ok(Saved {
            version: self.product.version,
            state_version: done.state_version.get(),
        })
    }
}
