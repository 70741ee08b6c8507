//! Heat analytics: funnels and trends per product and option value, read from the
//! daily rollups (`heat_daily`) with one aggregate query each (`SUM(count) … GROUP BY`),
//! never from raw events, and joined with the catalog for slugs, codes and labels.
//!
//! Definitions (`docs/analytics.md`): the rollup row with option value `0` counts a
//! product's events once each; a row with a value counts the events involving it. A
//! funnel lists every value of every group in catalog order, heat or not, so a quiet
//! value shows as zeros; trends follow add-to-carts plus preorders per day.

use std::collections::HashMap;

use app::model::analytics::{
    FunnelCounts, FunnelReport, GroupFunnel, HeatWindow, ProductFunnel, ProductTrend, TrendDirection,
    TrendReport, TrendView, ValueFunnel, ValueTrend, add_to_cart_rate, rate,
};
use chrono::NaiveDate;
use engine::trend::{Direction, Trend};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::store::StoreError;
use crate::store::catalog::groups_with_values;
use crate::store::entities::{heat_daily, option_groups, option_values, products};

/// The rollup kinds, as stored in `heat_daily.kind`.
const VIEW: &str = "view";
const OPTION_SELECT: &str = "option_select";
const FAVORITE: &str = "favorite";
const ADD_TO_CART: &str = "add_to_cart";
const PREORDER: &str = "preorder";
const PURCHASE: &str = "purchase";
/// The option value id of a product's own rows.
const WHOLE_PRODUCT: i64 = 0;

/// A product with its groups and values in catalog order.
struct Listed {
    product: products::Model,
    groups: Vec<(option_groups::Model, Vec<option_values::Model>)>,
}

/// The shop's products by name, or only `slug`'s; `None` when `slug` names none.
async fn listed(
    db: &impl ConnectionTrait,
    shop_id: i64,
    slug: Option<&str>,
) -> Result<Option<Vec<Listed>>, StoreError> {
    let mut query = products::Entity::find().filter(products::Column::ShopId.eq(shop_id));
    if let Some(slug) = slug {
        query = query.filter(products::Column::Slug.eq(slug));
    }
    let found = query
        .order_by_asc(products::Column::Name)
        .order_by_asc(products::Column::Id)
        .all(db)
        .await?;
    if slug.is_some() && found.is_empty() {
        return Ok(None);
    }
    let mut groups: HashMap<i64, Vec<_>> = HashMap::new();
    for (group, values) in groups_with_values(db, found.iter().map(|p| p.id).collect()).await? {
        groups.entry(group.product_id).or_default().push((group, values));
    }
    Ok(Some(
        found
            .into_iter()
            .map(|product| Listed {
                groups: groups.remove(&product.id).unwrap_or_default(),
                product,
            })
            .collect(),
    ))
}

/// Every product's funnel over `window`, or only `slug`'s; `None` when `slug` names
/// no product of the shop.
pub async fn funnel(
    db: &impl ConnectionTrait,
    shop_id: i64,
    slug: Option<&str>,
    window: HeatWindow,
) -> Result<Option<FunnelReport>, StoreError> {
    let Some(listed) = listed(db, shop_id, slug).await? else {
        return Ok(None);
    };
    let totals = kind_totals(db, shop_id, &listed, window).await?;
    let count = |product: i64, value: i64, kind: &str| {
        totals
            .get(&(product, value, kind.to_string()))
            .copied()
            .unwrap_or(0)
    };
    let products = listed
        .into_iter()
        .map(|Listed { product, groups }| {
            let p = product.id;
            let counts = FunnelCounts {
                views: count(p, WHOLE_PRODUCT, VIEW),
                selections: count(p, WHOLE_PRODUCT, OPTION_SELECT),
                favorites: count(p, WHOLE_PRODUCT, FAVORITE),
                add_to_cart: count(p, WHOLE_PRODUCT, ADD_TO_CART),
                preorders: count(p, WHOLE_PRODUCT, PREORDER),
                purchases: count(p, WHOLE_PRODUCT, PURCHASE),
            };
            let groups = groups
                .into_iter()
                .map(|(group, values)| {
                    let selections: u64 = values.iter().map(|v| count(p, v.id, OPTION_SELECT)).sum();
                    GroupFunnel {
                        group: group.code,
                        name: group.name,
                        values: values
                            .into_iter()
                            .map(|v| {
                                let chosen = count(p, v.id, OPTION_SELECT);
                                let carts = count(p, v.id, ADD_TO_CART);
                                ValueFunnel {
                                    value: v.code,
                                    label: v.label,
                                    selections: chosen,
                                    favorites: count(p, v.id, FAVORITE),
                                    add_to_cart: carts,
                                    preorders: count(p, v.id, PREORDER),
                                    purchases: count(p, v.id, PURCHASE),
                                    add_to_cart_rate: add_to_cart_rate(carts, chosen),
                                    share_of_selections: rate(chosen, selections),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            ProductFunnel {
                product: product.slug,
                name: product.name,
                rates: counts.rates(),
                counts,
                groups,
            }
        })
        .collect();
    Ok(Some(FunnelReport { window, products }))
}

/// `SUM(count)` per (product, value, kind) over `window`.
async fn kind_totals(
    db: &impl ConnectionTrait,
    shop_id: i64,
    listed: &[Listed],
    window: HeatWindow,
) -> Result<HashMap<(i64, i64, String), u64>, StoreError> {
    use heat_daily::Column as C;
    let rows: Vec<(i64, i64, String, i64)> = heat_daily::Entity::find()
        .select_only()
        .column(C::ProductId)
        .column(C::OptionValueId)
        .column(C::Kind)
        .column_as(total(), "total")
        .filter(C::ShopId.eq(shop_id))
        .filter(C::ProductId.is_in(listed.iter().map(|l| l.product.id)))
        .filter(C::Day.between(window.from, window.to))
        .group_by(C::ProductId)
        .group_by(C::OptionValueId)
        .group_by(C::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(product, value, kind, total)| ((product, value, kind), non_negative(total)))
        .collect())
}

/// Every product's trend over `window` (its series' days), or only `slug`'s; `None`
/// when `slug` names no product of the shop.
pub async fn trend(
    db: &impl ConnectionTrait,
    shop_id: i64,
    slug: Option<&str>,
    window: HeatWindow,
) -> Result<Option<TrendReport>, StoreError> {
    let Some(listed) = listed(db, shop_id, slug).await? else {
        return Ok(None);
    };
    let daily = demand_per_day(db, shop_id, &listed, window).await?;
    let days: Vec<NaiveDate> = window.each_day().collect();
    let series = |product: i64, value: i64| -> Vec<u64> {
        days.iter()
            .map(|day| daily.get(&(product, value, *day)).copied().unwrap_or(0))
            .collect()
    };
    let products = listed
        .into_iter()
        .map(|Listed { product, groups }| {
            let p = product.id;
            let values = groups
                .into_iter()
                .flat_map(|(group, values)| {
                    let series = &series;
                    values.into_iter().map(move |v| ValueTrend {
                        group: group.code.clone(),
                        value: v.code,
                        trend: trend_view(series(p, v.id)),
                    })
                })
                .collect();
            ProductTrend {
                product: product.slug,
                name: product.name,
                trend: trend_view(series(p, WHOLE_PRODUCT)),
                values,
            }
        })
        .collect();
    Ok(Some(TrendReport { window, products }))
}

/// Add-to-carts plus preorders per (product, value, day) over `window`.
async fn demand_per_day(
    db: &impl ConnectionTrait,
    shop_id: i64,
    listed: &[Listed],
    window: HeatWindow,
) -> Result<HashMap<(i64, i64, NaiveDate), u64>, StoreError> {
    use heat_daily::Column as C;
    let rows: Vec<(i64, i64, NaiveDate, i64)> = heat_daily::Entity::find()
        .select_only()
        .column(C::ProductId)
        .column(C::OptionValueId)
        .column(C::Day)
        .column_as(total(), "total")
        .filter(C::ShopId.eq(shop_id))
        .filter(C::ProductId.is_in(listed.iter().map(|l| l.product.id)))
        .filter(C::Kind.is_in([ADD_TO_CART, PREORDER]))
        .filter(C::Day.between(window.from, window.to))
        .group_by(C::ProductId)
        .group_by(C::OptionValueId)
        .group_by(C::Day)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(product, value, day, total)| ((product, value, day), non_negative(total)))
        .collect())
}

/// `CAST(SUM(count) AS BIGINT)`: PostgreSQL sums a `bigint` column as `numeric`.
fn total() -> Expr {
    Func::cast_as(Func::sum(Expr::col(heat_daily::Column::Count)), "BIGINT").into()
}

fn non_negative(total: i64) -> u64 {
    u64::try_from(total).unwrap_or(0)
}

/// A series with the engine's short and long averages.
fn trend_view(series: Vec<u64>) -> TrendView {
    let t = Trend::of_counts(&series);
    TrendView {
        series,
        short: t.short,
        long: t.long,
        ratio: t.ratio,
        direction: match t.direction {
            Direction::Rising => TrendDirection::Rising,
            Direction::Falling => TrendDirection::Falling,
            Direction::Steady => TrendDirection::Steady,
        },
    }
}
