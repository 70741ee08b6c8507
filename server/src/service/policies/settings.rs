//! A shop's policy settings: the engine's (class thresholds, policy matrix, smoothing)
//! and the shop's own (heat conversion, the heat-spike rule, the history window),
//! stored as one JSON document in `policy_settings`; a shop without one uses the
//! defaults.

use engine::policy::PolicySettings;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::service::WriteError;
use crate::store::entities::policy_settings;
use crate::store::unit::{Change, ShopWrite};

/// Everything a shop may set about its policies.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShopPolicy {
    /// Thresholds, matrix and smoothing constants.
    pub engine: PolicySettings,
    /// Expected orders per add-to-cart or preorder of a presale product.
    pub heat_conversion: f64,
    /// The heat-spike rule: a value's add-to-cart rate (add-to-carts with the value
    /// over its selections) at or above this share raises an alert.
    pub spike_threshold: f64,
    /// The window the rate is measured over, in days up to and including today.
    pub spike_window_days: u32,
    /// Fewer selections than this in the window are too few to call a spike.
    pub spike_min_selections: u32,
    /// Days of history the demand series covers.
    pub history_days: u32,
    /// The overconsumption rule: work in progress using a material more than this
    /// many percent above what its orders planned raises an alert.
    pub overconsumption_percent: u32,
    /// The end-of-life rule's moving averages and thresholds.
    pub decay: engine::lifecycle::DecaySettings,
    /// Which values of a declining product are niche.
    pub niche: engine::lifecycle::NicheSettings,
    /// The reuse rule: days of a live line's demand a leftover is matched against
    /// (what the line used over the last this many days is what it will use over the
    /// next as many).
    pub leftover_coverage_days: u32,
    /// The resilience cost: holding stock costs this percent of its value a year.
    pub holding_percent: u32,
    /// … an expedited purchase order costs this percent above its value.
    pub expedite_premium_percent: u32,
}

impl Default for ShopPolicy {
    fn default() -> Self {
        ShopPolicy {
            engine: PolicySettings::default(),
            heat_conversion: 0.3,
            spike_threshold: 0.15,
            spike_window_days: 14,
            spike_min_selections: 20,
            history_days: 365,
            overconsumption_percent: engine::lifecycle::overconsumption::DEFAULT_THRESHOLD_PERCENT,
            decay: engine::lifecycle::DecaySettings::default(),
            niche: engine::lifecycle::NicheSettings::default(),
            leftover_coverage_days: 90,
            // A common planning figure: capital, storage, insurance and shrinkage.
            holding_percent: 20,
            expedite_premium_percent: 15,
        }
    }
}

/// The shop's settings and their version (0: never saved, the defaults).
pub async fn load(db: &impl ConnectionTrait, shop_id: i64) -> Result<(ShopPolicy, i64), DbErr> {
    let row = policy_settings::Entity::find()
        .filter(policy_settings::Column::ShopId.eq(shop_id))
        .one(db)
        .await?;
    Ok(match row {
        // A document written by an older version lacks newer keys: they default.
        Some(row) => (
            serde_json::from_value(row.settings).unwrap_or_default(),
            row.version,
        ),
        None => (ShopPolicy::default(), 0),
    })
}

/// The settings a merchant changes in the admin's form.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SettingsChange {
    /// Cumulative value share of class A.
    pub abc_a: f64,
    /// Cumulative value share of classes A and B.
    pub abc_b: f64,
    /// Largest coefficient of variation of class X.
    pub xyz_x: f64,
    /// Largest coefficient of variation of class Y.
    pub xyz_y: f64,
    /// Expected orders per add-to-cart or preorder.
    pub heat_conversion: f64,
    /// The heat-spike threshold.
    pub spike_threshold: f64,
    /// The heat-spike window, days.
    pub spike_window_days: u32,
    /// The overconsumption threshold, percent above plan.
    pub overconsumption_percent: u32,
    /// End of life: days of the short moving average.
    pub decay_short_days: u32,
    /// … of the long one.
    pub decay_long_days: u32,
    /// … the share of the long average below which a product declines.
    pub decline_below: f64,
    /// … the share of a group's selections below which a value is niche.
    pub niche_share: f64,
    /// Holding cost, percent of stock value a year.
    pub holding_percent: u32,
    /// Expedite premium, percent of a purchase order's value.
    pub expedite_premium_percent: u32,
}

/// Saves `change` over the settings read at `version`; the new version. Refused with
/// the field when a value cannot be used, and with a conflict when someone saved since.
/// No quote reads the policy settings, so the shop's state version stays.
pub async fn save(mut w: ShopWrite, change: SettingsChange, version: i64) -> Result<i64, WriteError> {
    let invalid = |field: &'static str, detail: &str| WriteError::Invalid {
        field,
        detail: detail.to_string(),
    };
    let share = |v: f64| v > 0.0 && v < 1.0;
    if !share(change.abc_a) {
        return Err(invalid("abc_a", "a share between 0 and 1 (80 % is 0.8)"));
    }
    if !(change.abc_b > change.abc_a && change.abc_b <= 1.0) {
        return Err(invalid("abc_b", "above the A share and at most 1"));
    }
    if !(change.xyz_x > 0.0 && change.xyz_x.is_finite()) {
        return Err(invalid("xyz_x", "a coefficient of variation above 0"));
    }
    if !(change.xyz_y > change.xyz_x && change.xyz_y.is_finite()) {
        return Err(invalid("xyz_y", "above the X limit"));
    }
    if !(0.0..=5.0).contains(&change.heat_conversion) {
        return Err(invalid(
            "heat_conversion",
            "expected orders per add-to-cart, between 0 and 5",
        ));
    }
    if !(change.spike_threshold > 0.0 && change.spike_threshold <= 1.0) {
        return Err(invalid(
            "spike_threshold",
            "a share above 0 and at most 1 (15 % is 0.15)",
        ));
    }
    if !(1..=90).contains(&change.spike_window_days) {
        return Err(invalid("spike_window_days", "1 to 90 days"));
    }
    if change.overconsumption_percent > 500 {
        return Err(invalid(
            "overconsumption_percent",
            "percent above plan, 0 to 500 (20 raises an alert past 120 % of plan)",
        ));
    }
    let shop_id = w.shop();
    let now = w.now();
    let (before, stored_version) = load(&w, shop_id).await?;
    if stored_version != version {
        return Err(WriteError::Conflict(
            "the policy settings were changed by someone else since you opened them; reload to see their change".into(),
        ));
    }
    let mut after = before;
    after.engine.thresholds.abc_a = change.abc_a;
    after.engine.thresholds.abc_b = change.abc_b;
    after.engine.thresholds.xyz_x = change.xyz_x;
    after.engine.thresholds.xyz_y = change.xyz_y;
    after.heat_conversion = change.heat_conversion;
    after.spike_threshold = change.spike_threshold;
    after.spike_window_days = change.spike_window_days;
    after.overconsumption_percent = change.overconsumption_percent;
    after.decay.short_days = change.decay_short_days;
    after.decay.long_days = change.decay_long_days;
    after.decay.decline_below = change.decline_below;
    after.niche.min_share = change.niche_share;
    if !(1..=365).contains(&change.decay_short_days) {
        return Err(invalid("decay_short_days", "1 to 365 days"));
    }
    if !(change.decay_long_days > change.decay_short_days && change.decay_long_days <= 730) {
        return Err(invalid(
            "decay_long_days",
            "more days than the short average, at most 730",
        ));
    }
    if !(change.decline_below > 0.0 && change.decline_below <= 1.0) {
        return Err(invalid(
            "decline_below",
            "a share above 0 and at most 1 (half is 0.5)",
        ));
    }
    if !(0.0..=1.0).contains(&change.niche_share) {
        return Err(invalid("niche_share", "a share from 0 to 1 (5 % is 0.05)"));
    }
    if change.holding_percent > 100 {
        return Err(invalid(
            "holding_percent",
            "percent of the stock's value a year, 0 to 100 (20 is common)",
        ));
    }
    if change.expedite_premium_percent > 300 {
        return Err(invalid(
            "expedite_premium_percent",
            "percent above a purchase order's value, 0 to 300",
        ));
    }
    after.holding_percent = change.holding_percent;
    after.expedite_premium_percent = change.expedite_premium_percent;
    after
        .engine
        .check()
        .map_err(|e| invalid("abc_a", &e.to_string()))?;
    let document = serde_json::to_value(after).unwrap_or_default();
    let new_version = version + 1;
    if version == 0 {
        policy_settings::ActiveModel {
            shop_id: Set(shop_id),
            settings: Set(document.clone()),
            version: Set(new_version),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&w)
        .await?;
    } else {
        let moved = policy_settings::Entity::update_many()
            .col_expr(policy_settings::Column::Settings, Expr::value(document.clone()))
            .col_expr(policy_settings::Column::Version, Expr::value(new_version))
            .col_expr(policy_settings::Column::UpdatedAt, Expr::value(now))
            .filter(policy_settings::Column::ShopId.eq(shop_id))
            .filter(policy_settings::Column::Version.eq(version))
            .exec(&w)
            .await?
            .rows_affected;
        if moved == 0 {
            return Err(WriteError::Conflict(
                "the policy settings were changed by someone else since you opened them; reload to see their change"
                    .into(),
            ));
        }
    }
    w.record(
        Change::new("policy_settings.update", "policy_settings", shop_id.to_string())
            .before(Some(serde_json::to_value(before).unwrap_or_default()))
            .after(json!(document)),
    )
    .await?;
    w.commit().await?;
    Ok(new_version)
}
