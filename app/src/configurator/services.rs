//! What the configurator needs from the page it lives on: fresh quotes, and somewhere
//! to report what the shopper does.
//!
//! The storefront answers quotes with a server function; the widget with
//! `POST /api/v1/quotes` under the shop's publishable key. The configurator itself
//! neither knows nor cares.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::model::{QuoteRequest, QuoteView, SelectionView};

/// A future the browser's single thread drives (fetches are not `Send`).
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Why a fresh quote did not arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteFailure {
    /// The request never reached the server (no network).
    Offline,
    /// The server answered with an error; its explanation.
    Server(String),
}

/// Something the shopper did, as presale heat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heat {
    /// The configurator was shown.
    View,
    /// A value was chosen.
    OptionSelect {
        /// Group code.
        group: String,
        /// Value code.
        value: String,
    },
    /// The configuration was saved for later.
    Favorite {
        /// The configuration.
        selection: SelectionView,
    },
    /// The configuration went into the host's cart.
    AddToCart {
        /// The configuration.
        selection: SelectionView,
    },
    /// A presale product's configuration was preordered.
    Preorder {
        /// The configuration.
        selection: SelectionView,
    },
}

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
