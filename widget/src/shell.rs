//! The widget's own part of the host element: its shadow root, the loading and error
//! lines, and the container the configurator is mounted into.

use app::i18n::Locale;
use app::model::ConfiguratorView;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::api::Endpoint;
use crate::configurator::Configurator;

/// Styles of the shell itself; the configurator brings its own.
const SHELL_CSS: &str = "\
:host { display: block; }
:host([hidden]) { display: none; }
.c2m-status { margin: 0; padding: 0.5em 0; font: inherit; color: var(--c2m-muted, #6e6e73); }
.c2m-error { color: var(--c2m-error, #b3261e); }
";

/// Gives the shadow root the shell's and the configurator's styles as one constructed
/// stylesheet, and says whether it could. A `<style>` element would need
/// `'unsafe-inline'` in a host page's `style-src`; a stylesheet built through the CSSOM
/// is not subject to it. The one sheet is shared by every widget on the page (parsed
/// once). Browsers without constructable stylesheets (Safari before 16.4) get `<style>`
/// elements instead.
fn adopt_styles(root: &ShadowRoot) -> bool {
    thread_local! {
        static SHEET: Option<CssStyleSheet> = {
            let sheet = CssStyleSheet::new().ok()?;
            sheet.replace_sync(&format!("{SHELL_CSS}\n{}", app::configuration::STYLESHEET)).ok()?;
            Some(sheet)
        };
    }
    SHEET.with(|sheet| match sheet {
        Some(sheet)
            if js_sys::Reflect::has(root, &JsValue::from_str("adoptedStyleSheets")).unwrap_or(false) =>
        {
            root.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
            true
        }
        _ => false,
    })
}

/// What the configurator is mounted with, besides its data.
pub struct Parts {
    /// Quotes and heat, through the API.
    pub endpoint: Endpoint,
    /// Unique on the page.
    pub instance: String,
    /// The shopper's language.
    pub locale: Locale,
    /// Units, as the host's `quantity` attribute says now.
    pub quantity: u32,
}

/// What a mount owns inside the host: a container in the host's shadow root.
pub struct Shell {
    container: HtmlElement,
    /// Whether the configurator's stylesheet is adopted by the shadow root already.
    styles_adopted: bool,
}

impl Shell {
    /// Takes over the host's open shadow root (attaching one if there is none) and shows
    /// the loading line. Whatever the shadow root showed before (the loader's placeholder,
    /// an earlier mount) is replaced.
    pub fn attach(host: &HtmlElement) -> Result<Shell, JsValue> {
        let root = match host.shadow_root() {
            Some(root) => root,
            None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
        };
        let document = host
            .owner_document()
            .ok_or_else(|| JsValue::from_str("the element has no document"))?;
        let container: HtmlElement = document.create_element("div")?.unchecked_into();
        container.set_class_name("c2m-root");
        let styles_adopted = adopt_styles(&root);
        if styles_adopted {
            root.replace_children_with_node_1(&container);
        } else {
            let style = document.create_element("style")?;
            style.set_text_content(Some(SHELL_CSS));
            root.replace_children_with_node_2(&style, &container);
        }
        let shell = Shell {
            container,
            styles_adopted,
        };
        shell.status("loading", "Loading options…", false);
        Ok(shell)
    }

    /// Mounts the configurator, unless a later mount has taken the element over.
    pub fn show(self, view: ConfiguratorView, parts: Parts) -> Option<Configurator> {
        if !self.is_current() {
            return None;
        }
        self.container.replace_children_with_node_0();
        let _ = self.container.set_attribute("data-state", "ready");
        let Parts {
            endpoint,
            instance,
            locale,
            quantity,
        } = parts;
        Some(Configurator::mount(
            &self.container,
            view,
            endpoint,
            instance,
            locale,
            quantity,
            self.styles_adopted,
        ))
    }

    /// Shows why the configurator is missing and logs it once.
    pub fn fail(&self, error: &dyn std::fmt::Display) {
        if self.is_current() {
            self.status(
                "error",
                &format!("This configurator could not be loaded: {error}"),
                true,
            );
        }
    }

    /// Whether this container is still the one in the shadow root.
    fn is_current(&self) -> bool {
        self.container.parent_node().is_some()
    }

    /// Replaces the container's content with one line of text (never HTML).
    fn status(&self, state: &str, text: &str, error: bool) {
        let _ = self.container.set_attribute("data-state", state);
        let Some(document) = self.container.owner_document() else {
            return;
        };
        let Ok(line) = document.create_element("p") else {
            return;
        };
        line.set_class_name(if error {
            "c2m-status c2m-error"
        } else {
            "c2m-status"
        });
        let _ = line.set_attribute("role", if error { "alert" } else { "status" });
        line.set_text_content(Some(text));
        self.container.replace_children_with_node_1(&line);
    }
}
