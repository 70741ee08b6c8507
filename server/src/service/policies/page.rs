//! The admin's policies page, read from the stored policies: each material's figures
//! and the inputs they came from.

use app::model::policies::{ForecastCandidate, ForecastWhy, PoliciesPage, PolicyRow, PolicySettingsForm};
use engine::policy::{Constants, ForecastChoice};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::results::snake;
use super::settings::{self, ShopPolicy};
use crate::store::StoreError;
use crate::store::entities::{materials, policies};

/// Every material's policy of `shop_id`, A before B before C, then by SKU.
pub async fn read(db: &impl ConnectionTrait, shop_id: i64) -> Result<PoliciesPage, StoreError> {
    let materials = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?;
    let mut stored: std::collections::HashMap<i64, policies::Model> = policies::Entity::find()
        .filter(policies::Column::MaterialId.is_in(materials.iter().map(|m| m.id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.material_id, p))
        .collect();
    let mut missing = 0;
    let mut rows = Vec::new();
    for m in materials {
        let Some(p) = stored.remove(&m.id) else {
            missing += 1;
            continue;
        };
        let i = &p.inputs;
        let f = |key: &str| i[key].as_f64().unwrap_or(0.0);
        let no_supplier = i["no_supplier"].as_bool().unwrap_or(true);
        rows.push(PolicyRow {
            sku: m.sku,
            name: m.name,
            unit: m.unit,
            abc: p.abc,
            xyz: p.xyz,
            demand_class: p.demand_class,
            method: i["method"].as_str().map(str::to_string),
            forecast_why: serde_json::from_value::<ForecastChoice>(i["forecast_choice"].clone())
                .ok()
                .map(why_this_forecast),
            forecast: f("forecast"),
            d_sd: f("d_sd"),
            lead_time: (!no_supplier).then(|| {
                (
                    i["lead_time"]["mean_days"].as_f64().unwrap_or(0.0),
                    i["lead_time"]["sd_days"].as_f64().unwrap_or(0.0),
                )
            }),
            service_level: p.service_level,
            z: f("z"),
            review_days: p.review_days,
            stock_level: p.stock_level,
            stock_level_overridden: i["stock_level_overridden"].as_bool().unwrap_or(false),
            safety_stock: p.safety_stock,
            reorder_point: p.reorder_point,
            order_up_to: p.order_up_to,
            position: i["position"].as_i64().unwrap_or(0),
            suggested_order: i["suggested_order"].as_i64().unwrap_or(0),
            coverage_now_days: i["coverage_now_days"].as_f64(),
            from_orders: i["history"]["from_orders"].as_f64().unwrap_or(0.0),
            from_heat: i["history"]["from_heat"].as_f64().unwrap_or(0.0),
            computed_at: p.computed_at,
        });
    }
    rows.sort_by(|a, b| (a.abc.as_str(), a.sku.as_str()).cmp(&(b.abc.as_str(), b.sku.as_str())));
    let computed_at = rows.iter().map(|r| r.computed_at).max();
    let (policy, version) = settings::load(db, shop_id).await?;
    Ok(PoliciesPage {
        rows,
        missing,
        computed_at,
        settings: form(&policy, version),
    })
}

/// A stored forecast choice as the policy detail explains it.
fn why_this_forecast(choice: ForecastChoice) -> ForecastWhy {
    ForecastWhy {
        reason: snake(&choice.reason),
        constants: constants_in_words(&choice.constants),
        error: choice.error,
        candidates: choice
            .candidates
            .iter()
            .map(|c| ForecastCandidate {
                method: snake(&c.method),
                error: c.error,
                forecast: c.forecast,
            })
            .collect(),
        origins: choice.origins,
        horizon_days: choice.horizon_days,
    }
}

/// `α = 0.132, α (intervals) = 0.1, buckets of 3 days`.
fn constants_in_words(c: &Constants) -> String {
    let mut words = Vec::new();
    if let Some(a) = c.alpha {
        words.push(format!("α = {a:.3}"));
    }
    if let Some(a) = c.alpha_interval {
        words.push(format!("α of the intervals = {a:.3}"));
    }
    if let Some(a) = c.alpha_probability {
        words.push(format!("α of the demand probability = {a:.3}"));
    }
    if let Some(days) = c.aggregation_level {
        words.push(format!("buckets of {days} days"));
    }
    if !c.level_alphas.is_empty() {
        let alphas: Vec<String> = c.level_alphas.iter().map(|a| format!("{a:.3}")).collect();
        words.push(format!("α per bucket size from 1 day: {}", alphas.join(", ")));
    }
    words.join("; ")
}

/// The settings as the form shows them.
pub fn form(policy: &ShopPolicy, version: i64) -> PolicySettingsForm {
    let t = policy.engine.thresholds;
    let matrix = policy
        .engine
        .matrix
        .cells()
        .map(|(abc, xyz, cell)| {
            (
                format!("{abc}{xyz}"),
                cell.service_level,
                cell.review_days,
                cell.coverage_days,
                snake(&cell.stock_level),
            )
        })
        .collect();
    PolicySettingsForm {
        abc_a: t.abc_a,
        abc_b: t.abc_b,
        xyz_x: t.xyz_x,
        xyz_y: t.xyz_y,
        heat_conversion: policy.heat_conversion,
        spike_threshold: policy.spike_threshold,
        spike_window_days: policy.spike_window_days,
        overconsumption_percent: policy.overconsumption_percent,
        decay_short_days: policy.decay.short_days,
        decay_long_days: policy.decay.long_days,
        decline_below: policy.decay.decline_below,
        niche_share: policy.niche.min_share,
        holding_percent: policy.holding_percent,
        expedite_premium_percent: policy.expedite_premium_percent,
        version,
        matrix,
    }
}
