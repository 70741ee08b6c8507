//! `/admin`: the merchant area. Every page is rendered on the server, so it is usable
//! (and its forms post) before the wasm arrives; the wasm then makes the forms submit
//! in place and refresh what they changed.

mod alerts;
mod allocations;
mod audit;
mod calendar;
mod capacity;
mod commitments;
mod dashboard;
mod forms;
mod heat;
mod import;
mod lead_times;
mod materials;
mod orders;
mod policies;
mod products;
mod rules;
mod settings;
mod structure;
mod supply;

pub use alerts::AlertsPage;
pub use audit::AuditPage;
pub use capacity::CapacityPage;
pub use heat::HeatPage;
pub use import::{ImportOutcomePage, ImportPage};
pub use materials::MaterialsPage;
pub use orders::OrdersPage;
pub use policies::PoliciesPage;
pub use products::{ProductEditorPage, ProductListPage};
pub use rules::RulesPage;
pub use settings::SettingsPage;
pub use supply::SupplyPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_query_map;

use crate::server_fns::{Login, Logout, LogoutEverywhere, MerchantView, current_merchant};

/// Every admin page: the sign-in form, or the admin's header and navigation around the
/// page the route names.
#[component]
pub fn AdminLayout() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let merchant = Resource::new(
        move || {
            (
                login.version().get(),
                logout.version().get(),
                everywhere.version().get(),
            )
        },
        |_| current_merchant(),
    );
    view! {
        <Title text="c2m admin" />
        <main class="page admin">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match merchant.await {
                        Ok(Some(m)) => view! { <AdminShell merchant=m logout everywhere /> }.into_any(),
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
    let locked = move || query.read().get("error").as_deref() == Some("locked");
    view! {
        <section class="login">
            <h1>"Sign in to c2m"</h1>
            <ActionForm action=login>
                <label>"Email" <input type="email" name="email" autocomplete="username" required /></label>
                <label>"Password" <input type="password" name="password" autocomplete="current-password" required /></label>
                <Show when=failed>
                    <p class="error" role="alert">"Wrong email or password."</p>
                </Show>
                <Show when=locked>
                    <p class="error" role="alert">"Too many failed attempts for this email: try again in 15 minutes."</p>
                </Show>
                <button type="submit">"Sign in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AdminShell(
    merchant: MerchantView,
    logout: ServerAction<Logout>,
    everywhere: ServerAction<LogoutEverywhere>,
) -> impl IntoView {
    // Effects run only in the browser, once the wasm has taken over the page: from
    // here on forms submit in place (tests and styles can tell by this attribute).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-admin-hydrated", "true");
        }
    });
    provide_context(alerts::InboxTick::default());
    view! {
        <header class="admin-header">
            <h1>{merchant.shop_name}</h1>
            <p class="who">"Signed in as " {merchant.name} " (" {merchant.email} ")"</p>
            <ActionForm action=logout>
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
            <ActionForm action=everywhere>
                <button type="submit" class="secondary" title="Ends this merchant's sessions on every device">
                    "Sign out everywhere"
                </button>
            </ActionForm>
        </header>
        <nav class="admin-nav" aria-label="Admin sections">
            <A href="/admin" exact=true>"Overview"</A>
            <A href="/admin/orders">"Orders"</A>
            <A href="/admin/products">"Products"</A>
            <A href="/admin/materials">"Materials"</A>
            <A href="/admin/supply">"Supply"</A>
            <A href="/admin/import">"Import / export"</A>
            <A href="/admin/capacity">"Capacity"</A>
            <A href="/admin/heat">"Heat"</A>
            <A href="/admin/policies">"Policies"</A>
            <A href="/admin/alerts">"Alerts"<alerts::OpenAlertsBadge /></A>
            <A href="/admin/rules">"Rules"</A>
            <A href="/admin/settings">"Settings"</A>
            <A href="/admin/audit">"Audit log"</A>
        </nav>
        <Outlet />
    }
}

/// `/admin`: the dashboard, then where to go from here.
#[component]
pub fn Overview() -> impl IntoView {
    view! {
        <dashboard::DashboardPanel />
        <section class="overview">
            <h2>"Everything else"</h2>
            <ul class="overview-links">
                <li><a href="/admin/orders">"Orders"</a>" — the order board by status: each order's promise, plan and what it holds; start, ship, deliver or cancel it."</li>
                <li><a href="/admin/products">"Products"</a>" — prices, options, freezes, with a live preview of the estimates."</li>
                <li><a href="/admin/materials">"Materials"</a>" — stock per location, what is reserved and inbound; stock counts."</li>
                <li><a href="/admin/supply">"Supply"</a>" — suppliers, purchase orders (create, confirm, receive) and capacity reservations."</li>
                <li><a href="/admin/import">"Import / export"</a>" — materials, stock and suppliers as CSV files: download, edit, upload (a bad row changes nothing)."</li>
                <li><a href="/admin/capacity">"Capacity"</a>" — work centers: the next weeks' load, booked against free minutes; hours and holidays."</li>
                <li><a href="/admin/heat">"Heat"</a>" — presale funnels per product and option value, trends and a heat chart per option group."</li>
                <li><a href="/admin/policies">"Policies"</a>" — per material: demand, forecast, safety stock, reorder point and the order to place, with why; recompute now; class thresholds."</li>
                <li><a href="/admin/alerts">"Alerts"</a>" — heat spikes, work in progress beyond plan and products in decline, each with suggestions to accept, dismiss or undo."</li>
                <li><a href="/admin/rules">"Rules"</a>" — suggestions that execute by themselves within your caps, paused or resumed; what they would have done over the last 30 days."</li>
                <li><a href="/admin/settings">"Settings"</a>" — shop profile, time zone and shipping days, widget origins, API keys and the embed snippet."</li>
                <li><a href="/admin/audit">"Audit log"</a>" — every change, who made it, before and after."</li>
            </ul>
            <p class="muted">
                <a href="/">"Storefront"</a>" · "<a href="/third-party/">"Third-party page"</a>" · "
                <a href="/api/v1/openapi.json">"API reference"</a>
            </p>
        </section>
    }
}
