//! The platform recipes in headless Chromium (issue 19, "On real shop platforms"): the
//! Shopify app block rendered from its Liquid and the WooCommerce form wiring, each on a
//! page of its own origin (a small shop server here, with stand-ins for the platform's
//! cart endpoints, which record what they are sent). In both, what the shopper added
//! carries the quote token, and the token books the order in c2m at the date shown.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Form, Json, Router};
use c2m_tests::browser::Browser;
use c2m_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};

use crate::page::{inside, promise, wait_for};

const WIDGET: &str = "c2m-configurator";
/// The variant id the Shopify block is rendered with.
const VARIANT: i64 = 4242;

fn platforms() -> PathBuf {
    c2m_tests::workspace_root().join("platforms")
}

fn shopify_extension() -> PathBuf {
    platforms().join("shopify/extensions/c2m-configurator")
}

/// A form submission's fields, in order.
type FormFields = Vec<(String, String)>;

/// What the shop's stand-in endpoints were sent.
#[derive(Clone, Default)]
struct Received {
    /// Bodies of `POST /cart/add.js` (Shopify's Ajax Cart API).
    carts: Arc<Mutex<Vec<Value>>>,
    /// Fields of the WooCommerce add-to-cart form's submissions.
    forms: Arc<Mutex<Vec<FormFields>>>,
}

/// Serves `pages` (path, HTML), the recipes' scripts and the cart stand-ins on a port
/// of its own; returns the shop's origin.
async fn shop(pages: Vec<(&'static str, String)>, received: Received) -> String {
    let file = |path: PathBuf, kind: &'static str| {
        let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        get(move || async move { ([("content-type", kind)], body) })
    };
    let mut router = Router::new()
        .route(
            "/assets/c2m-cart.js",
            file(shopify_extension().join("assets/c2m-cart.js"), "text/javascript"),
        )
        .route(
            "/assets/c2m-cart.css",
            file(shopify_extension().join("assets/c2m-cart.css"), "text/css"),
        )
        .route(
            "/woo/c2m-woocommerce.js",
            file(
                platforms().join("woocommerce/c2m-woocommerce.js"),
                "text/javascript",
            ),
        )
        .route(
            "/cart/add.js",
            axum::routing::post(|State(r): State<Received>, Json(body): Json<Value>| async move {
                r.carts.lock().unwrap().push(body.clone());
                Json(json!({"items": body["items"]}))
            }),
        )
        .route(
            "/woo/cart",
            axum::routing::post(
                |State(r): State<Received>, Form(fields): Form<FormFields>| async move {
                    r.forms.lock().unwrap().push(fields);
                    Html("<p>Added</p>")
                },
            ),
        );
    for (path, html) in pages {
        router = router.route(path, get(move || async move { Html(html) }));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let router = router.with_state(received);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    origin
}

/// Lets pages of `origin` use the demo shop's widget.
async fn allow(app: &TestApp, origin: &str) {
    use sea_orm::EntityTrait;
    let shop = server::store::entities::shops::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo shop")
        .id;
    server::service::settings::add_origin(app.write(shop, "merchant:1").await, origin)
        .await
        .expect("the shop's origin is allowed");
}

/// Books an order in c2m with `token`, as the shop's server would; its promised date.
async fn book(app: &TestApp, reference: &str, selection: &Value, token: &str) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({
            "reference": reference, "product": "weekender-bag", "quantity": 1,
            "selection": selection, "quote_token": token,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["promised_on"].clone()
}

/// The block's Liquid without its schema, and the schema.
fn block() -> (String, Value) {
    let path = shopify_extension().join("blocks/configurator.liquid");
    let source = std::fs::read_to_string(&path).unwrap();
    let (body, rest) = source.split_once("{% schema %}").expect("a schema");
    let (schema, _) = rest.split_once("{% endschema %}").expect("the schema's end");
    (
        body.to_string(),
        serde_json::from_str(schema).expect("the schema is JSON"),
    )
}

/// The block rendered as Shopify would, with `settings`.
fn render(body: &str, settings: Value, locale: &str) -> String {
    let template = liquid::ParserBuilder::with_stdlib()
        .build()
        .unwrap()
        .parse(body)
        .expect("the block parses as Liquid");
    let globals = liquid::to_object(&json!({
        "product": {"handle": "weekender-bag", "selected_or_first_available_variant": {"id": VARIANT}},
        "block": {"shopify_attributes": "data-block-id=\"c2m-1\"", "settings": settings},
        "request": {"locale": {"iso_code": locale}},
    }))
    .unwrap();
    template.render(&globals).expect("the block renders")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shopify_block_puts_the_configuration_in_the_cart() {
    let (body, schema) = block();
    // The schema loads the two assets, and every setting the block reads is one.
    assert_eq!(schema["javascript"], "c2m-cart.js");
    assert_eq!(schema["stylesheet"], "c2m-cart.css");
    assert_eq!(schema["target"], "section");
    let ids: Vec<&str> = schema["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for used in body.split("block.settings.").skip(1) {
        let id: String = used
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        assert!(
            ids.contains(&id.as_str()),
            "the block reads `{id}`, which its schema lacks"
        );
    }
    // Not set up yet: the block says what to set, and loads nothing.
    let bare = render(
        &body,
        json!({"c2m_origin": "", "publishable_key": "", "product_slug": "", "accent": "#0f6e4f", "after_add": "cart"}),
        "en",
    );
    assert!(
        bare.contains("set the c2m address and the publishable key"),
        "{bare}"
    );
    assert!(!bare.contains("<c2m-configurator"), "{bare}");

    let app = spawn_app(Backend::Sqlite).await;
    // A trailing slash on the address is fine; the storefront speaks German.
    let settings = json!({
        "c2m_origin": format!(" {}/ ", app.base_url), "publishable_key": DEMO_PUBLISHABLE_KEY,
        "product_slug": "", "accent": "#aa3300", "after_add": "stay",
    });
    let rendered = render(&body, settings, "de");
    assert!(
        rendered.contains(&format!(r#"src="{}/widget/c2m.js""#, app.base_url)),
        "{rendered}"
    );
    // What Shopify adds around a block: the schema's stylesheet and script.
    let page = format!(
        r#"<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Weekender</title>
        <link rel="stylesheet" href="/assets/c2m-cart.css"><script src="/assets/c2m-cart.js" defer></script>
        </head><body><main><h1>Weekender</h1>{rendered}</main></body></html>"#
    );
    let received = Received::default();
    let origin = shop(vec![("/products/weekender-bag", page)], received.clone()).await;
    allow(&app, &origin).await;

    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver
        .goto(format!("{origin}/products/weekender-bag"))
        .await
        .unwrap();
    promise(driver, WIDGET).await;
    let accent = crate::page::run(
        driver,
        "return getComputedStyle(document.querySelector('c2m-configurator')).getPropertyValue('--c2m-accent').trim();",
        vec![],
    )
    .await;
    assert_eq!(accent, "#aa3300");
    inside(driver, WIDGET, ".c2m-order").await.click().await.unwrap();
    wait_for(
        driver,
        "the block's German confirmation",
        "return document.querySelector('[data-c2m-cart-status]').textContent === 'In den Warenkorb gelegt.' || null;",
        vec![],
    )
    .await;
    let carts = received.carts.lock().unwrap().clone();
    assert_eq!(carts.len(), 1, "{carts:?}");
    let item = &carts[0]["items"][0];
    assert_eq!(item["id"], VARIANT);
    assert_eq!(item["quantity"], 1);
    let properties = &item["properties"];
    assert_eq!(properties["_c2m_product"], "weekender-bag");
    assert!(
        properties["Configuration"].as_str().unwrap().contains("fabric: "),
        "{properties}"
    );
    let selection: Value = serde_json::from_str(properties["_c2m_selection"].as_str().unwrap()).unwrap();
    let token = properties["_c2m_quote_token"].as_str().expect("the token");
    let promised = book(&app, "SHOPIFY-1001", &selection, token).await;
    assert_eq!(
        promised, properties["Arrives by"],
        "booked at the date in the cart"
    );
    browser.driver.clone().quit().await.unwrap();
}

/// The hidden fields the plugin prints into the form, read from the plugin itself.
fn woocommerce_fields() -> Vec<String> {
    let php = std::fs::read_to_string(platforms().join("woocommerce/c2m-woocommerce.php")).unwrap();
    let list = php
        .split("foreach ([")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("the plugin's field list");
    list.split(',')
        .map(|f| f.trim().trim_matches('\'').to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_woocommerce_form_carries_the_configuration() {
    let app = spawn_app(Backend::Sqlite).await;
    let fields = woocommerce_fields();
    assert_eq!(
        fields,
        [
            "c2m_product",
            "c2m_selection",
            "c2m_quote_token",
            "c2m_arrives_by"
        ]
    );
    // WooCommerce's single-product add-to-cart form, with what the plugin prints in it.
    let hidden: String = fields
        .iter()
        .map(|f| format!(r#"<input type="hidden" name="{f}" value="">"#))
        .collect();
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weekender</title>
        <script type="module" src="{c2m}/widget/c2m.js"></script></head><body>
        <form class="cart" action="/woo/cart" method="post">
          <c2m-configurator product="weekender-bag" key="{key}" locale="en"></c2m-configurator>{hidden}
          <div class="quantity"><input type="number" name="quantity" value="1" min="1"></div>
          <button type="submit" name="add-to-cart" value="77" class="single_add_to_cart_button button alt">Add to cart</button>
        </form>
        <script src="/woo/c2m-woocommerce.js"></script></body></html>"#,
        c2m = app.base_url,
        key = DEMO_PUBLISHABLE_KEY,
    );
    let received = Received::default();
    let origin = shop(vec![("/woo/weekender-bag", page)], received.clone()).await;
    allow(&app, &origin).await;

    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(format!("{origin}/woo/weekender-bag")).await.unwrap();
    promise(driver, WIDGET).await;
    // A new choice fills the form before anything is pressed.
    inside(driver, WIDGET, "[data-value='sand-canvas'] input")
        .await
        .click()
        .await
        .unwrap();
    wait_for(
        driver,
        "the form's fields filled by c2m:change",
        "const s = document.querySelector('input[name=c2m_selection]').value;
         return s && JSON.parse(s).fabric[0] === 'sand-canvas' || null;",
        vec![],
    )
    .await;
    inside(driver, WIDGET, ".c2m-order").await.click().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let form = loop {
        if let Some(form) = received.forms.lock().unwrap().first().cloned() {
            break form;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the form was never submitted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in {form:?}"))
    };
    assert_eq!(field("add-to-cart"), "77", "through the form's own button");
    assert_eq!(field("quantity"), "1");
    assert_eq!(field("c2m_product"), "weekender-bag");
    let selection: Value = serde_json::from_str(&field("c2m_selection")).unwrap();
    assert_eq!(selection["fabric"], json!(["sand-canvas"]));
    let promised = book(&app, "WOO-77", &selection, &field("c2m_quote_token")).await;
    assert_eq!(
        promised,
        json!(field("c2m_arrives_by")),
        "booked at the date in the cart"
    );
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_speaks_the_language_of_the_page() {
    let app = spawn_app(Backend::Sqlite).await;
    // No `locale` on the element: the page's `lang` decides, its region ignored.
    let page = format!(
        r#"<!doctype html><html lang="fr-FR"><head><meta charset="utf-8"><title>Sac</title>
        <script type="module" src="{c2m}/widget/c2m.js"></script></head><body>
        <c2m-configurator product="weekender-bag" key="{key}"></c2m-configurator></body></html>"#,
        c2m = app.base_url,
        key = DEMO_PUBLISHABLE_KEY,
    );
    let origin = shop(vec![("/fr/sac", page)], Received::default()).await;
    allow(&app, &origin).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(format!("{origin}/fr/sac")).await.unwrap();
    let said = promise(driver, WIDGET).await;
    assert!(said.starts_with("Livraison\u{a0}: "), "{said}");
    let button = inside(driver, WIDGET, ".c2m-order").await.text().await.unwrap();
    assert_eq!(button, "Précommander", "the weekender is in presale");
    let total = crate::page::text(driver, WIDGET, ".c2m-total").await;
    assert!(
        total.as_str().is_some_and(|t| t.contains(",00\u{a0}€")),
        "a French price in the shop's currency: {total}"
    );
    browser.driver.clone().quit().await.unwrap();
}
