//! The supply page's promises: how sure an order's "arrives by" date is and whether
//! quotes learn lead times, each offer's declared lead time beside the one its
//! receipts show, with the receipts behind it, and each work center's pace as its
//! finished operations show it.

use leptos::prelude::*;

use super::forms::{FieldError, invalid, refusal};
use crate::model::admin::{LeadTimeRow, PaceRow, PromiseSettings};
use crate::server_fns::admin::SavePromises;

/// The promise quantile and the learning switch.
#[component]
pub fn PromiseForm(settings: PromiseSettings, save: ServerAction<SavePromises>) -> impl IntoView {
    let error = refusal(save);
    let percent = format!("{}", f64::from(settings.permille) / 10.0);
    view! {
        <ActionForm action=save attr:class="form-grid card" attr:data-form="promises">
            <label>"Promises kept for (%)"
                <input name="percent" inputmode="decimal" value=percent required aria-invalid=invalid(error, "percent") />
            </label>
            <FieldError error field="percent" />
            <label class="check">
                <input type="checkbox" name="learn" value="on" checked=settings.learn />
                " Learn lead times from receipts and paces from finished work"
            </label>
            <p class="wide muted small">"An order's “arrives by” date is this share's quantile of its delivery date, from the spread of the supply and production it waits for; the widget's range stays the median to the 90th percentile. Learning re-estimates each supplier's lead time from its received purchase orders, the declared figures counting as three receipts, and each work center's pace from the minutes its finished operations really took, the routings counting as three operations."</p>
            <div class="actions"><button type="submit">"Save"</button></div>
        </ActionForm>
    }
    .into_any()
}

/// Declared against learned lead time per offer, with the receipts.
#[component]
pub fn LeadTimes(rows: Vec<LeadTimeRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No supplier offers yet."</p> }.into_any();
    }
    let days = |mean: f64, sd: f64| format!("{mean:.1} ± {sd:.1} d");
    view! {
        <table class="data" data-table="lead-times">
            <thead>
                <tr>
                    <th scope="col">"Supplier"</th>
                    <th scope="col">"Material"</th>
                    <th scope="col">"Declared"</th>
                    <th scope="col">"Learned"</th>
                    <th scope="col">"Receipts"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let key = format!("{}/{}", row.supplier, row.sku);
                    let count = row.receipts.len();
                    view! {
                        <tr data-lead-time=key>
                            <td>{row.supplier.clone()}</td>
                            <td>{row.sku.clone()}</td>
                            <td data-declared="">{days(row.declared_mean, row.declared_sd)}</td>
                            <td data-learned="">{days(row.learned_mean, row.learned_sd)}</td>
                            <td>
                                <Evidence
                                    summary=format!("{count} received")
                                    lines=row.receipts.into_iter().map(|r| format!("{}: ordered {}, received {} ({} days)", r.reference, r.ordered_on, r.received_on, r.days)).collect()
                                />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Each work center's pace: planned (the routings, 1.00) against learned, with the
/// finished operations behind it.
#[component]
pub fn Paces(rows: Vec<PaceRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No work centers yet."</p> }.into_any();
    }
    view! {
        <table class="data" data-table="paces">
            <caption class="small muted">"Work-center paces: real minutes ÷ the routings' minutes"</caption>
            <thead>
                <tr>
                    <th scope="col">"Work center"</th>
                    <th scope="col">"Planned"</th>
                    <th scope="col">"Learned"</th>
                    <th scope="col">"Finished operations"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let count = row.finished.len();
                    view! {
                        <tr data-pace=row.code.clone()>
                            <td>{format!("{} ({})", row.name, row.code)}</td>
                            <td>"1.00"</td>
                            <td data-learned="">{format!("{:.2} ± {:.2}", row.ratio, row.sd)}</td>
                            <td>
                                <Evidence
                                    summary=format!("{count} reported")
                                    lines=row.finished.into_iter().map(|f| format!("order {} step {}: {} of {} planned minutes, finished {}", f.order_id, f.seq + 1, f.actual_minutes, f.planned_minutes, f.finished_on)).collect()
                                />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The observations behind a learned figure, folded under `summary`, one line each
/// (`data-evidence` on the summary counts them); "none yet" without any.
#[component]
fn Evidence(summary: String, lines: Vec<String>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <span class="muted">"none yet"</span> }.into_any();
    }
    let count = lines.len().to_string();
    view! {
        <details>
            <summary data-evidence=count>{summary}</summary>
            <ul class="plain small">
                {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        </details>
    }
    .into_any()
}
