//! Work the server does on a schedule, beside serving: pruning raw heat events past
//! their retention (rollups stay), idempotency keys past 24 hours, inbound webhook
//! receipts past their window and admin sessions that ended; recomputing each shop's inventory policies when they
//! are older than `recompute_every_hours`; expiring capacity reservations not confirmed
//! by their deadline, then checking open orders for late risk and pulling in the
//! production of orders whose material came early (every five minutes);
//! closing each shop's inventory for the day (every fifteen minutes, rewriting today's
//! close: `service::kpis::closes`); and sending due webhook deliveries.
//!
//! Every replica schedules these, and each run takes its job's lock across replicas
//! first ([`Db::try_job_lock`](crate::store::Db::try_job_lock): a PostgreSQL advisory
//! lock), so two replicas never run one job at once; a replica that finds the lock
//! taken skips that run. They are idempotent besides (a second prune finds nothing; a
//! shop whose policies another replica just recomputed is not due; a delivery is
//! claimed before it is sent), so a run that follows another changes nothing twice. Due-ness is read from the stored policies' `computed_at`,
//! so a restart neither skips nor repeats a recomputation.

use std::time::Duration;

use chrono::TimeDelta;

use crate::service::policies as policy;
use crate::state::AppState;
use crate::store;

/// How often raw heat past its retention is deleted.
const PRUNE_EVERY: Duration = Duration::from_secs(3_600);
/// The first prune waits this long, so a server starting (or a test's) is not slowed
/// by a backlog.
const FIRST_PRUNE: Duration = Duration::from_secs(600);
/// How often shops are checked for policies that are due.
const RECOMPUTE_CHECK_EVERY: Duration = Duration::from_secs(600);
/// Rows per delete statement, so pruning a long backlog never holds the write lock long.
const PRUNE_CHUNK: u64 = 5_000;
/// How often due webhook deliveries are looked for.
const DELIVER_EVERY: Duration = Duration::from_secs(1);
/// How often open orders are checked for late risk (a write that moves an inbound
/// line checks at once; this catches what time alone changes: an overdue order).
const LATE_RISK_EVERY: Duration = Duration::from_secs(300);
/// How often each shop's stock is written down as today's close; the last run of a
/// day is its close, so a shorter interval loses less of a day's end to a stop.
const CLOSE_EVERY: Duration = Duration::from_secs(900);

/// Starts the scheduled jobs; they stop with the runtime.
pub fn start(state: AppState) {
    let pruning = state.clone();
    tokio::spawn(async move {
        let state = pruning;
        let first = tokio::time::Instant::now() + FIRST_PRUNE;
        let mut every = tokio::time::interval_at(first, PRUNE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            once(&state, Job::Prune, async {
                prune_heat(&state).await;
                prune_keys(&state).await;
                prune_sessions(&state).await;
                prune_sign_in_failures(&state).await;
            })
            .await;
        }
    });
    let delivering = state.clone();
    tokio::spawn(async move {
        let state = delivering;
        let client = crate::service::webhooks::deliver::client();
        let backoff = crate::service::webhooks::deliver::Backoff {
            first: TimeDelta::seconds(i64::from(state.config.webhook_retry_seconds)),
        };
        let mut every = tokio::time::interval(DELIVER_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = crate::service::webhooks::deliver::run_due(&state.db, &client, backoff).await
            {
                tracing::warn!(%error, "sending webhook deliveries failed; will try again");
            }
        }
    });
    let watching = state.clone();
    tokio::spawn(async move {
        let state = watching;
        let first = tokio::time::Instant::now() + LATE_RISK_EVERY;
        let mut every = tokio::time::interval_at(first, LATE_RISK_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            once(&state, Job::LateRisk, check_late_risk(&state)).await;
        }
    });
    let closing = state.clone();
    tokio::spawn(async move {
        let state = closing;
        let mut every = tokio::time::interval(CLOSE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            once(&state, Job::InventoryClose, close_inventory(&state)).await;
        }
    });
    if state.config.recompute_every_hours > 0 {
        let state = state.clone();
        tokio::spawn(async move {
            let first = tokio::time::Instant::now() + RECOMPUTE_CHECK_EVERY;
            let mut every = tokio::time::interval_at(first, RECOMPUTE_CHECK_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                once(&state, Job::Recompute, recompute_due(&state)).await;
            }
        });
    }
}

/// The jobs that run once across replicas; the number is the lock's key.
#[derive(Clone, Copy, Debug)]
pub enum Job {
    /// Pruning heat, keys, receipts and sessions.
    Prune = 1,
    /// The late-risk check of open orders.
    LateRisk = 2,
    /// Policy recomputation and the heat-spike rule.
    Recompute = 3,
    /// Writing today's inventory close.
    InventoryClose = 4,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Prune => "prune",
            Job::LateRisk => "late_risk",
            Job::Recompute => "recompute",
            Job::InventoryClose => "inventory_close",
        }
    }
}

/// Runs `work` unless another replica is running `job` now; returns whether it ran.
/// A database that cannot be asked for the lock is down: the job would fail anyway,
/// so the run is skipped and the next tick tries again.
pub async fn once(state: &AppState, job: Job, work: impl Future<Output = ()>) -> bool {
    let outcome = match state.db.try_job_lock(job as u32).await {
        Ok(Some(lock)) => {
            work.await;
            lock.release().await;
            "ran"
        }
        Ok(None) => "skipped",
        Err(error) => {
            tracing::warn!(%error, job = job.name(), "taking the job's lock failed; skipping this run");
            "failed"
        }
    };
    metrics::counter!("c2m_job_runs_total", "job" => job.name(), "outcome" => outcome).increment(1);
    outcome == "ran"
}

/// Recomputes the policies of every shop whose newest policy is older than the
/// configured interval (or that has none).
pub async fn recompute_due(state: &AppState) {
    let now = (state.clock)();
    let every = TimeDelta::hours(i64::from(state.config.recompute_every_hours));
    let shops = match store::shops::all(&state.db).await {
        Ok(shops) => shops,
        Err(error) => return tracing::warn!(%error, "listing shops for recomputation failed"),
    };
    for shop in shops {
        let newest = policy::results::last_computed(&state.db, shop.id).await;
        let due = match newest {
            Ok(Some(computed_at)) => now - computed_at >= every,
            Ok(None) => true,
            Err(error) => {
                tracing::warn!(%error, shop = %shop.slug, "reading policy age failed");
                continue;
            }
        };
        if !due {
            // Heat moves faster than policies: the spike rule runs on every check.
            if let Ok((settings, _)) = policy::settings::load(&state.db, shop.id).await
                && let Err(error) =
                    crate::service::alerts::heat_spike::evaluate(&state.db, &shop, &settings, now).await
            {
                tracing::warn!(%error, shop = %shop.slug, "the heat-spike rule failed");
            }
            continue;
        }
        match crate::service::recompute::run(&state.db, &shop, now, |_| {}).await {
            Ok(summary) => {
                tracing::info!(shop = %shop.slug, materials = summary.materials, to_order = summary.to_order, "recomputed policies on schedule")
            }
            Err(error) => tracing::warn!(%error, shop = %shop.slug, "scheduled policy recomputation failed"),
        }
    }
}

/// Expires every shop's capacity reservations left unconfirmed past their deadline,
/// flags (and clears) the late risk of its open orders, then moves the production of
/// orders whose material came early onto the earliest free capacity
/// (`service::orders::pull_in`).
pub async fn check_late_risk(state: &AppState) {
    let shops = match store::shops::all(&state.db).await {
        Ok(shops) => shops,
        Err(error) => return tracing::warn!(%error, "listing shops for the late-risk check failed"),
    };
    for shop in shops {
        match crate::service::supply::expire_due(&state.db, shop.id, state.db.now()).await {
            Ok(0) => {}
            Ok(expired) => {
                tracing::info!(shop = %shop.slug, expired, "unconfirmed capacity reservations expired")
            }
            Err(error) => tracing::warn!(%error, shop = %shop.slug, "expiring capacity reservations failed"),
        }
        let today = state.quoting.today(&shop);
        match crate::service::orders::risk::refresh_late_risk(&state.db, &shop, today).await {
            Ok(0) => {}
            Ok(raised) => {
                tracing::info!(shop = %shop.slug, raised, "orders newly at late risk");
                crate::service::recompute::after_late_risk(&state.db, &shop).await;
            }
            Err(error) => tracing::warn!(%error, shop = %shop.slug, "the late-risk check failed"),
        }
        match crate::service::orders::pull_in::move_production_earlier(&state.db, &state.quoting, &shop).await
        {
            Ok(pulled) if pulled.is_empty() => {}
            Ok(pulled) => {
                tracing::info!(shop = %shop.slug, orders = pulled.len(), "production pulled in: material came early")
            }
            Err(error) => tracing::warn!(%error, shop = %shop.slug, "pulling production in failed"),
        }
    }
}

/// Writes every shop's stock as it stands as the close of its today (in its time
/// zone), replacing an earlier run's of the same day.
pub async fn close_inventory(state: &AppState) {
    let shops = match store::shops::all(&state.db).await {
        Ok(shops) => shops,
        Err(error) => return tracing::warn!(%error, "listing shops for the inventory close failed"),
    };
    for shop in shops {
        let today = state.quoting.today(&shop);
        if let Err(error) = crate::service::kpis::closes::record(&state.db, shop.id, today).await {
            tracing::warn!(%error, shop = %shop.slug, "the inventory close failed");
        }
    }
}

/// Deletes idempotency keys past 24 hours and inbound webhook receipts past their
/// replay window.
pub async fn prune_keys(state: &AppState) {
    match crate::service::idempotency::purge(&state.db, PRUNE_CHUNK).await {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(deleted, "pruned idempotency keys past 24 hours"),
        Err(error) => tracing::warn!(%error, "pruning idempotency keys failed; will try again"),
    }
    if let Err(error) = crate::service::orders::platform::purge(&state.db).await {
        tracing::warn!(%error, "pruning webhook receipts failed; will try again");
    }
}

/// Deletes admin sessions past their lifetime or idle timeout.
pub async fn prune_sessions(state: &AppState) {
    match store::merchants::prune_sessions(&state.db, state.config.session_idle(), PRUNE_CHUNK).await {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(deleted, "deleted ended admin sessions"),
        Err(error) => tracing::warn!(%error, "deleting ended sessions failed; will try again"),
    }
}

/// Deletes failed sign-in counts past the lockout window.
pub async fn prune_sign_in_failures(state: &AppState) {
    match store::lockout::prune(&state.db, PRUNE_CHUNK).await {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(deleted, "deleted lapsed sign-in failure counts"),
        Err(error) => tracing::warn!(%error, "deleting lapsed sign-in failures failed; will try again"),
    }
}

/// Deletes raw heat events older than the configured retention.
pub async fn prune_heat(state: &AppState) {
    let before = (state.clock)() - TimeDelta::days(i64::from(state.config.heat_retention_days));
    match store::heat::prune(&state.db, before, PRUNE_CHUNK).await {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(deleted, %before, "pruned raw heat events past their retention"),
        Err(error) => tracing::warn!(%error, "pruning raw heat events failed; will try again"),
    }
}
