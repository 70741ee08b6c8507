//! The configurator: option groups as radio groups and check boxes, every value with its
//! price and delivery estimate, the promise for the whole selection, and the order
//! button.
//!
//! The storefront renders it on the server and hydrates it. The widget draws the same
//! markup without Leptos (`widget/src/configurator.rs`, to stay within its size budget),
//! over the same model and [`crate::configuration`]: a change to the markup or the words
//! here belongs there too. Its stylesheet travels with it (`<style>` in its own root) so
//! no surface needs a separate CSS file; the widget adopts it as a constructed
//! stylesheet instead, which a host page's CSP cannot block. Labels written by merchants
//! are text nodes, never HTML.

mod live;
mod page;
mod services;

use leptos::prelude::*;

pub use self::live::Live;
pub use self::services::{Heat, LocalFuture, QuoteFailure, Services};
use crate::configuration::Pace;
pub use crate::configuration::{ConfigurationDetail, DeliveryDetail};
use crate::i18n::{Locale, Text};
use crate::model::{ConfiguratorView, GroupKindView, GroupView, ValueStatusView, ValueView};

pub use crate::configuration::STYLESHEET;

/// Renders a product's configurator and keeps its estimates live.
#[component]
pub fn Configurator(
    /// What to render first: groups, default selection and its answer.
    view: ConfiguratorView,
    /// Where fresh quotes come from and where heat goes.
    services: Services,
    /// Distinguishes the form controls of several configurators on one page.
    #[prop(default = "c2m".to_string(), into)]
    instance: String,
    /// The shopper's language.
    #[prop(optional)]
    locale: Locale,
    /// Units ordered; the host page may change it.
    #[prop(into, default = Signal::stored(1))]
    quantity: Signal<u32>,
    /// Whether [`STYLESHEET`] is already adopted by the shadow root the configurator is
    /// mounted in (so a host page's CSP need not allow inline `<style>`); otherwise it
    /// renders its own `<style>`.
    #[prop(optional)]
    styles_adopted: bool,
) -> impl IntoView {
    let live = Live::new(&view, services, locale, instance, quantity);
    {
        let live = live.clone();
        Effect::new(move |_| live.shown());
    }
    {
        // The host changed the quantity: quote again (not on the first run: the page
        // came with its answer).
        let live = live.clone();
        Effect::watch(move || quantity.get(), move |_, _, _| live.requote(), false);
    }
    {
        // Back online after a failed request: ask again by itself.
        let live = live.clone();
        Effect::new(move |_| {
            let live = live.clone();
            let handle = window_event_listener(leptos::ev::online, move |_| {
                if live.problem.get_untracked() == Some(QuoteFailure::Offline) {
                    live.requote();
                }
            });
            on_cleanup(move || handle.remove());
        });
    }
    let groups = live
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| view! { <OptionGroup live=live.clone() index group=group.clone() /> })
        .collect_view();
    let (pending, root) = (live.pending, live.root);
    view! {
        <div class="c2m" lang=locale.tag() node_ref=root class:c2m-pending=move || pending.get() aria-busy=move || pending.get().to_string()>
            {(!styles_adopted).then(|| view! { <style>{STYLESHEET}</style> })}
            <h2 class="c2m-title">{view.product.name.clone()}</h2>
            {groups}
            <Summary live=live.clone() />
            <Actions live />
        </div>
    }
}

/// One option group: a radio group or a set of check boxes.
#[component]
fn OptionGroup(live: Live, index: usize, group: GroupView) -> impl IntoView {
    let name = format!("{}-{}", live.instance, group.code);
    let role = match group.kind {
        GroupKindView::Single => "radiogroup",
        GroupKindView::Multi => "group",
    };
    let legend = if group.required {
        group.name.clone()
    } else {
        format!("{} ({})", group.name, live.locale.text(Text::Optional))
    };
    let values = group
        .values
        .iter()
        .enumerate()
        .map(|(v, value)| {
            view! {
                <OptionValue
                    live=live.clone()
                    group=group.clone()
                    group_index=index
                    value_index=v
                    value=value.clone()
                    name=name.clone()
                />
            }
        })
        .collect_view();
    view! {
        <fieldset class="c2m-group" role=role data-group=group.code.clone()>
            <legend>{legend}</legend>
            {values}
        </fieldset>
    }
    .into_any()
}

/// One value: its control, label, price delta, estimate, and when frozen its reason and
/// the switch to the suggested alternative.
#[component]
fn OptionValue(
    live: Live,
    group: GroupView,
    group_index: usize,
    value_index: usize,
    value: ValueView,
    name: String,
) -> impl IntoView {
    let locale = live.locale;
    let cell = {
        let live = live.clone();
        move || live.cell(group_index, value_index)
    };
    let frozen = {
        let cell = cell.clone();
        let loaded = value.status;
        move || cell().map_or(loaded, |c| c.status) == ValueStatusView::Frozen
    };
    let checked = {
        let (live, group, code) = (live.clone(), group.code.clone(), value.code.clone());
        move || live.is_chosen(&group, &code)
    };
    let on_change = {
        let (live, group, code) = (live.clone(), group.clone(), value.code.clone());
        move |_| live.choose(&group, &code)
    };
    let input_type = match group.kind {
        GroupKindView::Single => "radio",
        GroupKindView::Multi => "checkbox",
    };
    let delta =
        (value.price_delta_minor != 0).then(|| locale.price(value.price_delta_minor, &live.currency, true));
    let estimate = {
        let cell = cell.clone();
        move || cell().and_then(|c| c.estimate).map(|e| locale.estimate(&e))
    };
    let pace = {
        let live = live.clone();
        move || pace(&live, group_index, value_index)
    };
    let (fast, tied, badge) = (pace.clone(), pace.clone(), pace);
    let frozen_class = frozen.clone();
    let note_id = format!("{name}-{}-note", value.code);
    let note = {
        let (live, group, code, frozen) = (live.clone(), group.clone(), value.code.clone(), frozen.clone());
        let loaded_reason = value.frozen_reason.clone();
        let cell = cell.clone();
        let note_id = note_id.clone();
        move || {
            let c = cell();
            let reason = c.as_ref().map_or(loaded_reason.clone(), |c| c.reason.clone())?;
            let switch = frozen()
                .then(|| c.as_ref().and_then(|c| c.alternative.clone()))
                .flatten()
                .and_then(|alt| {
                    let label = group.values.iter().find(|v| v.code == alt)?.label.clone();
                    let (live, group, from) = (live.clone(), group.clone(), code.clone());
                    let on_click = move |_| live.switch(&group, &from, &alt);
                    Some(view! {
                        <button type="button" class="c2m-switch" on:click=on_click>
                            {locale.text(Text::Instead)} " " {label}
                        </button>
                    })
                });
            Some(view! {
                <span class="c2m-note" id=note_id.clone()>
                    <span class="c2m-reason">{reason}</span>
                    {switch}
                </span>
            })
        }
    };
    let describedby = {
        let (cell, id) = (cell.clone(), note_id.clone());
        move || cell().and_then(|c| c.reason).map(|_| id.clone())
    };
    view! {
        <div
            class="c2m-value"
            class:c2m-frozen=frozen_class
            class:c2m-fast=move || fast() != Pace::Other
            data-value=value.code.clone()
        >
            <label>
                <input
                    type=input_type
                    name=name
                    value=value.code.clone()
                    prop:checked=checked
                    disabled=frozen
                    aria-describedby=describedby
                    on:change=on_change
                />
                <span class="c2m-label">{value.label.clone()}</span>
                {delta.map(|d| view! { <span class="c2m-delta">{d}</span> })}
                <span
                    class="c2m-fastest"
                    class:c2m-sr=move || tied() == Pace::TiedFastest
                    hidden=move || badge() == Pace::Other
                >
                    {locale.text(Text::Fastest)}
                </span>
                <span class="c2m-eta">{estimate}</span>
            </label>
            {note}
        </div>
    }
    .into_any()
}

/// How value `value` of group `group` stands in its group's race, from the latest answer.
fn pace(live: &Live, group: usize, value: usize) -> Pace {
    live.answer
        .with(|a| crate::configuration::pace(&live.groups, a.as_ref(), group, value))
}

/// The total, the promise and what it waits for; announced to screen readers when it
/// changes.
#[component]
fn Summary(live: Live) -> impl IntoView {
    let locale = live.locale;
    let total = {
        let live = live.clone();
        move || {
            let quantity = live.quantity.get();
            let unit = live.unit_price();
            let total = locale.price(unit * i64::from(quantity), &live.currency, false);
            if quantity > 1 {
                format!(
                    "{total} ({quantity} × {})",
                    locale.price(unit, &live.currency, false)
                )
            } else {
                total
            }
        }
    };
    let answer = live.answer;
    let promise = move || {
        answer.with(|a| {
            let a = a.as_ref()?;
            Some(match &a.estimate {
                Some(e) if a.available => locale.promise(e),
                _ => a
                    .unavailable_reason
                    .clone()
                    .unwrap_or_else(|| locale.text(Text::Unavailable).to_string()),
            })
        })
    };
    let why = move || {
        answer.with(|a| {
            a.as_ref()
                .filter(|a| a.available)
                .and_then(|a| a.constraint.as_ref())
                .map(|c| c.sentence.clone())
        })
    };
    // A presale product's first batch, and a sooner split of a larger quantity.
    let batch = move || answer.with(|a| a.as_ref()?.first_batch.map(|b| locale.first_batch(&b)));
    let split = move || {
        answer.with(|a| {
            a.as_ref()
                .filter(|a| a.available)?
                .split
                .as_deref()
                .map(|parts| locale.split(parts))
        })
    };
    let status = {
        let (problem, pending) = (live.problem, live.pending);
        move || match problem.get() {
            Some(QuoteFailure::Offline) => Some(locale.text(Text::Offline).to_string()),
            Some(QuoteFailure::Server(detail)) => {
                Some(format!("{}{}{detail}", locale.text(Text::Failed), locale.colon()))
            }
            None if pending.get() => Some(locale.text(Text::Updating).to_string()),
            None => None,
        }
    };
    let failed = move || live.problem.with(Option::is_some);
    let retry = {
        let live = live.clone();
        move |_| live.requote()
    };
    view! {
        <div class="c2m-summary">
            <p class="c2m-total">
                {format!("{}{}", locale.text(Text::Total), locale.colon())} <strong>{total}</strong>
            </p>
            <div class="c2m-promise-box" aria-live="polite" aria-atomic="true">
                <p class="c2m-promise">{promise}</p>
                <p class="c2m-why">{why}</p>
                <p class="c2m-batch" hidden=move || batch().is_none()>{batch}</p>
                <p class="c2m-split" hidden=move || split().is_none()>{split}</p>
            </div>
            <p class="c2m-status" role="status" class:c2m-error=failed>
                <span class="c2m-status-text">{status}</span>
                <button type="button" class="c2m-retry" hidden=move || !failed() on:click=retry>
                    {locale.text(Text::Retry)}
                </button>
            </p>
        </div>
    }
    .into_any()
}

/// "Add to cart" (or "Preorder") and "Save for later".
#[component]
fn Actions(live: Live) -> impl IntoView {
    let locale = live.locale;
    let label = locale.text(if live.preorder {
        Text::Preorder
    } else {
        Text::AddToCart
    });
    let saved = RwSignal::new(false);
    let can_order = {
        let live = live.clone();
        move || live.can_order()
    };
    let order = {
        let live = live.clone();
        move |_| live.order()
    };
    let save = move |_| {
        if !saved.get_untracked() {
            live.favorite();
        }
        saved.update(|s| *s = !*s);
    };
    view! {
        <div class="c2m-actions">
            <button type="button" class="c2m-order" disabled=move || !can_order() on:click=order>
                {label}
            </button>
            <button type="button" class="c2m-save" aria-pressed=move || saved.get().to_string() on:click=save>
                {move || locale.text(if saved.get() { Text::Saved } else { Text::Save })}
            </button>
        </div>
    }
    .into_any()
}
