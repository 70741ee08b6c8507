//! The embeddable configurator, compiled to wasm.
//!
//! `widget/js/c2m.js` loads this module and calls [`mount`] for every
//! `<c2m-configurator>` element (or for `C2M.mount(element, …)`). A mount attaches an open
//! shadow root to the host element, shows a loading line, fetches the product's
//! configurator from the API with the shop's publishable key and mounts
//! [`app::configurator::Configurator`] inside the shadow root.
//!
//! **Nothing here may break the host page**: every failure (bad options, no network, an
//! HTTP error, unexpected JSON) becomes a short message inside the element and one
//! console entry; [`mount`] never throws.

mod load;
mod shell;

use std::sync::atomic::{AtomicU32, Ordering};

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::load::{LoadError, Options};
use crate::shell::Shell;

/// Runs once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Mounts a configurator into `host`.
///
/// `options` is `{product, key, apiBase}`: the product's slug, the shop's publishable
/// key (`pk_…`) and the c2m server's root URL without a trailing slash. Mounting the same
/// element again replaces what it showed.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, options: JsValue) {
    let shell = match Shell::attach(&host) {
        Ok(shell) => shell,
        Err(error) => {
            // Without a shadow root of our own there is nowhere to show anything.
            log_error("the configurator could not be attached to its element", &error);
            return;
        }
    };
    let options = match Options::from_js(&options) {
        Ok(options) => options,
        Err(error) => {
            shell.fail(&error);
            return;
        }
    };
    let instance = next_instance();
    wasm_bindgen_futures::spawn_local(async move {
        match load::configurator(&options).await {
            Ok(view) => shell.show(view, instance),
            Err(error) => shell.fail(&error),
        }
    });
}

/// A name no other configurator on this page uses (`c2m-1`, `c2m-2`, …).
fn next_instance() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!("c2m-{}", COUNTER.fetch_add(1, Ordering::Relaxed) + 1)
}

/// One console entry for a failure, with the underlying JavaScript value if any.
fn log_error(message: &str, cause: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(&format!("c2m: {message}")), cause);
}

/// Logs a load failure once, where it happened.
fn log_failure(error: &LoadError) {
    let message = JsValue::from_str(&format!("c2m: {}", error.log_message()));
    match error.cause() {
        Some(cause) => web_sys::console::error_2(&message, cause),
        None => web_sys::console::error_1(&message),
    }
}
