//! Alerts and suggestions (PRODUCT.md, "Signals, alerts, suggestions"): the rules that
//! raise them ([`heat_spike`], [`overconsumption`], [`shortage`], [`decay`], [`leftover`]) and the
//! merchant's inbox ([`inbox`]). Every shortage is covered the same way, internal sources
//! first (`cover`).
//!
//! Every rule stores its alert through [`insert_open`], so "one open alert per shop,
//! kind and subject" holds by construction (`uq_alerts_open`): two replicas evaluating
//! at once, or a manual recompute beside the scheduled one, store an alert and its
//! suggestions once.

pub mod autonomy;
mod cover;
pub mod decay;
pub mod heat_spike;
pub mod inbox;
pub mod leftover;
pub mod overconsumption;
pub mod shortage;
mod undo;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QuerySelect, TryInsertResult,
};

use crate::store::entities::{
    AlertSeverity, AlertStatus, SuggestionKind, SuggestionStatus, alerts, suggestions,
};

/// The stored subject of an alert about a material: the key that keeps one open per
/// material and kind.
pub(crate) fn material_subject(material_id: i64) -> String {
    format!("material:{material_id}")
}

/// The subjects of the shop's alerts of `kind` that are open or were raised within
/// `quiet` before `now`, whatever was decided: a rule raises none of them again.
pub(crate) async fn quiet_subjects(
    db: &impl ConnectionTrait,
    shop_id: i64,
    kind: &str,
    now: DateTime<Utc>,
    quiet: TimeDelta,
) -> Result<Vec<String>, DbErr> {
    alerts::Entity::find()
        .select_only()
        .column(alerts::Column::Subject)
        .filter(alerts::Column::ShopId.eq(shop_id))
        .filter(alerts::Column::Kind.eq(kind))
        .filter(
            Condition::any()
                .add(alerts::Column::Status.eq(AlertStatus::Open))
                .add(alerts::Column::CreatedAt.gt(now - quiet)),
        )
        .into_tuple()
        .all(db)
        .await
}

/// Stores `alert` unless its shop has an open alert of the same kind and subject; the
/// new row's id, or `None` when one was open (perhaps stored by another replica a
/// moment ago), which is left as it is.
pub(crate) async fn insert_open(
    db: &impl ConnectionTrait,
    alert: alerts::ActiveModel,
) -> Result<Option<i64>, DbErr> {
    let stored = alerts::Entity::insert(alert)
        .on_conflict(
            OnConflict::columns([
                alerts::Column::ShopId,
                alerts::Column::Kind,
                alerts::Column::Subject,
            ])
            .target_and_where(open_only())
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
    Ok(match stored {
        TryInsertResult::Inserted(done) => Some(done.last_insert_id),
        TryInsertResult::Conflicted | TryInsertResult::Empty => None,
    })
}

/// Stores an open warning of `kind` about material `material_id` with its message and
/// evidence, unless one is open (see [`insert_open`]); the new alert's id.
pub(crate) async fn raise_about_material(
    db: &impl ConnectionTrait,
    shop_id: i64,
    kind: &str,
    material_id: i64,
    message: String,
    evidence: &impl serde::Serialize,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let alert = alerts::ActiveModel {
        shop_id: Set(shop_id),
        kind: Set(kind.into()),
        severity: Set(AlertSeverity::Warning),
        subject: Set(material_subject(material_id)),
        message: Set(message),
        evidence: Set(serde_json::to_value(evidence).unwrap_or_default()),
        status: Set(AlertStatus::Open),
        created_at: Set(now),
        ..Default::default()
    };
    insert_open(db, alert).await
}

/// The predicate of `uq_alerts_open`, which `ON CONFLICT` names to find the index
/// (`AlertStatus::Open` is stored as `open`).
fn open_only() -> Expr {
    // Written out, not bound: SQLite matches a partial index to the conflict target
    // only when it can read the condition.
    Expr::cust("status = 'open'")
}

/// Stores an open suggestion of `kind` under alert `alert_id`.
pub(crate) async fn suggest(
    db: &impl ConnectionTrait,
    shop_id: i64,
    alert_id: i64,
    kind: SuggestionKind,
    now: DateTime<Utc>,
    payload: serde_json::Value,
) -> Result<(), DbErr> {
    suggestions::ActiveModel {
        shop_id: Set(shop_id),
        alert_id: Set(Some(alert_id)),
        kind: Set(kind),
        payload: Set(payload),
        status: Set(SuggestionStatus::Open),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
