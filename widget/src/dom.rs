//! The few DOM operations the widget's view is made of. Text is always set as text
//! (`textContent`), never parsed as HTML.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{Document, Element};

/// A new `<tag class="class">` (no class when empty).
pub fn element(document: &Document, tag: &str, class: &str) -> Element {
    let element = document
        .create_element(tag)
        .expect("creating an element with a valid tag name");
    if !class.is_empty() {
        element.set_class_name(class);
    }
    element
}

/// Appends `child` to `parent`; returns `child`.
pub fn append(parent: &Element, child: Element) -> Element {
    let _ = parent.append_child(&child);
    child
}

/// A new `<tag class="class">text</tag>` appended to `parent`.
pub fn text_child(parent: &Element, tag: &str, class: &str, text: &str) -> Element {
    let document = parent.owner_document().expect("an element has a document");
    let child = element(&document, tag, class);
    child.set_text_content(Some(text));
    append(parent, child)
}

/// Sets the text of `element` if it differs, so an unchanged live region is not
/// announced again.
pub fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

/// Sets `class` if it differs.
pub fn set_class(element: &Element, class: &str) {
    if element.class_name() != class {
        element.set_class_name(class);
    }
}

/// Sets attribute `name` to `value`, or removes it when there is none.
pub fn set_attribute(element: &Element, name: &str, value: Option<&str>) {
    match value {
        Some(value) => {
            let _ = element.set_attribute(name, value);
        }
        None => {
            let _ = element.remove_attribute(name);
        }
    }
}

/// A boolean attribute (`hidden`, `disabled`): present when `on`.
pub fn set_flag(element: &Element, name: &str, on: bool) {
    set_attribute(element, name, on.then_some(""));
}

/// Calls `handler` on every `event` at `target`, for as long as the page lives.
pub fn on(target: &web_sys::EventTarget, event: &str, handler: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}
