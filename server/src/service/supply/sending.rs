//! Purchase orders to their supplier, and the supplier's confirmation back.
//!
//! Sending a drafted purchase order ([`send_purchase_order`]) records when and how it
//! went: by a signed `purchase_order.sent` event to the supplier's own webhook endpoint
//! (`POST /api/v1/webhooks/endpoints` with `"supplier"`), delivered through the outbox
//! like every event (stored in the same unit of work, retried until taken), or, for a
//! supplier without one, as a CSV file for its portal ([`purchase_order_csv`], one per
//! order). The merchant's own endpoints subscribed to `purchase_order.sent` hear of it
//! too. A draft stays a draft: it counts for quotes once confirmed.
//!
//! The supplier confirms with [`confirm_by_supplier`], signed with its endpoint's
//! secret (the scheme of every c2m webhook): a draft is confirmed at the supplier's date
//! (now it feeds quotes, and the state version moves), with the supplier's reference
//! and the time recorded; a confirmation repeated answers the line as it is.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::InboundAction;
use super::purchasing::act_on_inbound;
use crate::service::webhooks::EventKind;
use crate::service::webhooks::outbox::{endpoints_for, publish_for_supplier};
use crate::service::webhooks::signature;
use crate::service::{WriteError, invalid};
use crate::store::entities::{
    InboundKind, InboundStatus, inbound, materials, nodes, shops, supplier_materials, suppliers,
    webhook_endpoints,
};
use crate::store::{Change, Db, ShopWrite, StoreError};

/// How a purchase order went to its supplier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sent {
    /// The order's id.
    pub id: i64,
    /// Its reference (`PO-1042`).
    pub reference: String,
    /// `webhook`: a signed event to the supplier's endpoint is on its way; `csv`: the
    /// supplier has no endpoint, so the file at `csv` is what to hand its portal.
    pub via: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// The supplier's endpoints the event goes to (0 when sent as a file).
    pub endpoints: usize,
    /// The order as a CSV file (`GET`, secret key).
    pub csv: String,
}

/// The drafted purchase order `id` of the write's shop, with its supplier.
async fn draft_order(
    db: &impl ConnectionTrait,
    shop_id: i64,
    id: i64,
) -> Result<(inbound::Model, suppliers::Model), WriteError> {
    let line = inbound::Entity::find_by_id(id)
        .filter(inbound::Column::ShopId.eq(shop_id))
        .one(db)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no purchase order #{id} in this shop")))?;
    let (InboundKind::Purchase, Some(supplier_id)) = (line.kind, line.supplier_id) else {
        return Err(WriteError::Conflict(format!(
            "{} is a transfer between locations: it is not sent to a supplier",
            line.reference
        )));
    };
    let supplier = suppliers::Entity::find_by_id(supplier_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            WriteError::NotFound(format!("the supplier of {} no longer exists", line.reference))
        })?;
    Ok((line, supplier))
}

/// Sends drafted purchase order `id` to its supplier (again, if it was sent before and
/// not yet confirmed), in `w`'s unit of work; refused for a transfer and for an order
/// that is no longer a draft.
pub async fn send_purchase_order(mut w: ShopWrite, id: i64) -> Result<Sent, WriteError> {
    let (line, supplier) = draft_order(&w, w.shop(), id).await?;
    if line.status != InboundStatus::Draft {
        return Err(WriteError::Conflict(format!(
            "{} is {}: only a draft is sent to the supplier",
            line.reference, line.status
        )));
    }
    let own = endpoints_for(&w, EventKind::PurchaseOrderSent, Some(supplier.id))
        .await?
        .into_iter()
        .filter(|e| e.supplier_id == Some(supplier.id))
        .count();
    let via = if own > 0 { "webhook" } else { "csv" };
    let document = document(&w, w.shop(), &line, &supplier).await?;
    publish_for_supplier(
        &w,
        EventKind::PurchaseOrderSent,
        json!({"purchase_order": document}),
        supplier.id,
    )
    .await?;
    let now = w.now();
    let before = json!({"sent_at": line.sent_at, "sent_via": line.sent_via});
    let reference = line.reference.clone();
    let mut row: inbound::ActiveModel = line.into();
    row.sent_at = Set(Some(now));
    row.sent_via = Set(Some(via.to_string()));
    row.update(&w).await?;
    // A draft feeds no quote; sending it changes none.
    w.record(
        Change::new("purchase_order.send", "inbound", id.to_string())
            .before(Some(before))
            .after(
                json!({"reference": reference, "supplier": supplier.code, "sent_at": now, "sent_via": via,
                          "endpoints": own}),
            )
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(Sent {
        id,
        reference,
        via: via.to_string(),
        sent_at: now,
        endpoints: own,
        csv: format!("/api/v1/purchase-orders/{id}/csv"),
    })
}

/// What a supplier is told of an order: the `data.purchase_order` of the event, and
/// the CSV file's one row.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PurchaseOrderDocument {
    /// The order's reference: what the supplier confirms.
    pub reference: String,
    /// The shop's name.
    pub shop: String,
    /// The supplier's code at the shop.
    pub supplier: String,
    /// The material's SKU at the shop.
    pub sku: String,
    /// The material's name.
    pub material: String,
    /// Its unit.
    pub unit: String,
    /// Units ordered.
    pub quantity: i64,
    /// The supplier's price of one unit, minor units.
    pub unit_price_minor: i64,
    /// `quantity × unit_price_minor`.
    pub total_minor: i64,
    /// The shop's currency.
    pub currency: String,
    /// Where to deliver: the node's code.
    pub ship_to: String,
    /// Its name.
    pub ship_to_name: String,
    /// The day the shop expects it.
    pub requested_eta: NaiveDate,
    /// Where the supplier confirms (signed with its endpoint's secret).
    pub confirm_at: String,
}

async fn document(
    db: &impl ConnectionTrait,
    shop_id: i64,
    line: &inbound::Model,
    supplier: &suppliers::Model,
) -> Result<PurchaseOrderDocument, StoreError> {
    let shop = shops::Entity::find_by_id(shop_id)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("shop {shop_id}")))?;
    let material = materials::Entity::find_by_id(line.material_id)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("material {}", line.material_id)))?;
    let node = nodes::Entity::find_by_id(line.node_id)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("node {}", line.node_id)))?;
    let price = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(supplier.id))
        .filter(supplier_materials::Column::MaterialId.eq(material.id))
        .one(db)
        .await?
        .map_or(material.unit_cost_minor, |o| o.price_minor);
    Ok(PurchaseOrderDocument {
        reference: line.reference.clone(),
        shop: shop.name,
        supplier: supplier.code.clone(),
        sku: material.sku,
        material: material.name,
        unit: material.unit,
        quantity: line.quantity,
        unit_price_minor: price,
        total_minor: price.saturating_mul(line.quantity),
        currency: shop.currency,
        ship_to: node.code,
        ship_to_name: node.name,
        requested_eta: line.eta,
        confirm_at: format!("/api/v1/webhooks/suppliers/{}/confirmations", supplier.code),
    })
}

/// Purchase order `id` of the shop as a CSV file for its supplier's portal: a header
/// row and the order's row (amounts as decimals); with the file's name.
pub async fn purchase_order_csv(
    db: &impl ConnectionTrait,
    shop_id: i64,
    id: i64,
) -> Result<(String, String), WriteError> {
    let (line, supplier) = draft_order(db, shop_id, id).await?;
    let d = document(db, shop_id, &line, &supplier).await?;
    let decimal = |minor: i64| format!("{}.{:02}", minor / 100, (minor % 100).abs());
    let mut file = ::csv::Writer::from_writer(Vec::new());
    let rows = [
        vec![
            "reference",
            "shop",
            "supplier",
            "sku",
            "material",
            "unit",
            "quantity",
            "unit_price",
            "total",
            "currency",
            "ship_to",
            "ship_to_name",
            "requested_eta",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>(),
        vec![
            d.reference.clone(),
            d.shop,
            d.supplier,
            d.sku,
            d.material,
            d.unit,
            d.quantity.to_string(),
            decimal(d.unit_price_minor),
            decimal(d.total_minor),
            d.currency,
            d.ship_to,
            d.ship_to_name,
            d.requested_eta.to_string(),
        ],
    ];
    for row in rows {
        file.write_record(&row)
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    }
    let bytes = file
        .into_inner()
        .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    Ok((
        format!("{}.csv", d.reference),
        String::from_utf8(bytes).unwrap_or_default(),
    ))
}

/// A supplier's confirmation of one of its purchase orders.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierConfirmation {
    /// The order's reference, as the shop sent it (`PO-1042`).
    pub reference: String,
    /// The day the supplier will deliver (today or later).
    pub eta: NaiveDate,
    /// The supplier's own reference (its sales order), at most 64 characters.
    #[serde(default)]
    pub supplier_reference: Option<String>,
}

/// Why a supplier's confirmation was refused; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmationError {
    /// No such shop or supplier, no endpoint of the supplier's, or the signature does
    /// not hold (one answer for all: who exists is not told).
    #[error("{0}")]
    Signature(String),
    /// The confirmation cannot be applied.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<StoreError> for ConfirmationError {
    fn from(e: StoreError) -> Self {
        ConfirmationError::Write(e.into())
    }
}

impl From<sea_orm::DbErr> for ConfirmationError {
    fn from(e: sea_orm::DbErr) -> Self {
        ConfirmationError::Write(StoreError::from(e).into())
    }
}

/// A purchase order as its supplier's confirmation left it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConfirmedOrder {
    /// The inbound line's id.
    pub id: i64,
    /// The shop's reference.
    pub reference: String,
    /// `confirmed`.
    pub status: String,
    /// The day it is expected.
    pub eta: NaiveDate,
    /// The supplier's reference.
    pub supplier_reference: Option<String>,
    /// When the supplier confirmed it.
    pub supplier_confirmed_at: Option<DateTime<Utc>>,
}

/// Who the audit log says confirmed: `supplier:<code>`.
pub fn supplier_actor(code: &str) -> String {
    format!("supplier:{code}")
}

/// Checks that `body` is signed (`signature`, the `C2M-Signature` header) by supplier
/// `code` of shop `shop` with one of its active endpoints' secrets, then applies it.
/// Answers the order's line.
pub async fn confirm_by_supplier(
    db: &Db,
    shop: Option<&str>,
    code: &str,
    signature_header: Option<&str>,
    body: &[u8],
) -> Result<ConfirmedOrder, ConfirmationError> {
    let refused = || ConfirmationError::Signature(signature::SignatureError::Mismatch.to_string());
    let shop = shops::Entity::find()
        .filter(shops::Column::Slug.eq(shop.ok_or_else(|| {
            ConfirmationError::Signature("name the shop in the `C2M-Shop` header (its slug)".into())
        })?))
        .one(db)
        .await?
        .ok_or_else(refused)?;
    let supplier = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop.id))
        .filter(suppliers::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(refused)?;
    let secrets: Vec<String> = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::ShopId.eq(shop.id))
        .filter(webhook_endpoints::Column::SupplierId.eq(supplier.id))
        .filter(webhook_endpoints::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.secret)
        .collect();
    let now = db.now();
    let mut last = signature::SignatureError::Mismatch;
    let mut verified = false;
    for secret in &secrets {
        match signature::verify(secret, signature_header, body, now) {
            Ok(_) => {
                verified = true;
                break;
            }
            Err(e) => last = e,
        }
    }
    if !verified {
        return Err(ConfirmationError::Signature(last.to_string()));
    }
    let confirmation: SupplierConfirmation = serde_json::from_slice(body)
        .map_err(|e| ConfirmationError::Write(invalid("body", format!("is not a confirmation: {e}"))))?;
    let w = db.write(shop.id, supplier_actor(code)).await?;
    let tz: chrono_tz::Tz = shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = now.with_timezone(&tz).date_naive();
    let id = apply_confirmation(w, &supplier, &confirmation, today).await?;
    let line = inbound::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("purchase order #{id} is gone")))?;
    Ok(ConfirmedOrder {
        id,
        reference: line.reference,
        status: line.status.to_string(),
        eta: line.eta,
        supplier_reference: line.supplier_reference,
        supplier_confirmed_at: line.supplier_confirmed_at,
    })
}

/// Applies `confirmation` of `supplier` in `w` (the supplier's actor): see
/// [`confirm_by_supplier`].
async fn apply_confirmation(
    mut w: ShopWrite,
    supplier: &suppliers::Model,
    confirmation: &SupplierConfirmation,
    today: NaiveDate,
) -> Result<i64, WriteError> {
    let reference = confirmation.reference.trim();
    let supplier_reference = confirmation
        .supplier_reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if supplier_reference.is_some_and(|r| r.chars().count() > 64) {
        return Err(invalid("supplier_reference", "must be at most 64 characters"));
    }
    if confirmation.eta < today {
        return Err(invalid(
            "eta",
            format!("{} is in the past (today is {today})", confirmation.eta),
        ));
    }
    let line = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(w.shop()))
        .filter(inbound::Column::SupplierId.eq(supplier.id))
        .filter(inbound::Column::Kind.eq(InboundKind::Purchase))
        .filter(inbound::Column::Reference.eq(reference))
        .one(&w)
        .await?
        .ok_or_else(|| {
            WriteError::NotFound(format!("no purchase order `{reference}` from {}", supplier.code))
        })?;
    let id = line.id;
    match line.status {
        InboundStatus::Draft => {
            let before = json!({"eta": line.eta, "supplier_reference": line.supplier_reference});
            let mut row: inbound::ActiveModel = line.clone().into();
            row.eta = Set(confirmation.eta);
            row.supplier_confirmed_at = Set(Some(w.now()));
            row.supplier_reference = Set(supplier_reference.map(str::to_string));
            row.update(&w).await?;
            // Still a draft here: the confirmation below makes it count for quotes.
            w.record(
                Change::new("purchase_order.supplier_confirm", "inbound", id.to_string())
                    .before(Some(before))
                    .after(json!({"reference": line.reference, "eta": confirmation.eta,
                                  "supplier_reference": supplier_reference}))
                    .leaves_quotes(),
            )
            .await?;
            act_on_inbound(w, id, InboundAction::Confirm).await?;
            Ok(id)
        }
        InboundStatus::Confirmed if line.supplier_confirmed_at.is_some() => {
            // A repeat (or a retried delivery): the line as it is, nothing changed.
            if line.eta != confirmation.eta {
                return Err(WriteError::Conflict(format!(
                    "{} was confirmed for {} already; a new date goes through PUT /api/v1/inbound/{id}/eta",
                    line.reference, line.eta
                )));
            }
            Ok(id)
        }
        InboundStatus::Confirmed => Err(WriteError::Conflict(format!(
            "{} was confirmed by the shop before the supplier did; a new date goes through PUT /api/v1/inbound/{id}/eta",
            line.reference
        ))),
        other => Err(WriteError::Conflict(format!(
            "{} is {other}: there is nothing to confirm",
            line.reference
        ))),
    }
}
