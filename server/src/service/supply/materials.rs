//! Materials in the admin: the filtered list with stock, inbound and policy figures,
//! and stock counts that are refused when the stock changed since the merchant saw it.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use super::stock::{StockCount, StockLevel, write_stock};
use crate::service::WriteError;
use crate::service::node_choices;
use crate::store::StoreError;
use crate::store::entities::{InboundStatus, inbound, materials, nodes, policies, stock};
use crate::store::unit::ShopWrite;
use app::model::admin::{MaterialChoices, MaterialFilter, MaterialRow, StockAtNode};

/// The material kinds in use and the nodes, for the filters and the stock form.
pub async fn material_choices(
    db: &impl ConnectionTrait,
    shop_id: i64,
) -> Result<MaterialChoices, StoreError> {
    let mut kinds: Vec<String> = materials::Entity::find()
        .select_only()
        .column(materials::Column::Kind)
        .distinct()
        .filter(materials::Column::ShopId.eq(shop_id))
        .into_tuple()
        .all(db)
        .await?;
    kinds.sort();
    Ok(MaterialChoices {
        kinds,
        nodes: node_choices(db, shop_id).await?,
    })
}

/// The shop's materials that pass `filter`, by SKU, each with its stock and confirmed
/// inbound per node and its stored policy.
///
/// The filter runs in Rust on the shop's materials: a shop has hundreds, and a
/// case-insensitive substring match is not portable SQL. Stock, inbound and policies are
/// one query each, whatever the number of materials.
pub async fn materials(
    db: &impl ConnectionTrait,
    shop_id: i64,
    filter: &MaterialFilter,
) -> Result<Vec<MaterialRow>, StoreError> {
    let search = filter.search.trim().to_lowercase();
    let kind = filter.kind.as_deref().filter(|kind| !kind.is_empty());
    let rows: Vec<materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .order_by_asc(materials::Column::Sku)
        .all(db)
        .await?
        .into_iter()
        .filter(|m| kind.is_none_or(|kind| m.kind == kind))
        .filter(|m| {
            search.is_empty()
                || m.sku.to_lowercase().contains(&search)
                || m.name.to_lowercase().contains(&search)
        })
        .collect();
    let nodes: HashMap<i64, nodes::Model> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|node| (node.id, node))
        .collect();
    let mut stock_of: HashMap<i64, Vec<stock::Model>> = HashMap::new();
    for row in stock::Entity::find()
        .filter(stock::Column::MaterialId.in_subquery(shop_materials(shop_id)))
        .all(db)
        .await?
    {
        stock_of.entry(row.material_id).or_default().push(row);
    }
    let mut inbound_of: HashMap<i64, HashMap<i64, i64>> = HashMap::new();
    for line in inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Status.eq(InboundStatus::Confirmed))
        .all(db)
        .await?
    {
        *inbound_of
            .entry(line.material_id)
            .or_default()
            .entry(line.node_id)
            .or_default() += line.quantity;
    }
    let mut policy_of: HashMap<i64, policies::Model> = policies::Entity::find()
        .filter(policies::Column::MaterialId.in_subquery(shop_materials(shop_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|policy| (policy.material_id, policy))
        .collect();
    let class = filter.class.as_deref().filter(|class| !class.is_empty());
    Ok(rows
        .into_iter()
        .map(|material| {
            let id = material.id;
            let stock = stock_at_nodes(
                &nodes,
                stock_of.remove(&id).unwrap_or_default(),
                inbound_of.remove(&id).unwrap_or_default(),
            );
            row_of(material, stock, policy_of.remove(&id))
        })
        .filter(|row| class.is_none_or(|class| in_class(row, class)))
        .filter(|row| !filter.below_reorder_point || row.below_reorder_point)
        .collect())
}

/// Whether `row` is in `class`: an ABC class (`A`) or a cell of the ABC-XYZ matrix
/// (`AX`, as the dashboard links to it).
fn in_class(row: &MaterialRow, class: &str) -> bool {
    match (row.abc.as_deref(), row.xyz.as_deref()) {
        (Some(abc), _) if class.len() == 1 => abc == class,
        (Some(abc), Some(xyz)) => class.len() == 2 && class.starts_with(abc) && class.ends_with(xyz),
        _ => false,
    }
}

/// Sets the on-hand stock of `sku` at `node` like `stock::set_stock`, but only if it is
/// still `expected_on_hand` (0 when there is no row), the figure the merchant counted
/// against; otherwise nothing is saved and the conflict says what it is now.
pub async fn adjust_stock(
    w: ShopWrite,
    sku: &str,
    node: &str,
    expected_on_hand: i64,
    on_hand: i64,
    reason: &str,
) -> Result<StockLevel, WriteError> {
    let count = StockCount {
        sku,
        node_code: node,
        expected: Some(expected_on_hand),
        on_hand,
        reason,
    };
    write_stock(w, count).await
}

fn shop_materials(shop_id: i64) -> SelectStatement {
    Query::select()
        .column(materials::Column::Id)
        .from(materials::Entity)
        .and_where(materials::Column::ShopId.eq(shop_id))
        .to_owned()
}

/// One material's stock and inbound per node, by node code; nodes with neither are left
/// out.
fn stock_at_nodes(
    nodes: &HashMap<i64, nodes::Model>,
    rows: Vec<stock::Model>,
    inbound: HashMap<i64, i64>,
) -> Vec<StockAtNode> {
    let mut at: BTreeMap<String, StockAtNode> = BTreeMap::new();
    for row in rows {
        if let Some(level) = level(&mut at, nodes, row.node_id) {
            level.on_hand += row.on_hand;
            level.reserved += row.reserved;
        }
    }
    for (node_id, quantity) in inbound {
        if let Some(level) = level(&mut at, nodes, node_id) {
            level.inbound += quantity;
        }
    }
    at.into_values().collect()
}

/// The entry of `node_id` in `at`, created empty; `None` for a node of another shop.
fn level<'a>(
    at: &'a mut BTreeMap<String, StockAtNode>,
    nodes: &HashMap<i64, nodes::Model>,
    node_id: i64,
) -> Option<&'a mut StockAtNode> {
    let node = nodes.get(&node_id)?;
    Some(at.entry(node.code.clone()).or_insert_with(|| StockAtNode {
        node: node.code.clone(),
        node_name: node.name.clone(),
        on_hand: 0,
        reserved: 0,
        inbound: 0,
    }))
}

fn row_of(
    material: materials::Model,
    stock: Vec<StockAtNode>,
    policy: Option<policies::Model>,
) -> MaterialRow {
    let available: i64 = stock.iter().map(|s| s.on_hand - s.reserved).sum();
    let reorder_point = policy.as_ref().map(|p| p.reorder_point);
    MaterialRow {
        attributes: attribute_pairs(&material.attributes),
        sku: material.sku,
        name: material.name,
        kind: material.kind,
        unit: material.unit,
        unit_cost_minor: material.unit_cost_minor,
        is_generic: material.is_generic,
        colour_family: material.colour_family,
        abc: policy.as_ref().map(|p| p.abc.clone()),
        xyz: policy.as_ref().map(|p| p.xyz.clone()),
        reorder_point,
        below_reorder_point: reorder_point.is_some_and(|point| available <= point),
        stock,
    }
}

/// A JSON object as `(key, value)` pairs in key order; strings without their quotes.
fn attribute_pairs(attributes: &Value) -> Vec<(String, String)> {
    let Some(object) = attributes.as_object() else {
        return Vec::new();
    };
    let mut pairs: Vec<(String, String)> = object
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(text) => text.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (key.clone(), value)
        })
        .collect();
    pairs.sort();
    pairs
}
