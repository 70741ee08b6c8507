//! A product's option groups and values, and the rules a selection must obey.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Whether a group takes exactly one value or any number of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Exactly one value (colour, material).
    Single,
    /// Any number of values, each toggled on or off (add-ons such as a monogram).
    Multi,
}

/// Whether a value can be chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ValueStatus {
    /// Choosable.
    Active,
    /// Shown but not choosable.
    Frozen {
        /// Why, in words a shopper understands.
        reason: String,
        /// Who froze it: `merchant`, `rule` or `engine`.
        by: String,
    },
}

/// One choosable value of a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionValue {
    /// Stable code, unique within the group (`navy`).
    pub code: String,
    /// Label shown to shoppers, as the merchant wrote it (plain text).
    pub label: String,
    /// Added to the product's base price when chosen.
    pub price_delta: Money,
    /// Active or frozen.
    pub status: ValueStatus,
}

/// A group of values the shopper chooses from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionGroup {
    /// Stable code, unique within the product (`colour`).
    pub code: String,
    /// Name shown to shoppers.
    pub name: String,
    /// Single or multiple choice.
    pub kind: GroupKind,
    /// Whether a selection must name a value of this group.
    pub required: bool,
    /// Values in display order; the first active one is the default.
    pub values: Vec<OptionValue>,
}

/// The choosable shape of a product: base price and ordered option groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCatalog {
    /// Price with no option deltas.
    pub base_price: Money,
    /// Groups in display order.
    pub groups: Vec<OptionGroup>,
}

/// Chosen value codes per group code. Single-choice groups hold one code.
pub type Selection = BTreeMap<String, Vec<String>>;

/// Why a selection is not acceptable; `field` is a JSON path into the request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The selection names a group the product does not have.
    #[error("`{field}`: the product has no option group `{group}`")]
    UnknownGroup {
        /// Path of the offending member.
        field: String,
        /// The group code given.
        group: String,
    },
    /// The selection names a value its group does not have.
    #[error("`{field}`: group `{group}` has no value `{value}`")]
    UnknownValue {
        /// Path of the offending member.
        field: String,
        /// The group code.
        group: String,
        /// The value code given.
        value: String,
    },
    /// A required group has no value.
    #[error("`{field}`: choose a value for the required group `{group}`")]
    MissingRequired {
        /// Path of the missing member.
        field: String,
        /// The group code.
        group: String,
    },
    /// A single-choice group has more than one value.
    #[error("`{field}`: group `{group}` takes exactly one value")]
    TooManyValues {
        /// Path of the offending member.
        field: String,
        /// The group code.
        group: String,
    },
    /// A chosen value is frozen.
    #[error("`{field}`: `{value}` is not available: {reason}")]
    Frozen {
        /// Path of the offending member.
        field: String,
        /// The value code.
        value: String,
        /// The freeze reason.
        reason: String,
    },
}

impl CatalogError {
    /// The JSON path of the offending member of the request.
    pub fn field(&self) -> &str {
        match self {
            CatalogError::UnknownGroup { field, .. }
            | CatalogError::UnknownValue { field, .. }
            | CatalogError::MissingRequired { field, .. }
            | CatalogError::TooManyValues { field, .. }
            | CatalogError::Frozen { field, .. } => field,
        }
    }
}

impl ProductCatalog {
    /// The selection a shopper starts from: the first active value of every required
    /// single-choice group; optional groups and add-ons start empty.
    pub fn default_selection(&self) -> Selection {
        self.groups
            .iter()
            .filter(|g| g.required && g.kind == GroupKind::Single)
            .filter_map(|g| {
                let value = g.values.iter().find(|v| v.status == ValueStatus::Active)?;
                Some((g.code.clone(), vec![value.code.clone()]))
            })
            .collect()
    }

    /// Checks `selection` against the groups and returns its price.
    ///
    /// Errors name the first offending member, as `selection.<group>` or
    /// `selection.<group>[i]`, so an API can point at it. Frozen values are refused.
    pub fn price(&self, selection: &Selection) -> Result<Money, CatalogError> {
        let resolved = self.resolve(selection)?;
        for (group, value, field) in &self.field_paths(&resolved.chosen) {
            if let ValueStatus::Frozen { reason, .. } = &self.groups[*group].values[*value].status {
                return Err(CatalogError::Frozen {
                    field: field.clone(),
                    value: self.groups[*group].values[*value].code.clone(),
                    reason: reason.clone(),
                });
            }
        }
        Ok(resolved.price)
    }

    /// Base price plus the deltas of `chosen` (`(group, value)` indices).
    pub fn price_of(&self, chosen: &[(usize, usize)]) -> Money {
        chosen.iter().fold(self.base_price, |price, &(g, v)| {
            price + self.groups[g].values[v].price_delta
        })
    }

    /// The chosen values with the request path of each (`selection.colour[0]`), the
    /// index counting within its group in the order given.
    pub fn field_paths(&self, chosen: &[(usize, usize)]) -> Vec<(usize, usize, String)> {
        let mut out = Vec::with_capacity(chosen.len());
        let mut index_in_group = 0;
        for (k, &(g, v)) in chosen.iter().enumerate() {
            index_in_group = if k > 0 && chosen[k - 1].0 == g {
                index_in_group + 1
            } else {
                0
            };
            out.push((
                g,
                v,
                format!("selection.{}[{index_in_group}]", self.groups[g].code),
            ));
        }
        out
    }

    /// Checks the shape of `selection` (known groups and values, required groups
    /// present, one value in single-choice groups) and returns the chosen values as
    /// indices with the price. Frozen values pass: whether they can be had is the
    /// quote's business, which reports them with their reason.
    pub fn resolve(&self, selection: &Selection) -> Result<ResolvedSelection, CatalogError> {
        for group in selection.keys() {
            if !self.groups.iter().any(|g| &g.code == group) {
                return Err(CatalogError::UnknownGroup {
                    field: format!("selection.{group}"),
                    group: group.clone(),
                });
            }
        }
        let mut chosen = Vec::with_capacity(self.groups.len());
        for (g, group) in self.groups.iter().enumerate() {
            let codes = selection.get(&group.code).map(Vec::as_slice).unwrap_or_default();
            if codes.is_empty() && group.required {
                return Err(CatalogError::MissingRequired {
                    field: format!("selection.{}", group.code),
                    group: group.code.clone(),
                });
            }
            if codes.len() > 1 && group.kind == GroupKind::Single {
                return Err(CatalogError::TooManyValues {
                    field: format!("selection.{}", group.code),
                    group: group.code.clone(),
                });
            }
            for (i, code) in codes.iter().enumerate() {
                let Some(v) = group.values.iter().position(|v| &v.code == code) else {
                    return Err(CatalogError::UnknownValue {
                        field: format!("selection.{}[{i}]", group.code),
                        group: group.code.clone(),
                        value: code.clone(),
                    });
                };
                if chosen.contains(&(g, v)) {
                    return Err(CatalogError::TooManyValues {
                        field: format!("selection.{}[{i}]", group.code),
                        group: group.code.clone(),
                    });
                }
                chosen.push((g, v));
            }
        }
        let price = self.price_of(&chosen);
        Ok(ResolvedSelection { chosen, price })
    }
}

/// A selection checked against its catalog: chosen values as `(group, value)` indices
/// in group order, and the price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedSelection {
    /// `(group index, value index)` of every chosen value, in group order.
    pub chosen: Vec<(usize, usize)>,
    /// Base price plus the chosen values' deltas.
    pub price: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(code: &str, delta: i64) -> OptionValue {
        OptionValue {
            code: code.into(),
            label: code.to_uppercase(),
            price_delta: Money(delta),
            status: ValueStatus::Active,
        }
    }

    fn frozen(code: &str) -> OptionValue {
        OptionValue {
            status: ValueStatus::Frozen {
                reason: "out of supply".into(),
                by: "merchant".into(),
            },
            ..value(code, 0)
        }
    }

    fn bag() -> ProductCatalog {
        ProductCatalog {
            base_price: Money(10_000),
            groups: vec![
                OptionGroup {
                    code: "colour".into(),
                    name: "Colour".into(),
                    kind: GroupKind::Single,
                    required: true,
                    values: vec![frozen("red"), value("navy", 0), value("olive", 500)],
                },
                OptionGroup {
                    code: "addons".into(),
                    name: "Add-ons".into(),
                    kind: GroupKind::Multi,
                    required: false,
                    values: vec![value("monogram", 1_500), value("strap", 900)],
                },
            ],
        }
    }

    fn sel(pairs: &[(&str, &[&str])]) -> Selection {
        pairs
            .iter()
            .map(|(g, vs)| (g.to_string(), vs.iter().map(|v| v.to_string()).collect()))
            .collect()
    }

    #[test]
    fn default_selection_skips_frozen_values_and_optional_groups() {
        assert_eq!(bag().default_selection(), sel(&[("colour", &["navy"])]));
    }

    #[test]
    fn price_adds_every_chosen_delta() {
        let price = bag().price(&sel(&[
            ("colour", &["olive"]),
            ("addons", &["monogram", "strap"]),
        ]));
        assert_eq!(price, Ok(Money(10_000 + 500 + 1_500 + 900)));
    }

    #[test]
    fn missing_required_group_names_the_group() {
        let err = bag().price(&sel(&[])).unwrap_err();
        assert_eq!(err.field(), "selection.colour");
        assert!(matches!(err, CatalogError::MissingRequired { .. }));
    }

    #[test]
    fn two_values_in_a_single_group_are_refused() {
        let err = bag().price(&sel(&[("colour", &["navy", "olive"])])).unwrap_err();
        assert!(matches!(err, CatalogError::TooManyValues { .. }));
    }

    #[test]
    fn unknown_values_and_groups_are_named_with_their_path() {
        let err = bag()
            .price(&sel(&[("colour", &["navy"]), ("addons", &["strap", "gold"])]))
            .unwrap_err();
        assert_eq!(err.field(), "selection.addons[1]");
        let err = bag()
            .price(&sel(&[("colour", &["navy"]), ("size", &["xl"])]))
            .unwrap_err();
        assert_eq!(err.field(), "selection.size");
    }

    #[test]
    fn frozen_values_cannot_be_chosen() {
        let err = bag().price(&sel(&[("colour", &["red"])])).unwrap_err();
        assert!(matches!(err, CatalogError::Frozen { .. }));
    }
}
