//! The widget's view of a product's configurator: the same markup, words, events and
//! round trip as the storefront's Leptos component (`app::configurator`), drawn with a
//! few DOM calls instead, so the widget's wasm carries no UI framework.
//!
//! The DOM is built once; every change of state repaints what depends on it
//! ([`Inner::paint`]), setting only what differs. The rules of a choice, the price and
//! the race between values are `app::configuration`'s, shared with the storefront.
//! **Invariants (as the storefront's): an answer is applied only if no later request
//! was made since; while a request is out the previous answer stays on screen, dimmed;
//! the order button is enabled only when the answer on screen is for the selection on
//! screen.**

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use app::configuration::{self, Configuration, Heat, Pace, QuoteFailure};
use app::i18n::{Locale, Text};
use app::model::{
    ConfiguratorView, GroupKindView, GroupView, OptionQuoteView, QuoteRequest, QuoteView, SelectionView,
    ValueStatusView,
};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

use crate::api::Endpoint;
use crate::dom::{self, append, element, on, set_attribute, set_class, set_flag, set_text, text_child};
use crate::page;

/// A mounted configurator; cheap to clone.
#[derive(Clone)]
pub struct Configurator(Rc<Inner>);

struct Inner {
    product: String,
    currency: String,
    base_price_minor: i64,
    preorder: bool,
    groups: Vec<GroupView>,
    locale: Locale,
    instance: String,
    endpoint: Endpoint,
    state: RefCell<State>,
    nodes: OnceCell<Nodes>,
}

/// What the shopper sees changes with.
struct State {
    selection: SelectionView,
    quantity: u32,
    /// The latest answer applied.
    answer: Option<QuoteView>,
    /// A request newer than `answer` is on its way.
    pending: bool,
    /// Why the latest request failed, until one succeeds.
    problem: Option<QuoteFailure>,
    /// The sequence number of the latest request.
    latest: u64,
    /// "Save for later" is pressed.
    saved: bool,
}

struct Nodes {
    root: Element,
    values: Vec<Vec<ValueNodes>>,
    total: Element,
    promise: Element,
    why: Element,
    batch: Element,
    split: Element,
    status: Element,
    status_text: Element,
    retry: Element,
    order: Element,
    save: Element,
}

struct ValueNodes {
    row: Element,
    input: HtmlInputElement,
    fastest: Element,
    eta: Element,
    note_id: String,
    /// The note shown (why the value is frozen, and its switch) and what it says.
    note: RefCell<Option<(Note, Element)>>,
}

/// What a value's note says: the reason, and the alternative's code and label.
type Note = (String, Option<(String, String)>);

impl Configurator {
    /// Builds the configurator for `view` into `container` and shows it.
    pub fn mount(
        container: &Element,
        view: ConfiguratorView,
        endpoint: Endpoint,
        instance: String,
        locale: Locale,
        quantity: u32,
        styles_adopted: bool,
    ) -> Configurator {
        let inner = Rc::new(Inner {
            product: view.product.slug.clone(),
            currency: view.product.currency.clone(),
            base_price_minor: view.product.base_price_minor,
            preorder: view.product.preorder,
            groups: view.groups,
            locale,
            instance,
            endpoint,
            state: RefCell::new(State {
                selection: view.default_selection,
                quantity,
                answer: view.quote,
                pending: false,
                problem: None,
                latest: 0,
                saved: false,
            }),
            nodes: OnceCell::new(),
        });
        let this = Configurator(inner);
        let document = container.owner_document().expect("an element has a document");
        let nodes = this.build(&document, &view.product.name, styles_adopted);
        let _ = container.append_child(&nodes.root);
        let _ = this.0.nodes.set(nodes);
        this.paint();
        {
            // Back online after a failed request: ask again by itself.
            let this = this.clone();
            if let Some(window) = web_sys::window() {
                on(&window, "online", move || {
                    let offline = this.0.state.borrow().problem == Some(QuoteFailure::Offline);
                    if offline {
                        this.requote();
                    }
                });
            }
        }
        // On screen: one view, and the first-paint mark.
        this.heat(Heat::View);
        page::after_paint(|| page::mark("c2m:first-estimates"));
        this
    }

    /// The host changed the quantity: quote again for that many units.
    pub fn set_quantity(&self, quantity: u32) {
        self.0.state.borrow_mut().quantity = quantity;
        self.requote();
    }

    fn build(&self, document: &Document, name: &str, styles_adopted: bool) -> Nodes {
        let inner = &self.0;
        let locale = inner.locale;
        let root = element(document, "div", "c2m");
        let _ = root.set_attribute("lang", locale.tag());
        if !styles_adopted {
            text_child(&root, "style", "", configuration::STYLESHEET);
        }
        text_child(&root, "h2", "c2m-title", name);
        let values = inner
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| self.build_group(document, &root, g, group))
            .collect();

        let summary = append(&root, element(document, "div", "c2m-summary"));
        let total_line = append(&summary, element(document, "p", "c2m-total"));
        total_line.set_text_content(Some(&format!("{}{}", locale.text(Text::Total), locale.colon())));
        // The space between the heading and the price, as the storefront renders it.
        let _ = total_line.append_with_str_1(" ");
        let total = append(&total_line, element(document, "strong", ""));
        let promise_box = append(&summary, element(document, "div", "c2m-promise-box"));
        let _ = promise_box.set_attribute("aria-live", "polite");
        let _ = promise_box.set_attribute("aria-atomic", "true");
        let promise = text_child(&promise_box, "p", "c2m-promise", "");
        let why = text_child(&promise_box, "p", "c2m-why", "");
        let batch = text_child(&promise_box, "p", "c2m-batch", "");
        let split = text_child(&promise_box, "p", "c2m-split", "");
        let status = append(&summary, element(document, "p", "c2m-status"));
        let _ = status.set_attribute("role", "status");
        let status_text = text_child(&status, "span", "c2m-status-text", "");
        let retry = text_child(&status, "button", "c2m-retry", locale.text(Text::Retry));
        let _ = retry.set_attribute("type", "button");
        let this = self.clone();
        on(&retry, "click", move || this.requote());

        let actions = append(&root, element(document, "div", "c2m-actions"));
        let label = locale.text(if inner.preorder {
            Text::Preorder
        } else {
            Text::AddToCart
        });
        let order = text_child(&actions, "button", "c2m-order", label);
        let _ = order.set_attribute("type", "button");
        let this = self.clone();
        on(&order, "click", move || this.order());
        let save = text_child(&actions, "button", "c2m-save", "");
        let _ = save.set_attribute("type", "button");
        let this = self.clone();
        on(&save, "click", move || this.save());
        Nodes {
            root,
            values,
            total,
            promise,
            why,
            batch,
            split,
            status,
            status_text,
            retry,
            order,
            save,
        }
    }

    /// One option group: a radio group or a set of check boxes.
    fn build_group(
        &self,
        document: &Document,
        root: &Element,
        g: usize,
        group: &GroupView,
    ) -> Vec<ValueNodes> {
        let locale = self.0.locale;
        let name = format!("{}-{}", self.0.instance, group.code);
        let fieldset = append(root, element(document, "fieldset", "c2m-group"));
        let (role, input_type) = match group.kind {
            GroupKindView::Single => ("radiogroup", "radio"),
            GroupKindView::Multi => ("group", "checkbox"),
        };
        let _ = fieldset.set_attribute("role", role);
        let _ = fieldset.set_attribute("data-group", &group.code);
        let legend = if group.required {
            group.name.clone()
        } else {
            format!("{} ({})", group.name, locale.text(Text::Optional))
        };
        text_child(&fieldset, "legend", "", &legend);
        group
            .values
            .iter()
            .enumerate()
            .map(|(v, value)| {
                let row = append(&fieldset, element(document, "div", "c2m-value"));
                let _ = row.set_attribute("data-value", &value.code);
                let label = append(&row, element(document, "label", ""));
                let input: HtmlInputElement = append(&label, element(document, "input", "")).unchecked_into();
                let _ = input.set_attribute("type", input_type);
                let _ = input.set_attribute("name", &name);
                let _ = input.set_attribute("value", &value.code);
                let this = self.clone();
                on(&input, "change", move || this.choose(g, v));
                text_child(&label, "span", "c2m-label", &value.label);
                if value.price_delta_minor != 0 {
                    let delta = locale.price(value.price_delta_minor, &self.0.currency, true);
                    text_child(&label, "span", "c2m-delta", &delta);
                }
                let fastest = text_child(&label, "span", "c2m-fastest", locale.text(Text::Fastest));
                let eta = text_child(&label, "span", "c2m-eta", "");
                ValueNodes {
                    row,
                    input,
                    fastest,
                    eta,
                    note_id: format!("{name}-{}-note", value.code),
                    note: RefCell::new(None),
                }
            })
            .collect()
    }

    /// The shopper (un)ticked value `v` of group `g`.
    fn choose(&self, g: usize, v: usize) {
        let group = &self.0.groups[g];
        let code = &group.values[v].code;
        let added = configuration::choose(&mut self.0.state.borrow_mut().selection, group, code);
        if added {
            self.heat(Heat::OptionSelect {
                group: group.code.clone(),
                value: code.clone(),
            });
        }
        self.requote();
    }

    /// Replaces a frozen `from` of group `g` with its suggested `to` in one click.
    fn switch(&self, g: usize, from: &str, to: &str) {
        let group = &self.0.groups[g];
        configuration::switch(&mut self.0.state.borrow_mut().selection, group, from, to);
        self.heat(Heat::OptionSelect {
            group: group.code.clone(),
            value: to.to_string(),
        });
        self.requote();
    }

    /// Asks for the answer to the current selection and quantity; applies it only if no
    /// later request was made meanwhile.
    fn requote(&self) {
        let (seq, request) = {
            let mut state = self.0.state.borrow_mut();
            state.latest += 1;
            state.pending = true;
            let request = QuoteRequest {
                product: self.0.product.clone(),
                selection: state.selection.clone(),
                quantity: state.quantity,
                channel: None,
            };
            (state.latest, request)
        };
        self.paint();
        let start = format!("c2m:change:{}:{seq}", self.0.instance);
        page::mark(&start);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = this.0.endpoint.quote(&request).await;
            {
                let mut state = this.0.state.borrow_mut();
                if state.latest != seq {
                    return;
                }
                match result {
                    Ok(answer) => {
                        state.answer = Some(answer);
                        state.problem = None;
                    }
                    Err(error) => state.problem = Some(QuoteFailure::from(error)),
                }
                state.pending = false;
            }
            this.paint();
            this.announce("c2m:change");
            page::after_paint(move || {
                let end = format!("c2m:painted:{}:{seq}", this.0.instance);
                page::mark(&end);
                page::measure("c2m:update", &start, &end);
            });
        });
    }

    /// "Add to cart" / "Preorder": heat, and the host page hears it.
    fn order(&self) {
        let selection = self.0.state.borrow().selection.clone();
        self.heat(if self.0.preorder {
            Heat::Preorder { selection }
        } else {
            Heat::AddToCart { selection }
        });
        self.announce("c2m:add-to-cart");
    }

    /// "Save for later" toggles; saving (not unsaving) is heat.
    fn save(&self) {
        let saved = self.0.state.borrow().saved;
        if !saved {
            let selection = self.0.state.borrow().selection.clone();
            self.heat(Heat::Favorite { selection });
        }
        self.0.state.borrow_mut().saved = !saved;
        self.paint();
    }

    fn paint(&self) {
        self.0.paint(self);
    }

    fn heat(&self, heat: Heat) {
        crate::heat::record(&self.0.endpoint, &self.0.product, heat);
    }

    /// Tells the host page: `c2m:change` or `c2m:add-to-cart`, with the configuration.
    fn announce(&self, event: &str) {
        let inner = &self.0;
        let detail = {
            let state = inner.state.borrow();
            let configuration = Configuration {
                product: &inner.product,
                currency: &inner.currency,
                base_price_minor: inner.base_price_minor,
                preorder: inner.preorder,
                groups: &inner.groups,
            };
            let answer = state.answer.as_ref().filter(|_| state.problem.is_none());
            configuration.detail(&state.selection, state.quantity, answer, inner.locale)
        };
        if let Some(nodes) = inner.nodes.get() {
            page::dispatch(&nodes.root, event, &detail);
        }
    }
}

impl Inner {
    /// Brings every part that depends on the state up to date.
    fn paint(&self, this: &Configurator) {
        let Some(nodes) = self.nodes.get() else {
            return;
        };
        let state = self.state.borrow();
        let locale = self.locale;
        dom::set_class(&nodes.root, if state.pending { "c2m c2m-pending" } else { "c2m" });
        let _ = nodes
            .root
            .set_attribute("aria-busy", if state.pending { "true" } else { "false" });
        for (g, group) in nodes.values.iter().enumerate() {
            for (v, value) in group.iter().enumerate() {
                let cell = state
                    .answer
                    .as_ref()
                    .and_then(|a| a.options.get(g))
                    .and_then(|o| o.values.get(v));
                self.paint_value(this, value, &state, (g, v), cell);
            }
        }

        let unit = configuration::unit_price(self.base_price_minor, &self.groups, &state.selection);
        let quantity = state.quantity;
        let total = locale.price(unit * i64::from(quantity), &self.currency, false);
        let total = if quantity > 1 {
            format!(
                "{total} ({quantity} × {})",
                locale.price(unit, &self.currency, false)
            )
        } else {
            total
        };
        set_text(&nodes.total, &total);

        let answer = state.answer.as_ref();
        let promise = answer.map(|a| match &a.estimate {
            Some(e) if a.available => locale.promise(e),
            _ => a
                .unavailable_reason
                .clone()
                .unwrap_or_else(|| locale.text(Text::Unavailable).to_string()),
        });
        set_text(&nodes.promise, promise.as_deref().unwrap_or_default());
        let available = answer.filter(|a| a.available);
        let why = available
            .and_then(|a| a.constraint.as_ref())
            .map(|c| c.sentence.as_str());
        set_text(&nodes.why, why.unwrap_or_default());
        let batch = answer.and_then(|a| a.first_batch.map(|b| locale.first_batch(&b)));
        set_text(&nodes.batch, batch.as_deref().unwrap_or_default());
        set_flag(&nodes.batch, "hidden", batch.is_none());
        let split = available
            .and_then(|a| a.split.as_deref())
            .map(|parts| locale.split(parts));
        set_text(&nodes.split, split.as_deref().unwrap_or_default());
        set_flag(&nodes.split, "hidden", split.is_none());

        let status = match &state.problem {
            Some(QuoteFailure::Offline) => Some(locale.text(Text::Offline).to_string()),
            Some(QuoteFailure::Server(detail)) => {
                Some(format!("{}{}{detail}", locale.text(Text::Failed), locale.colon()))
            }
            None if state.pending => Some(locale.text(Text::Updating).to_string()),
            None => None,
        };
        let failed = state.problem.is_some();
        set_class(
            &nodes.status,
            if failed {
                "c2m-status c2m-error"
            } else {
                "c2m-status"
            },
        );
        set_text(&nodes.status_text, status.as_deref().unwrap_or_default());
        set_flag(&nodes.retry, "hidden", !failed);

        let can_order = !state.pending && !failed && answer.is_some_and(|a| a.available);
        set_flag(&nodes.order, "disabled", !can_order);
        let _ = nodes
            .save
            .set_attribute("aria-pressed", if state.saved { "true" } else { "false" });
        set_text(
            &nodes.save,
            locale.text(if state.saved { Text::Saved } else { Text::Save }),
        );
    }

    /// One value: chosen, frozen, its race, its estimate and its note.
    fn paint_value(
        &self,
        this: &Configurator,
        nodes: &ValueNodes,
        state: &State,
        (g, v): (usize, usize),
        cell: Option<&OptionQuoteView>,
    ) {
        let group = &self.groups[g];
        let value = &group.values[v];
        let frozen = cell.map_or(value.status, |c| c.status) == ValueStatusView::Frozen;
        let pace = configuration::pace(&self.groups, state.answer.as_ref(), g, v);
        let mut class = String::from("c2m-value");
        if frozen {
            class.push_str(" c2m-frozen");
        }
        if pace != Pace::Other {
            class.push_str(" c2m-fast");
        }
        set_class(&nodes.row, &class);
        nodes.input.set_checked(configuration::is_chosen(
            &state.selection,
            &group.code,
            &value.code,
        ));
        set_flag(&nodes.input, "disabled", frozen);
        let reason = cell.and_then(|c| c.reason.as_ref());
        set_attribute(
            &nodes.input,
            "aria-describedby",
            reason.map(|_| nodes.note_id.as_str()),
        );
        set_class(
            &nodes.fastest,
            if pace == Pace::TiedFastest {
                "c2m-fastest c2m-sr"
            } else {
                "c2m-fastest"
            },
        );
        set_flag(&nodes.fastest, "hidden", pace == Pace::Other);
        let estimate = cell
            .and_then(|c| c.estimate.as_ref())
            .map(|e| self.locale.estimate(e));
        set_text(&nodes.eta, estimate.as_deref().unwrap_or_default());

        // The note: the answer's reason, else the one the configurator was loaded with.
        let reason = match cell {
            Some(c) => c.reason.clone(),
            None => value.frozen_reason.clone(),
        };
        let note = reason.map(|reason| {
            let alternative = cell
                .and_then(|c| c.alternative.as_ref())
                .filter(|_| frozen)
                .and_then(|alt| {
                    let label = group.values.iter().find(|x| &x.code == alt)?.label.clone();
                    Some((alt.clone(), label))
                });
            (reason, alternative)
        });
        self.paint_note(this, nodes, g, &value.code, note);
    }

    /// Replaces the value's note when what it says changed.
    fn paint_note(&self, this: &Configurator, nodes: &ValueNodes, g: usize, code: &str, note: Option<Note>) {
        let mut shown = nodes.note.borrow_mut();
        if shown.as_ref().map(|(n, _)| n) == note.as_ref() {
            return;
        }
        if let Some((_, old)) = shown.take() {
            old.remove();
        }
        let Some(note) = note else {
            return;
        };
        let document = nodes.row.owner_document().expect("an element has a document");
        let span = append(&nodes.row, element(&document, "span", "c2m-note"));
        span.set_id(&nodes.note_id);
        text_child(&span, "span", "c2m-reason", &note.0);
        if let Some((alt, label)) = &note.1 {
            let text = format!("{} {label}", self.locale.text(Text::Instead));
            let button = text_child(&span, "button", "c2m-switch", &text);
            let _ = button.set_attribute("type", "button");
            let this = this.clone();
            let (from, to) = (code.to_string(), alt.clone());
            on(&button, "click", move || this.switch(g, &from, &to));
        }
        *shown = Some((note, span));
    }
}
