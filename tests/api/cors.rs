//! CORS per shop: the widget may call from the shop's own origins and nowhere else.

use c2m_tests::{TestApp, on_both_databases};
use serde_json::Value;
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};

on_both_databases!(
    an_allowed_origin_gets_cors_headers,
    a_foreign_origin_is_refused_with_a_problem,
    a_preflight_from_an_allowed_origin_is_answered,
    a_preflight_from_a_foreign_origin_is_refused,
    a_secret_key_used_from_a_web_page_is_refused,
    the_widget_files_load_from_any_origin,
);

const ALLOWED: &str = "http://localhost:3000";
const FOREIGN: &str = "https://evil.example";
const PATH: &str = "/api/v1/products/weekender-bag/configurator";

async fn an_allowed_origin_gets_cors_headers(app: TestApp) {
    let response = app
        .client
        .get(app.url(PATH))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", ALLOWED)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    assert!(response.headers()["vary"].to_str().unwrap().contains("Origin"));
}

async fn a_foreign_origin_is_refused_with_a_problem(app: TestApp) {
    let response = app
        .client
        .get(app.url(PATH))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", FOREIGN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(!response.headers().contains_key("access-control-allow-origin"));
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "https://c2m.dev/problems/origin-not-allowed");
}

async fn a_preflight_from_an_allowed_origin_is_answered(app: TestApp) {
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url(PATH))
        .header("Origin", ALLOWED)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    assert!(
        response.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("authorization")
    );
}

async fn a_preflight_from_a_foreign_origin_is_refused(app: TestApp) {
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url(PATH))
        .header("Origin", FOREIGN)
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(!response.headers().contains_key("access-control-allow-origin"));
}

async fn a_secret_key_used_from_a_web_page_is_refused(app: TestApp) {
    let response = app
        .client
        .get(app.url(PATH))
        .bearer_auth(DEMO_SECRET_KEY)
        .header("Origin", ALLOWED)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("secret keys"));
}

async fn the_widget_files_load_from_any_origin(app: TestApp) {
    let response = app
        .client
        .get(app.url("/widget/c2m.js"))
        .header("Origin", FOREIGN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "is the site built? `cargo xtask build`");
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let wasm = app
        .client
        .get(app.url("/widget/c2m_widget_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
}
