//! `suppliers` files: one row per supplier offer, upserting the supplier by its code
//! and the offer by supplier code and SKU. A row with an empty `sku` names a supplier
//! alone (one with no offers yet); the rows of one supplier must agree on its fields.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use super::cells::{days, format_money, money, whole};
use super::read::{Problems, Row};
use crate::service::supply::material_writes::{FieldProblem, check_code, sized};
use crate::store::StoreError;
use crate::store::entities::{SupplyStatus, materials, supplier_materials, suppliers};
use crate::store::unit::{Change, ShopWrite};

/// The columns of an offer, which a supplier-only row leaves empty.
const OFFER_COLUMNS: [&str; 6] = [
    "lead_time_mean_days",
    "lead_time_sd_days",
    "moq",
    "pack_size",
    "price",
    "offer_status",
];

/// A supplier's own fields, as checked.
#[derive(Clone, Debug, PartialEq)]
struct Supplier {
    code: String,
    name: String,
    email: Option<String>,
    status: SupplyStatus,
}

/// An offer's fields, as checked.
#[derive(Clone, Debug, PartialEq)]
struct Offer {
    supplier: String,
    sku: String,
    material_id: i64,
    lead_time_mean_days: f64,
    lead_time_sd_days: f64,
    moq: i64,
    pack_size: i64,
    price_minor: i64,
    status: SupplyStatus,
}

/// Checks every row; when `problems` stays empty, writes the changed suppliers and
/// offers in `w` and returns how many changed.
pub async fn import(w: &mut ShopWrite, rows: &[Row], problems: &mut Problems) -> Result<usize, StoreError> {
    let material_ids: HashMap<String, i64> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(w.shop()))
        .all(&*w)
        .await?
        .into_iter()
        .map(|m| (m.sku, m.id))
        .collect();
    let mut seen: HashMap<String, (u64, Supplier)> = HashMap::new();
    let mut order: Vec<Supplier> = Vec::new();
    let mut offer_lines: HashMap<(String, String), u64> = HashMap::new();
    let mut offers: Vec<Offer> = Vec::new();
    for row in rows {
        let supplier = supplier_of(row, problems);
        let offer = offer_of(row, &material_ids, problems);
        let Some(supplier) = supplier else { continue };
        match seen.get(&supplier.code) {
            Some((first, earlier)) => disagreements(row.line, *first, earlier, &supplier, problems),
            None => {
                seen.insert(supplier.code.clone(), (row.line, supplier.clone()));
                order.push(supplier.clone());
            }
        }
        if let Some(mut offer) = offer.flatten() {
            let key = (supplier.code.clone(), offer.sku.clone());
            if let Some(first) = offer_lines.insert(key, row.line) {
                problems.at(
                    row.line,
                    "sku",
                    format!("{} from {} is already on line {first}", offer.sku, supplier.code),
                );
                continue;
            }
            offer.supplier = supplier.code;
            offers.push(offer);
        }
    }
    if !problems.is_empty() {
        return Ok(0);
    }
    let (ids, mut changed) = put_suppliers(w, &order).await?;
    changed += put_offers(w, &ids, &offers).await?;
    Ok(changed)
}

/// The supplier columns of a row, checked; `None` when one is wrong (recorded).
fn supplier_of(row: &Row, problems: &mut Problems) -> Option<Supplier> {
    let email = match row.get("email") {
        "" => Ok(None),
        email => check_email(email).map(Some),
    };
    let checked = (
        check_code("supplier_code", row.get("supplier_code")),
        sized("supplier_name", row.get("supplier_name"), 200),
        email,
        supply_status("supplier_status", row.get("supplier_status")),
    );
    match checked {
        (Ok(code), Ok(name), Ok(email), Ok(status)) => Some(Supplier {
            code,
            name,
            email,
            status,
        }),
        (code, name, email, status) => {
            let refusals = [code.err(), name.err(), email.err(), status.err()];
            for (column, message) in refusals.into_iter().flatten() {
                problems.at(row.line, column, message);
            }
            None
        }
    }
}

/// The offer columns of a row: `Some(None)` for a supplier-only row, `None` when a
/// cell is wrong (recorded). The offer's supplier is filled in by the caller.
fn offer_of(
    row: &Row,
    material_ids: &HashMap<String, i64>,
    problems: &mut Problems,
) -> Option<Option<Offer>> {
    let sku = row.get("sku");
    if sku.is_empty() {
        let filled: Vec<&str> = OFFER_COLUMNS
            .into_iter()
            .filter(|c| !row.get(c).is_empty())
            .collect();
        for column in &filled {
            problems.at(
                row.line,
                column,
                "belongs to an offer: give the sku of the material it is for",
            );
        }
        return filled.is_empty().then_some(None);
    }
    let material_id = material_ids.get(sku).copied();
    if material_id.is_none() {
        problems.at(
            row.line,
            "sku",
            format!("there is no material “{sku}” in this shop"),
        );
    }
    let mean = days(row, "lead_time_mean_days", problems);
    let sd = days(row, "lead_time_sd_days", problems);
    let moq = at_least_one(row, "moq", problems);
    let pack_size = at_least_one(row, "pack_size", problems);
    let price = money(row, "price", problems).filter(|price| {
        let ok = *price >= 0;
        if !ok {
            problems.at(row.line, "price", "cannot be negative");
        }
        ok
    });
    let status = supply_status("offer_status", row.get("offer_status"))
        .map_err(|(column, message)| problems.at(row.line, column, message))
        .ok();
    Some(Some(Offer {
        supplier: String::new(),
        sku: sku.to_string(),
        material_id: material_id?,
        lead_time_mean_days: mean?,
        lead_time_sd_days: sd?,
        moq: moq?,
        pack_size: pack_size?,
        price_minor: price?,
        status: status?,
    }))
}

/// A `supplier_status` or `offer_status` cell: `active` or `discontinued`, trimmed.
fn supply_status(column: &'static str, value: &str) -> Result<SupplyStatus, FieldProblem> {
    SupplyStatus::parse(value.trim()).ok_or_else(|| {
        let allowed: Vec<&str> = SupplyStatus::iter().map(SupplyStatus::as_str).collect();
        (column, format!("must be one of {}", allowed.join(", ")))
    })
}

fn at_least_one(row: &Row, column: &str, problems: &mut Problems) -> Option<i64> {
    let value = whole(row, column, problems)?;
    if value < 1 {
        problems.at(row.line, column, "must be at least 1");
        return None;
    }
    Some(value)
}

/// An email address: something@domain.tld, no spaces, at most 254 characters.
fn check_email(email: &str) -> Result<String, FieldProblem> {
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.contains('@') && domain.contains('.')
        });
    if valid {
        Ok(email.to_string())
    } else {
        Err((
            "email",
            format!("“{email}” is not an email address like orders@supplier.example"),
        ))
    }
}

/// Each field in which a later row of a supplier differs from its first row.
fn disagreements(line: u64, first: u64, earlier: &Supplier, now: &Supplier, problems: &mut Problems) {
    let fields = [
        ("supplier_name", earlier.name.as_str(), now.name.as_str()),
        ("supplier_status", earlier.status.as_str(), now.status.as_str()),
    ];
    for (column, before, after) in fields {
        if before != after {
            problems.at(
                line,
                column,
                format!("“{after}” differs from “{before}” on line {first} for the same supplier"),
            );
        }
    }
    if earlier.email != now.email {
        problems.at(
            line,
            "email",
            format!("differs from line {first} for the same supplier"),
        );
    }
}

/// Writes the suppliers that changed; returns every supplier's id by code and how many
/// changed.
async fn put_suppliers(
    w: &mut ShopWrite,
    wanted: &[Supplier],
) -> Result<(HashMap<String, i64>, usize), StoreError> {
    let shop_id = w.shop();
    let mut stored: HashMap<String, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .all(&*w)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let mut ids = HashMap::new();
    let mut changed = 0;
    for supplier in wanted {
        let existing = stored.remove(&supplier.code);
        let before = existing.as_ref().map(|s| Supplier {
            code: s.code.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            status: s.status,
        });
        if let (Some(row), Some(before)) = (&existing, &before)
            && before == supplier
        {
            ids.insert(supplier.code.clone(), row.id);
            continue;
        }
        let mut row = match existing {
            Some(row) => suppliers::ActiveModel::from(row),
            None => suppliers::ActiveModel {
                shop_id: Set(shop_id),
                code: Set(supplier.code.clone()),
                ..Default::default()
            },
        };
        row.name = Set(supplier.name.clone());
        row.email = Set(supplier.email.clone());
        row.status = Set(supplier.status);
        let (id, action) = if before.is_some() {
            (row.update(&*w).await?.id, "supplier.update")
        } else {
            (row.insert(&*w).await?.id, "supplier.create")
        };
        ids.insert(supplier.code.clone(), id);
        let after = supplier_json(supplier);
        w.record(
            Change::new(action, "supplier", supplier.code.clone())
                .before(before.as_ref().map(supplier_json))
                .after(after),
        )
        .await?;
        changed += 1;
    }
    Ok((ids, changed))
}

fn supplier_json(s: &Supplier) -> Value {
    json!({"name": s.name, "email": s.email, "status": s.status})
}

/// Writes the offers that changed; returns how many.
async fn put_offers(
    w: &mut ShopWrite,
    supplier_ids: &HashMap<String, i64>,
    wanted: &[Offer],
) -> Result<usize, StoreError> {
    let ids: Vec<i64> = supplier_ids.values().copied().collect();
    let mut stored: HashMap<(i64, i64), supplier_materials::Model> = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.is_in(ids))
        .all(&*w)
        .await?
        .into_iter()
        .map(|o| ((o.supplier_id, o.material_id), o))
        .collect();
    let mut changed = 0;
    for offer in wanted {
        let Some(&supplier_id) = supplier_ids.get(&offer.supplier) else {
            continue;
        };
        let existing = stored.remove(&(supplier_id, offer.material_id));
        let before = existing.as_ref().map(|o| Offer {
            supplier: offer.supplier.clone(),
            sku: offer.sku.clone(),
            material_id: o.material_id,
            lead_time_mean_days: o.lead_time_mean_days,
            lead_time_sd_days: o.lead_time_sd_days,
            moq: o.moq,
            pack_size: o.pack_size,
            price_minor: o.price_minor,
            status: o.status,
        });
        if before.as_ref() == Some(offer) {
            continue;
        }
        let mut row = match existing {
            Some(row) => supplier_materials::ActiveModel::from(row),
            None => supplier_materials::ActiveModel {
                supplier_id: Set(supplier_id),
                material_id: Set(offer.material_id),
                ..Default::default()
            },
        };
        row.lead_time_mean_days = Set(offer.lead_time_mean_days);
        row.lead_time_sd_days = Set(offer.lead_time_sd_days);
        row.moq = Set(offer.moq);
        row.pack_size = Set(offer.pack_size);
        row.price_minor = Set(offer.price_minor);
        row.status = Set(offer.status);
        let action = if before.is_some() {
            row.update(&*w).await?;
            "supplier_material.update"
        } else {
            row.insert(&*w).await?;
            "supplier_material.create"
        };
        let id = format!("{}/{}", offer.supplier, offer.sku);
        w.record(
            Change::new(action, "supplier_material", id)
                .before(before.as_ref().map(offer_json))
                .after(offer_json(offer)),
        )
        .await?;
        changed += 1;
    }
    Ok(changed)
}

fn offer_json(o: &Offer) -> Value {
    json!({
        "lead_time_mean_days": o.lead_time_mean_days,
        "lead_time_sd_days": o.lead_time_sd_days,
        "moq": o.moq,
        "pack_size": o.pack_size,
        "price_minor": o.price_minor,
        "status": o.status,
    })
}

/// Every supplier by code with its offers by SKU (a supplier without offers as one row
/// with the offer columns empty), as rows of `ImportKind::Suppliers.columns()`.
pub async fn export(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<Vec<String>>, StoreError> {
    let skus: HashMap<i64, String> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.sku))
        .collect();
    let list = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .order_by_asc(suppliers::Column::Code)
        .all(db)
        .await?;
    let mut offers_of: HashMap<i64, Vec<supplier_materials::Model>> = HashMap::new();
    for offer in supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.is_in(list.iter().map(|s| s.id)))
        .all(db)
        .await?
    {
        offers_of.entry(offer.supplier_id).or_default().push(offer);
    }
    let mut rows = Vec::new();
    for supplier in list {
        let head = [
            supplier.code.clone(),
            supplier.name.clone(),
            supplier.email.clone().unwrap_or_default(),
            supplier.status.to_string(),
        ];
        let mut offers: Vec<(String, supplier_materials::Model)> = offers_of
            .remove(&supplier.id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|o| Some((skus.get(&o.material_id)?.clone(), o)))
            .collect();
        offers.sort_by(|a, b| a.0.cmp(&b.0));
        if offers.is_empty() {
            rows.push(
                head.iter()
                    .cloned()
                    .chain(std::iter::repeat_n(String::new(), 7))
                    .collect(),
            );
        }
        for (sku, o) in offers {
            let tail = [
                sku,
                o.lead_time_mean_days.to_string(),
                o.lead_time_sd_days.to_string(),
                o.moq.to_string(),
                o.pack_size.to_string(),
                format_money(o.price_minor),
                o.status.to_string(),
            ];
            rows.push(head.iter().cloned().chain(tail).collect());
        }
    }
    Ok(rows)
}
