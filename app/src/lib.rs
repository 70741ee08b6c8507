//! c2m's user interface: the demo storefront, the merchant admin and the configurator.
//!
//! One crate, three builds: `ssr` (linked into the server, renders HTML), `hydrate`
//! (wasm that makes server-rendered pages interactive), and with no features the model,
//! the shopper's configuration and its words alone, for the widget (whose wasm must not
//! carry Leptos). The components need the `ui` feature (on by default, and with `ssr`
//! and `hydrate`). Server-only code is gated once, at its module.

#[cfg(feature = "ssr")]
pub mod backend;
pub mod configuration;
#[cfg(feature = "ui")]
pub mod configurator;
pub mod i18n;
pub mod model;
#[cfg(feature = "ui")]
pub mod pages;
#[cfg(feature = "ui")]
mod routes;
#[cfg(feature = "ui")]
pub mod server_fns;

#[cfg(feature = "hydrate")]
pub use routes::hydrate;
#[cfg(feature = "ui")]
pub use routes::{App, shell};
