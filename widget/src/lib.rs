//! The embeddable configurator, compiled to wasm.
//!
//! `widget/js/c2m.js` loads this module and calls [`mount`] for every
//! `<c2m-configurator>` element (or for `C2M.mount(element, …)`). A mount attaches an open
//! shadow root to the host element, shows a loading line, fetches the product's
//! configurator from the API with the shop's publishable key and mounts the widget's
//! own view of it ([`configurator`]: the storefront's markup and behaviour over the same
//! `app` model, without a UI framework) inside the shadow root, with quotes and heat
//! going to the same API.
//!
//! **Nothing here may break the host page**: every failure (bad options, no network, an
//! HTTP error, unexpected JSON) becomes a short message inside the element and one
//! console entry; [`mount`] never throws.

mod api;
mod configurator;
mod dom;
mod heat;
mod options;
mod page;
mod shell;
mod wire;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::api::ApiError;
use crate::configurator::Configurator;
use crate::options::Options;
use crate::shell::{Parts, Shell};

/// Runs once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A mounted configurator, as the loader holds it.
#[wasm_bindgen]
pub struct Mounted {
    /// The units the host asks for, read when the configurator appears.
    quantity: Rc<Cell<u32>>,
    /// The configurator, once its data has arrived.
    shown: Rc<RefCell<Option<Configurator>>>,
}

#[wasm_bindgen]
impl Mounted {
    /// The host changed the `quantity` attribute: quote again for that many units.
    /// Anything but a whole number from 1 to 1000 is refused with a console error.
    pub fn set_quantity(&self, quantity: JsValue) {
        match options::quantity(&quantity) {
            Ok(q) => {
                self.quantity.set(q);
                if let Some(configurator) = self.shown.borrow().as_ref() {
                    configurator.set_quantity(q);
                }
            }
            Err(e) => log_message(&e),
        }
    }
}

/// Mounts a configurator into `host`.
///
/// `options` is `{product, key, apiBase, locale?, quantity?}`: the product's slug, the
/// shop's publishable key (`pk_…`), the c2m server's root URL without a trailing slash,
/// a language tag (`de`, `en-GB`; English when absent or unknown) and the units
/// (1 when absent). Mounting the same element again replaces what it showed.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, options: JsValue) -> Option<Mounted> {
    let shell = match Shell::attach(&host) {
        Ok(shell) => shell,
        Err(error) => {
            // Without a shadow root of our own there is nowhere to show anything.
            web_sys::console::error_2(
                &JsValue::from_str("c2m: the configurator could not be attached to its element"),
                &error,
            );
            return None;
        }
    };
    let options = match Options::from_js(&options) {
        Ok(options) => options,
        Err(error) => {
            log_message(&format!("mount options are incomplete: {error}"));
            shell.fail(&error);
            return None;
        }
    };
    let quantity = Rc::new(Cell::new(options.quantity));
    let shown = Rc::new(RefCell::new(None));
    let instance = next_instance();
    let mounted = Mounted {
        quantity: quantity.clone(),
        shown: shown.clone(),
    };
    wasm_bindgen_futures::spawn_local(async move {
        match options.endpoint.configurator(&options.product).await {
            Ok(view) => {
                let parts = Parts {
                    endpoint: options.endpoint,
                    instance,
                    locale: options.locale,
                    quantity: quantity.get(),
                };
                *shown.borrow_mut() = shell.show(view, parts);
            }
            Err(error) => {
                log_api_error(&error);
                shell.fail(&error);
            }
        }
    });
    Some(mounted)
}

/// A name no other configurator on this page uses (`c2m-1`, `c2m-2`, …).
fn next_instance() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!("c2m-{}", COUNTER.fetch_add(1, Ordering::Relaxed) + 1)
}

/// One console entry.
fn log_message(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&format!("c2m: {message}")));
}

/// One console entry for an API failure, with the underlying JavaScript error if any.
fn log_api_error(error: &ApiError) {
    let message = JsValue::from_str(&format!("c2m: {}", error.log_message()));
    match error.cause() {
        Some(cause) => web_sys::console::error_2(&message, cause),
        None => web_sys::console::error_1(&message),
    }
}
