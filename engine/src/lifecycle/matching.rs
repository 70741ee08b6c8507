//! Leftover dedicated materials matched to live products that could use them
//! (PRODUCT.md, "End of life"): reuse instead of a write-off.
//!
//! A leftover is stock that no live demand uses within its coverage
//! ([`leftover_units`]). It fits a bill-of-materials line of a live product when the
//! line's material has the same `kind` and the same value of every attribute the shop
//! lists (default: `colour_family`); values compare trimmed and case-insensitively, and
//! an attribute missing on either side is no match (nothing says they are alike).
//!
//! Matches are ranked by the value they save, then by how many further attributes the
//! two materials share (a closer substitute), then by product and material. The
//! leftover is shared out in that order, each line taking at most its own demand
//! within the coverage, so accepted suggestions together never promise more than
//! there is; a line left with nothing is not suggested. Accepting one swaps the line's
//! material for the leftover, or adds the leftover as its alternative (the server's
//! choice): the match names the line for that.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::value_of;
use crate::money::Money;
use crate::requirements::MaterialId;

/// A material's attributes: `kind`, `colour_family` and the shop's own, key → value.
pub type Attributes = BTreeMap<String, String>;

/// The attribute every match needs.
pub const KIND: &str = "kind";

/// Units of a dedicated material no live demand uses within its coverage:
/// `max(0, on_hand − reserved − demand)`, `demand` being the live products' demand for
/// it over the coverage days.
pub fn leftover_units(on_hand: i64, reserved: i64, demand: i64) -> i64 {
    (on_hand - reserved - demand.max(0)).max(0)
}

/// A leftover material to place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leftover {
    /// The material.
    pub material: MaterialId,
    /// Units left over ([`leftover_units`]).
    pub quantity: i64,
    /// Cost of one unit: what each unit reused saves from a write-off.
    pub unit_cost: Money,
    /// Its attributes.
    pub attributes: Attributes,
}

/// Where a line sits in a product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum BomPlace {
    /// The base bill of materials.
    Base,
    /// The recipe of one option value.
    Value {
        /// Index of the group in the catalog.
        group: usize,
        /// Index of the value in its group.
        value: usize,
    },
}

/// A bill-of-materials line of a live product, with its demand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveLine {
    /// Index of the product.
    pub product: usize,
    /// Where the line sits.
    pub place: BomPlace,
    /// The material it uses now.
    pub material: MaterialId,
    /// That material's attributes.
    pub attributes: Attributes,
    /// Units of it the line will consume within the leftover's coverage.
    pub demand: i64,
}

/// One suggested reuse, with its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialMatch {
    /// The leftover material.
    pub leftover: MaterialId,
    /// The product whose line could use it.
    pub product: usize,
    /// Where the line sits.
    pub place: BomPlace,
    /// The material the line uses now.
    pub material: MaterialId,
    /// The attributes that made the match (kind and the listed ones), as the leftover
    /// has them.
    pub matched_on: Attributes,
    /// Further attributes both materials share, by key.
    pub also_shared: Vec<String>,
    /// The line's demand within the coverage.
    pub demand: i64,
    /// Units of the leftover it takes: its demand, at most what is left.
    pub quantity: i64,
    /// `quantity` × the leftover's unit cost.
    pub value_saved: Money,
}

/// The lines of `lines` that can use `leftover`, matched on kind and `listed`
/// attributes, ranked and sharing the leftover out (module docs).
pub fn match_leftover(leftover: &Leftover, lines: &[LiveLine], listed: &[String]) -> Vec<MaterialMatch> {
    let keys: Vec<&str> = std::iter::once(KIND)
        .chain(listed.iter().map(String::as_str))
        .collect();
    let mut matches: Vec<MaterialMatch> = lines
        .iter()
        .filter_map(|line| candidate(leftover, line, &keys))
        .collect();
    // Ranked by what each line could take alone, then shared out in that order.
    matches.sort_by_key(|m| {
        (
            Reverse(m.quantity),
            Reverse(m.also_shared.len()),
            m.product,
            m.place,
            m.material,
        )
    });
    let mut left = leftover.quantity.max(0);
    matches.retain_mut(|m| {
        m.quantity = m.demand.min(left);
        m.value_saved = value_of(m.quantity, leftover.unit_cost);
        left -= m.quantity;
        m.quantity > 0
    });
    matches
}

/// `line` as a match for `leftover` if it needs some and agrees on every key, taking as
/// much as it could alone.
fn candidate(leftover: &Leftover, line: &LiveLine, keys: &[&str]) -> Option<MaterialMatch> {
    if line.material == leftover.material || line.demand <= 0 {
        return None;
    }
    let matched_on: Attributes = keys
        .iter()
        .map(|&key| {
            let value = leftover.attributes.get(key)?;
            same(value, line.attributes.get(key)?).then(|| (key.to_owned(), value.clone()))
        })
        .collect::<Option<_>>()?;
    let also_shared = leftover
        .attributes
        .iter()
        .filter(|(key, value)| {
            !keys.contains(&key.as_str()) && line.attributes.get(*key).is_some_and(|v| same(value, v))
        })
        .map(|(key, _)| key.clone())
        .collect();
    let quantity = line.demand.min(leftover.quantity);
    Some(MaterialMatch {
        leftover: leftover.material,
        product: line.product,
        place: line.place,
        material: line.material,
        matched_on,
        also_shared,
        demand: line.demand,
        quantity,
        value_saved: value_of(quantity, leftover.unit_cost),
    })
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

#[cfg(test)]
mod tests;
