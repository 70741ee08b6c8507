//! The configurator: option groups as radio groups and check boxes, with prices.
//!
//! One component for both surfaces: the storefront renders it on the server and
//! hydrates it; the widget mounts it, client-side only, inside a shadow root. Its
//! stylesheet travels with it (`<style>` in its own root) so neither surface needs a
//! separate CSS file and no host page CSS reaches it inside the widget.

use leptos::prelude::*;

use crate::model::{
    ConfiguratorView, GroupKindView, GroupView, SelectionView, ValueStatusView, ValueView, format_price,
};

/// The configurator's own stylesheet; theme colours come from `--c2m-*` custom properties.
pub const STYLESHEET: &str = include_str!("configurator.css");

/// Renders a product's option groups and the price of the current selection.
#[component]
pub fn Configurator(
    /// What to render.
    view: ConfiguratorView,
    /// Distinguishes the form controls of several configurators on one page.
    #[prop(default = "c2m".to_string(), into)]
    instance: String,
) -> impl IntoView {
    let selection = RwSignal::new(view.default_selection.clone());
    let currency = view.product.currency.clone();
    let base = view.product.base_price_minor;
    let groups = view.groups.clone();
    let total = {
        let groups = groups.clone();
        move || base + selection.with(|s| price_of(&groups, s))
    };
    let total_currency = currency.clone();
    // The promise for the starting selection; issue 4 re-quotes on every change.
    let promise = view.quote.as_ref().map(|q| match (&q.estimate, &q.constraint) {
        (Some(e), constraint) => {
            let why = constraint
                .as_ref()
                .map(|c| format!(" · {}", c.sentence))
                .unwrap_or_default();
            format!("Delivery in {} ({}){why}", e.label, e.p50.format("%-d %b"))
        }
        (None, _) => q
            .unavailable_reason
            .clone()
            .unwrap_or_else(|| "Not available".to_string()),
    });
    view! {
        <div class="c2m">
            <style>{STYLESHEET}</style>
            <h2 class="c2m-title">{view.product.name.clone()}</h2>
            {groups
                .into_iter()
                .map(|group| {
                    view! {
                        <OptionGroup
                            group
                            selection
                            currency=currency.clone()
                            instance=instance.clone()
                        />
                    }
                })
                .collect_view()}
            <p class="c2m-total" aria-live="polite">
                "Total: " <strong>{move || format_price(total(), &total_currency, false)}</strong>
            </p>
            {promise.map(|p| view! { <p class="c2m-promise">{p}</p> })}
        </div>
    }
}

/// Sum of the price deltas of the chosen values.
fn price_of(groups: &[GroupView], selection: &SelectionView) -> i64 {
    groups
        .iter()
        .flat_map(|g| {
            let chosen = selection.get(&g.code).cloned().unwrap_or_default();
            g.values
                .iter()
                .filter(move |v| chosen.contains(&v.code))
                .map(|v| v.price_delta_minor)
        })
        .sum()
}

#[component]
fn OptionGroup(
    group: GroupView,
    selection: RwSignal<SelectionView>,
    currency: String,
    instance: String,
) -> impl IntoView {
    let name = format!("{instance}-{}", group.code);
    let role = match group.kind {
        GroupKindView::Single => "radiogroup",
        GroupKindView::Multi => "group",
    };
    let legend = if group.required {
        group.name.clone()
    } else {
        format!("{} (optional)", group.name)
    };
    let values = group
        .values
        .into_iter()
        .map(|value| {
            view! {
                <OptionValue
                    value
                    group_code=group.code.clone()
                    kind=group.kind
                    name=name.clone()
                    selection
                    currency=currency.clone()
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
}

#[component]
fn OptionValue(
    value: ValueView,
    group_code: String,
    kind: GroupKindView,
    name: String,
    selection: RwSignal<SelectionView>,
    currency: String,
) -> impl IntoView {
    let frozen = value.status == ValueStatusView::Frozen;
    let code = value.code.clone();
    let checked = {
        let (group_code, code) = (group_code.clone(), code.clone());
        move || selection.with(|s| s.get(&group_code).is_some_and(|v| v.contains(&code)))
    };
    let on_change = move |_| {
        selection.update(|s| {
            let chosen = s.entry(group_code.clone()).or_default();
            match kind {
                GroupKindView::Single => *chosen = vec![code.clone()],
                GroupKindView::Multi => {
                    if let Some(i) = chosen.iter().position(|c| c == &code) {
                        chosen.remove(i);
                    } else {
                        chosen.push(code.clone());
                    }
                }
            }
        });
    };
    let input_type = match kind {
        GroupKindView::Single => "radio",
        GroupKindView::Multi => "checkbox",
    };
    let delta =
        (value.price_delta_minor != 0).then(|| format_price(value.price_delta_minor, &currency, true));
    view! {
        <label class="c2m-value" class:c2m-frozen=frozen data-value=value.code.clone()>
            <input type=input_type name=name value=value.code.clone() prop:checked=checked disabled=frozen on:change=on_change />
            <span class="c2m-label">{value.label}</span>
            {delta.map(|d| view! { <span class="c2m-delta">{d}</span> })}
            {value.estimate.map(|e| view! { <span class="c2m-eta">{e.label}</span> })}
            {value.frozen_reason.map(|r| view! { <span class="c2m-reason">{r}</span> })}
        </label>
    }
}
