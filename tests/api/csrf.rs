//! Cross-site request forgery (issue 17, "Abuse and access"): a write to the admin from
//! another site's page is refused with 403 problem+json and changes nothing, even with
//! the merchant's session cookie; the admin's own pages and non-browser clients write.

use c2m_tests::{TestApp, on_both_databases};

use crate::orders::shop;

on_both_databases!(writes_to_the_admin_from_another_site_are_refused_and_change_nothing);

async fn sign_in_from(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/_fn/login"))
        .header("accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .form(&[
            ("email", server::seed::DEMO_MERCHANT_EMAIL),
            ("password", server::seed::DEMO_MERCHANT_PASSWORD),
        ])
        .send()
        .await
        .unwrap()
}

async fn writes_to_the_admin_from_another_site_are_refused_and_change_nothing(app: TestApp) {
    for headers in [
        [("origin", "https://evil.example")],
        [("sec-fetch-site", "cross-site")],
    ] {
        let refused = sign_in_from(&app, &headers).await;
        assert_eq!(refused.status(), 403, "{headers:?}");
        assert_eq!(refused.headers()["content-type"], "application/problem+json");
        assert!(
            refused.headers().get("set-cookie").is_none(),
            "no session from {headers:?}"
        );
    }
    let ours = sign_in_from(
        &app,
        &[
            ("origin", app.base_url.as_str()),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(
        ours.headers().get("location").and_then(|l| l.to_str().ok()),
        Some("/admin"),
        "the admin's own page signs in"
    );

    // Signed in, a forged form post from another site carries the cookie and is refused.
    let before = shop(&app).await.promise_permille;
    let forged = app
        .client
        .post(app.url("/_fn/admin/save_promises"))
        .header("accept", "text/html")
        .header("origin", "https://evil.example")
        .form(&[("percent", "60")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(shop(&app).await.promise_permille, before, "nothing changed");
    let own = app
        .client
        .post(app.url("/_fn/admin/save_promises"))
        .header("accept", "text/html")
        .header("origin", app.base_url.as_str())
        .header("referer", app.url("/admin/supply"))
        .form(&[("percent", "60"), ("learn", "on")])
        .send()
        .await
        .unwrap();
    assert!(
        own.status().is_redirection() || own.status().is_success(),
        "{}",
        own.status()
    );
    assert_eq!(
        shop(&app).await.promise_permille,
        600,
        "the admin's own page saves"
    );
}
