//! Rule-bounded autonomy (PRODUCT.md, "Signals, alerts, suggestions"): the merchant's
//! rules under which a kind of suggestion executes by itself, within caps.
//!
//! A [`Rule`] applies to one kind of suggestion, may narrow it with conditions (the
//! material's ABC–XYZ class, a late supplier) and caps the value of one action and of
//! all its actions on one day; it can be paused. [`evaluate`] takes suggestions in the
//! order they were made and decides each one: the first rule of its kind that can act
//! executes it (rules are tried in the order given), and its spending that day grows by
//! the suggestion's value. Otherwise the suggestion is left to the merchant with every
//! rule of its kind and why it did not act, so the inbox can say so.
//!
//! Examples: "transfers under €500" is a `transfer` rule with `max_per_action` 500.00;
//! "raise stock level for C-X materials" a `raise_stock_level` rule with the class C-X;
//! "release a top-up to the second supplier when the first is late" a `purchase` rule
//! with the `supplier_late` condition (lowering the late supplier's share is the
//! server's part of executing it).
//!
//! Caps are inclusive: a transfer worth exactly the cap executes. [`dry_run`] runs the
//! same evaluation over the last [`DRY_RUN_DAYS`] days of suggestions.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::SettingError;
use crate::money::Money;
use crate::policy::{Abc, Xyz};

/// The caller's identifier of a rule.
pub type RuleId = i64;
/// The caller's identifier of a suggestion.
pub type SuggestionId = i64;

/// What a suggestion proposes; the names are those stored in `suggestions.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Raise a material's stock level one step.
    RaiseStockLevel,
    /// Place a purchase order (a draft, or a top-up from a second supplier).
    Purchase,
    /// Move stock between nodes.
    Transfer,
    /// Reserve supplier capacity.
    ReserveCapacity,
    /// Freeze an option value.
    Freeze,
    /// Use a leftover material in a live product.
    ReuseMaterial,
}

/// A cell of the ABC–XYZ matrix (C-X: little value, steady demand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Class {
    /// Value class.
    pub abc: Abc,
    /// Variability class.
    pub xyz: Xyz,
}

/// What must hold of a suggestion for a rule to take it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "snake_case")]
pub enum Condition {
    /// The suggestion's material is in one of these classes.
    ClassIn {
        /// The classes.
        classes: Vec<Class>,
    },
    /// The suggestion makes up for a supplier that is late.
    SupplierLate,
}

/// A merchant's rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Its identifier, named in every decision.
    pub id: RuleId,
    /// The kind of suggestion it executes.
    pub kind: SuggestionKind,
    /// All must hold.
    pub conditions: Vec<Condition>,
    /// Highest value of one action; `None`: no limit.
    pub max_per_action: Option<Money>,
    /// Highest value of all its actions on one day; `None`: no limit.
    pub max_per_day: Option<Money>,
    /// A paused rule acts on nothing.
    pub paused: bool,
}

impl Rule {
    /// Checks that no cap is negative.
    pub fn check(&self) -> Result<(), SettingError> {
        for (field, cap) in [
            ("max_per_action", self.max_per_action),
            ("max_per_day", self.max_per_day),
        ] {
            if let Some(cap) = cap.filter(|c| c.minor() < 0) {
                let range = "at least 0";
                return Err(SettingError {
                    field,
                    value: cap.minor() as f64,
                    range,
                });
            }
        }
        Ok(())
    }
}

/// A suggestion as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The suggestion.
    pub suggestion: SuggestionId,
    /// What it proposes.
    pub kind: SuggestionKind,
    /// The shop's day it was made: caps per day count on it.
    pub day: NaiveDate,
    /// What executing it commits: the goods moved or bought, the added safety stock's
    /// value; 0 for what costs nothing (a freeze).
    pub value: Money,
    /// Its material's class, if it is about one material.
    pub class: Option<Class>,
    /// Whether it makes up for a late supplier.
    pub supplier_late: bool,
}

/// Why one rule did not act on a suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Refusal {
    /// The rule is paused.
    Paused,
    /// The material's class is not one the rule names (or the suggestion has none).
    ClassNotCovered,
    /// The rule is for late suppliers and this one is not.
    SupplierNotLate,
    /// The suggestion is worth more than one action may be.
    OverActionCap {
        /// The suggestion's value.
        value: Money,
        /// The rule's cap per action.
        cap: Money,
    },
    /// The rule's spending that day would pass its cap.
    DayCapReached {
        /// Already spent by the rule that day.
        spent: Money,
        /// The suggestion's value.
        value: Money,
        /// The rule's cap per day.
        cap: Money,
    },
}

/// One rule's refusal, named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRefusal {
    /// The rule.
    pub rule: RuleId,
    /// Why it did not act.
    pub refusal: Refusal,
}

/// What happened to a suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A rule executed it.
    Executed {
        /// The rule, for the audit trail.
        rule: RuleId,
        /// The rule's spending that day, this action included.
        spent_that_day: Money,
    },
    /// It waits for the merchant.
    LeftToMerchant {
        /// Every rule of its kind and why it did not act; empty when the kind has no
        /// rule.
        refusals: Vec<RuleRefusal>,
    },
}

/// The decision on one suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The suggestion as it was judged.
    pub candidate: Candidate,
    /// What happened to it.
    pub outcome: Outcome,
}

/// What rules have spent, per rule and day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spending(BTreeMap<(RuleId, NaiveDate), Money>);

impl Spending {
    /// Nothing spent.
    pub fn new() -> Spending {
        Spending::default()
    }

    /// Adds an executed action of `rule` on `day`.
    pub fn record(&mut self, rule: RuleId, day: NaiveDate, value: Money) {
        let spent = self.0.entry((rule, day)).or_default();
        *spent = Money(spent.minor().saturating_add(value.minor()));
    }

    /// What `rule` has spent on `day`.
    pub fn spent(&self, rule: RuleId, day: NaiveDate) -> Money {
        self.0.get(&(rule, day)).copied().unwrap_or_default()
    }
}

/// Decides `candidates`, in the order they were made, under `rules`, after what the
/// rules have already `spent` (their executed actions of the days concerned).
pub fn evaluate(rules: &[Rule], candidates: &[Candidate], spent: &Spending) -> Vec<Decision> {
    let mut spending = spent.clone();
    candidates
        .iter()
        .map(|candidate| {
            let mut refusals = Vec::new();
            for rule in rules.iter().filter(|r| r.kind == candidate.kind) {
                let spent = spending.spent(rule.id, candidate.day);
                match refusal(rule, candidate, spent) {
                    Some(refusal) => refusals.push(RuleRefusal {
                        rule: rule.id,
                        refusal,
                    }),
                    None => {
                        spending.record(rule.id, candidate.day, candidate.value);
                        let outcome = Outcome::Executed {
                            rule: rule.id,
                            spent_that_day: spending.spent(rule.id, candidate.day),
                        };
                        return Decision {
                            candidate: *candidate,
                            outcome,
                        };
                    }
                }
            }
            Decision {
                candidate: *candidate,
                outcome: Outcome::LeftToMerchant { refusals },
            }
        })
        .collect()
}

/// Why `rule` cannot act on `candidate` with `spent` already spent that day, checked in
/// the order a merchant would ask: is it on, does it cover this, is it within its caps.
fn refusal(rule: &Rule, candidate: &Candidate, spent: Money) -> Option<Refusal> {
    if rule.paused {
        return Some(Refusal::Paused);
    }
    for condition in &rule.conditions {
        match condition {
            Condition::ClassIn { classes } => {
                if !candidate.class.is_some_and(|c| classes.contains(&c)) {
                    return Some(Refusal::ClassNotCovered);
                }
            }
            Condition::SupplierLate => {
                if !candidate.supplier_late {
                    return Some(Refusal::SupplierNotLate);
                }
            }
        }
    }
    let value = candidate.value;
    if let Some(cap) = rule.max_per_action.filter(|&cap| value > cap) {
        return Some(Refusal::OverActionCap { value, cap });
    }
    let after = spent.minor().saturating_add(value.minor());
    rule.max_per_day
        .filter(|cap| after > cap.minor())
        .map(|cap| Refusal::DayCapReached { spent, value, cap })
}

/// Days a dry run looks back over, today included.
pub const DRY_RUN_DAYS: u32 = 30;

/// What one rule would have done in a dry run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTally {
    /// The rule.
    pub rule: RuleId,
    /// Suggestions it would have executed.
    pub actions: u32,
    /// Their value, summed.
    pub value: Money,
}

/// What the rules would have done over the last [`DRY_RUN_DAYS`] days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRun {
    /// First day looked at.
    pub from: NaiveDate,
    /// Last day looked at (today).
    pub to: NaiveDate,
    /// The decision on every suggestion of those days, in the order given.
    pub decisions: Vec<Decision>,
    /// Per rule, in the order given, what it would have executed.
    pub tallies: Vec<RuleTally>,
}

/// Evaluates `rules` over the suggestions of `history` made in the last
/// [`DRY_RUN_DAYS`] days up to `today`, from nothing spent. Paused rules are evaluated
/// as if they ran: a dry run is how a merchant sees what a rule would do before
/// resuming or enabling it.
pub fn dry_run(rules: &[Rule], history: &[Candidate], today: NaiveDate) -> DryRun {
    let from = today
        .checked_sub_days(Days::new(u64::from(DRY_RUN_DAYS - 1)))
        .unwrap_or(NaiveDate::MIN);
    let running: Vec<Rule> = rules
        .iter()
        .map(|r| Rule {
            paused: false,
            ..r.clone()
        })
        .collect();
    let window: Vec<Candidate> = history
        .iter()
        .filter(|c| (from..=today).contains(&c.day))
        .copied()
        .collect();
    let decisions = evaluate(&running, &window, &Spending::new());
    let tallies = rules
        .iter()
        .map(|rule| {
            let mut tally = RuleTally {
                rule: rule.id,
                actions: 0,
                value: Money(0),
            };
            for decision in &decisions {
                if matches!(decision.outcome, Outcome::Executed { rule: r, .. } if r == rule.id) {
                    tally.actions += 1;
                    tally.value = tally.value + decision.candidate.value;
                }
            }
            tally
        })
        .collect();
    DryRun {
        from,
        to: today,
        decisions,
        tallies,
    }
}

#[cfg(test)]
mod tests;
