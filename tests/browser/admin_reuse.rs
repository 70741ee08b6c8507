//! A leftover put to use, in headless Chromium: the widget on the third-party page
//! shows the weekender's new Olive linen slow (its linen is not stocked); the merchant
//! recomputes, accepts in the inbox the suggestion to use the city tote's leftover Sage
//! linen for it, and the widget shows Olive linen sooner; Undo in place swaps the line
//! back and the widget shows the first estimate again.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::store::entities::suggestions;
use thirtyfour::prelude::*;

use crate::admin::{open, recompute_now, sign_in_and_open};
use crate::page;

const WIDGET: &str = "c2m-configurator";
const OLIVE_ETA: &str = "[data-value='olive-linen'] .c2m-eta";

/// The olive linen's estimate as the configurator API gives it: its label and P50.
async fn olive_by_api(app: &TestApp) -> (String, String) {
    let olive = app
        .configured_value("weekender-bag", "fabric", "olive-linen")
        .await;
    let estimate = &olive["estimate"];
    (
        estimate["label"].as_str().unwrap().to_string(),
        estimate["p50"].as_str().unwrap().to_string(),
    )
}

/// Opens the third-party page and waits until its widget shows `label` for the olive
/// linen: what the shopper reads is the engine's estimate.
async fn widget_shows(driver: &WebDriver, app: &TestApp, label: &str) {
    driver.goto(app.url("/third-party/")).await.unwrap();
    page::wait_for(
        driver,
        &format!("the widget's olive linen at {label:?}"),
        "const e = document.querySelector(arguments[0])?.shadowRoot?.querySelector(arguments[1]);
         return e?.textContent.trim() === arguments[2] || null;",
        vec![json!(WIDGET), json!(OLIVE_ETA), json!(label)],
    )
    .await;
}

/// Clicks `button` of suggestion `id` and waits until the inbox shows it `status`.
async fn press(driver: &WebDriver, id: &str, button: &str, status: &str) {
    let css = format!("li[data-suggestion='{id}'] {button} button");
    Browser::wait_for(driver, &css).await.click().await.unwrap();
    page::wait_for(
        driver,
        "the suggestion's new status",
        "return document.querySelector(`li[data-suggestion='${arguments[0]}']`)?.dataset.status === arguments[1] || null;",
        vec![json!(id), json!(status)],
    )
    .await;
}

async fn the_leftover_makes_the_new_colour_sooner_until_undone(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    let (slow, slow_p50) = olive_by_api(&app).await;
    widget_shows(driver, &app, &slow).await;

    sign_in_and_open(driver, &app, "/admin/policies").await;
    recompute_now(driver, &app).await;
    open(driver, &app, "/admin/alerts").await;
    let item = Browser::wait_for(driver, "li[data-kind=reuse_material][data-status=open]").await;
    let id = item.attr("data-suggestion").await.unwrap().unwrap();
    let said = item.text().await.unwrap();
    assert!(said.contains("Use the leftover Linen, sage"), "{said}");
    let payload: Value = suggestions::Entity::find()
        .filter(suggestions::Column::Id.eq(id.parse::<i64>().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert_eq!(payload["value"], "olive-linen", "{payload}");

    press(driver, &id, "[data-decision=accept]", "accepted").await;
    let (sooner, sooner_p50) = olive_by_api(&app).await;
    assert!(
        sooner_p50 < slow_p50,
        "the leftover at the warehouse comes sooner than the supplier: {slow} then {sooner}"
    );
    widget_shows(driver, &app, &sooner).await;

    open(driver, &app, "/admin/alerts").await;
    press(driver, &id, "[data-undo]", "undone").await;
    assert_eq!(olive_by_api(&app).await.1, slow_p50, "swapped back");
    widget_shows(driver, &app, &slow).await;
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leftover_makes_the_new_colour_sooner_until_undone_on_sqlite() {
    the_leftover_makes_the_new_colour_sooner_until_undone(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leftover_makes_the_new_colour_sooner_until_undone_on_postgres() {
    the_leftover_makes_the_new_colour_sooner_until_undone(Backend::Postgres).await;
}
