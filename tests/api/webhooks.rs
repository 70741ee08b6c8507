//! Webhooks (issue 15, "The order's life"): events out from a durable outbox, signed,
//! retried until a receiver takes them; signed order notifications in from the
//! platform, refused when unsigned, stale or replayed; late risk when a purchase order
//! slips.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use c2m_tests::{TestApp, on_both_databases, seed_day, seed_noon};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use server::seed::{DEMO_PLATFORM_WEBHOOK_SECRET, DEMO_SECRET_KEY, DEMO_SHOP_SLUG};
use server::store::entities::{
    InboundKind, InboundStatus, ReservationStatus, capacity_reservations, inbound, materials, nodes, orders,
    shops, stock, suppliers, webhook_events,
};

on_both_databases!(
    endpoints_are_checked_registered_once_per_key_and_listed_without_their_secret,
    an_event_is_retried_until_the_receiver_takes_it_signed_with_one_id,
    platform_webhooks_are_refused_unsigned_stale_or_replayed_and_book_when_signed,
    a_slipped_purchase_order_flags_the_orders_it_makes_late,
);

fn weekender() -> Value {
    json!({"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]})
}

fn order(reference: &str) -> Value {
    json!({"reference": reference, "product": "weekender-bag", "selection": weekender(), "quantity": 1})
}

/// HMAC-SHA256 over `<t>.<body>`, hex: the scheme docs/webhooks.md describes, computed
/// here independently of the server's code.
fn digest(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

async fn secret_post(app: &TestApp, path: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("the server answers")
}

/// `DELETE /api/v1/webhooks/endpoints/{id}` with the secret key; its status.
async fn remove_endpoint(app: &TestApp, id: i64) -> StatusCode {
    let answer = app
        .client
        .delete(app.url(&format!("/api/v1/webhooks/endpoints/{id}")))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .unwrap();
    StatusCode::from_u16(answer.status().as_u16()).unwrap()
}

async fn secret_get(app: &TestApp, path: &str) -> Value {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// What a local receiver saw: each request's headers and body.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(HeaderMap, Bytes)>>>);

impl Received {
    fn all(&self) -> Vec<(HeaderMap, Bytes)> {
        self.0.lock().unwrap().clone()
    }

    /// Waits (up to 30 s) until `count` requests have arrived.
    async fn wait_for(&self, count: usize) -> Vec<(HeaderMap, Bytes)> {
        for _ in 0..300 {
            let all = self.all();
            if all.len() >= count {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the receiver got {} requests, not {count}", self.all().len());
    }
}

/// A receiver on a free port that answers 500 to its first `failures` requests, then 204.
async fn receiver(failures: usize) -> (String, Received) {
    let received = Received::default();
    let seen = received.clone();
    let app = axum::Router::new().route(
        "/hooks",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            async move {
                let mut all = seen.0.lock().unwrap();
                all.push((headers, body));
                if all.len() <= failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// Registers `url` for `events`; returns the endpoint's id and signing secret.
async fn register(app: &TestApp, url: &str, events: Value) -> (i64, String) {
    let response = secret_post(
        app,
        "/api/v1/webhooks/endpoints",
        &json!({"url": url, "events": events}),
        None,
    )
    .await;
    assert_eq!(response.status(), 201);
    let endpoint: Value = response.json().await.unwrap();
    (
        endpoint["id"].as_i64().unwrap(),
        endpoint["secret"].as_str().unwrap().to_string(),
    )
}

/// The `(t, v1)` of a `C2M-Signature` header.
fn signature_parts(headers: &HeaderMap) -> (i64, String) {
    let header = headers["c2m-signature"].to_str().unwrap();
    let (t, v1) = header.split_once(',').unwrap();
    (
        t.strip_prefix("t=").unwrap().parse().unwrap(),
        v1.strip_prefix("v1=").unwrap().to_string(),
    )
}

async fn endpoints_are_checked_registered_once_per_key_and_listed_without_their_secret(app: TestApp) {
    for (body, field) in [
        (json!({"url": "not a url"}), "url"),
        (json!({"url": "http://example.com/hooks"}), "url"),
        (json!({"url": "ftp://127.0.0.1/hooks"}), "url"),
        (
            json!({"url": "https://example.com/hooks", "events": ["order.shipped"]}),
            "events",
        ),
        (
            json!({"url": "https://example.com/hooks", "events": []}),
            "events",
        ),
    ] {
        let response = secret_post(&app, "/api/v1/webhooks/endpoints", &body, None).await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let none = secret_get(&app, "/api/v1/webhooks/endpoints").await;
    assert_eq!(none, json!({"items": [], "next_cursor": null}));

    let body = json!({"url": "https://example.com/hooks", "events": ["order.promised", "order.late_risk"]});
    let first = secret_post(&app, "/api/v1/webhooks/endpoints", &body, Some("hook-1")).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert!(first["secret"].as_str().unwrap().starts_with("whsec_"), "{first}");
    assert_eq!(first["events"], json!(["order.promised", "order.late_risk"]));
    let again = secret_post(&app, "/api/v1/webhooks/endpoints", &body, Some("hook-1")).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let other = json!({"url": "https://example.com/other"});
    let reused = secret_post(&app, "/api/v1/webhooks/endpoints", &other, Some("hook-1")).await;
    assert_eq!(reused.status(), 422);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["errors"][0]["field"],
        "Idempotency-Key"
    );

    let listed = secret_get(&app, "/api/v1/webhooks/endpoints").await;
    let items = &listed["items"];
    assert_eq!(
        items.as_array().unwrap().len(),
        1,
        "one endpoint for one key: {listed}"
    );
    assert_eq!(items[0]["url"], "https://example.com/hooks");
    assert!(
        items[0].get("secret").is_none(),
        "the secret is shown once: {listed}"
    );
    // Pages of one, newest first, then the end; a cursor of another list is refused.
    let second = json!({"url": "https://example.com/second"});
    assert_eq!(
        secret_post(&app, "/api/v1/webhooks/endpoints", &second, None)
            .await
            .status(),
        201
    );
    let page = secret_get(&app, "/api/v1/webhooks/endpoints?limit=1").await;
    assert_eq!(page["items"][0]["url"], "https://example.com/second", "{page}");
    let cursor = page["next_cursor"].as_str().expect("a second page").to_string();
    let rest = secret_get(
        &app,
        &format!("/api/v1/webhooks/endpoints?limit=1&cursor={cursor}"),
    )
    .await;
    assert_eq!(rest["items"][0]["url"], "https://example.com/hooks", "{rest}");
    assert_eq!(rest["next_cursor"], Value::Null);
    let second_id = page["items"][0]["id"].as_i64().unwrap();
    assert_eq!(remove_endpoint(&app, second_id).await, 204);
    // A repeated DELETE (a retry after a lost answer) succeeds and writes nothing; an id
    // the shop never had is not found.
    let audited = |db| async move {
        server::store::entities::audit_log::Entity::find()
            .filter(server::store::entities::audit_log::Column::Action.eq("webhook_endpoint.remove"))
            .all(db)
            .await
            .unwrap()
            .len()
    };
    let removals = audited(&app.db).await;
    assert_eq!(removals, 1);
    for (id, status) in [(second_id, 204), (987_654, 404)] {
        assert_eq!(remove_endpoint(&app, id).await, status, "DELETE endpoint {id}");
    }
    assert_eq!(
        audited(&app.db).await,
        removals,
        "a repeated DELETE is not audited again"
    );
    let deliveries = secret_get(&app, "/api/v1/webhooks/deliveries").await;
    assert!(deliveries["items"].is_array(), "{deliveries}");
    for query in ["limit=0", "limit=201", "cursor=bm9wZQ"] {
        let refused = app
            .client
            .get(app.url(&format!("/api/v1/webhooks/endpoints?{query}")))
            .bearer_auth(DEMO_SECRET_KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "{query}");
        let problem: Value = refused.json().await.unwrap();
        let field = query.split('=').next().unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }

    let id = first["id"].as_i64().unwrap();
    assert_eq!(remove_endpoint(&app, id).await, 204);
    assert_eq!(
        secret_get(&app, "/api/v1/webhooks/endpoints?limit=200").await["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == first["id"])
            .unwrap()["active"],
        false
    );
    // A removed endpoint is sent nothing.
    assert_eq!(
        secret_post(&app, "/api/v1/orders", &order("HOOK-0"), None)
            .await
            .status(),
        201
    );
    let events = webhook_events::Entity::find().all(&app.db).await.unwrap();
    assert!(events.is_empty(), "no active endpoint, no event: {events:?}");
}

async fn an_event_is_retried_until_the_receiver_takes_it_signed_with_one_id(app: TestApp) {
    let (url, received) = receiver(2).await;
    let (endpoint, secret) = register(&app, &url, json!(["order.promised", "order.status_changed"])).await;

    let placed = secret_post(&app, "/api/v1/orders", &order("HOOK-1"), None).await;
    assert_eq!(placed.status(), 201);
    let placed: Value = placed.json().await.unwrap();

    let attempts = received.wait_for(3).await;
    let ids: Vec<&str> = attempts
        .iter()
        .map(|(h, _)| h["c2m-event-id"].to_str().unwrap())
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0] && id.starts_with("evt_")),
        "{ids:?}"
    );
    for (headers, body) in &attempts {
        assert_eq!(headers["c2m-event-type"], "order.promised");
        let (t, v1) = signature_parts(headers);
        assert_eq!(
            v1,
            digest(&secret, t, body),
            "every attempt is signed with the endpoint's secret"
        );
        assert!((seed_noon().timestamp() - t).abs() <= 300);
        let event: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(event["id"], ids[0]);
        assert_eq!(event["type"], "order.promised");
        assert_eq!(event["data"]["order"]["id"], placed["id"]);
        assert_eq!(event["data"]["order"]["promised_on"], placed["promised_on"]);
    }

    // The log shows the two failures and the success.
    let mut delivered = Value::Null;
    for _ in 0..100 {
        let log = secret_get(&app, &format!("/api/v1/webhooks/deliveries?endpoint={endpoint}")).await;
        if log["items"][0]["status"] == "delivered" {
            delivered = log["items"][0].clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(delivered["attempts"], 3, "{delivered}");
    assert_eq!(delivered["response_status"], 204);
    assert_eq!(delivered["event_id"], ids[0]);
    assert_eq!(delivered["type"], "order.promised");

    // A status move is an event of its own, delivered at once now that the receiver takes them.
    let id = placed["id"].as_i64().unwrap();
    let moved = secret_post(
        &app,
        &format!("/api/v1/orders/{id}/status"),
        &json!({"status": "in_production"}),
        None,
    )
    .await;
    assert_eq!(moved.status(), 200);
    let attempts = received.wait_for(4).await;
    let (headers, body) = &attempts[3];
    assert_eq!(headers["c2m-event-type"], "order.status_changed");
    assert_ne!(headers["c2m-event-id"], ids[0]);
    let event: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(
        (event["data"]["from"].as_str(), event["data"]["to"].as_str()),
        (Some("placed"), Some("in_production"))
    );
    let pending = secret_get(&app, "/api/v1/webhooks/deliveries?status=pending").await;
    let failed = secret_get(&app, "/api/v1/webhooks/deliveries?status=failed").await;
    assert!(failed["items"].as_array().unwrap().is_empty(), "{failed}");
    assert!(
        pending["items"].as_array().unwrap().len() <= 1,
        "at most the last one still in flight: {pending}"
    );
}

/// Posts `body` to the platform webhook with `signature` (or none) for the demo shop.
async fn platform_post(app: &TestApp, body: &[u8], signature: Option<String>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/webhooks/orders"))
        .header("content-type", "application/json")
        .header("c2m-shop", DEMO_SHOP_SLUG)
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("c2m-signature", signature);
    }
    request.send().await.unwrap()
}

fn signed(secret: &str, at: i64, body: &[u8]) -> String {
    format!("t={at},v1={}", digest(secret, at, body))
}

async fn orders_with(app: &TestApp, reference: &str) -> Vec<orders::Model> {
    orders::Entity::find()
        .filter(orders::Column::Reference.eq(reference))
        .all(&app.db)
        .await
        .unwrap()
}

async fn platform_webhooks_are_refused_unsigned_stale_or_replayed_and_book_when_signed(app: TestApp) {
    let body = serde_json::to_vec(&json!({"type": "order.created", "order": order("PLATFORM-1")})).unwrap();
    let now = seed_noon().timestamp();
    let refusals = [
        ("unsigned", None),
        (
            "signed with another secret",
            Some(signed("whsec_other", now, &body)),
        ),
        (
            "stale",
            Some(signed(DEMO_PLATFORM_WEBHOOK_SECRET, now - 301, &body)),
        ),
        (
            "from the future",
            Some(signed(DEMO_PLATFORM_WEBHOOK_SECRET, now + 301, &body)),
        ),
        ("malformed", Some("v1=abc".to_string())),
    ];
    for (case, signature) in refusals {
        let response = platform_post(&app, &body, signature).await;
        assert_eq!(response.status(), 401, "{case}");
        let problem: Value = response.json().await.unwrap();
        assert!(
            problem["type"].as_str().unwrap().ends_with("bad-signature"),
            "{case}: {problem}"
        );
    }
    // A body changed after signing.
    let changed =
        serde_json::to_vec(&json!({"type": "order.created", "order": order("PLATFORM-2")})).unwrap();
    let response = platform_post(
        &app,
        &changed,
        Some(signed(DEMO_PLATFORM_WEBHOOK_SECRET, now, &body)),
    )
    .await;
    assert_eq!(response.status(), 401);
    assert!(
        orders_with(&app, "PLATFORM-1").await.is_empty(),
        "nothing refused was booked"
    );
    assert!(orders_with(&app, "PLATFORM-2").await.is_empty());

    let signature = signed(DEMO_PLATFORM_WEBHOOK_SECRET, now - 60, &body);
    let booked = platform_post(&app, &body, Some(signature.clone())).await;
    assert_eq!(booked.status(), 201);
    let booked: Value = booked.json().await.unwrap();
    assert_eq!(booked["reference"], "PLATFORM-1");
    assert!(!booked["reservations"].as_array().unwrap().is_empty());
    let replay = platform_post(&app, &body, Some(signature)).await;
    assert_eq!(replay.status(), 401);
    let problem: Value = replay.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("replay"),
        "{problem}"
    );
    assert_eq!(
        orders_with(&app, "PLATFORM-1").await.len(),
        1,
        "a replay books nothing"
    );

    // A well-signed body that is not a notification names the field.
    let bad = serde_json::to_vec(&json!({"type": "order.created", "order": {"reference": "X"}})).unwrap();
    let response = platform_post(&app, &bad, Some(signed(DEMO_PLATFORM_WEBHOOK_SECRET, now, &bad))).await;
    assert_eq!(response.status(), 422);

    let cancel = serde_json::to_vec(
        &json!({"type": "order.cancelled", "reference": "PLATFORM-1", "reason": "changed their mind"}),
    )
    .unwrap();
    let cancelled = platform_post(
        &app,
        &cancel,
        Some(signed(DEMO_PLATFORM_WEBHOOK_SECRET, now, &cancel)),
    )
    .await;
    assert_eq!(cancelled.status(), 200);
    let cancelled: Value = cancelled.json().await.unwrap();
    assert_eq!(cancelled["order"]["status"], "cancelled");
    assert!(!cancelled["freed"].as_array().unwrap().is_empty());
    let audit = secret_get(&app, "/api/v1/orders?status=cancelled").await;
    assert_eq!(audit["items"][0]["reference"], "PLATFORM-1");
    // Someone else's shop name gets the same answer as a wrong signature.
    let response = app
        .client
        .post(app.url("/api/v1/webhooks/orders"))
        .header("content-type", "application/json")
        .header("c2m-shop", "no-such-shop")
        .header("c2m-signature", signed(DEMO_PLATFORM_WEBHOOK_SECRET, now, &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// Navy canvas only from one confirmed purchase order due in 5 days at the bag
/// workshop; every other material plentiful. Returns the line's id.
pub(crate) async fn navy_only_inbound(app: &TestApp) -> i64 {
    let shop = shops::Entity::find()
        .filter(shops::Column::Slug.eq(DEMO_SHOP_SLUG))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let navy = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop.id))
        .filter(materials::Column::Sku.eq("FAB-CNV-NAVY"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let workshop = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop.id))
        .filter(nodes::Column::Code.eq("FB"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let supplier = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    stock::Entity::update_many()
        .col_expr(stock::Column::OnHand, Expr::value(1_000_000))
        .col_expr(stock::Column::Reserved, Expr::value(0))
        .filter(stock::Column::MaterialId.ne(navy.id))
        .exec(&app.db)
        .await
        .unwrap();
    stock::Entity::update_many()
        .col_expr(stock::Column::OnHand, Expr::value(0))
        .col_expr(stock::Column::Reserved, Expr::value(0))
        .filter(stock::Column::MaterialId.eq(navy.id))
        .exec(&app.db)
        .await
        .unwrap();
    inbound::Entity::update_many()
        .col_expr(
            inbound::Column::Status,
            Expr::value(InboundStatus::Cancelled.as_str()),
        )
        .filter(inbound::Column::MaterialId.eq(navy.id))
        .exec(&app.db)
        .await
        .unwrap();
    capacity_reservations::Entity::update_many()
        .col_expr(
            capacity_reservations::Column::Status,
            Expr::value(ReservationStatus::Released.as_str()),
        )
        .filter(capacity_reservations::Column::MaterialId.eq(navy.id))
        .exec(&app.db)
        .await
        .unwrap();
    let line = inbound::ActiveModel {
        shop_id: Set(shop.id),
        material_id: Set(navy.id),
        node_id: Set(workshop.id),
        kind: Set(InboundKind::Purchase),
        supplier_id: Set(Some(supplier.id)),
        quantity: Set(180 * 5),
        eta: Set(seed_day() + chrono::Days::new(5)),
        status: Set(InboundStatus::Confirmed),
        reference: Set("PO-SLIP".into()),
        created_at: Set(seed_noon()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    shops::Entity::update_many()
        .col_expr(shops::Column::StateVersion, Expr::value(shop.state_version + 100))
        .filter(shops::Column::Id.eq(shop.id))
        .exec(&app.db)
        .await
        .unwrap();
    app.state.quoting.refresh_versions().await.unwrap();
    line.id
}

async fn a_slipped_purchase_order_flags_the_orders_it_makes_late(app: TestApp) {
    let line = navy_only_inbound(&app).await;
    let (url, received) = receiver(0).await;
    register(&app, &url, json!(["order.late_risk"])).await;
    let placed = secret_post(&app, "/api/v1/orders", &order("SLIP-1"), None).await;
    assert_eq!(placed.status(), 201);
    let placed: Value = placed.json().await.unwrap();
    let navy: Vec<&Value> = placed["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["material"] == "FAB-CNV-NAVY")
        .collect();
    assert_eq!(navy[0]["source"], "inbound", "{placed}");
    assert_eq!(navy[0]["inbound"], "PO-SLIP");
    assert!(placed["late_risk"].is_null());
    let fetched = secret_get(&app, &format!("/api/v1/orders/{}", placed["id"])).await;
    assert_eq!(fetched, placed, "the answer is the order as read back");

    let put_eta = |eta: String| {
        app.client
            .put(app.url(&format!("/api/v1/inbound/{line}/eta")))
            .bearer_auth(DEMO_SECRET_KEY)
            .json(&json!({"eta": eta}))
            .send()
    };
    // A day earlier keeps every promise.
    let earlier = put_eta((seed_day() + chrono::Days::new(4)).to_string())
        .await
        .unwrap();
    assert_eq!(earlier.status(), 200);
    assert_eq!(earlier.json::<Value>().await.unwrap()["orders_now_at_risk"], 0);
    // The past is refused.
    let past = put_eta((seed_day() - chrono::Days::new(1)).to_string())
        .await
        .unwrap();
    assert_eq!(past.status(), 422);

    let slipped = put_eta((seed_day() + chrono::Days::new(40)).to_string())
        .await
        .unwrap();
    assert_eq!(slipped.status(), 200);
    let slipped: Value = slipped.json().await.unwrap();
    assert_eq!(slipped["orders_now_at_risk"], 1, "{slipped}");
    let id = placed["id"].as_i64().unwrap();
    let now = secret_get(&app, &format!("/api/v1/orders/{id}")).await;
    let reason = now["late_risk"].as_str().expect("flagged");
    assert!(reason.contains("PO-SLIP"), "{reason}");
    let at_risk = secret_get(&app, "/api/v1/orders?at_risk=true").await;
    let ids: Vec<i64> = at_risk["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![id]);

    let events = received.wait_for(1).await;
    let event: Value = serde_json::from_slice(&events[0].1).unwrap();
    assert_eq!(event["type"], "order.late_risk");
    assert_eq!(event["data"]["order"]["id"], id);
    assert_eq!(event["data"]["reason"], reason);

    // Back on time clears the flag, audited, without another event.
    let back = put_eta((seed_day() + chrono::Days::new(5)).to_string())
        .await
        .unwrap();
    assert_eq!(back.status(), 200);
    assert!(secret_get(&app, &format!("/api/v1/orders/{id}")).await["late_risk"].is_null());
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(received.all().len(), 1, "clearing a flag announces nothing");
    let row = orders::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.late_risk, None);
}
