//! The supply page's stock kept for sales channels: what is kept where and for whom
//! (the units it amounts to now), a form that keeps some, and a button that stops.

use leptos::prelude::*;

use super::forms::{FieldError, invalid, refusal};
use crate::model::admin::AllocationRow;
use crate::server_fns::admin::{KeepForChannel, StopKeeping};

/// Keeps units, or a share of the on-hand stock, for one channel.
#[component]
pub fn KeepForChannelForm(nodes: Vec<(String, String)>, keep: ServerAction<KeepForChannel>) -> impl IntoView {
    let error = refusal(keep);
    view! {
        <details class="card" open=move || error.get().is_some_and(|e| e.field.is_some())>
            <summary>"Keep stock for a channel"</summary>
            <ActionForm action=keep attr:class="form-grid" attr:data-form="allocation">
                <label>"Material (SKU)" <input name="sku" list="offered-skus" required aria-invalid=invalid(error, "sku") /></label>
                <FieldError error field="sku" />
                <label>"At"
                    <select name="node" aria-invalid=invalid(error, "node")>
                        {nodes.into_iter().map(|(code, name)| view! { <option value=code.clone()>{format!("{name} ({code})")}</option> }).collect_view()}
                    </select>
                </label>
                <FieldError error field="node" />
                <label>"Channel" <input name="channel" placeholder="wholesale" required aria-invalid=invalid(error, "channel") /></label>
                <FieldError error field="channel" />
                <label>"Keep" <input name="amount" placeholder="200 or 25 %" required aria-invalid=invalid(error, "amount") /></label>
                <FieldError error field="amount" />
                <p class="wide muted small">"Units, or a share of the stock on hand there. Quotes and orders of every other channel leave them alone; the channel itself may use them and the rest."</p>
                <div class="actions"><button type="submit">"Keep"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// What is kept for which channel, with a button that stops keeping it.
#[component]
pub fn Allocations(rows: Vec<AllocationRow>, stop: ServerAction<StopKeeping>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No stock is kept for a channel: every channel may use all of it."</p> }
            .into_any();
    }
    let error = refusal(stop);
    view! {
        <table class="grid allocations">
            <thead><tr>
                <th scope="col">"Material"</th><th scope="col">"At"</th><th scope="col">"For"</th>
                <th scope="col">"Kept"</th><th scope="col" class="num">"Units now"</th><th scope="col">"Actions"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|a| {
                    let key = format!("{}@{}:{}", a.sku, a.node, a.channel);
                    let scope = format!("allocation-{key}");
                    let given = match (a.quantity, a.share) {
                        (Some(quantity), _) => quantity.to_string(),
                        (None, Some(share)) => format!("{} % of {} on hand", (share * 100.0).round(), a.on_hand),
                        (None, None) => String::new(),
                    };
                    let (sku, node, channel) = (a.sku.clone(), a.node.clone(), a.channel.clone());
                    view! {
                        <tr data-allocation=key>
                            <td><code>{a.sku}</code></td>
                            <td>{a.node}</td>
                            <td>{a.channel}</td>
                            <td>{given}</td>
                            <td class="num">{a.kept}</td>
                            <td>
                                <ActionForm action=stop attr:class="inline">
                                    <input type="hidden" name="sku" value=sku />
                                    <input type="hidden" name="node" value=node />
                                    <input type="hidden" name="channel" value=channel />
                                    <button type="submit" class="secondary">"Stop keeping"</button>
                                </ActionForm>
                                <FieldError error field=scope />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
