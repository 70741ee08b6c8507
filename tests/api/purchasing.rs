//! Purchase orders to the supplier (issue 18): a draft is sent by a signed
//! `purchase_order.sent` event to the supplier's own endpoint, or, for a supplier
//! without one, as a CSV file for its portal; the send is recorded and changes no
//! quote. The supplier's signed confirmation confirms the draft at its date (the state
//! version moves), recording its reference; a repeat answers the same, anything
//! unsigned or wrongly signed is refused and changes nothing.

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::{Days, NaiveDate};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_SECRET_KEY, DEMO_SHOP_SLUG};
use server::service::supply::{self, NewPurchaseOrder};
use server::store::entities::{InboundStatus, inbound, shops, webhook_deliveries, webhook_events};

use crate::admin_settings::{accepted, audited, get, post_form, shop};

on_both_databases!(
    a_draft_goes_to_the_suppliers_endpoint_and_its_signed_confirmation_books_it,
    a_supplier_without_an_endpoint_gets_a_csv_file_and_bad_requests_change_nothing,
);

async fn call(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, app.url(path))
        .bearer_auth(DEMO_SECRET_KEY);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    if status >= 400 {
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
    (status, response.json().await.unwrap_or(Value::Null))
}

fn in_days(days: u64) -> NaiveDate {
    seed_day() + Days::new(days)
}

async fn drafted(app: &TestApp) -> (i64, String) {
    let shop = shop(app).await;
    let order = NewPurchaseOrder {
        supplier: "S-TEX".into(),
        sku: "FAB-LIN-INDIGO".into(),
        node: "FB".into(),
        quantity: 5_000,
        eta: in_days(14),
        reference: String::new(),
    };
    let row = supply::create_purchase_order(app.write(shop.id, "merchant:1").await, &order, seed_day())
        .await
        .expect("drafted");
    (row.id, row.reference)
}

/// Sends purchase order `id` and checks it went `via` to `endpoints` endpoints.
async fn send(app: &TestApp, id: i64, via: &str, endpoints: i64) -> Value {
    let (status, sent) = call(
        app,
        Method::POST,
        &format!("/api/v1/purchase-orders/{id}/send"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (sent["via"].as_str(), sent["endpoints"].as_i64()),
        (Some(via), Some(endpoints)),
        "{sent}"
    );
    sent
}

async fn line(app: &TestApp, id: i64) -> inbound::Model {
    inbound::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn version(app: &TestApp) -> i64 {
    shops::Entity::find()
        .filter(shops::Column::Slug.eq(DEMO_SHOP_SLUG))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .state_version
}

/// HMAC-SHA256 over `<t>.<body>`, hex, written here independently of the server.
fn signature(secret: &str, at: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{at}.").as_bytes());
    mac.update(body);
    format!("t={at},v1={}", hex::encode(mac.finalize().into_bytes()))
}

async fn confirm(app: &TestApp, supplier: &str, body: &Value, secret: Option<&str>) -> (u16, Value) {
    let bytes = serde_json::to_vec(body).unwrap();
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/webhooks/suppliers/{supplier}/confirmations")))
        .header("content-type", "application/json")
        .header("C2M-Shop", DEMO_SHOP_SLUG)
        .body(bytes.clone());
    if let Some(secret) = secret {
        let at = app.store().now().timestamp();
        request = request.header("C2M-Signature", signature(secret, at, &bytes));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_draft_goes_to_the_suppliers_endpoint_and_its_signed_confirmation_books_it(app: TestApp) {
    let (status, supplier_endpoint) = call(
        &app,
        Method::POST,
        "/api/v1/webhooks/endpoints",
        Some(json!({"url": "http://127.0.0.1:9/portal", "supplier": "S-TEX"})),
    )
    .await;
    assert_eq!(status, 201, "{supplier_endpoint}");
    assert_eq!(supplier_endpoint["events"], json!(["purchase_order.sent"]));
    let secret = supplier_endpoint["secret"].as_str().unwrap().to_string();
    let (status, merchants) = call(
        &app,
        Method::POST,
        "/api/v1/webhooks/endpoints",
        Some(json!({"url": "http://127.0.0.1:9/erp", "events": ["order.promised"]})),
    )
    .await;
    assert_eq!(status, 201, "{merchants}");

    let (id, reference) = drafted(&app).await;
    let before = version(&app).await;
    send(&app, id, "webhook", 1).await;
    let stored = line(&app, id).await;
    assert_eq!(stored.sent_via.as_deref(), Some("webhook"));
    assert!(stored.sent_at.is_some());
    assert_eq!(stored.status, InboundStatus::Draft, "still a draft");
    assert_eq!(version(&app).await, before, "sending changes no quote");
    assert_eq!(audited(&app, "purchase_order.send").await.len(), 1);

    // One delivery, to the supplier's endpoint, not to the merchant's order endpoint.
    let deliveries = webhook_deliveries::Entity::find().all(&app.db).await.unwrap();
    let to_supplier: Vec<_> = deliveries
        .iter()
        .filter(|d| Some(d.endpoint_id) == supplier_endpoint["id"].as_i64())
        .collect();
    assert_eq!(to_supplier.len(), 1);
    assert!(
        deliveries
            .iter()
            .all(|d| Some(d.endpoint_id) != merchants["id"].as_i64())
    );
    let event = webhook_events::Entity::find_by_id(to_supplier[0].event_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let body: Value = serde_json::from_str(&event.payload).unwrap();
    assert_eq!(body["type"], "purchase_order.sent");
    let order = &body["data"]["purchase_order"];
    assert_eq!(order["reference"], reference.as_str());
    assert_eq!(
        (order["quantity"].as_i64(), order["ship_to"].as_str()),
        (Some(5_000), Some("FB")),
        "{order}"
    );
    assert_eq!(
        order["confirm_at"],
        "/api/v1/webhooks/suppliers/S-TEX/confirmations"
    );

    // The supplier confirms: unsigned and wrongly signed are refused.
    let eta = in_days(20);
    let confirmation = json!({"reference": reference, "eta": eta, "supplier_reference": "SO-77"});
    assert_eq!(confirm(&app, "S-TEX", &confirmation, None).await.0, 401);
    assert_eq!(
        confirm(&app, "S-TEX", &confirmation, Some("whsec_not_it"))
            .await
            .0,
        401
    );
    assert_eq!(
        line(&app, id).await.status,
        InboundStatus::Draft,
        "nothing changed"
    );
    let (status, confirmed) = confirm(&app, "S-TEX", &confirmation, Some(&secret)).await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["status"], "confirmed");
    assert_eq!(confirmed["supplier_reference"], "SO-77");
    let stored = line(&app, id).await;
    assert_eq!((stored.status, stored.eta), (InboundStatus::Confirmed, eta));
    assert!(stored.supplier_confirmed_at.is_some() && stored.ordered_on.is_some());
    assert!(version(&app).await > before, "a confirmed order feeds quotes");
    let entries = audited(&app, "purchase_order.supplier_confirm").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "supplier:S-TEX");

    // The same confirmation again answers the same; another day is refused.
    let (status, again) = confirm(&app, "S-TEX", &confirmation, Some(&secret)).await;
    assert_eq!((status, &again["status"]), (200, &json!("confirmed")), "{again}");
    let later = json!({"reference": reference, "eta": in_days(30)});
    assert_eq!(confirm(&app, "S-TEX", &later, Some(&secret)).await.0, 409);
    assert_eq!(line(&app, id).await.eta, eta);
    // A confirmed order is not sent again.
    let (status, refused) = call(
        &app,
        Method::POST,
        &format!("/api/v1/purchase-orders/{id}/send"),
        None,
    )
    .await;
    assert_eq!(status, 409, "{refused}");
}

async fn a_supplier_without_an_endpoint_gets_a_csv_file_and_bad_requests_change_nothing(app: TestApp) {
    let (id, reference) = drafted(&app).await;
    let sent = send(&app, id, "csv", 0).await;
    let response = app
        .client
        .get(app.url(sent["csv"].as_str().unwrap()))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("reference,shop,supplier,sku"), "{text}");
    assert!(lines[1].starts_with(&format!("{reference},")), "{text}");
    assert!(
        lines[1].contains(",FAB-LIN-INDIGO,") && lines[1].contains(",5000,") && lines[1].contains(",FB,"),
        "{text}"
    );
    assert_eq!(line(&app, id).await.sent_via.as_deref(), Some("csv"));

    // Unknown orders and suppliers.
    assert_eq!(
        call(&app, Method::POST, "/api/v1/purchase-orders/999999/send", None)
            .await
            .0,
        404
    );
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/webhooks/endpoints",
        Some(json!({"url": "http://127.0.0.1:9/portal", "supplier": "NOPE"})),
    )
    .await;
    assert_eq!(
        (status, &problem["errors"][0]["field"]),
        (422, &json!("supplier")),
        "{problem}"
    );
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/webhooks/endpoints",
        Some(json!({"url": "http://127.0.0.1:9/portal", "supplier": "S-TEX", "events": ["order.promised"]})),
    )
    .await;
    assert_eq!(
        (status, &problem["errors"][0]["field"]),
        (422, &json!("events")),
        "{problem}"
    );

    // Signed, but about no order of this supplier's, or for a day gone by.
    let (_, endpoint) = call(
        &app,
        Method::POST,
        "/api/v1/webhooks/endpoints",
        Some(json!({"url": "http://127.0.0.1:9/portal", "supplier": "S-TEX"})),
    )
    .await;
    let secret = endpoint["secret"].as_str().unwrap();
    let (status, problem) = confirm(
        &app,
        "S-TEX",
        &json!({"reference": "PO-NONE", "eta": in_days(9)}),
        Some(secret),
    )
    .await;
    assert_eq!(status, 404, "{problem}");
    let past = json!({"reference": reference, "eta": seed_day() - Days::new(3)});
    let (status, problem) = confirm(&app, "S-TEX", &past, Some(secret)).await;
    assert_eq!(
        (status, &problem["errors"][0]["field"]),
        (422, &json!("eta")),
        "{problem}"
    );
    assert_eq!(
        line(&app, id).await.status,
        InboundStatus::Draft,
        "nothing changed"
    );
    // The Supply page sends a draft with its button (to the supplier's endpoint just
    // registered) and offers the file.
    app.sign_in().await;
    let (second, second_reference) = drafted(&app).await;
    let sent = post_form(
        &app,
        "/_fn/admin/act_on_inbound",
        "/admin/supply",
        &[("id", &second.to_string()), ("op", "send")],
    )
    .await;
    accepted(&sent);
    let html = get(&app, "/admin/supply").await;
    let at = html
        .find(&format!("data-inbound=\"{second_reference}\""))
        .expect("the order's row");
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    assert!(row.contains("sent by webhook"), "{row}");
    assert!(
        row.contains(&format!("/admin/purchase-orders/{second}.csv")),
        "{row}"
    );
    let file = app
        .client
        .get(app.url(&format!("/admin/purchase-orders/{second}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert!(file.text().await.unwrap().contains(&second_reference));
    // Signed by another supplier's name: refused as unsigned.
    let (status, _) = confirm(
        &app,
        "S-OTHER",
        &json!({"reference": reference, "eta": in_days(9)}),
        Some(secret),
    )
    .await;
    assert_eq!(status, 401);
}
