//! The order desk: the one way an order is placed, and where bookings are grouped so
//! that several share one commit (group commit).
//!
//! Bookings of a shop are serialised (its write lock), so their throughput is the
//! inverse of the time each holds the lock; on SQLite most of that was the commit's
//! fsync and the unit's fixed statements. A caller's order joins its shop's queue (per
//! shop and actor: a unit of work has one actor); if no one is booking for that queue,
//! a task starts to: it takes every order waiting (up to [`GROUP`]) and books them in
//! one unit of work (`book::group`), then the next orders that arrived meanwhile, and
//! ends when the queue is empty. Under light load a group is one order and nothing
//! waits for a timer; under heavy load orders pile up while a commit runs and the next
//! commit takes them all.
//!
//! What stays true: each order is booked on the state every order before it left (in
//! the group: in memory, and through the keys and references it took), a refused order
//! changes nothing (it is refused before anything of it is written), and no caller is answered before the commit holding its order. A
//! group that fails as a whole (the database failed) is booked again one order per unit,
//! so one order the database refuses does not fail the others. The booking runs in its
//! own task: a caller that stops waiting does not abandon a half-done group.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

use super::book::{self, Placed, Request};
use super::{NewOrder, OrderError};
use crate::quoting::Quoting;
use crate::service::WriteError;
use crate::service::idempotency::Idempotency;
use crate::store::{Actor, Db, StoreError, retry};

/// The most orders one unit of work books.
pub const GROUP: usize = 64;

/// A handle to the process's order desk; cheap to clone.
#[derive(Clone)]
pub struct Desk {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    quoting: Arc<Quoting>,
    /// The orders waiting, per shop and actor. A queue is here exactly while a task
    /// books for it: the task removes it when it finds it empty.
    queues: Mutex<HashMap<Queue, Vec<Waiting>>>,
}

type Queue = (i64, Actor);

struct Waiting {
    request: Request,
    answer: oneshot::Sender<Result<Placed, OrderError>>,
}

impl Desk {
    /// A desk booking on `db`, re-quoting with `quoting` (whose snapshots it keeps up
    /// to date with what it books).
    pub fn new(db: Db, quoting: Arc<Quoting>) -> Desk {
        Desk {
            inner: Arc::new(Inner {
                db,
                quoting,
                queues: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Books `order` for shop `shop_id` on behalf of `actor` and answers once it is
    /// committed (see [`super`]); with `idempotency`, a repeated request answers the
    /// stored order and books nothing. A refusal writes nothing.
    pub async fn place(
        &self,
        shop_id: i64,
        actor: &str,
        order: NewOrder,
        idempotency: Option<Idempotency>,
    ) -> Result<Placed, OrderError> {
        book::check(&order)?;
        let (answer, answered) = oneshot::channel();
        let queue: Queue = (shop_id, Actor::from(actor));
        let waiting = Waiting {
            request: Request { order, idempotency },
            answer,
        };
        let start = {
            let mut queues = self.inner.queues.lock().unwrap_or_else(PoisonError::into_inner);
            match queues.get_mut(&queue) {
                Some(waiting_there) => {
                    waiting_there.push(waiting);
                    false
                }
                None => {
                    queues.insert(queue.clone(), vec![waiting]);
                    true
                }
            }
        };
        if start {
            tokio::spawn(self.inner.clone().serve(queue));
        }
        answered.await.unwrap_or_else(|_| Err(lost()))
    }
}

impl Inner {
    /// Books the queue's orders, group after group, until it is empty.
    async fn serve(self: Arc<Self>, queue: Queue) {
        loop {
            let group = {
                let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
                let Some(waiting) = queues.get_mut(&queue) else {
                    return;
                };
                if waiting.is_empty() {
                    queues.remove(&queue);
                    return;
                }
                let n = waiting.len().min(GROUP);
                waiting.drain(..n).collect::<Vec<_>>()
            };
            // Its own task, so a panic while booking one group answers that group's
            // callers (their answers are dropped: `lost`) and not the queue's.
            let inner = self.clone();
            let (shop_id, actor) = queue.clone();
            let _ = tokio::spawn(async move { inner.book(shop_id, &actor, group).await }).await;
        }
    }

    async fn book(&self, shop_id: i64, actor: &Actor, group: Vec<Waiting>) {
        metrics::histogram!("c2m_orders_group_size").record(group.len() as f64);
        let (requests, answers): (Vec<Request>, Vec<_>) =
            group.into_iter().map(|w| (w.request, w.answer)).unzip();
        let all: Vec<&Request> = requests.iter().collect();
        let started = std::time::Instant::now();
        let booked = self.attempt(shop_id, actor, &all).await;
        metrics::histogram!("c2m_orders_group_duration_seconds").record(started.elapsed().as_secs_f64());
        match booked {
            Ok(placed) => {
                for (answer, placed) in answers.into_iter().zip(placed) {
                    // A caller that stopped waiting drops its receiver; its order is
                    // booked all the same (and its idempotency key answers it).
                    let _ = answer.send(placed);
                }
            }
            Err(error) if requests.len() == 1 => {
                if let Some(answer) = answers.into_iter().next() {
                    let _ = answer.send(Err(error));
                }
            }
            Err(error) => {
                tracing::warn!(%error, orders = requests.len(), "a group of orders failed; booking them one by one");
                for (request, answer) in requests.iter().zip(answers) {
                    let placed = match self.attempt(shop_id, actor, &[request]).await {
                        Ok(mut placed) => placed.pop().unwrap_or_else(|| Err(lost())),
                        Err(error) => Err(error),
                    };
                    let _ = answer.send(placed);
                }
            }
        }
    }

    /// `book::group`, run again when it lost a race for a database lock.
    async fn attempt(
        &self,
        shop_id: i64,
        actor: &Actor,
        requests: &[&Request],
    ) -> Result<Vec<Result<Placed, OrderError>>, OrderError> {
        retry::on_contention("placing orders", || async {
            let w = self.db.write(shop_id, actor.clone()).await?;
            book::group(w, &self.quoting, requests).await
        })
        .await
    }
}

/// The answer of an order whose booking task ended without one (it panicked): whether
/// the order was booked is not known; a retry with the same idempotency key tells.
fn lost() -> OrderError {
    OrderError::Write(WriteError::Store(StoreError::Db(sea_orm::DbErr::Custom(
        "the order desk stopped before answering; retry with the same Idempotency-Key to learn whether \
         the order was booked"
            .to_string(),
    ))))
}
