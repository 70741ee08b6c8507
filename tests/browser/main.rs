//! In headless Chromium against the real server: merchant sign-in, and the widget on a
//! plain third-party page.

use std::time::{Duration, Instant};

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use server::seed::{DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD};
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merchant_signs_in_and_the_widget_renders_on_a_third_party_page() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;

    driver.goto(app.url("/admin")).await.unwrap();
    Browser::wait_for(driver, "input[name=email]")
        .await
        .send_keys(DEMO_MERCHANT_EMAIL)
        .await
        .unwrap();
    driver
        .find(By::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(DEMO_MERCHANT_PASSWORD)
        .await
        .unwrap();
    driver
        .find(By::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let who = Browser::wait_for(driver, ".who").await;
    assert!(who.text().await.unwrap().contains(DEMO_MERCHANT_EMAIL));

    driver.goto(app.url("/third-party/")).await.unwrap();
    let host = Browser::wait_for(driver, "c2m-configurator").await;
    let groups = shadow_groups(&host).await;
    assert!(
        (3..=5).contains(&groups.len()),
        "{} groups rendered",
        groups.len()
    );
    let legends: Vec<String> = {
        let mut v = Vec::new();
        for g in &groups {
            v.push(g.find(By::Css("legend")).await.unwrap().text().await.unwrap());
        }
        v
    };
    assert!(legends.iter().all(|l| !l.is_empty()), "{legends:?}");
    browser.driver.clone().quit().await.unwrap();
}

/// The option groups inside the widget's shadow root, once the wasm has rendered them.
async fn shadow_groups(host: &WebElement) -> Vec<WebElement> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(root) = host.get_shadow_root().await {
            let groups = root
                .find_all(By::Css("fieldset.c2m-group"))
                .await
                .unwrap_or_default();
            if !groups.is_empty() {
                return groups;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the widget rendered no option groups within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
