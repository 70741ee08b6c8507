//! `/admin/policies`: every material's stored policy (class, forecast, safety stock,
//! reorder point, order-up-to level, the order to place) with why, the Recompute
//! button, and the shop's policy settings with the class matrix.
//!
//! The button is a plain form post before the wasm loads: the server sends the page
//! back with the summary in its query (`?recomputed=…`); once hydrated, the summary
//! comes from the answer and the table re-reads.

mod settings;
mod why;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::forms::{Banner, refusal, tick_on_success};
use crate::model::policies::{PoliciesPage as Page, PolicyRow, RecomputeSummary};
use crate::server_fns::admin::{RecomputePolicies, SavePolicySettings, admin_policies};

/// Columns of the policy table (the "why" row spans them).
const COLUMNS: u32 = 16;

/// `/admin/policies`.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    let recompute = ServerAction::<RecomputePolicies>::new();
    let save = ServerAction::<SavePolicySettings>::new();
    let tick = RwSignal::new(0u32);
    tick_on_success(save, tick);
    Effect::new(move |_| {
        if let Some(Ok(_)) = recompute.value().get() {
            tick.update(|n| *n += 1);
        }
    });
    let page = Resource::new(move || tick.get(), |_| admin_policies());
    let errors = vec![
        Signal::derive(move || recompute.value().get().and_then(Result::err)),
        refusal(save),
    ];
    view! {
        <Title text="Policies · c2m admin" />
        <h2>"Policies"</h2>
        <p class="muted">
            "How much of each material to keep and what to order now: demand from orders and presale heat, \
             its pattern and forecast, the class's service level, and the supplier's lead time."
        </p>
        <Banner errors />
        <RecomputeForm recompute />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <PoliciesBody page save /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The Recompute button and what the last press did.
#[component]
fn RecomputeForm(recompute: ServerAction<RecomputePolicies>) -> impl IntoView {
    let query = use_query_map();
    // After a plain form post the server put the summary in the address.
    let posted = move || {
        let q = query.read();
        let number = |key: &str| q.get(key).and_then(|v| v.parse::<u64>().ok());
        Some(RecomputeSummary {
            materials: number("recomputed")?,
            to_order: number("to_order")?,
            alerts_raised: number("alerts")?,
            elapsed_ms: number("ms")?,
        })
    };
    let summary = move || {
        recompute
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(posted)
            .map(|s| s.sentence())
    };
    let pending = recompute.pending();
    view! {
        <ActionForm action=recompute attr:class="inline" attr:data-form="recompute">
            <button type="submit" disabled=move || pending.get()>"Recompute now"</button>
        </ActionForm>
        <p class="muted" role="status" data-recompute-summary="">
            {move || if pending.get() { Some("Recomputing…".to_string()) } else { summary() }}
        </p>
    }
    .into_any()
}

#[component]
fn PoliciesBody(page: Page, save: ServerAction<SavePolicySettings>) -> impl IntoView {
    let Page {
        rows,
        missing,
        computed_at,
        settings,
    } = page;
    let when = match computed_at {
        Some(at) => format!(
            "Computed {} for {} materials.",
            at.format("%Y-%m-%d %H:%M UTC"),
            rows.len()
        ),
        None => "Not computed yet: press Recompute now.".to_string(),
    };
    let missing = (missing > 0)
        .then(|| format!("{missing} materials have no policy yet (added since the last recomputation)."));
    view! {
        <p data-computed-at=computed_at.map(|at| at.to_rfc3339()).unwrap_or_default()>{when}</p>
        {missing.map(|m| view! { <p class="muted">{m}</p> })}
        <PolicyTable rows />
        <settings::SettingsForm settings=settings.clone() save />
        <settings::Matrix matrix=settings.matrix />
    }
    .into_any()
}

#[component]
fn PolicyTable(rows: Vec<PolicyRow>) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="grid policies">
                <thead><tr>
                    <th scope="col">"SKU"</th>
                    <th scope="col">"Material"</th>
                    <th scope="col" title="ABC by annual value, XYZ by variation">"Class"</th>
                    <th scope="col">"Demand"</th>
                    <th scope="col">"Method"</th>
                    <th scope="col" class="num">"Forecast / day"</th>
                    <th scope="col" class="num">"σd"</th>
                    <th scope="col" class="num">"Lead time"</th>
                    <th scope="col" class="num">"Service (z)"</th>
                    <th scope="col">"Stock level"</th>
                    <th scope="col" class="num" title="Safety stock">"SS"</th>
                    <th scope="col" class="num" title="Reorder point">"ROP"</th>
                    <th scope="col" class="num">"Order-up-to"</th>
                    <th scope="col" class="num" title="On hand − reserved + confirmed inbound">"Position"</th>
                    <th scope="col" class="num">"Order now"</th>
                    <th scope="col" class="num" title="Days the position lasts at the forecast">"Coverage"</th>
                </tr></thead>
                {rows.into_iter().map(|row| view! { <PolicyLine row /> }).collect_view()}
            </table>
        </div>
    }
    .into_any()
}

/// One material: its figures, and below them why, folded.
#[component]
fn PolicyLine(row: PolicyRow) -> impl IntoView {
    let lead_time = match row.lead_time {
        Some((mean, sd)) => format!("{} ± {} d", num(mean), num(sd)),
        None => "no supplier".to_string(),
    };
    let service = format!("{} ({:.3})", percent(row.service_level), row.z);
    let coverage = row
        .coverage_now_days
        .map_or("—".to_string(), |d| format!("{d:.1} d"));
    let overridden = row.stock_level_overridden;
    let order_class = if row.suggested_order > 0 {
        "num order"
    } else {
        "num"
    };
    let (sku, sku_cell) = (row.sku.clone(), row.sku.clone());
    let (level, level_attr) = (row.stock_level.clone(), row.stock_level.clone());
    let why = why::explain(&row);
    view! {
        <tbody data-sku=sku data-stock-level=level_attr data-overridden=overridden.to_string()>
            <tr>
                <th scope="row"><code>{sku_cell}</code></th>
                <td>{row.name.clone()}</td>
                <td>{format!("{}{}", row.abc, row.xyz)}</td>
                <td>{row.demand_class.replace('_', " ")}</td>
                <td>{row.method.clone().unwrap_or_else(|| "—".into())}</td>
                <td class="num">{format!("{:.3} {}", row.forecast, row.unit)}</td>
                <td class="num">{format!("{:.3}", row.d_sd)}</td>
                <td class="num">{lead_time}</td>
                <td class="num">{service}</td>
                <td>
                    {level}
                    {overridden.then(|| view! {
                        <span class="tag warn" title="Set by the merchant or an accepted suggestion">" overridden"</span>
                    })}
                </td>
                <td class="num">{row.safety_stock}</td>
                <td class="num">{row.reorder_point}</td>
                <td class="num">{row.order_up_to}</td>
                <td class="num">{row.position}</td>
                <td class=order_class>{row.suggested_order}</td>
                <td class="num">{coverage}</td>
            </tr>
            <tr class="why">
                <td colspan=COLUMNS.to_string()>
                    <details>
                        <summary>{format!("Why these figures for {}", row.name)}</summary>
                        {why}
                    </details>
                </td>
            </tr>
        </tbody>
    }
    .into_any()
}

/// A figure with at most two decimals, without trailing zeros (`7`, `1.5`, `0.33`).
pub(super) fn num(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A share as a percentage (`95 %`, `97.5 %`).
pub(super) fn percent(share: f64) -> String {
    format!("{} %", num(share * 100.0))
}
