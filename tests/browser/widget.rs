//! The widget in headless Chromium, on the plain third-party page and on the hostile
//! one: live estimates, frozen values and their alternatives, the host page's events,
//! heat in the database, labels as text, keyboard-only use.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use serde_json::json;
use thirtyfour::prelude::*;

use crate::page::{
    checked, fabric_sku, first_batch_until, freeze, heat_arrives, heat_count, inside, listen, promise,
    promise_changed, relabel, run, stock_for_one_bag, text, wait_for,
};

const WIDGET: &str = "c2m-configurator";

/// A merchant's label with markup and script in it.
const MARKUP: &str = r#"<img src=x onerror="window.__xss=1"><b>Bold</b> <script>window.__xss=2</script>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_quotes_live_and_reports_to_the_host_page() {
    let app = spawn_app(Backend::Sqlite).await;
    freeze(
        &app,
        "weekender-bag",
        "fabric",
        "lagoon-canvas",
        "Dye lot sold out",
    )
    .await;
    relabel(&app, "weekender-bag", "hardware", "nickel", MARKUP).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(app.url("/third-party/")).await.unwrap();
    listen(driver).await;

    // Every value shows its estimate; the default selection its promise.
    let first = promise(driver, WIDGET).await;
    assert!(first.starts_with("Delivery: "), "{first}");
    let estimate = text(driver, WIDGET, "[data-value='navy-canvas'] .c2m-eta").await;
    assert!(
        estimate.as_str().is_some_and(|e| e.ends_with("days")),
        "{estimate}"
    );
    assert_eq!(
        text(driver, WIDGET, ".c2m-order").await,
        json!("Preorder"),
        "the weekender is in presale"
    );

    assert_label_is_text(driver, WIDGET, "nickel").await;
    // Five fabrics tie for first and indigo linen is slower: the five are marked as
    // fast (the word for screen readers only), indigo linen is not.
    let fast = run(
        driver,
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         return [...r.querySelectorAll(`fieldset[data-group='fabric'] .c2m-fast`)].map(e => e.dataset.value);",
        vec![],
    )
    .await;
    assert_eq!(
        fast,
        json!(["navy-canvas", "sand-canvas", "black-canvas", "natural-linen"]),
        "lagoon canvas is frozen, indigo linen slower"
    );

    // A slower value: the promise moves out and names what it waits for.
    inside(driver, WIDGET, "[data-value='indigo-linen'] input")
        .await
        .click()
        .await
        .unwrap();
    let slower = promise_changed(driver, WIDGET, &first).await;
    let why = text(driver, WIDGET, ".c2m-why").await;
    assert!(
        why.as_str().unwrap_or_default().to_lowercase().contains("indigo"),
        "{slower} / {why}"
    );
    let changes = wait_for(
        driver,
        "the c2m:change event",
        "return window.__c2m.change.length ? window.__c2m.change : null;",
        vec![],
    )
    .await;
    let last = &changes[changes.as_array().unwrap().len() - 1];
    assert_eq!(last["selection"]["fabric"], json!(["indigo-linen"]));
    assert_eq!(last["product"], json!("weekender-bag"));
    assert!(last["delivery"]["p90"].as_str().is_some(), "{last}");

    // The frozen value is disabled, says why, and offers its alternative in one click.
    let frozen = inside(driver, WIDGET, "[data-value='lagoon-canvas'] input").await;
    assert!(!frozen.is_enabled().await.unwrap());
    let note = text(driver, WIDGET, "[data-value='lagoon-canvas'] .c2m-note").await;
    assert!(
        note.as_str().unwrap_or_default().contains("Dye lot sold out"),
        "{note}"
    );
    let switch = inside(driver, WIDGET, "[data-value='lagoon-canvas'] .c2m-switch").await;
    let offered = switch.text().await.unwrap();
    switch.click().await.unwrap();
    let after_switch = promise_changed(driver, WIDGET, &slower).await;
    let now_checked = checked(driver, WIDGET, "fabric").await;
    let label = text(
        driver,
        WIDGET,
        &format!("[data-value='{}'] .c2m-label", now_checked.as_str().unwrap()),
    )
    .await;
    assert!(
        offered.ends_with(label.as_str().unwrap()),
        "the switch offered `{offered}`, the widget chose {label}"
    );
    assert_ne!(now_checked, json!("lagoon-canvas"));

    // Only one bag's worth of the chosen fabric is left (the page does not know yet).
    let chosen = now_checked.as_str().unwrap().to_string();
    let eta_before = text(driver, WIDGET, &format!("[data-value='{chosen}'] .c2m-eta")).await;
    stock_for_one_bag(&app, fabric_sku(&chosen)).await;

    // Preorder: the host page hears it, with the selection, price and dates.
    inside(driver, WIDGET, ".c2m-order").await.click().await.unwrap();
    let carts = wait_for(
        driver,
        "the c2m:add-to-cart event",
        "return window.__c2m.cart.length ? window.__c2m.cart : null;",
        vec![],
    )
    .await;
    let line = &carts[0];
    assert_eq!(line["selection"]["fabric"], json!([now_checked]));
    assert_eq!(line["preorder"], json!(true));
    assert_eq!(line["quantity"], json!(1));
    assert!(line["unit_price_minor"].as_i64().unwrap() >= 18_900, "{line}");
    assert!(
        after_switch.contains(line["delivery"]["label"].as_str().unwrap()),
        "{line}"
    );

    // The shop's server books the order with the event's quote token: the promise the
    // shopper saw is the one booked, and the widget then quotes that fabric later.
    let token = line["quote_token"]
        .as_str()
        .expect("the event carries the quote's token");
    let response = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(server::seed::DEMO_SECRET_KEY)
        .json(&json!({
            "reference": "BROWSER-1", "product": "weekender-bag", "quantity": 1,
            "selection": line["selection"], "quote_token": token,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let order: serde_json::Value = response.json().await.unwrap();
    assert_eq!(order["promised_on"], line["delivery"]["promised"], "{order}");

    // Heat: the view, two selections and the preorder arrive in the database.
    let session = run(driver, "return sessionStorage.getItem('c2m_session');", vec![])
        .await
        .as_str()
        .expect("a session id")
        .to_string();
    heat_arrives(&app, &session, "view", 1).await;
    heat_arrives(&app, &session, "option_select", 2).await;
    heat_arrives(&app, &session, "preorder", 1).await;

    // A choice made just before leaving the page still arrives (sent as a beacon).
    inside(driver, WIDGET, "[data-value='sand-canvas'] input")
        .await
        .click()
        .await
        .unwrap();
    driver.goto("about:blank").await.unwrap();
    heat_arrives(&app, &session, "option_select", 3).await;
    assert_eq!(heat_count(&app, &session, "view").await, 1);

    // Back on the page, the widget quotes the booked fabric later.
    driver.goto(app.url("/third-party/")).await.unwrap();
    promise(driver, WIDGET).await;
    let eta_after = text(driver, WIDGET, &format!("[data-value='{chosen}'] .c2m-eta")).await;
    assert_ne!(eta_after, eta_before, "the booked canvas is no longer offered");
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_offers_a_split_and_counts_down_a_presale_batch() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(app.url("/third-party/")).await.unwrap();
    let one = promise(driver, WIDGET).await;
    let shown = |css: &'static str| {
        wait_for(
            driver,
            css,
            "const e = document.querySelector(arguments[0])?.shadowRoot?.querySelector(arguments[1]);
             return e && !e.hidden && e.textContent.trim() ? e.textContent.trim() : null;",
            vec![json!(WIDGET), json!(css)],
        )
    };
    let hidden = |css: &'static str| {
        run(
            driver,
            "return document.querySelector(arguments[0]).shadowRoot.querySelector(arguments[1]).hidden;",
            vec![json!(WIDGET), json!(css)],
        )
    };
    assert_eq!(hidden(".c2m-split").await, json!(true), "one bag is never split");

    // 120 bags: more than the canvas in stock makes as early as one bag.
    run(
        driver,
        "document.querySelector(arguments[0]).setAttribute('quantity', '120');",
        vec![json!(WIDGET)],
    )
    .await;
    promise_changed(driver, WIDGET, &one).await;
    let split = shown(".c2m-split").await;
    assert!(
        split
            .as_str()
            .unwrap()
            .starts_with("Or sooner in two deliveries: "),
        "{split}"
    );

    // A first batch made within 60 days: the widget counts what is left of it.
    let until = c2m_tests::seed_day() + chrono::Days::new(60);
    first_batch_until(&app, "weekender-bag", until).await;
    driver.goto(app.url("/third-party/")).await.unwrap();
    promise(driver, WIDGET).await;
    let batch = shown(".c2m-batch").await;
    let batch = batch.as_str().unwrap();
    assert!(batch.contains(" left in the first batch (made by "), "{batch}");
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_widgets_work_on_a_hostile_page_by_keyboard_alone() {
    let app = spawn_app(Backend::Sqlite).await;
    relabel(&app, "weekender-bag", "trim", "black", MARKUP).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(app.url("/third-party/hostile.html")).await.unwrap();
    listen(driver).await;
    let first_promise = promise(driver, "#first").await;
    let second_promise = promise(driver, "#second").await;
    // The second widget speaks German (`locale="de"`), the first English.
    assert!(second_promise.starts_with("Lieferung: "), "{second_promise}");
    assert_eq!(
        text(driver, "#second", ".c2m-order").await,
        json!("In den Warenkorb")
    );
    assert!(first_promise.starts_with("Delivery: "), "{first_promise}");

    // The page's CSS reaches neither widget: groups and controls are visible.
    for host in ["#first", "#second"] {
        let group = inside(driver, host, "fieldset.c2m-group").await;
        assert!(group.is_displayed().await.unwrap(), "{host}");
        let radio = inside(driver, host, "input[type=radio]").await;
        assert!(radio.is_displayed().await.unwrap(), "{host}");
    }

    // Keyboard alone, from the top of the fresh page: Tab into the first widget, arrow to the next fabric, Tab to the
    // order button, Space.
    let focused = tab_until(driver, "input").await;
    assert_eq!(focused["host"], json!("first"));
    assert_eq!(
        focused["outline"],
        json!(true),
        "keyboard focus is visible: {focused}"
    );
    let group = focused["group"].as_str().unwrap().to_string();
    let before = checked(driver, "#first", &group).await;
    driver
        .action_chain()
        .send_keys(Key::Down)
        .perform()
        .await
        .unwrap();
    wait_for(
        driver,
        "an arrow key choosing the next value",
        "const v = document.querySelector('#first').shadowRoot
            .querySelector(`fieldset[data-group='${arguments[0]}'] input:checked`)?.value;
         return v && v !== arguments[1] ? v : null;",
        vec![json!(group), before.clone()],
    )
    .await;
    promise_changed(driver, "#first", "").await;
    let order = tab_until(driver, "button.c2m-order").await;
    assert_eq!(order["host"], json!("first"));
    driver.action_chain().send_keys(" ").perform().await.unwrap();
    let carts = wait_for(
        driver,
        "the keyboard's add-to-cart",
        "return window.__c2m.cart.length ? window.__c2m.cart : null;",
        vec![],
    )
    .await;
    assert_eq!(carts[0]["product"], json!("weekender-bag"));
    assert_ne!(carts[0]["selection"][&group], json!([before]));
    assert_label_is_text(driver, "#first", "black").await;

    // The sneaker's bordeaux nubuck has no supply: disabled, with a one-click way out.
    let bordeaux = inside(driver, "#second", "[data-value='bordeaux-nubuck'] input").await;
    assert!(!bordeaux.is_enabled().await.unwrap());
    let fabric_before = checked(driver, "#first", "fabric").await;
    inside(driver, "#second", "[data-value='bordeaux-nubuck'] .c2m-switch")
        .await
        .click()
        .await
        .unwrap();
    wait_for(
        driver,
        "the alternative chosen",
        "return document.querySelector('#second').shadowRoot
            .querySelector(`[data-value='white-leather'] input`)?.checked;",
        vec![],
    )
    .await;
    assert_eq!(
        checked(driver, "#first", "fabric").await,
        fabric_before,
        "choosing in one widget changed the other"
    );
    assert_eq!(promise(driver, "#first").await, first_promise);

    // A slower sole moves the sneaker's promise and leaves the bag's alone.
    let before = promise(driver, "#second").await;
    inside(driver, "#second", "[data-value='eva-runner'] input")
        .await
        .click()
        .await
        .unwrap();
    let slower = promise_changed(driver, "#second", &before).await;
    assert_ne!(slower, second_promise);
    assert_eq!(promise(driver, "#first").await, first_promise);

    // Heat from both widgets arrives: two views, the keyboard's preorder.
    let session = run(driver, "return sessionStorage.getItem('c2m_session');", vec![])
        .await
        .as_str()
        .expect("a session id")
        .to_string();
    heat_arrives(&app, &session, "view", 2).await;
    heat_arrives(&app, &session, "preorder", 1).await;
    heat_arrives(&app, &session, "option_select", 3).await;

    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_groups_radios_and_announces_new_estimates_politely() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(app.url("/third-party/")).await.unwrap();
    let first = promise(driver, WIDGET).await;

    // Every single-choice group is a named radio group: one `name` for all its radios
    // (so the browser makes it one tab stop with arrow keys inside) and one checked.
    let groups = run(
        driver,
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         return [...r.querySelectorAll('fieldset[role=radiogroup]')].map(f => {
           const radios = [...f.querySelectorAll('input')];
           return {
             legend: f.querySelector('legend')?.textContent.trim() ?? '',
             radios: radios.length,
             all_radio: radios.every(i => i.type === 'radio'),
             names: new Set(radios.map(i => i.name)).size,
             name: radios[0]?.name ?? '',
             checked: radios.filter(i => i.checked).length,
           };
         });",
        vec![],
    )
    .await;
    let groups = groups.as_array().expect("a list of groups");
    assert!(groups.len() >= 2, "{groups:?}");
    for group in groups {
        assert!(group["legend"].as_str().is_some_and(|l| !l.is_empty()), "{group}");
        assert!(group["radios"].as_u64() >= Some(2), "{group}");
        assert_eq!(group["all_radio"], json!(true), "{group}");
        assert_eq!(group["names"], json!(1), "{group}");
        assert_eq!(group["checked"], json!(1), "{group}");
    }

    // One polite, atomic live region holds the promise from the start; what it is told
    // is recorded from here on.
    let region = run(
        driver,
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         const live = [...r.querySelectorAll('[aria-live]')];
         window.__region = live[0];
         window.__announced = [];
         new MutationObserver(() => window.__announced.push(window.__region.textContent.trim()))
           .observe(window.__region, { subtree: true, childList: true, characterData: true });
         return live.map(e => ({
           live: e.getAttribute('aria-live'),
           atomic: e.getAttribute('aria-atomic'),
           promise: e.querySelector('.c2m-promise')?.textContent.trim() ?? null,
         }));",
        vec![],
    )
    .await;
    assert_eq!(
        region,
        json!([{ "live": "polite", "atomic": "true", "promise": first }]),
        "one polite region with the promise"
    );

    // Arrow keys move the choice within the focused group, and back.
    let group = "fabric";
    let before = checked(driver, WIDGET, group).await;
    run(
        driver,
        "document.querySelector('c2m-configurator').shadowRoot
           .querySelector(`fieldset[data-group='${arguments[0]}'] input:checked`).focus();",
        vec![json!(group)],
    )
    .await;
    driver
        .action_chain()
        .send_keys(Key::Down)
        .perform()
        .await
        .unwrap();
    let moved = wait_for(
        driver,
        "Down choosing the next value",
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         const v = r.querySelector(`fieldset[data-group='${arguments[0]}'] input:checked`)?.value;
         return v && v !== arguments[1] && r.activeElement?.value === v && !r.querySelector('.c2m-pending')
           ? v : null;",
        vec![json!(group), before.clone()],
    )
    .await;
    // Tab leaves the group: its radios are one stop.
    driver.action_chain().send_keys(Key::Tab).perform().await.unwrap();
    let next = run(
        driver,
        "const a = document.querySelector('c2m-configurator').shadowRoot.activeElement;
         return a ? { radio: a.type === 'radio', name: a.name ?? null } : null;",
        vec![],
    )
    .await;
    let name = groups[0]["name"].clone();
    assert!(
        !(next["radio"] == json!(true) && next["name"] == name),
        "Tab stayed in the radio group: {next}"
    );
    run(
        driver,
        "document.querySelector('c2m-configurator').shadowRoot
           .querySelector(`fieldset[data-group='${arguments[0]}'] input:checked`).focus();",
        vec![json!(group)],
    )
    .await;
    driver.action_chain().send_keys(Key::Up).perform().await.unwrap();
    wait_for(
        driver,
        "Up choosing the previous value again",
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         return r.querySelector(`fieldset[data-group='${arguments[0]}'] input:checked`)?.value === arguments[1]
           && !r.querySelector('.c2m-pending');",
        vec![json!(group), before],
    )
    .await;
    assert_ne!(moved, json!(null));

    // A slower value: the same region (not a new one) is told the new promise.
    inside(driver, WIDGET, "[data-value='indigo-linen'] input")
        .await
        .click()
        .await
        .unwrap();
    let slower = promise_changed(driver, WIDGET, &first).await;
    let told = wait_for(
        driver,
        "the new promise announced in the live region",
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         const same = r.querySelector('[aria-live]') === window.__region && window.__region.isConnected;
         return same && window.__announced.some(t => t.includes(arguments[0])) ? window.__announced : null;",
        vec![json!(slower)],
    )
    .await;
    assert!(!told.as_array().unwrap().is_empty());
    browser.driver.clone().quit().await.unwrap();
}

/// The label of `value` in the widget `host` shows the merchant's markup as text: no
/// element was made from it and none of its script ran.
async fn assert_label_is_text(driver: &WebDriver, host: &str, value: &str) {
    assert_eq!(
        text(driver, host, &format!("[data-value='{value}'] .c2m-label")).await,
        json!(MARKUP)
    );
    let parsed = run(
        driver,
        "return document.querySelector(arguments[0]).shadowRoot
            .querySelectorAll('.c2m-label *').length;",
        vec![json!(host)],
    )
    .await;
    assert_eq!(parsed, json!(0));
    assert_eq!(
        run(driver, "return window.__xss ?? null;", vec![]).await,
        json!(null)
    );
}

/// Presses Tab until focus is on an element matching `css` inside a widget; returns
/// which widget, the group of the focused control and whether its focus ring shows.
async fn tab_until(driver: &WebDriver, css: &str) -> serde_json::Value {
    for _ in 0..60 {
        driver.action_chain().send_keys(Key::Tab).perform().await.unwrap();
        let at = run(
            driver,
            "const host = document.activeElement;
             const inner = host?.shadowRoot?.activeElement;
             if (!inner || !inner.matches(arguments[0])) return null;
             const style = getComputedStyle(inner);
             return {
               host: host.id,
               group: inner.closest('fieldset')?.dataset.group ?? null,
               outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
             };",
            vec![json!(css)],
        )
        .await;
        if !at.is_null() {
            return at;
        }
    }
    panic!("Tab never reached `{css}` in a widget");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_says_what_went_wrong_and_recovers() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver.goto(app.url("/third-party/")).await.unwrap();
    let before = promise(driver, WIDGET).await;
    run(
        driver,
        "window.__errors = [];
         const log = console.error.bind(console);
         console.error = (...args) => { window.__errors.push(String(args[0])); log(...args); };
         window.__fetch = window.fetch;
         window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
         Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });",
        vec![],
    )
    .await;

    // Offline: the change cannot be quoted; the old estimates stay, it says so, and
    // nothing can be ordered on a stale promise.
    inside(driver, WIDGET, "[data-value='indigo-linen'] input")
        .await
        .click()
        .await
        .unwrap();
    let status = wait_for(
        driver,
        "the offline message",
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         return r.querySelector('.c2m-pending') ? null : r.querySelector('.c2m-status-text')?.textContent;",
        vec![],
    )
    .await;
    assert!(status.as_str().unwrap().contains("offline"), "{status}");
    assert_eq!(text(driver, WIDGET, ".c2m-promise").await, json!(before));
    assert!(
        !inside(driver, WIDGET, ".c2m-order")
            .await
            .is_enabled()
            .await
            .unwrap()
    );
    let errors = run(
        driver,
        "return window.__errors.filter(e => e.startsWith('c2m:'));",
        vec![],
    )
    .await;
    assert_eq!(errors.as_array().unwrap().len(), 1, "logged once: {errors}");

    // Back online: it asks again by itself.
    run(
        driver,
        "window.fetch = window.__fetch;
         delete navigator.onLine;
         window.dispatchEvent(new Event('online'));",
        vec![],
    )
    .await;
    let after = promise_changed(driver, WIDGET, &before).await;
    assert!(after.starts_with("Delivery: "), "{after}");
    assert_eq!(text(driver, WIDGET, ".c2m-status-text").await, json!(""));
    assert!(
        inside(driver, WIDGET, ".c2m-order")
            .await
            .is_enabled()
            .await
            .unwrap()
    );

    // A widget mounted by script with a wrong key explains itself inside its element;
    // the page around it carries on.
    run(
        driver,
        "const el = document.createElement('div');
         el.id = 'scripted';
         document.querySelector('.configure').append(el);
         C2M.mount(el, { product: 'weekender-bag', key: 'pk_wrong' });",
        vec![],
    )
    .await;
    let message = wait_for(
        driver,
        "the scripted widget's error",
        "return document.querySelector('#scripted').shadowRoot?.querySelector('.c2m-error')?.textContent;",
        vec![],
    )
    .await;
    assert!(message.as_str().unwrap().contains("API key"), "{message}");
    assert_eq!(
        run(driver, "return document.querySelector('h1').textContent;", vec![]).await,
        json!("The Weekender")
    );
    assert_eq!(text(driver, WIDGET, ".c2m-promise").await, json!(after));
    browser.driver.clone().quit().await.unwrap();
}

/// A host page whose CSP allows no inline style or script (only its own origin, and
/// wasm compilation) runs the widget fully styled and breaks none of its rules: the
/// widget's styles are a constructed stylesheet, not a `<style>` element.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_works_under_a_strict_host_page_policy() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    driver
        .goto(app.url("/third-party/strict-csp.html"))
        .await
        .unwrap();
    let shown = promise(driver, "#strict").await;
    assert!(shown.starts_with("Delivery: "), "{shown}");

    let styled = run(
        driver,
        "const r = document.querySelector('#strict').shadowRoot;
         const group = r.querySelector('fieldset.c2m-group');
         const legend = r.querySelector('fieldset.c2m-group legend');
         return {
           styles: r.querySelectorAll('style').length,
           adopted: r.adoptedStyleSheets.length,
           radius: getComputedStyle(group).borderTopLeftRadius,
           legendWeight: getComputedStyle(legend).fontWeight,
           violations: window.__violations,
         };",
        vec![],
    )
    .await;
    assert_eq!(styled["styles"], json!(0), "{styled}");
    assert_eq!(styled["adopted"], json!(1), "{styled}");
    // Values the configurator's stylesheet sets: rounded groups, bold legends.
    assert_eq!(styled["radius"], json!("8px"), "{styled}");
    assert_eq!(styled["legendWeight"], json!("600"), "{styled}");
    assert_eq!(styled["violations"], json!([]), "{styled}");

    // Still live under the policy: choosing another value is quoted and told to the
    // page.
    listen(driver).await;
    let next = inside(
        driver,
        "#strict",
        "fieldset.c2m-group input:not(:checked):not(:disabled)",
    )
    .await;
    next.click().await.unwrap();
    wait_for(
        driver,
        "the change event after a choice",
        "return window.__c2m.change.length ? window.__c2m.change : null;",
        vec![],
    )
    .await;
    promise_changed(driver, "#strict", "").await;
    let violations = run(driver, "return window.__violations;", vec![]).await;
    assert_eq!(violations, json!([]));
}
