//! Supply the merchant commits to besides purchase orders: transfers between the shop's
//! own nodes, and capacity reservations with suppliers. A transfer's units leave the
//! sending node when it is confirmed (they are on the road, counted as inbound at the
//! destination, never twice) and come back if a confirmed transfer is cancelled; a
//! reservation feeds quotes once the supplier confirms it.

use chrono::{NaiveDate, NaiveTime};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::service::WriteError;
use crate::service::{invalid, move_status};
use crate::store::StoreError;
use crate::store::entities::{
    InboundKind, InboundStatus, ReservationStatus, SupplyStatus, capacity_reservations, inbound, materials,
    nodes, stock, supplier_materials, suppliers, transfer_lanes,
};
use crate::store::unit::{Change, ShopWrite};
use app::model::admin::{InboundRow, NewReservation, NewTransfer, ReservationAction};

/// Drafts a transfer of `sku` from one node to another along a transfer lane; its ETA
/// is today plus the lane's lead time. A draft does not count for quotes until it is
/// confirmed, so the state version stays.
pub async fn create_transfer(
    mut w: ShopWrite,
    transfer: &NewTransfer,
    today: NaiveDate,
) -> Result<InboundRow, WriteError> {
    let row = draft_transfer(&mut w, transfer, today).await?;
    w.commit().await?;
    Ok(row)
}

/// [`create_transfer`] inside a unit of work the caller commits (an accepted
/// suggestion drafts its transfer in the unit that records the decision).
pub(crate) async fn draft_transfer(
    w: &mut ShopWrite,
    transfer: &NewTransfer,
    today: NaiveDate,
) -> Result<InboundRow, WriteError> {
    let reference = transfer.reference.trim();
    if reference.chars().count() > 64 {
        return Err(invalid("reference", "must be at most 64 characters"));
    }
    if transfer.quantity <= 0 {
        return Err(invalid("quantity", "must be at least 1"));
    }
    if transfer.from_node == transfer.to_node {
        return Err(invalid("to_node", "must differ from the sending node"));
    }
    let shop_id = w.shop();
    let material = material(&*w, shop_id, &transfer.sku).await?;
    let from = node(&*w, shop_id, &transfer.from_node, "from_node").await?;
    let to = node(&*w, shop_id, &transfer.to_node, "to_node").await?;
    let lane = transfer_lanes::Entity::find()
        .filter(transfer_lanes::Column::FromNodeId.eq(from.id))
        .filter(transfer_lanes::Column::ToNodeId.eq(to.id))
        .one(&*w)
        .await?
        .ok_or_else(|| {
            invalid(
                "to_node",
                format!("there is no transfer lane from {} to {}", from.code, to.code),
            )
        })?;
    let free = free_stock(&*w, material.id, from.id).await?;
    if transfer.quantity > free {
        return Err(invalid(
            "quantity",
            format!(
                "{} has {free} {} of {} free (on hand, not promised to orders)",
                from.code, material.unit, material.sku
            ),
        ));
    }
    let eta = today + chrono::Days::new(u64::try_from(lane.lead_time_days).unwrap_or(0));
    let line = inbound::ActiveModel {
        shop_id: Set(shop_id),
        material_id: Set(material.id),
        node_id: Set(to.id),
        kind: Set(InboundKind::Transfer),
        supplier_id: Set(None),
        from_node_id: Set(Some(from.id)),
        quantity: Set(transfer.quantity),
        eta: Set(eta),
        status: Set(InboundStatus::Draft),
        reference: Set(reference.to_string()),
        created_at: Set(w.now()),
        ..Default::default()
    }
    .insert(&*w)
    .await?;
    let line = if reference.is_empty() {
        let mut active: inbound::ActiveModel = line.into();
        active.reference = Set(format!("TR-{}", active.id.clone().unwrap()));
        active.update(&*w).await?
    } else {
        line
    };
    let after = json!({"reference": line.reference, "sku": material.sku, "from": from.code, "to": to.code,
        "quantity": line.quantity, "eta": eta, "status": line.status});
    w.record(
        Change::new("inbound.create", "inbound", line.id.to_string())
            .after(after)
            .leaves_quotes(),
    )
    .await?;
    let row = InboundRow {
        id: line.id,
        reference: line.reference,
        kind: line.kind.to_string(),
        sku: material.sku,
        material: material.name,
        unit: material.unit,
        supplier: None,
        from_node: Some(from.code),
        node: to.code,
        quantity: line.quantity,
        eta,
        status: line.status.to_string(),
        sent: None,
    };
    Ok(row)
}

/// Takes a confirmed transfer's units off its sending node, if they are still free.
/// Returns the sending node's stock before and after.
pub(super) async fn dispatch(
    txn: &impl ConnectionTrait,
    line: &inbound::Model,
) -> Result<(serde_json::Value, serde_json::Value), WriteError> {
    let Some(from) = line.from_node_id else {
        return Ok((json!(null), json!(null)));
    };
    // Conditional in SQL, so a concurrent order or count cannot make it negative.
    let taken = stock::Entity::update_many()
        .col_expr(
            stock::Column::OnHand,
            Expr::col(stock::Column::OnHand).sub(line.quantity),
        )
        .filter(stock::Column::MaterialId.eq(line.material_id))
        .filter(stock::Column::NodeId.eq(from))
        .filter(
            Expr::col(stock::Column::OnHand)
                .sub(Expr::col(stock::Column::Reserved))
                .gte(line.quantity),
        )
        .exec(txn)
        .await?;
    let free = free_stock(txn, line.material_id, from).await?;
    if taken.rows_affected == 0 {
        return Err(invalid(
            "status",
            format!(
                "{} cannot be confirmed: its sending node has only {free} units free",
                line.reference
            ),
        ));
    }
    Ok((
        json!({"free_at_sender": free + line.quantity}),
        json!({"free_at_sender": free}),
    ))
}

/// Puts a cancelled confirmed transfer's units back on its sending node.
pub(super) async fn call_back(txn: &impl ConnectionTrait, line: &inbound::Model) -> Result<(), WriteError> {
    if let Some(from) = line.from_node_id {
        stock::Entity::update_many()
            .col_expr(
                stock::Column::OnHand,
                Expr::col(stock::Column::OnHand).add(line.quantity),
            )
            .filter(stock::Column::MaterialId.eq(line.material_id))
            .filter(stock::Column::NodeId.eq(from))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Requests capacity from a supplier; it feeds quotes once confirmed, so the request
/// leaves the state version as it was.
pub async fn create_reservation(
    mut w: ShopWrite,
    reservation: &NewReservation,
    today: NaiveDate,
) -> Result<i64, WriteError> {
    let r = reservation;
    if r.quantity <= 0 {
        return Err(invalid("quantity", "must be at least 1"));
    }
    if r.fee_minor < 0 {
        return Err(invalid("fee", "cannot be negative"));
    }
    if r.window_start < today {
        return Err(invalid("window_start", "cannot be in the past"));
    }
    if r.window_end < r.window_start {
        return Err(invalid("window_end", "cannot be before the window starts"));
    }
    if r.confirm_by.is_some_and(|by| by < today || by > r.window_start) {
        return Err(invalid(
            "confirm_by",
            "must be between today and the start of the window",
        ));
    }
    let shop_id = w.shop();
    let supplier = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .filter(suppliers::Column::Code.eq(r.supplier.trim()))
        .one(&w)
        .await?
        .ok_or_else(|| {
            invalid(
                "supplier",
                format!("no supplier `{}` in this shop", r.supplier.trim()),
            )
        })?;
    let material = material(&w, shop_id, &r.sku).await?;
    supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(supplier.id))
        .filter(supplier_materials::Column::MaterialId.eq(material.id))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .one(&w)
        .await?
        .ok_or_else(|| {
            invalid(
                "sku",
                format!("{} does not supply {}", supplier.code, material.sku),
            )
        })?;
    let end_of = |day: NaiveDate| {
        day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default())
            .and_utc()
    };
    let confirm_by = match r.confirm_by {
        Some(day) => end_of(day),
        None => std::cmp::min(w.now() + super::CONFIRM_WITHIN, end_of(r.window_start)),
    };
    let row = capacity_reservations::ActiveModel {
        shop_id: Set(shop_id),
        supplier_id: Set(supplier.id),
        material_id: Set(material.id),
        quantity: Set(r.quantity),
        window_start: Set(r.window_start),
        window_end: Set(r.window_end),
        confirm_by: Set(confirm_by),
        fee_minor: Set(r.fee_minor),
        status: Set(ReservationStatus::Requested),
        created_at: Set(w.now()),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    let after = json!({"supplier": supplier.code, "sku": material.sku, "quantity": r.quantity,
        "window": [r.window_start, r.window_end], "confirm_by": confirm_by, "fee_minor": r.fee_minor,
        "status": row.status});
    w.record(
        Change::new("reservation.create", "capacity_reservation", row.id.to_string())
            .after(after)
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(row.id)
}

/// Confirms or releases reservation `id`; returns the new state version when quotes
/// depend on the change (anything that touches a confirmed reservation).
pub async fn act_on_reservation(
    mut w: ShopWrite,
    id: i64,
    action: ReservationAction,
) -> Result<Option<i64>, WriteError> {
    use ReservationStatus::{Confirmed, Released, Requested};
    let (from, to): (&[ReservationStatus], ReservationStatus) = match action {
        ReservationAction::Confirm => (&[Requested], Confirmed),
        ReservationAction::Release => (&[Confirmed, Requested], Released),
    };
    let shop_id = w.shop();
    let now = w.now();
    if action == ReservationAction::Confirm
        && let Some(late) = capacity_reservations::Entity::find_by_id(id)
            .filter(capacity_reservations::Column::ShopId.eq(shop_id))
            .filter(capacity_reservations::Column::Status.eq(Requested))
            .filter(capacity_reservations::Column::ConfirmBy.lt(now))
            .one(&w)
            .await?
    {
        return Err(invalid(
            "status",
            format!(
                "reservation #{id} had to be confirmed by {}; it has expired",
                late.confirm_by.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    let moved_from = move_status(&w, from, |status| {
        capacity_reservations::Entity::update_many()
            .col_expr(capacity_reservations::Column::Status, Expr::value(to))
            .filter(capacity_reservations::Column::Id.eq(id))
            .filter(capacity_reservations::Column::ShopId.eq(shop_id))
            .filter(capacity_reservations::Column::Status.eq(status))
    })
    .await?;
    let row = capacity_reservations::Entity::find_by_id(id)
        .filter(capacity_reservations::Column::ShopId.eq(shop_id))
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no capacity reservation #{id} in this shop")))?;
    let Some(was) = moved_from else {
        return Err(invalid(
            "status",
            format!("reservation #{id} is {}; it cannot be {to}", row.status),
        ));
    };
    let verb = match action {
        ReservationAction::Confirm => "reservation.confirm",
        ReservationAction::Release => "reservation.release",
    };
    // Only confirmed reservations feed quotes, so releasing a requested one changes none.
    let feeds_quotes = was == Confirmed || to == Confirmed;
    let change = Change::new(verb, "capacity_reservation", id.to_string())
        .before(Some(json!({"status": was})))
        .after(json!({"status": to}))
        .leaves_quotes_if(!feeds_quotes);
    w.record(change).await?;
    let done = w.commit().await?;
    Ok(done.new_version().map(|v| v.get()))
}

async fn material(
    db: &impl ConnectionTrait,
    shop_id: i64,
    sku: &str,
) -> Result<materials::Model, WriteError> {
    materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .filter(materials::Column::Sku.eq(sku.trim()))
        .one(db)
        .await?
        .ok_or_else(|| invalid("sku", format!("no material `{}` in this shop", sku.trim())))
}

async fn node(
    db: &impl ConnectionTrait,
    shop_id: i64,
    code: &str,
    field: &'static str,
) -> Result<nodes::Model, WriteError> {
    nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .filter(nodes::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| invalid(field, format!("no node `{code}` in this shop")))
}

/// On hand minus promised, at one node (0 without a stock row).
async fn free_stock(db: &impl ConnectionTrait, material_id: i64, node_id: i64) -> Result<i64, StoreError> {
    Ok(stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material_id))
        .filter(stock::Column::NodeId.eq(node_id))
        .one(db)
        .await?
        .map_or(0, |s| s.on_hand - s.reserved))
}
