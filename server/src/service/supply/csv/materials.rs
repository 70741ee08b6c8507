//! `materials` files: one row per material, upserted by SKU with the rules of
//! [`check_material`]. Checked whole, then applied in chunks (`chunks.rs`).

use std::collections::HashMap;

use app::model::import::{NewMaterial, format_attributes, parse_attributes};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::cells::{flag, format_money, money};
use super::read::{Problems, Row};
use super::{Applied, Conflict};
use crate::service::supply::material_writes::{
    CheckedMaterial, attribute_text, check_material, check_material_change, put_material,
};
use crate::store::StoreError;
use crate::store::entities::materials;
use crate::store::unit::ShopWrite;

/// A checked row.
pub(super) struct Checked {
    line: u64,
    material: CheckedMaterial,
}

impl Checked {
    /// The row's line in the file.
    pub(super) fn line(&self) -> u64 {
        self.line
    }
}

/// Checks every row against the shop as `db` reads it; returns the rows, or records
/// problems.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    shop_id: i64,
    rows: &[Row],
    problems: &mut Problems,
) -> Result<Vec<Checked>, StoreError> {
    let existing: HashMap<String, materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.sku.clone(), m))
        .collect();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut checked = Vec::new();
    for row in rows {
        let (input, typed) = material_of(row, problems);
        let material = match check_material(&input) {
            Ok(material) if typed => material,
            Ok(_) => continue,
            Err(refusals) => {
                for (column, message) in refusals {
                    problems.at(row.line, column, message);
                }
                continue;
            }
        };
        if let Some(first) = first_line.insert(material.sku.clone(), row.line) {
            problems.at(
                row.line,
                "sku",
                format!("{} is already on line {first}", material.sku),
            );
            continue;
        }
        if let Some(Err((column, message))) = existing
            .get(&material.sku)
            .map(|stored| check_material_change(stored, &material))
        {
            problems.at(row.line, column, message);
            continue;
        }
        checked.push(Checked {
            line: row.line,
            material,
        });
    }
    Ok(checked)
}

/// Writes the materials of `chunk` that differ from what is stored, each with its
/// audit row, and returns how many. They are read again here, in the chunk's unit:
/// one created or edited since the check is checked again, and a change it no longer
/// allows stops the chunk at that row (the caller rolls the chunk back).
pub(super) async fn apply(w: &mut ShopWrite, chunk: &[Checked]) -> Result<Applied, StoreError> {
    let stored: HashMap<String, materials::Model> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(w.shop()))
        .filter(materials::Column::Sku.is_in(chunk.iter().map(|c| c.material.sku.as_str())))
        .all(&*w)
        .await?
        .into_iter()
        .map(|m| (m.sku.clone(), m))
        .collect();
    let mut changed = 0;
    for Checked { line, material } in chunk {
        let existing = stored.get(&material.sku);
        if let Some(Err((column, message))) = existing.map(|stored| check_material_change(stored, material)) {
            return Ok(Applied::Conflict(Conflict {
                line: *line,
                column,
                what: format!(
                    "{} changed while the file was being imported: {message}",
                    material.sku
                ),
            }));
        }
        if put_material(w, existing, material).await? {
            changed += 1;
        }
    }
    Ok(Applied::Changed(changed))
}

/// The row's cells as the form would send them, and whether every cell was of its
/// type. A cell that was not is recorded and read as a harmless stand-in, so the rules
/// still run on the other cells and every problem of the row is named at once.
fn material_of(row: &Row, problems: &mut Problems) -> (NewMaterial, bool) {
    let unit_cost = money(row, "unit_cost", problems);
    let is_generic = flag(row, "is_generic", problems);
    let attributes = parse_attributes(row.get("attributes"))
        .map_err(|message| problems.at(row.line, "attributes", message))
        .ok();
    let typed = unit_cost.is_some() && is_generic.is_some() && attributes.is_some();
    let colour = row.get("colour_family");
    let material = NewMaterial {
        sku: row.get("sku").to_string(),
        name: row.get("name").to_string(),
        unit: row.get("unit").to_string(),
        unit_cost_minor: unit_cost.unwrap_or(0),
        kind: row.get("kind").to_string(),
        colour_family: (!colour.is_empty()).then(|| colour.to_string()),
        is_generic: is_generic.unwrap_or(false),
        attributes: attributes.unwrap_or_default(),
    };
    (material, typed)
}

/// Every material of the shop by SKU, as rows of `ImportKind::Materials.columns()`.
pub async fn export(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<Vec<String>>, StoreError> {
    Ok(materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .order_by_asc(materials::Column::Sku)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let pairs: Vec<(String, String)> = m.attributes.as_object().map_or_else(Vec::new, |object| {
                object
                    .iter()
                    .map(|(key, value)| (key.clone(), attribute_text(value)))
                    .collect()
            });
            vec![
                m.sku,
                m.name,
                m.unit,
                format_money(m.unit_cost_minor),
                m.kind,
                m.colour_family.unwrap_or_default(),
                m.is_generic.to_string(),
                format_attributes(&pairs),
            ]
        })
        .collect())
}
