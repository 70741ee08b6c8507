//! Rule-bounded autonomy (PRODUCT.md, "Signals, alerts, suggestions"): the merchant's
//! rules under which a kind of suggestion executes by itself, within caps per action
//! and per day, pausable, each action audited under the rule and undoable where undo
//! makes sense (`super::inbox::undo`).
//!
//! [`act`] runs after every pass of the alert rules that store suggestions (the
//! recomputation and a consumption report): the open suggestions made today are judged
//! by `engine::lifecycle::rules::evaluate` against what the rules have executed today,
//! and each one a rule takes is executed through [`super::inbox::execute`], the same
//! path as the merchant's Accept, which checks the rule's caps again inside its unit of
//! work. Rules act on the day's suggestions only: a rule created or resumed today does
//! not sweep up last week's (the dry run shows what it would have done with them).
//! [`dry_run`] evaluates the rules over the last 30 days' suggestions.

mod candidates;
pub mod rules;

use std::collections::HashMap;

use app::model::rules::{DryRunDecision, DryRunTally, DryRunView, RulesPage};
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use engine::lifecycle::rules::{DRY_RUN_DAYS, Outcome, Refusal, Rule, evaluate};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::inbox::{ActingRule, execute_by_rule, spent_on, summary_of, zone_of};
use crate::service::WriteError;
use crate::store::entities::{SuggestionStatus, shops, suggestions};
use crate::store::{Db, StoreError};

/// Who acts when a rule executes a suggestion: `automation:<rule id>`.
pub fn actor(rule: i64) -> String {
    format!("automation:{rule}")
}

/// Executes the shop's open suggestions made today that a running rule takes, within
/// its caps; how many were executed. A suggestion decided meanwhile, or a rule paused
/// meanwhile, is left (the unit of work refuses it and nothing changes).
pub async fn act_on_suggestions(
    db: &Db,
    shop: &shops::Model,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let rows = rules::stored(db, shop.id).await?;
    let running: Vec<(Rule, String)> = rows
        .iter()
        .filter(|r| !r.paused)
        .filter_map(|r| rules::engine_rule(r).map(|rule| (rule, r.name.clone())))
        .collect();
    if running.is_empty() {
        return Ok(0);
    }
    let tz = zone_of(shop);
    let today = now.with_timezone(&tz).date_naive();
    let open: Vec<suggestions::Model> = made_since(db, shop.id, now - TimeDelta::days(2))
        .await?
        .into_iter()
        .filter(|s| s.status == SuggestionStatus::Open && rules::executable(s.kind))
        .filter(|s| s.created_at.with_timezone(&tz).date_naive() == today)
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    let candidates = candidates::candidates(db, shop.id, tz, &open).await?;
    let ids: Vec<i64> = running.iter().map(|(r, _)| r.id).collect();
    let spent = spent_on(db, shop.id, tz, &ids, today, &[]).await?;
    let engine_rules: Vec<Rule> = running.iter().map(|(r, _)| r.clone()).collect();
    let mut executed = 0;
    for decision in evaluate(&engine_rules, &candidates, &spent) {
        let Outcome::Executed { rule, .. } = decision.outcome else {
            continue;
        };
        let Some((rule, name)) = running.iter().find(|(r, _)| r.id == rule) else {
            continue;
        };
        let acting = ActingRule {
            rule: rule.clone(),
            name: name.clone(),
        };
        let w = db.write(shop.id, actor(rule.id)).await?;
        match execute_by_rule(
            w,
            decision.candidate.suggestion,
            &acting,
            decision.candidate,
            today,
        )
        .await
        {
            Ok(_) => executed += 1,
            Err(WriteError::Store(e)) => return Err(e),
            Err(refused) => {
                tracing::info!(shop = %shop.slug, rule = %name, suggestion = decision.candidate.suggestion,
                    reason = %refused, "a rule left a suggestion to the merchant");
            }
        }
    }
    Ok(executed)
}

/// The shop's suggestions made since `since`, oldest first (the order rules judge them).
async fn made_since(
    db: &impl ConnectionTrait,
    shop_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<suggestions::Model>, DbErr> {
    suggestions::Entity::find()
        .filter(suggestions::Column::ShopId.eq(shop_id))
        .filter(suggestions::Column::CreatedAt.gte(since))
        .order_by_asc(suggestions::Column::CreatedAt)
        .order_by_asc(suggestions::Column::Id)
        .all(db)
        .await
}

/// The Rules page: the rules, what they executed today, and the dry run.
pub async fn page(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    now: DateTime<Utc>,
) -> Result<RulesPage, DbErr> {
    let tz = zone_of(shop);
    let today = now.with_timezone(&tz).date_naive();
    Ok(RulesPage {
        currency: shop.currency.clone(),
        rules: rules::views(db, shop.id, tz, today).await?,
        dry_run: dry_run(db, shop, today).await?,
    })
}

/// What the shop's rules would have done with the suggestions of the last
/// [`DRY_RUN_DAYS`] days (`engine::lifecycle::rules::dry_run`: from nothing spent,
/// paused rules as if they ran), whatever became of those suggestions.
pub async fn dry_run(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    today: NaiveDate,
) -> Result<DryRunView, DbErr> {
    let tz = zone_of(shop);
    let rows = rules::stored(db, shop.id).await?;
    let engine_rules: Vec<Rule> = rows.iter().filter_map(rules::engine_rule).collect();
    let names: HashMap<i64, String> = rows.iter().map(|r| (r.id, r.name.clone())).collect();
    let first = today
        .checked_sub_days(Days::new(u64::from(DRY_RUN_DAYS)))
        .unwrap_or(today);
    let since = first
        .and_hms_opt(0, 0, 0)
        .map_or(DateTime::<Utc>::MIN_UTC, |t| t.and_utc())
        - TimeDelta::days(1);
    let history: Vec<suggestions::Model> = made_since(db, shop.id, since)
        .await?
        .into_iter()
        .filter(|s| rules::executable(s.kind))
        .collect();
    let candidates = candidates::candidates(db, shop.id, tz, &history).await?;
    let run = engine::lifecycle::rules::dry_run(&engine_rules, &candidates, today);
    let by_id: HashMap<i64, &suggestions::Model> = history.iter().map(|s| (s.id, s)).collect();
    let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("rule #{id}"));
    let decisions = run
        .decisions
        .iter()
        .filter_map(|d| {
            let s = by_id.get(&d.candidate.suggestion)?;
            let (rule, why_not) = match &d.outcome {
                Outcome::Executed { rule, .. } => (Some(name(*rule)), Vec::new()),
                Outcome::LeftToMerchant { refusals } => (
                    None,
                    refusals
                        .iter()
                        .map(|r| format!("{}: {}", name(r.rule), why(&r.refusal)))
                        .collect(),
                ),
            };
            Some(DryRunDecision {
                suggestion_id: s.id,
                day: d.candidate.day,
                kind: s.kind.to_string(),
                summary: summary_of(s),
                value_minor: d.candidate.value.minor(),
                rule,
                why_not,
                status: s.status.to_string(),
            })
        })
        .collect();
    Ok(DryRunView {
        from: run.from,
        to: run.to,
        tallies: run
            .tallies
            .iter()
            .map(|t| DryRunTally {
                rule_id: t.rule,
                name: name(t.rule),
                actions: t.actions,
                value_minor: t.value.minor(),
            })
            .collect(),
        decisions,
    })
}

/// Why a rule did not act, in words.
fn why(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Paused => "paused".into(),
        Refusal::ClassNotCovered => "the material is not in its classes".into(),
        Refusal::SupplierNotLate => "no supplier is late".into(),
        Refusal::OverActionCap { value, cap } => format!("worth {value}, over its {cap} per action"),
        Refusal::DayCapReached { spent, value, cap } => {
            format!("{spent} spent that day, {value} more would pass its {cap} a day")
        }
    }
}
