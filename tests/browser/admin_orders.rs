//! The orders board: in headless Chromium, orders sit in their status's column, a move
//! on a card puts the order in the next one (audited as the merchant), a stale card's
//! move is refused next to it, a late risk is flagged in words, and a filter in the URL
//! shows only the orders that pass it; and, as
//! a browser posts before the wasm loads, a card's form moves the order and its refusal
//! is shown next to its field.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, TestApp, spawn_app};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::DEMO_SECRET_KEY;
use server::store::entities::{OrderStatus, orders};
use thirtyfour::prelude::*;

use crate::admin::{open, sign_in_and_open};
use crate::page;

/// Places a weekender through the REST API, as a shop platform would, and returns its id.
async fn place(app: &TestApp, reference: &str) -> i64 {
    let response = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({
            "reference": reference,
            "product": "weekender-bag",
            "quantity": 1,
            "selection": {"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{reference} placed");
    let placed: Value = response.json().await.unwrap();
    placed["id"].as_i64().unwrap()
}

/// The status of the column the card of `reference` sits in, once it is there.
async fn column_of(driver: &WebDriver, reference: &str) -> String {
    page::wait_for(
        driver,
        &format!("the card of {reference}"),
        "return document.querySelector(`article.order[data-reference='${arguments[0]}']`)
             ?.closest('.order-column')?.dataset.status;",
        vec![json!(reference)],
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

/// Every card on the board: its reference, status and the status of its column.
async fn cards(driver: &WebDriver) -> Vec<(String, String, String)> {
    let found = page::run(
        driver,
        "return Array.from(document.querySelectorAll('article.order')).map(a =>
             [a.dataset.reference, a.dataset.status, a.closest('.order-column').dataset.status]);",
        vec![],
    )
    .await;
    serde_json::from_value(found).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_moved_on_the_board_changes_column_and_is_audited() {
    let app = spawn_app(Backend::Sqlite).await;
    let started = place(&app, "T-1").await;
    let stale = place(&app, "T-2").await;
    // As the late-risk rule records it (the rule itself is tested with the API).
    let why = "inbound PO-7 now arrives after production starts";
    orders::Entity::update_many()
        .col_expr(orders::Column::LateRisk, Expr::value(why))
        .filter(orders::Column::Id.eq(started))
        .exec(&app.db)
        .await
        .unwrap();
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/orders").await;

    // The new orders are placed; the demo's past orders are delivered; every card sits
    // in its own status's column.
    assert_eq!(column_of(driver, "T-1").await, "placed");
    assert_eq!(column_of(driver, "T-2").await, "placed");
    let flags = page::run(
        driver,
        "return ['T-1', 'T-2'].map(r => document.querySelector(
             `article[data-reference='${r}'] .late-risk[role=note]`)?.textContent ?? null);",
        vec![],
    )
    .await;
    assert_eq!(flags, json!([format!("⚠ Late risk: {why}"), null]));
    let board = cards(driver).await;
    assert!(
        board.iter().any(|(_, status, _)| status == "delivered"),
        "the demo's delivered orders are on the board"
    );
    assert!(
        board.iter().all(|(_, status, column)| status == column),
        "{board:?}"
    );
    let delivered = page::run(
        driver,
        "return Number(document.querySelector(\".order-column[data-status=delivered] .count\").dataset.count);",
        vec![],
    )
    .await;
    let on_board = board.iter().filter(|(_, s, _)| s == "delivered").count();
    assert_eq!(delivered, json!(on_board), "the column counts its cards");

    // T-2 is cancelled through the API after the board was read: starting it from its
    // stale card is refused next to the card, and the board shows where it is now.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/orders/{stale}/status")))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"status": "cancelled", "reason": "the customer changed their mind"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    driver
        .find(By::Css(
            "article[data-reference='T-2'] [data-move=in_production] button",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let refusal = page::wait_for(
        driver,
        "the refusal next to T-2, in its new column",
        "const card = document.querySelector(\"article[data-reference='T-2']\");
         const refusal = card?.querySelector(`#error-order-${arguments[0]}`)?.textContent;
         return card?.closest('.order-column')?.dataset.status === 'cancelled' ? refusal : null;",
        vec![json!(stale)],
    )
    .await;
    assert!(refusal.as_str().unwrap().contains("`cancelled`"), "{refusal}");

    // T-1 is started from the board, in place: a page loaded again would lose this mark.
    page::run(driver, "window.__board = 'not reloaded';", vec![]).await;
    driver
        .find(By::Css(
            "article[data-reference='T-1'] [data-move=in_production] button",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page::wait_for(
        driver,
        "T-1 in the in-production column",
        "return document.querySelector(\"article[data-reference='T-1']\")
             ?.closest('.order-column')?.dataset.status === 'in_production';",
        vec![],
    )
    .await;
    assert_eq!(
        page::run(driver, "return window.__board ?? null;", vec![]).await,
        json!("not reloaded"),
        "submitted in place once hydrated, without loading the page again"
    );
    let row = orders::Entity::find_by_id(started)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, OrderStatus::InProduction);

    open(driver, &app, "/admin/audit").await;
    let entry = Browser::wait_for(driver, "tr[data-action='order.start']").await;
    let text = entry.text().await.unwrap();
    assert!(
        text.contains("merchant:") && text.contains(&format!("order {started}")),
        "{text}"
    );

    // A status in the URL shows that column only, with only its orders.
    open(driver, &app, "/admin/orders?status=in_production").await;
    assert_eq!(column_of(driver, "T-1").await, "in_production");
    let board = cards(driver).await;
    assert!(
        board
            .iter()
            .all(|(_, status, column)| status == "in_production" && column == "in_production"),
        "{board:?}"
    );
    assert!(!board.iter().any(|(reference, _, _)| reference == "T-2"));
    let columns = page::run(
        driver,
        "return Array.from(document.querySelectorAll('.order-column')).map(c => c.dataset.status);",
        vec![],
    )
    .await;
    assert_eq!(columns, json!(["in_production"]));

    // At risk only: T-1 and no order on track, in every column.
    open(driver, &app, "/admin/orders?at_risk=true").await;
    assert_eq!(column_of(driver, "T-1").await, "in_production");
    let at_risk = page::run(
        driver,
        "return Array.from(document.querySelectorAll('article.order')).map(a => a.dataset.atRisk);",
        vec![],
    )
    .await;
    assert!(
        at_risk.as_array().unwrap().iter().all(|flag| flag == "true"),
        "{at_risk}"
    );
    let columns = page::run(
        driver,
        "return document.querySelectorAll('.order-column').length;",
        vec![],
    )
    .await;
    assert_eq!(columns, json!(5));
    browser.driver.clone().quit().await.unwrap();
}

/// A card's forms posted as a browser posts them before the wasm loads: a refused move
/// comes back with its refusal next to the field, in its opened fold, and changes
/// nothing; an accepted one is made and sends the browser back to the same board.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_forms_work_before_the_wasm_loads() {
    let app = spawn_app(Backend::Sqlite).await;
    let id = place(&app, "T-3").await;
    app.sign_in().await;
    let board = app.url("/admin/orders?status=placed");
    let post = |form: Vec<(&'static str, String)>| {
        app.client
            .post(app.url("/_fn/admin/move_order"))
            .header("accept", "text/html")
            .header("referer", board.clone())
            .form(&form)
            .send()
    };
    let status = || async {
        let row = orders::Entity::find_by_id(id).one(&app.db).await.unwrap();
        row.unwrap().status
    };

    // Blanks are no reason: refused, shown in the cancel form, which comes back open.
    let refused = post(vec![
        ("id", id.to_string()),
        ("status", "cancelled".into()),
        ("reason", "   ".into()),
        ("cancelled_by", "shop".into()),
    ])
    .await
    .unwrap();
    let back = location(&refused);
    assert!(back.contains("__err="), "not refused: {back}");
    let html = app.client.get(&back).send().await.unwrap().text().await.unwrap();
    let at = html
        .find(&format!("id=\"error-order-{id}-reason\""))
        .expect("the refusal next to the reason");
    let fold = html[..at].rfind("<details").expect("the cancel form's fold");
    let tag = &html[fold..fold + html[fold..].find('>').unwrap()];
    assert!(
        tag.contains("cancel-order")
            && tag
                .split_whitespace()
                .any(|a| a == "open" || a.starts_with("open=")),
        "{tag}"
    );
    assert_eq!(status().await, OrderStatus::Placed, "a refusal changes nothing");

    let started = post(vec![("id", id.to_string()), ("status", "in_production".into())])
        .await
        .unwrap();
    let back = location(&started);
    assert!(!back.contains("__err="), "refused: {back}");
    assert!(back.ends_with("/admin/orders?status=placed"), "{back}");
    assert_eq!(status().await, OrderStatus::InProduction);
}

/// Where a form post sends the browser, as an absolute URL.
fn location(response: &reqwest::Response) -> String {
    assert!(response.status().is_redirection(), "{}", response.status());
    let to = response.headers()["location"].to_str().unwrap();
    response.url().join(to).unwrap().to_string()
}
