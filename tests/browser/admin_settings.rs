//! The settings and capacity pages in headless Chromium: a new publishable key is shown
//! once and lands in the embed snippet; the load chart follows a capacity change.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use serde_json::json;
use thirtyfour::prelude::*;

use crate::admin::{open, sign_in_and_open};
use crate::page;

/// The snippet's text as the page shows it.
async fn snippet(driver: &WebDriver) -> String {
    page::run(
        driver,
        "return document.querySelector('code[data-snippet]').textContent;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_publishable_key_is_shown_once_and_lands_in_the_snippet() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/settings").await;
    assert!(
        snippet(driver).await.contains("key=\"pk_…\""),
        "a placeholder before"
    );

    driver
        .find(By::Css("[data-form=api-key] input[name=label]"))
        .await
        .unwrap()
        .send_keys("Northwind shop")
        .await
        .unwrap();
    driver
        .find(By::Css("[data-form=api-key] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Shown from the action's answer, then again once the list is re-read with it.
    let key = page::wait_for(
        driver,
        "the new key, listed",
        "const k = document.querySelector('.new-key code.key')?.textContent;
         return k && document.querySelector(`tr[data-key='${k.slice(0, 12)}'][data-status=active]`) ? k : null;",
        vec![],
    )
    .await
    .as_str()
    .unwrap()
    .to_string();
    assert!(key.starts_with("pk_") && key.len() == 35, "{key}");
    let prefix = &key[..12];
    assert!(
        snippet(driver).await.contains(&format!("key=\"{key}\"")),
        "the snippet carries it"
    );

    // Another product: the snippet follows at once, with the same key.
    page::run(
        driver,
        "const s = document.querySelector('[data-form=embed-product] select');
         s.value = 'weekender-bag'; s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await;
    let text = page::wait_for(
        driver,
        "the snippet for the weekender bag",
        "const t = document.querySelector('code[data-snippet]').textContent;
         return t.includes('product=\"weekender-bag\"') ? t : null;",
        vec![],
    )
    .await;
    assert!(text.as_str().unwrap().contains(&key), "{text}");
    assert!(
        driver.find(By::Css("button[data-copy]")).await.is_ok(),
        "copy, once hydrated"
    );

    // A reload: the key is gone for good, only its prefix is listed.
    open(driver, &app, "/admin/settings").await;
    Browser::wait_for(driver, &format!("tr[data-key='{prefix}']")).await;
    assert!(driver.find(By::Css(".new-key")).await.is_err(), "shown once");
    let source = driver.source().await.unwrap();
    assert!(!source.contains(&key), "not in the page any more");
    assert!(snippet(driver).await.contains("key=\"pk_…\""));

    let status = app
        .client
        .get(app.url("/api/v1/products/weekender-bag/configurator"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200, "the key works");
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_chart_follows_a_capacity_change() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/capacity").await;
    let chart = "svg.load-chart[data-work-center=SEW]";
    let bars = driver.find_all(By::Css(format!("{chart} g.bar"))).await.unwrap();
    assert_eq!(bars.len(), 28, "four weeks of days");
    let bar = format!("{chart} g.bar[data-day='2026-11-25']");
    let capacity = page::run(
        driver,
        "return document.querySelector(arguments[0])?.dataset.capacity;",
        vec![json!(bar)],
    )
    .await;
    assert_eq!(capacity, json!("960"));
    let title = driver
        .find(By::Css(format!("{bar} title")))
        .await
        .unwrap()
        .inner_html()
        .await
        .unwrap();
    assert!(title.contains("free of 960"), "{title}");

    let form = "[data-work-center=SEW] [data-form=work-center-hours]";
    let minutes = driver
        .find(By::Css(format!("{form} input[name=minutes_per_day]")))
        .await
        .unwrap();
    minutes.clear().await.unwrap();
    minutes.send_keys("1200").await.unwrap();
    driver
        .find(By::Css(format!("{form} button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page::wait_for(
        driver,
        "the chart's new capacity",
        "return document.querySelector(arguments[0])?.dataset.capacity === '1200';",
        vec![json!(bar)],
    )
    .await;
    let free = page::run(
        driver,
        "const b = document.querySelector(arguments[0]).dataset;
         return Number(b.free) === Math.max(0, 1200 - Number(b.booked));",
        vec![json!(bar)],
    )
    .await;
    assert_eq!(free, json!(true), "free minutes follow the new capacity");
    browser.driver.clone().quit().await.unwrap();
}
