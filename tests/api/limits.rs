//! Rate limits (issue 17, "Abuse and access"): quotes, heat-event batches and sign-in
//! attempts each have a budget per client address and per key; over it, `429`
//! problem+json with `Retry-After`, and nothing is done. Other routes draw on none.

use c2m_tests::{Backend, TestApp, spawn_app_with};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};

use crate::orders::post_quote;

async fn events(app: &TestApp, n: u32) -> reqwest::Response {
    let id = format!("limits-{n}");
    app.client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", &app.base_url)
        .json(&json!({"events": [{"id": id, "kind": "view", "product": "weekender-bag", "session": "t_limits"}]}))
        .send()
        .await
        .unwrap()
}

async fn sign_in(app: &TestApp, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/_fn/login"))
        .header("accept", "text/html")
        .form(&[
            ("email", server::seed::DEMO_MERCHANT_EMAIL),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// The refusal of a request over budget: 429 problem+json, with the wait.
async fn too_many(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["type"], "https://c2m.dev/problems/too-many-requests",
        "{body}"
    );
    body
}

#[tokio::test]
async fn each_budget_refuses_the_request_beyond_it_with_429_and_others_go_on() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("C2M_QUOTES_PER_MINUTE", "3"),
            ("C2M_EVENTS_PER_MINUTE", "2"),
            ("C2M_SIGN_INS_PER_MINUTE", "2"),
        ],
    )
    .await;
    for _ in 0..3 {
        assert_eq!(post_quote(&app, 1).await.status(), 200);
    }
    let refused = too_many(post_quote(&app, 1).await).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("quotes"),
        "{refused}"
    );

    // Heat has its own budget.
    for n in 0..2 {
        assert!(events(&app, n).await.status().is_success());
    }
    too_many(events(&app, 2).await).await;

    // Two wrong passwords are answered as such; the third attempt is not even tried,
    // not even with the right password.
    for _ in 0..2 {
        let wrong = sign_in(&app, "not the password").await;
        assert_ne!(wrong.status(), 429);
        assert_ne!(
            wrong.headers().get("location").and_then(|l| l.to_str().ok()),
            Some("/admin"),
            "a wrong password does not sign in"
        );
    }
    too_many(sign_in(&app, server::seed::DEMO_MERCHANT_PASSWORD).await).await;

    // Routes outside the budgets are not counted.
    for _ in 0..5 {
        let orders = app
            .client
            .get(app.url("/api/v1/orders?limit=1"))
            .bearer_auth(DEMO_SECRET_KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(orders.status(), 200);
    }
}

fn location(response: &reqwest::Response) -> Option<&str> {
    response.headers().get("location").and_then(|l| l.to_str().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failed_sign_ins_lock_an_email_on_sqlite() {
    five_failed_sign_ins_lock_an_email_even_against_the_right_password_and_unknown_ones_alike(
        Backend::Sqlite,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failed_sign_ins_lock_an_email_on_postgres() {
    five_failed_sign_ins_lock_an_email_even_against_the_right_password_and_unknown_ones_alike(
        Backend::Postgres,
    )
    .await;
}

async fn five_failed_sign_ins_lock_an_email_even_against_the_right_password_and_unknown_ones_alike(
    backend: Backend,
) {
    // The per-address budget out of the way, to see the per-account lockout alone.
    let app = spawn_app_with(backend, &[("C2M_SIGN_INS_PER_MINUTE", "0")]).await;
    for _ in 0..5 {
        let wrong = sign_in(&app, "not the password").await;
        assert_eq!(location(&wrong), Some("/admin?error=credentials"));
    }
    let locked = sign_in(&app, server::seed::DEMO_MERCHANT_PASSWORD).await;
    assert_eq!(
        location(&locked),
        Some("/admin?error=locked"),
        "not signed in while locked"
    );
    let page = app
        .client
        .get(app.url("/admin?error=locked"))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("Too many failed attempts"));

    // An email without an account locks the same way: the lockout tells nothing.
    let unknown = |password: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(app.url("/_fn/login"))
                .header("accept", "text/html")
                .form(&[("email", "nobody@nowhere.example"), ("password", password)])
                .send()
                .await
                .unwrap();
            location(&response).map(str::to_string)
        }
    };
    for _ in 0..5 {
        assert_eq!(
            unknown("guess").await.as_deref(),
            Some("/admin?error=credentials")
        );
    }
    assert_eq!(unknown("guess").await.as_deref(), Some("/admin?error=locked"));
    // Only a digest of each email is kept, not what people typed.
    let kept: Vec<String> = server::store::entities::sign_in_failures::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.email_hash)
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.iter().all(|k| k.len() == 64 && !k.contains('@')), "{kept:?}");

    // Fifteen minutes after the last failure the account is free again, and a
    // success forgets its count.
    let now = *app.now.lock().unwrap();
    app.set_now(now + chrono::Duration::minutes(16));
    let signed_in = sign_in(&app, server::seed::DEMO_MERCHANT_PASSWORD).await;
    assert_eq!(location(&signed_in), Some("/admin"));
    let wrong = sign_in(&app, "not the password").await;
    assert_eq!(
        location(&wrong),
        Some("/admin?error=credentials"),
        "one failure after a success does not lock"
    );
}
