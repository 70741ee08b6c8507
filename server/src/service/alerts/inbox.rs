//! The alert inbox: alerts with their suggestions, and a merchant's decisions.
//!
//! Accepting a suggestion applies it in the unit of work that records the decision,
//! with an audit row naming the merchant and the rule that suggested it: a raised
//! stock level is written to the material (the next recomputation uses it), a
//! capacity reservation is requested from the supplier. A suggestion is decided once
//! (`UPDATE … WHERE status = 'open'`): a second click, or a second merchant, is told
//! it was already decided and nothing happens twice. When an alert has no open
//! suggestion left it is resolved.

use app::model::admin::{NewPurchaseOrder, NewTransfer};
use app::model::alerts::{AlertView, Evidence, SuggestionView};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

use crate::service::WriteError;
use crate::store::StoreError;
use crate::store::entities::{
    AlertStatus, ReservationStatus, SuggestionKind, SuggestionStatus, alerts, automation_rules,
    capacity_reservations, materials, shops, suggestions,
};
use crate::store::unit::{Change, ShopWrite};
use engine::lifecycle::rules::{Candidate, Outcome, Rule, Spending, evaluate};
use engine::money::Money;

/// Alerts shown: every open one and the most recent decided ones.
const DECIDED_SHOWN: u64 = 50;

/// What a merchant decides about a suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Apply it.
    Accept,
    /// Leave it.
    Dismiss,
}

/// What a decision changed, for the caller to act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    /// A material's stock level changed: its policy should be recomputed.
    pub stock_level_changed: bool,
}

/// Open alerts (newest first), then recently decided ones.
pub async fn list(db: &impl ConnectionTrait, shop_id: i64) -> Result<Vec<AlertView>, StoreError> {
    let open = alerts::Entity::find()
        .filter(alerts::Column::ShopId.eq(shop_id))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .order_by_desc(alerts::Column::CreatedAt)
        .order_by_desc(alerts::Column::Id)
        .all(db)
        .await?;
    let decided = alerts::Entity::find()
        .filter(alerts::Column::ShopId.eq(shop_id))
        .filter(alerts::Column::Status.ne(AlertStatus::Open))
        .order_by_desc(alerts::Column::CreatedAt)
        .order_by_desc(alerts::Column::Id)
        .limit(DECIDED_SHOWN)
        .all(db)
        .await?;
    let ids: Vec<i64> = open.iter().chain(&decided).map(|a| a.id).collect();
    let mut by_alert: std::collections::HashMap<i64, Vec<SuggestionView>> = std::collections::HashMap::new();
    let rows = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.is_in(ids))
        .order_by_asc(suggestions::Column::Id)
        .all(db)
        .await?;
    let rule_names: std::collections::HashMap<i64, String> = automation_rules::Entity::find()
        .filter(automation_rules::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for s in rows {
        if let Some(alert) = s.alert_id {
            by_alert.entry(alert).or_default().push(view(&s, &rule_names));
        }
    }
    Ok(open
        .into_iter()
        .chain(decided)
        .map(|a| AlertView {
            subject: subject(&a),
            message: sentence(&a),
            evidence: evidence(&a),
            suggestions: by_alert.remove(&a.id).unwrap_or_default(),
            id: a.id,
            kind: a.kind,
            severity: a.severity.to_string(),
            status: a.status.to_string(),
            created_at: a.created_at,
        })
        .collect())
}

/// The stored figures, read as the rule that raised the alert wrote them.
fn evidence(alert: &alerts::Model) -> Option<Evidence> {
    let figures = alert.evidence.clone();
    match alert.kind.as_str() {
        super::heat_spike::KIND => serde_json::from_value(figures).ok().map(Evidence::HeatSpike),
        super::overconsumption::KIND => serde_json::from_value(figures)
            .ok()
            .map(Evidence::WipOverconsumption),
        super::decay::KIND => serde_json::from_value(figures).ok().map(Evidence::DemandDecay),
        super::shortage::LATE_SUPPLY => serde_json::from_value(figures).ok().map(Evidence::LateSupply),
        super::shortage::BELOW_REORDER_POINT => serde_json::from_value(figures)
            .ok()
            .map(Evidence::BelowReorderPoint),
        _ => None,
    }
}

/// Open alerts of the shop (for the navigation's badge).
pub async fn open_count(db: &impl ConnectionTrait, shop_id: i64) -> Result<u64, StoreError> {
    Ok(alerts::Entity::find()
        .filter(alerts::Column::ShopId.eq(shop_id))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .count(db)
        .await?)
}

/// The alert's subject in words: the stored message's part before " — ".
fn subject(alert: &alerts::Model) -> String {
    alert
        .message
        .split_once(" — ")
        .map_or_else(|| alert.subject.clone(), |(subject, _)| subject.to_string())
}

/// The alert's sentence without its subject (the inbox shows the subject as heading).
fn sentence(alert: &alerts::Model) -> String {
    let rest = alert
        .message
        .split_once(" — ")
        .map_or(alert.message.as_str(), |(_, rest)| rest);
    let mut chars = rest.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn view(s: &suggestions::Model, rule_names: &std::collections::HashMap<i64, String>) -> SuggestionView {
    SuggestionView {
        id: s.id,
        kind: s.kind.to_string(),
        summary: summary(s.kind, &s.payload),
        status: s.status.to_string(),
        decided_by: s.decided_by.clone(),
        decided_at: s.decided_at,
        rule: s.rule_id.map(|id| {
            rule_names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("rule #{id} (deleted)"))
        }),
        undoable: matches!(s.status, SuggestionStatus::Accepted | SuggestionStatus::Executed)
            && s.applied.is_some(),
        undone: s.undone_at.map(|at| {
            format!(
                "undone by {} on {}",
                s.undone_by.as_deref().unwrap_or("someone"),
                at.format("%Y-%m-%d %H:%M UTC")
            )
        }),
    }
}

/// What accepting suggestion `s` does, in one sentence (the dry run lists it).
pub(crate) fn summary_of(s: &suggestions::Model) -> String {
    summary(s.kind, &s.payload)
}

/// The sentence a top-up from a second supplier adds: whom it makes up for, and that
/// accepting lowers that supplier's forecast share.
fn top_up(p: &Value) -> String {
    let late = &p["late_supplier"];
    match (p["supplier_late"].as_bool(), late["name"].as_str()) {
        (Some(true), Some(name)) => format!(
            " A top-up for late {name}: accepting halves {name}'s forecast share of this material in favour of {}.",
            p["supplier_name"].as_str().unwrap_or_default()
        ),
        _ => String::new(),
    }
}

/// What accepting a suggestion does, in one sentence.
fn summary(kind: SuggestionKind, p: &Value) -> String {
    let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
    match kind {
        SuggestionKind::RaiseStockLevel => format!(
            "Raise the stock level of {} ({}) from {} to {}: its safety stock grows {}.",
            text("name"),
            text("sku"),
            text("from"),
            text("to"),
            match (text("from").as_str(), text("to").as_str()) {
                ("low", "medium") => "from 0.5× to 1×",
                ("medium", "high") => "from 1× to 1.5×",
                _ => "one step",
            }
        ),
        SuggestionKind::ReserveCapacity => format!(
            "Reserve {} {} of {} ({}) with {} for {} – {}, to be confirmed by {}: {:.1} {} a day of heat-based demand over {} days of lead time.",
            p["quantity"],
            text("unit"),
            text("name"),
            text("sku"),
            text("supplier"),
            text("window_start"),
            text("window_end"),
            text("confirm_by").get(..10).unwrap_or_default(),
            p["basis"]["add_to_cart_per_day"].as_f64().unwrap_or(0.0)
                * p["basis"]["conversion"].as_f64().unwrap_or(0.0)
                * p["basis"]["units_per_product"].as_f64().unwrap_or(0.0),
            text("unit"),
            p["basis"]["lead_time_days"],
        ),
        SuggestionKind::Transfer if p["freed_order_id"].is_i64() => format!(
            "Take back {} {} of {} ({}) issued to cancelled order #{} at {}{}, arriving {}{}: parts it freed, {} {} of them still unused. Value {}, moving cost {}.",
            p["quantity"],
            text("unit"),
            text("name"),
            text("sku"),
            p["freed_order_id"],
            text("from_node"),
            if text("from_node") == text("to_node") {
                String::new()
            } else {
                format!(" and transfer them to {}", text("to_node"))
            },
            text("arrives"),
            if p["on_time"].as_bool().unwrap_or(false) {
                ""
            } else {
                " (after it is needed)"
            },
            p["freed"],
            text("unit"),
            minor(&p["value_minor"]),
            minor(&p["cost_minor"]),
        ),
        SuggestionKind::Transfer => format!(
            "Transfer {} {} of {} ({}) from {} to {}, arriving {}{}: {} has {} on hand, {} promised to orders and keeps {} as safety stock. Value {}, moving cost {}.",
            p["quantity"],
            text("unit"),
            text("name"),
            text("sku"),
            text("from_node"),
            text("to_node"),
            text("arrives"),
            if p["on_time"].as_bool().unwrap_or(false) {
                ""
            } else {
                " (after it is needed)"
            },
            text("from_node"),
            p["on_hand"],
            p["reserved"],
            p["safety_stock"],
            minor(&p["value_minor"]),
            minor(&p["cost_minor"]),
        ),
        SuggestionKind::Purchase => {
            format!(
                "{}Draft a purchase order of {} {} of {} ({}) from {} for {}, arriving {} ({} days' lead time){}: {} {} still missing after internal sources. Value {}.",
                if p["expedite"].as_bool().unwrap_or(false) {
                    "Expedite: "
                } else {
                    ""
                },
                p["quantity"],
                text("unit"),
                text("name"),
                text("sku"),
                text("supplier_name"),
                text("node"),
                text("arrives"),
                p["lead_time_days"],
                if p["expedite"].as_bool().unwrap_or(false) {
                    ", later than needed at the normal lead time"
                } else {
                    ""
                },
                p["shortfall"],
                text("unit"),
                minor(&p["value_minor"]),
            ) + &top_up(p)
        }
        SuggestionKind::Freeze => format!(
            "Freeze {} of {} ({}): {}.",
            text("label"),
            text("product_name"),
            text("group_name"),
            freeze_reasons(p),
        ),
        SuggestionKind::ReuseMaterial => {
            format!(
                "Use the leftover {} ({}) in {}{} instead of {} ({}): {} {} of its {} {} over the next {} days, saving {}; both {}{}.",
                text("name"),
                text("sku"),
                text("product_name"),
                if text("place") == "value" {
                    format!("'s {} ({})", text("label"), text("group_name"))
                } else {
                    String::new()
                },
                text("line_name"),
                text("line_sku"),
                p["quantity"],
                text("unit"),
                p["demand"],
                text("unit"),
                p["coverage_days"],
                minor(&p["value_saved_minor"]),
                // The kind first: "both fabric, colour family green".
                p["matched_on"]
                    .as_object()
                    .map(|m| {
                        let mut said: Vec<String> = m
                            .get("kind")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .into_iter()
                            .collect();
                        said.extend(m.iter().filter(|(k, _)| k.as_str() != "kind").map(|(k, v)| {
                            format!("{} {}", k.replace('_', " "), v.as_str().unwrap_or_default())
                        }));
                        said.join(", ")
                    })
                    .unwrap_or_default(),
                match p["also_shared"].as_array() {
                    Some(keys) if !keys.is_empty() => format!(
                        "; alike in {} too",
                        keys.iter()
                            .filter_map(Value::as_str)
                            .map(|k| k.replace('_', " "))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => String::new(),
                },
            )
        }
    }
}

/// Why a value should be frozen, in words.
fn freeze_reasons(p: &Value) -> String {
    let reasons = p["reasons"].as_array().cloned().unwrap_or_default();
    let said: Vec<String> = reasons
        .iter()
        .map(|r| match r["reason"].as_str() {
            Some("niche") => format!(
                "chosen in {:.1} % of {} selections ({} times), under {:.0} %",
                r["share"].as_f64().unwrap_or(0.0) * 100.0,
                p["group_selections"],
                p["selections"],
                r["min_share"].as_f64().unwrap_or(0.0) * 100.0,
            ),
            _ => {
                let materials: Vec<String> = r["materials"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|m| {
                        format!(
                            "{} ({} left)",
                            m["name"].as_str().unwrap_or_default(),
                            m["free_stock"]
                        )
                    })
                    .collect();
                format!("no supplier offers {} any more", materials.join(", "))
            }
        })
        .collect();
    said.join("; ")
}

/// An amount in minor units as a plain decimal (`1234` is `12.34`).
fn minor(amount: &Value) -> String {
    let minor = amount.as_i64().unwrap_or_default();
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

/// Records `decision` on suggestion `id` of the write's shop by its actor and, on
/// accept, applies it; all in one unit of work. Most of it changes no quote: a stock
/// level feeds the next policy recomputation, a requested reservation counts only once
/// the supplier confirms it, and a transfer or purchase order is drafted (it counts
/// once the merchant confirms it); a freeze and a swapped line's material do, and
/// their own records move the state version. `today` is the shop's date.
pub async fn decide(
    mut w: ShopWrite,
    id: i64,
    decision: Decision,
    today: NaiveDate,
) -> Result<Decided, WriteError> {
    let suggestion = find(&w, id).await?;
    let status = match decision {
        Decision::Accept => SuggestionStatus::Accepted,
        Decision::Dismiss => SuggestionStatus::Dismissed,
    };
    claim(&w, &suggestion, status, None).await?;
    let mut decided = Decided {
        stock_level_changed: false,
    };
    let mut after = json!({"status": status, "kind": suggestion.kind, "payload": suggestion.payload});
    if decision == Decision::Accept {
        let because = json!({"rule": suggestion.kind, "alert_id": suggestion.alert_id, "suggestion_id": id});
        let applied = apply(&mut w, &suggestion, today, &because).await?;
        decided.stock_level_changed = suggestion.kind == SuggestionKind::RaiseStockLevel;
        after["applied"] = applied;
    }
    let action = match decision {
        Decision::Accept => "suggestion.accept",
        Decision::Dismiss => "suggestion.dismiss",
    };
    // The decision itself writes only suggestions and alerts; it says so, or its entry
    // would make an accepted stock level or reservation move the state version.
    w.record(
        Change::new(action, "suggestion", id.to_string())
            .before(Some(json!({"status": SuggestionStatus::Open})))
            .after(after)
            .leaves_quotes(),
    )
    .await?;
    if let Some(alert_id) = suggestion.alert_id {
        close_if_decided(&w, alert_id).await?;
    }
    w.commit().await?;
    Ok(decided)
}

/// One of the merchant's rules, as it executes a suggestion.
#[derive(Clone, Debug)]
pub struct ActingRule {
    /// The rule's caps and conditions.
    pub rule: Rule,
    /// Its name, for the audit trail.
    pub name: String,
}

/// Executes suggestion `id` under `rule` (the write's actor is the rule), as an
/// acceptance would apply it, if the rule may: the rule is re-checked in this unit of
/// work against what it has executed on `candidate.day`, so two evaluations at once
/// (two replicas, a manual recompute beside the schedule) never take a rule past its
/// cap per day; the shop's writes are serialised, and the spending read here is what
/// was committed. Refused as a conflict, changing nothing, when the rule may not act
/// (paused since, over a cap) or the suggestion was decided meanwhile.
pub async fn execute_by_rule(
    mut w: ShopWrite,
    id: i64,
    acting: &ActingRule,
    candidate: Candidate,
    today: NaiveDate,
) -> Result<Decided, WriteError> {
    let suggestion = find(&w, id).await?;
    let shop = shops::Entity::find_by_id(w.shop())
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound("this shop no longer exists".into()))?;
    let spent = spent_on(
        &w,
        shop.id,
        zone_of(&shop),
        &[acting.rule.id],
        candidate.day,
        &[id],
    )
    .await?;
    let decision = evaluate(std::slice::from_ref(&acting.rule), &[candidate], &spent)
        .pop()
        .map(|d| d.outcome);
    let Some(Outcome::Executed { spent_that_day, .. }) = decision else {
        return Err(WriteError::Conflict(format!(
            "rule `{}` may not execute suggestion {id} any more",
            acting.name
        )));
    };
    claim(
        &w,
        &suggestion,
        SuggestionStatus::Executed,
        Some((acting.rule.id, candidate.value.minor())),
    )
    .await?;
    let because = json!({"rule": suggestion.kind, "alert_id": suggestion.alert_id, "suggestion_id": id,
                         "automation_rule": {"id": acting.rule.id, "name": acting.name}});
    let applied = apply(&mut w, &suggestion, today, &because).await?;
    w.record(
        Change::new("suggestion.execute", "suggestion", id.to_string())
            .before(Some(json!({"status": SuggestionStatus::Open})))
            .after(json!({
                "status": SuggestionStatus::Executed, "kind": suggestion.kind, "payload": suggestion.payload,
                "applied": applied,
                "rule": {"id": acting.rule.id, "name": acting.name},
                "value_minor": candidate.value.minor(),
                "rule_spent_that_day_minor": spent_that_day.minor(),
            }))
            .leaves_quotes(),
    )
    .await?;
    if let Some(alert_id) = suggestion.alert_id {
        close_if_decided(&w, alert_id).await?;
    }
    w.commit().await?;
    Ok(Decided {
        stock_level_changed: suggestion.kind == SuggestionKind::RaiseStockLevel,
    })
}

/// What `rules` executed on `day` (the shop's day a suggestion was made, in `tz`), from
/// the stored executions; undone ones committed nothing and do not count. `except` are
/// suggestions left out (the one being decided).
pub(crate) async fn spent_on(
    db: &impl ConnectionTrait,
    shop_id: i64,
    tz: chrono_tz::Tz,
    rules: &[i64],
    day: NaiveDate,
    except: &[i64],
) -> Result<Spending, sea_orm::DbErr> {
    let mut spending = Spending::new();
    for (rule, value_minor) in executed_on(db, shop_id, tz, rules, day, except).await? {
        spending.record(rule, day, Money(value_minor));
    }
    Ok(spending)
}

/// Each execution by one of `rules` of a suggestion made on `day` (see [`spent_on`]):
/// the rule and the value it committed, minor units.
pub(crate) async fn executed_on(
    db: &impl ConnectionTrait,
    shop_id: i64,
    tz: chrono_tz::Tz,
    rules: &[i64],
    day: NaiveDate,
    except: &[i64],
) -> Result<Vec<(i64, i64)>, sea_orm::DbErr> {
    // A suggestion is executed the day it is made or later, so the day's executions
    // were decided since its start (a day back covers any zone).
    let since = day
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc() - chrono::TimeDelta::days(1));
    let mut query = suggestions::Entity::find()
        .filter(suggestions::Column::ShopId.eq(shop_id))
        .filter(suggestions::Column::RuleId.is_in(rules.iter().copied()))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Executed))
        .filter(suggestions::Column::Id.is_not_in(except.iter().copied()));
    if let Some(since) = since {
        query = query.filter(suggestions::Column::DecidedAt.gte(since));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.created_at.with_timezone(&tz).date_naive() == day)
        .filter_map(|s| Some((s.rule_id?, s.value_minor.unwrap_or_default())))
        .collect())
}

/// The shop's time zone (UTC when unknown), which days are counted in.
pub(crate) fn zone_of(shop: &shops::Model) -> chrono_tz::Tz {
    shop.timezone.parse().unwrap_or(chrono_tz::UTC)
}

/// Suggestion `id` of the write's shop.
async fn find(w: &ShopWrite, id: i64) -> Result<suggestions::Model, WriteError> {
    suggestions::Entity::find_by_id(id)
        .filter(suggestions::Column::ShopId.eq(w.shop()))
        .one(w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no suggestion {id} in this shop")))
}

/// Moves the open suggestion to `status` by the write's actor (and `rule`, with the
/// value it commits), or refuses: a suggestion is decided once, whoever is second.
async fn claim(
    w: &ShopWrite,
    suggestion: &suggestions::Model,
    status: SuggestionStatus,
    rule: Option<(i64, i64)>,
) -> Result<(), WriteError> {
    let mut update = suggestions::Entity::update_many()
        .col_expr(suggestions::Column::Status, Expr::value(status))
        .col_expr(suggestions::Column::DecidedBy, Expr::value(w.actor().as_str()))
        .col_expr(suggestions::Column::DecidedAt, Expr::value(w.now()));
    if let Some((rule, value)) = rule {
        update = update
            .col_expr(suggestions::Column::RuleId, Expr::value(rule))
            .col_expr(suggestions::Column::ValueMinor, Expr::value(value));
    }
    let moved = update
        .filter(suggestions::Column::Id.eq(suggestion.id))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .exec(w)
        .await?
        .rows_affected;
    if moved == 0 {
        return Err(WriteError::Conflict(format!(
            "this suggestion was already {} by {}",
            suggestion.status,
            suggestion.decided_by.as_deref().unwrap_or("someone")
        )));
    }
    Ok(())
}

/// Applies an accepted or executed suggestion and stores what it created or changed
/// (`suggestions.applied`), which an undo reverts.
async fn apply(
    w: &mut ShopWrite,
    suggestion: &suggestions::Model,
    today: NaiveDate,
    because: &Value,
) -> Result<Value, WriteError> {
    let p = &suggestion.payload;
    let applied = match suggestion.kind {
        SuggestionKind::RaiseStockLevel => raise_level(w, p, because).await?,
        SuggestionKind::ReserveCapacity => reserve(w, p, because).await?,
        SuggestionKind::Transfer => transfer(w, p, today).await?,
        SuggestionKind::Purchase => purchase(w, p, today).await?,
        SuggestionKind::Freeze => {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            let reason = format!("End of life: {}", freeze_reasons(p));
            let (product, group, value) = (text("product"), text("group"), text("value"));
            crate::service::catalog::freeze_suggested(w, &product, &group, &value, &reason).await?;
            json!({"option_value": {"product": product, "group": group, "value": value}})
        }
        SuggestionKind::ReuseMaterial => {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            let part = super::leftover::part_of(p);
            let (from, to) = (
                p["line_material_id"].as_i64().unwrap_or_default(),
                p["material_id"].as_i64().unwrap_or_default(),
            );
            let swapped =
                crate::service::catalog::swap_bom_material(w, &text("product"), &part, from, to).await?;
            json!({"bom_swap": {"product": text("product"), "group": text("group"), "value": text("value"),
                                "from": swapped["from"], "to": swapped["to"]}})
        }
    };
    suggestions::Entity::update_many()
        .col_expr(suggestions::Column::Applied, Expr::value(applied.clone()))
        .filter(suggestions::Column::Id.eq(suggestion.id))
        .exec(&*w)
        .await?;
    Ok(applied)
}

/// Undoes accepted or executed suggestion `id`: cancels the transfer or purchase order
/// it drafted (while still a draft), the capacity reservation it requested (while still
/// requested), sets the stock level back (while nobody changed it since), or unfreezes
/// the value it froze (while still frozen by it). What moved on since is the
/// merchant's, and the undo is refused naming it; nothing is half undone.
pub async fn undo_suggestion(mut w: ShopWrite, id: i64) -> Result<Decided, WriteError> {
    let suggestion = find(&w, id).await?;
    if !matches!(
        suggestion.status,
        SuggestionStatus::Accepted | SuggestionStatus::Executed
    ) {
        return Err(WriteError::Conflict(format!(
            "suggestion {id} is {}: only an accepted or executed one can be undone",
            suggestion.status
        )));
    }
    let Some(applied) = suggestion.applied.clone() else {
        return Err(WriteError::Conflict(format!(
            "suggestion {id} was applied before undo was recorded; change it where it lives"
        )));
    };
    let moved = suggestions::Entity::update_many()
        .col_expr(suggestions::Column::Status, Expr::value(SuggestionStatus::Undone))
        .col_expr(suggestions::Column::UndoneBy, Expr::value(w.actor().as_str()))
        .col_expr(suggestions::Column::UndoneAt, Expr::value(w.now()))
        .filter(suggestions::Column::Id.eq(id))
        .filter(suggestions::Column::Status.eq(suggestion.status))
        .exec(&w)
        .await?
        .rows_affected;
    if moved == 0 {
        return Err(WriteError::Conflict(format!(
            "suggestion {id} was undone already"
        )));
    }
    super::undo::revert(&mut w, &applied).await?;
    w.record(
        Change::new("suggestion.undo", "suggestion", id.to_string())
            .before(Some(
                json!({"status": suggestion.status, "decided_by": suggestion.decided_by}),
            ))
            .after(json!({"status": SuggestionStatus::Undone, "reverted": applied}))
            .leaves_quotes(),
    )
    .await?;
    w.commit().await?;
    Ok(Decided {
        stock_level_changed: suggestion.kind == SuggestionKind::RaiseStockLevel,
    })
}

/// Dismisses alert `id` and its open suggestions.
pub async fn dismiss_alert(mut w: ShopWrite, id: i64) -> Result<(), WriteError> {
    let moved = alerts::Entity::update_many()
        .col_expr(alerts::Column::Status, Expr::value(AlertStatus::Dismissed))
        .filter(alerts::Column::Id.eq(id))
        .filter(alerts::Column::ShopId.eq(w.shop()))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .exec(&w)
        .await?
        .rows_affected;
    if moved == 0 {
        return Err(WriteError::Conflict(format!("alert {id} is not open")));
    }
    suggestions::Entity::update_many()
        .col_expr(
            suggestions::Column::Status,
            Expr::value(SuggestionStatus::Dismissed),
        )
        .col_expr(suggestions::Column::DecidedBy, Expr::value(w.actor().as_str()))
        .col_expr(suggestions::Column::DecidedAt, Expr::value(w.now()))
        .filter(suggestions::Column::AlertId.eq(id))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .exec(&w)
        .await?;
    w.record(
        Change::new("alert.dismiss", "alert", id.to_string())
            .before(Some(json!({"status": AlertStatus::Open})))
            .after(json!({"status": AlertStatus::Dismissed})),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// Resolves the alert when none of its suggestions is open any more.
async fn close_if_decided(db: &impl ConnectionTrait, alert_id: i64) -> Result<(), sea_orm::DbErr> {
    let open = suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert_id))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .count(db)
        .await?;
    if open == 0 {
        alerts::Entity::update_many()
            .col_expr(alerts::Column::Status, Expr::value(AlertStatus::Resolved))
            .filter(alerts::Column::Id.eq(alert_id))
            .filter(alerts::Column::Status.eq(AlertStatus::Open))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Sets the material's stock level; quotes do not read it (the next policy
/// recomputation does), so the change leaves the state version as it was.
async fn raise_level(w: &mut ShopWrite, payload: &Value, rule: &Value) -> Result<Value, WriteError> {
    let material_id = payload["material_id"].as_i64().unwrap_or_default();
    let to = payload["to"].as_str().unwrap_or("medium");
    let material = materials::Entity::find_by_id(material_id)
        .filter(materials::Column::ShopId.eq(w.shop()))
        .one(&*w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("material {material_id} no longer exists")))?;
    let before = json!({"stock_level": material.stock_level});
    let mut row: materials::ActiveModel = material.into();
    row.stock_level = Set(Some(to.to_string()));
    row.update(&*w).await?;
    w.record(
        Change::new("material.stock_level", "material", material_id.to_string())
            .before(Some(before.clone()))
            .after(json!({"stock_level": to, "because": rule}))
            .leaves_quotes(),
    )
    .await?;
    Ok(json!({"material_id": material_id, "stock_level": {"from": before["stock_level"], "to": to}}))
}

/// Requests the suggested capacity reservation; it feeds quotes only once the supplier
/// confirms it, so the request leaves the state version as it was.
async fn reserve(w: &mut ShopWrite, p: &Value, rule: &Value) -> Result<Value, WriteError> {
    let now = w.now();
    let date = |key: &str| p[key].as_str().and_then(|d| d.parse::<NaiveDate>().ok());
    let (Some(start), Some(end)) = (date("window_start"), date("window_end")) else {
        return Err(WriteError::Conflict(
            "the suggestion's window is unreadable".into(),
        ));
    };
    let confirm_by = p["confirm_by"]
        .as_str()
        .and_then(|d| d.parse::<DateTime<Utc>>().ok())
        .unwrap_or(now);
    let row = capacity_reservations::ActiveModel {
        shop_id: Set(w.shop()),
        supplier_id: Set(p["supplier_id"].as_i64().unwrap_or_default()),
        material_id: Set(p["material_id"].as_i64().unwrap_or_default()),
        quantity: Set(p["quantity"].as_i64().unwrap_or_default()),
        window_start: Set(start),
        window_end: Set(end),
        confirm_by: Set(confirm_by),
        fee_minor: Set(0),
        status: Set(ReservationStatus::Requested),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*w)
    .await?;
    w.record(
        Change::new("reservation.create", "capacity_reservation", row.id.to_string())
            .after(
                json!({"sku": p["sku"], "supplier": p["supplier"], "quantity": p["quantity"],
                   "window": [start, end], "confirm_by": confirm_by, "status": row.status, "because": rule}),
            )
            .leaves_quotes(),
    )
    .await?;
    Ok(json!({"reservation_id": row.id}))
}

/// Drafts the suggested transfer (checked as a merchant's own draft: the lane must
/// exist and the units still be free at the sending node).
async fn transfer(w: &mut ShopWrite, p: &Value, today: NaiveDate) -> Result<Value, WriteError> {
    let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
    // Parts a cancelled order freed: back into their node's stock first, then moved
    // only when they lie elsewhere.
    let returned = match (p["freed_order_id"].as_i64(), p["freed_node_id"].as_i64()) {
        (Some(order), Some(node)) => {
            let quantity = p["quantity"].as_i64().unwrap_or_default();
            let material = p["material_id"].as_i64().unwrap_or_default();
            Some(crate::service::orders::freed::return_parts(w, order, material, node, quantity).await?)
        }
        _ => None,
    };
    if returned.is_some() && text("from_node") == text("to_node") {
        return Ok(json!({"returned": returned}));
    }
    let draft = NewTransfer {
        sku: text("sku"),
        from_node: text("from_node"),
        to_node: text("to_node"),
        quantity: p["quantity"].as_i64().unwrap_or_default(),
        reference: String::new(),
    };
    let row = crate::service::supply::draft_transfer(w, &draft, today).await?;
    let mut applied = json!({"inbound_id": row.id, "reference": row.reference});
    if let Some(returned) = returned {
        applied["returned"] = returned;
    }
    Ok(applied)
}

/// Drafts the suggested purchase order on the supplier's terms, to arrive when the
/// suggestion said (today plus the lead time, if that day has passed).
async fn purchase(w: &mut ShopWrite, p: &Value, today: NaiveDate) -> Result<Value, WriteError> {
    let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
    let lead = p["lead_time_days"].as_u64().unwrap_or_default();
    let eta = p["arrives"]
        .as_str()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .filter(|&d| d >= today)
        .unwrap_or(today + chrono::Days::new(lead));
    let draft = NewPurchaseOrder {
        supplier: text("supplier"),
        sku: text("sku"),
        node: text("node"),
        quantity: p["quantity"].as_i64().unwrap_or_default(),
        eta,
        reference: String::new(),
    };
    let row = crate::service::supply::draft_purchase_order(w, &draft, today).await?;
    let mut applied = json!({"inbound_id": row.id, "reference": row.reference});
    // A top-up from a second supplier: the late one is planned for less from now on.
    if p["supplier_late"].as_bool() == Some(true)
        && let Some(late) = p["late_supplier"]["code"].as_str()
        && let Some(moved) = crate::service::supply::make_up_for_late(
            w,
            p["material_id"].as_i64().unwrap_or_default(),
            late,
            &draft.supplier,
        )
        .await?
    {
        applied["forecast_share"] = moved;
    }
    Ok(applied)
}
