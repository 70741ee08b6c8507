//! Admin sessions (issue 17, "Sign-in"): they end when left idle and stay while used,
//! a sign-in replaces the token the browser carried, "sign out everywhere" ends every
//! device's, ended rows are deleted, and the cookie is `Secure` when configured.

use c2m_tests::{Backend, TestApp, on_both_databases, spawn_app_with};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use server::seed::{DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD};
use server::store::entities::{audit_log, sessions};

on_both_databases!(
    a_session_left_idle_ends_and_one_in_use_stays,
    signing_in_again_replaces_the_token_the_browser_carried,
    signing_out_everywhere_ends_every_devices_session_and_is_audited,
    ended_sessions_are_deleted,
);

/// A browser without a cookie store: the test carries the session cookie itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs the demo merchant in, carrying `previous` as the session cookie if given;
/// returns the `Set-Cookie` header and the new token.
async fn sign_in(app: &TestApp, previous: Option<&str>) -> (String, String) {
    let mut request = browser()
        .post(app.url("/_fn/login"))
        .header("accept", "text/html")
        .form(&[
            ("email", DEMO_MERCHANT_EMAIL),
            ("password", DEMO_MERCHANT_PASSWORD),
        ]);
    if let Some(token) = previous {
        request = request.header("cookie", format!("c2m_session={token}"));
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.headers()["location"], "/admin", "signed in");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    let token = cookie
        .strip_prefix("c2m_session=")
        .and_then(|rest| rest.split(';').next())
        .expect("the session cookie")
        .to_string();
    (cookie, token)
}

/// The merchant `token` is signed in as (`null` when the session is over).
async fn merchant(app: &TestApp, token: &str) -> Value {
    let response = browser()
        .post(app.url("/_fn/current_merchant"))
        .header("cookie", format!("c2m_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// "Sign out everywhere" posted as the form does, with session `token`.
async fn sign_out_everywhere(app: &TestApp, token: &str) -> reqwest::Response {
    browser()
        .post(app.url("/_fn/logout_everywhere"))
        .header("accept", "text/html")
        .header("cookie", format!("c2m_session={token}"))
        .send()
        .await
        .unwrap()
}

async fn signed_in(app: &TestApp, token: &str) -> bool {
    let who = merchant(app, token).await;
    if who.is_null() {
        return false;
    }
    assert_eq!(who["email"], DEMO_MERCHANT_EMAIL);
    true
}

fn advance(app: &TestApp, by: Duration) {
    let now = *app.now.lock().unwrap();
    app.set_now(now + by);
}

async fn a_session_left_idle_ends_and_one_in_use_stays(app: TestApp) {
    let idle = Duration::minutes(i64::from(server::config::DEFAULT_SESSION_IDLE_MINUTES));
    let (_, used) = sign_in(&app, None).await;
    let (_, left) = sign_in(&app, None).await;
    // Used every three quarters of the timeout, a session outlives several timeouts.
    for _ in 0..4 {
        advance(&app, idle * 3 / 4);
        assert!(signed_in(&app, &used).await, "a session in use stays");
    }
    assert!(!signed_in(&app, &left).await, "a session left idle has ended");
    advance(&app, idle + Duration::minutes(1));
    assert!(
        !signed_in(&app, &used).await,
        "and so does the used one once left"
    );
}

async fn signing_in_again_replaces_the_token_the_browser_carried(app: TestApp) {
    let (cookie, first) = sign_in(&app, None).await;
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "on 127.0.0.1 the cookie works over HTTP: {cookie}"
    );
    let (_, second) = sign_in(&app, Some(&first)).await;
    assert_ne!(first, second, "a new token");
    assert!(
        !signed_in(&app, &first).await,
        "the token carried in no longer signs in"
    );
    assert!(signed_in(&app, &second).await);
}

async fn signing_out_everywhere_ends_every_devices_session_and_is_audited(app: TestApp) {
    let (_, laptop) = sign_in(&app, None).await;
    let (_, phone) = sign_in(&app, None).await;
    let response = sign_out_everywhere(&app, &phone).await;
    assert_eq!(response.headers()["location"], "/admin");
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(!signed_in(&app, &phone).await);
    assert!(
        !signed_in(&app, &laptop).await,
        "the other device is signed out too"
    );
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("session.sign_out_everywhere"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the sign-out is in the audit log");
    assert!(audited.actor.starts_with("merchant:"), "{}", audited.actor);
    let after = audited.after.expect("what it did");
    assert_eq!(after["sessions_ended"], 2, "{after}");
    // Without a live session it changes nothing and says so by signing nobody in.
    let again = sign_out_everywhere(&app, &phone).await;
    assert_eq!(again.headers()["location"], "/admin");
}

async fn ended_sessions_are_deleted(app: TestApp) {
    let idle = app.state.config.session_idle();
    let (_, old) = sign_in(&app, None).await;
    advance(&app, idle + Duration::minutes(1));
    let (_, fresh) = sign_in(&app, None).await;
    let rows = || sessions::Entity::find().count(&app.db);
    assert_eq!(rows().await.unwrap(), 2, "the idle row is still there");
    let deleted = server::store::merchants::prune_sessions(app.store(), idle, 1)
        .await
        .unwrap();
    assert_eq!(
        deleted, 1,
        "only the idle session goes (one row per statement here)"
    );
    assert_eq!(rows().await.unwrap(), 1);
    assert!(signed_in(&app, &fresh).await);
    assert!(!signed_in(&app, &old).await);
    // A week after sign-in a session ends however much it was used.
    for _ in 0..(7 * 24 * 60 / 100) {
        advance(&app, Duration::minutes(100));
        assert!(signed_in(&app, &fresh).await);
    }
    advance(&app, Duration::minutes(100));
    assert!(!signed_in(&app, &fresh).await, "past its lifetime");
    let deleted = server::store::merchants::prune_sessions(app.store(), idle, 100)
        .await
        .unwrap();
    assert_eq!((deleted, rows().await.unwrap()), (1, 0));
}

#[tokio::test]
async fn secure_cookies_are_marked_secure() {
    let app = spawn_app_with(Backend::Sqlite, &[("C2M_SECURE_COOKIES", "true")]).await;
    let (cookie, _) = sign_in(&app, None).await;
    assert!(cookie.contains("; Secure"), "{cookie}");
}
