//! Reads what a shop's policy recomputation needs, in one read-only pass, and turns it
//! into the engine's plain inputs (indices, not row ids).

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use engine::policy::{BomLine, HeatDay, LeadTime, OrderLine, ProductBom, StockLevel};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::store::entities::{
    InboundStatus, OrderStatus, SupplyStatus, heat_daily, inbound, materials, option_groups,
    option_value_bom_lines, option_values, orders, product_bom_lines, products, shops, stock,
    supplier_materials, suppliers,
};

/// A material as the recomputation sees it.
#[derive(Clone, Debug)]
pub struct MaterialRow {
    /// Row id.
    pub id: i64,
    /// Its code.
    pub sku: String,
    /// Cost of one unit, minor units.
    pub unit_cost: i64,
    /// The planning supplier's lead time, MOQ and pack size: the active offer with the
    /// largest forecast share, the fastest among equals ([`Supply::preferred_to`]).
    pub supply: Option<Supply>,
    /// On hand − reserved at every node, plus confirmed inbound.
    pub position: i64,
    /// Used only by products in decline or at end of life.
    pub obsolescent: bool,
    /// The merchant's stock level, overriding the matrix's.
    pub stock_level: Option<StockLevel>,
}

/// A material's chosen supplier terms.
#[derive(Clone, Debug)]
pub struct Supply {
    /// The supplier's row id.
    pub supplier_id: i64,
    /// Lead time in days.
    pub lead_time: LeadTime,
    /// Minimum order quantity.
    pub moq: i64,
    /// Pack size.
    pub pack: i64,
    /// The offer's weight in the material's forecast (0–100).
    pub forecast_share: i32,
}

impl Supply {
    /// The terms of one supplier offer.
    pub fn of_offer(offer: &supplier_materials::Model) -> Supply {
        Supply {
            supplier_id: offer.supplier_id,
            lead_time: LeadTime {
                mean_days: offer.lead_time_mean_days,
                sd_days: offer.lead_time_sd_days,
            },
            moq: offer.moq,
            pack: offer.pack_size.max(1),
            forecast_share: offer.forecast_share,
        }
    }

    /// Whether replenishment would rather plan with this offer than `other`: the
    /// larger forecast share, then the shorter mean lead time (on a full tie the offer
    /// already chosen stays). Every offer starts at the same share, so the fastest
    /// plans until a late supplier's share is lowered.
    pub fn preferred_to(&self, other: &Supply) -> bool {
        (self.forecast_share, -self.lead_time.mean_days) > (other.forecast_share, -other.lead_time.mean_days)
    }
}

/// Everything one shop's recomputation reads.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// The first day of the history (day index 0).
    pub start: NaiveDate,
    /// Days of history (up to and including yesterday): the configured window, or
    /// fewer when the shop's first order or heat is more recent.
    pub days: usize,
    /// The materials, in row-id order (engine material index = position here).
    pub materials: Vec<MaterialRow>,
    /// Per product (engine product index), its bills of materials.
    pub products: Vec<ProductBom>,
    /// Per product, its row id.
    pub product_ids: Vec<i64>,
    /// Per product, the row id of each option value (by the engine's value index).
    pub value_ids: Vec<Vec<i64>>,
    /// Orders placed in the history window, not cancelled.
    pub orders: Vec<OrderLine>,
    /// Add-to-cart and preorder counts per day of presale products.
    pub heat: Vec<HeatDay>,
}

/// Loads the inputs of `shop` for the `days` days before `today` (days are the shop's
/// local days); presale heat counts with `conversion` (expected orders per add-to-cart
/// or preorder).
pub async fn load(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    today: NaiveDate,
    days: usize,
    conversion: f64,
) -> Result<Inputs, DbErr> {
    let shop_id = shop.id;
    // Days before the shop's first order or heat are unknown, not days without demand:
    // counted as zeros they would make every material look intermittent and variable.
    let first_order = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .order_by_asc(orders::Column::PlacedAt)
        .one(db)
        .await?
        .map(|o| o.placed_at.date_naive());
    let first_heat = heat_daily::Entity::find()
        .filter(heat_daily::Column::ShopId.eq(shop_id))
        .order_by_asc(heat_daily::Column::Day)
        .one(db)
        .await?
        .map(|h| h.day);
    let known_since = [first_order, first_heat]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(today);
    let start = (today - Days::new(days as u64)).max(known_since).min(today);
    let days = (today - start).num_days().max(0) as usize;
    let material_rows = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .order_by_asc(materials::Column::Id)
        .all(db)
        .await?;
    let material_index: HashMap<i64, usize> =
        material_rows.iter().enumerate().map(|(i, m)| (m.id, i)).collect();

    let product_rows = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .order_by_asc(products::Column::Id)
        .all(db)
        .await?;
    let product_index: HashMap<i64, usize> =
        product_rows.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let product_ids: Vec<i64> = product_rows.iter().map(|p| p.id).collect();
    let mut boms: Vec<ProductBom> = product_rows
        .iter()
        .map(|p| ProductBom {
            base: Vec::new(),
            values: Vec::new(),
            presale: p.lifecycle == "presale",
            conversion,
        })
        .collect();
    for line in product_bom_lines::Entity::find()
        .filter(product_bom_lines::Column::ProductId.is_in(product_ids.clone()))
        .all(db)
        .await?
    {
        if let (Some(&p), Some(&m)) = (
            product_index.get(&line.product_id),
            material_index.get(&line.material_id),
        ) {
            boms[p].base.push(BomLine {
                material: m,
                per_unit: line.quantity as f64,
            });
        }
    }

    // Values in (group position, value position) order; an order's selection names
    // them by codes, heat rollups by row id.
    let groups = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.is_in(product_ids.clone()))
        .order_by_asc(option_groups::Column::Position)
        .all(db)
        .await?;
    let group_of: HashMap<i64, &option_groups::Model> = groups.iter().map(|g| (g.id, g)).collect();
    let values = option_values::Entity::find()
        .filter(option_values::Column::GroupId.is_in(groups.iter().map(|g| g.id).collect::<Vec<_>>()))
        .order_by_asc(option_values::Column::Position)
        .all(db)
        .await?;
    // value row id → (product index, value index); (product, group code, value code) → value index.
    let mut value_index: HashMap<i64, (usize, usize)> = HashMap::new();
    let mut by_code: HashMap<(usize, String, String), usize> = HashMap::new();
    let mut value_ids: Vec<Vec<i64>> = vec![Vec::new(); product_rows.len()];
    for value in &values {
        let Some(group) = group_of.get(&value.group_id) else {
            continue;
        };
        let Some(&p) = product_index.get(&group.product_id) else {
            continue;
        };
        let v = boms[p].values.len();
        boms[p].values.push(Vec::new());
        value_ids[p].push(value.id);
        value_index.insert(value.id, (p, v));
        by_code.insert((p, group.code.clone(), value.code.clone()), v);
    }
    for line in option_value_bom_lines::Entity::find()
        .filter(
            option_value_bom_lines::Column::OptionValueId
                .is_in(values.iter().map(|v| v.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
    {
        if let (Some(&(p, v)), Some(&m)) = (
            value_index.get(&line.option_value_id),
            material_index.get(&line.material_id),
        ) {
            boms[p].values[v].push(BomLine {
                material: m,
                per_unit: line.quantity as f64,
            });
        }
    }

    let day_of = |date: NaiveDate| -> Option<usize> {
        let d = (date - start).num_days();
        (0..days as i64).contains(&d).then_some(d as usize)
    };
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let mut orders = Vec::new();
    for order in orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Status.ne(OrderStatus::Cancelled))
        .filter(
            orders::Column::PlacedAt
                .gte(start.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - chrono::TimeDelta::days(1)),
        )
        .all(db)
        .await?
    {
        let (Some(&p), Some(day)) = (
            product_index.get(&order.product_id),
            day_of(order.placed_at.with_timezone(&tz).date_naive()),
        ) else {
            continue;
        };
        let selection: engine::Selection =
            serde_json::from_value(order.selection.clone()).unwrap_or_default();
        let chosen = selection
            .iter()
            .flat_map(|(group, codes)| codes.iter().map(move |code| (group.clone(), code.clone())))
            .filter_map(|(group, code)| by_code.get(&(p, group, code)).copied())
            .collect();
        orders.push(OrderLine {
            day,
            product: p,
            values: chosen,
            quantity: u32::try_from(order.quantity.max(0)).unwrap_or(u32::MAX),
        });
    }

    let presale: Vec<i64> = product_rows
        .iter()
        .filter(|p| p.lifecycle == "presale")
        .map(|p| p.id)
        .collect();
    let mut heat = Vec::new();
    if !presale.is_empty() {
        for row in heat_daily::Entity::find()
            .filter(heat_daily::Column::ShopId.eq(shop_id))
            .filter(heat_daily::Column::ProductId.is_in(presale))
            .filter(heat_daily::Column::Kind.is_in(["add_to_cart", "preorder"]))
            .filter(heat_daily::Column::Day.gte(start))
            .all(db)
            .await?
        {
            let (Some(&p), Some(day)) = (product_index.get(&row.product_id), day_of(row.day)) else {
                continue;
            };
            let value = match row.option_value_id {
                0 => None,
                id => match value_index.get(&id) {
                    Some(&(_, v)) => Some(v),
                    None => continue,
                },
            };
            heat.push(HeatDay {
                day,
                product: p,
                value,
                intents: u32::try_from(row.count.max(0)).unwrap_or(u32::MAX),
            });
        }
    }

    let materials = material_rows_of(db, shop_id, &material_rows, &boms, &product_rows).await?;
    Ok(Inputs {
        start,
        days,
        materials,
        products: boms,
        product_ids,
        value_ids,
        orders,
        heat,
    })
}

/// Supply terms, position, obsolescence and override of every material.
async fn material_rows_of(
    db: &impl ConnectionTrait,
    shop_id: i64,
    rows: &[materials::Model],
    boms: &[ProductBom],
    products: &[products::Model],
) -> Result<Vec<MaterialRow>, DbErr> {
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let active_suppliers: HashMap<i64, ()> = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .filter(suppliers::Column::Status.eq(SupplyStatus::Active))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, ()))
        .collect();
    let mut supply: HashMap<i64, Supply> = HashMap::new();
    for offer in supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.is_in(ids.clone()))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .all(db)
        .await?
    {
        if !active_suppliers.contains_key(&offer.supplier_id) {
            continue;
        }
        let candidate = Supply::of_offer(&offer);
        // The offer replenishment plans with.
        if supply
            .get(&offer.material_id)
            .is_none_or(|best| candidate.preferred_to(best))
        {
            supply.insert(offer.material_id, candidate);
        }
    }
    let mut position: HashMap<i64, i64> = HashMap::new();
    for row in stock::Entity::find()
        .filter(stock::Column::MaterialId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        *position.entry(row.material_id).or_default() += row.on_hand - row.reserved;
    }
    for line in inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Status.eq(InboundStatus::Confirmed))
        .all(db)
        .await?
    {
        *position.entry(line.material_id).or_default() += line.quantity;
    }
    // A material is obsolescent when every product using it is in decline or at end
    // of life (TSB then forecasts its fading demand).
    let mut live_use = vec![false; rows.len()];
    let mut any_use = vec![false; rows.len()];
    for (bom, product) in boms.iter().zip(products) {
        let live = !matches!(product.lifecycle.as_str(), "decline" | "end_of_life");
        for line in bom.base.iter().chain(bom.values.iter().flatten()) {
            any_use[line.material] = true;
            live_use[line.material] |= live;
        }
    }
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, m)| MaterialRow {
            id: m.id,
            sku: m.sku.clone(),
            unit_cost: m.unit_cost_minor,
            supply: supply.remove(&m.id),
            position: position.get(&m.id).copied().unwrap_or(0),
            obsolescent: any_use[i] && !live_use[i],
            stock_level: m.stock_level.as_deref().and_then(parse_level),
        })
        .collect())
}

/// `low`, `medium`, `high` as a stock level.
pub fn parse_level(text: &str) -> Option<StockLevel> {
    match text {
        "low" => Some(StockLevel::Low),
        "medium" => Some(StockLevel::Medium),
        "high" => Some(StockLevel::High),
        _ => None,
    }
}
