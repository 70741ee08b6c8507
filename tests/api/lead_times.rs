//! Promises that learn: receipts teach a supplier's lead time, quotes wait for the
//! learned figure (and for the declared one again when learning is off), an order's
//! "arrives by" date is the shop's promise quantile, and the supply page shows declared
//! against learned with the receipts behind it.

use c2m_tests::{TestApp, on_both_databases, seed_noon};
use chrono::{Duration, NaiveDate};
use engine::supply::median_day;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::DEMO_PUBLISHABLE_KEY;
use server::service::supply::{self, InboundAction, NewPurchaseOrder};
use server::store::Actor;
use server::store::entities::{inbound, materials, stock, supplier_materials, suppliers};

use crate::admin_settings::{accepted, audited, get, post_form, refusal_of};
use crate::orders::{NAVY, arranged, date, only_navy_for, shop, weekender};

on_both_databases!(
    receipts_teach_a_late_supplier_and_quotes_wait_for_it,
    the_promise_setting_moves_the_arrives_by_date_and_refusals_change_nothing,
    the_api_reads_lead_times_a_page_at_a_time_and_sets_promises,
    a_line_past_its_date_is_expected_for_what_is_left_of_its_lead_time,
);

const SUPPLY: &str = "/admin/supply";

async fn quote(app: &TestApp) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(&json!({"product": "weekender-bag", "selection": weekender(), "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Days from the quote's day to the day navy canvas is expected at the workshop.
fn navy_wait(quote: &Value) -> i64 {
    let constraint = &quote["constraint"];
    assert_eq!(constraint["kind"], "material", "{quote}");
    assert_eq!(constraint["material"], NAVY, "{quote}");
    (date(&constraint["until"]) - date(&quote["quoted_on"])).num_days()
}

/// Navy's supplier offer: (supplier code, declared mean, pack-and-minimum quantity).
async fn navy_offer(app: &TestApp) -> (String, f64, i64) {
    let navy = materials::Entity::find()
        .filter(materials::Column::Sku.eq(NAVY))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let offer = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.eq(navy.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("navy has a supplier");
    let supplier = suppliers::Entity::find_by_id(offer.supplier_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let quantity = (offer.moq.max(offer.pack_size) + offer.pack_size - 1) / offer.pack_size * offer.pack_size;
    (supplier.code, offer.lead_time_mean_days, quantity)
}

/// A confirmed purchase order of navy canvas from `supplier`, placed today and due
/// `declared` days later, as the merchant would enter it; its id.
async fn order_navy(app: &TestApp, supplier: &str, quantity: i64, declared: f64) -> i64 {
    let shop_id = shop(app).await.id;
    let today = seed_noon().date_naive();
    let po = NewPurchaseOrder {
        supplier: supplier.into(),
        sku: NAVY.into(),
        node: "FB".into(),
        quantity,
        eta: today + Duration::days(declared.ceil() as i64),
        reference: String::new(),
    };
    let row = supply::create_purchase_order(app.write(shop_id, Actor::merchant(1)).await, &po, today)
        .await
        .expect("a draft");
    supply::act_on_inbound(
        app.write(shop_id, Actor::merchant(1)).await,
        row.id,
        InboundAction::Confirm,
    )
    .await
    .expect("confirmed");
    row.id
}

/// Receives purchase-order `lines` today.
async fn receive(app: &TestApp, lines: &[i64]) {
    let shop_id = shop(app).await.id;
    for id in lines {
        supply::act_on_inbound(
            app.write(shop_id, Actor::merchant(1)).await,
            *id,
            InboundAction::Receive,
        )
        .await
        .expect("received");
    }
}

/// Empties navy canvas's shelves, so quotes wait for what is on its way.
async fn use_up_navy(app: &TestApp, navy_id: i64) {
    stock::Entity::update_many()
        .col_expr(stock::Column::OnHand, Expr::value(0))
        .col_expr(stock::Column::Reserved, Expr::value(0))
        .filter(stock::Column::MaterialId.eq(navy_id))
        .exec(&app.db)
        .await
        .unwrap();
    arranged(app).await;
}

async fn receipts_teach_a_late_supplier_and_quotes_wait_for_it(app: TestApp) {
    app.sign_in().await;
    let (navy_id, _) = only_navy_for(&app, 0).await;
    let (supplier, declared, quantity) = navy_offer(&app).await;
    let declared_wait = navy_wait(&quote(&app).await);
    assert_eq!(
        declared_wait,
        i64::from(median_day(declared)),
        "a new order, on declared terms"
    );

    // Eight purchase orders placed today arrive six days later than declared.
    let late = declared.ceil() as i64 + 6;
    let shop_id = shop(&app).await.id;
    let today = seed_noon().date_naive();
    let mut lines = Vec::new();
    for _ in 0..8 {
        lines.push(order_navy(&app, &supplier, quantity, declared).await);
    }
    app.set_now(seed_noon() + Duration::days(late));
    // Weeks later: the morning's session has ended.
    app.sign_in().await;
    receive(&app, &lines).await;
    let received = inbound::Entity::find()
        .filter(inbound::Column::Id.is_in(lines.clone()))
        .all(&app.db)
        .await
        .unwrap();
    for line in &received {
        assert_eq!(line.ordered_on, Some(today), "{line:?}");
        assert_eq!(line.received_on, Some(today + Duration::days(late)), "{line:?}");
    }

    // What arrived is used up again, so the next quote waits for a new order.
    use_up_navy(&app, navy_id).await;
    let rows = supply::lead_time_rows(&app.db, shop_id, today + Duration::days(late))
        .await
        .unwrap();
    let row = rows.iter().find(|r| r.sku == NAVY).expect("navy's offer");
    assert_eq!(row.receipts.len(), 8);
    assert_eq!(row.declared_mean, declared);
    // The declared figure counts as three receipts against the eight late ones.
    let expected = (3.0 * declared + 8.0 * late as f64) / 11.0;
    assert!(
        (row.learned_mean - expected).abs() < 1e-9,
        "{row:?}, expected {expected}"
    );
    let learned_wait = navy_wait(&quote(&app).await);
    // 14.4 days learned: the median whole day is the 14th (rounding up would say 15).
    assert_eq!(
        learned_wait,
        i64::from(median_day(row.learned_mean)),
        "quotes wait for the learned lead time, to its median whole day"
    );
    assert_eq!(learned_wait, row.learned_mean.round() as i64);
    assert!(learned_wait > declared_wait);

    let page = get(&app, SUPPLY).await;
    let key = format!("data-lead-time=\"{supplier}/{NAVY}\"");
    assert!(page.contains(&key), "the supply page lists navy's offer");
    assert!(page.contains("data-evidence=\"8\""), "with its eight receipts");
    assert!(
        page.contains(&format!("{:.1} ± ", row.learned_mean)),
        "and the learned mean"
    );

    // Learning off: the declared figures again, at once.
    accepted(&post_form(&app, "/_fn/admin/save_promises", SUPPLY, &[("percent", "97")]).await);
    assert!(!shop(&app).await.learn_lead_times);
    assert_eq!(navy_wait(&quote(&app).await), declared_wait);
}

async fn the_promise_setting_moves_the_arrives_by_date_and_refusals_change_nothing(app: TestApp) {
    app.sign_in().await;
    only_navy_for(&app, 0).await;
    let usual = quote(&app).await;
    let estimate = &usual["estimate"];
    let (p90, promised) = (date(&estimate["p90"]), date(&estimate["promised"]));
    assert!(promised >= p90, "97 % is not before 90 %: {estimate}");
    assert_eq!(shop(&app).await.promise_permille, 970);

    let before = shop(&app).await;
    for (percent, says) in [
        ("120", "between 50 %"),
        ("40 %", "between 50 %"),
        ("very", "is not"),
    ] {
        let response = post_form(
            &app,
            "/_fn/admin/save_promises",
            SUPPLY,
            &[("percent", percent), ("learn", "on")],
        )
        .await;
        let shown = refusal_of(&app, &response, "percent").await;
        assert!(shown.contains(says), "{percent}: {shown}");
    }
    assert_eq!(shop(&app).await, before, "refusals change nothing");
    assert!(audited(&app, "shop.promises").await.is_empty());

    accepted(
        &post_form(
            &app,
            "/_fn/admin/save_promises",
            SUPPLY,
            &[("percent", "99.9 %"), ("learn", "on")],
        )
        .await,
    );
    let after = shop(&app).await;
    assert_eq!(after.promise_permille, 999);
    assert!(after.state_version > before.state_version, "quotes change");
    assert_eq!(audited(&app, "shop.promises").await.len(), 1);
    let surer = quote(&app).await;
    let surer_promise: NaiveDate = date(&surer["estimate"]["promised"]);
    assert!(surer_promise >= promised, "{surer_promise} vs {promised}");
    assert_eq!(
        surer["estimate"]["p50"], estimate["p50"],
        "the median does not move"
    );
    // The quote's token binds the date the order will commit to.
    let order = json!({
        "reference": "SURE-1", "product": "weekender-bag", "selection": weekender(),
        "quantity": 1, "quote_token": surer["quote_token"],
    });
    let placed = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(server::seed::DEMO_SECRET_KEY)
        .json(&order)
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    let placed: Value = placed.json().await.unwrap();
    assert_eq!(date(&placed["promised_on"]), surer_promise, "{placed}");
}

async fn secret(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, app.url(path))
        .bearer_auth(server::seed::DEMO_SECRET_KEY);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn the_api_reads_lead_times_a_page_at_a_time_and_sets_promises(app: TestApp) {
    use reqwest::Method;
    let (status, promises) = secret(&app, Method::GET, "/api/v1/settings/promises", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        promises,
        json!({"promise_quantile": 0.97, "learn_lead_times": true})
    );

    let before = shop(&app).await;
    for (body, field) in [
        (
            json!({"promise_quantile": 1.5, "learn_lead_times": true}),
            "promise_quantile",
        ),
        (
            json!({"promise_quantile": 0.4, "learn_lead_times": true}),
            "promise_quantile",
        ),
        (
            json!({"promise_quantile": 0.9, "learn_lead_times": true, "confidence": 1}),
            "confidence",
        ),
    ] {
        let (status, problem) =
            secret(&app, Method::PUT, "/api/v1/settings/promises", Some(body.clone())).await;
        assert_eq!(status, 422, "{body}");
        let named = problem["errors"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(named.contains(field), "{body}: {problem}");
    }
    assert_eq!(shop(&app).await, before, "refusals change nothing");
    let wanted = json!({"promise_quantile": 0.99, "learn_lead_times": false});
    let (status, set) = secret(
        &app,
        Method::PUT,
        "/api/v1/settings/promises",
        Some(wanted.clone()),
    )
    .await;
    assert_eq!((status, &set), (200, &wanted));
    let after = shop(&app).await;
    assert_eq!((after.promise_permille, after.learn_lead_times), (990, false));
    assert!(after.state_version > before.state_version);
    assert_eq!(audited(&app, "shop.promises").await.len(), 1);

    let offers = supplier_materials::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    let mut seen = Vec::new();
    let mut path = "/api/v1/lead-times?limit=4".to_string();
    loop {
        let (status, page) = secret(&app, Method::GET, &path, None).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 4);
        for item in items {
            assert!(item["declared"]["mean"].as_f64().unwrap() > 0.0, "{item}");
            assert_eq!(item["learned"], item["declared"], "no receipts yet: {item}");
            seen.push(format!("{}/{}", item["supplier"], item["material"]));
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/lead-times?limit=4&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), offers, "every offer once: {seen:?}");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), offers);
}

async fn a_line_past_its_date_is_expected_for_what_is_left_of_its_lead_time(app: TestApp) {
    app.sign_in().await;
    let (navy_id, _) = only_navy_for(&app, 0).await;
    let (supplier, declared, quantity) = navy_offer(&app).await;
    // A supplier's record: of eight orders, four come two days late and four ten days
    // late. A ninth, placed with them, has not come twenty days on.
    let declared_days = declared.ceil() as i64;
    let mut record = Vec::new();
    for _ in 0..8 {
        record.push(order_navy(&app, &supplier, quantity, declared).await);
    }
    let open = order_navy(&app, &supplier, quantity, declared).await;
    for (late, lines) in [(2, &record[..4]), (10, &record[4..])] {
        app.set_now(seed_noon() + Duration::days(declared_days + late));
        app.sign_in().await;
        receive(&app, lines).await;
    }
    let waited = declared_days + 10;
    use_up_navy(&app, navy_id).await;
    let shop_id = shop(&app).await.id;
    let today = seed_noon().date_naive() + Duration::days(waited);
    let row = supply::lead_time_rows(&app.db, shop_id, today)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.sku == NAVY)
        .expect("navy's offer");
    assert!(
        row.learned_mean < waited as f64 && row.learned_sd > 2.0,
        "the open order has waited past the learned mean, which spreads: {row:?}"
    );

    // It is not due today for certain: a supplier whose orders ran late is expected
    // to run later still, and how much later is uncertain.
    let reference = inbound::Entity::find_by_id(open)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .reference;
    let learning = quote(&app).await;
    assert!(navy_arrives(&learning, &reference) >= 1, "{learning}");
    let estimate = &learning["estimate"];
    assert!(
        estimate["lead_days_p90"].as_u64() > estimate["lead_days_p50"].as_u64(),
        "{estimate}"
    );

    // Not learning, its date is taken as given: past it, the line is due today.
    accepted(&post_form(&app, "/_fn/admin/save_promises", SUPPLY, &[("percent", "97")]).await);
    let given = quote(&app).await;
    assert_eq!(navy_arrives(&given, &reference), 0, "{given}");
}

/// Days from the quote's day to the day purchase order `reference` brings the navy
/// canvas the quote would use.
fn navy_arrives(quote: &Value, reference: &str) -> i64 {
    let navy = quote["fulfilment"]["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["sku"] == NAVY)
        .expect("navy canvas is used");
    let source = &navy["sources"][0];
    assert_eq!(
        (source["kind"].as_str(), source["reference"].as_str()),
        (Some("inbound"), Some(reference)),
        "it comes with the open order, not a new one: {navy}"
    );
    (date(&source["arrives"]) - date(&quote["quoted_on"])).num_days()
}
