//! What a commit changed, told to this process and to every other replica.
//!
//! A committed unit of work publishes a [`ShopChange`] for each thing other parts
//! cache: a new state version (quotes), a change to the shop's keys, origins or
//! profile (the API's key lookups). In this process it goes through [`Changes`], a
//! broadcast anyone may follow. On PostgreSQL the unit also sends it with `pg_notify`
//! inside its transaction, so it is delivered exactly when the commit is, and
//! [`listen`] hands what other replicas committed to this process's [`Changes`] and
//! [`StateVersions`]. The channel is named after the connection's schema, so servers
//! sharing a database but not a schema (tests do) do not hear each other. A
//! notification missed while the listening connection was down is caught up by the
//! quote service's polling of versions (`Quoting::watch_versions`) and by the key
//! cache's TTL.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};
use tokio::sync::broadcast;

use super::{StateVersion, StateVersions};

/// The channel's name before the schema's.
const CHANNEL: &str = "c2m_changes_";

/// What a commit changed that others may have cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShopChange {
    /// The shop's quote inputs moved to this state version.
    Version(i64, StateVersion),
    /// The shop's API keys, allowed origins or profile changed.
    Access(i64),
}

impl ShopChange {
    fn payload(self) -> String {
        match self {
            ShopChange::Version(shop, version) => format!("v:{shop}:{}", version.get()),
            ShopChange::Access(shop) => format!("a:{shop}"),
        }
    }

    fn parse(payload: &str) -> Option<Self> {
        let mut parts = payload.split(':');
        let change = match (parts.next()?, parts.next()?.parse().ok()?, parts.next()) {
            ("v", shop, Some(version)) => ShopChange::Version(shop, StateVersion(version.parse().ok()?)),
            ("a", shop, None) => ShopChange::Access(shop),
            _ => return None,
        };
        parts.next().is_none().then_some(change)
    }
}

/// This process's broadcast of committed changes (its own and, on PostgreSQL, other
/// replicas').
pub struct Changes {
    sender: broadcast::Sender<ShopChange>,
}

impl Default for Changes {
    fn default() -> Self {
        Changes {
            sender: broadcast::channel(1_024).0,
        }
    }
}

impl Changes {
    /// Follows every change from now on. A follower that falls more than 1 024 changes
    /// behind is told so (`RecvError::Lagged`) and should drop everything it caches.
    pub fn subscribe(&self) -> broadcast::Receiver<ShopChange> {
        self.sender.subscribe()
    }

    /// Tells this process's followers.
    pub fn publish(&self, change: ShopChange) {
        // No follower is not an error: nothing caches yet.
        let _ = self.sender.send(change);
    }
}

/// Sends `changes` to the other replicas when `txn` commits (PostgreSQL; SQLite has
/// one server per file).
pub(crate) async fn announce(txn: &DatabaseTransaction, changes: &[ShopChange]) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        return Ok(());
    }
    for change in changes {
        txn.query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_notify($1 || current_schema(), $2)",
            [CHANNEL.into(), change.payload().into()],
        ))
        .await?;
    }
    Ok(())
}

/// On PostgreSQL, listens for what other replicas commit, for as long as the process
/// runs: versions go to `versions`, every change to `changes`. Returns once it
/// listens (or has failed to start, or after 5 s), so a server that then answers
/// `/readyz` misses nothing committed after; reconnects by itself, and a listener that
/// cannot start says so and leaves the polling to catch up.
pub async fn listen(pool: sea_orm::DatabaseConnection, versions: Arc<StateVersions>, changes: Arc<Changes>) {
    if pool.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let (ready, listening) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut ready = Some(ready);
        loop {
            if let Err(error) = follow(&pool, &versions, &changes, &mut ready).await {
                tracing::warn!(%error, "listening for other replicas' commits failed; polling meanwhile, retrying in 5 s");
            }
            if let Some(ready) = ready.take() {
                let _ = ready.send(());
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    let _ = tokio::time::timeout(Duration::from_secs(5), listening).await;
}

async fn follow(
    pool: &sea_orm::DatabaseConnection,
    versions: &StateVersions,
    changes: &Changes,
    ready: &mut Option<tokio::sync::oneshot::Sender<()>>,
) -> Result<(), DbErr> {
    use sea_orm::sqlx::postgres::PgListener;
    let schema: String = pool
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT current_schema() AS schema",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no current schema".into()))?
        .try_get("", "schema")?;
    let sqlx = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("LISTEN: {e}"));
    // A pool of its own: the listening connection is held for good, and taking it
    // from the server's pool would leave one connection fewer for requests.
    let options = pool.get_postgres_connection_pool().connect_options();
    let own = sea_orm::sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with((*options).clone());
    let mut listener = PgListener::connect_with(&own).await.map_err(sqlx)?;
    let channel = format!("{CHANNEL}{schema}");
    listener.listen(&channel).await.map_err(sqlx)?;
    tracing::info!(%channel, "listening for other replicas' commits");
    if let Some(ready) = ready.take() {
        let _ = ready.send(());
    }
    loop {
        let notification = listener.recv().await.map_err(sqlx)?;
        match ShopChange::parse(notification.payload()) {
            Some(change) => {
                tracing::debug!(?change, "another replica committed");
                if let ShopChange::Version(shop, version) = change {
                    versions.note(shop, version);
                }
                changes.publish(change);
            }
            None => tracing::warn!(payload = notification.payload(), "an unknown change notification"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_travel_as_short_payloads_and_nothing_else_parses() {
        for change in [ShopChange::Version(7, StateVersion(42)), ShopChange::Access(3)] {
            assert_eq!(ShopChange::parse(&change.payload()), Some(change));
        }
        for junk in ["", "v:1", "a:x", "v:1:2:3", "a:1:2", "x:1:2", "v:1:y"] {
            assert_eq!(ShopChange::parse(junk), None, "{junk}");
        }
    }
}
