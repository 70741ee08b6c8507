//! `/admin/alerts`: the alert inbox. Open alerts first, each with its evidence and the
//! suggestions to accept or dismiss (one small form per button, so each works before
//! the wasm loads); decided alerts below, with who decided each suggestion and when.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use super::forms::{Banner, FieldError, refusal};
use crate::model::alerts::{
    AlertView, DecayEvidence, Evidence, LateSupplyEvidence, OverconsumptionEvidence, ReorderEvidence,
    SpikeEvidence, SuggestionView,
};
use crate::server_fns::admin::{DecideSuggestion, DismissAlert, UndoSuggestion, admin_alerts, open_alerts};

/// Moves whenever the inbox changes, so the navigation's count re-reads.
#[derive(Clone, Copy, Default)]
pub struct InboxTick(pub RwSignal<u32>);

/// The page's forms.
#[derive(Clone, Copy)]
struct Actions {
    decide: ServerAction<DecideSuggestion>,
    dismiss: ServerAction<DismissAlert>,
    undo: ServerAction<UndoSuggestion>,
}

/// `/admin/alerts`.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let actions = Actions {
        decide: ServerAction::new(),
        dismiss: ServerAction::new(),
        undo: ServerAction::new(),
    };
    let tick = RwSignal::new(0u32);
    let inbox = use_context::<InboxTick>();
    // Re-read after every decision, refused ones too: a refusal means the page was
    // stale, and the list shows what was decided meanwhile.
    Effect::new(move |_| {
        let decided =
            actions.decide.version().get() + actions.dismiss.version().get() + actions.undo.version().get();
        if decided > 0 {
            tick.update(|n| *n += 1);
            if let Some(InboxTick(count)) = inbox {
                count.update(|n| *n += 1);
            }
        }
    });
    let alerts = Resource::new(move || tick.get(), |_| admin_alerts());
    let errors = vec![
        refusal(actions.decide),
        refusal(actions.dismiss),
        refusal(actions.undo),
    ];
    view! {
        <Title text="Alerts · c2m admin" />
        <h2>"Alerts"</h2>
        <p class="muted">
            "What the signals say, with what to do about it. Accepting a suggestion applies it and logs it \
             in the audit log; dismissing leaves things as they are."
        </p>
        <Banner errors />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match alerts.await {
                    Ok(alerts) => view! { <Inbox alerts actions /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Inbox(alerts: Vec<AlertView>, actions: Actions) -> impl IntoView {
    if alerts.is_empty() {
        return view! {
            <p class="muted" role="status" data-empty="">
                "No alerts. When an option value lands in carts unusually often after being picked, an alert \
                 appears here with a stock-level raise and a capacity reservation to accept or dismiss."
            </p>
        }
        .into_any();
    }
    let (open, decided): (Vec<_>, Vec<_>) = alerts.into_iter().partition(|a| a.status == "open");
    let open_count = open.len();
    view! {
        <section class="alerts-open" aria-labelledby="alerts-open">
            <h3 id="alerts-open">{format!("Open ({open_count})")}</h3>
            {(open_count == 0).then(|| view! { <p class="muted" role="status">"Nothing open: every alert is decided."</p> })}
            {open.into_iter().map(|alert| view! { <AlertCard alert actions /> }).collect_view()}
        </section>
        {(!decided.is_empty()).then(|| view! {
            <section class="alerts-decided" aria-labelledby="alerts-decided">
                <h3 id="alerts-decided">"Decided"</h3>
                {decided.into_iter().map(|alert| view! { <AlertCard alert actions /> }).collect_view()}
            </section>
        })}
    }
    .into_any()
}

#[component]
fn AlertCard(alert: AlertView, actions: Actions) -> impl IntoView {
    let AlertView {
        id,
        kind,
        severity,
        subject,
        message,
        evidence,
        status,
        created_at,
        suggestions,
    } = alert;
    let open = status == "open";
    let raised = format!(
        "Raised {} · {}",
        created_at.format("%Y-%m-%d %H:%M UTC"),
        severity
    );
    let row = format!("alert-{id}");
    let error = refusal(actions.dismiss);
    view! {
        <article class="card alert" data-alert=id.to_string() data-kind=kind data-status=status.clone()>
            <h4>{subject}" "<span class=format!("status {status}")>{status.clone()}</span></h4>
            <p>{message}</p>
            <p class="muted small">{raised}</p>
            {evidence.map(|e| match e {
                Evidence::HeatSpike(e) => view! { <SpikeFigures evidence=e /> }.into_any(),
                Evidence::WipOverconsumption(e) => view! { <OverconsumptionFigures evidence=e /> }.into_any(),
                Evidence::DemandDecay(e) => view! { <DecayFigures evidence=e /> }.into_any(),
                Evidence::LateSupply(e) => view! { <LateSupplyFigures evidence=e /> }.into_any(),
                Evidence::BelowReorderPoint(e) => view! { <ReorderFigures evidence=e /> }.into_any(),
            })}
            <ul class="suggestions">
                {suggestions
                    .into_iter()
                    .map(|suggestion| view! { <Suggestion suggestion decide=actions.decide undo=actions.undo /> })
                    .collect_view()}
            </ul>
            {open.then(|| view! {
                <ActionForm action=actions.dismiss attr:class="inline" attr:data-form="dismiss-alert">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="secondary">"Dismiss alert"</button>
                </ActionForm>
            })}
            <FieldError error field=row />
        </article>
    }
    .into_any()
}

/// The figures that raised a heat spike.
#[component]
fn SpikeFigures(evidence: SpikeEvidence) -> impl IntoView {
    let SpikeEvidence {
        from,
        to,
        selections,
        add_to_cart,
        rate,
        threshold,
        ..
    } = evidence;
    let days = (to - from).num_days() + 1;
    view! {
        <dl class="evidence">
            <dt>"Window"</dt>
            <dd>{format!("{} – {} ({days} days)", from.format("%-d %b %Y"), to.format("%-d %b %Y"))}</dd>
            <dt>"Picked"</dt>
            <dd data-selections=selections.to_string()>{format!("{selections} selections")}</dd>
            <dt>"In carts"</dt>
            <dd data-add-to-cart=add_to_cart.to_string()>{format!("{add_to_cart} add-to-carts")}</dd>
            <dt>"Rate"</dt>
            <dd>{format!("{:.1} % of selections (threshold {:.1} %)", rate * 100.0, threshold * 100.0)}</dd>
        </dl>
    }
    .into_any()
}

/// The figures that raised an overconsumption alert: the totals, then each order in
/// production with its plan and its reported use.
#[component]
fn OverconsumptionFigures(evidence: OverconsumptionEvidence) -> impl IntoView {
    let OverconsumptionEvidence {
        sku,
        unit,
        planned,
        actual,
        excess,
        percent_above,
        threshold_percent,
        orders,
        ..
    } = evidence;
    let above = percent_above.map_or_else(
        || "nothing was planned".to_string(),
        |p| format!("{p:.0} % above plan"),
    );
    view! {
        <dl class="evidence">
            <dt>"Planned"</dt>
            <dd data-planned=planned.to_string()>{format!("{planned} {unit} of {sku} for the orders in production")}</dd>
            <dt>"Used"</dt>
            <dd data-actual=actual.to_string()>{format!("{actual} {unit} reported, {excess} {unit} beyond plan")}</dd>
            <dt>"Rate"</dt>
            <dd>{format!("{above} (threshold {threshold_percent} %)")}</dd>
        </dl>
        <table class="evidence-orders">
            <caption>"Orders in production"</caption>
            <thead><tr><th scope="col">"Order"</th><th scope="col">"Planned"</th><th scope="col">"Used"</th></tr></thead>
            <tbody>
                {orders.into_iter().map(|o| view! {
                    <tr data-order=o.order_id.to_string()>
                        <th scope="row">{o.reference}</th>
                        <td>{o.planned}</td>
                        <td>{o.consumed}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The late units behind a late-supply alert: the totals, then each order at risk
/// with the line it waits on.
#[component]
fn LateSupplyFigures(evidence: LateSupplyEvidence) -> impl IntoView {
    let LateSupplyEvidence {
        sku,
        unit,
        node,
        supplier_name,
        late_units,
        on_time_inbound,
        free_at_node,
        shortage,
        needed_by,
        orders,
        ..
    } = evidence;
    view! {
        <dl class="evidence">
            <dt>"Late"</dt>
            <dd data-late-units=late_units.to_string()>{format!("{late_units} {unit} of {sku} from {supplier_name}, due at {node}")}</dd>
            <dt>"Already coming"</dt>
            <dd>{format!("{on_time_inbound} {unit} on purchase orders no order holds, on time")}</dd>
            <dt>"Free at the node"</dt>
            <dd>{if free_at_node >= 0 {
                format!("{free_at_node} {unit} above its safety stock")
            } else {
                format!("{} {unit} below its safety stock", -free_at_node)
            }}</dd>
            <dt>"To cover"</dt>
            <dd data-shortage=shortage.to_string()>{format!("{shortage} {unit} by {}", needed_by.format("%-d %b %Y"))}</dd>
        </dl>
        <table class="evidence-orders">
            <caption>"Orders at risk"</caption>
            <thead><tr>
                <th scope="col">"Order"</th><th scope="col">"Waits on"</th><th scope="col">"Units"</th>
                <th scope="col">"Booked for"</th><th scope="col">"Expected"</th><th scope="col">"Needed by"</th>
            </tr></thead>
            <tbody>
                {orders.into_iter().map(|o| view! {
                    <tr data-order=o.order_id.to_string()>
                        <th scope="row">{o.reference}</th>
                        <td>{o.line}</td>
                        <td>{o.quantity}</td>
                        <td>{o.booked_eta.format("%-d %b").to_string()}</td>
                        <td>{o.eta.format("%-d %b").to_string()}</td>
                        <td>{o.needed_by.format("%-d %b").to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A policy's levels against the material's position.
#[component]
fn ReorderFigures(evidence: ReorderEvidence) -> impl IntoView {
    let ReorderEvidence {
        unit,
        node,
        position,
        reorder_point,
        order_up_to,
        safety_stock,
        daily_demand,
        shortage,
        needed_by,
        ..
    } = evidence;
    view! {
        <dl class="evidence">
            <dt>"Position"</dt>
            <dd data-position=position.to_string()>{format!("{position} {unit} (on hand − reserved, inbound, drafted orders)")}</dd>
            <dt>"Policy"</dt>
            <dd>{format!("reorder at {reorder_point}, up to {order_up_to}, safety stock {safety_stock} {unit}; forecast {daily_demand:.1} {unit} a day")}</dd>
            <dt>"To cover"</dt>
            <dd data-shortage=shortage.to_string()>{format!("{shortage} {unit} at {node} by {}", needed_by.format("%-d %b %Y"))}</dd>
        </dl>
    }
    .into_any()
}

/// The moving averages that moved a product to decline.
#[component]
fn DecayFigures(evidence: DecayEvidence) -> impl IntoView {
    let DecayEvidence {
        from,
        to,
        orders_short,
        orders_long,
        orders_counts,
        heat_short,
        heat_long,
        heat_counts,
        short_days,
        long_days,
        decline_below,
        ..
    } = evidence;
    let reading = |short: f64, long: f64, counts: bool| {
        if counts {
            let share = if long > 0.0 { short / long * 100.0 } else { 0.0 };
            format!(
                "{short:.2} a day over {short_days} days against {long:.2} over {long_days} ({share:.0} %)"
            )
        } else {
            format!("{short:.2} against {long:.2} a day: too few to judge by")
        }
    };
    view! {
        <dl class="evidence">
            <dt>"Window"</dt>
            <dd>{format!("{} – {}", from.format("%-d %b %Y"), to.format("%-d %b %Y"))}</dd>
            <dt>"Add-to-carts"</dt>
            <dd data-heat-short=format!("{heat_short:.2}")>{reading(heat_short, heat_long, heat_counts)}</dd>
            <dt>"Units ordered"</dt>
            <dd data-orders-short=format!("{orders_short:.2}")>{reading(orders_short, orders_long, orders_counts)}</dd>
            <dt>"Threshold"</dt>
            <dd>{format!("falling below {:.0} % of the long average", decline_below * 100.0)}</dd>
        </dl>
    }
    .into_any()
}

#[component]
fn Suggestion(
    suggestion: SuggestionView,
    decide: ServerAction<DecideSuggestion>,
    undo: ServerAction<UndoSuggestion>,
) -> impl IntoView {
    let SuggestionView {
        id,
        kind,
        summary,
        status,
        decided_by,
        decided_at,
        rule,
        undoable,
        undone,
    } = suggestion;
    let decided_error = refusal(decide);
    let undo_error = refusal(undo);
    let field = format!("suggestion-{id}");
    let by = match (&rule, decided_by) {
        (Some(rule), _) => Some(format!("rule “{rule}”")),
        (None, by) => by,
    };
    let decision = match (by, decided_at) {
        (Some(by), Some(at)) => Some(format!("{status} by {by} on {}", at.format("%Y-%m-%d %H:%M UTC"))),
        _ => None,
    };
    let button = move |value: &'static str, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action=decide attr:class="inline" attr:data-decision=value>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="decision" value=value />
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    let open = status == "open";
    view! {
        <li data-suggestion=id.to_string() data-kind=kind data-status=status.clone() data-rule=rule.clone()>
            <p>{summary}</p>
            {if open {
                view! { {button("accept", "Accept", "")} {button("dismiss", "Dismiss", "secondary")} }.into_any()
            } else {
                view! {
                    <span class=format!("status {status}") data-decided="">{decision}</span>
                    {undone.map(|u| view! { <span class="muted small" data-undone="">" · "{u}</span> })}
                    {undoable.then(|| view! {
                        <ActionForm action=undo attr:class="inline" attr:data-undo="">
                            <input type="hidden" name="id" value=id.to_string() />
                            <button type="submit" class="secondary">"Undo"</button>
                        </ActionForm>
                    })}
                }
                .into_any()
            }}
            <FieldError error=decided_error field=field.clone() />
            <FieldError error=undo_error field />
        </li>
    }
    .into_any()
}

/// The navigation's count of open alerts; re-read on every page change and after a
/// decision.
#[component]
pub fn OpenAlertsBadge() -> impl IntoView {
    let path = use_location().pathname;
    let inbox = use_context::<InboxTick>();
    let count = Resource::new(
        move || (path.get(), inbox.map(|InboxTick(t)| t.get())),
        |_| open_alerts(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match count.await {
                    Ok(n) if n > 0 => view! {
                        <span class="tag warn" data-open-alerts=n.to_string()>{format!(" {n} open")}</span>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
