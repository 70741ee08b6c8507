//! In headless Chromium against the real server: merchant sign-in and the admin, the
//! storefront's live configurator, and the widget on third-party pages.

mod accessibility;
mod admin;
mod admin_dashboard;
mod admin_heat;
mod admin_import;
mod admin_orders;
mod admin_policies;
mod admin_reuse;
mod admin_rules;
mod admin_settings;
mod page;
mod platforms;
mod widget;

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use server::seed::{DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD};
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merchant_signs_in() {
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

    browser.driver.clone().quit().await.unwrap();
}

/// The storefront's configurator is the widget's component, server-rendered and
/// hydrated: a change re-quotes through the server function.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_storefront_configurator_requotes_after_hydration() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(app.url("/shop/weekender-bag")).await.unwrap();
    let promise = Browser::wait_for(driver, ".c2m-promise").await;
    let before = promise.text().await.unwrap();
    assert!(before.starts_with("Delivery: "), "server-rendered: {before}");
    // The component marks its first paint once hydrated; clicks before that are plain HTML.
    page::wait_for(
        driver,
        "hydration",
        "return performance.getEntriesByName('c2m:first-estimates').length;",
        vec![],
    )
    .await;
    driver
        .find(By::Css("[data-value='indigo-linen'] input"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let after = page::wait_for(
        driver,
        "the storefront's new promise",
        "const p = document.querySelector('.c2m-promise')?.textContent.trim();
         return !document.querySelector('.c2m-pending') && p !== arguments[0] ? p : null;",
        vec![serde_json::json!(before)],
    )
    .await;
    let why = driver
        .find(By::Css(".c2m-why"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(why.to_lowercase().contains("indigo"), "{after} / {why}");
    browser.driver.clone().quit().await.unwrap();
}
