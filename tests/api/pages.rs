//! The server-rendered storefront and admin, and merchant sign-in over plain form posts
//! (what a browser does before the wasm has loaded).

use c2m_tests::{TestApp, on_both_databases};
use server::seed::{DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD};

on_both_databases!(
    the_storefront_lists_the_demo_products,
    a_product_page_renders_its_option_groups,
    an_unknown_product_page_is_a_404,
    sign_in_sets_a_session_and_sign_out_ends_it,
    a_wrong_password_is_refused,
    the_third_party_page_is_served,
    every_answer_says_nosniff_and_the_admin_is_neither_framed_nor_cached,
);

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_storefront_lists_the_demo_products(app: TestApp) {
    let (status, html) = page(&app, "/").await;
    assert_eq!(status, 200);
    for slug in ["weekender-bag", "city-tote", "custom-sneaker"] {
        assert!(html.contains(&format!("/shop/{slug}")), "no link to {slug}");
    }
    assert!(html.contains("/pkg/c2m.js"), "the hydrate script is referenced");
}

async fn a_product_page_renders_its_option_groups(app: TestApp) {
    let (status, html) = page(&app, "/shop/weekender-bag").await;
    assert_eq!(status, 200);
    assert!(html.contains("<fieldset"), "option groups render as fieldsets");
    assert!(html.contains("type=\"radio\""));
    assert!(html.contains("Total: "));
    // The estimates and the promise are in the HTML, before any wasm runs.
    assert!(
        html.contains("Delivery: 8 days"),
        "the default selection's promise"
    );
    assert!(
        html.contains("class=\"c2m-eta\">14–17 Dec"),
        "the indigo linen's estimate"
    );
    assert!(html.contains(">Preorder<"), "the weekender is in presale");
}

async fn an_unknown_product_page_is_a_404(app: TestApp) {
    let (status, html) = page(&app, "/shop/no-such-thing").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}

async fn sign_in(app: &TestApp, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/_fn/login"))
        // A browser's plain form post, as before the wasm loads.
        .header("accept", "text/html")
        .form(&[("email", DEMO_MERCHANT_EMAIL), ("password", password)])
        .send()
        .await
        .unwrap()
}

async fn sign_in_sets_a_session_and_sign_out_ends_it(app: TestApp) {
    let (_, before) = page(&app, "/admin").await;
    assert!(before.contains("Sign in to c2m"));

    let response = sign_in(&app, DEMO_MERCHANT_PASSWORD).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], "/admin");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let (_, after) = page(&app, "/admin").await;
    assert!(after.contains("Signed in as"), "{after}");
    assert!(after.contains(DEMO_MERCHANT_EMAIL));

    let response = app
        .client
        .post(app.url("/_fn/logout"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    let (_, out) = page(&app, "/admin").await;
    assert!(out.contains("Sign in to c2m"));
}

async fn a_wrong_password_is_refused(app: TestApp) {
    let response = sign_in(&app, "not-the-password").await;
    assert_eq!(response.headers()["location"], "/admin?error=credentials");
    assert!(!response.headers().contains_key("set-cookie"));
    let (_, html) = page(&app, "/admin?error=credentials").await;
    assert!(html.contains("Wrong email or password."));
}

async fn the_third_party_page_is_served(app: TestApp) {
    let (status, html) = page(&app, "/third-party/").await;
    assert_eq!(status, 200, "is the site built? `cargo xtask build`");
    assert!(html.contains("<c2m-configurator"));
    assert!(html.contains("/widget/c2m.js"));
}

async fn every_answer_says_nosniff_and_the_admin_is_neither_framed_nor_cached(app: TestApp) {
    app.sign_in().await;
    let headers = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.client.get(app.url(path)).send().await.unwrap();
            assert!(response.status().is_success(), "{path}: {}", response.status());
            response.headers().clone()
        }
    };
    for path in ["/", "/admin/supply", "/api/v1/openapi.json", "/widget/c2m.js"] {
        let h = headers(path).await;
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
    }
    let admin = headers("/admin/supply").await;
    assert_eq!(admin["cache-control"], "no-store");
    assert_eq!(admin["x-frame-options"], "DENY");
    let policy = admin["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    // Scripts: this origin, or inline with this response's nonce, which every inline
    // script of the page carries.
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    assert!(
        policy.contains("object-src 'none'") && policy.contains("base-uri 'none'"),
        "{policy}"
    );
    let page = app.client.get(app.url("/admin/supply")).send().await.unwrap();
    let again = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!again.contains(&nonce), "a new nonce per response");
    let html = page.text().await.unwrap();
    let inline_scripts = html.matches("<script").count();
    assert!(inline_scripts > 0, "the page hydrates");
    let fresh = again
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert_eq!(
        html.matches(&format!("nonce=\"{fresh}\"")).count(),
        inline_scripts,
        "every script carries the nonce"
    );
    let storefront = headers("/").await;
    assert!(
        storefront["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors *"),
        "shop pages are under the policy too, and may be framed"
    );
    assert!(
        storefront.get("x-frame-options").is_none(),
        "shop pages may be framed"
    );
    let widget = headers("/widget/c2m.js").await;
    assert_eq!(
        widget["cache-control"], "no-cache",
        "the widget keeps its own caching"
    );
}
