//! Materials the merchant adds or changes. The rules a material must keep live here
//! once ([`check_material`], [`check_material_change`]) and serve the New material
//! form and CSV imports alike; so does the write of one material with its audit row.

use std::collections::HashSet;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Map, Value, json};

use crate::service::WriteError;
use crate::service::invalid;
use crate::store::StoreError;
use crate::store::entities::materials;
use crate::store::unit::{Change, ShopWrite};
use app::model::import::{MATERIAL_KINDS, MATERIAL_UNITS, NewMaterial};

/// A refusal of one field (a form field, or the CSV column of the same name).
pub type FieldProblem = (&'static str, String);

/// A material that passed [`check_material`]: trimmed, with its attributes as the JSON
/// object stored in `materials.attributes`.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedMaterial {
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Cost per unit in minor units.
    pub unit_cost_minor: i64,
    /// Kind.
    pub kind: String,
    /// Colour family, `None` when blank.
    pub colour_family: Option<String>,
    /// Generic flag.
    pub is_generic: bool,
    /// Attributes as a JSON object.
    pub attributes: Value,
}

/// Checks a material against the rules of `docs/csv.md`, "materials"; every field that
/// breaks one is named (`sku`, `name`, `unit`, `unit_cost`, `kind`, `colour_family`,
/// `attributes`), in that order.
pub fn check_material(input: &NewMaterial) -> Result<CheckedMaterial, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let sku = kept(&mut problems, check_code("sku", &input.sku));
    let name = kept(&mut problems, sized("name", &input.name, 200));
    let unit = kept(&mut problems, one_of("unit", &input.unit, &MATERIAL_UNITS));
    if input.unit_cost_minor < 0 {
        problems.push(("unit_cost", "cannot be negative".into()));
    }
    let kind = kept(&mut problems, one_of("kind", &input.kind, &MATERIAL_KINDS));
    let colour_family = match input.colour_family.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(colour) => kept(&mut problems, sized("colour_family", colour, 40)).map(Some),
    };
    let attributes = kept(&mut problems, attributes_object(&input.attributes));
    match (sku, name, unit, kind, colour_family, attributes) {
        (Some(sku), Some(name), Some(unit), Some(kind), Some(colour_family), Some(attributes))
            if problems.is_empty() =>
        {
            Ok(CheckedMaterial {
                sku,
                name,
                unit,
                unit_cost_minor: input.unit_cost_minor,
                kind,
                colour_family,
                is_generic: input.is_generic,
                attributes,
            })
        }
        _ => Err(problems),
    }
}

/// The value of `checked`, or `None` with its problem added to `problems`.
fn kept<T>(problems: &mut Vec<FieldProblem>, checked: Result<T, FieldProblem>) -> Option<T> {
    checked.map_err(|problem| problems.push(problem)).ok()
}

/// `value` trimmed, if it is one of `allowed`.
pub(super) fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<String, FieldProblem> {
    let value = value.trim();
    if allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err((field, format!("must be one of {}", allowed.join(", "))))
    }
}

/// Refuses changes an existing material cannot take: its unit, because its stock, bills
/// of materials, orders and supplier terms are all counted in it.
pub fn check_material_change(existing: &materials::Model, new: &CheckedMaterial) -> Result<(), FieldProblem> {
    if existing.unit != new.unit {
        return Err((
            "unit",
            format!(
                "{} is counted in {}; its stock and bills of materials would change meaning \
                 (add a new material for another unit)",
                existing.sku, existing.unit
            ),
        ));
    }
    Ok(())
}

/// A code (SKU, supplier code): 1 to 64 of `A-Z a-z 0-9 . _ -`, trimmed.
pub(super) fn check_code(field: &'static str, value: &str) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err((field, "cannot be empty".into()));
    }
    if value.chars().count() > 64 {
        return Err((field, "must be at most 64 characters".into()));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err((
            field,
            format!("“{bad}” is not allowed: use letters, digits, dots, underscores and dashes"),
        ));
    }
    Ok(value.to_string())
}

/// `value` trimmed, 1 to `max` characters.
pub(super) fn sized(field: &'static str, value: &str, max: usize) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err((field, "cannot be empty".into()));
    }
    let length = value.chars().count();
    if length > max {
        return Err((
            field,
            format!("must be at most {max} characters (it has {length})"),
        ));
    }
    Ok(value.to_string())
}

/// The attributes as a JSON object. A value written exactly as JSON writes a number or
/// a truth value (`340`, `2.0`, `true`) is stored as one, anything else as text, so a
/// value always reads back as it was typed.
fn attributes_object(pairs: &[(String, String)]) -> Result<Value, FieldProblem> {
    let mut seen = HashSet::new();
    let mut object = Map::new();
    for (key, value) in pairs {
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() {
            return Err(("attributes", format!("“={value}” has no name before the =")));
        }
        if key.chars().count() > 40 || value.chars().count() > 200 {
            return Err((
                "attributes",
                format!("“{key}” is too long (names up to 40 characters, values up to 200)"),
            ));
        }
        if value.contains(';') {
            return Err(("attributes", format!("the value of “{key}” cannot contain ;")));
        }
        if !seen.insert(key.to_string()) {
            return Err(("attributes", format!("“{key}” is given twice")));
        }
        object.insert(key.to_string(), attribute_value(value));
    }
    Ok(Value::Object(object))
}

fn attribute_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(typed @ (Value::Number(_) | Value::Bool(_))) => {
            // Not `typed == text`: a JSON value equals a str only as a JSON string.
            let written = typed.to_string();
            if written == text {
                typed
            } else {
                Value::String(text.to_string())
            }
        }
        _ => Value::String(text.to_string()),
    }
}

/// A stored attribute value as text, the inverse of the number rule above.
pub fn attribute_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The audit log's picture of a material.
fn material_json(m: &CheckedMaterial) -> Value {
    json!({
        "name": m.name,
        "unit": m.unit,
        "unit_cost_minor": m.unit_cost_minor,
        "kind": m.kind,
        "colour_family": m.colour_family,
        "is_generic": m.is_generic,
        "attributes": m.attributes,
    })
}

fn stored(m: &materials::Model) -> CheckedMaterial {
    CheckedMaterial {
        sku: m.sku.clone(),
        name: m.name.clone(),
        unit: m.unit.clone(),
        unit_cost_minor: m.unit_cost_minor,
        kind: m.kind.clone(),
        colour_family: m.colour_family.clone(),
        is_generic: m.is_generic,
        attributes: m.attributes.clone(),
    }
}

/// Writes `material` (new, or over `existing` with the same SKU) with its audit row, in
/// the caller's unit of work. Returns whether anything changed: an identical row is not
/// written and not audited. The caller has run both checks above.
pub(crate) async fn put_material(
    w: &mut ShopWrite,
    existing: Option<&materials::Model>,
    material: &CheckedMaterial,
) -> Result<bool, StoreError> {
    let before = existing.map(stored);
    if before.as_ref() == Some(material) {
        return Ok(false);
    }
    let mut row = match existing {
        Some(existing) => materials::ActiveModel::from(existing.clone()),
        None => materials::ActiveModel {
            shop_id: Set(w.shop()),
            sku: Set(material.sku.clone()),
            ..Default::default()
        },
    };
    row.name = Set(material.name.clone());
    row.unit = Set(material.unit.clone());
    row.unit_cost_minor = Set(material.unit_cost_minor);
    row.kind = Set(material.kind.clone());
    row.colour_family = Set(material.colour_family.clone());
    row.is_generic = Set(material.is_generic);
    row.attributes = Set(material.attributes.clone());
    let action = if existing.is_some() {
        row.update(&*w).await?;
        "material.update"
    } else {
        row.insert(&*w).await?;
        "material.create"
    };
    w.record(
        Change::new(action, "material", material.sku.clone())
            .before(before.as_ref().map(material_json))
            .after(material_json(material)),
    )
    .await?;
    Ok(true)
}

/// Adds a material from the New material form: checked, refused when the SKU exists,
/// audited, and committed, which bumps the state version (the quote snapshot holds
/// every material). Returns the new state version.
pub async fn create_material(mut w: ShopWrite, input: &NewMaterial) -> Result<i64, WriteError> {
    let material = check_material(input).map_err(|problems| {
        let (field, detail) = problems
            .into_iter()
            .next()
            .unwrap_or(("sku", "is not valid".into()));
        invalid(field, detail)
    })?;
    let taken = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(w.shop()))
        .filter(materials::Column::Sku.eq(&material.sku))
        .one(&w)
        .await?;
    if taken.is_some() {
        return Err(invalid(
            "sku",
            format!(
                "{} already exists; change it on the materials list or by import",
                material.sku
            ),
        ));
    }
    put_material(&mut w, None, &material).await?;
    let done = w.commit().await?;
    Ok(done.state_version.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linen() -> NewMaterial {
        NewMaterial {
            sku: " FAB-LIN-OCHRE ".into(),
            name: "Linen, ochre".into(),
            unit: "cm".into(),
            unit_cost_minor: 24,
            kind: "fabric".into(),
            colour_family: Some(" ".into()),
            is_generic: false,
            attributes: vec![
                ("weight_gsm".into(), "280".into()),
                ("thickness_mm".into(), "2.0".into()),
                ("code".into(), "007".into()),
                ("semi_finished".into(), "true".into()),
                ("washed".into(), "True".into()),
                ("colour".into(), "ochre".into()),
            ],
        }
    }

    #[track_caller]
    fn refused(change: impl FnOnce(&mut NewMaterial), field: &str) {
        let mut input = linen();
        change(&mut input);
        match check_material(&input) {
            Err(problems) => assert_eq!(problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(), [field]),
            Ok(m) => panic!("accepted {m:?}"),
        }
    }

    #[test]
    fn a_good_material_is_trimmed_and_numbers_stay_numbers() {
        let m = check_material(&linen()).unwrap();
        assert_eq!(m.sku, "FAB-LIN-OCHRE");
        assert_eq!(m.colour_family, None);
        assert_eq!(
            m.attributes,
            json!({
                "weight_gsm": 280, "thickness_mm": 2.0, "code": "007", "semi_finished": true,
                "washed": "True", "colour": "ochre"
            })
        );
        for (key, value) in m.attributes.as_object().unwrap() {
            let typed = linen().attributes.into_iter().find(|(k, _)| k == key).unwrap().1;
            assert_eq!(attribute_text(value), typed, "{key} reads back as typed");
        }
    }

    #[test]
    fn each_rule_names_its_field() {
        refused(|m| m.sku = "FAB LIN".into(), "sku");
        refused(|m| m.sku = "x".repeat(65), "sku");
        refused(|m| m.name = "  ".into(), "name");
        refused(|m| m.unit = "yards".into(), "unit");
        refused(|m| m.unit_cost_minor = -1, "unit_cost");
        refused(|m| m.kind = "plastic".into(), "kind");
        refused(|m| m.colour_family = Some("c".repeat(41)), "colour_family");
        refused(
            |m| m.attributes.push(("colour".into(), "red".into())),
            "attributes",
        );
        refused(|m| m.attributes.push((" ".into(), "red".into())), "attributes");
    }

    #[test]
    fn every_broken_rule_is_named_at_once() {
        let mut input = linen();
        input.unit = "yards".into();
        input.unit_cost_minor = -5;
        let fields: Vec<_> = check_material(&input)
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["unit", "unit_cost"]);
    }
}
