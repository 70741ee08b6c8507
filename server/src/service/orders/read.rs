//! Orders as the API shows them: one by id, or a page of them.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{BookingView, OperationView, OrderView, ReservationView};
use crate::service::{WriteError, cursor, invalid};
use crate::store::StoreError;
use crate::store::entities::{
    OrderStatus, inbound, materials, nodes, order_operations, order_reservations, orders, products, shops,
    work_center_bookings, work_centers,
};

/// Which orders to list.
#[derive(Clone, Debug, Default)]
pub struct OrderQuery {
    /// Only orders in this status.
    pub status: Option<OrderStatus>,
    /// Orders per page (1 to [`cursor::MAX_PAGE`]).
    pub limit: Option<u64>,
    /// Where the previous page ended ([`OrderPage::next_cursor`]).
    pub cursor: Option<String>,
    /// Only orders of this channel.
    pub channel: Option<String>,
    /// Only orders of this product (slug).
    pub product: Option<String>,
    /// Only orders at late risk (`true`) or not (`false`).
    pub at_risk: Option<bool>,
}

/// A page of orders, newest first.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OrderPage {
    /// The orders.
    pub items: Vec<OrderView>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Order `id` of shop `shop_id`, with what it holds.
pub async fn order(
    db: &impl ConnectionTrait,
    shop_id: i64,
    id: i64,
) -> Result<Option<OrderView>, StoreError> {
    let Some(row) = orders::Entity::find_by_id(id)
        .filter(orders::Column::ShopId.eq(shop_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(views(db, shop_id, vec![row]).await?.pop())
}

/// A page of the shop's orders, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    shop_id: i64,
    query: &OrderQuery,
) -> Result<OrderPage, WriteError> {
    let window = cursor::Window::of("order", query.limit, query.cursor.as_deref())?;
    let mut select = orders::Entity::find().filter(orders::Column::ShopId.eq(shop_id));
    if let Some(below) = window.below {
        select = select.filter(orders::Column::Id.lt(below));
    }
    if let Some(status) = query.status {
        select = select.filter(orders::Column::Status.eq(status));
    }
    if let Some(channel) = &query.channel {
        select = select.filter(orders::Column::Channel.eq(channel.as_str()));
    }
    if let Some(slug) = &query.product {
        let product = products::Entity::find()
            .filter(products::Column::ShopId.eq(shop_id))
            .filter(products::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| invalid("product", format!("no product `{slug}` in this shop")))?;
        select = select.filter(orders::Column::ProductId.eq(product.id));
    }
    match query.at_risk {
        Some(true) => select = select.filter(orders::Column::LateRisk.is_not_null()),
        Some(false) => select = select.filter(orders::Column::LateRisk.is_null()),
        None => {}
    }
    let mut rows = select
        .order_by_desc(orders::Column::Id)
        .limit(window.fetch())
        .all(db)
        .await?;
    let next_cursor = window.cut("order", &mut rows, |r| r.id);
    Ok(OrderPage {
        items: views(db, shop_id, rows).await?,
        next_cursor,
    })
}

/// The views of `rows` (all of shop `shop_id`), reading what they hold in one query per
/// table rather than per order.
async fn views(
    db: &impl ConnectionTrait,
    shop_id: i64,
    rows: Vec<orders::Model>,
) -> Result<Vec<OrderView>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let currency = shops::Entity::find_by_id(shop_id)
        .one(db)
        .await?
        .map(|s| s.currency)
        .unwrap_or_default();
    let products = crate::store::catalog::product_slugs(db, shop_id).await?;
    let skus: HashMap<i64, String> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.sku))
        .collect();
    let node_codes: HashMap<i64, String> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.code))
        .collect();
    let centers: HashMap<i64, String> = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    let held = order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.is_in(ids.clone()))
        .order_by_asc(order_reservations::Column::Id)
        .all(db)
        .await?;
    let inbound_ids: Vec<i64> = held.iter().filter_map(|r| r.inbound_id).collect();
    let references: HashMap<i64, String> = if inbound_ids.is_empty() {
        HashMap::new()
    } else {
        inbound::Entity::find()
            .filter(inbound::Column::Id.is_in(inbound_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i.reference))
            .collect()
    };
    let mut reservations: HashMap<i64, Vec<ReservationView>> = HashMap::new();
    for r in held {
        reservations.entry(r.order_id).or_default().push(ReservationView {
            material: skus.get(&r.material_id).cloned().unwrap_or_default(),
            node: node_codes.get(&r.node_id).cloned().unwrap_or_default(),
            source: r.source,
            inbound: r.inbound_id.and_then(|i| references.get(&i).cloned()),
            quantity: r.quantity,
        });
    }
    let mut operations: HashMap<i64, Vec<OperationView>> = HashMap::new();
    for o in order_operations::Entity::find()
        .filter(order_operations::Column::OrderId.is_in(ids.clone()))
        .order_by_asc(order_operations::Column::OrderId)
        .order_by_asc(order_operations::Column::Seq)
        .all(db)
        .await?
    {
        operations.entry(o.order_id).or_default().push(OperationView {
            seq: o.seq,
            work_center: centers.get(&o.work_center_id).cloned().unwrap_or_default(),
            planned_minutes: o.planned_minutes,
            booked_minutes: o.booked_minutes,
            actual_minutes: o.actual_minutes,
            finished_on: o.finished_on,
        });
    }
    let mut bookings: HashMap<i64, Vec<BookingView>> = HashMap::new();
    for b in work_center_bookings::Entity::find()
        .filter(work_center_bookings::Column::OrderId.is_in(ids))
        .order_by_asc(work_center_bookings::Column::Id)
        .all(db)
        .await?
    {
        let Some(order) = b.order_id else { continue };
        bookings.entry(order).or_default().push(BookingView {
            work_center: centers.get(&b.work_center_id).cloned().unwrap_or_default(),
            day: b.day,
            minutes: b.minutes,
        });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let held = Held {
                reservations: reservations.remove(&row.id).unwrap_or_default(),
                bookings: bookings.remove(&row.id).unwrap_or_default(),
                operations: operations.remove(&row.id).unwrap_or_default(),
            };
            let product = products.get(&row.product_id).cloned().unwrap_or_default();
            view(row, product, currency.clone(), held)
        })
        .collect())
}

/// What an order holds, as its view shows it.
#[derive(Debug, Default)]
pub(super) struct Held {
    /// Its units, in the order they were reserved.
    pub reservations: Vec<ReservationView>,
    /// Its minutes, in the order they were booked.
    pub bookings: Vec<BookingView>,
    /// Its operations, in routing order.
    pub operations: Vec<OperationView>,
}

/// The view of order `row` of product `product` (slug), priced in `currency`: one
/// mapping for orders read back and an order just booked, which builds `held` from
/// what it wrote instead of reading it again.
pub(super) fn view(row: orders::Model, product: String, currency: String, held: Held) -> OrderView {
    let quantity = row.quantity.max(1);
    OrderView {
        id: row.id,
        reference: row.reference,
        product,
        selection: serde_json::from_value(row.selection).unwrap_or_default(),
        quantity: row.quantity,
        channel: row.channel,
        status: row.status,
        currency,
        unit_price_minor: row.price_minor / quantity,
        total_minor: row.price_minor,
        quoted_p50: row.quoted_p50,
        quoted_p90: row.quoted_p90,
        promised_on: row.promised_on,
        placed_at: row.placed_at,
        delivered_on: row.delivered_on,
        late_risk: row.late_risk,
        plan: row.plan.and_then(|p| serde_json::from_value(p).ok()),
        deliveries: row.deliveries.and_then(|d| serde_json::from_value(d).ok()),
        preorder: row.preorder,
        reservations: held.reservations,
        bookings: held.bookings,
        operations: held.operations,
    }
}
