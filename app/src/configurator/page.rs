//! The configurator's traces in the page around it: DOM events for the host shop and
//! performance marks for anyone measuring it. They act in a browser only; compiled for
//! the server (which never calls them while rendering) or for native unit tests they do
//! nothing, since browser APIs do not exist there.

use leptos::web_sys;

use crate::configuration::ConfigurationDetail;

/// Dispatches `name` from `target` with `detail`, bubbling and composed, so listeners
/// on the host element, its ancestors and the document outside the shadow root hear it.
pub fn dispatch(target: &web_sys::HtmlElement, name: &str, detail: &ConfigurationDetail) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let Ok(json) = serde_json::to_string(detail) else {
        return;
    };
    let Ok(detail) = js_sys::JSON::parse(&json) else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        // A host listener that throws is reported by the browser; it cannot reach us.
        let _ = target.dispatch_event(&event);
    }
}

/// A `performance` mark (`c2m:…`), for timing scripts and real-user monitoring.
pub fn mark(name: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A `performance` measure between two marks.
pub fn measure(name: &str, start: &str, end: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark_and_end_mark(name, start, end);
    }
}

/// Runs `f` once the next frame has been painted: a timeout queued from an animation
/// frame callback runs after that frame's paint.
pub fn after_paint(f: impl FnOnce() + 'static) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(f, std::time::Duration::ZERO);
    });
}
