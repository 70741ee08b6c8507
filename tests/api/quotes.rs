//! `POST /api/v1/quotes`, the estimates in the configurator, and the writes that must
//! change the next answer (issue 3, "Service and API").

use c2m_tests::{TestApp, on_both_databases};
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY, FROZEN_REASON, UNSUPPLIABLE_VALUE};
use server::store::entities::{audit_log, shops};

on_both_databases!(
    a_quote_answers_the_selection_and_every_value_of_every_group,
    invalid_requests_name_the_offending_field,
    a_frozen_choice_is_answered_with_its_reason_and_alternative,
    the_configurator_carries_estimates_and_engine_freezes,
    a_stock_count_through_the_api_changes_the_next_quote,
    a_capacity_change_through_the_api_changes_the_next_quote,
    writes_need_a_secret_key_from_a_server_and_bad_ones_change_nothing,
    the_shop_date_rolling_over_at_midnight_gives_a_new_answer,
    bodies_of_another_type_or_too_big_are_refused_with_their_status,
);

fn weekender(fabric: &str) -> Value {
    json!({
        "product": "weekender-bag",
        "selection": {"fabric": [fabric], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
    })
}

async fn quote(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(body)
        .send()
        .await
        .expect("the server answers")
}

async fn ok_quote(app: &TestApp, body: &Value) -> Value {
    let response = quote(app, body).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn put(app: &TestApp, path: &str, key: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .expect("the server answers")
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().and_then(|s| s.parse().ok()).expect("an ISO date")
}

fn option<'a>(answer: &'a Value, group: &str, value: &str) -> &'a Value {
    answer["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == group)
        .and_then(|g| {
            g["values"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["code"] == value)
        })
        .unwrap_or_else(|| panic!("no option {group}.{value}"))
}

async fn state_version(app: &TestApp) -> i64 {
    shops::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo shop")
        .state_version
}

async fn a_quote_answers_the_selection_and_every_value_of_every_group(app: TestApp) {
    let answer = ok_quote(&app, &weekender("navy-canvas")).await;
    assert_eq!(answer["available"], true);
    assert_eq!(answer["quoted_on"], "2026-11-25");
    let estimate = &answer["estimate"];
    let (p50, p90) = (date(&estimate["p50"]), date(&estimate["p90"]));
    assert!(p50 > c2m_tests::seed_day() && p90 >= p50);
    assert_eq!(
        (p50 - c2m_tests::seed_day()).num_days(),
        estimate["lead_days_p50"].as_i64().unwrap()
    );
    assert!(!answer["constraint"]["sentence"].as_str().unwrap().is_empty());
    assert_eq!(answer["fulfilment"]["producing_node"], "FB");
    let navy = answer["fulfilment"]["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["sku"] == "FAB-CNV-NAVY")
        .expect("the navy canvas is sourced");
    assert!(navy["quantity"].as_i64().unwrap() > 0);

    // Every value of every group has an answer, one value per required group selected,
    // and the fastest of each group is marked.
    let options = answer["options"].as_array().unwrap();
    assert_eq!(options.len(), 5);
    for group in options {
        let values = group["values"].as_array().unwrap();
        assert!(values.iter().any(|v| v["fastest"] == true), "{}", group["group"]);
        for v in values {
            assert!(
                v["estimate"].is_object() || v["reason"].is_string(),
                "{}.{} has neither an estimate nor a reason",
                group["group"],
                v["code"]
            );
        }
    }
    assert_eq!(option(&answer, "fabric", "navy-canvas")["selected"], true);
    assert_eq!(option(&answer, "extras", "monogram")["selected"], false);
    // Indigo linen has no stock and must be ordered: slower than navy, and its own
    // quote says why.
    let indigo = option(&answer, "fabric", "indigo-linen");
    assert!(date(&indigo["estimate"]["p50"]) > p50);
    let alone = ok_quote(&app, &weekender("indigo-linen")).await;
    assert_eq!(alone["estimate"], indigo["estimate"]);
    assert_eq!(alone["constraint"]["material"], "FAB-LIN-INDIGO");
    assert_eq!(alone["constraint"]["source"], "supplier");

    // Add-ons toggle, and their order in the request does not matter.
    let mut with_extras = weekender("navy-canvas");
    with_extras["selection"]["extras"] = json!(["strap", "monogram"]);
    let a = ok_quote(&app, &with_extras).await;
    with_extras["selection"]["extras"] = json!(["monogram", "strap"]);
    let b = ok_quote(&app, &with_extras).await;
    assert_eq!(a["estimate"], b["estimate"]);
    assert_eq!(a["price_minor"], b["price_minor"]);
    assert_eq!(
        option(&a, "extras", "strap")["price_minor"].as_i64().unwrap()
            + option(&answer, "extras", "strap")["price_minor"]
                .as_i64()
                .unwrap()
            - answer["price_minor"].as_i64().unwrap(),
        a["price_minor"].as_i64().unwrap(),
        "toggling the strap off gives the price without it"
    );
}

async fn invalid_requests_name_the_offending_field(app: TestApp) {
    let with = |f: &dyn Fn(&mut Value)| {
        let mut body = weekender("navy-canvas");
        f(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&|b| b["selection"]["fabric"] = json!(["plaid"])),
            "selection.fabric[0]",
        ),
        (
            with(&|b| {
                b["selection"].as_object_mut().unwrap().remove("trim");
            }),
            "selection.trim",
        ),
        (
            with(&|b| b["selection"]["fabric"] = json!(["navy-canvas", "sand-canvas"])),
            "selection.fabric",
        ),
        (
            with(&|b| b["selection"]["colour"] = json!(["red"])),
            "selection.colour",
        ),
        (
            with(&|b| b["selection"]["extras"] = json!(["strap", "strap"])),
            "selection.extras[1]",
        ),
        (with(&|b| b["quantity"] = json!(0)), "quantity"),
        (with(&|b| b["quantity"] = json!(1001)), "quantity"),
        (with(&|b| b["quantity"] = json!(-1)), "quantity"),
        (with(&|b| b["quantity"] = json!("two")), "quantity"),
        (
            with(&|b| b["selection"]["fabric"] = json!("navy-canvas")),
            "selection.fabric",
        ),
    ];
    for (body, field) in cases {
        let response = quote(&app, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["type"], "https://c2m.dev/problems/invalid-request");
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let response = quote(&app, &with(&|b| b["product"] = json!("no-such-bag"))).await;
    assert_eq!(response.status(), 404);
    let response = app
        .client
        .post(app.url("/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .body("product=weekender-bag")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415, "a body that is not JSON");
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("application/json"));
}

async fn a_frozen_choice_is_answered_with_its_reason_and_alternative(app: TestApp) {
    let body = json!({
        "product": UNSUPPLIABLE_VALUE.product,
        "selection": {"upper": [UNSUPPLIABLE_VALUE.value], "sole": ["white-cupsole"], "laces": ["white"], "size": ["42"]},
    });
    let answer = ok_quote(&app, &body).await;
    assert_eq!(answer["available"], false);
    assert!(answer["estimate"].is_null());
    let frozen = &answer["frozen"][0];
    assert_eq!(frozen["field"], "selection.upper[0]");
    assert!(
        frozen["reason"].as_str().unwrap().contains("no supplier"),
        "{frozen}"
    );
    let alternative = frozen["alternative"].as_str().expect("an alternative");
    let alt = option(&answer, "upper", alternative);
    assert_eq!(alt["status"], "active");
    assert_eq!(alt["fastest"], true);

    let body = json!({
        "product": "city-tote",
        "selection": {"fabric": ["sage-linen"], "handles": ["webbing"], "closure": ["open"]},
    });
    let answer = ok_quote(&app, &body).await;
    assert_eq!(answer["available"], false);
    assert_eq!(answer["frozen"][0]["reason"], FROZEN_REASON);
}

async fn the_configurator_carries_estimates_and_engine_freezes(app: TestApp) {
    let body: Value = app
        .client
        .get(app.url("/api/v1/products/custom-sneaker/configurator"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let upper = body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["code"] == "upper")
        .unwrap();
    let values = upper["values"].as_array().unwrap();
    let bordeaux = values
        .iter()
        .find(|v| v["code"] == UNSUPPLIABLE_VALUE.value)
        .unwrap();
    assert_eq!(bordeaux["status"], "frozen");
    assert!(bordeaux["frozen_reason"].as_str().unwrap().contains("bordeaux"));
    assert!(bordeaux["alternative"].is_string());
    assert!(bordeaux["estimate"].is_null());
    for v in values.iter().filter(|v| v["status"] == "active") {
        assert!(v["estimate"]["label"].is_string(), "{}", v["code"]);
    }
    assert_ne!(body["default_selection"]["upper"][0], UNSUPPLIABLE_VALUE.value);
    assert_eq!(body["quote"]["available"], true);
    assert_eq!(body["quote"]["selection"], body["default_selection"]);
}

async fn a_stock_count_through_the_api_changes_the_next_quote(app: TestApp) {
    let before = ok_quote(&app, &weekender("indigo-linen")).await;
    assert_eq!(before["constraint"]["material"], "FAB-LIN-INDIGO");
    let version = state_version(&app).await;

    let response = put(
        &app,
        "/api/v1/materials/FAB-LIN-INDIGO/stock/FB",
        DEMO_SECRET_KEY,
        json!({"on_hand": 5_000, "reason": "found two rolls in the back"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let level: Value = response.json().await.unwrap();
    assert_eq!(level["state_version"], version + 1);
    assert_eq!(state_version(&app).await, version + 1);

    let after = ok_quote(&app, &weekender("indigo-linen")).await;
    assert_eq!(after["state_version"], version + 1);
    assert!(date(&after["estimate"]["p50"]) < date(&before["estimate"]["p50"]));
    assert_ne!(after["constraint"]["material"], "FAB-LIN-INDIGO");
    let navy = ok_quote(&app, &weekender("navy-canvas")).await;
    assert_eq!(
        option(&navy, "fabric", "indigo-linen")["estimate"],
        after["estimate"]
    );

    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("stock.set"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].entity_id, "FAB-LIN-INDIGO@FB");
    assert!(audit[0].actor.starts_with("api:sk_demo"));
    assert_eq!(
        audit[0].after.as_ref().unwrap()["reason"],
        "found two rolls in the back"
    );

    // Taking the stock away again brings the old answer back: nothing stale is served.
    put(
        &app,
        "/api/v1/materials/FAB-LIN-INDIGO/stock/FB",
        DEMO_SECRET_KEY,
        json!({"on_hand": 0, "reason": "the rolls were for another order"}),
    )
    .await;
    let again = ok_quote(&app, &weekender("indigo-linen")).await;
    assert_eq!(again["estimate"], before["estimate"]);
    assert_eq!(again["state_version"], version + 2);
}

async fn a_capacity_change_through_the_api_changes_the_next_quote(app: TestApp) {
    let before = ok_quote(&app, &weekender("navy-canvas")).await;
    assert_eq!(before["constraint"]["kind"], "capacity");
    assert_eq!(before["constraint"]["work_center"], "SEW");
    assert!(
        before["constraint"]["sentence"]
            .as_str()
            .unwrap()
            .contains("booked until")
    );

    let response = put(
        &app,
        "/api/v1/work-centers/SEW/capacity",
        DEMO_SECRET_KEY,
        json!({"minutes_per_day": 1_400}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let faster = ok_quote(&app, &weekender("navy-canvas")).await;
    assert!(date(&faster["estimate"]["p50"]) < date(&before["estimate"]["p50"]));
    assert_ne!(faster["constraint"]["work_center"], "SEW");

    // No sewing capacity at all: nothing can be promised, and the answer says why.
    put(
        &app,
        "/api/v1/work-centers/SEW/capacity",
        DEMO_SECRET_KEY,
        json!({"minutes_per_day": 0}),
    )
    .await;
    let none = ok_quote(&app, &weekender("navy-canvas")).await;
    assert_eq!(none["available"], false);
    assert!(
        none["unavailable_reason"].as_str().unwrap().contains("capacity"),
        "{none}"
    );
}

async fn writes_need_a_secret_key_from_a_server_and_bad_ones_change_nothing(app: TestApp) {
    let path = "/api/v1/materials/FAB-CNV-NAVY/stock/FB";
    let count = json!({"on_hand": 1, "reason": "test"});
    let version = state_version(&app).await;
    assert_eq!(
        put(&app, path, DEMO_PUBLISHABLE_KEY, count.clone())
            .await
            .status(),
        403
    );
    let capacity = json!({"minutes_per_day": 960});
    assert_eq!(
        put(
            &app,
            "/api/v1/work-centers/SEW/capacity",
            DEMO_PUBLISHABLE_KEY,
            capacity
        )
        .await
        .status(),
        403,
        "publishable keys stay read-only"
    );
    let from_browser = app
        .client
        .put(app.url(path))
        .bearer_auth(DEMO_SECRET_KEY)
        .header("origin", "https://shop.example")
        .json(&count)
        .send()
        .await
        .unwrap();
    assert_eq!(from_browser.status(), 403);

    let refused = [
        (path, json!({"on_hand": -5, "reason": "x"}), 422, Some("on_hand")),
        (path, json!({"on_hand": 5, "reason": " "}), 422, Some("reason")),
        // The seeded open orders hold navy canvas at the factory.
        (path, json!({"on_hand": 1, "reason": "x"}), 422, Some("on_hand")),
        (path, json!({"on_hand": 5}), 422, Some("")),
        (
            "/api/v1/materials/NOPE/stock/FB",
            json!({"on_hand": 5, "reason": "x"}),
            404,
            None,
        ),
        (
            "/api/v1/materials/FAB-CNV-NAVY/stock/MARS",
            json!({"on_hand": 5, "reason": "x"}),
            404,
            None,
        ),
        (
            "/api/v1/work-centers/SEW/capacity",
            json!({"minutes_per_day": 2_000}),
            422,
            Some("minutes_per_day"),
        ),
        (
            "/api/v1/work-centers/NOPE/capacity",
            json!({"minutes_per_day": 60}),
            404,
            None,
        ),
    ];
    for (path, body, status, field) in refused {
        let response = put(&app, path, DEMO_SECRET_KEY, body.clone()).await;
        assert_eq!(response.status(), status, "{path} {body}");
        let problem: Value = response.json().await.unwrap();
        if let Some(field) = field {
            assert_eq!(problem["errors"][0]["field"], field, "{path} {body}: {problem}");
        }
    }
    assert_eq!(
        state_version(&app).await,
        version,
        "a refused write changed the version"
    );
    assert!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("stock.set"))
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn the_shop_date_rolling_over_at_midnight_gives_a_new_answer(app: TestApp) {
    // The demo shop is in Europe/Berlin (UTC+1 in November).
    app.set_now(Utc.with_ymd_and_hms(2026, 11, 25, 22, 59, 0).unwrap());
    let late = ok_quote(&app, &weekender("navy-canvas")).await;
    assert_eq!(late["quoted_on"], "2026-11-25");
    app.set_now(Utc.with_ymd_and_hms(2026, 11, 25, 23, 1, 0).unwrap());
    let next_day = ok_quote(&app, &weekender("navy-canvas")).await;
    assert_eq!(next_day["quoted_on"], "2026-11-26");
    assert_eq!(next_day["state_version"], late["state_version"]);
    let lead = |a: &Value| a["estimate"]["lead_days_p50"].as_i64().unwrap();
    let p50 = |a: &Value| date(&a["estimate"]["p50"]);
    // A day later, the same delivery is one lead day closer, or the date moved.
    assert!(
        lead(&next_day) == lead(&late) - 1 || p50(&next_day) > p50(&late),
        "{late} {next_day}"
    );
}

async fn bodies_of_another_type_or_too_big_are_refused_with_their_status(app: TestApp) {
    let post = |content_type: &'static str, body: String| {
        app.client
            .post(app.url("/api/v1/quotes"))
            .bearer_auth(DEMO_PUBLISHABLE_KEY)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let body = weekender("navy-canvas").to_string();
    let response = post("text/plain", body.clone()).await.unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let big = json!({"product": "weekender-bag", "padding": "x".repeat(70 * 1024)}).to_string();
    let response = post("application/json", big).await.unwrap();
    assert_eq!(response.status(), 413);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("65536 bytes"),
        "{problem}"
    );
    // The same body as JSON is answered.
    assert_eq!(post("application/json", body).await.unwrap().status(), 200);
}
