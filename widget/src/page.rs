//! The widget's traces in the page around it (DOM events for the host shop, performance
//! marks for anyone measuring it) and the browser's timers, as the storefront's
//! configurator has them in `app::configurator::page`.

use std::time::Duration;

use app::configuration::ConfigurationDetail;
use js_sys::Function;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::wire::{self, Json};

/// Runs `f` once, after `delay`.
pub fn set_timeout(f: impl FnOnce() + 'static, delay: Duration) {
    if let Some(window) = web_sys::window() {
        let callback: Function = Closure::once_into_js(f).into();
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&callback, delay.as_millis() as i32);
    }
}

/// Runs `f` once the next frame has been painted: a timeout queued from an animation
/// frame callback runs after that frame's paint.
pub fn after_paint(f: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let callback: Function = Closure::once_into_js(move || set_timeout(f, Duration::ZERO)).into();
        let _ = window.request_animation_frame(&callback);
    }
}

/// A `performance` mark (`c2m:…`), for timing scripts and real-user monitoring.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A `performance` measure between two marks.
pub fn measure(name: &str, start: &str, end: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark_and_end_mark(name, start, end);
    }
}

/// Dispatches `name` from `target` with `detail`, bubbling and composed, so listeners
/// on the host element, its ancestors and the document outside the shadow root hear it.
pub fn dispatch(target: &web_sys::Element, name: &str, detail: &ConfigurationDetail) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail_json(detail));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        // A host listener that throws is reported by the browser; it cannot reach us.
        let _ = target.dispatch_event(&event);
    }
}

/// The detail as the storefront's serde writes it (the same members, `null` for none).
fn detail_json(detail: &ConfigurationDetail) -> JsValue {
    let delivery = detail.delivery.as_ref().map(|d| {
        Json::new()
            .set("p50", wire::date(d.p50))
            .set("p90", wire::date(d.p90))
            .set("promised", wire::date(d.promised))
            .set("label", d.label.as_str())
            .done()
    });
    Json::new()
        .set("product", detail.product.as_str())
        .set("selection", wire::selection(&detail.selection))
        .set("quantity", detail.quantity)
        .set("currency", detail.currency.as_str())
        .set("unit_price_minor", detail.unit_price_minor as f64)
        .set("total_price_minor", detail.total_price_minor as f64)
        .set("available", detail.available)
        .set_or_null("delivery", delivery)
        .set("preorder", detail.preorder)
        .set_or_null("quote_token", detail.quote_token.as_deref())
        .done()
}
