//! Reading and driving a page with widgets in shadow roots, and arranging the data they
//! show.

use std::time::{Duration, Instant};

use c2m_tests::TestApp;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::{Value, json};
use server::store::entities::{
    OptionValueStatus, heat_events, materials, nodes, option_groups, option_values, products, shops, stock,
};
use thirtyfour::prelude::*;

/// How long anything in a page may take to appear.
const PATIENCE: Duration = Duration::from_secs(20);

/// Runs `script` (a function body; `arguments[0..]` are `args`) until it returns
/// something truthy, and returns that.
pub async fn wait_for(driver: &WebDriver, what: &str, script: &str, args: Vec<Value>) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let value = driver
            .execute(script, args.clone())
            .await
            .map(|r| r.json().clone())
            .unwrap_or(Value::Null);
        let truthy = match &value {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Number(n) => n.as_f64() != Some(0.0),
            _ => true,
        };
        if truthy {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not within {PATIENCE:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `script` once and returns its result.
pub async fn run(driver: &WebDriver, script: &str, args: Vec<Value>) -> Value {
    driver
        .execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
        .json()
        .clone()
}

/// The text of the first `css` match in the shadow root of the element `host` (`null`
/// when there is none).
pub async fn text(driver: &WebDriver, host: &str, css: &str) -> Value {
    run(
        driver,
        "const r = document.querySelector(arguments[0])?.shadowRoot;
         const e = r?.querySelector(arguments[1]);
         return e ? e.textContent.trim() : null;",
        vec![json!(host), json!(css)],
    )
    .await
}

/// Waits until the widget in `host` shows its promise, and returns it.
pub async fn promise(driver: &WebDriver, host: &str) -> String {
    wait_for(
        driver,
        &format!("the promise in {host}"),
        "return document.querySelector(arguments[0])?.shadowRoot
                ?.querySelector('.c2m-promise')?.textContent.trim();",
        vec![json!(host)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the promise in `host` differs from `before` and no request is out.
pub async fn promise_changed(driver: &WebDriver, host: &str, before: &str) -> String {
    wait_for(
        driver,
        &format!("a new promise in {host}"),
        "const r = document.querySelector(arguments[0])?.shadowRoot;
         if (!r || r.querySelector('.c2m-pending')) return null;
         const p = r.querySelector('.c2m-promise')?.textContent.trim();
         return p && p !== arguments[1] ? p : null;",
        vec![json!(host), json!(before)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// The element `css` inside the shadow root of `host`, for real (WebDriver) clicks.
pub async fn inside(driver: &WebDriver, host: &str, css: &str) -> WebElement {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let found = match driver.find(By::Css(host)).await {
            Ok(h) => match h.get_shadow_root().await {
                Ok(root) => root.find(By::Css(css)).await.ok(),
                Err(_) => None,
            },
            Err(_) => None,
        };
        if let Some(element) = found {
            return element;
        }
        assert!(Instant::now() < deadline, "`{css}` never appeared in {host}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The value code checked in group `group` of the widget in `host`.
pub async fn checked(driver: &WebDriver, host: &str, group: &str) -> Value {
    run(
        driver,
        "return document.querySelector(arguments[0]).shadowRoot
            .querySelector(`fieldset[data-group='${arguments[1]}'] input:checked`)?.value ?? null;",
        vec![json!(host), json!(group)],
    )
    .await
}

/// Records the widget's DOM events in `window.__c2m` as the host page would hear them:
/// on `document`, outside every shadow root.
pub async fn listen(driver: &WebDriver) {
    run(
        driver,
        "window.__c2m = { change: [], cart: [] };
         document.addEventListener('c2m:change', e => window.__c2m.change.push(e.detail));
         document.addEventListener('c2m:add-to-cart', e => window.__c2m.cart.push(e.detail));",
        vec![],
    )
    .await;
}

/// The option value `code` of group `group` of product `slug`.
async fn value_of(app: &TestApp, slug: &str, group: &str, code: &str) -> option_values::Model {
    let product = products::Entity::find()
        .filter(products::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .expect("product");
    let group = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product.id))
        .filter(option_groups::Column::Code.eq(group))
        .one(&app.db)
        .await
        .unwrap()
        .expect("group");
    option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(group.id))
        .filter(option_values::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("value")
}

/// Freezes a value as its merchant would (before the page first loads the shop).
pub async fn freeze(app: &TestApp, slug: &str, group: &str, code: &str, reason: &str) {
    let mut value = value_of(app, slug, group, code).await.into_active_model();
    value.status = Set(OptionValueStatus::Frozen);
    value.frozen_reason = Set(Some(reason.into()));
    value.frozen_by = Set(Some("merchant".into()));
    value.update(&app.db).await.unwrap();
}

/// The material SKU of a weekender fabric.
pub fn fabric_sku(code: &str) -> &'static str {
    match code {
        "navy-canvas" => "FAB-CNV-NAVY",
        "sand-canvas" => "FAB-CNV-SAND",
        "black-canvas" => "FAB-CNV-BLACK",
        "lagoon-canvas" => "FAB-CNV-LAGOON",
        "natural-linen" => "FAB-LIN-NATURAL",
        "indigo-linen" => "FAB-LIN-INDIGO",
        other => panic!("no weekender fabric `{other}`"),
    }
}

/// Counts the stock of `sku` through the API so that exactly one weekender's worth
/// (180) is free, at the bag workshop, and none anywhere else.
pub async fn stock_for_one_bag(app: &TestApp, sku: &str) {
    let material = materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    for row in stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .all(&app.db)
        .await
        .unwrap()
    {
        let node = nodes::Entity::find_by_id(row.node_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let free = if node.code == "FB" { 180 } else { 0 };
        let response = app
            .client
            .put(app.url(&format!("/api/v1/materials/{sku}/stock/{}", node.code)))
            .bearer_auth(server::seed::DEMO_SECRET_KEY)
            .json(&json!({"on_hand": row.reserved + free, "reason": "browser test"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{:?}", response.text().await);
    }
}

/// Gives product `slug` (in presale) a first batch made by `until`, and moves the
/// shop's state version on so the next quote sees it.
pub async fn first_batch_until(app: &TestApp, slug: &str, until: chrono::NaiveDate) {
    let product = products::Entity::find()
        .filter(products::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .expect("product");
    let shop = product.shop_id;
    let mut product = product.into_active_model();
    product.first_batch_until = Set(Some(until));
    product.update(&app.db).await.unwrap();
    shops::Entity::update_many()
        .col_expr(
            shops::Column::StateVersion,
            sea_orm::sea_query::ExprTrait::add(
                sea_orm::sea_query::Expr::col(shops::Column::StateVersion),
                1i64,
            ),
        )
        .filter(shops::Column::Id.eq(shop))
        .exec(&app.db)
        .await
        .unwrap();
    app.state.quoting.refresh_versions().await.unwrap();
}

/// Renames a value (before the page first loads the shop).
pub async fn relabel(app: &TestApp, slug: &str, group: &str, code: &str, label: &str) {
    let mut value = value_of(app, slug, group, code).await.into_active_model();
    value.label = Set(label.into());
    value.update(&app.db).await.unwrap();
}

/// Heat events of one browser session stored so far, of one kind (the events
/// themselves, not the per-value rows derived from their selections).
pub async fn heat_count(app: &TestApp, session: &str, kind: &str) -> u64 {
    heat_events::Entity::find()
        .filter(heat_events::Column::SessionId.eq(session))
        .filter(heat_events::Column::Kind.eq(kind))
        .filter(heat_events::Column::EventId.not_like("%:%"))
        .count(&app.db)
        .await
        .unwrap()
}

/// Waits until the session has `at_least` events of `kind` in the database.
pub async fn heat_arrives(app: &TestApp, session: &str, kind: &str, at_least: u64) -> u64 {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let n = heat_count(app, session, kind).await;
        if n >= at_least {
            return n;
        }
        assert!(
            Instant::now() < deadline,
            "{kind}: {n} of {at_least} heat events stored"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
