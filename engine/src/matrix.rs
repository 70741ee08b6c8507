//! The per-option matrix and freezing: PRODUCT.md, "The quote", steps 6 and 7.
//!
//! For every value of every group, the answer for the current selection with that
//! value swapped in (add-ons toggled). A value is frozen when the merchant froze it, or
//! by the engine when a material of its own bill of materials is short and cannot be
//! replenished before the product's limit (today + max lead time, or the end of sale if
//! earlier). Engine freezes are recomputed with every snapshot, so a value unfreezes by
//! itself once supply returns.

use serde::{Deserialize, Serialize};

use crate::catalog::{GroupKind, ValueStatus};
use crate::quote::{Chosen, Quote, Unavailable};
use crate::snapshot::Snapshot;
use crate::state::Product;

/// Why a value cannot be chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Freeze {
    /// The merchant (or one of their rules) froze it.
    Merchant {
        /// Their reason.
        reason: String,
        /// `merchant` or `rule`.
        actor: String,
    },
    /// The engine froze it: a material it needs cannot be supplied in time.
    Engine {
        /// What is missing.
        cause: Unavailable,
    },
}

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCell {
    /// Whether the current selection has this value.
    pub selected: bool,
    /// The fastest available value of its group (ties: the first).
    pub fastest: bool,
    /// Frozen, with its reason; `None` when choosable.
    pub freeze: Option<Freeze>,
    /// For a frozen value, the fastest choosable value of its group (value index).
    pub alternative: Option<usize>,
    /// The answer with this value swapped in (`Err` when that configuration cannot be
    /// promised); `None` for frozen values, which are not quoted.
    pub outcome: Option<Result<Quote, Unavailable>>,
}

/// The answer for a selection and its matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    /// `cells[g][v]` for every value of every group.
    pub cells: Vec<Vec<OptionCell>>,
}

impl OptionCell {
    /// The cell's quote, when it has one.
    pub fn quote(&self) -> Option<&Quote> {
        self.outcome.as_ref()?.as_ref().ok()
    }
}

impl Snapshot {
    /// The last day a material may arrive for `product`: today + max lead time, or
    /// the end of sale when that is earlier.
    pub fn limit(&self, product: &Product) -> u32 {
        let by_lead_time = product.max_lead_time_days;
        match product.end_of_sale {
            Some(end) => by_lead_time.min(self.offset(end)),
            None => by_lead_time,
        }
    }

    /// Why value `v` of group `g` is frozen for `quantity` units, or `None`.
    pub fn freeze(&self, product: &Product, g: usize, v: usize, quantity: u32) -> Option<Freeze> {
        if let ValueStatus::Frozen { reason, by } = &product.catalog.groups[g].values[v].status {
            return Some(Freeze::Merchant {
                reason: reason.clone(),
                actor: by.clone(),
            });
        }
        let q = i64::from(quantity);
        let limit = self.limit(product);
        for line in &product.recipes[g][v].bom {
            let base: i64 = product
                .bom
                .iter()
                .filter(|b| b.material == line.material)
                .map(|b| b.quantity)
                .sum();
            let required = (line.quantity + base) * q;
            let node = product.producing_node;
            let cause = match product.first_batch_until {
                // In presale only what is on its way by the batch's last day counts.
                Some(until) => match self.ready_on_curve(line.material, node, required) {
                    Some(ready) if ready.p50 <= limit.min(self.offset(until)) => continue,
                    _ => Unavailable::BatchSoldOut {
                        material: Some(line.material),
                        until,
                    },
                },
                None => match self.ready(line.material, node, required) {
                    None => Unavailable::NoSupply {
                        material: line.material,
                    },
                    Some(ready) if ready.p50 > limit => Unavailable::PastLimit {
                        material: line.material,
                        ready_on: self.date(ready.p50),
                        limit: self.date(limit),
                    },
                    Some(_) => continue,
                },
            };
            return Some(Freeze::Engine { cause });
        }
        None
    }

    /// The matrix around `chosen` (validated, sorted `(group, value)` indices).
    pub fn matrix(&self, product: &Product, chosen: &Chosen, quantity: u32) -> Matrix {
        let mut swapped: Vec<(usize, usize)> = Vec::with_capacity(chosen.len() + 1);
        let cells = product
            .catalog
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| {
                let mut row: Vec<OptionCell> = (0..group.values.len())
                    .map(|v| {
                        let selected = chosen.contains(&(g, v));
                        let freeze = self.freeze(product, g, v, quantity);
                        let outcome = freeze.is_none().then(|| {
                            swap_into(&mut swapped, chosen, g, v, group.kind);
                            self.quote(product, &swapped, quantity)
                        });
                        OptionCell {
                            selected,
                            fastest: false,
                            freeze,
                            alternative: None,
                            outcome,
                        }
                    })
                    .collect();
                mark_fastest_and_alternatives(&mut row, group.kind);
                row
            })
            .collect();
        Matrix { cells }
    }

    /// The selection a shopper starts from: in every required single-choice group, the
    /// first value that is neither frozen by the merchant nor by the engine.
    pub fn default_chosen(&self, product: &Product, quantity: u32) -> Vec<(usize, usize)> {
        product
            .catalog
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.required && g.kind == GroupKind::Single)
            .filter_map(|(g, group)| {
                let v = (0..group.values.len()).find(|&v| self.freeze(product, g, v, quantity).is_none())?;
                Some((g, v))
            })
            .collect()
    }
}

/// `chosen` with value `v` of group `g` swapped in (single choice) or toggled (add-ons).
fn swap_into(out: &mut Vec<(usize, usize)>, chosen: &Chosen, g: usize, v: usize, kind: GroupKind) {
    out.clear();
    match kind {
        GroupKind::Single => {
            out.extend(chosen.iter().copied().filter(|&(cg, _)| cg != g));
            out.push((g, v));
        }
        GroupKind::Multi => {
            if chosen.contains(&(g, v)) {
                out.extend(chosen.iter().copied().filter(|&c| c != (g, v)));
            } else {
                out.extend_from_slice(chosen);
                out.push((g, v));
            }
        }
    }
    out.sort_unstable();
}

fn mark_fastest_and_alternatives(row: &mut [OptionCell], kind: GroupKind) {
    let key = |c: &OptionCell| c.quote().map(|q| (q.p50, q.p90));
    let fastest = row
        .iter()
        .enumerate()
        .filter(|(_, c)| c.freeze.is_none())
        .filter_map(|(v, c)| key(c).map(|k| (k, v)))
        .min();
    if let Some((_, v)) = fastest {
        row[v].fastest = true;
        // Add-ons have no alternative: leaving one off is the alternative.
        if kind == GroupKind::Single {
            for cell in row.iter_mut().filter(|c| c.freeze.is_some()) {
                cell.alternative = Some(v);
            }
        }
    }
}

#[cfg(test)]
mod tests;
