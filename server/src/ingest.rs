//! The heat ingestion queue: one writer per process that commits every batch waiting
//! for it in one transaction (group commit).
//!
//! A request hands its checked batch to [`Ingest::write`] and waits for the commit
//! that includes it; only then does it answer, so a 2xx still means "committed". The
//! writer takes the first waiting batch, then every other one already queued (up to
//! [`GROUP_EVENTS`] events), and writes them with [`store::heat::write`]. Under light
//! load a group is one batch and nothing waits for a timer; under heavy load batches
//! pile up while a commit runs and the next commit takes them all, so the database
//! sees one transaction (and, on SQLite, one fsync) per group instead of per request.
//!
//! A transaction that lost a race for a lock is run again after a short wait
//! (`store::retry`). If a group's transaction fails otherwise, each of its batches is
//! retried alone, so one batch the database refuses does not fail the others of its
//! group.

use std::sync::Arc;

use crate::store::{Db, retry};
use tokio::sync::{mpsc, oneshot};

use crate::store::heat::{self, Batch};

/// The most events one group commits.
pub const GROUP_EVENTS: usize = 20_000;
/// Batches that may wait for the writer before requests wait to enqueue.
const QUEUE: usize = 4_096;

/// Why a batch was not stored.
#[derive(Debug, Clone, thiserror::Error)]
pub enum IngestError {
    /// The database refused or failed; nothing of the batch is stored.
    #[error("database error: {0}")]
    Db(Arc<sea_orm::DbErr>),
    /// The writer has stopped (the server is shutting down).
    #[error("the ingestion writer has stopped")]
    Stopped,
}

struct Job {
    batch: Batch,
    done: oneshot::Sender<Result<u64, IngestError>>,
}

/// A handle to the process's heat writer; cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    jobs: mpsc::Sender<Job>,
}

impl Ingest {
    /// Starts the writer on `db`. It runs until every handle is dropped, then finishes
    /// the batches already queued.
    pub fn start(db: Db) -> Ingest {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, queue));
        Ingest { jobs }
    }

    /// Stores `batch` and returns how many of its events were new, once the
    /// transaction holding it has committed.
    pub async fn write(&self, batch: Batch) -> Result<u64, IngestError> {
        metrics::gauge!("c2m_ingest_queue_depth")
            .set((self.jobs.max_capacity() - self.jobs.capacity()) as f64);
        let (done, receipt) = oneshot::channel();
        self.jobs
            .send(Job { batch, done })
            .await
            .map_err(|_| IngestError::Stopped)?;
        receipt.await.map_err(|_| IngestError::Stopped)?
    }
}

async fn run(db: Db, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut events = first.batch.events.len();
        let mut group = vec![first];
        while events < GROUP_EVENTS {
            match queue.try_recv() {
                Ok(job) => {
                    events += job.batch.events.len();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        let started = std::time::Instant::now();
        commit(&db, group).await;
        metrics::histogram!("c2m_ingest_commit_duration_seconds").record(started.elapsed().as_secs_f64());
        metrics::gauge!("c2m_ingest_queue_depth").set(queue.len() as f64);
    }
}

async fn commit(db: &Db, group: Vec<Job>) {
    let (batches, senders): (Vec<Batch>, Vec<_>) = group.into_iter().map(|j| (j.batch, j.done)).unzip();
    match retry::on_contention("storing heat", || heat::write(db, &batches)).await {
        Ok(stored) => {
            metrics::counter!("c2m_heat_events_stored_total").increment(stored.iter().sum());
            for (done, n) in senders.into_iter().zip(stored) {
                // A request that gave up waiting drops its receiver; its batch is
                // committed all the same and a retry will store nothing twice.
                let _ = done.send(Ok(n));
            }
        }
        Err(error) if batches.len() == 1 => {
            tracing::error!(%error, "a heat batch could not be stored");
            let _ = senders
                .into_iter()
                .next()
                .map(|d| d.send(Err(IngestError::Db(Arc::new(error)))));
        }
        Err(error) => {
            tracing::warn!(%error, batches = batches.len(), "a heat group failed; storing its batches one by one");
            for (batch, done) in batches.into_iter().zip(senders) {
                let result =
                    retry::on_contention("storing heat", || heat::write(db, std::slice::from_ref(&batch)))
                        .await
                        .map(|stored| stored[0])
                        .map_err(|e| IngestError::Db(Arc::new(e)));
                if let Err(error) = &result {
                    tracing::error!(%error, "a heat batch could not be stored");
                }
                let _ = done.send(result);
            }
        }
    }
}
