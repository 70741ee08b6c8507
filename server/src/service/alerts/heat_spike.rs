//! The heat-spike rule (PRODUCT.md, "Signals"): an option value whose add-to-cart rate
//! over the window (add-to-carts with the value ÷ its selections, both from the daily
//! rollups) reaches the shop's threshold raises an alert with two kinds of suggestion
//! for each material of the value's own bill of materials:
//! - raise its stock level one step (low → medium → high), so its safety stock grows;
//! - reserve supplier capacity for the heat-based demand over the supplier's lead
//!   time: add-to-carts per day × conversion × units per product, × lead time days,
//!   rounded up to the MOQ and pack size.
//!
//! A value is alerted at most once per window: not while its alert is open, and not
//! again within the window after it was raised, whatever the merchant decided (the
//! same heat would raise the same alert again); too few selections (below the shop's
//! minimum) are noise, not a spike. "Not while open" holds by construction
//! ([`super::insert_open`]).

use std::collections::HashMap;

use app::model::alerts::SpikeEvidence;
use app::model::analytics::add_to_cart_rate;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use engine::policy::{StockLevel, suggested_order};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use crate::service::policies::inputs::{Supply, parse_level};
use crate::service::policies::settings::ShopPolicy;
use crate::store::Db;
use crate::store::entities::{
    AlertSeverity, AlertStatus, SuggestionKind, SupplyStatus, alerts, heat_daily, materials, option_groups,
    option_value_bom_lines, option_values, policies, products, shops, supplier_materials, suppliers,
};

/// The alert kind.
pub const KIND: &str = "heat_spike";

/// Raises an alert for every value of `shop` over the threshold today that has no
/// open one; returns how many were raised.
pub async fn evaluate(
    db: &Db,
    shop: &shops::Model,
    policy: &ShopPolicy,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let to = now.with_timezone(&tz).date_naive();
    let from = to - Days::new(u64::from(policy.spike_window_days.max(1)) - 1);
    // Alerts and suggestions are what a rule observed, not a change to the shop; the
    // merchant's decision on them is audited (`alerts::inbox`).
    let txn = db.system("alerts").await?;
    // In one order, so two evaluations at once take the open-alert index's locks in
    // the same order and never deadlock (PostgreSQL waits on a key another
    // transaction is inserting).
    let mut counts: Vec<_> = value_counts(&txn, shop.id, from, to).await?.into_iter().collect();
    counts.sort_unstable_by_key(|&(key, _)| key);
    let window = TimeDelta::days(i64::from(policy.spike_window_days.max(1)));
    let recent = super::quiet_subjects(&txn, shop.id, KIND, now, window).await?;
    let mut raised = 0;
    for ((product_id, value_id), (selections, carts)) in counts {
        // The funnels' definition, so the alert and the heat page agree.
        let Some(rate) = add_to_cart_rate(carts.max(0) as u64, selections.max(0) as u64) else {
            continue;
        };
        if selections < i64::from(policy.spike_min_selections) || rate < policy.spike_threshold {
            continue;
        }
        let key = subject_key(value_id);
        if recent.contains(&key) {
            continue;
        }
        let stored = raise(
            &txn,
            Evaluation {
                shop_id: shop.id,
                policy,
                now,
                today: to,
            },
            product_id,
            value_id,
            SpikeEvidence {
                product: String::new(),
                value_id,
                value_code: String::new(),
                from,
                to,
                selections,
                add_to_cart: carts,
                rate,
                threshold: policy.spike_threshold,
            },
        )
        .await?;
        raised += usize::from(stored);
    }
    txn.commit().await?;
    Ok(raised)
}

/// The stored subject of a value's alert: the key that keeps one open alert per value.
fn subject_key(value_id: i64) -> String {
    format!("option_value:{value_id}")
}

/// Per (product, value): (selections, add-to-carts) in the window.
async fn value_counts(
    db: &impl ConnectionTrait,
    shop_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<(i64, i64), (i64, i64)>, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    let rows: Vec<(i64, i64, String, i64)> = heat_daily::Entity::find()
        .select_only()
        .column(heat_daily::Column::ProductId)
        .column(heat_daily::Column::OptionValueId)
        .column(heat_daily::Column::Kind)
        // PostgreSQL sums bigints as numeric: cast back.
        .column_as(
            Expr::col(heat_daily::Column::Count)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "total",
        )
        .filter(heat_daily::Column::ShopId.eq(shop_id))
        .filter(heat_daily::Column::OptionValueId.ne(0))
        .filter(heat_daily::Column::Kind.is_in(["option_select", "add_to_cart"]))
        .filter(heat_daily::Column::Day.between(from, to))
        .group_by(heat_daily::Column::ProductId)
        .group_by(heat_daily::Column::OptionValueId)
        .group_by(heat_daily::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    for (product, value, kind, total) in rows {
        let entry = counts.entry((product, value)).or_default();
        match kind.as_str() {
            "option_select" => entry.0 += total,
            _ => entry.1 += total,
        }
    }
    Ok(counts)
}

/// One run of the rule: whose shop, under which settings, when.
#[derive(Clone, Copy)]
struct Evaluation<'a> {
    shop_id: i64,
    policy: &'a ShopPolicy,
    now: DateTime<Utc>,
    /// The shop's date at `now`.
    today: NaiveDate,
}

/// Writes the alert and its suggestions for one value; `false` when an open alert for
/// it was stored meanwhile (by another replica), which is left as it is.
async fn raise(
    db: &impl ConnectionTrait,
    run: Evaluation<'_>,
    product_id: i64,
    value_id: i64,
    mut evidence: SpikeEvidence,
) -> Result<bool, DbErr> {
    let Evaluation {
        shop_id,
        policy,
        now,
        today,
    } = run;
    let (Some(value), Some(product)) = (
        option_values::Entity::find_by_id(value_id).one(db).await?,
        products::Entity::find_by_id(product_id).one(db).await?,
    ) else {
        return Ok(false);
    };
    let group = option_groups::Entity::find_by_id(value.group_id).one(db).await?;
    let group_name = group.as_ref().map_or("", |g| g.name.as_str());
    evidence.product = product.slug.clone();
    evidence.value_code = format!(
        "{}.{}",
        group.as_ref().map_or("", |g| g.code.as_str()),
        value.code
    );
    let alert = alerts::ActiveModel {
        shop_id: Set(shop_id),
        kind: Set(KIND.into()),
        severity: Set(AlertSeverity::Warning),
        subject: Set(subject_key(value_id)),
        message: Set(format!(
            "{} · {group_name}: {} — add-to-cart rate {:.0} % ({} add-to-carts for {} selections in {} days; threshold {:.0} %).",
            product.name,
            value.label,
            evidence.rate * 100.0,
            evidence.add_to_cart,
            evidence.selections,
            (evidence.to - evidence.from).num_days() + 1,
            evidence.threshold * 100.0
        )),
        evidence: Set(serde_json::to_value(&evidence).unwrap_or_default()),
        status: Set(AlertStatus::Open),
        created_at: Set(now),
        ..Default::default()
    };
    let Some(alert_id) = super::insert_open(db, alert).await? else {
        return Ok(false);
    };

    let days = (evidence.to - evidence.from).num_days() + 1;
    let carts_per_day = evidence.add_to_cart as f64 / days as f64;
    for line in option_value_bom_lines::Entity::find()
        .filter(option_value_bom_lines::Column::OptionValueId.eq(value_id))
        .all(db)
        .await?
    {
        let Some(material) = materials::Entity::find_by_id(line.material_id).one(db).await? else {
            continue;
        };
        let current = current_level(db, &material).await?;
        let raised = current.raised();
        if raised != current {
            super::suggest(
                db,
                shop_id,
                alert_id,
                SuggestionKind::RaiseStockLevel,
                now,
                json!({
                    "material_id": material.id,
                    "sku": material.sku,
                    "name": material.name,
                    "from": level_name(current),
                    "to": level_name(raised),
                }),
            )
            .await?;
        }
        if let Some((supply, supplier)) = planning_supply(db, material.id).await? {
            let lead_days = supply.lead_time.mean_days.ceil().max(1.0);
            let per_day = carts_per_day * policy.heat_conversion * line.quantity as f64;
            let need = per_day * lead_days;
            // The same rounding as an order: up to whole units, at least the MOQ, whole packs.
            let quantity = suggested_order(need.ceil() as i64, 0, 0, supply.moq, supply.pack);
            if quantity > 0 {
                let window_end = today + Days::new(lead_days as u64);
                super::suggest(
                    db,
                    shop_id,
                    alert_id,
                    SuggestionKind::ReserveCapacity,
                    now,
                    json!({
                        "material_id": material.id,
                        "sku": material.sku,
                        "name": material.name,
                        "unit": material.unit,
                        "supplier_id": supply.supplier_id,
                        "supplier": supplier,
                        "quantity": quantity,
                        "window_start": today,
                        "window_end": window_end,
                        "confirm_by": now + crate::service::supply::CONFIRM_WITHIN,
                        "basis": {
                            "add_to_cart_per_day": carts_per_day,
                            "conversion": policy.heat_conversion,
                            "units_per_product": line.quantity,
                            "lead_time_days": lead_days,
                            "forecast_units": need,
                        },
                    }),
                )
                .await?;
            }
        }
    }
    Ok(true)
}

/// The level the material's policy uses now: the merchant's, else the last computed.
async fn current_level(db: &impl ConnectionTrait, material: &materials::Model) -> Result<StockLevel, DbErr> {
    if let Some(level) = material.stock_level.as_deref().and_then(parse_level) {
        return Ok(level);
    }
    let stored = policies::Entity::find()
        .filter(policies::Column::MaterialId.eq(material.id))
        .one(db)
        .await?;
    Ok(stored
        .and_then(|p| parse_level(&p.stock_level))
        .unwrap_or(StockLevel::Medium))
}

/// `low`, `medium`, `high`.
pub fn level_name(level: StockLevel) -> &'static str {
    match level {
        StockLevel::Low => "low",
        StockLevel::Medium => "medium",
        StockLevel::High => "high",
    }
}

/// The active offer replenishment plans the material with (`Supply::preferred_to`),
/// with its supplier's name.
async fn planning_supply(
    db: &impl ConnectionTrait,
    material_id: i64,
) -> Result<Option<(Supply, String)>, DbErr> {
    // One query for the offers and their suppliers, not one per offer.
    let offers = supplier_materials::Entity::find()
        .find_also_related(suppliers::Entity)
        .filter(supplier_materials::Column::MaterialId.eq(material_id))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .filter(suppliers::Column::Status.eq(SupplyStatus::Active))
        .all(db)
        .await?;
    let mut best: Option<(Supply, String)> = None;
    for (offer, supplier) in offers {
        let Some(supplier) = supplier else { continue };
        let candidate = Supply::of_offer(&offer);
        if best.as_ref().is_none_or(|(b, _)| candidate.preferred_to(b)) {
            best = Some((candidate, supplier.name));
        }
    }
    Ok(best)
}
