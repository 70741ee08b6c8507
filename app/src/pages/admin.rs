//! `/admin`: the merchant area. For now: sign in, see who you are, sign out.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::server_fns::{Login, Logout, MerchantView, current_merchant};

/// Sign-in form or, with a live session, the admin shell.
#[component]
pub fn AdminHome() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let merchant = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| current_merchant(),
    );
    view! {
        <Title text="c2m admin" />
        <main class="page admin">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match merchant.await {
                        Ok(Some(m)) => view! { <AdminShell merchant=m logout /> }.into_any(),
                        Ok(None) => view! { <LoginForm login /> }.into_any(),
                        Err(e) => view! { <p class="error">"The admin could not be loaded: " {e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn LoginForm(login: ServerAction<Login>) -> impl IntoView {
    let query = use_query_map();
    let failed = move || query.read().get("error").as_deref() == Some("credentials");
    view! {
        <section class="login">
            <h1>"Sign in to c2m"</h1>
            <ActionForm action=login>
                <label>"Email" <input type="email" name="email" autocomplete="username" required /></label>
                <label>"Password" <input type="password" name="password" autocomplete="current-password" required /></label>
                <Show when=failed>
                    <p class="error" role="alert">"Wrong email or password."</p>
                </Show>
                <button type="submit">"Sign in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AdminShell(merchant: MerchantView, logout: ServerAction<Logout>) -> impl IntoView {
    view! {
        <header class="admin-header">
            <h1>{merchant.shop_name}</h1>
            <p class="who">"Signed in as " {merchant.name} " (" {merchant.email} ")"</p>
            <ActionForm action=logout>
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
        <nav class="admin-nav" aria-label="Admin sections">
            <a href="/admin">"Overview"</a>
            <a href="/">"Storefront"</a>
            <a href="/third-party/">"Third-party page"</a>
            <a href="/api/v1/openapi.json">"API reference"</a>
        </nav>
        <section>
            <p>"Products, materials, supply and capacity management arrive here next."</p>
        </section>
    }
}
