//! The dashboard in headless Chromium (issue 19): once hydrated, choosing a window and
//! opening the orders or materials behind a KPI happen in place with the state in the
//! URL, and a material leads to its row on the Materials page; the page fits a phone's
//! width. Screenshots at desktop and phone widths are written to
//! `target/screenshots/` for people to look at.

use std::path::PathBuf;

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use thirtyfour::prelude::*;

use crate::admin::{open, recompute_now, sign_in_and_open};
use crate::page;

/// Where the screenshots go.
fn screenshots() -> PathBuf {
    let dir = c2m_tests::workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot directory");
    dir
}

async fn the_dashboard_follows_its_url_and_fits_a_phone(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin").await;
    recompute_now(driver, &app).await;
    open(driver, &app, "/admin").await;
    Browser::wait_for(
        driver,
        ".dashboard[data-weeks='12'] [data-kpi=perfect_order_rate]",
    )
    .await;
    let cells = driver.find_all(By::Css(".matrix td[data-class]")).await.unwrap();
    assert_eq!(cells.len(), 9, "the ABC-XYZ matrix");

    // A shorter window, in place: the address says it and the figures follow.
    driver
        .find(By::Css("nav[aria-label=Window] a[href='/admin?weeks=4']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    Browser::wait_for(driver, ".dashboard[data-weeks='4']").await;
    assert!(
        driver
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("/admin?weeks=4")
    );
    let bars = page::run(
        driver,
        "return document.querySelectorAll('[data-kpi=perfect_order_rate] g.week').length;",
        vec![],
    )
    .await;
    assert_eq!(bars, 4, "one bar per week of the window");

    // The orders behind the perfect order rate, missed ones first.
    driver
        .find(By::Css(
            "[data-kpi=perfect_order_rate] a[href*='kpi=perfect_order_rate']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    Browser::wait_for(driver, "#drill[data-drill=perfect_order_rate] tbody tr").await;
    assert!(
        driver
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("weeks=4&kpi=perfect_order_rate")
    );
    let order = page::run(
        driver,
        "const rows = [...document.querySelectorAll('#drill tbody tr')];
         const firstKept = rows.findIndex(r => !r.classList.contains('missed'));
         return firstKept < 0 || rows.slice(firstKept).every(r => !r.classList.contains('missed'));",
        vec![],
    )
    .await;
    assert_eq!(order, true, "missed orders come first");
    // The materials behind the health index, those weighing on it first; one leads to
    // its row on the Materials page.
    driver
        .find(By::Css(
            "[data-kpi=inventory_health] a[href*='kpi=inventory_health']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    Browser::wait_for(
        driver,
        "#drill[data-drill=inventory_health] tbody tr[data-material]",
    )
    .await;
    let first = page::run(
        driver,
        "const rows = [...document.querySelectorAll('#drill tbody tr')];
         const firstFine = rows.findIndex(r => !r.classList.contains('missed'));
         const ordered = firstFine < 0 || rows.slice(firstFine).every(r => !r.classList.contains('missed'));
         return [ordered, rows[0].dataset.material, rows[0].querySelector('a').getAttribute('href')];",
        vec![],
    )
    .await;
    assert_eq!(first[0], true, "materials weighing on the index come first");
    let sku = first[1].as_str().unwrap().to_string();
    assert_eq!(first[2], format!("/admin/materials?search={sku}"));
    driver
        .find(By::Css("#drill tbody tr a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    Browser::wait_for(driver, &format!("tr[data-sku='{sku}']")).await;
    open(driver, &app, "/admin?weeks=4&kpi=perfect_order_rate").await;
    Browser::wait_for(driver, "#drill[data-drill=perfect_order_rate] tbody tr").await;
    let name = format!("dashboard-{backend:?}").to_lowercase();
    driver
        .screenshot(&screenshots().join(format!("{name}-desktop.png")))
        .await
        .unwrap();

    // A phone's width: nothing sticks out sideways (wide tables scroll in their box).
    driver.set_window_rect(0, 0, 390, 844).await.unwrap();
    open(driver, &app, "/admin?weeks=12&kpi=by_p50").await;
    Browser::wait_for(driver, "#drill[data-drill=by_p50]").await;
    driver
        .screenshot(&screenshots().join(format!("{name}-phone.png")))
        .await
        .unwrap();
    let overflow = page::run(
        driver,
        "const wide = [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
             .filter(e => !e.closest('.scroll'))
             .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
         return [document.documentElement.scrollWidth - window.innerWidth, wide.slice(0, 8)];",
        vec![],
    )
    .await;
    assert!(
        overflow[0].as_i64().unwrap() <= 0,
        "too wide for a phone (px, elements): {overflow}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_follows_its_url_and_fits_a_phone_on_sqlite() {
    the_dashboard_follows_its_url_and_fits_a_phone(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_follows_its_url_and_fits_a_phone_on_postgres() {
    the_dashboard_follows_its_url_and_fits_a_phone(Backend::Postgres).await;
}
