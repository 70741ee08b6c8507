//! `GET /api/v1/products/{slug}/configurator` and its authentication.

use c2m_tests::{TestApp, on_both_databases};
use serde_json::Value;
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};

on_both_databases!(
    returns_the_groups_and_values_of_a_seeded_product,
    a_frozen_value_carries_its_reason,
    a_missing_key_is_a_problem_with_a_type,
    an_unknown_key_is_refused,
    an_unknown_product_is_not_found,
    a_secret_key_also_reads_the_configurator,
);

async fn get(app: &TestApp, path: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.expect("the server answers")
}

async fn returns_the_groups_and_values_of_a_seeded_product(app: TestApp) {
    let response = get(
        &app,
        "/api/v1/products/weekender-bag/configurator",
        Some(DEMO_PUBLISHABLE_KEY),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["product"]["slug"], "weekender-bag");
    assert_eq!(body["product"]["currency"], "EUR");
    let groups = body["groups"].as_array().unwrap();
    assert!((3..=5).contains(&groups.len()), "{} groups", groups.len());
    for group in groups {
        assert!(
            !group["values"].as_array().unwrap().is_empty(),
            "group {} has no values",
            group["code"]
        );
    }
    // The default selection names one existing value per required single-choice group.
    for group in groups
        .iter()
        .filter(|g| g["required"] == true && g["kind"] == "single")
    {
        let chosen = &body["default_selection"][group["code"].as_str().unwrap()];
        let code = chosen[0].as_str().expect("a default value");
        assert!(
            group["values"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v["code"] == code && v["status"] == "active")
        );
    }
}

async fn a_frozen_value_carries_its_reason(app: TestApp) {
    let mut frozen = Vec::new();
    for slug in ["weekender-bag", "city-tote", "custom-sneaker"] {
        let body: Value = get(
            &app,
            &format!("/api/v1/products/{slug}/configurator"),
            Some(DEMO_PUBLISHABLE_KEY),
        )
        .await
        .json()
        .await
        .unwrap();
        for group in body["groups"].as_array().unwrap() {
            for value in group["values"].as_array().unwrap() {
                if value["status"] == "frozen" {
                    frozen.push(value["frozen_reason"].as_str().unwrap_or_default().to_string());
                }
            }
        }
    }
    assert!(
        frozen.iter().any(|r| r == "Seasonal colour, back in spring"),
        "{frozen:?}"
    );
}

async fn a_missing_key_is_a_problem_with_a_type(app: TestApp) {
    let response = get(&app, "/api/v1/products/weekender-bag/configurator", None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    assert!(response.headers().contains_key("x-request-id"));
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "https://c2m.dev/problems/unauthenticated");
    assert_eq!(problem["status"], 401);
    assert!(problem["detail"].as_str().unwrap().contains("Bearer"));
}

async fn an_unknown_key_is_refused(app: TestApp) {
    let response = get(
        &app,
        "/api/v1/products/weekender-bag/configurator",
        Some("pk_not_a_real_key"),
    )
    .await;
    assert_eq!(response.status(), 401);
    let response = get(
        &app,
        "/api/v1/products/weekender-bag/configurator",
        Some("xx_weird"),
    )
    .await;
    assert_eq!(response.status(), 401);
}

async fn an_unknown_product_is_not_found(app: TestApp) {
    let response = get(
        &app,
        "/api/v1/products/no-such-bag/configurator",
        Some(DEMO_PUBLISHABLE_KEY),
    )
    .await;
    assert_eq!(response.status(), 404);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "https://c2m.dev/problems/not-found");
    assert!(problem["detail"].as_str().unwrap().contains("no-such-bag"));
}

async fn a_secret_key_also_reads_the_configurator(app: TestApp) {
    let response = get(
        &app,
        "/api/v1/products/city-tote/configurator",
        Some(DEMO_SECRET_KEY),
    )
    .await;
    assert_eq!(response.status(), 200);
}
