//! Suggestions as the rules see them (`engine::lifecycle::rules::Candidate`): the day
//! they were made, the value executing them commits, their material's class and
//! whether they make up for a late supplier.
//!
//! The value is what the action puts at stake: the goods a transfer moves or a
//! purchase order buys (as the suggestion priced them), the supplier's price of the
//! units a capacity reservation holds, the value of the safety stock a raised stock
//! level adds (today's safety stock × the step's factor − 1, at the material's unit
//! cost), nothing for a freeze.

use std::collections::HashMap;

use chrono_tz::Tz;
use engine::lifecycle::rules::{Candidate, Class, SuggestionKind as Kind};
use engine::money::Money;
use engine::policy::{Abc, StockLevel, Xyz};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::store::entities::{SuggestionKind, materials, policies, suggestions, supplier_materials};

/// The engine's name of a stored kind.
pub(crate) fn kind(kind: SuggestionKind) -> Kind {
    match kind {
        SuggestionKind::RaiseStockLevel => Kind::RaiseStockLevel,
        SuggestionKind::Purchase => Kind::Purchase,
        SuggestionKind::Transfer => Kind::Transfer,
        SuggestionKind::ReserveCapacity => Kind::ReserveCapacity,
        SuggestionKind::Freeze => Kind::Freeze,
        SuggestionKind::ReuseMaterial => Kind::ReuseMaterial,
    }
}

/// The class a stored policy's `abc` and `xyz` name.
pub(crate) fn class_of(abc: &str, xyz: &str) -> Option<Class> {
    let abc = match abc {
        "A" => Abc::A,
        "B" => Abc::B,
        "C" => Abc::C,
        _ => return None,
    };
    let xyz = match xyz {
        "X" => Xyz::X,
        "Y" => Xyz::Y,
        "Z" => Xyz::Z,
        _ => return None,
    };
    Some(Class { abc, xyz })
}

/// The safety-stock factor of the stock level the payload names at `key` (medium when
/// it names none).
fn level_factor(p: &Value, key: &str) -> f64 {
    serde_json::from_value::<StockLevel>(p[key].clone()).map_or(1.0, StockLevel::factor)
}

/// `rows` as candidates, in the order given, their days in the shop's zone `tz`.
pub(crate) async fn candidates(
    db: &impl ConnectionTrait,
    shop_id: i64,
    tz: Tz,
    rows: &[suggestions::Model],
) -> Result<Vec<Candidate>, DbErr> {
    let materials: Vec<materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?;
    let ids: Vec<i64> = materials.iter().map(|m| m.id).collect();
    let by_sku: HashMap<&str, &materials::Model> = materials.iter().map(|m| (m.sku.as_str(), m)).collect();
    let by_id: HashMap<i64, &materials::Model> = materials.iter().map(|m| (m.id, m)).collect();
    let policies: HashMap<i64, policies::Model> = policies::Entity::find()
        .filter(policies::Column::MaterialId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.material_id, p))
        .collect();
    let prices: HashMap<(i64, i64), i64> = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| ((o.supplier_id, o.material_id), o.price_minor))
        .collect();
    Ok(rows
        .iter()
        .map(|s| {
            let p = &s.payload;
            let material = p["material_id"]
                .as_i64()
                .and_then(|id| by_id.get(&id))
                .or_else(|| p["sku"].as_str().and_then(|sku| by_sku.get(sku)))
                .copied();
            let policy = material.and_then(|m| policies.get(&m.id));
            let value = match s.kind {
                SuggestionKind::Transfer | SuggestionKind::Purchase => p["value_minor"].as_i64().unwrap_or(0),
                SuggestionKind::ReserveCapacity => {
                    let quantity = p["quantity"].as_i64().unwrap_or(0);
                    let price = material.map_or(0, |m| {
                        p["supplier_id"]
                            .as_i64()
                            .and_then(|supplier| prices.get(&(supplier, m.id)).copied())
                            .unwrap_or(m.unit_cost_minor)
                    });
                    quantity.saturating_mul(price)
                }
                SuggestionKind::RaiseStockLevel => added_safety_value(p, material, policy),
                SuggestionKind::Freeze | SuggestionKind::ReuseMaterial => 0,
            };
            Candidate {
                suggestion: s.id,
                kind: kind(s.kind),
                day: s.created_at.with_timezone(&tz).date_naive(),
                value: Money(value.max(0)),
                class: policy.and_then(|p| class_of(&p.abc, &p.xyz)),
                supplier_late: p["supplier_late"].as_bool().unwrap_or(false),
            }
        })
        .collect())
}

/// The value of the safety stock a raised stock level adds, minor units.
fn added_safety_value(
    p: &Value,
    material: Option<&materials::Model>,
    policy: Option<&policies::Model>,
) -> i64 {
    let (Some(material), Some(policy)) = (material, policy) else {
        return 0;
    };
    let (from, to) = (level_factor(p, "from"), level_factor(p, "to"));
    // The stored safety stock is at the current level; the raise scales it.
    let added = policy.safety_stock as f64 * (to / from - 1.0);
    (added.max(0.0) * material.unit_cost_minor as f64).round() as i64
}
