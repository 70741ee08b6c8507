//! WCAG 2.2 A and AA, checked by axe-core in headless Chromium (issue 19): the sign-in
//! page, every admin page (with the demo's policies, alerts and orders on them), the
//! storefront, and the widget on each third-party page (inside its shadow root) have no
//! violation. Each admin page is also photographed at a desktop and a phone width into
//! `target/screenshots/`, for people to look at.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use thirtyfour::prelude::*;

use crate::admin::{open, recompute_now, sign_in_and_open};
use crate::page::promise;

/// Every admin page, with each kind of drill-down open on the dashboard.
const ADMIN: [&str; 17] = [
    "/admin",
    "/admin?weeks=4&kpi=perfect_order_rate",
    "/admin?weeks=4&kpi=inventory_health",
    "/admin/orders",
    "/admin/products",
    "/admin/products/weekender-bag",
    "/admin/materials",
    "/admin/supply",
    "/admin/import",
    "/admin/capacity",
    "/admin/heat",
    "/admin/policies",
    "/admin/alerts",
    "/admin/rules",
    "/admin/settings",
    "/admin/audit",
    "/admin/materials?class=AX",
];

/// Pages with the widget, and the element to wait for.
const WIDGET_PAGES: [&str; 3] = [
    "/third-party/",
    "/third-party/hostile.html",
    "/third-party/strict-csp.html",
];

/// Saves what `driver` shows as `target/screenshots/<page>-<width>.png`.
async fn screenshot(driver: &WebDriver, page: &str, width: &str) {
    let dir = c2m_tests::workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let name: String = page
        .trim_start_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    driver
        .screenshot(&dir.join(format!("{name}-{width}.png")))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_the_widget_meet_wcag_2_2_aa() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    let mut found: Vec<String> = Vec::new();
    let mut check = async |page: &str| {
        for violation in Browser::accessibility_violations(driver).await {
            found.push(format!("{page}: {violation}"));
        }
    };

    driver.goto(app.url("/admin")).await.unwrap();
    Browser::wait_for(driver, "input[name=email]").await;
    check("the sign-in page").await;

    driver.goto(app.url("/")).await.unwrap();
    Browser::wait_for(driver, "a[href^='/shop/']").await;
    check("/").await;
    driver.goto(app.url("/shop/weekender-bag")).await.unwrap();
    Browser::wait_for(driver, ".c2m-promise").await;
    check("/shop/weekender-bag").await;
    for page in WIDGET_PAGES {
        driver.goto(app.url(page)).await.unwrap();
        promise(driver, "c2m-configurator").await;
        check(page).await;
    }

    sign_in_and_open(driver, &app, "/admin").await;
    recompute_now(driver, &app).await;
    for page in ADMIN {
        open(driver, &app, page).await;
        check(page).await;
        screenshot(driver, page, "desktop").await;
    }
    // A phone's width: wide tables scroll in their own box, the page never sideways.
    driver.set_window_rect(0, 0, 390, 844).await.unwrap();
    let mut too_wide = Vec::new();
    for page in ADMIN {
        open(driver, &app, page).await;
        screenshot(driver, page, "phone").await;
        let wide = crate::page::run(
            driver,
            "const over = document.documentElement.scrollWidth - window.innerWidth;
             if (over <= 0) return null;
             // The innermost elements that stick out: what to fix.
             const out = e => e.getBoundingClientRect().right > window.innerWidth + 1;
             const sticking = [...document.querySelectorAll('body *')]
                 .filter(e => out(e) && ![...e.children].some(out))
                 .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
             return `${over} px: ${sticking.slice(0, 6).join(', ')}`;",
            vec![],
        )
        .await;
        if let Some(wide) = wide.as_str() {
            too_wide.push(format!("{page}: {wide}"));
        }
    }
    assert!(
        too_wide.is_empty(),
        "too wide for a phone:\n{}",
        too_wide.join("\n")
    );
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
    browser.driver.clone().quit().await.unwrap();
}
