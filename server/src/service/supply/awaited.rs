//! Purchase orders for what orders wait on. A booking that finds neither stock nor an
//! inbound line for a material promises a *supplier order*
//! (`order_reservations.source = supplier_order`): nothing existing is held, and the
//! order is promised the supplier's lead time from the day it was booked. Until the
//! merchant places that order with the supplier, nothing is coming.
//!
//! [`raise_awaited`] places them: one confirmed purchase order per material, node and
//! supplier for every unit open orders wait on (the supplier's minimum and pack size
//! applied), and each waiting reservation then holds the new line's units (`inbound`,
//! with the line's ETA as what a slip is measured against). So the surplus of a pack is
//! free for the next quote but the waited-for units are not, and the line's receipt
//! moves them onto stock like any other line's.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::purchasing::inbound_row;
use crate::service::WriteError;
use crate::store::entities::{
    InboundKind, InboundStatus, OrderStatus, ReservationSource, SupplyStatus, inbound, materials, nodes,
    order_reservations, orders, supplier_materials, suppliers,
};
use crate::store::unit::{Change, ShopWrite};
use app::model::admin::InboundRow;

/// Places a confirmed purchase order for every material, node and supplier open orders
/// wait on, links the waiting reservations to it, and commits. Returns the new lines
/// (none, and nothing written, when no order waits). The supplier is the material's
/// fastest active one by declared lead time, as the quote's; the ETA is `today` plus
/// its declared mean, rounded up (the quote state adds what the supplier has been
/// learned to take beyond it).
pub async fn raise_awaited(mut w: ShopWrite, today: NaiveDate) -> Result<Vec<InboundRow>, WriteError> {
    let shop_id = w.shop();
    let open_orders = Query::select()
        .column(orders::Column::Id)
        .from(orders::Entity)
        .and_where(orders::Column::ShopId.eq(shop_id))
        .and_where(orders::Column::Status.is_in([OrderStatus::Placed, OrderStatus::InProduction]))
        .to_owned();
    let waiting = order_reservations::Entity::find()
        .filter(order_reservations::Column::Source.eq(ReservationSource::SupplierOrder))
        .filter(order_reservations::Column::OrderId.in_subquery(open_orders))
        .order_by_asc(order_reservations::Column::Id)
        .all(&w)
        .await?;
    if waiting.is_empty() {
        w.rollback().await?;
        return Ok(Vec::new());
    }
    let mut by_need: BTreeMap<(i64, i64), Vec<order_reservations::Model>> = BTreeMap::new();
    for reservation in waiting {
        by_need
            .entry((reservation.material_id, reservation.node_id))
            .or_default()
            .push(reservation);
    }
    let mut raised = Vec::with_capacity(by_need.len());
    for ((material_id, node_id), reservations) in by_need {
        let material = materials::Entity::find_by_id(material_id)
            .one(&w)
            .await?
            .ok_or_else(|| WriteError::NotFound(format!("no material {material_id}")))?;
        let node = nodes::Entity::find_by_id(node_id)
            .one(&w)
            .await?
            .ok_or_else(|| WriteError::NotFound(format!("no node {node_id}")))?;
        let Some((offer, supplier)) = fastest_offer(&w, material_id).await? else {
            return Err(WriteError::Conflict(format!(
                "orders wait for {} but no active supplier offers it any more",
                material.sku
            )));
        };
        let units: i64 = reservations.iter().map(|r| r.quantity).sum();
        let quantity = engine::policy::suggested_order(units, 0, 0, offer.moq, offer.pack_size);
        let eta = today + Days::new(u64::from(engine::supply::median_day(offer.lead_time_mean_days)));
        let line = inbound::ActiveModel {
            shop_id: Set(shop_id),
            material_id: Set(material_id),
            node_id: Set(node_id),
            kind: Set(InboundKind::Purchase),
            supplier_id: Set(Some(supplier.id)),
            from_node_id: Set(None),
            quantity: Set(quantity),
            eta: Set(eta),
            status: Set(InboundStatus::Confirmed),
            reference: Set(String::new()),
            created_at: Set(w.now()),
            ordered_on: Set(Some(today)),
            ..Default::default()
        }
        .insert(&w)
        .await?;
        let line = super::purchasing::name_after_id(&w, shop_id, line).await?;
        order_reservations::Entity::update_many()
            .col_expr(
                order_reservations::Column::Source,
                Expr::value(ReservationSource::Inbound),
            )
            .col_expr(order_reservations::Column::InboundId, Expr::value(line.id))
            .col_expr(order_reservations::Column::ExpectedOn, Expr::value(eta))
            .filter(order_reservations::Column::Id.is_in(reservations.iter().map(|r| r.id)))
            .exec(&w)
            .await?;
        let row = inbound_row(line, &material, Some(&supplier.code), None, &node.code);
        let orders: Vec<i64> = reservations.iter().map(|r| r.order_id).collect();
        w.record(
            Change::new("inbound.raise_awaited", "inbound", row.id.to_string())
                .after(json!({"line": row, "awaited_units": units, "orders": orders})),
        )
        .await?;
        raised.push(row);
    }
    w.commit().await?;
    Ok(raised)
}

/// The active offer of `material_id` with the shortest declared lead time (the
/// cheaper on a tie), from an active supplier.
async fn fastest_offer(
    w: &ShopWrite,
    material_id: i64,
) -> Result<Option<(supplier_materials::Model, suppliers::Model)>, WriteError> {
    let offers = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.eq(material_id))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .find_also_related(suppliers::Entity)
        .all(w)
        .await?;
    Ok(offers
        .into_iter()
        .filter_map(|(offer, supplier)| {
            supplier
                .filter(|s| s.status == SupplyStatus::Active)
                .map(|s| (offer, s))
        })
        .min_by(|(a, _), (b, _)| {
            a.lead_time_mean_days
                .total_cmp(&b.lead_time_mean_days)
                .then(a.price_minor.cmp(&b.price_minor))
        }))
}
