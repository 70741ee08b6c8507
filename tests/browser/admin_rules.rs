//! Rules in headless Chromium: a merchant writes "transfers under 500", recomputes, and
//! the inbox shows the demo's overconsumption transfer executed by the rule (the rule
//! named, the draft made); Undo in place cancels the draft; the Rules page counts what
//! the rule spent today and its dry run marks the suggestion as one it takes.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use sea_orm::EntityTrait;
use serde_json::json;
use server::store::entities::{InboundStatus, SuggestionStatus, inbound, suggestions};
use thirtyfour::prelude::*;

use crate::admin::{open, recompute_now, sign_in_and_open};
use crate::page;

async fn a_rule_executes_a_transfer_and_the_merchant_undoes_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/rules").await;
    let form = Browser::wait_for(driver, "[data-form=rule]").await;
    page::run(
        driver,
        "const [form] = arguments;
         form.elements.name.value = 'transfers under 500';
         form.elements.kind.value = 'transfer';
         form.elements.max_per_action.value = '500';
         form.requestSubmit();",
        vec![form.to_json().unwrap()],
    )
    .await;
    let rule: i64 = page::wait_for(
        driver,
        "the rule listed, running",
        "const row = document.querySelector('tr[data-rule][data-paused=false]');
         return row && row.textContent.includes('transfers under 500') ? row.dataset.rule : null;",
        vec![],
    )
    .await
    .as_str()
    .unwrap()
    .parse()
    .unwrap();

    recompute_now(driver, &app).await;

    // The demo's overconsumed fastener suggests a small transfer: the rule took it.
    open(driver, &app, "/admin/alerts").await;
    let executed = Browser::wait_for(driver, "li[data-kind=transfer][data-status=executed]").await;
    assert_eq!(
        executed.attr("data-rule").await.unwrap().as_deref(),
        Some("transfers under 500")
    );
    let id: i64 = executed
        .attr("data-suggestion")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let said = executed
        .find(By::Css("[data-decided]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        said.starts_with("executed by rule “transfers under 500”"),
        "{said}"
    );
    let stored = suggestions::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.rule_id, Some(rule));
    let draft = stored.applied.clone().unwrap()["inbound_id"].as_i64().unwrap();
    let line = |app: &c2m_tests::TestApp| {
        let db = app.db.clone();
        async move {
            inbound::Entity::find_by_id(draft)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    assert_eq!(line(&app).await, InboundStatus::Draft);
    let value = stored.value_minor.unwrap();
    assert!(value > 0 && value <= 50_000, "{value}");

    // The Rules page counts it today and its dry run takes it.
    open(driver, &app, "/admin/rules").await;
    let today = page::wait_for(
        driver,
        "today's spending and the dry run",
        "const row = document.querySelector(`tr[data-rule='${arguments[0]}']`);
         const dry = document.querySelector(`tr[data-dry-run='${arguments[1]}']`);
         return row && dry ? {spent: row.querySelector('[data-spent-today]').dataset.spentToday,
                              taken: dry.dataset.taken} : null;",
        vec![json!(rule.to_string()), json!(id.to_string())],
    )
    .await;
    assert_eq!(today["spent"], json!(value.to_string()), "{today}");
    assert_eq!(today["taken"], "true", "{today}");

    // Undo in place: the draft is cancelled.
    open(driver, &app, "/admin/alerts").await;
    let undo = format!("li[data-suggestion='{id}'] [data-undo] button");
    Browser::wait_for(driver, &undo).await.click().await.unwrap();
    let undone = page::wait_for(
        driver,
        "the suggestion shown as undone",
        "const li = document.querySelector(`li[data-suggestion='${arguments[0]}']`);
         return li?.dataset.status === 'undone' ? li.querySelector('[data-undone]')?.textContent : null;",
        vec![json!(id.to_string())],
    )
    .await;
    assert!(
        undone.as_str().unwrap().contains("undone by merchant:"),
        "{undone}"
    );
    assert_eq!(line(&app).await, InboundStatus::Cancelled);
    let stored = suggestions::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, SuggestionStatus::Undone);
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_executes_a_transfer_and_the_merchant_undoes_it_on_sqlite() {
    a_rule_executes_a_transfer_and_the_merchant_undoes_it(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_executes_a_transfer_and_the_merchant_undoes_it_on_postgres() {
    a_rule_executes_a_transfer_and_the_merchant_undoes_it(Backend::Postgres).await;
}
