//! The admin's dashboard (`docs/kpis.md`): the KPIs measured from orders
//! ([`promises`]) and from the stock's daily closes ([`inventory`], [`closes`]), the
//! total resilience cost ([`resilience`]), the ABC-XYZ matrix with stock value per cell, and what waits in the inbox. Reads only;
//! one read transaction, so every figure is of one state.

mod admin;
pub mod closes;
pub mod inventory;
pub mod promises;
pub mod resilience;

use std::collections::HashMap;

use app::model::dashboard::{ClassCell, Dashboard, DashboardQuery, KpiGroup};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::store::entities::{AlertStatus, OrderStatus, alerts, materials, orders, policies, shops, stock};
use crate::store::{Db, StoreError};
use inventory::Stock;
use promises::{OrderFacts, Window};

/// The dashboard of `shop` for `query`'s window ending `today` (the shop's day).
pub async fn dashboard(
    db: &Db,
    shop: &shops::Model,
    today: NaiveDate,
    query: &DashboardQuery,
) -> Result<Dashboard, StoreError> {
    let window = Window::ending(today, query.weeks);
    let txn = db.read().await?;
    let facts = order_facts(&txn, shop.id, window).await?;
    let today_close = closes::now(&txn, shop.id, today).await?;
    let stock = Stock::load(&txn, shop, window, today_close).await?;
    let (policy, _) = crate::service::policies::settings::load(&txn, shop.id).await?;
    let costs = resilience::Costs::load(&txn, shop, window, &stock, &policy).await?;
    let classes = classes(&txn, shop.id).await?;
    let open_alerts = alerts::Entity::find()
        .filter(alerts::Column::ShopId.eq(shop.id))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .count(&txn)
        .await?;
    let orders_at_risk = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop.id))
        .filter(orders::Column::LateRisk.is_not_null())
        .filter(orders::Column::Status.is_not_in([OrderStatus::Delivered, OrderStatus::Cancelled]))
        .count(&txn)
        .await?;
    txn.finish().await?;
    Ok(Dashboard {
        weeks: query.weeks,
        from: window.from,
        today,
        kpis: [
            promises::kpis(&facts, window),
            inventory::kpis(&stock, window),
            vec![costs.kpi(window)],
        ]
        .concat(),
        drill: query.kpi.map(|key| match key.group() {
            KpiGroup::Promises => promises::drill(key, &facts, window),
            KpiGroup::Inventory => inventory::drill(key, &stock, window),
            KpiGroup::Costs => costs.drill(window),
        }),
        classes,
        currency: shop.currency.clone(),
        open_alerts: u32::try_from(open_alerts).unwrap_or(u32::MAX),
        orders_at_risk: u32::try_from(orders_at_risk).unwrap_or(u32::MAX),
    })
}

/// The shop's orders due or delivered in `window`.
async fn order_facts(
    db: &impl ConnectionTrait,
    shop_id: i64,
    window: Window,
) -> Result<Vec<OrderFacts>, StoreError> {
    let slugs = crate::store::catalog::product_slugs(db, shop_id).await?;
    let rows = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(
            Condition::any()
                .add(orders::Column::PromisedOn.between(window.from, window.today))
                .add(orders::Column::DeliveredOn.between(window.from, window.today)),
        )
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            let product = slugs.get(&o.product_id).cloned().unwrap_or_default();
            OrderFacts::of(o, product)
        })
        .collect())
}

/// The nine cells of the ABC-XYZ matrix from the stored policies, row by row (A-X,
/// A-Y, A-Z, B-X, …), each with its materials and their stock value; empty before the
/// first recomputation.
async fn classes(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<ClassCell>, StoreError> {
    let materials: HashMap<i64, i64> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.unit_cost_minor))
        .collect();
    let ids: Vec<i64> = materials.keys().copied().collect();
    let policies = policies::Entity::find()
        .filter(policies::Column::MaterialId.is_in(ids.clone()))
        .all(db)
        .await?;
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let mut on_hand: HashMap<i64, i64> = HashMap::new();
    for s in stock::Entity::find()
        .filter(stock::Column::MaterialId.is_in(ids))
        .all(db)
        .await?
    {
        *on_hand.entry(s.material_id).or_default() += s.on_hand;
    }
    let mut cells: Vec<ClassCell> = ["A", "B", "C"]
        .into_iter()
        .flat_map(|abc| {
            ["X", "Y", "Z"].into_iter().map(move |xyz| ClassCell {
                abc: abc.into(),
                xyz: xyz.into(),
                materials: 0,
                value_minor: 0,
            })
        })
        .collect();
    for p in policies {
        let Some(cell) = cells.iter_mut().find(|c| c.abc == p.abc && c.xyz == p.xyz) else {
            continue;
        };
        cell.materials += 1;
        let units = on_hand.get(&p.material_id).copied().unwrap_or(0);
        let cost = materials.get(&p.material_id).copied().unwrap_or(0);
        cell.value_minor = cell.value_minor.saturating_add(units.saturating_mul(cost));
    }
    Ok(cells)
}
