//! The embed snippet: one script tag and one element, for the chosen product, ready to
//! copy. Stored keys are only fingerprints, so the snippet carries the publishable key
//! created on this page, or a marked placeholder.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::model::settings::NewApiKey;

/// What stands for the key when none was created on this page.
const PLACEHOLDER: &str = "pk_…";

/// The snippet a shop page needs: the widget's module from this server, and the
/// element for `product` with `key` (the placeholder when there is none).
pub(super) fn snippet(site_origin: &str, product: &str, key: Option<&str>) -> String {
    format!(
        "<script type=\"module\" src=\"{site_origin}/widget/c2m.js\"></script>\n\
         <c2m-configurator product=\"{product}\" key=\"{}\"></c2m-configurator>",
        key.unwrap_or(PLACEHOLDER)
    )
}

/// The product choice (a GET form without wasm, instant with it), the snippet as
/// selectable text, and a Copy button once the wasm runs.
#[component]
pub(super) fn EmbedSnippet(
    site_origin: String,
    products: Vec<(String, String)>,
    fresh: Signal<Option<NewApiKey>>,
) -> impl IntoView {
    let query = use_query_map();
    let asked = query.read_untracked().get("product");
    let initial = asked
        .filter(|slug| products.iter().any(|(s, _)| s == slug))
        .or_else(|| products.first().map(|(slug, _)| slug.clone()))
        .unwrap_or_default();
    let product = RwSignal::new(initial);
    let key = Signal::derive(move || fresh.get().filter(|k| k.kind == "publishable").map(|k| k.key));
    let text = Signal::derive(move || snippet(&site_origin, &product.get(), key.get().as_deref()));
    let options = products
        .into_iter()
        .map(|(slug, name)| {
            let label = format!("{name} ({slug})");
            let value = slug.clone();
            let selected = move || product.get() == slug;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <Form method="GET" action="" attr:class="inline" attr:data-form="embed-product">
            <label>"Product"
                <select name="product" on:change=move |ev| product.set(event_target_value(&ev))>{options}</select>
            </label>
            // Needed before the wasm runs; after, the choice applies at once.
            <button type="submit" class="secondary">"Show"</button>
        </Form>
        <pre class="embed"><code data-snippet="">{move || text.get()}</code></pre>
        <CopyButton text />
        {move || key.get().is_none().then(|| view! {
            <p class="muted small" data-placeholder="">
                {format!("{PLACEHOLDER} is a placeholder: c2m keeps only fingerprints of keys, so put in a publishable key you saved, or create one above and the snippet shows it.")}
            </p>
        })}
    }
    .into_any()
}

/// Copies `text` to the clipboard. Rendered only once the wasm runs: before, it could
/// not do anything (the snippet is plain text to select meanwhile).
#[component]
fn CopyButton(text: Signal<String>) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser.
    Effect::new(move |_| hydrated.set(true));
    let status = RwSignal::new(String::new());
    view! {
        <p class="copy">
            <Show when=move || hydrated.get()>
                <button type="button" class="secondary" data-copy="" on:click=move |_| copy(text.get_untracked(), status)>
                    "Copy"
                </button>
            </Show>
            <span class="muted small" role="status" aria-live="polite">{move || status.get()}</span>
        </p>
    }
    .into_any()
}

/// Asks the browser to copy `text` and reports how that went in `status`.
fn copy(text: String, status: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        use wasm_bindgen::closure::Closure;

        const BY_HAND: &str = "select the snippet and copy it with the keyboard or menu.";
        let navigator = window().navigator();
        // Absent outside secure contexts (plain http on another host than localhost).
        let available = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .is_ok_and(|clipboard| !clipboard.is_undefined());
        if !available {
            status.set(format!("This page cannot use the clipboard: {BY_HAND}"));
            return;
        }
        let done = Closure::once(move |_: JsValue| status.set("Copied.".into()));
        let failed = Closure::once(move |_: JsValue| status.set(format!("Copying failed: {BY_HAND}")));
        let _ = navigator.clipboard().write_text(&text).then2(&done, &failed);
        // The browser calls one of them once; they are tiny, so they are left to it.
        done.forget();
        failed.forget();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (text, status);
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn the_snippet_loads_the_widget_from_this_server_for_the_product() {
        let text = snippet("https://c2m.example", "weekender-bag", Some("pk_abc"));
        assert_eq!(
            text,
            "<script type=\"module\" src=\"https://c2m.example/widget/c2m.js\"></script>\n\
             <c2m-configurator product=\"weekender-bag\" key=\"pk_abc\"></c2m-configurator>"
        );
        assert!(snippet("http://x", "tote", None).contains("key=\"pk_…\""));
    }
}
