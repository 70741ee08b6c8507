//! The end-of-life rule (PRODUCT.md, "End of life"; the article's scenario 3): a
//! product whose demand dies out moves to `decline` with an alert, and suggestions to
//! freeze the values worth no more effort.
//!
//! - *Demand*: per day of the last `long_days` (the shop's local days up to today), the
//!   units ordered (orders not cancelled) and the purchase intents (add-to-carts and
//!   preorders of the product, from `heat_daily`). `engine::lifecycle::Decay` compares
//!   a short with a long moving average of each (14 against 90 days, "falling" below
//!   half, each series counting only above a minimum volume; `docs/policies.md`,
//!   "End of life"): the product declines when every series that counts is falling.
//! - Only products in `growth` or `mature` are read: a presale product has no history
//!   to fall from, and one in `decline` or at `end_of_life` is already there.
//! - Declining: the product's lifecycle becomes `decline` (its demand then no longer
//!   feeds the policies as live demand), audited as `rule:demand-decay`, and a
//!   `demand_decay` alert carries both readings; its suggestions are the engine's
//!   `freeze_suggestions` over the long window's option selections: niche values (under
//!   5 % of their group's selections, groups of at least 50) and values a material of
//!   whose own recipe no supplier offers any more. Accepting one freezes the value
//!   (the widget steers shoppers to the alternative).

use std::collections::HashMap;

use app::model::alerts::DecayEvidence;
use chrono::{DateTime, Days, NaiveDate, Utc};
use engine::lifecycle::{Decay, FreezeReason, Verdict, freeze_suggestions};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use crate::service::policies::settings::ShopPolicy;
use crate::store::entities::{
    AlertSeverity, AlertStatus, OrderStatus, SuggestionKind, alerts, heat_daily, orders, products, shops,
};
use crate::store::{Change, Db, StoreError, shop_state};

/// The alert kind.
pub const KIND: &str = "demand_decay";
/// Who the audit log says moved a product to decline.
pub const ACTOR: &str = "rule:demand-decay";

/// Reads every growing or mature product of `shop` as of `now`; moves each declining
/// one to `decline` with its alert and suggestions. Returns how many declined.
pub async fn evaluate(
    db: &Db,
    shop: &shops::Model,
    policy: &ShopPolicy,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    if policy.decay.check().is_err() || policy.niche.check().is_err() {
        tracing::warn!(shop = %shop.slug, "the decay or niche settings cannot be used; skipping the rule");
        return Ok(0);
    }
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = now.with_timezone(&tz).date_naive();
    let days = std::cmp::max(policy.decay.long_days, 1);
    let first = today - Days::new(u64::from(days) - 1);
    let live: Vec<products::Model> = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop.id))
        .filter(products::Column::Lifecycle.is_in(["growth", "mature"]))
        .all(db)
        .await?;
    let mut declined = 0;
    for product in live {
        let ordered = units_ordered(db, &product, tz, first, today).await?;
        let intents = purchase_intents(db, &product, first, today).await?;
        let series = |by_day: &HashMap<NaiveDate, u64>| -> Vec<u64> {
            (0..days)
                .map(|n| {
                    by_day
                        .get(&(first + Days::new(u64::from(n))))
                        .copied()
                        .unwrap_or(0)
                })
                .collect()
        };
        // A product younger than the long window has days before it existed: they
        // would read as zeros and hide a young product's growth.
        let age = (today - product.created_at.with_timezone(&tz).date_naive()).num_days() + 1;
        let keep = usize::try_from(age.clamp(0, i64::from(days))).unwrap_or(0);
        let trim = |s: Vec<u64>| s[s.len() - keep..].to_vec();
        let decay = Decay::of(&trim(series(&ordered)), &trim(series(&intents)), &policy.decay);
        if decay.verdict != Verdict::Declining {
            continue;
        }
        if decline(db, shop, policy, &product, decay, (first, today), now).await? {
            declined += 1;
        }
    }
    Ok(declined)
}

/// Moves `product` to decline and raises its alert and suggestions in one unit of
/// work; `false` when another run did it first.
async fn decline(
    db: &Db,
    shop: &shops::Model,
    policy: &ShopPolicy,
    product: &products::Model,
    decay: Decay,
    (from, to): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut w = db.write(shop.id, ACTOR).await?;
    let moved = products::Entity::update_many()
        .col_expr(products::Column::Lifecycle, Expr::value("decline"))
        .col_expr(
            products::Column::Version,
            Expr::col(products::Column::Version).add(1),
        )
        .filter(products::Column::Id.eq(product.id))
        .filter(products::Column::Lifecycle.eq(product.lifecycle.as_str()))
        .exec(&w)
        .await?
        .rows_affected;
    if moved == 0 {
        w.rollback().await?;
        return Ok(false);
    }
    // Quotes read the lifecycle only for presale, which neither side is.
    w.record(
        Change::new("product.lifecycle", "product", product.slug.clone())
            .before(Some(json!({"lifecycle": product.lifecycle})))
            .after(json!({"lifecycle": "decline", "because": {"rule": KIND, "decay": decay}}))
            .leaves_quotes(),
    )
    .await?;
    let evidence = DecayEvidence {
        product: product.slug.clone(),
        from,
        to,
        orders_short: decay.orders.short_average,
        orders_long: decay.orders.long_average,
        orders_counts: counts(decay.orders.standing),
        heat_short: decay.heat.short_average,
        heat_long: decay.heat.long_average,
        heat_counts: counts(decay.heat.standing),
        short_days: decay.settings.short_days,
        long_days: decay.settings.long_days,
        decline_below: decay.settings.decline_below,
    };
    // The sentence names the series that decided: heat when it counts, else orders.
    let (what, short, long) = if evidence.heat_counts {
        ("add-to-carts", evidence.heat_short, evidence.heat_long)
    } else {
        ("units ordered", evidence.orders_short, evidence.orders_long)
    };
    let share = if long > 0.0 { short / long * 100.0 } else { 0.0 };
    let message = format!(
        "{} — demand is dying out: {short:.1} {what} a day over the last {} days against {long:.1} over {} ({share:.0} %, below {:.0} %); moved to decline.",
        product.name,
        evidence.short_days,
        evidence.long_days,
        evidence.decline_below * 100.0,
    );
    let alert = alerts::ActiveModel {
        shop_id: Set(shop.id),
        kind: Set(KIND.into()),
        severity: Set(AlertSeverity::Warning),
        subject: Set(format!("product:{}", product.id)),
        message: Set(message),
        evidence: Set(serde_json::to_value(&evidence).unwrap_or_default()),
        status: Set(AlertStatus::Open),
        created_at: Set(now),
        ..Default::default()
    };
    let Some(alert_id) = super::insert_open(&w, alert).await? else {
        w.rollback().await?;
        return Ok(false);
    };
    for (kind, payload) in freezes(&w, shop, policy, product, (from, to)).await? {
        super::suggest(&w, shop.id, alert_id, kind, now, payload).await?;
    }
    w.commit().await?;
    Ok(true)
}

/// The freeze suggestions of a declining product, as stored payloads.
async fn freezes(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    policy: &ShopPolicy,
    product: &products::Model,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<(SuggestionKind, serde_json::Value)>, StoreError> {
    let Some(loaded) = shop_state::load_in(db, shop.id, |_| to, crate::quoting::HORIZON_DAYS).await? else {
        return Ok(Vec::new());
    };
    let Some(index) = loaded.listings.iter().position(|l| l.id == product.id) else {
        return Ok(Vec::new());
    };
    let picked = selections(db, product.id, from, to).await?;
    let value_ids = &loaded.listings[index].value_ids;
    let counts: Vec<Vec<u64>> = value_ids
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|id| picked.get(id).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    let catalog = &loaded.state.products[index].catalog;
    let material = |m: u32| loaded.state.materials.get(m as usize);
    Ok(freeze_suggestions(&loaded.state, index, &counts, &policy.niche)
        .into_iter()
        .map(|s| {
            let group = &catalog.groups[s.group];
            let value = &group.values[s.value];
            let reasons: Vec<serde_json::Value> = s
                .reasons
                .iter()
                .map(|r| match r {
                    FreezeReason::Niche { share, min_share } => {
                        json!({"reason": "niche", "share": share, "min_share": min_share})
                    }
                    FreezeReason::CannotReplenish { materials } => json!({
                        "reason": "cannot_replenish",
                        "materials": materials.iter().map(|u| json!({
                            "sku": material(u.material).map(|m| m.sku.clone()),
                            "name": material(u.material).map(|m| m.name.clone()),
                            "free_stock": u.free_stock,
                        })).collect::<Vec<_>>(),
                    }),
                })
                .collect();
            (
                SuggestionKind::Freeze,
                json!({
                    "product": product.slug, "product_name": product.name,
                    "group": group.code, "group_name": group.name,
                    "value": value.code, "label": value.label,
                    "selections": s.selections, "group_selections": s.group_selections,
                    "reasons": reasons,
                }),
            )
        })
        .collect())
}

/// Units ordered per shop-local day (orders not cancelled).
async fn units_ordered(
    db: &impl ConnectionTrait,
    product: &products::Model,
    tz: chrono_tz::Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<NaiveDate, u64>, DbErr> {
    // A day's margin on both sides: the shop's days are not UTC days.
    let start = (from - Days::new(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let end = (to + Days::new(2))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let mut by_day = HashMap::new();
    for order in orders::Entity::find()
        .filter(orders::Column::ProductId.eq(product.id))
        .filter(orders::Column::Status.ne(OrderStatus::Cancelled))
        .filter(orders::Column::PlacedAt.gte(start))
        .filter(orders::Column::PlacedAt.lt(end))
        .all(db)
        .await?
    {
        let day = order.placed_at.with_timezone(&tz).date_naive();
        if (from..=to).contains(&day) {
            *by_day.entry(day).or_default() += u64::try_from(order.quantity).unwrap_or(0);
        }
    }
    Ok(by_day)
}

/// Add-to-carts and preorders of the product as a whole per day, from the rollups.
async fn purchase_intents(
    db: &impl ConnectionTrait,
    product: &products::Model,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<NaiveDate, u64>, DbErr> {
    let rows: Vec<(NaiveDate, i64)> = heat_daily::Entity::find()
        .select_only()
        .column(heat_daily::Column::Day)
        // PostgreSQL sums bigints as numeric: cast back.
        .column_as(
            Expr::col(heat_daily::Column::Count)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "total",
        )
        .filter(heat_daily::Column::ProductId.eq(product.id))
        .filter(heat_daily::Column::OptionValueId.eq(0))
        .filter(heat_daily::Column::Kind.is_in(["add_to_cart", "preorder"]))
        .filter(heat_daily::Column::Day.between(from, to))
        .group_by(heat_daily::Column::Day)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(day, n)| (day, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Option selections per value row over the window.
async fn selections(
    db: &impl ConnectionTrait,
    product_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i64, u64>, DbErr> {
    let rows: Vec<(i64, i64)> = heat_daily::Entity::find()
        .select_only()
        .column(heat_daily::Column::OptionValueId)
        .column_as(
            Expr::col(heat_daily::Column::Count)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "total",
        )
        .filter(heat_daily::Column::ProductId.eq(product_id))
        .filter(heat_daily::Column::OptionValueId.ne(0))
        .filter(heat_daily::Column::Kind.eq("option_select"))
        .filter(heat_daily::Column::Day.between(from, to))
        .group_by(heat_daily::Column::OptionValueId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Whether a series was enough to judge by (falling or holding, not too young or quiet).
fn counts(standing: engine::lifecycle::decay::Standing) -> bool {
    use engine::lifecycle::decay::Standing;
    matches!(standing, Standing::Falling | Standing::Holding)
}
