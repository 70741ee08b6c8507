//! Purchasing in the admin: suppliers and their offers, inbound lines and capacity
//! reservations, new purchase orders, and the life of an inbound line (draft →
//! confirmed → received, or cancelled).

use std::collections::HashMap;

use chrono::NaiveDate;
use engine::lifecycle::sourcing::split;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::service::WriteError;
use crate::service::{invalid, move_status, node_choices};
use crate::store::StoreError;
use crate::store::entities::{
    InboundKind, InboundStatus, ReservationSource, SupplyStatus, capacity_reservations, inbound, materials,
    nodes, order_reservations, shops, stock, supplier_materials, suppliers,
};
use crate::store::unit::{Change, ShopWrite};
use app::model::admin::{
    AllocationRow, InboundAction, InboundRow, NewPurchaseOrder, PromiseSettings, ReservationRow,
    SupplierOffer, SupplierRow, SupplyView,
};

/// How many received or cancelled lines the supply page shows after the open ones.
const RECENTLY_CLOSED: u64 = 50;

/// The supply page: suppliers with their offers, open inbound lines by ETA followed by
/// the most recently raised closed ones, capacity reservations by deadline, and nodes.
pub async fn supply_view(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<SupplyView, StoreError> {
    let names = Names::load(db, shop_id).await?;
    let supplier_rows = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .order_by_asc(suppliers::Column::Code)
        .all(db)
        .await?;
    let mut offers: HashMap<i64, Vec<SupplierOffer>> = HashMap::new();
    let rows = supplier_materials::Entity::find()
        .filter(
            supplier_materials::Column::SupplierId.in_subquery(
                Query::select()
                    .column(suppliers::Column::Id)
                    .from(suppliers::Entity)
                    .and_where(suppliers::Column::ShopId.eq(shop_id))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    // The forecast splits between a material's active offers of active suppliers.
    let active = |o: &supplier_materials::Model| {
        o.status == SupplyStatus::Active
            && supplier_rows
                .iter()
                .any(|s| s.id == o.supplier_id && s.status == SupplyStatus::Active)
    };
    let mut shares: HashMap<i64, Vec<&supplier_materials::Model>> = HashMap::new();
    for o in rows.iter().filter(|o| active(o)) {
        shares.entry(o.material_id).or_default().push(o);
    }
    let fractions: HashMap<i64, f64> = shares
        .values()
        .flat_map(|offers| {
            let weights: Vec<i32> = offers.iter().map(|o| o.forecast_share).collect();
            offers
                .iter()
                .map(|o| o.id)
                .zip(split(&weights))
                .collect::<Vec<_>>()
        })
        .collect();
    for offer in &rows {
        let Some(material) = names.materials.get(&offer.material_id) else {
            continue;
        };
        let forecast_fraction = fractions.get(&offer.id).copied();
        offers.entry(offer.supplier_id).or_default().push(SupplierOffer {
            sku: material.sku.clone(),
            material: material.name.clone(),
            lead_time_mean_days: offer.lead_time_mean_days,
            lead_time_sd_days: offer.lead_time_sd_days,
            moq: offer.moq,
            pack_size: offer.pack_size,
            price_minor: offer.price_minor,
            status: offer.status.to_string(),
            forecast_share: offer.forecast_share,
            forecast_fraction,
        });
    }
    let suppliers = supplier_rows
        .into_iter()
        .map(|supplier| {
            let mut offers = offers.remove(&supplier.id).unwrap_or_default();
            offers.sort_by(|a, b| a.sku.cmp(&b.sku));
            SupplierRow {
                code: supplier.code,
                name: supplier.name,
                email: supplier.email,
                status: supplier.status.to_string(),
                offers,
            }
        })
        .collect();
    let open = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Status.is_in([InboundStatus::Draft, InboundStatus::Confirmed]))
        .order_by_asc(inbound::Column::Eta)
        .order_by_asc(inbound::Column::Id)
        .all(db)
        .await?;
    // No column records when a line was received or cancelled; when it was raised is
    // the nearest stand-in for "recent".
    let closed = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Status.is_in([InboundStatus::Received, InboundStatus::Cancelled]))
        .order_by_desc(inbound::Column::CreatedAt)
        .order_by_desc(inbound::Column::Id)
        .limit(RECENTLY_CLOSED)
        .all(db)
        .await?;
    let inbound = open
        .into_iter()
        .chain(closed)
        .filter_map(|line| names.inbound_row(line))
        .collect();
    let reservations = capacity_reservations::Entity::find()
        .filter(capacity_reservations::Column::ShopId.eq(shop_id))
        .order_by_asc(capacity_reservations::Column::ConfirmBy)
        .order_by_asc(capacity_reservations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(ReservationRow {
                id: r.id,
                supplier: names.suppliers.get(&r.supplier_id)?.clone(),
                sku: names.materials.get(&r.material_id)?.sku.clone(),
                quantity: r.quantity,
                window_start: r.window_start,
                window_end: r.window_end,
                confirm_by: r.confirm_by,
                fee_minor: r.fee_minor,
                status: r.status.to_string(),
            })
        })
        .collect();
    let allocations = super::allocations(db, shop_id)
        .await?
        .into_iter()
        .map(|a| AllocationRow {
            sku: a.material,
            node: a.node,
            channel: a.channel,
            quantity: a.quantity,
            share: a.share,
            kept: a.kept,
            on_hand: a.on_hand,
        })
        .collect();
    Ok(SupplyView {
        suppliers,
        inbound,
        reservations,
        allocations,
        nodes: node_choices(db, shop_id).await?,
        lead_times: super::lead_time_rows(db, shop_id, today).await?,
        paces: super::paces::pace_rows(db, shop_id, today).await?,
        promises: promises_of(db, shop_id).await?,
    })
}

async fn promises_of(db: &impl ConnectionTrait, shop_id: i64) -> Result<PromiseSettings, StoreError> {
    let shop = shops::Entity::find_by_id(shop_id)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("shop {shop_id}")))?;
    Ok(super::promise_settings(&shop))
}

/// Raises a draft purchase order on the supplier's terms (minimum, pack size). A draft
/// does not count for quotes until it is confirmed, so its change leaves quotes as they
/// were and the state version stays.
pub async fn create_purchase_order(
    mut w: ShopWrite,
    order: &NewPurchaseOrder,
    today: NaiveDate,
) -> Result<InboundRow, WriteError> {
    let row = draft_purchase_order(&mut w, order, today).await?;
    w.commit().await?;
    Ok(row)
}

/// [`create_purchase_order`] inside a unit of work the caller commits (an accepted
/// suggestion drafts its purchase order in the unit that records the decision).
pub(crate) async fn draft_purchase_order(
    w: &mut ShopWrite,
    order: &NewPurchaseOrder,
    today: NaiveDate,
) -> Result<InboundRow, WriteError> {
    let shop_id = w.shop();
    let txn = &*w;
    let supplier = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .filter(suppliers::Column::Code.eq(&order.supplier))
        .one(txn)
        .await?
        .ok_or_else(|| invalid("supplier", format!("there is no supplier `{}`", order.supplier)))?;
    if supplier.status != SupplyStatus::Active {
        return Err(invalid("supplier", format!("{} is discontinued", supplier.name)));
    }
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .filter(materials::Column::Sku.eq(&order.sku))
        .one(txn)
        .await?
        .ok_or_else(|| invalid("sku", format!("there is no material `{}`", order.sku)))?;
    let offer = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(supplier.id))
        .filter(supplier_materials::Column::MaterialId.eq(material.id))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .one(txn)
        .await?
        .ok_or_else(|| {
            invalid(
                "sku",
                format!("{} does not supply {}", supplier.name, material.sku),
            )
        })?;
    let node = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .filter(nodes::Column::Code.eq(&order.node))
        .one(txn)
        .await?
        .ok_or_else(|| invalid("node", format!("there is no node `{}`", order.node)))?;
    check_quantity(order.quantity, &offer, &supplier, &material)?;
    if order.eta < today {
        return Err(invalid(
            "eta",
            format!("cannot be in the past (today is {today})"),
        ));
    }
    let reference = order.reference.trim();
    if reference.chars().count() > 64 {
        return Err(invalid("reference", "must be at most 64 characters"));
    }
    if !reference.is_empty() && reference_taken(txn, shop_id, reference, None).await? {
        return Err(invalid(
            "reference",
            format!("{reference} is already used by another purchase order or transfer"),
        ));
    }
    let mut line = inbound::ActiveModel {
        shop_id: Set(shop_id),
        material_id: Set(material.id),
        node_id: Set(node.id),
        kind: Set(InboundKind::Purchase),
        supplier_id: Set(Some(supplier.id)),
        from_node_id: Set(None),
        quantity: Set(order.quantity),
        eta: Set(order.eta),
        status: Set(InboundStatus::Draft),
        reference: Set(reference.to_string()),
        created_at: Set(w.now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if reference.is_empty() {
        line = name_after_id(txn, shop_id, line).await?;
    }
    let row = inbound_row(line, &material, Some(&supplier.code), None, &node.code);
    w.record(
        Change::new("inbound.create", "inbound", row.id.to_string())
            .after(json!(row))
            .leaves_quotes(),
    )
    .await?;
    Ok(row)
}

/// Confirms, receives or cancels inbound line `id`. Receiving puts the units on hand at
/// the destination and turns the orders' reservations of the line into reservations of
/// that stock, so promised units stay promised. Returns the line and, when quotes are
/// affected (anything but cancelling a draft), the new state version.
pub async fn act_on_inbound(
    mut w: ShopWrite,
    id: i64,
    action: InboundAction,
) -> Result<(InboundRow, Option<i64>), WriteError> {
    let shop_id = w.shop();
    // The day it is ordered and the day it arrives make a receipt, which the
    // supplier's learned lead time is estimated from (`store::lead_times`).
    let today = w.now().date_naive();
    let dated = match action {
        InboundAction::Confirm => Some(inbound::Column::OrderedOn),
        InboundAction::Receive => Some(inbound::Column::ReceivedOn),
        InboundAction::Cancel => None,
    };
    // The status moves first, conditional on where it starts, so two concurrent
    // receipts cannot both add stock.
    let from = move_status(&w, starting_statuses(action), |status| {
        let update = inbound::Entity::update_many()
            .col_expr(inbound::Column::Status, Expr::value(target_status(action)));
        let update = match dated {
            Some(column) => update.col_expr(column, Expr::value(today)),
            None => update,
        };
        update
            .filter(inbound::Column::Id.eq(id))
            .filter(inbound::Column::ShopId.eq(shop_id))
            .filter(inbound::Column::Status.eq(status))
    })
    .await?;
    let line = inbound::Entity::find_by_id(id)
        .filter(inbound::Column::ShopId.eq(shop_id))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no purchase order or transfer #{id} in this shop")))?;
    let Some(from) = from else {
        return Err(refusal(&line, action));
    };
    let promised: Vec<order_reservations::Model> = order_reservations::Entity::find()
        .filter(order_reservations::Column::InboundId.eq(id))
        .all(&w)
        .await?;
    let promised: i64 = promised.iter().map(|r| r.quantity).sum();
    let mut before = json!({"reference": line.reference, "status": from});
    let mut after = json!({"reference": line.reference, "status": line.status});
    match action {
        InboundAction::Confirm if line.kind == InboundKind::Transfer => {
            let (was, now) = super::commitments::dispatch(&w, &line).await?;
            before["sender"] = was;
            after["sender"] = now;
        }
        InboundAction::Confirm => {}
        InboundAction::Receive => {
            let (was, now) = receive(&w, &line, promised).await?;
            before["stock"] = was;
            after["stock"] = now;
            after["reservations_moved_to_stock"] = json!(promised);
        }
        InboundAction::Cancel if promised > 0 => {
            return Err(invalid(
                "status",
                format!(
                    "{} cannot be cancelled: {promised} of its units are promised to orders",
                    line.reference
                ),
            ));
        }
        InboundAction::Cancel => {
            if from == InboundStatus::Confirmed && line.kind == InboundKind::Transfer {
                super::commitments::call_back(&w, &line).await?;
                after["returned_to_sender"] = json!(line.quantity);
            }
        }
    }
    let verb = match action {
        InboundAction::Confirm => "inbound.confirm",
        InboundAction::Receive => "inbound.receive",
        InboundAction::Cancel => "inbound.cancel",
    };
    // Only confirmed lines feed quotes, so cancelling a draft changes none.
    let feeds_quotes = from == InboundStatus::Confirmed || action == InboundAction::Confirm;
    let change = Change::new(verb, "inbound", id.to_string())
        .before(Some(before))
        .after(after)
        .leaves_quotes_if(!feeds_quotes);
    w.record(change).await?;
    let row = row_of_line(&w, line).await?;
    let done = w.commit().await?;
    Ok((row, done.new_version().map(|v| v.get())))
}

fn check_quantity(
    quantity: i64,
    offer: &supplier_materials::Model,
    supplier: &suppliers::Model,
    material: &materials::Model,
) -> Result<(), WriteError> {
    let unit = &material.unit;
    if quantity <= 0 {
        return Err(invalid("quantity", "must be at least 1"));
    }
    if quantity < offer.moq {
        return Err(invalid(
            "quantity",
            format!(
                "{} sells {} from {} {unit}; {quantity} is below that minimum",
                supplier.name, material.sku, offer.moq
            ),
        ));
    }
    let pack = std::cmp::max(offer.pack_size, 1);
    if quantity % pack != 0 {
        let lower = quantity / pack * pack;
        return Err(invalid(
            "quantity",
            format!(
                "must be a whole number of packs of {pack} {unit}: {} or {} rather than {quantity}",
                std::cmp::max(lower, offer.moq),
                lower + pack
            ),
        ));
    }
    Ok(())
}

/// Whether another line of the shop (other than `except`) has `reference`.
async fn reference_taken(
    db: &impl ConnectionTrait,
    shop_id: i64,
    reference: &str,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    let mut query = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Reference.eq(reference));
    if let Some(id) = except {
        query = query.filter(inbound::Column::Id.ne(id));
    }
    Ok(query.one(db).await?.is_some())
}

/// Gives a line without a reference `PO-<id>`, or `PO-<id>-2`, … if a merchant already
/// typed that one.
pub(super) async fn name_after_id(
    txn: &impl ConnectionTrait,
    shop_id: i64,
    line: inbound::Model,
) -> Result<inbound::Model, WriteError> {
    let mut reference = format!("PO-{}", line.id);
    let mut attempt = 1;
    while reference_taken(txn, shop_id, &reference, Some(line.id)).await? {
        attempt += 1;
        reference = format!("PO-{}-{attempt}", line.id);
    }
    let mut active: inbound::ActiveModel = line.into();
    active.reference = Set(reference);
    Ok(active.update(txn).await?)
}

/// The statuses `action` may start from, the usual first.
fn starting_statuses(action: InboundAction) -> &'static [InboundStatus] {
    match action {
        InboundAction::Confirm => &[InboundStatus::Draft],
        InboundAction::Receive => &[InboundStatus::Confirmed],
        InboundAction::Cancel => &[InboundStatus::Confirmed, InboundStatus::Draft],
    }
}

/// The status `action` moves a line to.
fn target_status(action: InboundAction) -> InboundStatus {
    match action {
        InboundAction::Confirm => InboundStatus::Confirmed,
        InboundAction::Receive => InboundStatus::Received,
        InboundAction::Cancel => InboundStatus::Cancelled,
    }
}

/// Why `action` cannot happen to `line` in its current status.
fn refusal(line: &inbound::Model, action: InboundAction) -> WriteError {
    let reference = &line.reference;
    let status = line.status;
    let target = target_status(action);
    let detail = if status == target {
        format!("{reference} is already {status}")
    } else if status == InboundStatus::Draft {
        format!("{reference} is a draft; confirm it before it can be {target}")
    } else {
        format!("{reference} is {status}; it can no longer be {target}")
    };
    invalid("status", detail)
}

/// Adds a received line to the destination's stock, with its orders' reservations
/// moved from the line onto that stock; returns the stock before and after.
async fn receive(
    txn: &impl ConnectionTrait,
    line: &inbound::Model,
    promised: i64,
) -> Result<(serde_json::Value, serde_json::Value), WriteError> {
    let level = |on_hand: i64, reserved: i64| json!({"on_hand": on_hand, "reserved": reserved});
    let row = stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(line.material_id))
        .filter(stock::Column::NodeId.eq(line.node_id))
        .one(txn)
        .await?;
    let (was, now) = match row {
        Some(row) => {
            // Added in SQL rather than written as read, so a concurrent count or
            // reservation of the same stock is not lost.
            stock::Entity::update_many()
                .col_expr(
                    stock::Column::OnHand,
                    Expr::col(stock::Column::OnHand).add(line.quantity),
                )
                .col_expr(
                    stock::Column::Reserved,
                    Expr::col(stock::Column::Reserved).add(promised),
                )
                .filter(stock::Column::Id.eq(row.id))
                .exec(txn)
                .await?;
            let now = stock::Entity::find_by_id(row.id).one(txn).await?;
            let now = now.map_or((0, 0), |n| (n.on_hand, n.reserved));
            (level(row.on_hand, row.reserved), level(now.0, now.1))
        }
        None => {
            stock::ActiveModel {
                material_id: Set(line.material_id),
                node_id: Set(line.node_id),
                on_hand: Set(line.quantity),
                reserved: Set(promised),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (level(0, 0), level(line.quantity, promised))
        }
    };
    order_reservations::Entity::update_many()
        .col_expr(order_reservations::Column::InboundId, Expr::value(None::<i64>))
        .col_expr(
            order_reservations::Column::Source,
            Expr::value(ReservationSource::Stock.as_str()),
        )
        .filter(order_reservations::Column::InboundId.eq(line.id))
        .exec(txn)
        .await?;
    Ok((was, now))
}

/// The wire row of one line, reading the names it refers to.
async fn row_of_line(db: &impl ConnectionTrait, line: inbound::Model) -> Result<InboundRow, StoreError> {
    // The foreign key restricts deleting a material that inbound lines refer to.
    let material = materials::Entity::find_by_id(line.material_id)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("material {}", line.material_id)))?;
    let supplier = match line.supplier_id {
        Some(id) => suppliers::Entity::find_by_id(id).one(db).await?.map(|s| s.code),
        None => None,
    };
    let node = node_code(db, line.node_id).await?.unwrap_or_default();
    let from_node = match line.from_node_id {
        Some(id) => node_code(db, id).await?,
        None => None,
    };
    Ok(inbound_row(
        line,
        &material,
        supplier.as_deref(),
        from_node.as_deref(),
        &node,
    ))
}

async fn node_code(db: &impl ConnectionTrait, id: i64) -> Result<Option<String>, StoreError> {
    Ok(nodes::Entity::find_by_id(id).one(db).await?.map(|n| n.code))
}

/// How and when a purchase order went to its supplier and came back confirmed.
fn sent_in_words(line: &inbound::Model) -> Option<String> {
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let sent = match (&line.sent_via, line.sent_at) {
        (Some(via), Some(when)) => Some(format!("sent by {via} {}", at(when))),
        _ => None,
    };
    let confirmed = line
        .supplier_confirmed_at
        .map(|_| match &line.supplier_reference {
            Some(theirs) => format!("confirmed by the supplier as {theirs}"),
            None => "confirmed by the supplier".to_string(),
        });
    match (sent, confirmed) {
        (Some(s), Some(c)) => Some(format!("{s} · {c}")),
        (s, c) => s.or(c),
    }
}

pub(super) fn inbound_row(
    line: inbound::Model,
    material: &materials::Model,
    supplier: Option<&str>,
    from_node: Option<&str>,
    node: &str,
) -> InboundRow {
    let sent = sent_in_words(&line);
    InboundRow {
        sent,
        id: line.id,
        reference: line.reference,
        kind: line.kind.to_string(),
        sku: material.sku.clone(),
        material: material.name.clone(),
        unit: material.unit.clone(),
        supplier: supplier.map(str::to_string),
        from_node: from_node.map(str::to_string),
        node: node.to_string(),
        quantity: line.quantity,
        eta: line.eta,
        status: line.status.to_string(),
    }
}

/// The shop's materials, supplier codes and node codes by id, for building many rows.
/// The shop's materials, supplier codes and node codes by id, for rows that name them.
pub(super) struct Names {
    pub(super) materials: HashMap<i64, materials::Model>,
    pub(super) suppliers: HashMap<i64, String>,
    nodes: HashMap<i64, String>,
}

impl Names {
    /// Reads them for `shop_id`.
    pub(super) async fn load(db: &impl ConnectionTrait, shop_id: i64) -> Result<Self, StoreError> {
        let materials = materials::Entity::find()
            .filter(materials::Column::ShopId.eq(shop_id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let suppliers = suppliers::Entity::find()
            .filter(suppliers::Column::ShopId.eq(shop_id))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.code))
            .collect();
        let nodes = nodes::Entity::find()
            .filter(nodes::Column::ShopId.eq(shop_id))
            .all(db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.code))
            .collect();
        Ok(Names {
            materials,
            suppliers,
            nodes,
        })
    }

    fn inbound_row(&self, line: inbound::Model) -> Option<InboundRow> {
        let material = self.materials.get(&line.material_id)?;
        let supplier = line.supplier_id.and_then(|id| self.suppliers.get(&id)).cloned();
        let from_node = line.from_node_id.and_then(|id| self.nodes.get(&id)).cloned();
        let node = self.nodes.get(&line.node_id)?.clone();
        Some(inbound_row(
            line,
            material,
            supplier.as_deref(),
            from_node.as_deref(),
            &node,
        ))
    }
}
