//! `/admin/audit`: the newest changes to the shop, who made them, before and after.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::admin::admin_audit;

/// `/admin/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| admin_audit());
    view! {
        <Title text="Audit log · c2m admin" />
        <h2>"Audit log"</h2>
        <p class="muted">"The 200 newest changes, newest first. Times are UTC."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"Nothing has changed yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="grid audit">
                            <thead><tr>
                                <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                                <th scope="col">"Before"</th><th scope="col">"After"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| view! {
                                    <tr data-action=e.action.clone()>
                                        <td>{e.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                        <td><code>{e.actor}</code></td>
                                        <td>{e.action.clone()}<br/><span class="muted small">{format!("{} {}", e.entity, e.entity_id)}</span></td>
                                        <td><code class="json">{e.before.unwrap_or_default()}</code></td>
                                        <td><code class="json">{e.after.unwrap_or_default()}</code></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
