//! The demo storefront: a product list and a product page with the configurator.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::configurator::{Configurator, QuoteFailure, Services};
use crate::i18n::Locale;
use crate::server_fns::{configurator, quote, storefront};

/// `/`: the demo shop's products.
#[component]
pub fn Landing() -> impl IntoView {
    let shop = Resource::new(|| (), |_| storefront());
    view! {
        <main class="page">
            <Suspense fallback=|| view! { <p>"Loading the shop…"</p> }>
                {move || Suspend::new(async move {
                    match shop.await {
                        Ok(shop) => {
                            let currency = shop.currency.clone();
                            view! {
                                <Title text=shop.shop_name.clone() />
                                <header class="shop-header">
                                    <h1>{shop.shop_name.clone()}</h1>
                                    <p>"Made to order. Every option shows when it would arrive."</p>
                                </header>
                                <ul class="product-grid">
                                    {shop
                                        .products
                                        .into_iter()
                                        .map(|p| {
                                            let href = format!("/shop/{}", p.slug);
                                            view! {
                                                <li class="product-card">
                                                    <a href=href>
                                                        <h2>{p.name}</h2>
                                                        <p>{p.description}</p>
                                                        <p class="price">
                                                            "from " {Locale::En.price(p.base_price_minor, &currency, false)}
                                                        </p>
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <footer class="shop-footer">
                                    <a href="/admin">"Merchant admin"</a>
                                    " · "
                                    <a href="/third-party/">"The widget on a third-party page"</a>
                                </footer>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">"The shop could not be loaded: " {e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// `/shop/{slug}`: one product with its configurator.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let product = Resource::new(slug, configurator);
    view! {
        <main class="page">
            <p><a href="/">"← All products"</a></p>
            <Suspense fallback=|| view! { <p>"Loading the configurator…"</p> }>
                {move || Suspend::new(async move {
                    match product.await {
                        Ok(Some(view)) => {
                            view! {
                                <Title text=view.product.name.clone() />
                                <p class="description">{view.product.description.clone()}</p>
                                <Configurator view services=storefront_services() instance="storefront" />
                            }
                                .into_any()
                        }
                        Ok(None) => view! { <crate::pages::NotFound /> }.into_any(),
                        Err(e) => view! { <p class="error">"The product could not be loaded: " {e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The storefront quotes through a server function on its own server.
fn storefront_services() -> Services {
    Services::new(
        |request| {
            Box::pin(async move {
                quote(request).await.map_err(|e| match e {
                    ServerFnError::Request(_) => QuoteFailure::Offline,
                    other => QuoteFailure::Server(other.to_string()),
                })
            })
        },
        // Heat comes from the widget on the shops' own pages; this demo page sends none.
        |_| {},
    )
}
