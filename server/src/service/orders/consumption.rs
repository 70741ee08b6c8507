//! Material used by work in progress: an operator reports units of a material issued
//! to an order in production. What an order uses within its plan (its reservations)
//! leaves the stock when it ships, like every reservation; what it uses beyond its
//! plan is physically gone now, so it leaves the node's on-hand stock when reported,
//! and the next quote no longer counts it. The reports are what the overconsumption
//! rule (`service::alerts::overconsumption`) compares with the plan.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::service::idempotency::{self, Idempotency, Stored};
use crate::service::{WriteError, invalid};
use crate::store::entities::{
    OrderStatus, material_consumption, materials, nodes, order_reservations, orders, stock,
};
use crate::store::{Change, ShopWrite};

/// The most units one report may carry; more is a typing error.
pub const MAX_REPORTED: i64 = 1_000_000;

/// Units of a material issued to an order in production, as an operator reports them.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsumptionReport {
    /// The material's SKU; the order's plan must use it.
    #[schema(min_length = 1, max_length = 64)]
    pub sku: String,
    /// Units issued by this report, in the material's unit (1 to 1,000,000); reports
    /// add up.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i64,
    /// The day they were issued (today in the shop's time zone unless said).
    #[serde(default)]
    pub consumed_on: Option<NaiveDate>,
}

/// An order's use of one material after a report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Consumption {
    /// The order.
    pub order_id: i64,
    /// The material's SKU.
    pub sku: String,
    /// The node the units were taken from (where the order's plan holds them).
    pub node: String,
    /// Units the order's plan holds.
    pub planned: i64,
    /// Units reported used for the order, all reports together.
    pub consumed: i64,
    /// Units beyond the plan this report took off the node's on-hand stock.
    pub taken_from_stock: i64,
    /// Overconsumption alerts the report raised (0 or 1; 0 on a replay).
    #[serde(default)]
    pub alerts_raised: u32,
    /// The material's row id (for the overconsumption rule run after the report).
    #[serde(skip)]
    pub material_id: i64,
}

/// Records `report` for order `order_id` and commits: the report, the units beyond the
/// order's plan taken off the node's stock, and an audit entry. Only an order in
/// production consumes material. `today` is the shop's date. Reports add up, so a
/// retried request must not count twice: with an idempotency `key`, the same request
/// answers the stored result again (`true`: a replay) and records nothing.
pub async fn consume(
    mut w: ShopWrite,
    order_id: i64,
    report: ConsumptionReport,
    today: NaiveDate,
    key: Option<&Idempotency>,
) -> Result<(Consumption, bool), WriteError> {
    if let Some(key) = key {
        match idempotency::lookup(&w, key).await? {
            Ok(Stored::Replay(done)) => return Ok((done, true)),
            Ok(Stored::Fresh) => {}
            Err(reused) => return Err(invalid("Idempotency-Key", reused.to_string())),
        }
    }
    let order = orders::Entity::find_by_id(order_id)
        .filter(orders::Column::ShopId.eq(w.shop()))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no order {order_id} in this shop")))?;
    let done = record(&mut w, &order, &report, today).await?;
    if let Some(key) = key {
        idempotency::store(&w, key, 201, &done).await?;
    }
    w.commit().await?;
    Ok((done, false))
}

/// Records `report` for `order` in `w` (the rules of [`consume`]; the caller commits):
/// the report, the units beyond the order's plan taken off the node's stock, and an
/// audit entry. Refusals name the report's field (`sku`, `quantity`, `consumed_on`), or
/// are a conflict for an order not in production. The CSV import of material used
/// records each row through here.
pub(crate) async fn record(
    w: &mut ShopWrite,
    order: &orders::Model,
    report: &ConsumptionReport,
    today: NaiveDate,
) -> Result<Consumption, WriteError> {
    let shop_id = w.shop();
    let order_id = order.id;
    if order.status != OrderStatus::InProduction {
        return Err(WriteError::Conflict(format!(
            "order {order_id} is `{}`: material is reported while it is `in_production`",
            order.status
        )));
    }
    if !(1..=MAX_REPORTED).contains(&report.quantity) {
        return Err(invalid(
            "quantity",
            format!("must be between 1 and {MAX_REPORTED}"),
        ));
    }
    let consumed_on = super::operations::work_day(order, report.consumed_on, today, "consumed_on")?;
    let sku = report.sku.trim();
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .filter(materials::Column::Sku.eq(sku))
        .one(&*w)
        .await?
        .ok_or_else(|| invalid("sku", format!("no material `{sku}` in this shop")))?;
    let held = order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.eq(order_id))
        .filter(order_reservations::Column::MaterialId.eq(material.id))
        .all(&*w)
        .await?;
    // The node that holds most of the plan's units is where the work takes them.
    let Some(node_id) = held.iter().max_by_key(|r| (r.quantity, -r.id)).map(|r| r.node_id) else {
        return Err(invalid("sku", format!("order {order_id}'s plan uses no {sku}")));
    };
    let planned: i64 = held.iter().map(|r| r.quantity).sum();
    let before: i64 = material_consumption::Entity::find()
        .filter(material_consumption::Column::OrderId.eq(order_id))
        .filter(material_consumption::Column::MaterialId.eq(material.id))
        .all(&*w)
        .await?
        .iter()
        .map(|r| r.quantity)
        .sum();
    let consumed = before + report.quantity;
    let beyond = |used: i64| std::cmp::max(used - planned, 0);
    let taken = beyond(consumed) - beyond(before);
    let mut stock_moved = 0;
    if taken > 0 {
        // In SQL, so a concurrent count cannot be lost; never below zero: what the
        // records did not know of was not there to count.
        stock_moved = stock::Entity::update_many()
            .col_expr(
                stock::Column::OnHand,
                Expr::case(
                    Expr::col(stock::Column::OnHand).gt(taken),
                    Expr::col(stock::Column::OnHand).sub(taken),
                )
                .finally(0)
                .into(),
            )
            .filter(stock::Column::MaterialId.eq(material.id))
            .filter(stock::Column::NodeId.eq(node_id))
            .filter(stock::Column::OnHand.gt(0))
            .exec(&*w)
            .await?
            .rows_affected;
    }
    material_consumption::ActiveModel {
        order_id: Set(order_id),
        material_id: Set(material.id),
        node_id: Set(node_id),
        quantity: Set(report.quantity),
        consumed_on: Set(consumed_on),
        reported_by: Set(w.actor().as_str().to_string()),
        created_at: Set(w.now()),
        ..Default::default()
    }
    .insert(&*w)
    .await?;
    let node = nodes::Entity::find_by_id(node_id)
        .one(&*w)
        .await?
        .map(|n| n.code)
        .unwrap_or_default();
    let done = Consumption {
        order_id,
        sku: material.sku.clone(),
        node,
        planned,
        consumed,
        taken_from_stock: taken,
        alerts_raised: 0,
        material_id: material.id,
    };
    w.record(
        Change::new(
            "order.consumption",
            "order",
            format!("{order_id}/{}", material.sku),
        )
        .leaves_quotes_if(stock_moved == 0)
        .before(Some(json!({"consumed": before})))
        .after(json!({
            "quantity": report.quantity,
            "consumed_on": consumed_on,
            "consumed": consumed,
            "planned": planned,
            "node": done.node,
            "taken_from_stock": taken,
        })),
    )
    .await?;
    Ok(done)
}
