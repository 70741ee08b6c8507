//! `POST /api/v1/events`: presale heat from the widget (issue 4, "Heat from the widget")
//! and its ingestion (issue 6): whole batches or nothing unless partial acceptance is
//! asked for, once per event id, GA4's names, beacons with the key in a text body, the
//! shop's origins checked on the server, and rollups per hour and day that count every
//! stored event once.

use c2m_tests::{TestApp, on_both_databases, seed_noon};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};
use server::store::entities::{
    heat_daily, heat_events, heat_hourly, nodes, option_groups, option_values, products, shops,
};

on_both_databases!(
    a_batch_is_stored_one_row_per_event,
    a_replayed_batch_stores_nothing_twice,
    a_configuration_is_stored_once_and_counted_for_each_of_its_values,
    invalid_events_name_the_field_and_store_nothing,
    one_bad_event_refuses_the_whole_batch,
    with_partial_acceptance_the_valid_events_are_stored_and_the_bad_ones_listed,
    ga4_event_names_and_item_variants_are_accepted,
    concurrent_batches_are_all_stored_and_counted_once,
    a_beacon_with_the_key_in_a_text_body_is_accepted,
    a_foreign_origin_is_refused_and_nothing_is_stored,
    an_allowed_origin_is_accepted_with_cors_headers,
    a_batch_without_a_live_key_is_refused,
    other_content_types_are_refused_with_415,
    a_body_over_512_kb_is_refused_with_413,
    purchases_are_refused_from_publishable_keys,
    a_key_cannot_post_events_for_another_shops_product,
);

const ALLOWED: &str = "http://localhost:3000";
const FOREIGN: &str = "https://evil.example";
/// Sessions of the test's events; the seeded history's are hexadecimal.
const SESSION: &str = "t_session_1";
const PRODUCT: &str = "weekender-bag";

fn view(id: &str) -> Value {
    json!({"id": id, "kind": "view", "product": PRODUCT, "session": SESSION})
}

fn select(id: &str, group: &str, value: &str) -> Value {
    json!({"id": id, "kind": "option_select", "product": PRODUCT, "group": group, "value": value, "session": SESSION})
}

fn add_to_cart(id: &str) -> Value {
    json!({
        "id": id, "kind": "add_to_cart", "product": PRODUCT, "session": SESSION,
        "selection": {"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"],
                      "lining": ["cotton"], "extras": ["monogram", "strap"]},
    })
}

fn batch(events: &[Value]) -> Value {
    json!({ "events": events })
}

/// Posts `body` as JSON with the demo publishable key from a page of the server's own
/// origin (as the demo storefront does).
async fn post(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", &app.base_url)
        .json(body)
        .send()
        .await
        .expect("the server answers")
}

/// Posts `body` as `navigator.sendBeacon` does: a text body, no `Authorization`.
async fn beacon(app: &TestApp, origin: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/events"))
        .header("Content-Type", "text/plain;charset=UTF-8")
        .header("Origin", origin)
        .body(body.to_string())
        .send()
        .await
        .expect("the server answers")
}

async fn ok(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.unwrap()
}

/// The problem of a refused request with `status`.
async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    response.json().await.unwrap()
}

/// The rows the test's events made (not the seeded history's), by id (sorted here:
/// PostgreSQL's collation may order text otherwise).
async fn rows(app: &TestApp) -> Vec<heat_events::Model> {
    let mut rows = heat_events::Entity::find()
        .filter(heat_events::Column::SessionId.starts_with("t_"))
        .all(&app.db)
        .await
        .unwrap();
    rows.sort_by(|a, b| a.event_id.cmp(&b.event_id));
    rows
}

/// The row id of the weekender's value `code` (codes are unique within its groups).
async fn value_id(app: &TestApp, code: &str) -> i64 {
    let product = products::Entity::find()
        .filter(products::Column::Slug.eq(PRODUCT))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the weekender");
    let groups: Vec<i64> = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(product.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    option_values::Entity::find()
        .filter(option_values::Column::GroupId.is_in(groups))
        .filter(option_values::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the value")
        .id
}

fn time(at: &str) -> DateTime<Utc> {
    at.parse().expect("an RFC 3339 time")
}

async fn a_batch_is_stored_one_row_per_event(app: TestApp) {
    let mut favorite = view("fav-0001");
    favorite["kind"] = json!("favorite");
    let mut earlier = select("sel-0001", "fabric", "sand-canvas");
    earlier["occurred_at"] = json!("2026-11-25T11:00:00+01:00");
    let receipt = ok(post(&app, &batch(&[view("view-0001"), earlier, favorite])).await).await;
    assert_eq!(receipt, receipt_of(3, 3));

    let rows = rows(&app).await;
    let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["favorite", "option_select", "view"]);
    let [favorite, selected, viewed] = &rows[..] else {
        unreachable!()
    };
    assert_eq!(
        selected.option_value_id,
        Some(value_id(&app, "sand-canvas").await)
    );
    assert_eq!(selected.occurred_at, time("2026-11-25T10:00:00Z"));
    assert_eq!((viewed.option_value_id, favorite.option_value_id), (None, None));
    assert_eq!(viewed.occurred_at, seed_noon(), "no time sent: the server's");
    assert_eq!(
        viewed.origin.as_deref(),
        Some(app.base_url.as_str()),
        "the page's origin is kept"
    );
    assert_eq!(viewed.session_id, SESSION);
}

async fn a_replayed_batch_stores_nothing_twice(app: TestApp) {
    let first = batch(&[view("view-0001"), select("sel-0001", "trim", "cognac")]);
    assert_eq!(ok(post(&app, &first).await).await["stored"], 2);
    let again = ok(post(&app, &first).await).await;
    assert_eq!(again, receipt_of(2, 0));
    assert_eq!(rows(&app).await.len(), 2);

    // A retried batch that gained an event stores only that one; an id repeated
    // within a batch is stored once.
    let grown = batch(&[view("view-0001"), view("view-0002"), view("view-0002")]);
    assert_eq!(ok(post(&app, &grown).await).await, receipt_of(3, 1));
    assert_eq!(rows(&app).await.len(), 3);
}

/// The receipt of a fully accepted batch.
fn receipt_of(received: usize, stored: u64) -> Value {
    json!({"received": received, "accepted": received, "stored": stored, "rejected": []})
}

/// The test's rollup counts of `kind` today (the seeded history ends yesterday): per
/// option value id (0: the product), from the daily and the hourly table.
async fn counted(app: &TestApp, kind: &str) -> (Vec<(i64, i64)>, Vec<(i64, i64)>) {
    let today = seed_noon().date_naive();
    let mut daily: Vec<(i64, i64)> = heat_daily::Entity::find()
        .filter(heat_daily::Column::Kind.eq(kind))
        .filter(heat_daily::Column::Day.eq(today))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.option_value_id, r.count))
        .collect();
    let mut hourly: Vec<(i64, i64)> = heat_hourly::Entity::find()
        .filter(heat_hourly::Column::Kind.eq(kind))
        .filter(heat_hourly::Column::Hour.gte(seed_noon() - Duration::hours(12)))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.option_value_id, r.count))
        .collect();
    daily.sort_unstable();
    hourly.sort_unstable();
    (daily, hourly)
}

async fn a_configuration_is_stored_once_and_counted_for_each_of_its_values(app: TestApp) {
    let cart = batch(&[add_to_cart("cart-0001")]);
    assert_eq!(ok(post(&app, &cart).await).await, receipt_of(1, 1));
    let rows = rows(&app).await;
    assert_eq!(rows.len(), 1, "one row per event");
    assert_eq!(rows[0].kind, "add_to_cart");
    assert_eq!(rows[0].option_value_id, None);
    let variant = rows[0].variant.as_deref().expect("the configuration is kept");
    let mut parts: Vec<&str> = variant.split(',').collect();
    parts.sort_unstable();
    assert_eq!(
        parts,
        [
            "extras.monogram",
            "extras.strap",
            "fabric.navy-canvas",
            "hardware.brass",
            "lining.cotton",
            "trim.tan",
        ]
    );

    let mut expected = vec![(0, 1)];
    for code in ["navy-canvas", "tan", "brass", "cotton", "monogram", "strap"] {
        expected.push((value_id(&app, code).await, 1));
    }
    expected.sort_unstable();
    let (daily, hourly) = counted(&app, "add_to_cart").await;
    assert_eq!(
        daily, expected,
        "one count for the product and one per chosen value"
    );
    assert_eq!(hourly, expected);

    assert_eq!(ok(post(&app, &cart).await).await["stored"], 0);
    assert_eq!(self::rows(&app).await.len(), 1, "a replay adds no row");
    assert_eq!(
        counted(&app, "add_to_cart").await.0,
        expected,
        "a replay counts nothing"
    );
}

async fn invalid_events_name_the_field_and_store_nothing(app: TestApp) {
    let with = |f: &dyn Fn(&mut Value)| {
        let mut event = view("view-0002");
        f(&mut event);
        batch(&[view("view-0001"), event])
    };
    let ahead = (seed_noon() + Duration::hours(25)).to_rfc3339();
    let old = (seed_noon() - Duration::days(31)).to_rfc3339();
    let cases: Vec<(Value, &str)> = vec![
        (with(&|e| e["kind"] = json!("click")), "events[1].kind"),
        (with(&|e| e["kind"] = json!("purchase")), "events[1].kind"),
        (with(&|e| e["id"] = json!("short")), "events[1].id"),
        (with(&|e| e["id"] = json!("view:0002")), "events[1].id"),
        (
            with(&|e| e["product"] = json!("no-such-bag")),
            "events[1].product",
        ),
        (with(&|e| e["group"] = json!("fabric")), "events[1].group"),
        (with(&|e| e["value"] = json!("navy-canvas")), "events[1].value"),
        (with(&|e| e["kind"] = json!("option_select")), "events[1].group"),
        (
            with(&|e| *e = select("sel-0001", "colour", "navy")),
            "events[1].group",
        ),
        (
            with(&|e| *e = select("sel-0001", "fabric", "plaid")),
            "events[1].value",
        ),
        (
            with(&|e| {
                *e = add_to_cart("cart-0001");
                e["selection"]["fabric"] = json!(["plaid"]);
            }),
            "events[1].selection.fabric[0]",
        ),
        (
            with(&|e| {
                *e = add_to_cart("cart-0001");
                e["selection"].as_object_mut().unwrap().remove("trim");
            }),
            "events[1].selection.trim",
        ),
        (
            with(&|e| e["selection"] = json!({"fabric": ["navy-canvas"]})),
            "events[1].selection",
        ),
        (with(&|e| e["session"] = json!("")), "events[1].session"),
        (with(&|e| e["session"] = json!("s 1")), "events[1].session"),
        (
            with(&|e| e["occurred_at"] = json!(ahead)),
            "events[1].occurred_at",
        ),
        (with(&|e| e["occurred_at"] = json!(old)), "events[1].occurred_at"),
        (
            with(&|e| e["occurred_at"] = json!("yesterday")),
            "events[1].occurred_at",
        ),
        (with(&|e| e["colour"] = json!("navy")), "events[1].colour"),
        (batch(&[]), "events"),
        (
            batch(
                &(0..501)
                    .map(|i| view(&format!("view-{i:04}")))
                    .collect::<Vec<_>>(),
            ),
            "events",
        ),
        (json!({"events": [view("view-0001")], "extra": 1}), "extra"),
    ];
    for (body, field) in cases {
        let problem = problem(post(&app, &body).await, 422).await;
        assert_eq!(problem["type"], "https://c2m.dev/problems/invalid-request");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    assert!(rows(&app).await.is_empty());
}

async fn one_bad_event_refuses_the_whole_batch(app: TestApp) {
    let mut events = vec![
        view("view-0001"),
        select("sel-0001", "fabric", "navy-canvas"),
        add_to_cart("cart-0001"),
        view("view-0002"),
        select("sel-0002", "fabric", "plaid"),
    ];
    events[2]["kind"] = json!("checkout");
    let problem = problem(post(&app, &batch(&events)).await, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["events[2].kind", "events[4].value"],
        "every bad event is named"
    );
    assert!(
        problem["detail"].as_str().unwrap().contains("partial"),
        "{problem}"
    );
    assert!(rows(&app).await.is_empty());
    assert!(counted(&app, "view").await.0.is_empty(), "nothing counted either");

    events[2]["kind"] = json!("add_to_cart");
    events[4] = select("sel-0002", "fabric", "sand-canvas");
    assert_eq!(ok(post(&app, &batch(&events)).await).await["stored"], 5);
}

async fn with_partial_acceptance_the_valid_events_are_stored_and_the_bad_ones_listed(app: TestApp) {
    let mut events = vec![
        view("view-0001"),
        select("sel-0001", "fabric", "plaid"),
        add_to_cart("cart-0001"),
        json!({"id": "view-0002"}),
        view("view-0003"),
    ];
    events[2]["kind"] = json!("checkout");
    let body = json!({"partial": true, "events": events});
    let receipt = ok(post(&app, &body).await).await;
    assert_eq!(
        (&receipt["received"], &receipt["accepted"], &receipt["stored"]),
        (&json!(5), &json!(2), &json!(2))
    );
    let rejected: Vec<(u64, &str)> = receipt["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["index"].as_u64().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rejected,
        [(1, "events[1].value"), (2, "events[2].kind"), (3, "events[3]")]
    );
    let ids: Vec<String> = rows(&app).await.into_iter().map(|r| r.event_id).collect();
    assert_eq!(ids, ["view-0001", "view-0003"]);
    assert_eq!(counted(&app, "view").await.0, [(0, 2)]);

    // Sent again with the mistakes mended: the good ones are recognised, the mended
    // ones stored.
    let mut mended = events.clone();
    mended[1] = select("sel-0001", "fabric", "sand-canvas");
    mended[2]["kind"] = json!("add_to_cart");
    mended[3] = view("view-0002");
    let receipt = ok(post(&app, &json!({"partial": true, "events": mended})).await).await;
    assert_eq!(receipt, receipt_of(5, 3));
    assert_eq!(counted(&app, "view").await.0, [(0, 3)]);
}

async fn ga4_event_names_and_item_variants_are_accepted(app: TestApp) {
    let ga4 = |id: &str, kind: &str, variant: Option<&str>| {
        let mut event = json!({"id": id, "kind": kind, "product": PRODUCT, "session": SESSION});
        if let Some(variant) = variant {
            event["item_variant"] = json!(variant);
        }
        event
    };
    let configuration = "fabric.navy-canvas,trim.tan,hardware.brass,lining.cotton,extras.monogram";
    let events = [
        ga4("ga4-view-1", "view_item", None),
        ga4("ga4-select-1", "select_item", Some("fabric.sand-canvas")),
        ga4("ga4-wish-1", "add_to_wishlist", Some(configuration)),
        ga4("ga4-cart-1", "add_to_cart", Some(configuration)),
    ];
    assert_eq!(ok(post(&app, &batch(&events)).await).await, receipt_of(4, 4));
    let rows = rows(&app).await;
    let stored: Vec<(&str, &str, Option<&str>)> = rows
        .iter()
        .map(|r| (r.event_id.as_str(), r.kind.as_str(), r.variant.as_deref()))
        .collect();
    assert_eq!(
        stored,
        [
            ("ga4-cart-1", "add_to_cart", Some(configuration)),
            ("ga4-select-1", "option_select", Some("fabric.sand-canvas")),
            ("ga4-view-1", "view", None),
            ("ga4-wish-1", "favorite", Some(configuration)),
        ]
    );
    assert_eq!(rows[1].option_value_id, Some(value_id(&app, "sand-canvas").await));
    let strap = value_id(&app, "strap").await;
    let carts = counted(&app, "add_to_cart").await.0;
    assert_eq!(carts.len(), 6, "the product and its five values: {carts:?}");
    assert!(!carts.iter().any(|(v, _)| *v == strap), "the strap was not in it");

    let refused = [
        (
            ga4("ga4-select-2", "select_item", Some("fabric")),
            "events[0].item_variant",
        ),
        (
            ga4("ga4-select-3", "select_item", Some("fabric.plaid")),
            "events[0].item_variant",
        ),
        (
            ga4("ga4-cart-2", "add_to_cart", Some("fabric.navy-canvas")),
            "events[0].item_variant",
        ),
        (
            ga4("ga4-view-2", "view_item", Some("fabric.navy-canvas")),
            "events[0].item_variant",
        ),
    ];
    for (event, field) in refused {
        let problem = problem(post(&app, &batch(&[event])).await, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

async fn concurrent_batches_are_all_stored_and_counted_once(app: TestApp) {
    // 40 requests at once, each of 50 views, and every one of them sent twice: the
    // ingestion queue groups them into few transactions; each event is stored and
    // counted once, and each request's receipt says what it stored.
    let bodies: Vec<Value> = (0..40)
        .map(|r| {
            batch(
                &(0..50)
                    .map(|i| view(&format!("load-{r:02}-{i:02}")))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let requests = bodies.iter().chain(&bodies).map(|body| {
        let app = &app;
        async move { ok(post(app, body).await).await["stored"].as_u64().unwrap() }
    });
    let stored: u64 = futures::future::join_all(requests).await.into_iter().sum();
    assert_eq!(
        stored, 2_000,
        "each event stored by exactly one of its two requests"
    );
    assert_eq!(rows(&app).await.len(), 2_000);
    assert_eq!(counted(&app, "view").await, (vec![(0, 2_000)], vec![(0, 2_000)]));
}

async fn a_beacon_with_the_key_in_a_text_body_is_accepted(app: TestApp) {
    let mut body = batch(&[view("view-0001"), add_to_cart("cart-0001")]);
    body["key"] = json!(DEMO_PUBLISHABLE_KEY);
    let receipt = ok(beacon(&app, ALLOWED, &body).await).await;
    assert_eq!(receipt, receipt_of(2, 2));
    let rows = rows(&app).await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.origin.as_deref() == Some(ALLOWED)));
}

async fn a_foreign_origin_is_refused_and_nothing_is_stored(app: TestApp) {
    // A no-cors beacon reaches the server whatever CORS says: the server must refuse.
    let mut body = batch(&[view("view-0001")]);
    body["key"] = json!(DEMO_PUBLISHABLE_KEY);
    let refused = problem(beacon(&app, FOREIGN, &body).await, 403).await;
    assert_eq!(refused["type"], "https://c2m.dev/problems/origin-not-allowed");
    let with_header = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", FOREIGN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(with_header.status(), 403);
    assert!(!with_header.headers().contains_key("access-control-allow-origin"));
    // The secret key is for servers: a page may not use it, even from an allowed origin.
    body["key"] = json!(DEMO_SECRET_KEY);
    assert_eq!(beacon(&app, ALLOWED, &body).await.status(), 403);
    assert!(rows(&app).await.is_empty());
}

async fn an_allowed_origin_is_accepted_with_cors_headers(app: TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", ALLOWED)
        .json(&batch(&[view("view-0001")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    assert_eq!(ok(response).await["stored"], 1);
    assert_eq!(rows(&app).await[0].origin.as_deref(), Some(ALLOWED));
}

async fn a_batch_without_a_live_key_is_refused(app: TestApp) {
    let body = batch(&[view("view-0001")]);
    let no_key = app
        .client
        .post(app.url("/api/v1/events"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(no_key, 401).await["type"],
        "https://c2m.dev/problems/unauthenticated"
    );
    let mut unknown = body.clone();
    unknown["key"] = json!("pk_not_a_key_of_any_shop_000000000");
    assert_eq!(beacon(&app, ALLOWED, &unknown).await.status(), 401);
    assert!(rows(&app).await.is_empty());
}

async fn other_content_types_are_refused_with_415(app: TestApp) {
    let body = batch(&[view("view-0001")]).to_string();
    for content_type in [Some("application/x-www-form-urlencoded"), Some("text/html"), None] {
        let mut request = app
            .client
            .post(app.url("/api/v1/events"))
            .bearer_auth(DEMO_PUBLISHABLE_KEY)
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        let problem = problem(request.send().await.unwrap(), 415).await;
        assert_eq!(problem["type"], "https://c2m.dev/problems/unsupported-media-type");
    }
    assert!(rows(&app).await.is_empty());
}

async fn a_body_over_512_kb_is_refused_with_413(app: TestApp) {
    // 1,200 events of ~460 bytes: about 540 KB.
    let padding = "x".repeat(400);
    let events: Vec<Value> = (0..1_200)
        .map(|i| {
            let mut event = view(&format!("view-{i:04}"));
            event["product"] = json!(format!("{PRODUCT}{padding}"));
            event
        })
        .collect();
    let body = batch(&events);
    assert!(body.to_string().len() > 512 * 1024);
    let problem = problem(post(&app, &body).await, 413).await;
    assert_eq!(problem["type"], "https://c2m.dev/problems/payload-too-large");
    assert!(rows(&app).await.is_empty());
}

async fn purchases_are_refused_from_publishable_keys(app: TestApp) {
    let mut purchase = add_to_cart("buy-0001");
    purchase["kind"] = json!("purchase");
    let refused = problem(post(&app, &batch(std::slice::from_ref(&purchase))).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "events[0].kind");
    assert!(
        refused["detail"].as_str().unwrap().contains("secret key"),
        "{refused}"
    );
    assert!(rows(&app).await.is_empty());

    // The shop's own server, with its secret key, may report a purchase.
    let from_server = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&batch(&[purchase]))
        .send()
        .await
        .unwrap();
    assert_eq!(ok(from_server).await["stored"], 1);
}

async fn a_key_cannot_post_events_for_another_shops_product(app: TestApp) {
    let other = other_shop_with_product(&app, "travel-pouch").await;
    let mut event = view("view-0001");
    event["product"] = json!("travel-pouch");
    let refused = problem(post(&app, &batch(&[event])).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "events[0].product");
    let stored = heat_events::Entity::find()
        .filter(heat_events::Column::ProductId.eq(other))
        .all(&app.db)
        .await
        .unwrap();
    assert!(stored.is_empty());
}

/// A second shop with one product; returns the product's id.
async fn other_shop_with_product(app: &TestApp, slug: &str) -> i64 {
    let now = seed_noon();
    let shop = shops::Entity::insert(shops::ActiveModel {
        slug: Set("other".into()),
        name: Set("Other shop".into()),
        timezone: Set("UTC".into()),
        currency: Set("EUR".into()),
        working_weekdays: Set(0b1_1111),
        transit_days: Set(2),
        state_version: Set(1),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap()
    .last_insert_id;
    let node = nodes::Entity::insert(nodes::ActiveModel {
        shop_id: Set(shop),
        code: Set("WS".into()),
        name: Set("Workshop".into()),
        kind: Set("factory".into()),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap()
    .last_insert_id;
    products::Entity::insert(products::ActiveModel {
        shop_id: Set(shop),
        slug: Set(slug.into()),
        name: Set("Travel pouch".into()),
        description: Set(String::new()),
        base_price_minor: Set(4_900),
        lifecycle: Set("growth".into()),
        max_lead_time_days: Set(30),
        handling_days: Set(1),
        end_of_sale: Set(None),
        producing_node_id: Set(node),
        generic_part_material_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap()
    .last_insert_id
}
