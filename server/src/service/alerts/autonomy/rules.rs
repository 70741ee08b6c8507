//! The merchant's rules: stored (`automation_rules`), read into the engine's
//! [`Rule`], created, paused, resumed and deleted; each change audited.

use app::model::rules::{NewRule, RULE_KINDS, RuleView};
use chrono::NaiveDate;
use engine::lifecycle::rules::{Condition, Rule};
use engine::money::Money;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

use super::candidates::class_of;
use crate::service::alerts::inbox::executed_on;
use crate::service::{WriteError, invalid};
use crate::store::entities::{SuggestionKind, automation_rules};
use crate::store::unit::{Change, ShopWrite};

/// Longest rule name.
const NAME_MAX: usize = 80;

/// The shop's rules, oldest first: the order they are tried in.
pub(crate) async fn stored(
    db: &impl ConnectionTrait,
    shop_id: i64,
) -> Result<Vec<automation_rules::Model>, DbErr> {
    automation_rules::Entity::find()
        .filter(automation_rules::Column::ShopId.eq(shop_id))
        .order_by_asc(automation_rules::Column::Id)
        .all(db)
        .await
}

/// A stored rule as the engine reads it; `None` when its kind or conditions cannot be
/// read (then it acts on nothing).
pub(crate) fn engine_rule(row: &automation_rules::Model) -> Option<Rule> {
    let kind = serde_json::from_value(json!(row.kind)).ok()?;
    let conditions: Vec<Condition> = serde_json::from_value(row.conditions.clone()).ok()?;
    Some(Rule {
        id: row.id,
        kind,
        conditions,
        max_per_action: row.max_per_action_minor.map(Money),
        max_per_day: row.max_per_day_minor.map(Money),
        paused: row.paused,
    })
}

/// The rules with what each executed on `today`.
pub async fn views(
    db: &impl ConnectionTrait,
    shop_id: i64,
    tz: chrono_tz::Tz,
    today: NaiveDate,
) -> Result<Vec<RuleView>, DbErr> {
    let rows = stored(db, shop_id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    // One read gives both what each rule did today and what it spent.
    let mut today_by_rule: std::collections::HashMap<i64, (u32, i64)> = std::collections::HashMap::new();
    for (rule, value_minor) in executed_on(db, shop_id, tz, &ids, today, &[]).await? {
        let (actions, spent) = today_by_rule.entry(rule).or_default();
        *actions += 1;
        *spent = spent.saturating_add(value_minor);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let (actions_today, spent_today_minor) = today_by_rule.get(&row.id).copied().unwrap_or_default();
            RuleView {
                conditions: conditions_in_words(&row),
                spent_today_minor,
                actions_today,
                id: row.id,
                name: row.name,
                kind: row.kind,
                max_per_action_minor: row.max_per_action_minor,
                max_per_day_minor: row.max_per_day_minor,
                paused: row.paused,
            }
        })
        .collect())
}

/// A rule's conditions in words.
fn conditions_in_words(row: &automation_rules::Model) -> Vec<String> {
    let conditions: Vec<Condition> = serde_json::from_value(row.conditions.clone()).unwrap_or_default();
    conditions
        .iter()
        .map(|c| match c {
            Condition::ClassIn { classes } => {
                let names: Vec<String> = classes.iter().map(|c| format!("{}-{}", c.abc, c.xyz)).collect();
                format!("the material is {}", names.join(" or "))
            }
            Condition::SupplierLate => "it makes up for a late supplier".to_string(),
        })
        .collect()
}

/// Creates `new`; refused by field (`name`, `kind`, `classes`, `max_per_action`,
/// `max_per_day`) and changing nothing when it cannot be a rule.
pub async fn create_rule(mut w: ShopWrite, new: &NewRule) -> Result<i64, WriteError> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(invalid(
            "name",
            "give the rule a name, e.g. “transfers under 500”",
        ));
    }
    if name.chars().count() > NAME_MAX {
        return Err(invalid("name", format!("must be at most {NAME_MAX} characters")));
    }
    if !RULE_KINDS.iter().any(|(k, _)| *k == new.kind) {
        let kinds: Vec<&str> = RULE_KINDS.iter().map(|(k, _)| *k).collect();
        return Err(invalid(
            "kind",
            format!(
                "`{}` is not a kind of suggestion a rule executes ({})",
                new.kind,
                kinds.join(", ")
            ),
        ));
    }
    let mut conditions = Vec::new();
    let mut classes = Vec::new();
    for text in new.classes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let class = text
            .to_ascii_uppercase()
            .split_once('-')
            .and_then(|(abc, xyz)| class_of(abc.trim(), xyz.trim()))
            .ok_or_else(|| {
                invalid(
                    "classes",
                    format!("“{text}” is not a class like C-X (A, B or C, then X, Y or Z)"),
                )
            })?;
        if !classes.contains(&class) {
            classes.push(class);
        }
    }
    if !classes.is_empty() {
        conditions.push(Condition::ClassIn { classes });
    }
    if new.supplier_late {
        conditions.push(Condition::SupplierLate);
    }
    for (field, cap) in [
        ("max_per_action", new.max_per_action_minor),
        ("max_per_day", new.max_per_day_minor),
    ] {
        if cap.is_some_and(|c| c <= 0) {
            return Err(invalid(
                field,
                "must be more than 0 (leave it empty for no limit)",
            ));
        }
    }
    if let (Some(action), Some(day)) = (new.max_per_action_minor, new.max_per_day_minor)
        && action > day
    {
        return Err(invalid(
            "max_per_action",
            format!(
                "{} per action is more than the {} a day allows",
                Money(action),
                Money(day)
            ),
        ));
    }
    let taken = automation_rules::Entity::find()
        .filter(automation_rules::Column::ShopId.eq(w.shop()))
        .filter(automation_rules::Column::Name.eq(name))
        .one(&w)
        .await?;
    if taken.is_some() {
        return Err(invalid("name", format!("a rule named “{name}” exists already")));
    }
    let now = w.now();
    let row = automation_rules::ActiveModel {
        shop_id: Set(w.shop()),
        name: Set(name.to_string()),
        kind: Set(new.kind.clone()),
        conditions: Set(json!(conditions)),
        max_per_action_minor: Set(new.max_per_action_minor),
        max_per_day_minor: Set(new.max_per_day_minor),
        paused: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    // A rule changes no quote; it acts on the next suggestions.
    w.record(
        Change::new("automation_rule.create", "automation_rule", row.id.to_string())
            .after(json!(row))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(row.id)
}

/// Pauses (`paused`) or resumes rule `id`.
pub async fn set_rule_paused(mut w: ShopWrite, id: i64, paused: bool) -> Result<(), WriteError> {
    let row = find(&w, id).await?;
    if row.paused == paused {
        return Err(WriteError::Conflict(format!(
            "rule “{}” is {} already",
            row.name,
            if paused { "paused" } else { "running" }
        )));
    }
    let mut active: automation_rules::ActiveModel = row.clone().into();
    active.paused = Set(paused);
    active.updated_at = Set(w.now());
    active.update(&w).await?;
    let action = if paused {
        "automation_rule.pause"
    } else {
        "automation_rule.resume"
    };
    w.record(
        Change::new(action, "automation_rule", id.to_string())
            .before(Some(json!({"name": row.name, "paused": row.paused})))
            .after(json!({"name": row.name, "paused": paused}))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// Deletes rule `id`; what it executed keeps naming it in the audit log.
pub async fn delete_rule(mut w: ShopWrite, id: i64) -> Result<(), WriteError> {
    let row = find(&w, id).await?;
    automation_rules::Entity::delete_by_id(id).exec(&w).await?;
    w.record(
        Change::new("automation_rule.delete", "automation_rule", id.to_string())
            .before(Some(json!(row)))
            .after(json!({"deleted": true}))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

async fn find(w: &ShopWrite, id: i64) -> Result<automation_rules::Model, WriteError> {
    automation_rules::Entity::find_by_id(id)
        .filter(automation_rules::Column::ShopId.eq(w.shop()))
        .one(w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no rule {id} in this shop")))
}

/// Whether a stored kind is one a rule may execute.
pub(crate) fn executable(kind: SuggestionKind) -> bool {
    RULE_KINDS.iter().any(|(k, _)| *k == kind.as_str())
}
