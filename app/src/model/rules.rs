//! The admin's Rules page: the merchant's rules under which a kind of suggestion
//! executes by itself, within caps, and what they would have done over the last 30 days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of suggestion a rule may execute, as stored, with their names in words.
pub const RULE_KINDS: [(&str, &str); 5] = [
    ("transfer", "Transfers between locations"),
    ("purchase", "Purchase order drafts"),
    ("raise_stock_level", "Stock-level raises"),
    ("reserve_capacity", "Capacity reservation requests"),
    ("freeze", "Freezes of option values"),
];

/// The name in words of a suggestion kind (the stored name when it is not one).
pub fn kind_name(kind: &str) -> String {
    RULE_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or_else(|| kind.to_string(), |(_, name)| (*name).to_string())
}

/// The Rules page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulesPage {
    /// The shop's currency (`EUR`).
    pub currency: String,
    /// Every rule, oldest first (the order they are tried in).
    pub rules: Vec<RuleView>,
    /// What they would have done over the last 30 days.
    pub dry_run: DryRunView,
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleView {
    /// Row id.
    pub id: i64,
    /// The merchant's name for it.
    pub name: String,
    /// The kind of suggestion it executes (`transfer`, …).
    pub kind: String,
    /// Its conditions in words ("the material is C-X or C-Y").
    pub conditions: Vec<String>,
    /// Cap per action, minor units; `None`: no limit.
    pub max_per_action_minor: Option<i64>,
    /// Cap per day, minor units; `None`: no limit.
    pub max_per_day_minor: Option<i64>,
    /// Whether it is paused.
    pub paused: bool,
    /// Actions it executed today (the shop's day).
    pub actions_today: u32,
    /// Their value, minor units.
    pub spent_today_minor: i64,
}

/// A new rule, as the merchant's form gives it (amounts already read as money).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRule {
    /// Its name, unique in the shop.
    pub name: String,
    /// The kind of suggestion it executes (one of [`RULE_KINDS`]).
    pub kind: String,
    /// ABC–XYZ cells the suggestion's material must be in (`C-X`); empty: any.
    pub classes: Vec<String>,
    /// Only suggestions that make up for a late supplier.
    pub supplier_late: bool,
    /// Cap per action, minor units.
    pub max_per_action_minor: Option<i64>,
    /// Cap per day, minor units.
    pub max_per_day_minor: Option<i64>,
}

/// The rules run over the last 30 days' suggestions, from nothing spent, paused rules
/// as if they ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DryRunView {
    /// First day looked at.
    pub from: NaiveDate,
    /// Last day (today).
    pub to: NaiveDate,
    /// Per rule, in the order they are tried: actions and their value.
    pub tallies: Vec<DryRunTally>,
    /// Every suggestion of those days and what would have happened to it.
    pub decisions: Vec<DryRunDecision>,
}

/// What one rule would have executed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DryRunTally {
    /// The rule.
    pub rule_id: i64,
    /// Its name.
    pub name: String,
    /// Suggestions it would have executed.
    pub actions: u32,
    /// Their value, minor units.
    pub value_minor: i64,
}

/// One suggestion in a dry run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DryRunDecision {
    /// The suggestion.
    pub suggestion_id: i64,
    /// The shop's day it was made.
    pub day: NaiveDate,
    /// Its kind (`transfer`, …).
    pub kind: String,
    /// What it proposed, in one sentence.
    pub summary: String,
    /// What executing it commits, minor units.
    pub value_minor: i64,
    /// The rule that would have executed it.
    pub rule: Option<String>,
    /// Otherwise why each rule of its kind would not have (empty: no rule of its kind).
    pub why_not: Vec<String>,
    /// What the merchant did with it (`accepted`, `open`, …).
    pub status: String,
}
