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
    // An identifier that does not parse names nothing either; a query that does not
    // parse names its problem; both as problem+json, never axum's plain text.
    for (path, status) in [
        ("/api/v1/orders/not-a-number", 404),
        ("/api/v1/orders/9223372036854775808", 404),
        ("/api/v1/orders?limit=many", 422),
        ("/api/v1/orders?colour=red", 422),
        // An empty cursor is the first page, as no cursor is.
        ("/api/v1/orders?cursor=", 200),
        // So are empty filters: a form's blank fields filter nothing.
        ("/api/v1/orders?product=&channel=&status=", 200),
    ] {
        let response = app
            .client
            .get(app.url(path))
            .bearer_auth(server::seed::DEMO_SECRET_KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{path}");
        let expected = if status == 200 {
            "application/json"
        } else {
            "application/problem+json"
        };
        assert_eq!(response.headers()["content-type"], expected, "{path}");
    }
}
