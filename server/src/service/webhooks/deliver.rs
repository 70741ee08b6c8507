//! Sending what the outbox holds: every due delivery is claimed (so two replicas never
//! send it at once), POSTed signed, and recorded; a failure is retried with exponential
//! backoff until [`MAX_ATTEMPTS`], then marked failed. A delivery is "at least once":
//! a receiver that answered 2xx to a request the server never saw answered (a crash, a
//! timeout) gets it again, with the same event id to deduplicate by.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::signature;
use crate::store::Db;
use crate::store::entities::{DeliveryStatus, webhook_deliveries, webhook_endpoints, webhook_events};

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 12;
/// The longest wait between two attempts.
const MAX_BACKOFF: TimeDelta = TimeDelta::hours(6);
/// How long a claimed delivery is left alone by other workers: longer than a request
/// may take, so an attempt in flight is never repeated by another replica.
const LEASE: TimeDelta = TimeDelta::minutes(2);
/// How long one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Deliveries sent per run; the rest wait for the next.
const BATCH: u64 = 50;
/// What is kept of an answer's body or an error, for the delivery log.
const ERROR_CHARS: usize = 300;

/// How retries are spaced.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    /// The wait after the first failure; each further failure doubles it (to 6 hours).
    pub first: TimeDelta,
}

impl Backoff {
    /// The wait after `attempts` failed attempts.
    pub fn after(&self, attempts: i32) -> TimeDelta {
        let doublings = attempts.clamp(1, 20) - 1;
        let wait = self.first * 2i32.pow(doublings as u32);
        wait.min(MAX_BACKOFF)
    }
}

/// The HTTP client deliveries go out with.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("c2m-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client")
}

/// Sends every delivery due now (up to a batch); returns how many were attempted.
pub async fn run_due(db: &Db, client: &reqwest::Client, backoff: Backoff) -> Result<usize, DbErr> {
    let now = db.now();
    let due = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_deliveries::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_deliveries::Column::NextAttemptAt)
        .limit(BATCH)
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let endpoints: HashMap<i64, webhook_endpoints::Model> = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::Id.is_in(due.iter().map(|d| d.endpoint_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let events: HashMap<i64, webhook_events::Model> = webhook_events::Entity::find()
        .filter(webhook_events::Column::Id.is_in(due.iter().map(|d| d.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut sending = tokio::task::JoinSet::new();
    for delivery in due {
        if !claim(db, &delivery, now).await? {
            continue;
        }
        let (Some(endpoint), Some(event)) = (
            endpoints.get(&delivery.endpoint_id).cloned(),
            events.get(&delivery.event_id).cloned(),
        ) else {
            continue;
        };
        let db = db.clone();
        let client = client.clone();
        sending.spawn(async move {
            let outcome = if endpoint.active {
                send(&client, &endpoint, &event, db.now()).await
            } else {
                Outcome::Abandoned("the endpoint was removed".into())
            };
            if let Err(error) = record(&db, &delivery, outcome, backoff).await {
                tracing::warn!(%error, delivery = delivery.id, "recording a webhook delivery failed; it will be retried after its lease");
            }
        });
    }
    let attempted = sending.len();
    while sending.join_next().await.is_some() {}
    Ok(attempted)
}

/// Takes `delivery` for this worker until its lease ends; `false` when another worker
/// took it first.
async fn claim(db: &Db, delivery: &webhook_deliveries::Model, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let txn = db.system("webhooks").await?;
    let claimed = webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::NextAttemptAt,
            Expr::value(now + LEASE),
        )
        .filter(webhook_deliveries::Column::Id.eq(delivery.id))
        .filter(webhook_deliveries::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_deliveries::Column::NextAttemptAt.eq(delivery.next_attempt_at))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    txn.commit().await?;
    Ok(claimed)
}

/// What one attempt came to.
enum Outcome {
    /// A 2xx answer.
    Delivered(u16),
    /// Another answer, or none; worth retrying.
    Failed { status: Option<u16>, error: String },
    /// Not worth retrying.
    Abandoned(String),
}

async fn send(
    client: &reqwest::Client,
    endpoint: &webhook_endpoints::Model,
    event: &webhook_events::Model,
    now: DateTime<Utc>,
) -> Outcome {
    let body = event.payload.clone().into_bytes();
    let signed = signature::sign(&endpoint.secret, now, &body);
    let answer = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header(signature::HEADER, signed)
        .header("c2m-event-id", &event.event_id)
        .header("c2m-event-type", &event.kind)
        .body(body)
        .send()
        .await;
    match answer {
        Ok(answer) if answer.status().is_success() => Outcome::Delivered(answer.status().as_u16()),
        Ok(answer) => {
            let status = answer.status().as_u16();
            let text = answer.text().await.unwrap_or_default();
            Outcome::Failed {
                status: Some(status),
                error: format!("answered {status}: {}", clip(&text)),
            }
        }
        Err(e) => Outcome::Failed {
            status: None,
            error: clip(&e.to_string()),
        },
    }
}

fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(ERROR_CHARS).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

async fn record(
    db: &Db,
    delivery: &webhook_deliveries::Model,
    outcome: Outcome,
    backoff: Backoff,
) -> Result<(), DbErr> {
    let now = db.now();
    let attempts = delivery.attempts + 1;
    let (status, response, error, next) = match outcome {
        Outcome::Delivered(code) => (DeliveryStatus::Delivered, Some(code), None, now),
        Outcome::Failed { status, error } if attempts < MAX_ATTEMPTS => (
            DeliveryStatus::Pending,
            status,
            Some(error),
            now + backoff.after(attempts),
        ),
        Outcome::Failed { status, error } => (DeliveryStatus::Failed, status, Some(error), now),
        Outcome::Abandoned(error) => (DeliveryStatus::Failed, None, Some(error), now),
    };
    let txn = db.system("webhooks").await?;
    webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::Status, Expr::value(status))
        .col_expr(webhook_deliveries::Column::Attempts, Expr::value(attempts))
        .col_expr(webhook_deliveries::Column::LastAttemptAt, Expr::value(Some(now)))
        .col_expr(
            webhook_deliveries::Column::ResponseStatus,
            Expr::value(response.map(i32::from)),
        )
        .col_expr(webhook_deliveries::Column::LastError, Expr::value(error))
        .col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(next))
        .col_expr(
            webhook_deliveries::Column::DeliveredAt,
            Expr::value((status == DeliveryStatus::Delivered).then_some(now)),
        )
        .filter(webhook_deliveries::Column::Id.eq(delivery.id))
        .exec(&txn)
        .await?;
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_first_wait_up_to_six_hours() {
        let backoff = Backoff {
            first: TimeDelta::seconds(30),
        };
        assert_eq!(backoff.after(1), TimeDelta::seconds(30));
        assert_eq!(backoff.after(2), TimeDelta::seconds(60));
        assert_eq!(backoff.after(5), TimeDelta::seconds(480));
        assert_eq!(backoff.after(11), TimeDelta::hours(6));
        let total: TimeDelta = (1..MAX_ATTEMPTS).map(|a| backoff.after(a)).sum();
        assert!(total > TimeDelta::hours(12), "retries span half a day: {total}");
    }
}
