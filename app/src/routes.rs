//! The document and the routes of the storefront and the admin.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::pages;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The routed application: storefront at `/` and `/shop/{slug}`, admin under `/admin`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="c2m" href="/assets/site.css" />
        <Title text="c2m" />
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/") view=pages::storefront::Landing />
                // Rendered whole before sending, so an unknown slug can still answer 404.
                <Route path=path!("/shop/:slug") view=pages::storefront::ProductPage ssr=SsrMode::Async />
                // The admin is rendered whole before it is sent. Streamed out of order, a page
                // behind the layout's session check sometimes never finished its body (its
                // resources are created again once the session resolves).
                <ParentRoute path=path!("/admin") view=pages::admin::AdminLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::admin::Overview ssr=SsrMode::Async />
                    <Route path=path!("orders") view=pages::admin::OrdersPage ssr=SsrMode::Async />
                    <Route path=path!("products") view=pages::admin::ProductListPage ssr=SsrMode::Async />
                    <Route path=path!("products/:slug") view=pages::admin::ProductEditorPage ssr=SsrMode::Async />
                    <Route path=path!("materials") view=pages::admin::MaterialsPage ssr=SsrMode::Async />
                    <Route path=path!("supply") view=pages::admin::SupplyPage ssr=SsrMode::Async />
                    <Route path=path!("import") view=pages::admin::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("imports/:id") view=pages::admin::ImportOutcomePage ssr=SsrMode::Async />
                    <Route path=path!("capacity") view=pages::admin::CapacityPage ssr=SsrMode::Async />
                    <Route path=path!("heat") view=pages::admin::HeatPage ssr=SsrMode::Async />
                    <Route path=path!("policies") view=pages::admin::PoliciesPage ssr=SsrMode::Async />
                    <Route path=path!("alerts") view=pages::admin::AlertsPage ssr=SsrMode::Async />
                    <Route path=path!("rules") view=pages::admin::RulesPage ssr=SsrMode::Async />
                    <Route path=path!("settings") view=pages::admin::SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("audit") view=pages::admin::AuditPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Entry point of the hydrate bundle: attaches to the server-rendered DOM.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
