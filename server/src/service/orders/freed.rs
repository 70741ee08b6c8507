//! Parts freed by cancelled orders (PRODUCT.md, "Internal first"): the material issued
//! to an order that was then cancelled in production. The cancellation took those
//! units off the node's stock ([`super::life`]); they lie at the node, reusable. The
//! overconsumption rule's cover offers them before anything is bought, and accepting
//! that suggestion returns them to the node's stock ([`return_parts`]), where the next
//! quote counts them; its undo takes them off again while they are still free.
//!
//! What is still free is a cancelled order's reports less what was `returned`, per
//! report, so returns are never counted twice and each is undone to the report it
//! came from.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use serde_json::{Value, json};

use crate::service::WriteError;
use crate::store::entities::{OrderStatus, material_consumption, orders, stock};
use crate::store::{Change, ShopWrite};

/// Parts of `material` that cancelled orders of shop `shop_id` freed and nobody took
/// back yet: `(order id, node id, units)`, oldest order first.
pub(crate) async fn still_free(
    db: &impl ConnectionTrait,
    shop_id: i64,
    material_id: i64,
) -> Result<Vec<(i64, i64, i64)>, DbErr> {
    let mut free: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for report in reports(db, shop_id, material_id, None).await? {
        *free.entry((report.order_id, report.node_id)).or_default() += report.quantity - report.returned;
    }
    Ok(free
        .into_iter()
        .filter(|&(_, units)| units > 0)
        .map(|((order, node), units)| (order, node, units))
        .collect())
}

/// The reports of `material` for the shop's cancelled orders (only `order`'s, when
/// given), oldest first.
async fn reports(
    db: &impl ConnectionTrait,
    shop_id: i64,
    material_id: i64,
    order: Option<i64>,
) -> Result<Vec<material_consumption::Model>, DbErr> {
    let mut query = material_consumption::Entity::find()
        .join(JoinType::InnerJoin, material_consumption::Relation::Order.def())
        .filter(orders::Column::ShopId.eq(shop_id))
        .filter(orders::Column::Status.eq(OrderStatus::Cancelled))
        .filter(material_consumption::Column::MaterialId.eq(material_id));
    if let Some(order) = order {
        query = query.filter(material_consumption::Column::OrderId.eq(order));
    }
    query.order_by_asc(material_consumption::Column::Id).all(db).await
}

/// Returns `quantity` units of `material_id` that cancelled order `order_id` freed at
/// node `node_id` to that node's stock, in `w`. Refused, changing nothing, when fewer
/// are still free (another suggestion took them). What was returned, per report, for
/// the undo.
pub(crate) async fn return_parts(
    w: &mut ShopWrite,
    order_id: i64,
    material_id: i64,
    node_id: i64,
    quantity: i64,
) -> Result<Value, WriteError> {
    let rows: Vec<material_consumption::Model> = reports(&*w, w.shop(), material_id, Some(order_id))
        .await?
        .into_iter()
        .filter(|r| r.node_id == node_id && r.quantity > r.returned)
        .collect();
    let free: i64 = rows.iter().map(|r| r.quantity - r.returned).sum();
    if quantity <= 0 || free < quantity {
        return Err(WriteError::Conflict(format!(
            "order {order_id} has {free} of these parts still free, not {quantity}: they were taken since"
        )));
    }
    let mut left = quantity;
    let mut taken = Vec::new();
    for row in rows {
        if left == 0 {
            break;
        }
        let take = std::cmp::min(row.quantity - row.returned, left);
        left -= take;
        material_consumption::Entity::update_many()
            .col_expr(
                material_consumption::Column::Returned,
                Expr::col(material_consumption::Column::Returned).add(take),
            )
            .filter(material_consumption::Column::Id.eq(row.id))
            .exec(&*w)
            .await?;
        taken.push(json!({"report": row.id, "units": take}));
    }
    let reserved_then = move_on_hand(w, material_id, node_id, quantity).await?;
    let applied = json!({"order_id": order_id, "material_id": material_id, "node_id": node_id,
                         "quantity": quantity, "reports": taken, "reserved_then": reserved_then});
    // The units count in the next quote: no `leaves_quotes`.
    w.record(
        Change::new("stock.return", "order", order_id.to_string())
            .after(json!({"returned": applied, "because": "parts freed by a cancelled order"})),
    )
    .await?;
    Ok(applied)
}

/// Undoes [`return_parts`] (`returned` is what it answered): the units leave the
/// node's stock again, unless orders reserved more there since (they may be counting
/// on them) or fewer are on hand.
pub(crate) async fn take_back(w: &mut ShopWrite, returned: &Value) -> Result<(), WriteError> {
    let number = |key: &str| returned[key].as_i64().unwrap_or_default();
    let (material_id, node_id, quantity) = (number("material_id"), number("node_id"), number("quantity"));
    let row = stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material_id))
        .filter(stock::Column::NodeId.eq(node_id))
        .one(&*w)
        .await?;
    let (on_hand, reserved) = row.as_ref().map_or((0, 0), |s| (s.on_hand, s.reserved));
    if reserved > number("reserved_then") || on_hand < quantity {
        return Err(WriteError::Conflict(format!(
            "the {quantity} returned units may be promised now: orders reserved more of the material at that \
             node since (or it holds only {on_hand}); change the stock on the Supply page"
        )));
    }
    for report in returned["reports"].as_array().into_iter().flatten() {
        let (id, units) = (report["report"].as_i64(), report["units"].as_i64());
        let (Some(id), Some(units)) = (id, units) else {
            continue;
        };
        material_consumption::Entity::update_many()
            .col_expr(
                material_consumption::Column::Returned,
                Expr::col(material_consumption::Column::Returned).sub(units),
            )
            .filter(material_consumption::Column::Id.eq(id))
            .exec(&*w)
            .await?;
    }
    move_on_hand(w, material_id, node_id, -quantity).await?;
    w.record(
        Change::new("stock.return", "order", number("order_id").to_string())
            .before(Some(json!({"returned": returned})))
            .after(json!({"returned": null, "because": "undo"})),
    )
    .await?;
    Ok(())
}

/// Adds `units` (negative: takes them) to the node's on-hand stock of the material,
/// creating its row when the node kept none; what orders hold there.
async fn move_on_hand(w: &ShopWrite, material_id: i64, node_id: i64, units: i64) -> Result<i64, DbErr> {
    let row = stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material_id))
        .filter(stock::Column::NodeId.eq(node_id))
        .one(w)
        .await?;
    match row {
        Some(row) => {
            // In SQL, so a count written meanwhile is not lost.
            stock::Entity::update_many()
                .col_expr(stock::Column::OnHand, Expr::col(stock::Column::OnHand).add(units))
                .filter(stock::Column::Id.eq(row.id))
                .exec(w)
                .await?;
            Ok(row.reserved)
        }
        None if units > 0 => {
            stock::Entity::insert(stock::ActiveModel {
                material_id: sea_orm::Set(material_id),
                node_id: sea_orm::Set(node_id),
                on_hand: sea_orm::Set(units),
                reserved: sea_orm::Set(0),
                ..Default::default()
            })
            .exec(w)
            .await?;
            Ok(0)
        }
        None => Ok(0),
    }
}
