//! The reuse rule (PRODUCT.md, "End of life"; the article's scenario 3): stock of a
//! dedicated material that no live product uses any more is matched to the bills of
//! materials of live products that could use it, so dead stock becomes input.
//!
//! - *Leftover*: a material that is not generic (generic ones are shared by design),
//!   that no line of a live product (presale, growth or mature; a frozen value's line
//!   does not count) takes, with free stock (on hand − reserved, over every node). Its
//!   old product may be declining or frozen out; nothing live will draw it down.
//! - *Live lines*: every base line and active value line of a live product, with its
//!   demand within the coverage (`leftover_coverage_days`, 90 by default): what the
//!   line used over that many days of history, orders and presale purchase intents
//!   exploded exactly as the policies explode them, is what it will use over the next
//!   as many.
//! - `engine::lifecycle::match_leftover` matches on `kind` and the colour family,
//!   ranks by the value saved and shares the leftover out, so the suggestions of one
//!   alert together never use more than there is.
//! - One `leftover_material` alert per material (subject `material:<id>`), raised once
//!   while open and not again within 30 days of the last; one `reuse_material`
//!   suggestion per matched line. Accepting one swaps the line's material for the
//!   leftover ([`crate::service::catalog::swap_bom_material`]): quotes plan the
//!   leftover from the next one on; undo swaps it back while the line still takes it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use engine::lifecycle::matching::{KIND as KIND_KEY, leftover_units};
use engine::lifecycle::{Attributes, BomPlace, Leftover, LiveLine, MaterialMatch, match_leftover};
use engine::money::Money;
use engine::policy::{BomLine, ProductBom};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::service::policies::inputs::{self, Inputs};
use crate::service::policies::settings::ShopPolicy;
use crate::store::entities::{
    AlertSeverity, AlertStatus, OptionValueStatus, SuggestionKind, alerts, materials, option_groups,
    option_values, products, shops, stock,
};
use crate::store::{Db, StoreError};

/// The alert kind.
pub const KIND: &str = "leftover_material";
/// Who the audit log says raised the alert.
pub const ACTOR: &str = "rule:leftover-reuse";
/// The attributes a match needs beside `kind`.
pub const MATCHED_ON: [&str; 1] = ["colour_family"];
/// A leftover whose alert was decided is not raised again within this many days.
const QUIET_DAYS: i64 = 30;
/// The phases whose demand is live.
const LIVE: [&str; 3] = ["presale", "growth", "mature"];

/// A live line, where it sits, in the shop's terms.
struct Line {
    product: usize,
    place: BomPlace,
    material: i64,
    /// Units of it per unit of product.
    per_unit: f64,
    /// The engine's index of the value whose line it is; `None` for a base line.
    slot: Option<usize>,
    /// `(group code, group name, value code, value label)` of a value's line.
    value: Option<(String, String, String, String)>,
}

/// Finds the leftovers of `shop` as of `now` and raises an alert with its reuse
/// suggestions for each one a live line could use. How many alerts were raised.
pub async fn evaluate(
    db: &Db,
    shop: &shops::Model,
    policy: &ShopPolicy,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = now.with_timezone(&tz).date_naive();
    let coverage = policy.leftover_coverage_days.max(1);
    let inputs = inputs::load(db, shop, today, coverage as usize, policy.heat_conversion).await?;
    let products: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let lines = live_lines(db, &inputs, &products).await?;
    let demand = line_demand(&inputs, &lines, coverage)?;
    let rows: Vec<materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop.id))
        .all(db)
        .await?;
    let by_id: HashMap<i64, &materials::Model> = rows.iter().map(|m| (m.id, m)).collect();
    let used_live: HashSet<i64> = lines.iter().map(|l| l.material).collect();
    let stock = stock_of(db, &rows).await?;
    let quiet = super::quiet_subjects(db, shop.id, KIND, now, TimeDelta::days(QUIET_DAYS)).await?;
    let live: Vec<LiveLine> = lines
        .iter()
        .zip(&demand)
        .filter_map(|(line, &demand)| {
            Some(LiveLine {
                product: line.product,
                place: line.place,
                material: engine_id(line.material)?,
                attributes: attributes(by_id.get(&line.material)?),
                demand,
            })
        })
        .collect();
    let listed: Vec<String> = MATCHED_ON.iter().map(|&k| k.to_owned()).collect();
    let mut raised = 0;
    for material in &rows {
        let (on_hand, reserved) = stock.get(&material.id).copied().unwrap_or_default();
        // No live line takes it: no live demand draws it down.
        let units = leftover_units(on_hand, reserved, 0);
        if material.is_generic
            || units <= 0
            || used_live.contains(&material.id)
            || quiet.contains(&super::material_subject(material.id))
        {
            continue;
        }
        let Some(id) = engine_id(material.id) else {
            continue;
        };
        let leftover = Leftover {
            material: id,
            quantity: units,
            unit_cost: Money(material.unit_cost_minor),
            attributes: attributes(material),
        };
        let matches = match_leftover(&leftover, &live, &listed);
        if matches.is_empty() {
            continue;
        }
        let found = Found {
            material,
            units,
            coverage,
            matches: &matches,
        };
        if raise(db, shop, &found, &lines, &inputs, &products, &by_id, now).await? {
            raised += 1;
        }
    }
    Ok(raised)
}

/// A leftover and what could use it.
struct Found<'a> {
    material: &'a materials::Model,
    units: i64,
    coverage: u32,
    matches: &'a [MaterialMatch],
}

/// Raises the alert of `found` with one suggestion per match, in one unit of work;
/// `false` when one is open already.
#[allow(clippy::too_many_arguments)]
async fn raise(
    db: &Db,
    shop: &shops::Model,
    found: &Found<'_>,
    lines: &[Line],
    inputs: &Inputs,
    products: &HashMap<i64, products::Model>,
    materials: &HashMap<i64, &materials::Model>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let m = found.material;
    let value = Money(found.units.saturating_mul(m.unit_cost_minor));
    let used: i64 = found.matches.iter().map(|x| x.quantity).sum();
    let message = format!(
        "{} ({}) — {} {} left over that no live product uses (worth {}); {} line{} of live products could use {} {} of it over the next {} days.",
        m.name,
        m.sku,
        found.units,
        m.unit,
        value,
        found.matches.len(),
        if found.matches.len() == 1 { "" } else { "s" },
        used,
        m.unit,
        found.coverage,
    );
    let mut w = db.write(shop.id, ACTOR).await?;
    let alert = alerts::ActiveModel {
        shop_id: Set(shop.id),
        kind: Set(KIND.into()),
        severity: Set(AlertSeverity::Info),
        subject: Set(super::material_subject(m.id)),
        message: Set(message),
        evidence: Set(json!({"sku": m.sku, "free": found.units, "unit": m.unit,
                             "value_minor": value.minor(), "coverage_days": found.coverage})),
        status: Set(AlertStatus::Open),
        created_at: Set(now),
        ..Default::default()
    };
    let Some(alert_id) = super::insert_open(&w, alert).await? else {
        w.rollback().await?;
        return Ok(false);
    };
    for found_match in found.matches {
        let Some(payload) = payload(found, found_match, lines, inputs, products, materials) else {
            continue;
        };
        super::suggest(&w, shop.id, alert_id, SuggestionKind::ReuseMaterial, now, payload).await?;
    }
    // Alerts and suggestions feed no quote.
    w.record(
        crate::store::Change::new("alert.raise", "alert", alert_id.to_string())
            .after(json!({"kind": KIND, "material": m.sku, "suggestions": found.matches.len()}))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(true)
}

/// A suggestion's stored figures: which line, what it saves, why it matched.
fn payload(
    found: &Found<'_>,
    m: &MaterialMatch,
    lines: &[Line],
    inputs: &Inputs,
    products: &HashMap<i64, products::Model>,
    materials: &HashMap<i64, &materials::Model>,
) -> Option<Value> {
    let line = lines.iter().find(|l| {
        l.product == m.product && l.place == m.place && engine_id(l.material) == Some(m.material)
    })?;
    let product = products.get(inputs.product_ids.get(line.product)?)?;
    let current = materials.get(&line.material)?;
    let leftover = found.material;
    let (group, group_name, value, label) = line.value.clone().unwrap_or_default();
    Some(json!({
        "material_id": leftover.id,
        "sku": leftover.sku,
        "name": leftover.name,
        "unit": leftover.unit,
        "free": found.units,
        "product": product.slug,
        "product_name": product.name,
        "place": if line.value.is_some() { "value" } else { "base" },
        "group": group,
        "group_name": group_name,
        "value": value,
        "label": label,
        "line_material_id": current.id,
        "line_sku": current.sku,
        "line_name": current.name,
        "matched_on": m.matched_on,
        "also_shared": m.also_shared,
        "demand": m.demand,
        "quantity": m.quantity,
        "value_saved_minor": m.value_saved.minor(),
        "coverage_days": found.coverage,
    }))
}

/// The part of the product a reuse suggestion's line sits in (its payload, or what
/// accepting it swapped): a value's when it names one, else the base.
pub(super) fn part_of(p: &Value) -> crate::service::catalog::Part {
    let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
    if !text("value").is_empty() {
        crate::service::catalog::Part::Value {
            group: text("group"),
            value: text("value"),
        }
    } else {
        crate::service::catalog::Part::Base
    }
}

/// A row id as the engine's material id (ids past `u32` cannot be matched).
fn engine_id(id: i64) -> Option<u32> {
    u32::try_from(id).ok()
}

/// `kind`, the colour family and the material's own attributes, as text.
fn attributes(material: &materials::Model) -> Attributes {
    let mut attributes: Attributes = material
        .attributes
        .as_object()
        .map(|own| {
            own.iter()
                .filter_map(|(key, value)| {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((key.clone(), text))
                })
                .collect()
        })
        .unwrap_or_default();
    attributes.insert(KIND_KEY.to_owned(), material.kind.clone());
    if let Some(family) = &material.colour_family {
        attributes.insert("colour_family".to_owned(), family.clone());
    }
    attributes
}

/// On hand and reserved per material, over every node.
async fn stock_of(
    db: &impl ConnectionTrait,
    materials: &[materials::Model],
) -> Result<HashMap<i64, (i64, i64)>, StoreError> {
    let mut held: HashMap<i64, (i64, i64)> = HashMap::new();
    for row in stock::Entity::find()
        .filter(stock::Column::MaterialId.is_in(materials.iter().map(|m| m.id)))
        .all(db)
        .await?
    {
        let entry = held.entry(row.material_id).or_default();
        entry.0 += row.on_hand;
        entry.1 += row.reserved;
    }
    Ok(held)
}

/// Every base line and active value line of the live products of `inputs`.
async fn live_lines(
    db: &impl ConnectionTrait,
    inputs: &Inputs,
    products: &HashMap<i64, products::Model>,
) -> Result<Vec<Line>, StoreError> {
    let value_rows: HashMap<i64, option_values::Model> = option_values::Entity::find()
        .filter(option_values::Column::Id.is_in(inputs.value_ids.iter().flatten().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let groups: HashMap<i64, option_groups::Model> = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.is_in(inputs.product_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let material_id = |index: usize| inputs.materials.get(index).map(|m| m.id);
    let mut lines = Vec::new();
    for (p, bom) in inputs.products.iter().enumerate() {
        let live = inputs
            .product_ids
            .get(p)
            .and_then(|id| products.get(id))
            .is_some_and(|product| LIVE.contains(&product.lifecycle.as_str()));
        if !live {
            continue;
        }
        for line in &bom.base {
            if let Some(material) = material_id(line.material) {
                lines.push(Line {
                    product: p,
                    place: BomPlace::Base,
                    material,
                    per_unit: line.per_unit,
                    slot: None,
                    value: None,
                });
            }
        }
        for (v, value_lines) in bom.values.iter().enumerate() {
            let Some(row) = inputs.value_ids[p].get(v).and_then(|id| value_rows.get(id)) else {
                continue;
            };
            let Some(group) = groups.get(&row.group_id) else {
                continue;
            };
            if row.status == OptionValueStatus::Frozen {
                continue;
            }
            let (group_index, value_index) = place_of(inputs, p, v, &value_rows, &groups);
            for line in value_lines {
                if let Some(material) = material_id(line.material) {
                    lines.push(Line {
                        product: p,
                        place: BomPlace::Value {
                            group: group_index,
                            value: value_index,
                        },
                        material,
                        per_unit: line.per_unit,
                        slot: Some(v),
                        value: Some((
                            group.code.clone(),
                            group.name.clone(),
                            row.code.clone(),
                            row.label.clone(),
                        )),
                    });
                }
            }
        }
    }
    Ok(lines)
}

/// The (group, value) position of value `v` of product `p`: its group's rank among
/// the product's groups and its own rank within the group (the engine's `BomPlace`
/// orders lines by it).
fn place_of(
    inputs: &Inputs,
    p: usize,
    v: usize,
    values: &HashMap<i64, option_values::Model>,
    groups: &HashMap<i64, option_groups::Model>,
) -> (usize, usize) {
    let Some(row) = values.get(&inputs.value_ids[p][v]) else {
        return (0, v);
    };
    let rank = |g: &option_groups::Model| (g.position, g.id);
    let Some(own) = groups.get(&row.group_id) else {
        return (0, v);
    };
    let group = groups
        .values()
        .filter(|g| g.product_id == own.product_id && rank(g) < rank(own))
        .count();
    let value = values
        .values()
        .filter(|o| o.group_id == row.group_id && (o.position, o.id) < (row.position, row.id))
        .count();
    (group, value)
}

/// Each line's demand within `coverage` days: its units over the history (the
/// policies' explosion, one pseudo-material per line), scaled to the coverage when
/// the history is shorter.
fn line_demand(inputs: &Inputs, lines: &[Line], coverage: u32) -> Result<Vec<i64>, StoreError> {
    let mut boms: Vec<ProductBom> = inputs
        .products
        .iter()
        .map(|bom| ProductBom {
            base: Vec::new(),
            values: vec![Vec::new(); bom.values.len()],
            presale: bom.presale,
            conversion: bom.conversion,
        })
        .collect();
    for (index, line) in lines.iter().enumerate() {
        let pseudo = BomLine {
            material: index,
            per_unit: line.per_unit,
        };
        match line.slot {
            None => boms[line.product].base.push(pseudo),
            Some(v) => boms[line.product].values[v].push(pseudo),
        }
    }
    let demand = engine::policy::explode(inputs.days, lines.len(), &boms, &inputs.orders, &inputs.heat)
        .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    let scale = if inputs.days == 0 {
        0.0
    } else {
        f64::from(coverage) / inputs.days as f64
    };
    Ok(demand
        .iter()
        .map(|d| (d.daily().iter().sum::<f64>() * scale).ceil() as i64)
        .collect())
}
