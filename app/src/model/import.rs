//! Materials, stock and suppliers as files: the CSV kinds and their columns (the format
//! is documented in `docs/csv.md`), the outcome of an import, and a new material as the
//! admin's form sends it. The server checks every row and every form with the same
//! rules (`server::service::supply::check_material`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The units materials are counted in (a quantity is a whole number of them).
pub const MATERIAL_UNITS: [&str; 5] = ["cm", "dm2", "m", "pair", "pcs"];

/// The kinds of material `docs/schema.md` lists.
pub const MATERIAL_KINDS: [&str; 9] = [
    "fabric",
    "leather",
    "zipper",
    "fastener",
    "sole",
    "lace",
    "packaging",
    "thread",
    "other",
];

/// What a CSV file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// One row per material, by SKU.
    Materials,
    /// One row per material and node: the units on hand.
    Stock,
    /// One row per supplier offer (supplier and material).
    Suppliers,
    /// One row per report of material used by an order in production.
    Consumption,
}

impl ImportKind {
    /// Every kind, in the order the admin lists them.
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Materials,
        ImportKind::Stock,
        ImportKind::Suppliers,
        ImportKind::Consumption,
    ];

    /// The name in URLs, file names and the `imports` table.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Materials => "materials",
            ImportKind::Stock => "stock",
            ImportKind::Suppliers => "suppliers",
            ImportKind::Consumption => "consumption",
        }
    }

    /// The kind named `name` (as [`ImportKind::as_str`] writes it).
    pub fn parse(name: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            ImportKind::Materials => "Materials",
            ImportKind::Stock => "Stock",
            ImportKind::Suppliers => "Suppliers and their offers",
            ImportKind::Consumption => "Material used by orders in production",
        }
    }

    /// The header row, in the order exports write it. Imports accept the columns in
    /// any order; all are required but those of [`ImportKind::optional_columns`].
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Materials => &[
                "sku",
                "name",
                "unit",
                "unit_cost",
                "kind",
                "colour_family",
                "is_generic",
                "attributes",
            ],
            ImportKind::Stock => &["sku", "node", "on_hand", "reason"],
            ImportKind::Suppliers => &[
                "supplier_code",
                "supplier_name",
                "email",
                "supplier_status",
                "sku",
                "lead_time_mean_days",
                "lead_time_sd_days",
                "moq",
                "pack_size",
                "price",
                "offer_status",
            ],
            ImportKind::Consumption => &["report", "order", "sku", "quantity", "consumed_on"],
        }
    }

    /// Columns a file may leave out.
    pub fn optional_columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Stock => &["reason"],
            ImportKind::Consumption => &["report", "consumed_on"],
            _ => &[],
        }
    }
}

/// One thing wrong with a file: where (the line as a spreadsheet shows it, the header
/// being line 1; the column by its header name) and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Line of the file, `None` for the file as a whole (too large, not text).
    pub line: Option<u64>,
    /// Column name, `None` for the whole line.
    pub column: Option<String>,
    /// A sentence for the merchant.
    pub message: String,
}

/// Where an import stands. Materials and stock files are applied in chunks of rows,
/// each its own transaction, so a large file never holds the shop's writer for long;
/// the file is checked whole before the first chunk, so a bad row still changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    /// Every row was applied.
    Applied,
    /// Nothing was applied: the file had problems, or its first chunk met a change
    /// made meanwhile.
    Refused,
    /// Chunks are still being applied (or the server stopped while they were).
    Applying,
    /// The rows above the problem's line were applied; a row changed by someone else
    /// after the check stopped the rest.
    Stopped,
}

impl ImportState {
    /// The name pages and tests read (`data-status`).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportState::Applied => "applied",
            ImportState::Refused => "refused",
            ImportState::Applying => "applying",
            ImportState::Stopped => "stopped",
        }
    }
}

/// What became of an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// Row id: the outcome page is `/admin/imports/{id}`.
    pub id: i64,
    /// What the file held.
    pub kind: ImportKind,
    /// The name the browser sent.
    pub file_name: String,
    /// Where it stands: applied, refused, being applied, or stopped part way.
    pub status: ImportState,
    /// Data rows read (blank rows not counted).
    pub rows: i32,
    /// Materials, stock levels, suppliers and offers it changed.
    pub changed: i32,
    /// Why it was refused or stopped (empty when applied).
    pub problems: Vec<ImportProblem>,
    /// Who uploaded it (`merchant:<id>`).
    pub actor: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A material as the New material form (or a CSV row) gives it, before the server's
/// checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMaterial {
    /// 1 to 64 of `A-Z a-z 0-9 . _ -`, unique in the shop.
    pub sku: String,
    /// 1 to 200 characters.
    pub name: String,
    /// One of [`MATERIAL_UNITS`].
    pub unit: String,
    /// Cost per unit in minor units, not negative.
    pub unit_cost_minor: i64,
    /// One of [`MATERIAL_KINDS`].
    pub kind: String,
    /// Up to 40 characters, if any.
    pub colour_family: Option<String>,
    /// Shared by many configurations (postponement).
    pub is_generic: bool,
    /// `(key, value)` pairs with distinct keys.
    pub attributes: Vec<(String, String)>,
}

/// Attributes as merchants type them, `key=value; key=value`: pairs in the order
/// typed, trimmed, empty segments skipped. A segment without `=` is refused; repeated
/// keys are left for the server's checks to name.
pub fn parse_attributes(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|segment| !segment.is_empty())
        .map(|segment| match segment.split_once('=') {
            Some((key, value)) => Ok((key.trim().to_string(), value.trim().to_string())),
            None => Err(format!("“{segment}” is not key=value (separate pairs with ;)")),
        })
        .collect()
}

/// Attributes as [`parse_attributes`] reads them back.
pub fn format_attributes(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn attributes_read_back_what_is_written() {
        let written = pairs(&[("colour", "navy stripe"), ("weight_gsm", "340"), ("note", "a=b")]);
        let text = format_attributes(&written);
        assert_eq!(text, "colour=navy stripe; weight_gsm=340; note=a=b");
        assert_eq!(parse_attributes(&text), Ok(written));
    }

    #[test]
    fn attributes_are_trimmed_and_blank_segments_skipped() {
        assert_eq!(parse_attributes(""), Ok(vec![]));
        assert_eq!(
            parse_attributes(" a = 1 ;; b=;"),
            Ok(pairs(&[("a", "1"), ("b", "")]))
        );
        assert!(
            parse_attributes("colour navy")
                .unwrap_err()
                .contains("colour navy")
        );
    }

    #[test]
    fn kinds_are_named_in_urls() {
        for kind in ImportKind::ALL {
            assert_eq!(ImportKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ImportKind::parse("orders"), None);
    }
}
