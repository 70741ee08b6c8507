//! What an order may be promised beyond one date (issue 15): a split delivery when the
//! whole quantity cannot come as early as part of it, a presale product's first batch
//! that preorders never overrun, and stock kept for one sales channel.

use std::collections::BTreeMap;

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::{Days, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};
use server::store::entities::products;

use crate::orders::{NAVY, NAVY_PER_BAG, arranged, date, navy_stock, only_navy_for, order, shop, weekender};

on_both_databases!(
    a_larger_quantity_is_offered_a_split_and_an_order_takes_it,
    preorders_never_overrun_the_first_batch_under_concurrency,
    stock_kept_for_a_channel_is_left_to_it,
    allocations_are_checked_and_listed,
);

async fn quote(app: &TestApp, quantity: u32, channel: Option<&str>) -> Value {
    let mut body = json!({"product": "weekender-bag", "selection": weekender(), "quantity": quantity});
    if let Some(channel) = channel {
        body["channel"] = json!(channel);
    }
    let response = app
        .client
        .post(app.url("/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn post_order(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&body)
        .send()
        .await
        .expect("the server answers");
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The units of navy an order holds, by source.
fn navy_held(order: &Value) -> BTreeMap<String, i64> {
    let mut held = BTreeMap::new();
    for r in order["reservations"].as_array().unwrap() {
        if r["material"] == NAVY {
            *held.entry(r["source"].as_str().unwrap().to_string()).or_default() +=
                r["quantity"].as_i64().unwrap();
        }
    }
    held
}

async fn a_larger_quantity_is_offered_a_split_and_an_order_takes_it(app: TestApp) {
    let (navy, workshop) = only_navy_for(&app, 10).await;
    let whole = quote(&app, 15, None).await;
    let split = whole["split"]
        .as_array()
        .expect("15 bags with canvas for 10 are offered a split");
    assert_eq!(split.len(), 2, "{whole:#}");
    let (early, late) = (&split[0], &split[1]);
    let first = early["quantity"].as_u64().unwrap();
    assert_eq!(first + late["quantity"].as_u64().unwrap(), 15);
    assert!(
        (1..=10).contains(&first),
        "the early part is what the stock makes: {first}"
    );
    assert!(
        date(&early["estimate"]["p50"]) < date(&whole["estimate"]["p50"]),
        "{whole:#}"
    );
    assert!(date(&late["estimate"]["p50"]) >= date(&early["estimate"]["p50"]));
    // One bag is never split, and the quote without `split` is still one delivery.
    assert!(quote(&app, 1, None).await["split"].is_null());

    let mut body = order("SPLIT-1", 15);
    body["split"] = json!(true);
    let (status, booked) = post_order(&app, body).await;
    assert_eq!(status, 201, "{booked:#}");
    let deliveries = booked["deliveries"]
        .as_array()
        .expect("the order keeps both deliveries");
    assert_eq!(deliveries.len(), 2);
    for (kept, offered) in deliveries.iter().zip(split) {
        assert_eq!(kept["quantity"], offered["quantity"]);
        assert_eq!(kept["quoted_p50"], offered["estimate"]["p50"]);
        assert_eq!(kept["promised_on"], offered["estimate"]["promised"]);
    }
    assert_eq!(
        booked["promised_on"], deliveries[1]["promised_on"],
        "complete with the last part"
    );
    assert_eq!(booked["quantity"], 15);
    // Both deliveries' canvas is held: all the stock (the early part's and what the
    // rest takes of it) and a supplier order for what the stock does not cover.
    let held = navy_held(&booked);
    assert_eq!(
        held,
        BTreeMap::from([
            ("stock".to_string(), 10 * NAVY_PER_BAG),
            ("supplier_order".to_string(), 5 * NAVY_PER_BAG)
        ]),
    );
    assert_eq!(navy_stock(&app, navy, workshop).await.reserved, 10 * NAVY_PER_BAG);

    crate::orders::snapshot_matches_the_database(&app).await;
    let fetched: Value = app
        .client
        .get(app.url(&format!("/api/v1/orders/{}", booked["id"])))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, booked, "the answer is the order as read back");

    // Without `split`, the same quantity is one delivery at the whole's date.
    only_navy_for(&app, 10).await;
    let (status, whole_order) = post_order(&app, order("WHOLE-1", 15)).await;
    assert_eq!(status, 201, "{whole_order:#}");
    assert!(whole_order["deliveries"].is_null());
    assert!(date(&whole_order["quoted_p50"]) >= date(&deliveries[1]["quoted_p50"]));
}

/// Gives the weekender (in presale) a first batch made by `until`.
async fn first_batch_until(app: &TestApp, until: NaiveDate) {
    let shop = shop(app).await;
    products::Entity::update_many()
        .col_expr(products::Column::FirstBatchUntil, Expr::value(until))
        .filter(products::Column::ShopId.eq(shop.id))
        .filter(products::Column::Slug.eq("weekender-bag"))
        .exec(&app.db)
        .await
        .unwrap();
    arranged(app).await;
}

async fn preorders_never_overrun_the_first_batch_under_concurrency(app: TestApp) {
    let (navy, workshop) = only_navy_for(&app, 12).await;
    let until = seed_day() + Days::new(60);
    first_batch_until(&app, until).await;
    let before = quote(&app, 1, None).await;
    assert_eq!(
        before["first_batch"],
        json!({"left": 12, "until": until}),
        "{before:#}"
    );
    assert!(before["available"].as_bool().unwrap());
    // Within the batch no new supplier order is counted on: 13 bags cannot be had.
    let thirteen = quote(&app, 13, None).await;
    assert_eq!(thirteen["available"], false, "{thirteen:#}");
    assert!(
        thirteen["unavailable_reason"]
            .as_str()
            .unwrap()
            .contains("Sold out in the first batch"),
        "{thirteen:#}"
    );

    let requests = (0..60).map(|i| {
        let app = &app;
        async move { post_order(app, order(&format!("PRE-{i:03}"), 1)).await }
    });
    let answers = futures::future::join_all(requests).await;
    let booked: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, b)| b)
        .collect();
    let refused: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == 409)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(booked.len(), 12, "exactly the first batch is preordered");
    assert_eq!(refused.len(), 48, "the rest are refused, none fails otherwise");
    for o in &booked {
        assert_eq!(o["preorder"], true);
        assert_eq!(
            navy_held(o),
            BTreeMap::from([("stock".to_string(), NAVY_PER_BAG)])
        );
        assert!(date(&o["promised_on"]) <= until + Days::new(30), "{o}");
    }
    for r in &refused {
        assert_eq!(r["type"], "https://c2m.dev/problems/unavailable", "{r}");
    }
    let navy_row = navy_stock(&app, navy, workshop).await;
    assert_eq!(navy_row.reserved, 12 * NAVY_PER_BAG);
    assert!(navy_row.reserved <= navy_row.on_hand);
    crate::orders::snapshot_matches_the_database(&app).await;
    let after = quote(&app, 1, None).await;
    assert_eq!(after["first_batch"]["left"], 0, "{after:#}");
    assert_eq!(after["available"], false);
}

async fn put_allocation(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .put(app.url(&format!("/api/v1/materials/{path}")))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn stock_kept_for_a_channel_is_left_to_it(app: TestApp) {
    let (navy, workshop) = only_navy_for(&app, 10).await;
    // Six bags' canvas kept for wholesale: the web shop has four.
    let (status, kept) = put_allocation(
        &app,
        &format!("{NAVY}/allocations/FB/wholesale"),
        json!({"quantity": 6 * NAVY_PER_BAG}),
    )
    .await;
    assert_eq!(status, 200, "{kept}");
    assert_eq!(kept["kept"], 6 * NAVY_PER_BAG);
    let web_four = quote(&app, 4, None).await;
    let web_five = quote(&app, 5, None).await;
    let wholesale_ten = quote(&app, 10, Some("wholesale")).await;
    let stock_only = |q: &Value| {
        q["fulfilment"]["materials"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["sku"] == NAVY)
            .flat_map(|m| m["sources"].as_array().unwrap())
            .all(|s| s["kind"] == "stock")
    };
    assert!(stock_only(&web_four), "{web_four:#}");
    assert!(
        !stock_only(&web_five),
        "the fifth bag would eat into wholesale's canvas"
    );
    assert!(stock_only(&wholesale_ten), "wholesale takes its own and the rest");

    let (status, web) = post_order(&app, order("WEB-4", 4)).await;
    assert_eq!((status, navy_held(&web)["stock"]), (201, 4 * NAVY_PER_BAG));
    let (status, web_more) = post_order(&app, order("WEB-5", 1)).await;
    assert_eq!(status, 201);
    assert_eq!(
        navy_held(&web_more),
        BTreeMap::from([("supplier_order".to_string(), NAVY_PER_BAG)]),
        "the web shop's next bag waits for the supplier"
    );
    let mut wholesale = order("B2B-6", 6);
    wholesale["channel"] = json!("wholesale");
    let (status, b2b) = post_order(&app, wholesale).await;
    assert_eq!(
        (status, navy_held(&b2b)["stock"]),
        (201, 6 * NAVY_PER_BAG),
        "{b2b:#}"
    );
    assert_eq!(navy_stock(&app, navy, workshop).await.reserved, 10 * NAVY_PER_BAG);
    crate::orders::snapshot_matches_the_database(&app).await;

    // Kept no more: a web order may take what a cancelled wholesale order gives back.
    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/materials/{NAVY}/allocations/FB/wholesale")))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let cancelled = app
        .client
        .post(app.url(&format!("/api/v1/orders/{}/status", b2b["id"])))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"status": "cancelled", "reason": "the retailer went elsewhere"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert!(stock_only(&quote(&app, 6, None).await));
}

async fn allocations_are_checked_and_listed(app: TestApp) {
    let path = format!("{NAVY}/allocations/FB/wholesale");
    for (body, field) in [
        (json!({"quantity": 10, "share": 0.5}), "quantity"),
        (json!({}), "quantity"),
        (json!({"quantity": -1}), "quantity"),
        (json!({"share": 1.5}), "share"),
        (json!({"share": 0}), "share"),
    ] {
        let (status, problem) = put_allocation(&app, &path, body.clone()).await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let (status, problem) = put_allocation(
        &app,
        &format!("{NAVY}/allocations/FB/Whole Sale"),
        json!({"quantity": 1}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("channel")),
        "{problem}"
    );
    let (status, _) = put_allocation(&app, "NOPE/allocations/FB/wholesale", json!({"quantity": 1})).await;
    assert_eq!(status, 404);
    let (status, _) = put_allocation(
        &app,
        &format!("{NAVY}/allocations/XX/wholesale"),
        json!({"quantity": 1}),
    )
    .await;
    assert_eq!(status, 404);
    let shop = shop(&app).await;
    assert_eq!(
        shop.state_version,
        self::shop(&app).await.state_version,
        "refusals change nothing"
    );

    let (status, kept) = put_allocation(&app, &path, json!({"share": 0.25})).await;
    assert_eq!(status, 200, "{kept}");
    let on_hand = kept["on_hand"].as_i64().unwrap();
    assert_eq!(
        kept["kept"].as_i64().unwrap(),
        (on_hand + 3) / 4,
        "a quarter, rounded up"
    );
    assert!(self::shop(&app).await.state_version > shop.state_version);
    let listed: Value = app
        .client
        .get(app.url("/api/v1/allocations"))
        .bearer_auth(DEMO_SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = &listed["items"];
    assert_eq!(items.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(items[0]["channel"], "wholesale");
    assert_eq!(items[0]["share"], 0.25);
    assert_eq!(listed["next_cursor"], Value::Null);
    let audit: Vec<server::store::entities::audit_log::Model> =
        server::store::entities::audit_log::Entity::find()
            .filter(server::store::entities::audit_log::Column::Action.eq("allocation.set"))
            .all(&app.db)
            .await
            .unwrap();
    assert_eq!(audit.len(), 1, "one audited change; the refusals left none");
    // Nothing kept there any more: deleting again is a 404.
    for expected in [204, 404] {
        let response = app
            .client
            .delete(app.url(&format!("/api/v1/materials/{path}")))
            .bearer_auth(DEMO_SECRET_KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
    }
}
