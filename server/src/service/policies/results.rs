//! Writes a recomputation's results: each material's policy, with the inputs it came
//! from, replacing the previous one, in one transaction; and when that last happened.

use chrono::{DateTime, Utc};
use engine::policy::{MaterialDemand, MaterialPolicy};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::json;

use super::inputs::Inputs;
use crate::store::Db;
use crate::store::entities::{materials, policies};

/// Rows per `INSERT`.
const CHUNK: usize = 500;

/// Everything a recomputation writes in a policy row.
const POLICY_COLUMNS: [policies::Column; 12] = [
    policies::Column::Abc,
    policies::Column::Xyz,
    policies::Column::DemandClass,
    policies::Column::ServiceLevel,
    policies::Column::ReviewDays,
    policies::Column::CoverageDays,
    policies::Column::StockLevel,
    policies::Column::SafetyStock,
    policies::Column::ReorderPoint,
    policies::Column::OrderUpTo,
    policies::Column::Inputs,
    policies::Column::ComputedAt,
];

/// What is stored with a policy so the merchant can see why: the engine's figures and
/// a summary of the demand they came from.
#[derive(Serialize)]
struct Why<'a> {
    #[serde(flatten)]
    policy: &'a MaterialPolicy,
    history: serde_json::Value,
    supplier_id: Option<i64>,
}

/// Replaces the policies of `inputs.materials` with these, in one transaction;
/// `progress(done, total)` after each chunk of materials.
///
/// Upserts on `material_id`, with no delete first: the set of materials is the one the
/// inputs were read for, so every row is replaced, and a recomputation running at the
/// same time in another process cannot make an insert collide (the later commit wins,
/// whole). A deleted material's policy goes with it (`ON DELETE CASCADE`).
pub async fn store(
    db: &Db,
    inputs: &Inputs,
    demand: &[MaterialDemand],
    results: &[MaterialPolicy],
    computed_at: DateTime<Utc>,
    mut progress: impl FnMut(usize, usize),
) -> Result<(), DbErr> {
    // Derived data: no quote reads a policy, so it needs no state version bump, and
    // a recomputation is not a merchant's change to audit.
    let txn = db.system("policies").await?;
    let total = inputs.materials.len();
    for (first, chunk) in (0..total).collect::<Vec<_>>().chunks(CHUNK).map(|c| (c[0], c)) {
        let rows: Vec<policies::ActiveModel> = chunk
            .iter()
            .map(|&i| policy_row(inputs, &demand[i], &results[i], i, computed_at))
            .collect();
        policies::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(policies::Column::MaterialId)
                    .update_columns(POLICY_COLUMNS)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        progress(first + chunk.len(), total);
    }
    txn.commit().await
}

fn policy_row(
    inputs: &Inputs,
    demand: &MaterialDemand,
    policy: &MaterialPolicy,
    i: usize,
    computed_at: DateTime<Utc>,
) -> policies::ActiveModel {
    let material = &inputs.materials[i];
    let why = Why {
        policy,
        history: json!({
            "from": inputs.start,
            "days": inputs.days,
            "from_orders": demand.from_orders.iter().sum::<f64>(),
            "from_heat": demand.from_heat.iter().sum::<f64>(),
        }),
        supplier_id: material.supply.as_ref().map(|s| s.supplier_id),
    };
    policies::ActiveModel {
        material_id: Set(material.id),
        abc: Set(policy.abc.to_string()),
        xyz: Set(policy.xyz.to_string()),
        demand_class: Set(policy
            .profile
            .map(|p| snake(&p.class))
            .unwrap_or_else(|| "no_demand".into())),
        service_level: Set(policy.service_level),
        review_days: Set(i32::try_from(policy.review_days).unwrap_or(i32::MAX)),
        coverage_days: Set(i32::try_from(policy.coverage_days).unwrap_or(i32::MAX)),
        stock_level: Set(snake(&policy.stock_level)),
        safety_stock: Set(policy.safety_stock_units),
        reorder_point: Set(policy.reorder_point_units),
        order_up_to: Set(policy.order_up_to_units),
        inputs: Set(serde_json::to_value(&why).unwrap_or_default()),
        computed_at: Set(computed_at),
        ..Default::default()
    }
}

/// A unit enum's serde name (`smooth`, `medium`).
pub(super) fn snake<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// When the newest stored policy of `shop_id` was computed; `None` before its first
/// recomputation.
pub async fn last_computed(db: &Db, shop_id: i64) -> Result<Option<DateTime<Utc>>, DbErr> {
    let newest = policies::Entity::find()
        .filter(
            policies::Column::MaterialId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(materials::Column::Id)
                    .from(materials::Entity)
                    .and_where(materials::Column::ShopId.eq(shop_id))
                    .to_owned(),
            ),
        )
        .order_by_desc(policies::Column::ComputedAt)
        .one(db)
        .await?;
    Ok(newest.map(|p| p.computed_at))
}
