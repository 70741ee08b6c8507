//! `stock` files: one row per material and node setting the units on hand, as a stock
//! count does (same audit entry, same rule: not below what orders hold). Checked whole,
//! then applied in chunks (`chunks.rs`), each write conditional on the level checked.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::cells::whole;
use super::read::{Problems, Row};
use super::{Applied, Conflict};
use crate::store::StoreError;
use crate::store::entities::{materials, nodes, stock};
use crate::store::unit::{Change, ShopWrite};

/// The reason kept in the audit log when a row gives none.
pub const DEFAULT_REASON: &str = "CSV import";

/// A checked row that changes a level, with the level as the check read it.
pub(super) struct Count {
    line: u64,
    sku: String,
    node: String,
    material_id: i64,
    node_id: i64,
    on_hand: i64,
    reason: String,
    level: Option<stock::Model>,
}

impl Count {
    /// The row's line in the file.
    pub(super) fn line(&self) -> u64 {
        self.line
    }
}

/// Checks every row against the shop as `db` reads it; returns the rows that change a
/// level (a row equal to what is stored writes nothing), or records problems.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    shop_id: i64,
    rows: &[Row],
    problems: &mut Problems,
) -> Result<Vec<Count>, StoreError> {
    let material_ids = shop_materials(db, shop_id).await?;
    let node_ids: HashMap<String, i64> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.code, n.id))
        .collect();
    let mut levels = shop_stock(db, shop_id).await?;
    let mut first_line: HashMap<(i64, i64), u64> = HashMap::new();
    let mut counts = Vec::new();
    for row in rows {
        let (sku, node) = (row.get("sku"), row.get("node"));
        let material_id = material_ids.get(sku).copied();
        if material_id.is_none() {
            problems.at(
                row.line,
                "sku",
                format!("there is no material “{sku}” in this shop"),
            );
        }
        let node_id = node_ids.get(node).copied();
        if node_id.is_none() {
            let known: Vec<&str> = node_ids.keys().map(String::as_str).collect();
            problems.at(
                row.line,
                "node",
                format!("there is no node “{node}”; the nodes are {}", sorted(known)),
            );
        }
        let on_hand = whole(row, "on_hand", problems);
        let (Some(material_id), Some(node_id), Some(on_hand)) = (material_id, node_id, on_hand) else {
            continue;
        };
        let reserved = levels.get(&(material_id, node_id)).map_or(0, |s| s.reserved);
        if on_hand < 0 {
            problems.at(row.line, "on_hand", "cannot be negative");
            continue;
        }
        if on_hand < reserved {
            problems.at(
                row.line,
                "on_hand",
                format!("cannot be below the {reserved} units reserved for orders"),
            );
            continue;
        }
        if let Some(first) = first_line.insert((material_id, node_id), row.line) {
            problems.at(
                row.line,
                "node",
                format!("{sku} at {node} is already on line {first}"),
            );
            continue;
        }
        // Each level is met once (a second row for it is refused above), so it can be
        // moved into its row.
        let level = levels.remove(&(material_id, node_id));
        if level.as_ref().is_some_and(|l| l.on_hand == on_hand) {
            continue;
        }
        let reason = match row.get("reason") {
            "" => DEFAULT_REASON,
            reason => reason,
        };
        counts.push(Count {
            line: row.line,
            sku: sku.to_string(),
            node: node.to_string(),
            material_id,
            node_id,
            on_hand,
            reason: reason.to_string(),
            level,
        });
    }
    Ok(counts)
}

/// Sets the levels of `counts` in `w`, each with its audit row, and returns how many;
/// a level changed by someone else since the check stops the chunk at that row (the
/// caller rolls the chunk back).
pub(super) async fn apply(w: &mut ShopWrite, counts: &[Count]) -> Result<Applied, StoreError> {
    for count in counts {
        let level = count.level.as_ref();
        if !put_level(&*w, level, count).await? {
            return Ok(Applied::Conflict(Conflict {
                line: count.line,
                column: "on_hand",
                what: format!(
                    "the stock of {} at {} changed while the file was being imported",
                    count.sku, count.node
                ),
            }));
        }
        let reserved = level.map_or(0, |l| l.reserved);
        w.record(
            Change::new("stock.set", "stock", format!("{}@{}", count.sku, count.node))
                .before(level.map(|l| json!({"on_hand": l.on_hand, "reserved": l.reserved})))
                .after(json!({"on_hand": count.on_hand, "reserved": reserved, "reason": count.reason})),
        )
        .await?;
    }
    Ok(Applied::Changed(counts.len()))
}

/// Writes one level; `false` when the stored row no longer holds what was read (or,
/// for a new level, when one was stored since).
async fn put_level(
    db: &impl ConnectionTrait,
    level: Option<&stock::Model>,
    count: &Count,
) -> Result<bool, StoreError> {
    match level {
        Some(l) => {
            // Conditional on what was read, as a stock count is: a reservation made
            // since cannot be overwritten unseen (PostgreSQL reads committed).
            let updated = stock::Entity::update_many()
                .col_expr(stock::Column::OnHand, Expr::value(count.on_hand))
                .filter(stock::Column::Id.eq(l.id))
                .filter(stock::Column::OnHand.eq(l.on_hand))
                .filter(stock::Column::Reserved.eq(l.reserved))
                .exec(db)
                .await?;
            Ok(updated.rows_affected == 1)
        }
        None => {
            let stored = stock::Entity::find()
                .filter(stock::Column::MaterialId.eq(count.material_id))
                .filter(stock::Column::NodeId.eq(count.node_id))
                .one(db)
                .await?;
            if stored.is_some() {
                return Ok(false);
            }
            stock::ActiveModel {
                material_id: Set(count.material_id),
                node_id: Set(count.node_id),
                on_hand: Set(count.on_hand),
                reserved: Set(0),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(true)
        }
    }
}

/// The shop's material ids by SKU.
async fn shop_materials(db: &impl ConnectionTrait, shop_id: i64) -> Result<HashMap<String, i64>, StoreError> {
    Ok(materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.sku, m.id))
        .collect())
}

/// The shop's stock rows by (material, node).
async fn shop_stock(
    db: &impl ConnectionTrait,
    shop_id: i64,
) -> Result<HashMap<(i64, i64), stock::Model>, StoreError> {
    let shop_materials = Query::select()
        .column(materials::Column::Id)
        .from(materials::Entity)
        .and_where(materials::Column::ShopId.eq(shop_id))
        .to_owned();
    Ok(stock::Entity::find()
        .filter(stock::Column::MaterialId.in_subquery(shop_materials))
        .all(db)
        .await?
        .into_iter()
        .map(|s| ((s.material_id, s.node_id), s))
        .collect())
}

fn sorted(mut names: Vec<&str>) -> String {
    names.sort_unstable();
    names.join(", ")
}

/// Every stock row of the shop, by SKU then node, as rows of
/// `ImportKind::Stock.columns()` (the reason left empty).
pub async fn export(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<Vec<String>>, StoreError> {
    let skus: HashMap<i64, String> = shop_materials(db, shop_id)
        .await?
        .into_iter()
        .map(|(sku, id)| (id, sku))
        .collect();
    let codes: HashMap<i64, String> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.code))
        .collect();
    let mut rows: Vec<Vec<String>> = shop_stock(db, shop_id)
        .await?
        .into_values()
        .filter_map(|s| {
            let (sku, node) = (skus.get(&s.material_id)?, codes.get(&s.node_id)?);
            Some(vec![
                sku.clone(),
                node.clone(),
                s.on_hand.to_string(),
                String::new(),
            ])
        })
        .collect();
    rows.sort();
    Ok(rows)
}
