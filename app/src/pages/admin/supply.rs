//! `/admin/supply`: purchase orders and transfers (draft one, confirm it, receive it:
//! receiving puts the units on hand and the next quote counts on them), capacity
//! reservations with their confirm-by deadlines (`commitments.rs`), stock kept for
//! sales channels (`allocations.rs`), promises and lead times declared against learned
//! (`lead_times.rs`), and suppliers with their terms.

use leptos::prelude::*;
use leptos_meta::Title;

use super::allocations::{Allocations, KeepForChannelForm};
use super::commitments::{NewReservationForm, NewTransferForm, Reservations};
use super::forms::{Banner, FieldError, invalid, refusal, tick_on_success};
use super::lead_times::{LeadTimes, Paces, PromiseForm};
use crate::model::admin::{InboundRow, SupplierRow, SupplyView};
use crate::server_fns::admin::{
    ActOnInbound, ActOnReservation, CreatePurchaseOrder, CreateReservation, CreateTransfer, KeepForChannel,
    SavePromises, StopKeeping, admin_supply,
};

/// The supply page's forms.
#[derive(Clone, Copy)]
struct SupplyActions {
    order: ServerAction<CreatePurchaseOrder>,
    act: ServerAction<ActOnInbound>,
    transfer: ServerAction<CreateTransfer>,
    reserve: ServerAction<CreateReservation>,
    reservation: ServerAction<ActOnReservation>,
    keep: ServerAction<KeepForChannel>,
    stop: ServerAction<StopKeeping>,
    promises: ServerAction<SavePromises>,
}

/// `/admin/supply`.
#[component]
pub fn SupplyPage() -> impl IntoView {
    let actions = SupplyActions {
        order: ServerAction::new(),
        act: ServerAction::new(),
        transfer: ServerAction::new(),
        reserve: ServerAction::new(),
        reservation: ServerAction::new(),
        keep: ServerAction::new(),
        stop: ServerAction::new(),
        promises: ServerAction::new(),
    };
    let tick = RwSignal::new(0u32);
    tick_on_success(actions.order, tick);
    tick_on_success(actions.act, tick);
    tick_on_success(actions.transfer, tick);
    tick_on_success(actions.reserve, tick);
    tick_on_success(actions.reservation, tick);
    tick_on_success(actions.keep, tick);
    tick_on_success(actions.stop, tick);
    tick_on_success(actions.promises, tick);
    let supply = Resource::new(move || tick.get(), |_| admin_supply());
    let errors = vec![
        refusal(actions.order),
        refusal(actions.act),
        refusal(actions.transfer),
        refusal(actions.reserve),
        refusal(actions.reservation),
        refusal(actions.keep),
        refusal(actions.stop),
        refusal(actions.promises),
    ];
    view! {
        <Title text="Supply · c2m admin" />
        <h2>"Supply"</h2>
        <Banner errors />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match supply.await {
                    Ok(view) => view! { <SupplySections view actions /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SupplySections(view: SupplyView, actions: SupplyActions) -> impl IntoView {
    let SupplyView {
        suppliers,
        inbound,
        reservations,
        allocations,
        nodes,
        lead_times,
        paces,
        promises,
    } = view;
    view! {
        <section aria-labelledby="inbound-title">
            <h3 id="inbound-title">"Purchase orders and transfers"</h3>
            <NewPurchaseOrderForm suppliers=suppliers.clone() nodes=nodes.clone() create=actions.order />
            <NewTransferForm nodes=nodes.clone() create=actions.transfer />
            <InboundTable lines=inbound act=actions.act />
        </section>
        <section aria-labelledby="reservations-title">
            <h3 id="reservations-title">"Capacity reservations"</h3>
            <NewReservationForm suppliers=suppliers.clone() create=actions.reserve />
            <Reservations rows=reservations act=actions.reservation />
        </section>
        <section aria-labelledby="allocations-title">
            <h3 id="allocations-title">"Kept for channels"</h3>
            <KeepForChannelForm nodes keep=actions.keep />
            <Allocations rows=allocations stop=actions.stop />
        </section>
        <section aria-labelledby="promises-title">
            <h3 id="promises-title">"Promises and lead times"</h3>
            <PromiseForm settings=promises save=actions.promises />
            <LeadTimes rows=lead_times />
            <Paces rows=paces />
        </section>
        <section aria-labelledby="suppliers-title">
            <h3 id="suppliers-title">"Suppliers"</h3>
            {suppliers.into_iter().map(|s| view! { <Supplier supplier=s /> }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
fn NewPurchaseOrderForm(
    suppliers: Vec<SupplierRow>,
    nodes: Vec<(String, String)>,
    create: ServerAction<CreatePurchaseOrder>,
) -> impl IntoView {
    let error = refusal(create);
    // Every material an active supplier offers, for the SKU field's suggestions.
    let offers: Vec<(String, String)> = suppliers
        .iter()
        .flat_map(|s| s.offers.iter().map(|o| (o.sku.clone(), o.material.clone())))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect();
    view! {
        <details class="card" open=move || error.get().is_some_and(|e| e.field.is_some())>
            <summary>"New purchase order"</summary>
            <ActionForm action=create attr:class="form-grid" attr:data-form="purchase-order">
                <label>"Supplier"
                    <select name="supplier" aria-invalid=invalid(error, "supplier")>
                        {suppliers.iter().map(|s| view! {
                            <option value=s.code.clone()>{format!("{} ({})", s.name, s.code)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <FieldError error field="supplier" />
                <label>"Material (SKU)"
                    <input name="sku" list="offered-skus" required aria-invalid=invalid(error, "sku") />
                </label>
                <datalist id="offered-skus">
                    {offers.into_iter().map(|(sku, name)| view! { <option value=sku>{name}</option> }).collect_view()}
                </datalist>
                <FieldError error field="sku" />
                <label>"Deliver to"
                    <select name="node" aria-invalid=invalid(error, "node")>
                        {nodes.into_iter().map(|(code, name)| view! { <option value=code.clone()>{format!("{name} ({code})")}</option> }).collect_view()}
                    </select>
                </label>
                <FieldError error field="node" />
                <label>"Quantity"
                    <input name="quantity" inputmode="numeric" required aria-invalid=invalid(error, "quantity") />
                </label>
                <FieldError error field="quantity" />
                <label>"Expected arrival"
                    <input name="eta" type="date" required aria-invalid=invalid(error, "eta") />
                </label>
                <FieldError error field="eta" />
                <label>"Reference (optional)"
                    <input name="reference" placeholder="PO-…" aria-invalid=invalid(error, "reference") />
                </label>
                <FieldError error field="reference" />
                <div class="actions"><button type="submit">"Create draft"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}

#[component]
fn InboundTable(lines: Vec<InboundRow>, act: ServerAction<ActOnInbound>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">"No purchase orders or transfers yet."</p> }.into_any();
    }
    view! {
        <table class="grid inbound">
            <thead><tr>
                <th scope="col">"Reference"</th><th scope="col">"Material"</th><th scope="col">"From"</th><th scope="col">"To"</th>
                <th scope="col" class="num">"Quantity"</th><th scope="col">"Arrives"</th><th scope="col">"Status"</th><th scope="col">"Actions"</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|line| view! { <Inbound line act /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Inbound(line: InboundRow, act: ServerAction<ActOnInbound>) -> impl IntoView {
    let error = refusal(act);
    let scope = format!("inbound-{}", line.id);
    let purchase = line.kind == "purchase";
    let actions: &[(&str, &str)] = match line.status.as_str() {
        "draft" if purchase => &[
            ("send", "Send to supplier"),
            ("confirm", "Confirm"),
            ("cancel", "Cancel"),
        ],
        "draft" => &[("confirm", "Confirm"), ("cancel", "Cancel")],
        "confirmed" => &[("receive", "Receive"), ("cancel", "Cancel")],
        _ => &[],
    };
    let from = line
        .supplier
        .clone()
        .or_else(|| line.from_node.clone())
        .unwrap_or_default();
    let id = line.id.to_string();
    view! {
        <tr data-inbound=line.reference.clone() data-status=line.status.clone()>
            <td>{line.reference.clone()}<br/><span class="muted small">{line.kind.clone()}</span></td>
            <td>{line.material.clone()}<br/><code>{line.sku.clone()}</code></td>
            <td>{from}</td>
            <td>{line.node.clone()}</td>
            <td class="num">{format!("{} {}", line.quantity, line.unit)}</td>
            <td>{line.eta.to_string()}</td>
            <td>
                <span class=format!("status {}", line.status)>{line.status.clone()}</span>
                {line.sent.clone().map(|sent| view! { <br/><span class="muted small" data-sent="">{sent}</span> })}
                {purchase.then(|| view! {
                    <br/><a class="small" href=format!("/admin/purchase-orders/{}.csv", line.id) rel="external" download="">"CSV for the supplier"</a>
                })}
            </td>
            <td>
                {actions.iter().map(|(op, label)| {
                    let (id, op, label) = (id.clone(), *op, *label);
                    let form = move || view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="op" value=op />
                        <button type="submit" class="secondary" data-op=op>{label}</button>
                    };
                    view! { <ActionForm action=act attr:class="inline">{form()}</ActionForm> }
                }).collect_view()}
                <FieldError error field=scope />
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn Supplier(supplier: SupplierRow) -> impl IntoView {
    view! {
        <div class="card" data-supplier=supplier.code.clone()>
            <h4>{supplier.name.clone()} " " <span class="muted">{format!("({}, {})", supplier.code, supplier.status)}</span></h4>
            {supplier.email.clone().map(|e| view! { <p class="muted small">{e}</p> })}
            <table class="grid">
                <thead><tr>
                    <th scope="col">"Material"</th><th scope="col" class="num">"Lead time (days)"</th><th scope="col" class="num">"MOQ"</th>
                    <th scope="col" class="num">"Pack"</th><th scope="col" class="num">"Price"</th>
                    <th scope="col" class="num">"Forecast share"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {supplier.offers.into_iter().map(|o| view! {
                        <tr>
                            <td>{o.material}<br/><code>{o.sku}</code></td>
                            <td class="num">{format!("{:.1} ± {:.1}", o.lead_time_mean_days, o.lead_time_sd_days)}</td>
                            <td class="num">{o.moq}</td>
                            <td class="num">{o.pack_size}</td>
                            <td class="num">{super::products::money_input(o.price_minor)}</td>
                            <td class="num" data-forecast-share=o.forecast_share.to_string()>{
                                o.forecast_fraction.map_or_else(|| "–".to_string(), |f| format!("{:.0} %", f * 100.0))
                            }</td>
                            <td>{o.status}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
