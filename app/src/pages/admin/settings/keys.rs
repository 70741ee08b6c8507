//! The API keys section: every key by its prefix, a new key shown in full once, create
//! and revoke.

use leptos::prelude::*;

use super::super::forms::{FieldError, invalid, refusal};
use crate::model::settings::{ApiKeyRow, KEY_KINDS, NewApiKey};
use crate::server_fns::admin::{AdminError, CreateApiKey, RevokeApiKey};

/// The refusal of the last key creation, if it was refused (`forms::refusal` is for
/// actions that answer nothing; this one answers the key).
pub(super) fn creation_refusal(create: ServerAction<CreateApiKey>) -> Signal<Option<AdminError>> {
    Signal::derive(move || create.value().get().and_then(Result::err))
}

/// Moves `tick` when a key is created, so the list shows it.
pub(super) fn tick_on_created(create: ServerAction<CreateApiKey>, tick: RwSignal<u32>) {
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            tick.update(|n| *n += 1);
        }
    });
}

/// The list, the new key (when there is one to show) and the create form.
#[component]
pub(super) fn ApiKeys(
    keys: Vec<ApiKeyRow>,
    fresh: Signal<Option<NewApiKey>>,
    create: ServerAction<CreateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
) -> impl IntoView {
    let rows = keys
        .into_iter()
        .map(|key| view! { <KeyRow key revoke /> })
        .collect_view();
    view! {
        {move || fresh.get().map(|key| view! { <NewKey key /> })}
        <table class="grid keys">
            <thead><tr>
                <th scope="col">"Key"</th><th scope="col">"Kind"</th><th scope="col">"Label"</th>
                <th scope="col">"Created"</th><th scope="col">"Status"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <CreateKeyForm create />
    }
    .into_any()
}

#[component]
fn NewKey(key: NewApiKey) -> impl IntoView {
    let secret = key.kind == "secret";
    view! {
        <div class="new-key" role="status" data-new-key=key.kind.clone()>
            <p>
                <strong>{format!("Your new {} key “{}”", key.kind, key.label)}</strong>
                " — copy it now. It is shown this once: c2m keeps only a fingerprint of it."
            </p>
            <pre><code class="key">{key.key.clone()}</code></pre>
            {secret.then(|| view! {
                <p class="small">"A secret key may change the shop: keep it on your servers, never in a web page."</p>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn KeyRow(key: ApiKeyRow, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let error = refusal(revoke);
    let field = format!("key-{}", key.id);
    let status = match key.revoked_at {
        Some(at) => view! {
            <span class="status cancelled">"revoked"</span>
            <span class="muted small">{format!(" {}", at.format("%Y-%m-%d %H:%M UTC"))}</span>
        }
        .into_any(),
        None => {
            let (id, prefix) = (key.id.to_string(), key.prefix.clone());
            let marked = invalid(error, field.clone());
            view! {
                <span class="status received">"active"</span>
                <details class="revoke">
                    <summary>"Revoke…"</summary>
                    <ActionForm action=revoke attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="secondary" aria-invalid=marked>
                            {format!("Revoke {prefix}… now")}
                        </button>
                    </ActionForm>
                    <p class="muted small">"Requests with it are refused from then on."</p>
                </details>
            }
            .into_any()
        }
    };
    view! {
        <tr data-key=key.prefix.clone() data-status=if key.revoked_at.is_some() { "revoked" } else { "active" }>
            <td><code>{format!("{}…", key.prefix)}</code></td>
            <td>{key.kind.clone()}</td>
            <td>{key.label.clone()}</td>
            <td>{key.created_at.format("%Y-%m-%d").to_string()}</td>
            <td>{status}<FieldError error field /></td>
        </tr>
    }
    .into_any()
}

#[component]
fn CreateKeyForm(create: ServerAction<CreateApiKey>) -> impl IntoView {
    let error = creation_refusal(create);
    view! {
        <ActionForm action=create attr:class="inline" attr:data-form="api-key">
            <label>"Kind"
                <select name="kind" aria-invalid=invalid(error, "kind")>
                    {KEY_KINDS.iter().map(|kind| view! { <option value=*kind>{*kind}</option> }).collect_view()}
                </select>
            </label>
            <label>"Label"
                <input name="label" required size="24" placeholder="Online shop" aria-invalid=invalid(error, "label") />
            </label>
            <button type="submit">"Create key"</button>
        </ActionForm>
        <FieldError error field="kind" />
        <FieldError error field="label" />
        <p class="muted small">
            "Publishable keys (pk_…) go into web pages: they read estimates from the allowed origins. "
            "Secret keys (sk_…) may change the shop and belong on servers."
        </p>
    }
    .into_any()
}
