//! The Heat page in headless Chromium: the seeded weekender's funnel, a heat chart per
//! option group with its numbers printed beside the bars, and a window changed with
//! the page's GET form (so it lands in the URL).

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::admin::sign_in_and_open;
use crate::page;

const BAG: &str = "section.heat-product[data-product='weekender-bag']";

/// The weekender's funnel count of `kind`, as the table shows it.
async fn funnel_count(driver: &WebDriver, kind: &str) -> u64 {
    page::run(
        driver,
        "return document.querySelector(`${arguments[0]} table.funnel tr[data-kind=${arguments[1]}] td`)?.textContent;",
        vec![json!(BAG), json!(kind)],
    )
    .await
    .as_str()
    .and_then(|t| t.trim().parse().ok())
    .unwrap_or_else(|| panic!("no {kind} count in the funnel"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heat_page_charts_every_value_and_follows_its_window() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/heat").await;

    // The funnel of the seeded weekender over the default 30 days.
    Browser::wait_for(driver, &format!("{BAG} table.funnel")).await;
    let views = funnel_count(driver, "view").await;
    let carts = funnel_count(driver, "add_to_cart").await;
    assert!(views > carts && carts > 0, "views {views}, carts {carts}");
    let window = page::run(
        driver,
        "return document.querySelector('[data-window]').dataset.window;",
        vec![],
    )
    .await;
    assert_eq!(window, "2026-10-27/2026-11-25");

    // The fabric chart: a row per value, each with both bars, their titles, and the
    // numbers and the rate printed as text.
    let chart = page::run(
        driver,
        "const svg = document.querySelector(`${arguments[0]} svg.heat-chart[data-group=fabric]`);
         const name = svg.getAttribute('aria-labelledby').split(' ')
             .map(id => document.getElementById(id).textContent).join(' ');
         const rows = [...svg.querySelectorAll('g.value')].map(g => ({
             value: g.dataset.value,
             bars: g.querySelectorAll('rect').length,
             titles: [...g.querySelectorAll('title')].map(t => t.textContent),
             texts: [...g.querySelectorAll('text')].map(t => t.textContent),
             selections: g.dataset.selections,
             carts: g.dataset.addToCart,
         }));
         return {role: svg.getAttribute('role'), name, rows};",
        vec![json!(BAG)],
    )
    .await;
    assert_eq!(chart["role"], "img");
    assert!(
        chart["name"]
            .as_str()
            .unwrap()
            .starts_with("Fabric of Weekender bag"),
        "{chart}"
    );
    let rows = chart["rows"].as_array().unwrap();
    let values: Vec<&str> = rows.iter().map(|r| r["value"].as_str().unwrap()).collect();
    assert_eq!(
        values,
        [
            "navy-canvas",
            "sand-canvas",
            "black-canvas",
            "lagoon-canvas",
            "natural-linen",
            "indigo-linen",
            "olive-linen"
        ]
    );
    for row in rows {
        assert_eq!(row["bars"], 2, "{row}");
        assert_eq!(row["titles"].as_array().unwrap().len(), 2, "{row}");
        let texts: Vec<&str> = row["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let (selections, carts) = (
            row["selections"].as_str().unwrap(),
            row["carts"].as_str().unwrap(),
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(&format!("{selections} selection"))),
            "{row}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(&format!("{carts} add-to-cart"))),
            "{row}"
        );
        assert!(
            texts.iter().any(|t| t.ends_with(" %") || *t == "—"),
            "the rate is printed: {row}"
        );
    }
    let navy = &rows[0];
    assert_ne!(navy["selections"], "0", "the best seller was picked: {navy}");
    // The same figures as a table below the chart.
    let table_navy = page::run(
        driver,
        "return document.querySelector(`${arguments[0]} table.heat-values[data-group=fabric] tr[data-value=navy-canvas] td`)?.textContent;",
        vec![json!(BAG)],
    )
    .await;
    assert_eq!(table_navy, navy["selections"]);

    // A week ending yesterday, for the weekender only, through the form.
    page::run(
        driver,
        "const f = document.querySelector('[data-form=heat-window]');
         f.querySelector('[name=from]').value = '2026-11-18';
         f.querySelector('[name=to]').value = '2026-11-24';
         f.querySelector('[name=product]').value = 'weekender-bag';",
        vec![],
    )
    .await;
    driver
        .find(By::Css("[data-form=heat-window] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page::wait_for(
        driver,
        "the week's funnel",
        "return document.querySelector('[data-window]')?.dataset.window === '2026-11-18/2026-11-24';",
        vec![],
    )
    .await;
    let url = driver.current_url().await.unwrap();
    assert!(
        url.as_str().contains("from=2026-11-18") && url.as_str().contains("product=weekender-bag"),
        "bookmarkable: {url}"
    );
    let products = page::run(
        driver,
        "return document.querySelectorAll('section.heat-product').length;",
        vec![],
    )
    .await;
    assert_eq!(products, 1);
    let week_views = funnel_count(driver, "view").await;
    assert!(
        week_views > 0 && week_views < views,
        "a week {week_views}, 30 days {views}"
    );

    // A window that ends before it starts is refused next to its field, the form kept.
    driver
        .goto(app.url("/admin/heat?from=2026-11-26&to=2026-11-25"))
        .await
        .unwrap();
    let refusal = Browser::wait_for(driver, "#error-from").await;
    assert!(refusal.text().await.unwrap().contains("after it ends"));
    let kept: Value = page::run(
        driver,
        "return document.querySelector('[data-form=heat-window] [name=from]').value;",
        vec![],
    )
    .await;
    assert_eq!(kept, "2026-11-26");
    browser.driver.clone().quit().await.unwrap();
}
