//! The merchant admin in headless Chromium: what a merchant changes reaches the live
//! preview and the widget on a third-party page, a purchase order received makes a
//! slow option fast, and a stale edit is refused rather than lost.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use server::seed::{DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD};
use server::store::entities::{materials, products, stock};
use thirtyfour::prelude::*;

use crate::page;

const WIDGET: &str = "c2m-configurator";

/// Signs in through the form and opens `path` once the admin has hydrated.
pub(crate) async fn sign_in_and_open(driver: &WebDriver, app: &TestApp, path: &str) {
    driver.goto(app.url("/admin")).await.unwrap();
    Browser::wait_for(driver, "input[name=email]")
        .await
        .send_keys(DEMO_MERCHANT_EMAIL)
        .await
        .unwrap();
    let password = driver.find(By::Css("input[name=password]")).await.unwrap();
    password.send_keys(DEMO_MERCHANT_PASSWORD).await.unwrap();
    password.send_keys(Key::Enter).await.unwrap();
    Browser::wait_for(driver, ".who").await;
    open(driver, app, path).await;
}

/// Opens an admin page and waits until its wasm has taken over (forms submit in place).
pub(crate) async fn open(driver: &WebDriver, app: &TestApp, path: &str) {
    driver.goto(app.url(path)).await.unwrap();
    page::wait_for(
        driver,
        "the admin's hydration",
        "return document.body.dataset.adminHydrated === 'true';",
        vec![],
    )
    .await;
}

/// Presses *Recompute now* on the Policies page and waits for its summary.
pub(crate) async fn recompute_now(driver: &WebDriver, app: &TestApp) {
    open(driver, app, "/admin/policies").await;
    driver
        .find(By::Css("[data-form=recompute] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page::wait_for(
        driver,
        "the recomputation's summary",
        "return document.querySelector('[data-recompute-summary]')?.textContent.startsWith('Recomputed') || null;",
        vec![],
    )
    .await;
}

/// The preview's estimate for one value (the configurator renders it as text).
async fn preview_estimate(driver: &WebDriver, value: &str) -> String {
    page::wait_for(
        driver,
        "the preview's estimate",
        "const e = document.querySelector(`.preview [data-value='${arguments[0]}'] .c2m-eta`);
         return e && !document.querySelector('.preview .c2m-pending') ? e.textContent.trim() : null;",
        vec![json!(value)],
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

async fn click(driver: &WebDriver, css: &str) {
    driver.find(By::Css(css)).await.unwrap().click().await.unwrap();
}

/// A merchant freezes a value in the product editor: the editor and the live preview
/// show it frozen, the widget on a third-party page shows it disabled with the reason,
/// and the audit log has the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_frozen_in_the_admin_is_disabled_in_the_widget() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/products/weekender-bag").await;
    let reason = "Mill closed until January";
    let row = "tr[data-value='fabric.natural-linen']";
    let reason_form = format!("{row} td:last-child form:has(input[value=freeze])");

    // An empty reason is refused next to the field, and nothing is frozen.
    click(driver, &format!("{reason_form} button")).await;
    let refusal = Browser::wait_for(driver, "#error-fabric-natural-linen-reason").await;
    assert!(!refusal.text().await.unwrap().is_empty());
    assert!(driver.find(By::Css(format!("{row}.frozen"))).await.is_err());

    driver
        .find(By::Css(format!("{row} input[name=reason]")))
        .await
        .unwrap()
        .send_keys(reason)
        .await
        .unwrap();
    click(driver, &format!("{reason_form} button")).await;
    let shown = Browser::wait_for(driver, &format!("{row} .frozen-reason")).await;
    assert!(shown.text().await.unwrap().contains(reason));
    page::wait_for(
        driver,
        "the preview's frozen value",
        "return document.querySelector(\".preview [data-value='natural-linen'] input\")?.disabled;",
        vec![],
    )
    .await;

    driver.goto(app.url("/third-party/")).await.unwrap();
    page::wait_for(
        driver,
        "the widget's frozen value",
        "return document.querySelector(arguments[0])?.shadowRoot
             ?.querySelector(\"[data-value='natural-linen'] input\")?.disabled;",
        vec![json!(WIDGET)],
    )
    .await;
    let why = page::text(driver, WIDGET, "[data-value='natural-linen']").await;
    assert!(why.as_str().unwrap().contains(reason), "{why}");

    open(driver, &app, "/admin/audit").await;
    let entry = Browser::wait_for(driver, "tr[data-action='option_value.freeze']").await;
    let text = entry.text().await.unwrap();
    assert!(text.contains("natural-linen") && text.contains(reason), "{text}");
    browser.driver.clone().quit().await.unwrap();
}

/// Indigo linen has no stock: a purchase order drafted, confirmed and received in the
/// admin puts it on hand, and the preview's estimate for it becomes the fast one.
async fn receiving_a_purchase_order_makes_a_slow_option_fast(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/products/weekender-bag").await;
    let fast = preview_estimate(driver, "navy-canvas").await;
    let slow = preview_estimate(driver, "indigo-linen").await;
    assert_ne!(fast, slow, "indigo linen starts slower");

    open(driver, &app, "/admin/supply").await;
    click(driver, "details:has([data-form=purchase-order]) summary").await;
    let eta = (c2m_tests::seed_day() + chrono::Days::new(2)).to_string();
    let fill = "const [form, values] = arguments;
                for (const [name, value] of Object.entries(values)) form.elements[name].value = value;";
    let form = driver.find(By::Css("[data-form=purchase-order]")).await.unwrap();
    // A quantity under the supplier's minimum is refused next to the field.
    page::run(
        driver,
        fill,
        vec![
            form.to_json().unwrap(),
            json!({"supplier": "S-TEX", "sku": "FAB-LIN-INDIGO", "node": "FB", "quantity": "400", "eta": eta}),
        ],
    )
    .await;
    click(driver, "[data-form=purchase-order] button[type=submit]").await;
    let refusal = Browser::wait_for(driver, "#error-quantity").await;
    assert!(
        refusal.text().await.unwrap().contains("5000"),
        "names the minimum"
    );
    page::run(
        driver,
        fill,
        vec![form.to_json().unwrap(), json!({"quantity": "5000"})],
    )
    .await;
    click(driver, "[data-form=purchase-order] button[type=submit]").await;

    let line = "tr[data-inbound]:has(code)";
    for (op, status) in [("confirm", "confirmed"), ("receive", "received")] {
        let button = page::wait_for(
            driver,
            "the order's next action",
            "return [...document.querySelectorAll(arguments[0])]
                 .find(r => r.textContent.includes('FAB-LIN-INDIGO'))
                 ?.querySelector(`button[data-op=${arguments[1]}]`);",
            vec![json!(line), json!(op)],
        )
        .await;
        driver
            .execute("arguments[0].click();", vec![button])
            .await
            .unwrap();
        page::wait_for(
            driver,
            "the order's new status",
            "return [...document.querySelectorAll(arguments[0])]
                 .some(r => r.textContent.includes('FAB-LIN-INDIGO') && r.dataset.status === arguments[1]);",
            vec![json!(line), json!(status)],
        )
        .await;
    }

    let on_hand = on_hand(&app, "FAB-LIN-INDIGO", "FB").await;
    assert_eq!(on_hand, 5_000, "receiving put the units on hand");
    open(driver, &app, "/admin/products/weekender-bag").await;
    assert_eq!(preview_estimate(driver, "indigo-linen").await, fast);
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiving_a_purchase_order_makes_a_slow_option_fast_on_sqlite() {
    receiving_a_purchase_order_makes_a_slow_option_fast(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiving_a_purchase_order_makes_a_slow_option_fast_on_postgres() {
    receiving_a_purchase_order_makes_a_slow_option_fast(Backend::Postgres).await;
}

/// Two merchants edit the same product: the second save, made from a page read before
/// the first, is refused with a message, and the first one's change stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_edit_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/products/weekender-bag").await;
    let before = product(&app, "weekender-bag").await;

    // Meanwhile, another session renames the product.
    app.sign_in().await;
    let response = app
        .client
        .post(app.url("/_fn/admin/save_product"))
        .form(&[
            ("slug", "weekender-bag"),
            ("version", &before.version.to_string()),
            ("name", "Weekender bag 2027"),
            ("description", &before.description),
            ("price", "129.00"),
            ("lifecycle", &before.lifecycle),
            ("max_lead_time_days", &before.max_lead_time_days.to_string()),
            ("handling_days", &before.handling_days.to_string()),
            ("end_of_sale", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );

    let price = driver
        .find(By::Css("[data-form=product] input[name=price]"))
        .await
        .unwrap();
    price.clear().await.unwrap();
    price.send_keys("155.00").await.unwrap();
    click(driver, "[data-form=product] button[type=submit]").await;
    let banner = Browser::wait_for(driver, ".banner[data-kind=conflict]").await;
    assert!(
        banner.text().await.unwrap().contains("changed by someone else"),
        "{}",
        banner.text().await.unwrap()
    );
    let after = product(&app, "weekender-bag").await;
    assert_eq!(after.name, "Weekender bag 2027", "the first save stays");
    assert_eq!(after.base_price_minor, 12_900, "the stale save changed nothing");
    assert_eq!(after.version, before.version + 1);
    browser.driver.clone().quit().await.unwrap();
}

/// Fills the form `form` (a CSS selector) by field name and submits it, then waits for
/// `then` (a CSS selector) to appear: each save re-renders the editor.
async fn submit(driver: &WebDriver, form: &str, values: serde_json::Value, then: &str) {
    let form_element = Browser::wait_for(driver, form).await;
    page::run(
        driver,
        "const [form, values] = arguments;
         for (const [name, value] of Object.entries(values)) form.elements[name].value = value;
         form.requestSubmit();",
        vec![form_element.to_json().unwrap(), values],
    )
    .await;
    Browser::wait_for(driver, then).await;
}

/// A merchant adds a material and counts its first stock, creates a product, gives it
/// two option groups with values, a bill of materials (for the product and for each
/// colour, one of them the new material) and a routing, and the live preview shows its
/// delivery estimate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_product_gets_its_estimate_in_the_preview() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    // A new material, and a first count of it at the workshop.
    sign_in_and_open(driver, &app, "/admin/materials").await;
    submit(
        driver,
        "[data-form=material]",
        json!({"sku": "FAB-CNV-OLIVE", "name": "Canvas, olive", "unit": "cm", "unit_cost": "0.20", "kind": "fabric"}),
        "tr[data-sku=FAB-CNV-OLIVE]",
    )
    .await;
    submit(
        driver,
        "tr[data-sku=FAB-CNV-OLIVE] tr[data-node=FB] form",
        json!({"on_hand": "20000", "reason": "First delivery from the mill"}),
        "tr[data-sku=FAB-CNV-OLIVE] tr[data-node=FB] td[data-on-hand='20000']",
    )
    .await;

    open(driver, &app, "/admin/products").await;
    click(driver, "details:has([data-form=new-product]) summary").await;
    submit(
        driver,
        "[data-form=new-product]",
        json!({"slug": "canvas-backpack", "name": "Canvas backpack", "price": "89.00", "producing_node": "FB"}),
        "[data-form=product]",
    )
    .await;
    assert!(
        driver
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/admin/products/canvas-backpack")
    );
    // A product with nothing to make cannot be promised yet.
    for (code, name) in [("colour", "Colour"), ("size", "Size")] {
        submit(
            driver,
            "form:has([data-form=add-group])",
            json!({"code": code, "name": name}),
            &format!("[data-group={code}]"),
        )
        .await;
    }
    for (group, code, label) in [
        ("colour", "navy", "Navy"),
        ("colour", "olive", "Olive"),
        ("size", "small", "Small"),
        ("size", "large", "Large"),
    ] {
        submit(
            driver,
            &format!("form:has([data-form='{group}.add-value'])"),
            json!({"code": code, "label": label}),
            &format!("tr[data-value='{group}.{code}']"),
        )
        .await;
    }
    submit(
        driver,
        "[data-bom=bom] form",
        json!({"sku": "FAB-LINING-COTTON", "quantity": "60"}),
        "[data-bom=bom] li[data-sku=FAB-LINING-COTTON]",
    )
    .await;
    for (value, sku) in [("navy", "FAB-CNV-NAVY"), ("olive", "FAB-CNV-OLIVE")] {
        submit(
            driver,
            &format!("[data-bom='bom.colour.{value}'] form"),
            json!({"sku": sku, "quantity": "140"}),
            &format!("[data-bom='bom.colour.{value}'] li[data-sku={sku}]"),
        )
        .await;
    }
    submit(
        driver,
        "form:has([data-form='operations.add'])",
        json!({"name": "Sew", "work_center": "SEW", "minutes_per_unit": "45"}),
        "[data-routing=operations] ol li",
    )
    .await;

    let promise = page::wait_for(
        driver,
        "the preview's promise",
        "const p = document.querySelector('.preview .c2m-promise');
         return p && !document.querySelector('.preview .c2m-pending') ? p.textContent.trim() : null;",
        vec![],
    )
    .await;
    assert!(promise.as_str().unwrap().starts_with("Delivery: "), "{promise}");
    let olive = preview_estimate(driver, "olive").await;
    assert!(
        !olive.is_empty(),
        "the value made of the new material has its estimate"
    );
    browser.driver.clone().quit().await.unwrap();
}

async fn product(app: &TestApp, slug: &str) -> products::Model {
    products::Entity::find()
        .filter(products::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .expect("product")
}

async fn on_hand(app: &TestApp, sku: &str, node: &str) -> i64 {
    let material = materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .expect("material");
    let node = server::store::entities::nodes::Entity::find()
        .filter(server::store::entities::nodes::Column::Code.eq(node))
        .one(&app.db)
        .await
        .unwrap()
        .expect("node");
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .filter(stock::Column::NodeId.eq(node.id))
        .one(&app.db)
        .await
        .unwrap()
        .map_or(0, |s| s.on_hand)
}
