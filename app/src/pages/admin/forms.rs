//! What every admin form shares: its refusal shown next to the field it concerns, or
//! above the page when it concerns no field (a stale version, a lost session), and a
//! tick that moves when a save succeeds, so the page re-reads what changed.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::server_fns::admin::{AdminError, AdminErrorKind};

/// The refusal of the last call of `action`, if it was refused.
pub fn refusal<S>(action: ServerAction<S>) -> Signal<Option<AdminError>>
where
    S: ServerFn<Output = (), Error = AdminError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Moves `tick` on every successful call of `action`; a failed one leaves the page as
/// the merchant typed it.
pub fn tick_on_success<S>(action: ServerAction<S>, tick: RwSignal<u32>)
where
    S: ServerFn<Output = (), Error = AdminError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            tick.update(|n| *n += 1);
        }
    });
}

/// The message of a refusal about `field`, tied to its input by `id`.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AdminError>>,
    #[prop(into)] field: String,
) -> impl IntoView {
    let id = format!("error-{}", field.replace(['.', '@', ' '], "-"));
    let message = {
        let field = field.clone();
        move || error.get().filter(|e| e.is_about(&field)).map(|e| e.message)
    };
    view! {
        {move || {
            message()
                .map(|m| {
                    view! {
                        <p class="field-error" id=id.clone() role="alert">
                            {m}
                        </p>
                    }
                })
        }}
    }
    .into_any()
}

/// Refusals of any of the page's `errors` that concern no field: shown once, above the
/// page's forms, with a way back to the current state when the page is stale.
#[component]
pub fn Banner(errors: Vec<Signal<Option<AdminError>>>) -> impl IntoView {
    let general = move || errors.iter().filter_map(|e| e.get()).find(|e| e.field.is_none());
    view! {
        {move || {
            general()
                .map(|e| {
                    let stale = matches!(e.kind, AdminErrorKind::Conflict | AdminErrorKind::NotFound);
                    let signed_out = e.kind == AdminErrorKind::SignedOut;
                    view! {
                        <div class="banner" role="alert" data-kind=format!("{:?}", e.kind).to_lowercase()>
                            <p>{e.message}</p>
                            <Show when=move || stale>
                                // A full load: the page shows what is stored now.
                                <a href="" rel="external">"Reload the page"</a>
                            </Show>
                            <Show when=move || signed_out>
                                <a href="/admin" rel="external">"Sign in"</a>
                            </Show>
                        </div>
                    }
                })
        }}
    }
    .into_any()
}

/// Whether the field has a refusal (for `aria-invalid`).
pub fn invalid(
    error: Signal<Option<AdminError>>,
    field: impl Into<String>,
) -> impl Fn() -> &'static str + Send + Sync + 'static {
    let field = field.into();
    move || {
        if error.get().is_some_and(|e| e.is_about(&field)) {
            "true"
        } else {
            "false"
        }
    }
}
