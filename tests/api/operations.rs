//! Finished operations (issue 16, "Calibrated promises": "each work center's real
//! minutes per unit from finished operations"): an order books its routing's
//! operations, an operator reports the minutes each really took (`PUT
//! /api/v1/orders/{id}/operations/{seq}`), and the next order books that work center at
//! the pace the reports show, unless the shop has learning off. Bad reports are refused
//! naming the field and change nothing.

use c2m_tests::{TestApp, on_both_databases};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::DEMO_SECRET_KEY;
use server::store::entities::{audit_log, order_operations};

use crate::orders::{only_navy_for, order};

on_both_databases!(finished_operations_teach_a_work_center_its_pace_and_bad_reports_change_nothing);

/// The work center whose operations the tests report slow.
const SLOW: &str = "SEW";

async fn call(app: &TestApp, method: Method, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .request(method, app.url(path))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    if status >= 400 {
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn place(app: &TestApp, reference: &str) -> Value {
    let (status, placed) = call(app, Method::POST, "/api/v1/orders", order(reference, 1)).await;
    assert_eq!(status, 201, "{placed:#}");
    placed
}

fn operations(order: &Value) -> &Vec<Value> {
    order["operations"].as_array().expect("the order's operations")
}

fn minutes(op: &Value, field: &str) -> i64 {
    op[field].as_i64().unwrap_or_else(|| panic!("{field} in {op}"))
}

async fn report(app: &TestApp, id: i64, seq: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/orders/{id}/operations/{seq}");
    call(app, Method::PUT, &path, body).await
}

async fn finished_operations_teach_a_work_center_its_pace_and_bad_reports_change_nothing(app: TestApp) {
    only_navy_for(&app, 10).await;
    let first = place(&app, "PACE-1").await;
    let id = first["id"].as_i64().unwrap();
    let ops = operations(&first).clone();
    assert!(ops.iter().any(|op| op["work_center"] == SLOW), "{first:#}");
    for (seq, op) in ops.iter().enumerate() {
        assert_eq!(op["seq"], seq as i64, "{op}");
        // Nothing finished yet: every work center is booked as its routing says.
        assert_eq!(
            minutes(op, "booked_minutes"),
            minutes(op, "planned_minutes"),
            "{op}"
        );
        assert!(minutes(op, "planned_minutes") > 0, "{op}");
        assert!(
            op["actual_minutes"].is_null() && op["finished_on"].is_null(),
            "{op}"
        );
    }

    // Work not started cannot be reported.
    let (status, problem) = report(&app, id, 0, json!({"actual_minutes": 50})).await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("`placed`"),
        "{problem}"
    );
    let (status, moved) = call(
        &app,
        Method::POST,
        &format!("/api/v1/orders/{id}/status"),
        json!({"status": "in_production"}),
    )
    .await;
    assert_eq!(status, 200, "{moved}");

    // Bad reports name the field and change nothing.
    let tomorrow = (c2m_tests::seed_day() + chrono::Days::new(1)).to_string();
    for (body, field) in [
        (json!({"actual_minutes": 0}), "actual_minutes"),
        (json!({"actual_minutes": 50_000}), "actual_minutes"),
        (
            json!({"actual_minutes": 50, "finished_on": tomorrow}),
            "finished_on",
        ),
        (
            json!({"actual_minutes": 50, "finished_on": "2020-01-01"}),
            "finished_on",
        ),
    ] {
        let (status, problem) = report(&app, id, 0, body.clone()).await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let (status, problem) = report(&app, id, ops.len() as i64, json!({"actual_minutes": 50})).await;
    assert_eq!(status, 404, "{problem}");
    let (status, _) = report(&app, 987_654, 0, json!({"actual_minutes": 50})).await;
    assert_eq!(status, 404);
    let unreported = order_operations::Entity::find()
        .filter(order_operations::Column::OrderId.eq(id))
        .filter(order_operations::Column::ActualMinutes.is_not_null())
        .all(&app.db)
        .await
        .unwrap();
    assert!(unreported.is_empty(), "a refused report wrote {unreported:?}");

    // Sewing took twice its minutes; every other work center exactly its routing's.
    let mut last = Value::Null;
    for (seq, op) in ops.iter().enumerate() {
        let planned = minutes(op, "planned_minutes");
        let actual = if op["work_center"] == SLOW {
            2 * planned
        } else {
            planned
        };
        let (status, reported) = report(&app, id, seq as i64, json!({"actual_minutes": actual})).await;
        assert_eq!(status, 200, "{reported:#}");
        let now = &operations(&reported)[seq];
        assert_eq!(minutes(now, "actual_minutes"), actual, "{now}");
        assert!(now["finished_on"].is_string(), "{now}");
        last = reported;
    }
    assert_eq!(last["status"], "in_production");
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("order.operation"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), ops.len(), "one audit row per report");

    // The next order books sewing at the pace the reports showed, the rest as planned.
    let second = place(&app, "PACE-2").await;
    for op in operations(&second) {
        let (planned, booked) = (minutes(op, "planned_minutes"), minutes(op, "booked_minutes"));
        if op["work_center"] == SLOW {
            assert!(
                booked > planned * 11 / 10 && booked < planned * 2,
                "sewing learned slower, not all the way from two reports: {op}"
            );
        } else {
            assert_eq!(booked, planned, "{op}");
        }
    }

    // The admin shows sewing's learned pace with the reports behind it.
    app.sign_in().await;
    let response = app.client.get(app.url("/admin/supply")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    let sewing = page
        .split("data-pace=\"SEW\"")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("the supply page lists sewing's pace");
    let reported = ops.iter().filter(|op| op["work_center"] == SLOW).count();
    assert!(
        sewing.contains(&format!("data-evidence=\"{reported}\"")),
        "{sewing}"
    );
    assert!(
        !sewing.contains(">1.00 ± 0.00<"),
        "sewing's learned pace is not the routings': {sewing}"
    );

    // With learning off, the routings' minutes again.
    let (status, _) = call(
        &app,
        Method::PUT,
        "/api/v1/settings/promises",
        json!({"promise_quantile": 0.97, "learn_lead_times": false}),
    )
    .await;
    assert_eq!(status, 200);
    let third = place(&app, "PACE-3").await;
    for op in operations(&third) {
        assert_eq!(
            minutes(op, "booked_minutes"),
            minutes(op, "planned_minutes"),
            "{op}"
        );
    }
}
