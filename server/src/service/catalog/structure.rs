//! How a product is built, in the admin: creating a product, adding option groups and
//! values, and the bills of materials and routings of the product and of each value.
//! Every write but the creation is guarded by the product's `version`, like the
//! product's other writes. Each changes what quotes compute, so its commit bumps the
//! state version.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::product_rules::{
    MAX_PRICE_DELTA_MINOR, checked_code, checked_fields, claim_product, find_product,
};
use crate::service::WriteError;
use crate::service::{Saved, invalid, required_text};
use crate::store::StoreError;
use crate::store::entities::{
    OptionValueStatus, materials, nodes, option_groups, option_value_bom_lines, option_value_operations,
    option_values, product_bom_lines, product_operations, products, work_centers,
};
use crate::store::unit::{Change, ShopWrite};
use app::model::admin::{BomLineView, NewOperation, NewProduct, OperationView, Part, ProductChoices};

/// The most units of one material a product may take: far above any real bill of
/// materials, low enough that quantities times order sizes cannot overflow.
const MAX_BOM_QUANTITY: i64 = 1_000_000;

/// What the product forms offer: nodes, work centers and materials of the shop.
pub async fn product_choices(db: &impl ConnectionTrait, shop_id: i64) -> Result<ProductChoices, StoreError> {
    let nodes = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .order_by_asc(nodes::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.code, n.name))
        .collect();
    let work_centers = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .order_by_asc(work_centers::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.code, w.name))
        .collect();
    let materials = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .order_by_asc(materials::Column::Sku)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.sku, m.name, m.unit))
        .collect();
    Ok(ProductChoices {
        nodes,
        work_centers,
        materials,
    })
}

/// A product's bills of materials and routings: its own, and each value's by value id.
pub struct Structure {
    /// The base bill of materials.
    pub bom: Vec<BomLineView>,
    /// The base routing.
    pub operations: Vec<OperationView>,
    /// Each value's extra materials, by option value id.
    pub value_bom: HashMap<i64, Vec<BomLineView>>,
    /// Each value's extra operations, by option value id.
    pub value_operations: HashMap<i64, Vec<OperationView>>,
    /// The producing node's code.
    pub producing_node: String,
}

/// Reads the structure of `product` whose values are `value_ids`, in four queries.
pub async fn structure(
    db: &impl ConnectionTrait,
    product: &products::Model,
    value_ids: Vec<i64>,
) -> Result<Structure, StoreError> {
    let shop_id = product.shop_id;
    let materials: HashMap<i64, materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let centers: HashMap<i64, String> = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    let line = |material_id: i64, quantity: i64| {
        let m = materials.get(&material_id);
        BomLineView {
            sku: m.map(|m| m.sku.clone()).unwrap_or_default(),
            material: m.map(|m| m.name.clone()).unwrap_or_default(),
            unit: m.map(|m| m.unit.clone()).unwrap_or_default(),
            quantity,
        }
    };
    let operation = |seq, name: String, center: i64, minutes_per_unit, setup_minutes| OperationView {
        seq,
        name,
        work_center: centers.get(&center).cloned().unwrap_or_default(),
        minutes_per_unit,
        setup_minutes,
    };
    let mut bom: Vec<BomLineView> = product_bom_lines::Entity::find()
        .filter(product_bom_lines::Column::ProductId.eq(product.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| line(l.material_id, l.quantity))
        .collect();
    bom.sort_by(|a, b| a.sku.cmp(&b.sku));
    let operations = product_operations::Entity::find()
        .filter(product_operations::Column::ProductId.eq(product.id))
        .order_by_asc(product_operations::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            operation(
                o.seq,
                o.name,
                o.work_center_id,
                o.minutes_per_unit,
                o.setup_minutes,
            )
        })
        .collect();
    let mut value_bom: HashMap<i64, Vec<BomLineView>> = HashMap::new();
    for l in option_value_bom_lines::Entity::find()
        .filter(option_value_bom_lines::Column::OptionValueId.is_in(value_ids.clone()))
        .all(db)
        .await?
    {
        value_bom
            .entry(l.option_value_id)
            .or_default()
            .push(line(l.material_id, l.quantity));
    }
    value_bom
        .values_mut()
        .for_each(|lines| lines.sort_by(|a, b| a.sku.cmp(&b.sku)));
    let mut value_operations: HashMap<i64, Vec<OperationView>> = HashMap::new();
    for o in option_value_operations::Entity::find()
        .filter(option_value_operations::Column::OptionValueId.is_in(value_ids))
        .order_by_asc(option_value_operations::Column::Seq)
        .all(db)
        .await?
    {
        value_operations
            .entry(o.option_value_id)
            .or_default()
            .push(operation(
                o.seq,
                o.name,
                o.work_center_id,
                o.minutes_per_unit,
                o.setup_minutes,
            ));
    }
    let producing_node = nodes::Entity::find_by_id(product.producing_node_id)
        .one(db)
        .await?
        .map(|n| n.code)
        .unwrap_or_default();
    Ok(Structure {
        bom,
        operations,
        value_bom,
        value_operations,
        producing_node,
    })
}

/// Creates a product with no options, materials or operations yet.
pub async fn create_product(mut w: ShopWrite, new: &NewProduct) -> Result<Saved, WriteError> {
    let slug = checked_code("slug", &new.slug, 64)?;
    let fields = checked_fields(&new.fields)?;
    let shop_id = w.shop();
    if find_product(&w, shop_id, slug).await?.is_some() {
        return Err(invalid("slug", format!("another product already uses `{slug}`")));
    }
    let node = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .filter(nodes::Column::Code.eq(new.producing_node.as_str()))
        .one(&w)
        .await?
        .ok_or_else(|| {
            invalid(
                "producing_node",
                format!("no node `{}` in this shop", new.producing_node),
            )
        })?;
    products::ActiveModel {
        shop_id: Set(shop_id),
        slug: Set(slug.to_string()),
        name: Set(fields.name.clone()),
        description: Set(fields.description.clone()),
        base_price_minor: Set(fields.base_price_minor),
        lifecycle: Set(fields.lifecycle.clone()),
        max_lead_time_days: Set(fields.max_lead_time_days),
        handling_days: Set(fields.handling_days),
        end_of_sale: Set(fields.end_of_sale),
        first_batch_until: Set(fields.first_batch_until),
        producing_node_id: Set(node.id),
        generic_part_material_id: Set(None),
        version: Set(0),
        created_at: Set(w.now()),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    w.record(
        Change::new("product.create", "product", slug)
            .after(json!({"fields": fields, "producing_node": node.code})),
    )
    .await?;
    let done = w.commit().await?;
    Ok(Saved {
        version: 0,
        state_version: done.state_version.get(),
    })
}

/// Adds an option group at the end of the product's groups.
pub async fn add_group(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    code: &str,
    name: &str,
    required: bool,
    multi: bool,
) -> Result<Saved, WriteError> {
    let code = checked_code("code", code, 40)?;
    let name = required_text("name", name, 80)?;
    let product = claim_product(&w, slug, expected_version).await?;
    let groups = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product.id))
        .all(&w)
        .await?;
    if groups.iter().any(|g| g.code == code) {
        return Err(invalid(
            "code",
            format!("the product already has a group `{code}`"),
        ));
    }
    let position = groups.iter().map(|g| g.position + 1).max().unwrap_or(0);
    option_groups::ActiveModel {
        product_id: Set(product.id),
        code: Set(code.to_string()),
        name: Set(name.to_string()),
        position: Set(position),
        required: Set(required),
        multi: Set(multi),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    let after = json!({"name": name, "required": required, "multi": multi, "position": position});
    finish(
        w,
        &product,
        "option_group.create",
        format!("{slug}/{code}"),
        None,
        after,
    )
    .await
}

/// Adds a value at the end of a group.
pub async fn add_value(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    group: &str,
    code: &str,
    label: &str,
    price_delta_minor: i64,
) -> Result<Saved, WriteError> {
    let code = checked_code("code", code, 40)?;
    let label = required_text("label", label, 120)?;
    let product = claim_product(&w, slug, expected_version).await?;
    if price_delta_minor < -product.base_price_minor || price_delta_minor > MAX_PRICE_DELTA_MINOR {
        return Err(invalid(
            "price_delta",
            "may not take more off than the base price, nor add more than 100,000.00",
        ));
    }
    let group_row = group_of(&w, &product, group).await?;
    let values = option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(group_row.id))
        .all(&w)
        .await?;
    if values.iter().any(|v| v.code == code) {
        return Err(invalid("code", format!("the group already has a value `{code}`")));
    }
    let position = values.iter().map(|v| v.position + 1).max().unwrap_or(0);
    option_values::ActiveModel {
        group_id: Set(group_row.id),
        code: Set(code.to_string()),
        label: Set(label.to_string()),
        position: Set(position),
        price_delta_minor: Set(price_delta_minor),
        status: Set(OptionValueStatus::Active),
        frozen_reason: Set(None),
        frozen_by: Set(None),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    let after = json!({"label": label, "price_delta_minor": price_delta_minor, "position": position});
    let id = format!("{slug}/{group}.{code}");
    finish(w, &product, "option_value.create", id, None, after).await
}

/// Sets how much of `sku` a product (or one of its values) takes, adding the line if
/// it is new; `quantity` 0 removes it.
pub async fn set_bom_line(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    part: &Part,
    sku: &str,
    quantity: i64,
) -> Result<Saved, WriteError> {
    if !(0..=MAX_BOM_QUANTITY).contains(&quantity) {
        return Err(invalid(
            "quantity",
            format!("must be between 0 (to remove the line) and {MAX_BOM_QUANTITY}"),
        ));
    }
    let product = claim_product(&w, slug, expected_version).await?;
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(w.shop()))
        .filter(materials::Column::Sku.eq(sku.trim()))
        .one(&w)
        .await?
        .ok_or_else(|| invalid("sku", format!("no material `{}` in this shop", sku.trim())))?;
    let before = match part {
        Part::Base => {
            let row = product_bom_lines::Entity::find()
                .filter(product_bom_lines::Column::ProductId.eq(product.id))
                .filter(product_bom_lines::Column::MaterialId.eq(material.id))
                .one(&w)
                .await?;
            let before = row.as_ref().map(|r| r.quantity);
            match (row, quantity) {
                (Some(r), 0) => {
                    product_bom_lines::Entity::delete_by_id(r.id).exec(&w).await?;
                }
                (Some(r), q) => {
                    let mut active: product_bom_lines::ActiveModel = r.into();
                    active.quantity = Set(q);
                    active.update(&w).await?;
                }
                (None, 0) => return Err(invalid("quantity", "the product has no such line to remove")),
                (None, q) => {
                    product_bom_lines::ActiveModel {
                        product_id: Set(product.id),
                        material_id: Set(material.id),
                        quantity: Set(q),
                        in_generic_part: Set(false),
                        ..Default::default()
                    }
                    .insert(&w)
                    .await?;
                }
            }
            before
        }
        Part::Value { group, value } => {
            let value_row = value_of(&w, &product, group, value).await?;
            let row = option_value_bom_lines::Entity::find()
                .filter(option_value_bom_lines::Column::OptionValueId.eq(value_row.id))
                .filter(option_value_bom_lines::Column::MaterialId.eq(material.id))
                .one(&w)
                .await?;
            let before = row.as_ref().map(|r| r.quantity);
            match (row, quantity) {
                (Some(r), 0) => {
                    option_value_bom_lines::Entity::delete_by_id(r.id)
                        .exec(&w)
                        .await?;
                }
                (Some(r), q) => {
                    let mut active: option_value_bom_lines::ActiveModel = r.into();
                    active.quantity = Set(q);
                    active.update(&w).await?;
                }
                (None, 0) => return Err(invalid("quantity", "the value has no such line to remove")),
                (None, q) => {
                    option_value_bom_lines::ActiveModel {
                        option_value_id: Set(value_row.id),
                        material_id: Set(material.id),
                        quantity: Set(q),
                        ..Default::default()
                    }
                    .insert(&w)
                    .await?;
                }
            }
            before
        }
    };
    let id = format!("{slug}/{}:{}", part.form_name(), material.sku);
    let before = before.map(|q| json!({"quantity": q}));
    let after = json!({"quantity": quantity});
    finish(w, &product, "bom_line.set", id, before, after).await
}

/// Adds an operation at the end of the product's (or a value's) routing.
pub async fn add_operation(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    part: &Part,
    operation: &NewOperation,
) -> Result<Saved, WriteError> {
    let name = required_text("name", &operation.name, 80)?;
    if !(operation.minutes_per_unit > 0.0 && operation.minutes_per_unit <= 1_440.0) {
        return Err(invalid(
            "minutes_per_unit",
            "must be more than 0 and at most 1440 (a day)",
        ));
    }
    if !(0..=1_440).contains(&operation.setup_minutes) {
        return Err(invalid("setup_minutes", "must be between 0 and 1440 (a day)"));
    }
    let product = claim_product(&w, slug, expected_version).await?;
    let center = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(w.shop()))
        .filter(work_centers::Column::Code.eq(operation.work_center.as_str()))
        .one(&w)
        .await?
        .ok_or_else(|| {
            invalid(
                "work_center",
                format!("no work center `{}` in this shop", operation.work_center),
            )
        })?;
    let seq = match part {
        Part::Base => {
            let seq = product_operations::Entity::find()
                .filter(product_operations::Column::ProductId.eq(product.id))
                .all(&w)
                .await?
                .iter()
                .map(|o| o.seq + 1)
                .max()
                .unwrap_or(1);
            product_operations::ActiveModel {
                product_id: Set(product.id),
                seq: Set(seq),
                name: Set(name.to_string()),
                work_center_id: Set(center.id),
                minutes_per_unit: Set(operation.minutes_per_unit),
                setup_minutes: Set(operation.setup_minutes),
                is_generic: Set(false),
                ..Default::default()
            }
            .insert(&w)
            .await?;
            seq
        }
        Part::Value { group, value } => {
            let value_row = value_of(&w, &product, group, value).await?;
            let seq = option_value_operations::Entity::find()
                .filter(option_value_operations::Column::OptionValueId.eq(value_row.id))
                .all(&w)
                .await?
                .iter()
                .map(|o| o.seq + 1)
                .max()
                .unwrap_or(1);
            option_value_operations::ActiveModel {
                option_value_id: Set(value_row.id),
                seq: Set(seq),
                name: Set(name.to_string()),
                work_center_id: Set(center.id),
                minutes_per_unit: Set(operation.minutes_per_unit),
                setup_minutes: Set(operation.setup_minutes),
                ..Default::default()
            }
            .insert(&w)
            .await?;
            seq
        }
    };
    let after = json!({"seq": seq, "name": name, "work_center": center.code,
        "minutes_per_unit": operation.minutes_per_unit, "setup_minutes": operation.setup_minutes});
    let id = format!("{slug}/{}#{seq}", part.form_name());
    finish(w, &product, "operation.create", id, None, after).await
}

/// Removes operation `seq` from the product's (or a value's) routing.
pub async fn remove_operation(
    w: ShopWrite,
    slug: &str,
    expected_version: i64,
    part: &Part,
    seq: i32,
) -> Result<Saved, WriteError> {
    let product = claim_product(&w, slug, expected_version).await?;
    let missing = || invalid("seq", format!("there is no operation {seq} to remove"));
    let before = match part {
        Part::Base => {
            let row = product_operations::Entity::find()
                .filter(product_operations::Column::ProductId.eq(product.id))
                .filter(product_operations::Column::Seq.eq(seq))
                .one(&w)
                .await?
                .ok_or_else(missing)?;
            product_operations::Entity::delete_by_id(row.id).exec(&w).await?;
            json!({"name": row.name, "minutes_per_unit": row.minutes_per_unit, "setup_minutes": row.setup_minutes})
        }
        Part::Value { group, value } => {
            let value_row = value_of(&w, &product, group, value).await?;
            let row = option_value_operations::Entity::find()
                .filter(option_value_operations::Column::OptionValueId.eq(value_row.id))
                .filter(option_value_operations::Column::Seq.eq(seq))
                .one(&w)
                .await?
                .ok_or_else(missing)?;
            option_value_operations::Entity::delete_by_id(row.id)
                .exec(&w)
                .await?;
            json!({"name": row.name, "minutes_per_unit": row.minutes_per_unit, "setup_minutes": row.setup_minutes})
        }
    };
    let id = format!("{slug}/{}#{seq}", part.form_name());
    finish(w, &product, "operation.remove", id, Some(before), json!(null)).await
}

async fn group_of(
    db: &impl ConnectionTrait,
    product: &products::Model,
    group: &str,
) -> Result<option_groups::Model, WriteError> {
    option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product.id))
        .filter(option_groups::Column::Code.eq(group))
        .one(db)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no option group `{group}` in `{}`", product.slug)))
}

async fn value_of(
    db: &impl ConnectionTrait,
    product: &products::Model,
    group: &str,
    value: &str,
) -> Result<option_values::Model, WriteError> {
    let group_row = group_of(db, product, group).await?;
    option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(group_row.id))
        .filter(option_values::Column::Code.eq(value))
        .one(db)
        .await?
        .ok_or_else(|| {
            WriteError::NotFound(format!(
                "no value `{value}` in option group `{group}` of `{}`",
                product.slug
            ))
        })
}

/// Records the change (its entity is the action's first word) and commits, which bumps
/// the state version.
async fn finish(
    mut w: ShopWrite,
    product: &products::Model,
    action: &'static str,
    entity_id: String,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<Saved, WriteError> {
    let entity = action.split('.').next().unwrap_or(action);
    w.record(Change::new(action, entity, entity_id).before(before).after(after))
        .await?;
    let done = w.commit().await?;
    Ok(Saved {
        version: product.version,
        state_version: done.state_version.get(),
    })
}

/// Makes the line of `part` of product `slug` that takes material `from` take material
/// `to` instead, same quantity, because a suggestion to reuse a leftover was accepted
/// (or undone): in the caller's unit of work, at the product's current version (the
/// suggestion was made from the catalog as it is). Refused, changing nothing, when the
/// part no longer takes `from` or already takes `to` (someone edited it since). What
/// was swapped, for the suggestion's record.
pub(crate) async fn swap_bom_material(
    w: &mut ShopWrite,
    slug: &str,
    part: &Part,
    from: i64,
    to: i64,
) -> Result<serde_json::Value, WriteError> {
    let current = find_product(&*w, w.shop(), slug)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no product `{slug}` in this shop")))?;
    let product = claim_product(w, slug, current.version).await?;
    let material = |id: i64| {
        materials::Entity::find_by_id(id)
            .filter(materials::Column::ShopId.eq(product.shop_id))
            .one(&*w)
    };
    let (Some(from_row), Some(to_row)) = (material(from).await?, material(to).await?) else {
        return Err(WriteError::NotFound(
            "one of the materials no longer exists".into(),
        ));
    };
    let changed = || {
        WriteError::Conflict(format!(
            "the line of {} {} no longer takes {} alone: it was edited since (see the product page)",
            product.name,
            match part {
                Part::Base => "itself".to_string(),
                Part::Value { group, value } => format!("{group}.{value}"),
            },
            from_row.sku
        ))
    };
    // The part's lines of either material: exactly one, of `from`, or it was edited.
    let value_row = match part {
        Part::Base => None,
        Part::Value { group, value } => Some(value_of(&*w, &product, group, value).await?),
    };
    let lines: Vec<(i64, i64, i64)> = match &value_row {
        None => product_bom_lines::Entity::find()
            .filter(product_bom_lines::Column::ProductId.eq(product.id))
            .filter(product_bom_lines::Column::MaterialId.is_in([from, to]))
            .all(&*w)
            .await?
            .into_iter()
            .map(|l| (l.id, l.material_id, l.quantity))
            .collect(),
        Some(value) => option_value_bom_lines::Entity::find()
            .filter(option_value_bom_lines::Column::OptionValueId.eq(value.id))
            .filter(option_value_bom_lines::Column::MaterialId.is_in([from, to]))
            .all(&*w)
            .await?
            .into_iter()
            .map(|l| (l.id, l.material_id, l.quantity))
            .collect(),
    };
    let [(line, material, quantity)] = lines[..] else {
        return Err(changed());
    };
    if material != from {
        return Err(changed());
    }
    match value_row {
        None => {
            product_bom_lines::Entity::update_many()
                .col_expr(product_bom_lines::Column::MaterialId, Expr::value(to))
                .filter(product_bom_lines::Column::Id.eq(line))
                .exec(&*w)
                .await?;
        }
        Some(_) => {
            option_value_bom_lines::Entity::update_many()
                .col_expr(option_value_bom_lines::Column::MaterialId, Expr::value(to))
                .filter(option_value_bom_lines::Column::Id.eq(line))
                .exec(&*w)
                .await?;
        }
    }
    let id = format!("{slug}/{}", part.form_name());
    // The line's material changes what quotes plan: no `leaves_quotes`.
    w.record(
        Change::new("bom_line.swap", "bom_line", id)
            .before(Some(json!({"sku": from_row.sku, "quantity": quantity})))
            .after(json!({"sku": to_row.sku, "quantity": quantity})),
    )
    .await?;
    Ok(
        json!({"from": {"id": from, "sku": from_row.sku}, "to": {"id": to, "sku": to_row.sku}, "quantity": quantity}),
    )
}
