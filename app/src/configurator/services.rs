//! What the configurator needs from the page it lives on: fresh quotes, and somewhere
//! to report what the shopper does.
//!
//! The storefront answers quotes with a server function (the widget, which draws its
//! own view, asks `POST /api/v1/quotes` itself); the configurator neither knows nor
//! cares.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use crate::configuration::{Heat, QuoteFailure};
use crate::model::{QuoteRequest, QuoteView};

/// A future the browser's single thread drives (fetches are not `Send`).
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

type Quoter = dyn Fn(QuoteRequest) -> LocalFuture<Result<QuoteView, QuoteFailure>> + Send + Sync;
type HeatSink = dyn Fn(Heat) + Send + Sync;

/// The page's side of a configurator.
#[derive(Clone)]
pub struct Services {
    quoter: Arc<Quoter>,
    heat: Arc<HeatSink>,
}

impl Services {
    /// Services that quote with `quoter` and report heat to `heat`.
    pub fn new(
        quoter: impl Fn(QuoteRequest) -> LocalFuture<Result<QuoteView, QuoteFailure>> + Send + Sync + 'static,
        heat: impl Fn(Heat) + Send + Sync + 'static,
    ) -> Services {
        Services {
            quoter: Arc::new(quoter),
            heat: Arc::new(heat),
        }
    }

    /// Asks for the answer to `request`.
    pub fn quote(&self, request: QuoteRequest) -> LocalFuture<Result<QuoteView, QuoteFailure>> {
        (self.quoter)(request)
    }

    /// Reports heat (never fails: heat is best effort, the shopper never waits for it).
    pub fn heat(&self, heat: Heat) {
        (self.heat)(heat)
    }
}
