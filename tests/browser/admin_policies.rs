//! The Policies page and the Alerts inbox in headless Chromium: Recompute now fills the
//! table in place, an accepted stock-level suggestion shows as accepted and lands in
//! the material's policy, marked as overridden, and the seeded overconsumption's
//! transfer, accepted in place, is drafted; a material at its reorder point shows its
//! levels, and its purchase draft, dismissed in place, is not drafted.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use server::store::entities::{InboundKind, InboundStatus, inbound, suggestions};
use thirtyfour::prelude::*;

use crate::admin::{open, sign_in_and_open};
use crate::page;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recompute_fills_the_table_and_an_accepted_raise_reaches_the_policy() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/policies").await;

    let rows = page::run(
        driver,
        "return document.querySelectorAll('tbody[data-sku]').length;",
        vec![],
    )
    .await;
    assert_eq!(rows, 0, "nothing computed before the press");
    driver
        .find(By::Css("[data-form=recompute] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let summary = page::wait_for(
        driver,
        "the recomputation's summary and the filled table",
        "const s = document.querySelector('[data-recompute-summary]')?.textContent ?? '';
         return s.startsWith('Recomputed') && document.querySelectorAll('tbody[data-sku]').length > 0 ? s : null;",
        vec![],
    )
    .await;
    assert!(summary.as_str().unwrap().contains(" raised."), "{summary}");
    assert!(
        !driver
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("recomputed="),
        "submitted in place once hydrated"
    );

    // The inbox: accept the stock-level raise.
    open(driver, &app, "/admin/alerts").await;
    let accept = "li[data-kind=raise_stock_level][data-status=open] [data-decision=accept] button";
    let id: i64 = Browser::wait_for(driver, "li[data-kind=raise_stock_level][data-status=open]")
        .await
        .attr("data-suggestion")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let suggestion = suggestions::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sku = suggestion.payload["sku"].as_str().unwrap().to_string();
    let to = suggestion.payload["to"].as_str().unwrap().to_string();
    driver.find(By::Css(accept)).await.unwrap().click().await.unwrap();
    let decided = page::wait_for(
        driver,
        "the suggestion shown as accepted",
        "const li = document.querySelector(`li[data-suggestion='${arguments[0]}']`);
         return li?.dataset.status === 'accepted' ? li.querySelector('[data-decided]')?.textContent : null;",
        vec![json!(id.to_string())],
    )
    .await;
    assert!(
        decided.as_str().unwrap().starts_with("accepted by merchant:"),
        "{decided}"
    );

    // The policy was recomputed with the raised level, marked as the merchant's.
    open(driver, &app, "/admin/policies").await;
    let row = page::wait_for(
        driver,
        "the material's policy",
        "const row = document.querySelector(`tbody[data-sku='${arguments[0]}']`);
         return row ? {level: row.dataset.stockLevel, overridden: row.dataset.overridden,
                       text: row.querySelector('tr').textContent} : null;",
        vec![json!(sku)],
    )
    .await;
    assert_eq!(row["level"], json!(to), "{row}");
    assert_eq!(row["overridden"], "true", "{row}");
    assert!(row["text"].as_str().unwrap().contains("overridden"), "{row}");

    // The seeded overconsumed fastener: its figures, and its transfer from the
    // warehouse accepted in place, which drafts the transfer.
    open(driver, &app, "/admin/alerts").await;
    let figures = page::wait_for(
        driver,
        "the overconsumption alert's figures",
        "const a = document.querySelector('article[data-kind=wip_overconsumption]');
         return a && a.querySelector('tr[data-order]') ? a.querySelector('.evidence').textContent : null;",
        vec![],
    )
    .await;
    assert!(figures.as_str().unwrap().contains("beyond plan"), "{figures}");
    let transfer = Browser::wait_for(driver, "li[data-kind=transfer][data-status=open]")
        .await
        .attr("data-suggestion")
        .await
        .unwrap()
        .unwrap();
    let before = draft_transfers(&app).await;
    driver
        .find(By::Css(
            "li[data-kind=transfer][data-status=open] [data-decision=accept] button",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page::wait_for(
        driver,
        "the transfer shown as accepted",
        "return document.querySelector(`li[data-suggestion='${arguments[0]}']`)?.dataset.status === 'accepted' || null;",
        vec![json!(transfer)],
    )
    .await;
    assert_eq!(
        draft_transfers(&app).await,
        before + 1,
        "the accepted transfer is drafted"
    );

    // Indigo linen is out, below its reorder point: the policy's levels against the
    // position, and a purchase draft for what no other node has; dismissing it in
    // place leaves no draft behind.
    let levels = page::wait_for(
        driver,
        "the reorder-point alert's figures",
        "const a = [...document.querySelectorAll('article[data-kind=below_reorder_point]')]
             .find(a => a.textContent.includes('FAB-LIN-INDIGO'));
         return a && a.querySelector('[data-position]') ? a.querySelector('.evidence').textContent : null;",
        vec![],
    )
    .await;
    assert!(levels.as_str().unwrap().contains("reorder at"), "{levels}");
    let purchases = draft_purchases(&app).await;
    let dismiss = "article[data-kind=below_reorder_point] li[data-kind=purchase][data-status=open] [data-decision=dismiss] button";
    let purchase = Browser::wait_for(
        driver,
        "article[data-kind=below_reorder_point] li[data-kind=purchase][data-status=open]",
    )
    .await
    .attr("data-suggestion")
    .await
    .unwrap()
    .unwrap();
    driver
        .find(By::Css(dismiss))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page::wait_for(
        driver,
        "the purchase shown as dismissed",
        "return document.querySelector(`li[data-suggestion='${arguments[0]}']`)?.dataset.status === 'dismissed' || null;",
        vec![json!(purchase)],
    )
    .await;
    assert_eq!(
        draft_purchases(&app).await,
        purchases,
        "a dismissed draft is not drafted"
    );
    browser.driver.clone().quit().await.unwrap();
}

async fn draft_purchases(app: &c2m_tests::TestApp) -> usize {
    inbound::Entity::find()
        .filter(inbound::Column::Kind.eq(InboundKind::Purchase))
        .filter(inbound::Column::Status.eq(InboundStatus::Draft))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

async fn draft_transfers(app: &c2m_tests::TestApp) -> usize {
    inbound::Entity::find()
        .filter(inbound::Column::Kind.eq(InboundKind::Transfer))
        .filter(inbound::Column::Status.eq(InboundStatus::Draft))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}
