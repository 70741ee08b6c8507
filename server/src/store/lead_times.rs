//! Suppliers' lead times as their receipts show them: every received purchase order
//! with a supplier is a receipt (`received_on - ordered_on` days), and each offer's
//! lead time is learned from its supplier's receipts, read against what each offer
//! declared, with the declared figures as the prior and the orders still open counted
//! as at least what they have waited (`engine::learn::learn_supplier`). Computed when read, never stored: the quote state, the admin and
//! the API read the same figures, and nothing derived can go stale.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use engine::learn::{LeadTime, Learned, Learning, Offer, Receipt, Waiting, learn_supplier};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::StoreError;
use super::entities::{InboundKind, InboundStatus, inbound, materials, supplier_materials};

/// The most recent receipts an estimate reads per offer: older ones weigh under 2⁻⁵
/// of a new one at the default half-life, and a page of the admin shows them all.
pub const RECEIPTS_READ: usize = 200;

/// One received purchase order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptRow {
    /// The inbound line.
    pub inbound_id: i64,
    /// Its reference (`PO-1042`).
    pub reference: String,
    /// When it was ordered.
    pub ordered_on: NaiveDate,
    /// When it arrived.
    pub received_on: NaiveDate,
    /// Days between the two.
    pub days: i64,
}

/// One offer's declared and learned lead time, with the receipts behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferRecord {
    /// The offer (`supplier_materials.id`).
    pub offer_id: i64,
    /// Its supplier.
    pub supplier_id: i64,
    /// Its material.
    pub material_id: i64,
    /// What the supplier declared.
    pub declared: LeadTime,
    /// What declared and received together suggest.
    pub learned: Learned,
    /// Its receipts, newest first.
    pub receipts: Vec<ReceiptRow>,
}

/// Every offer of shop `shop_id` with its receipts and learned lead time as of `today`,
/// keyed by `(supplier_id, material_id)`.
pub async fn records(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<HashMap<(i64, i64), OfferRecord>, StoreError> {
    let shop_materials: Vec<i64> = materials::Entity::find()
        .select_only()
        .column(materials::Column::Id)
        .filter(materials::Column::ShopId.eq(shop_id))
        .into_tuple()
        .all(db)
        .await?;
    let offers = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.is_in(shop_materials))
        .order_by_asc(supplier_materials::Column::Id)
        .all(db)
        .await?;
    let received = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Kind.eq(InboundKind::Purchase))
        .filter(inbound::Column::Status.eq(InboundStatus::Received))
        .filter(inbound::Column::SupplierId.is_not_null())
        .filter(inbound::Column::ReceivedOn.is_not_null())
        .order_by_desc(inbound::Column::ReceivedOn)
        .order_by_desc(inbound::Column::Id)
        .all(db)
        .await?;
    // Orders confirmed and not yet in: each has waited at least this long, which the
    // receipts alone (the quick ones arrive first) would leave out.
    let open = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Kind.eq(InboundKind::Purchase))
        .filter(inbound::Column::Status.eq(InboundStatus::Confirmed))
        .filter(inbound::Column::SupplierId.is_not_null())
        .filter(inbound::Column::OrderedOn.is_not_null())
        .all(db)
        .await?;
    let mut waiting: HashMap<(i64, i64), Vec<Waiting>> = HashMap::new();
    for line in open {
        if let (Some(supplier), Some(ordered_on)) = (line.supplier_id, line.ordered_on) {
            waiting
                .entry((supplier, line.material_id))
                .or_default()
                .push(Waiting {
                    waited_days: (today - ordered_on).num_days().max(0) as f64,
                });
        }
    }
    let mut by_offer: HashMap<(i64, i64), Vec<ReceiptRow>> = HashMap::new();
    for line in received {
        let (Some(supplier), Some(received_on)) = (line.supplier_id, line.received_on) else {
            continue;
        };
        let ordered_on = line.ordered_on.unwrap_or_else(|| line.created_at.date_naive());
        let rows = by_offer.entry((supplier, line.material_id)).or_default();
        if rows.len() < RECEIPTS_READ {
            rows.push(ReceiptRow {
                inbound_id: line.id,
                reference: line.reference,
                ordered_on,
                received_on,
                days: (received_on - ordered_on).num_days().max(0),
            });
        }
    }
    // Offers are learned supplier by supplier (`engine::learn::learn_supplier`).
    type Read = (supplier_materials::Model, Vec<ReceiptRow>, Vec<Waiting>);
    let mut by_supplier: BTreeMap<i64, Vec<Read>> = BTreeMap::new();
    for o in offers {
        let key = (o.supplier_id, o.material_id);
        let receipts = by_offer.remove(&key).unwrap_or_default();
        let open = waiting.remove(&key).unwrap_or_default();
        by_supplier
            .entry(o.supplier_id)
            .or_default()
            .push((o, receipts, open));
    }
    let mut records = HashMap::new();
    for offers in by_supplier.into_values() {
        let declared: Vec<LeadTime> = offers
            .iter()
            .map(|(o, _, _)| LeadTime {
                mean_days: o.lead_time_mean_days,
                sd_days: o.lead_time_sd_days,
            })
            .collect();
        let observed: Vec<Vec<Receipt>> = offers
            .iter()
            .map(|(_, receipts, _)| {
                receipts
                    .iter()
                    .map(|r| Receipt {
                        lead_time_days: r.days as f64,
                        age_days: (today - r.received_on).num_days().max(0) as f64,
                    })
                    .collect()
            })
            .collect();
        let inputs: Vec<Offer<'_>> = declared
            .iter()
            .zip(&observed)
            .zip(&offers)
            .map(|((d, r), (_, _, open))| Offer {
                declared: *d,
                receipts: r.as_slice(),
                waiting: open.as_slice(),
            })
            .collect();
        let learned = learn_supplier(&inputs, Learning::default());
        for (((o, receipts, _), declared), learned) in offers.into_iter().zip(declared).zip(learned) {
            let key = (o.supplier_id, o.material_id);
            records.insert(
                key,
                OfferRecord {
                    offer_id: o.id,
                    supplier_id: o.supplier_id,
                    material_id: o.material_id,
                    declared,
                    learned,
                    receipts,
                },
            );
        }
    }
    Ok(records)
}
