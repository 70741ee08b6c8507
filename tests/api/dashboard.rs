//! The dashboard's KPIs over real orders (issue 19, "The dashboard"): an order kept,
//! late, overdue or cancelled moves exactly the figures its definition in
//! `docs/kpis.md` says, week by week, and the orders behind a KPI are listed with the
//! ones against it first; the window is in the URL and a bad one is refused naming it.

use c2m_tests::{TestApp, on_both_databases, seed_noon};
use chrono::{NaiveDate, TimeDelta};
use reqwest::Method;
use serde_json::{Value, json};

use crate::orders::{date, order};
use crate::production::call;

on_both_databases!(
    a_promise_kept_late_or_cancelled_moves_the_kpis_as_defined,
    the_page_shows_each_kpi_its_trend_and_the_orders_behind_it,
    a_bad_window_or_kpi_is_refused_naming_it,
);

/// The dashboard's figures as the page's server function answers them.
async fn dashboard(app: &TestApp, weeks: &str, kpi: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/_fn/admin/dashboard"))
        .header("origin", app.url(""))
        .form(&[("weeks", weeks), ("kpi", kpi)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn kpi<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {d:#}"))
}

/// (orders counted, orders kept) of a share KPI, from its weekly figures.
fn counts(k: &Value) -> (u64, u64) {
    let weeks = k["weekly"].as_array().unwrap();
    let counted: u64 = weeks.iter().map(|w| w["orders"].as_u64().unwrap()).sum();
    let kept: f64 = weeks
        .iter()
        .filter_map(|w| Some(w["value"].as_f64()? * w["orders"].as_f64().unwrap()))
        .sum();
    let whole = k["value"].as_f64().unwrap_or(0.0) * counted as f64;
    assert!(
        (kept - whole).abs() < 1e-6,
        "the weeks add up to the window: {k:#}"
    );
    (counted, kept.round() as u64)
}

fn drilled<'a>(d: &'a Value, reference: &str) -> Option<&'a Value> {
    d["drill"]["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["reference"] == reference)
}

/// Places a weekender and returns (id, promised date).
async fn placed(app: &TestApp, reference: &str) -> (i64, NaiveDate) {
    let (status, body) = call(app, Method::POST, "/api/v1/orders", order(reference, 1), None).await;
    assert_eq!(status, 201, "{body:#}");
    (body["id"].as_i64().unwrap(), date(&body["promised_on"]))
}

async fn move_to(app: &TestApp, id: i64, body: Value) {
    let path = format!("/api/v1/orders/{id}/status");
    let (status, answer) = call(app, Method::POST, &path, body, None).await;
    assert_eq!(status, 200, "{answer:#}");
}

async fn a_promise_kept_late_or_cancelled_moves_the_kpis_as_defined(app: TestApp) {
    app.sign_in().await;
    let (kept, promised) = placed(&app, "KPI-KEPT").await;
    let (by_shop, promised_shop) = placed(&app, "KPI-SHOP").await;
    let (by_customer, _) = placed(&app, "KPI-CUSTOMER").await;
    move_to(&app, kept, json!({"status": "in_production"})).await;
    let cancel = |by: &str| json!({"status": "cancelled", "reason": "test", "cancelled_by": by});
    move_to(&app, by_shop, cancel("shop")).await;
    move_to(&app, by_customer, cancel("customer")).await;
    // Two days after both promises: the open order is overdue.
    let due = promised.max(promised_shop);
    let today = due + TimeDelta::days(2);
    app.set_now(seed_noon() + (today - seed_noon().date_naive()));
    // Days later the session has gone idle.
    app.sign_in().await;

    let (status, before) = dashboard(&app, "4", "perfect_order_rate").await;
    assert_eq!(status, 200, "{before:#}");
    assert_eq!(before["today"], json!(today));
    let overdue = drilled(&before, "KPI-KEPT").expect("the overdue order is behind the rate");
    assert_eq!(overdue["missed"], true);
    let days = (today - promised).num_days();
    assert_eq!(
        overdue["outcome"],
        format!("open, {days} days past its promised date")
    );
    assert_eq!(
        drilled(&before, "KPI-SHOP").unwrap()["outcome"],
        "cancelled by the shop"
    );
    assert_eq!(drilled(&before, "KPI-SHOP").unwrap()["missed"], true);
    assert_eq!(drilled(&before, "KPI-CUSTOMER").unwrap()["missed"], false);
    // Missed ones come first.
    let orders = before["drill"]["orders"].as_array().unwrap();
    let first_kept = orders
        .iter()
        .position(|o| o["missed"] == false)
        .unwrap_or(orders.len());
    assert!(
        orders[first_kept..].iter().all(|o| o["missed"] == false),
        "{orders:#?}"
    );
    let (due_before, perfect_before) = counts(kpi(&before, "perfect_order_rate"));
    let (delivered_before, by_promise_before) = counts(kpi(&before, "by_promise"));

    // Delivered on its promised date: the same order, now perfect and kept.
    move_to(&app, kept, json!({"status": "shipped"})).await;
    move_to(
        &app,
        kept,
        json!({"status": "delivered", "delivered_on": promised}),
    )
    .await;
    let (_, after) = dashboard(&app, "4", "perfect_order_rate").await;
    let (due_after, perfect_after) = counts(kpi(&after, "perfect_order_rate"));
    assert_eq!(due_after, due_before, "the order was counted as overdue already");
    assert_eq!(perfect_after, perfect_before + 1);
    let delivered = drilled(&after, "KPI-KEPT").unwrap();
    assert_eq!(delivered["missed"], false);
    assert_eq!(delivered["outcome"], "on its promised date");
    assert_eq!(delivered["delivered"], json!(promised));
    let (delivered_after, by_promise_after) = counts(kpi(&after, "by_promise"));
    assert_eq!(delivered_after, delivered_before + 1);
    assert_eq!(by_promise_after, by_promise_before + 1);
    // The week it counts in is the week of its promised date.
    let weekly = kpi(&after, "perfect_order_rate")["weekly"].as_array().unwrap();
    let week = weekly
        .iter()
        .rposition(|w| date(&w["start"]) <= promised)
        .unwrap();
    let week_before = &kpi(&before, "perfect_order_rate")["weekly"][week];
    assert_eq!(weekly[week]["orders"], week_before["orders"]);
    assert!(weekly[week]["value"].as_f64() > week_before["value"].as_f64());
}

async fn the_page_shows_each_kpi_its_trend_and_the_orders_behind_it(app: TestApp) {
    app.sign_in().await;
    let (_, empty) = dashboard(&app, "12", "").await;
    assert_eq!(
        empty["classes"],
        json!([]),
        "no matrix before the first recomputation"
    );
    let shop = crate::admin_settings::shop(&app).await;
    server::service::recompute::run(app.store(), &shop, seed_noon(), |_| {})
        .await
        .expect("the policies recompute");
    let (_, figures) = dashboard(&app, "12", "by_p90").await;
    let response = app
        .client
        .get(app.url("/admin?weeks=12&kpi=by_p90"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    for k in figures["kpis"].as_array().unwrap() {
        let key = k["key"].as_str().unwrap();
        let value = k["value"].as_f64().expect("the demo has orders in every KPI");
        assert!(
            html.contains(&format!(r#"data-kpi="{key}" data-value="{value:.4}""#)),
            "{key} {value} not on the page"
        );
    }
    // One bar or tick per week, each with its hover text.
    let trends = html.matches(r#"class="trend">"#).count();
    assert_eq!(trends, figures["kpis"].as_array().unwrap().len());
    assert!(html.matches("<g class=\"week\">").count() >= 12 * trends);
    assert!(html.contains(r#"data-drill="by_p90""#));
    let listed = figures["drill"]["orders"].as_array().unwrap();
    assert!(!listed.is_empty());
    for o in listed {
        assert!(html.contains(&format!(r#"data-order="{}""#, o["reference"].as_str().unwrap())));
    }
    // The matrix: nine cells with counts that add up to the materials with a policy.
    let cells: u64 = figures["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["materials"].as_u64().unwrap())
        .sum();
    assert_eq!(figures["classes"].as_array().unwrap().len(), 9);
    assert_eq!(cells, 46, "every demo material has a policy");
    assert!(html.contains(r#"href="/admin/materials?class=AX""#));
    assert!(html.contains("aria-current=\"page\""), "the window is marked");
}

async fn a_bad_window_or_kpi_is_refused_naming_it(app: TestApp) {
    app.sign_in().await;
    for (weeks, kpi, field) in [
        ("0", "", "weeks"),
        ("53", "", "weeks"),
        ("x", "", "weeks"),
        ("4", "fill", "kpi"),
    ] {
        let (status, refusal) = dashboard(&app, weeks, kpi).await;
        assert_ne!(status, 200);
        assert_eq!(refusal["field"], field, "{weeks} {kpi}: {refusal}");
    }
    let page = app.client.get(app.url("/admin?weeks=99")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains("is not a number of weeks from 1 to 52"),
        "the page says why"
    );
}
