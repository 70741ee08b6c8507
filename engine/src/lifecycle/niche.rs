//! Which values of a declining product to freeze (PRODUCT.md, "End of life"): niche
//! values, chosen by few shoppers, and values whose own materials can no longer be
//! replenished.
//!
//! A value is *niche* when its share of its group's selections is below `min_share`
//! (default 5 %), counted only when the group had at least `min_group_selections`
//! (default 50): below that one selection more or less moves a share by two points or
//! more, too coarse to compare with 5 %. A value *cannot be replenished* when a
//! material of its own recipe has no active supplier offer in the shop's state (the
//! base bill of materials is every value's, so it never singles one out); the evidence
//! names the free stock left of it, which is what can still be sold.
//!
//! Frozen values are not suggested again, and a required group always keeps one
//! active value: if every active value of it would be frozen, the most chosen one is
//! left out, so the product stays orderable.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::SettingError;
use crate::catalog::{OptionGroup, ValueStatus};
use crate::requirements::{BomLine, MaterialId};
use crate::state::ShopState;

/// Thresholds of niche detection, the shop's to change.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NicheSettings {
    /// A value is niche below this share of its group's selections (default 0.05).
    pub min_share: f64,
    /// Selections a group needs before shares are compared (default 50).
    pub min_group_selections: u64,
}

impl Default for NicheSettings {
    fn default() -> Self {
        NicheSettings {
            min_share: 0.05,
            min_group_selections: 50,
        }
    }
}

impl NicheSettings {
    /// Checks 0 ≤ min_share ≤ 1.
    pub fn check(&self) -> Result<(), SettingError> {
        if (0.0..=1.0).contains(&self.min_share) {
            return Ok(());
        }
        Err(SettingError {
            field: "min_share",
            value: self.min_share,
            range: "a share from 0 to 1",
        })
    }
}

/// A material of the value's recipe that no active supplier offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreplenishable {
    /// The material.
    pub material: MaterialId,
    /// On hand − reserved, summed over every node: what is left to sell from.
    pub free_stock: i64,
}

/// Why a value should be frozen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FreezeReason {
    /// Few shoppers choose it.
    Niche {
        /// Its share of the group's selections.
        share: f64,
        /// The threshold it is below.
        min_share: f64,
    },
    /// A material of its own recipe cannot be bought any more.
    CannotReplenish {
        /// Those materials.
        materials: Vec<Unreplenishable>,
    },
}

/// One value to freeze, with its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FreezeSuggestion {
    /// Index of the group in the product's catalog.
    pub group: usize,
    /// Index of the value in its group.
    pub value: usize,
    /// The group's code.
    pub group_code: String,
    /// The value's code.
    pub value_code: String,
    /// Times the value was selected in the window.
    pub selections: u64,
    /// Selections of every value of its group in the window.
    pub group_selections: u64,
    /// Why: one reason or both.
    pub reasons: Vec<FreezeReason>,
}

/// The values of product `product` of `state` to freeze, in catalog order.
/// `selections[g][v]` counts how often value `v` of group `g` was selected in the
/// window the caller chose (option-select heat or ordered configurations); a missing
/// entry counts as 0.
pub fn freeze_suggestions(
    state: &ShopState,
    product: usize,
    selections: &[Vec<u64>],
    settings: &NicheSettings,
) -> Vec<FreezeSuggestion> {
    let Some(item) = state.products.get(product) else {
        return Vec::new();
    };
    let offered: BTreeSet<MaterialId> = state.offers.iter().map(|o| o.material).collect();
    let mut suggestions = Vec::new();
    for (g, group) in item.catalog.groups.iter().enumerate() {
        let counts: Vec<u64> = (0..group.values.len())
            .map(|v| selections.get(g).and_then(|c| c.get(v)).copied().unwrap_or(0))
            .collect();
        let group_selections: u64 = counts.iter().sum();
        let mut here: Vec<FreezeSuggestion> = (group.values.iter().enumerate())
            .filter(|(_, value)| value.status == ValueStatus::Active)
            .filter_map(|(v, value)| {
                let own = item
                    .recipes
                    .get(g)
                    .and_then(|r| r.get(v))
                    .map_or(&[][..], |r| &r.bom);
                let share = Share {
                    selections: counts[v],
                    of: group_selections,
                };
                let reasons = reasons(state, &offered, own, share, settings);
                (!reasons.is_empty()).then(|| FreezeSuggestion {
                    group: g,
                    value: v,
                    group_code: group.code.clone(),
                    value_code: value.code.clone(),
                    selections: counts[v],
                    group_selections,
                    reasons,
                })
            })
            .collect();
        if group.required {
            keep_one_active(group, &mut here);
        }
        suggestions.extend(here);
    }
    suggestions
}

/// A value's selections out of its group's.
#[derive(Clone, Copy)]
struct Share {
    selections: u64,
    of: u64,
}

/// Why a value with recipe `own` and `share` should be frozen; empty if it should not.
fn reasons(
    state: &ShopState,
    offered: &BTreeSet<MaterialId>,
    own: &[BomLine],
    share: Share,
    settings: &NicheSettings,
) -> Vec<FreezeReason> {
    let mut reasons = Vec::new();
    if share.of >= settings.min_group_selections && share.of > 0 {
        let share = share.selections as f64 / share.of as f64;
        if share < settings.min_share {
            reasons.push(FreezeReason::Niche {
                share,
                min_share: settings.min_share,
            });
        }
    }
    let lost: BTreeSet<MaterialId> = own
        .iter()
        .map(|line| line.material)
        .filter(|m| !offered.contains(m))
        .collect();
    if !lost.is_empty() {
        let materials = lost.into_iter().map(|m| unreplenishable(state, m)).collect();
        reasons.push(FreezeReason::CannotReplenish { materials });
    }
    reasons
}

/// Takes the most chosen value (the first of equals) out of `suggested` when it holds
/// every active value of `group`, so a required group stays choosable.
fn keep_one_active(group: &OptionGroup, suggested: &mut Vec<FreezeSuggestion>) {
    let active = group
        .values
        .iter()
        .filter(|v| v.status == ValueStatus::Active)
        .count();
    if active == 0 || suggested.len() < active {
        return;
    }
    let keep = (0..suggested.len())
        .rev()
        .max_by_key(|&i| suggested[i].selections);
    if let Some(keep) = keep {
        suggested.remove(keep);
    }
}

fn unreplenishable(state: &ShopState, material: MaterialId) -> Unreplenishable {
    let free_stock = state
        .stock
        .iter()
        .filter(|s| s.material == material)
        .map(|s| (s.on_hand - s.reserved).max(0))
        .sum();
    Unreplenishable { material, free_stock }
}

#[cfg(test)]
mod tests;
