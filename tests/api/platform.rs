//! Health, readiness, request ids and the OpenAPI document.

use c2m_tests::{TestApp, on_both_databases};
use serde_json::Value;

on_both_databases!(
    healthz_answers,
    readyz_checks_the_database,
    every_response_carries_a_request_id,
    the_openapi_document_describes_the_configurator,
    unknown_api_paths_are_problems,
);

async fn healthz_answers(app: TestApp) {
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

async fn readyz_checks_the_database(app: TestApp) {
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    // With the pool closed the same endpoint must say the database is unreachable.
    app.db.close_by_ref().await.unwrap();
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
}

async fn every_response_carries_a_request_id(app: TestApp) {
    let first = app.client.get(app.url("/healthz")).send().await.unwrap();
    let second = app.client.get(app.url("/healthz")).send().await.unwrap();
    let (a, b) = (
        &first.headers()["x-request-id"],
        &second.headers()["x-request-id"],
    );
    assert_ne!(a, b);
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-42");
}

async fn the_openapi_document_describes_the_configurator(app: TestApp) {
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let path = &doc["paths"]["/api/v1/products/{slug}/configurator"]["get"];
    assert!(path.is_object(), "{doc:#}");
    assert!(doc["components"]["schemas"]["ConfiguratorView"].is_object());
    assert!(doc["components"]["securitySchemes"]["publishable_key"].is_object());
    // Every operation documents the answers any request may get: 503 everywhere, 401
    // wherever a key is needed, 429 where a rate limit applies.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            assert!(responses["503"].is_object(), "{method} {path}");
            if operation["security"].as_array().is_some_and(|s| !s.is_empty()) {
                assert!(responses["401"].is_object(), "{method} {path}");
            }
        }
    }
    for path in ["/api/v1/quotes", "/api/v1/events"] {
        assert!(
            doc["paths"][path]["post"]["responses"]["429"].is_object(),
            "{path}"
        );
    }
}

async fn unknown_api_paths_are_problems(app: TestApp) {
    let response = app
        .client
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
}
