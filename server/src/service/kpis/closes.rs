//! The daily close of a shop's stock (`inventory_closes`): each material's units on
//! hand at every node, its unit cost, how old its units are (first in, first out
//! against the purchase receipts on record) and its policy's levels, as the day ends.
//!
//! c2m keeps no ledger of every movement, and the stock table holds only the present;
//! the close is what lets the dashboard show how the stock turned and aged week by
//! week. A scheduled job ([`record`]) rewrites today's rows every few minutes, so the
//! last write of a day is its close; the dashboard takes today's from the live state
//! ([`now`]) and the past days' from the table. Days the server was not running have
//! no close and are left out of the figures, never counted as empty.

use std::collections::HashMap;

use chrono::NaiveDate;
use engine::kpi::inventory::fifo_age;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::store::Db;
use crate::store::entities::{
    InboundKind, InboundStatus, inbound, inventory_closes, materials, policies, stock,
};

/// Rows per insert statement.
const CHUNK: usize = 500;

/// The columns a later write of the same day replaces.
const CLOSE_COLUMNS: [inventory_closes::Column; 8] = [
    inventory_closes::Column::OnHand,
    inventory_closes::Column::UnitCostMinor,
    inventory_closes::Column::DatedUnits,
    inventory_closes::Column::AgedUnits,
    inventory_closes::Column::SafetyStock,
    inventory_closes::Column::ReorderPoint,
    inventory_closes::Column::OrderUpTo,
    inventory_closes::Column::Xyz,
];

/// Every material of `shop_id` as its stock stands now, as the close of `today`
/// (rows not stored: their `id` is 0).
pub async fn now(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<Vec<inventory_closes::Model>, DbErr> {
    let materials = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .order_by_asc(materials::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = materials.iter().map(|m| m.id).collect();
    let mut on_hand: HashMap<i64, i64> = HashMap::new();
    for s in stock::Entity::find()
        .filter(stock::Column::MaterialId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        *on_hand.entry(s.material_id).or_default() += s.on_hand;
    }
    let policies: HashMap<i64, policies::Model> = policies::Entity::find()
        .filter(policies::Column::MaterialId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.material_id, p))
        .collect();
    // Transfers move units between nodes without making them younger: only what came
    // from suppliers dates them.
    let mut receipts: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for r in inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Kind.eq(InboundKind::Purchase))
        .filter(inbound::Column::Status.eq(InboundStatus::Received))
        .all(db)
        .await?
    {
        let day = r.received_on.unwrap_or(r.eta);
        receipts.entry(r.material_id).or_default().push((day, r.quantity));
    }
    Ok(materials
        .into_iter()
        .map(|m| {
            let units = on_hand.get(&m.id).copied().unwrap_or(0);
            let age = fifo_age(units, receipts.get(&m.id).map_or(&[][..], Vec::as_slice), today);
            let policy = policies.get(&m.id);
            inventory_closes::Model {
                id: 0,
                shop_id,
                material_id: m.id,
                day: today,
                on_hand: units,
                unit_cost_minor: m.unit_cost_minor,
                dated_units: age.dated,
                aged_units: age.aged,
                safety_stock: policy.map(|p| p.safety_stock),
                reorder_point: policy.map(|p| p.reorder_point),
                order_up_to: policy.map(|p| p.order_up_to),
                xyz: policy.map(|p| p.xyz.clone()),
            }
        })
        .collect())
}

/// Writes the close of `today` for `shop_id` from the stock as it stands, replacing
/// what an earlier run of the same day wrote; returns the materials closed.
pub async fn record(db: &Db, shop_id: i64, today: NaiveDate) -> Result<usize, DbErr> {
    let read = db.read().await?;
    let rows = now(&read, shop_id, today).await?;
    read.finish().await?;
    // Derived from the stock, read by no quote and no one's change to audit.
    let txn = db.system("inventory closes").await?;
    for chunk in rows.chunks(CHUNK) {
        let models: Vec<inventory_closes::ActiveModel> = chunk.iter().map(row).collect();
        inventory_closes::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([
                    inventory_closes::Column::MaterialId,
                    inventory_closes::Column::Day,
                ])
                .update_columns(CLOSE_COLUMNS)
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(rows.len())
}

/// The stored closes of `shop_id` from `from` to `to`, both included.
pub async fn between(
    db: &impl ConnectionTrait,
    shop_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<inventory_closes::Model>, DbErr> {
    inventory_closes::Entity::find()
        .filter(inventory_closes::Column::ShopId.eq(shop_id))
        .filter(inventory_closes::Column::Day.between(from, to))
        .order_by_asc(inventory_closes::Column::Day)
        .order_by_asc(inventory_closes::Column::MaterialId)
        .all(db)
        .await
}

fn row(close: &inventory_closes::Model) -> inventory_closes::ActiveModel {
    inventory_closes::ActiveModel {
        shop_id: Set(close.shop_id),
        material_id: Set(close.material_id),
        day: Set(close.day),
        on_hand: Set(close.on_hand),
        unit_cost_minor: Set(close.unit_cost_minor),
        dated_units: Set(close.dated_units),
        aged_units: Set(close.aged_units),
        safety_stock: Set(close.safety_stock),
        reorder_point: Set(close.reorder_point),
        order_up_to: Set(close.order_up_to),
        xyz: Set(close.xyz.clone()),
        ..Default::default()
    }
}
