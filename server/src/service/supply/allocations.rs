//! Stock kept for one sales channel: a merchant keeps, say, 200 m of navy canvas at
//! the factory for wholesale, and quotes and orders of every other channel leave it
//! alone (`engine::channel`). One rule for the REST API and the admin.
//!
//! Given as a quantity or as a share of the node's on-hand stock (a share follows the
//! stock as it is counted and received). Either way it is a floor under the free stock,
//! never more than what is free: it protects, it does not reserve.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::quoting::check_channel;
use crate::service::WriteError;
use crate::service::cursor::Window;
use crate::store::StoreError;
use crate::store::entities::{channel_allocations, materials, nodes, stock};
use crate::store::unit::{Change, ShopWrite};

/// How much to keep: exactly one of the two (the OpenAPI document says so with a
/// `oneOf`, see [`Keep`]'s `PartialSchema`).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keep {
    /// Units kept (in the material's unit).
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Share of the node's on-hand stock kept, above 0 and at most 1 (`0.25`).
    #[serde(default)]
    pub share: Option<f64>,
}

impl utoipa::PartialSchema for Keep {
    /// `{"quantity": units}` or `{"share": fraction}`, never both nor neither: a rule a
    /// derived schema of two optional fields could not state.
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        let only = |name: &str, description: &str, value: ObjectBuilder| {
            ObjectBuilder::new()
                .property(name, value.description(Some(description)))
                .required(name)
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        };
        OneOfBuilder::new()
            .item(only(
                "quantity",
                "Units kept (in the material's unit).",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .minimum(Some(0))
                    .maximum(Some(MAX_KEPT)),
            ))
            .item(only(
                "share",
                "Share of the node's on-hand stock kept, above 0 and at most 1 (`0.25`).",
                ObjectBuilder::new()
                    .schema_type(Type::Number)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Double,
                    )))
                    .exclusive_minimum(Some(0))
                    .maximum(Some(1)),
            ))
            .description(Some(
                "How much to keep: `quantity` (units) or `share` (of the on-hand stock), exactly one.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Keep {}

/// Stock kept for a channel, and what it amounts to now.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Allocation {
    /// Material SKU.
    pub material: String,
    /// Node code.
    pub node: String,
    /// The channel it is kept for.
    pub channel: String,
    /// Units kept, when given as a quantity.
    pub quantity: Option<i64>,
    /// Share of the on-hand stock kept, when given as a share.
    pub share: Option<f64>,
    /// Units kept now (the share applied to the node's on-hand stock).
    pub kept: i64,
    /// On hand at the node now.
    pub on_hand: i64,
    /// When it was last set.
    pub updated_at: DateTime<Utc>,
}

/// The largest quantity one allocation keeps: beyond any real stock, far below overflow.
const MAX_KEPT: i64 = 1_000_000_000_000;

/// Keeps `keep` of `sku` at node `node_code` for `channel` (replacing what was kept for
/// it there), audited, and commits; the shop's version goes up, so quotes see it.
pub async fn set_allocation(
    mut w: ShopWrite,
    sku: &str,
    node_code: &str,
    channel: &str,
    keep: Keep,
) -> Result<Allocation, WriteError> {
    check_channel(channel).map_err(|detail| WriteError::Invalid {
        field: "channel",
        detail: detail.into(),
    })?;
    check_keep(&keep)?;
    let (material, node) = material_and_node(&w, sku, node_code).await?;
    let existing = find(&w, material.id, node.id, channel).await?;
    let now = w.now();
    let row = match &existing {
        Some(row) => {
            let mut update: channel_allocations::ActiveModel = row.clone().into();
            update.quantity = Set(keep.quantity);
            update.share = Set(keep.share);
            update.updated_at = Set(now);
            update.update(&w).await?
        }
        None => {
            channel_allocations::ActiveModel {
                shop_id: Set(w.shop()),
                material_id: Set(material.id),
                node_id: Set(node.id),
                channel: Set(channel.to_string()),
                quantity: Set(keep.quantity),
                share: Set(keep.share),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&w)
            .await?
        }
    };
    let on_hand = on_hand(&w, material.id, node.id).await?;
    let allocation = view(row, sku, node_code, on_hand);
    let unchanged = existing
        .as_ref()
        .is_some_and(|r| (r.quantity, r.share) == (keep.quantity, keep.share));
    w.record(
        Change::new(
            "allocation.set",
            "channel_allocation",
            key(sku, node_code, channel),
        )
        .before(existing.map(|r| json!({"quantity": r.quantity, "share": r.share})))
        .after(json!(allocation))
        .leaves_quotes_if(unchanged),
    )
    .await?;
    w.commit().await?;
    Ok(allocation)
}

/// Stops keeping `sku` at `node_code` for `channel`, audited, and commits.
pub async fn remove_allocation(
    mut w: ShopWrite,
    sku: &str,
    node_code: &str,
    channel: &str,
) -> Result<(), WriteError> {
    let (material, node) = material_and_node(&w, sku, node_code).await?;
    let row = find(&w, material.id, node.id, channel).await?.ok_or_else(|| {
        WriteError::NotFound(format!(
            "no stock of {sku} at {node_code} is kept for `{channel}`"
        ))
    })?;
    channel_allocations::Entity::delete_by_id(row.id).exec(&w).await?;
    w.record(
        Change::new(
            "allocation.remove",
            "channel_allocation",
            key(sku, node_code, channel),
        )
        .before(Some(json!({"quantity": row.quantity, "share": row.share}))),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// A page of the shop's allocations.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct AllocationPage {
    /// The allocations, the latest set first.
    pub items: Vec<Allocation>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// The kind of the allocation list's cursors.
pub const ALLOCATION_CURSOR: &str = "allocation";

/// The page `window` asks for of the shop's allocations, the latest first (the API's
/// list).
pub async fn allocation_page(
    db: &impl ConnectionTrait,
    shop_id: i64,
    window: Window,
) -> Result<AllocationPage, StoreError> {
    let mut select =
        channel_allocations::Entity::find().filter(channel_allocations::Column::ShopId.eq(shop_id));
    if let Some(below) = window.below {
        select = select.filter(channel_allocations::Column::Id.lt(below));
    }
    let mut rows = select
        .order_by_desc(channel_allocations::Column::Id)
        .limit(window.fetch())
        .all(db)
        .await?;
    let next_cursor = window.cut(ALLOCATION_CURSOR, &mut rows, |r| r.id);
    Ok(AllocationPage {
        items: views(db, shop_id, rows).await?,
        next_cursor,
    })
}

/// Every allocation of the shop, by material, node and channel (the supply page shows
/// them all: a shop keeps a handful).
pub async fn allocations(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<Allocation>, StoreError> {
    let rows = channel_allocations::Entity::find()
        .filter(channel_allocations::Column::ShopId.eq(shop_id))
        .order_by_asc(channel_allocations::Column::MaterialId)
        .order_by_asc(channel_allocations::Column::NodeId)
        .order_by_asc(channel_allocations::Column::Channel)
        .all(db)
        .await?;
    views(db, shop_id, rows).await
}

/// `rows` with their SKU, node code and what they keep of the stock now.
async fn views(
    db: &impl ConnectionTrait,
    shop_id: i64,
    rows: Vec<channel_allocations::Model>,
) -> Result<Vec<Allocation>, StoreError> {
    let material_ids: Vec<i64> = rows.iter().map(|r| r.material_id).collect();
    let skus: std::collections::HashMap<i64, String> = materials::Entity::find()
        .filter(materials::Column::Id.is_in(material_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.sku))
        .collect();
    let codes: std::collections::HashMap<i64, String> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.code))
        .collect();
    let stock: std::collections::HashMap<(i64, i64), i64> = stock::Entity::find()
        .filter(stock::Column::MaterialId.is_in(material_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| ((s.material_id, s.node_id), s.on_hand))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let on_hand = stock.get(&(row.material_id, row.node_id)).copied().unwrap_or(0);
            let sku = skus.get(&row.material_id).cloned().unwrap_or_default();
            let node = codes.get(&row.node_id).cloned().unwrap_or_default();
            view(row, &sku, &node, on_hand)
        })
        .collect())
}

fn check_keep(keep: &Keep) -> Result<(), WriteError> {
    match (keep.quantity, keep.share) {
        (Some(quantity), None) if (0..=MAX_KEPT).contains(&quantity) => Ok(()),
        (Some(_), None) => Err(WriteError::Invalid {
            field: "quantity",
            detail: format!("must be between 0 and {MAX_KEPT}"),
        }),
        (None, Some(share)) if share > 0.0 && share <= 1.0 => Ok(()),
        (None, Some(_)) => Err(WriteError::Invalid {
            field: "share",
            detail: "must be above 0 and at most 1 (0.25 keeps a quarter of the stock)".into(),
        }),
        _ => Err(WriteError::Invalid {
            field: "quantity",
            detail: "give either `quantity` (units) or `share` (of the on-hand stock), not both".into(),
        }),
    }
}

async fn material_and_node(
    w: &ShopWrite,
    sku: &str,
    node_code: &str,
) -> Result<(materials::Model, nodes::Model), WriteError> {
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(w.shop()))
        .filter(materials::Column::Sku.eq(sku))
        .one(w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no material `{sku}` in this shop")))?;
    let node = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(w.shop()))
        .filter(nodes::Column::Code.eq(node_code))
        .one(w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no node `{node_code}` in this shop")))?;
    Ok((material, node))
}

async fn find(
    w: &ShopWrite,
    material: i64,
    node: i64,
    channel: &str,
) -> Result<Option<channel_allocations::Model>, WriteError> {
    Ok(channel_allocations::Entity::find()
        .filter(channel_allocations::Column::MaterialId.eq(material))
        .filter(channel_allocations::Column::NodeId.eq(node))
        .filter(channel_allocations::Column::Channel.eq(channel))
        .one(w)
        .await?)
}

async fn on_hand(w: &ShopWrite, material: i64, node: i64) -> Result<i64, WriteError> {
    Ok(stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material))
        .filter(stock::Column::NodeId.eq(node))
        .one(w)
        .await?
        .map_or(0, |s| s.on_hand))
}

fn key(sku: &str, node: &str, channel: &str) -> String {
    format!("{sku}@{node}:{channel}")
}

fn view(row: channel_allocations::Model, sku: &str, node: &str, on_hand: i64) -> Allocation {
    Allocation {
        material: sku.to_string(),
        node: node.to_string(),
        kept: row.kept(on_hand),
        channel: row.channel,
        quantity: row.quantity,
        share: row.share,
        on_hand,
        updated_at: row.updated_at,
    }
}
