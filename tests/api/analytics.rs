//! `GET /api/v1/analytics/funnel` and `/trend` (issue 6, "Analytics"): funnels and
//! trends read from the rollups that stored events add to, exact for a known batch of
//! events, limited to their window, for secret keys only.
//!
//! Most tests move the server's clock to [`NOW`], months after the seeded history
//! ends, so the rollups of their windows hold only the events the test posts.

use std::collections::BTreeMap;

use c2m_tests::{TestApp, on_both_databases};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};

on_both_databases!(
    a_known_batch_gives_exact_funnel_counts_and_rates,
    every_value_is_listed_in_catalog_order_quiet_ones_with_zeros,
    events_of_other_days_are_outside_the_window,
    only_secret_keys_from_servers_may_read_analytics,
    a_bad_window_is_refused_naming_its_field,
    an_unknown_product_is_not_found,
    the_trend_follows_a_constructed_series,
    the_seeded_weekender_has_a_consistent_funnel,
);

const PRODUCT: &str = "weekender-bag";
const SESSION: &str = "t_analytics";

/// Noon UTC on 1 June 2027: the seeded history (up to 25 Nov 2026) is far outside
/// every window the tests read.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 12, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

/// 10:00 UTC (noon in the shop's Berlin) `days` days before [`now`].
fn days_ago(days: i64) -> String {
    (now() - Duration::days(days) - Duration::hours(2)).to_rfc3339()
}

fn day(days_ago: i64) -> String {
    (today() - Duration::days(days_ago)).to_string()
}

/// Makes event ids unique within a test.
struct Events {
    next: u32,
    list: Vec<Value>,
}

impl Events {
    fn new() -> Self {
        Events {
            next: 0,
            list: Vec::new(),
        }
    }

    fn push(&mut self, mut event: Value, ago: i64) {
        self.next += 1;
        event["id"] = json!(format!("t-analytics-{:05}", self.next));
        event["product"] = json!(PRODUCT);
        event["session"] = json!(SESSION);
        event["occurred_at"] = json!(days_ago(ago));
        self.list.push(event);
    }

    fn views(&mut self, n: usize, ago: i64) {
        for _ in 0..n {
            self.push(json!({"kind": "view"}), ago);
        }
    }

    fn selects(&mut self, n: usize, group: &str, value: &str, ago: i64) {
        for _ in 0..n {
            self.push(
                json!({"kind": "option_select", "group": group, "value": value}),
                ago,
            );
        }
    }

    /// `n` events of `kind` carrying a whole configuration in `fabric`, tan trim,
    /// brass hardware and cotton lining, with `extras`.
    fn configured(&mut self, n: usize, kind: &str, fabric: &str, extras: &[&str], ago: i64) {
        let mut selection =
            json!({"fabric": [fabric], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]});
        if !extras.is_empty() {
            selection["extras"] = json!(extras);
        }
        for _ in 0..n {
            self.push(json!({"kind": kind, "selection": selection}), ago);
        }
    }

    /// Posts every event with the secret key (so purchases count too), in batches of
    /// at most 500.
    async fn post(self, app: &TestApp) {
        for chunk in self.list.chunks(500) {
            let response = app
                .client
                .post(app.url("/api/v1/events"))
                .bearer_auth(DEMO_SECRET_KEY)
                .json(&json!({ "events": chunk }))
                .send()
                .await
                .expect("the server answers");
            let status = response.status();
            let receipt: Value = response.json().await.unwrap();
            assert_eq!(status, 200, "{receipt}");
            assert_eq!(receipt["stored"], chunk.len(), "{receipt}");
        }
    }
}

async fn ok(app: &TestApp, path: &str) -> Value {
    let response = app.get_with_secret_key(path).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The problem of a refused request with `status`.
async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    response.json().await.unwrap()
}

/// The weekender's funnel.
fn weekender(report: &Value) -> &Value {
    report["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product"] == PRODUCT)
        .expect("the weekender's funnel")
}

/// Value `code` of group `group` in a product's funnel.
fn value<'a>(product: &'a Value, group: &str, code: &str) -> &'a Value {
    product["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == group)
        .and_then(|g| {
            g["values"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["value"] == code)
        })
        .unwrap_or_else(|| panic!("{group}.{code} in {product}"))
}

#[track_caller]
fn close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is not a number"));
    assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
}

/// The batch of the exact tests: 10 views; 4 navy, 2 lagoon and 3 tan selections;
/// 2 navy carts with a monogram, 1 lagoon cart; 1 navy preorder; 1 navy purchase.
async fn post_known_batch(app: &TestApp) {
    app.set_now(now());
    let mut events = Events::new();
    events.views(10, 0);
    events.selects(4, "fabric", "navy-canvas", 0);
    events.selects(2, "fabric", "lagoon-canvas", 0);
    events.selects(3, "trim", "tan", 0);
    events.configured(2, "add_to_cart", "navy-canvas", &["monogram"], 0);
    events.configured(1, "add_to_cart", "lagoon-canvas", &[], 0);
    events.configured(1, "preorder", "navy-canvas", &[], 0);
    events.configured(1, "purchase", "navy-canvas", &[], 0);
    events.post(app).await;
}

async fn a_known_batch_gives_exact_funnel_counts_and_rates(app: TestApp) {
    post_known_batch(&app).await;
    let today = today();
    let report = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from={today}&to={today}"),
    )
    .await;
    assert_eq!(
        report["window"],
        json!({"from": today.to_string(), "to": today.to_string()})
    );
    assert_eq!(
        report["products"].as_array().unwrap().len(),
        1,
        "only the product asked for"
    );
    let bag = weekender(&report);
    assert_eq!(bag["name"], "Weekender bag");
    assert_eq!(
        bag["counts"],
        json!({"views": 10, "selections": 9, "favorites": 0, "add_to_cart": 3, "preorders": 1, "purchases": 1})
    );
    let rates = &bag["rates"];
    close(&rates["selections_per_view"], 0.9);
    close(&rates["favorites_per_view"], 0.0);
    close(&rates["add_to_cart_per_view"], 0.3);
    close(&rates["preorders_per_view"], 0.1);
    close(&rates["purchases_per_view"], 0.1);
    close(&rates["purchase_per_cart"], 2.0 / 3.0);

    let navy = value(bag, "fabric", "navy-canvas");
    assert_eq!(
        (
            &navy["selections"],
            &navy["add_to_cart"],
            &navy["preorders"],
            &navy["purchases"],
            &navy["favorites"]
        ),
        (&json!(4), &json!(2), &json!(1), &json!(1), &json!(0))
    );
    close(&navy["add_to_cart_rate"], 0.5);
    close(&navy["share_of_selections"], 4.0 / 6.0);
    let lagoon = value(bag, "fabric", "lagoon-canvas");
    assert_eq!(
        (&lagoon["selections"], &lagoon["add_to_cart"]),
        (&json!(2), &json!(1))
    );
    close(&lagoon["add_to_cart_rate"], 0.5);
    close(&lagoon["share_of_selections"], 2.0 / 6.0);
    // Tan is in every configuration: three carts for three selections.
    let tan = value(bag, "trim", "tan");
    assert_eq!(
        (&tan["selections"], &tan["add_to_cart"], &tan["purchases"]),
        (&json!(3), &json!(3), &json!(1))
    );
    close(&tan["add_to_cart_rate"], 1.0);
    close(&tan["share_of_selections"], 1.0);
    // Brass was carted but never picked: no rate and no share, rather than zeros.
    let brass = value(bag, "hardware", "brass");
    assert_eq!(brass["add_to_cart"], 3);
    assert_eq!(
        (&brass["add_to_cart_rate"], &brass["share_of_selections"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(value(bag, "extras", "monogram")["add_to_cart"], 2);

    // Every product when none is named, the others without heat in the window.
    let all = ok(&app, &format!("/api/v1/analytics/funnel?from={today}&to={today}")).await;
    let slugs: Vec<&str> = all["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["product"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["city-tote", "custom-sneaker", PRODUCT], "by name");
    assert_eq!(weekender(&all), bag);
    let tote = &all["products"][0];
    assert_eq!(tote["counts"]["views"], 0);
    assert_eq!(
        tote["rates"]["selections_per_view"],
        Value::Null,
        "no views, no rate"
    );
}

async fn every_value_is_listed_in_catalog_order_quiet_ones_with_zeros(app: TestApp) {
    post_known_batch(&app).await;
    let report = ok(&app, &format!("/api/v1/analytics/funnel?product={PRODUCT}")).await;
    let bag = weekender(&report);
    let groups: Vec<(&str, Vec<&str>)> = bag["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let values = g["values"].as_array().unwrap();
            (
                g["group"].as_str().unwrap(),
                values.iter().map(|v| v["value"].as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "fabric",
                vec![
                    "navy-canvas",
                    "sand-canvas",
                    "black-canvas",
                    "lagoon-canvas",
                    "natural-linen",
                    "indigo-linen",
                    "olive-linen"
                ]
            ),
            ("trim", vec!["tan", "cognac", "black"]),
            ("hardware", vec!["brass", "nickel", "gunmetal"]),
            ("lining", vec!["cotton", "stripe", "canvas"]),
            ("extras", vec!["monogram", "shoe-pocket", "strap"]),
        ]
    );
    let sand = value(bag, "fabric", "sand-canvas");
    assert_eq!(sand["label"], "Sand canvas");
    assert_eq!(
        (&sand["selections"], &sand["add_to_cart"]),
        (&json!(0), &json!(0))
    );
    assert_eq!(sand["add_to_cart_rate"], Value::Null);
    close(&sand["share_of_selections"], 0.0);
}

async fn events_of_other_days_are_outside_the_window(app: TestApp) {
    app.set_now(now());
    let mut events = Events::new();
    events.views(1, 28); // inside the default 30 days
    events.views(2, 3);
    events.views(3, 1);
    events.views(4, 0);
    events.views(5, -1); // tomorrow (a day ahead is accepted): after `to`
    events.post(&app).await;
    let views = |report: Value| weekender(&report)["counts"]["views"].as_u64().unwrap();

    let (from, to) = (day(1), day(0));
    let window = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from={from}&to={to}"),
    )
    .await;
    assert_eq!(views(window), 3 + 4);
    let one_day = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from={from}&to={from}"),
    )
    .await;
    assert_eq!(views(one_day), 3);
    // By default: the 30 days ending today.
    let default = ok(&app, &format!("/api/v1/analytics/funnel?product={PRODUCT}")).await;
    assert_eq!(default["window"], json!({"from": day(29), "to": day(0)}));
    assert_eq!(views(default), 1 + 2 + 3 + 4);
    let since = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from={}", day(3)),
    )
    .await;
    assert_eq!(views(since), 2 + 3 + 4, "`to` defaults to today");
    let tomorrow = day(-1);
    let ahead = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from={tomorrow}&to={tomorrow}"),
    )
    .await;
    assert_eq!(views(ahead), 5);
}

async fn only_secret_keys_from_servers_may_read_analytics(app: TestApp) {
    for path in ["/api/v1/analytics/funnel", "/api/v1/analytics/trend"] {
        let publishable = app
            .client
            .get(app.url(path))
            .bearer_auth(DEMO_PUBLISHABLE_KEY)
            .send()
            .await
            .unwrap();
        let refused = problem(publishable, 403).await;
        assert!(
            refused["detail"].as_str().unwrap().contains("secret key"),
            "{refused}"
        );

        let anonymous = app.client.get(app.url(path)).send().await.unwrap();
        problem(anonymous, 401).await;

        let from_a_page = app
            .client
            .get(app.url(path))
            .bearer_auth(DEMO_SECRET_KEY)
            .header("Origin", "https://shop.example")
            .send()
            .await
            .unwrap();
        problem(from_a_page, 403).await;

        assert_eq!(app.get_with_secret_key(path).await.status(), 200);
    }
}

async fn a_bad_window_is_refused_naming_its_field(app: TestApp) {
    let cases = [
        ("/api/v1/analytics/funnel?from=2026-13-01", "from"),
        ("/api/v1/analytics/funnel?to=yesterday", "to"),
        ("/api/v1/analytics/funnel?from=2026-11-20&to=2026-11-19", "from"),
        ("/api/v1/analytics/funnel?from=2025-11-24&to=2026-11-25", "from"),
        ("/api/v1/analytics/trend?days=13", "days"),
        ("/api/v1/analytics/trend?days=367", "days"),
        ("/api/v1/analytics/trend?days=ninety", "days"),
        ("/api/v1/analytics/trend?to=2026-02-30", "to"),
    ];
    for (path, field) in cases {
        let refused = problem(app.get_with_secret_key(path).await, 422).await;
        assert_eq!(refused["type"], "https://c2m.dev/problems/invalid-request");
        assert_eq!(refused["errors"][0]["field"], field, "{path}: {refused}");
    }
    // The longest window is a year and a day (366 days), both ends included.
    let longest = ok(&app, "/api/v1/analytics/funnel?from=2025-11-25&to=2026-11-25").await;
    assert_eq!(longest["window"]["from"], "2025-11-25");
    // An empty parameter is no parameter: the defaults.
    let empty = ok(&app, "/api/v1/analytics/funnel?from=&to=&product=").await;
    assert_eq!(empty["window"], json!({"from": "2026-10-27", "to": "2026-11-25"}));
    assert_eq!(empty["products"].as_array().unwrap().len(), 3);
}

async fn an_unknown_product_is_not_found(app: TestApp) {
    for path in [
        "/api/v1/analytics/funnel?product=no-such-bag",
        "/api/v1/analytics/trend?product=no-such-bag",
    ] {
        let missing = problem(app.get_with_secret_key(path).await, 404).await;
        assert!(
            missing["detail"].as_str().unwrap().contains("no-such-bag"),
            "{missing}"
        );
    }
}

/// The EWMA of the definition, written out again: seeded with the first day,
/// `s = a·x + (1 − a)·s` with `a = 2 / (span + 1)`.
fn ewma(series: &[u64], span: f64) -> f64 {
    let a = 2.0 / (span + 1.0);
    series
        .iter()
        .skip(1)
        .fold(series[0] as f64, |s, &x| a * x as f64 + (1.0 - a) * s)
}

async fn the_trend_follows_a_constructed_series(app: TestApp) {
    app.set_now(now());
    // Navy: 2 carts a day from 27 to 8 days ago, then none (falling). Lagoon: nothing
    // until a week ago, then 5 preorders a day (rising).
    let mut events = Events::new();
    let mut navy = BTreeMap::new();
    let mut lagoon = BTreeMap::new();
    for ago in 8..=27 {
        events.configured(2, "add_to_cart", "navy-canvas", &[], ago);
        navy.insert(ago, 2);
    }
    for ago in 0..=6 {
        events.configured(5, "preorder", "lagoon-canvas", &[], ago);
        lagoon.insert(ago, 5);
    }
    // Views and selections are not part of the trend.
    events.views(20, 0);
    events.selects(5, "fabric", "lagoon-canvas", 0);
    events.post(&app).await;

    let report = ok(
        &app,
        &format!("/api/v1/analytics/trend?product={PRODUCT}&days=28&to={}", day(0)),
    )
    .await;
    assert_eq!(report["window"], json!({"from": day(27), "to": day(0)}));
    let bag = &report["products"][0];
    assert_eq!(bag["product"], PRODUCT);
    let series = |counts: &BTreeMap<i64, u64>| -> Vec<u64> {
        (0..28)
            .rev()
            .map(|ago| counts.get(&ago).copied().unwrap_or(0))
            .collect()
    };
    let (navy, lagoon) = (series(&navy), series(&lagoon));
    let whole: Vec<u64> = navy.iter().zip(&lagoon).map(|(a, b)| a + b).collect();

    let check = |trend: &Value, series: &[u64], direction: &str| {
        assert_eq!(trend["series"], json!(series));
        let (short, long) = (ewma(series, 7.0), ewma(series, 28.0));
        close(&trend["short"], short);
        close(&trend["long"], long);
        close(&trend["ratio"], short / long);
        assert_eq!(trend["direction"], direction, "{trend}");
    };
    check(&bag["trend"], &whole, "rising");
    let of = |code: &str| {
        bag["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == code)
            .map(|v| v["trend"].clone())
            .unwrap()
    };
    check(&of("navy-canvas"), &navy, "falling");
    check(&of("lagoon-canvas"), &lagoon, "rising");
    let quiet = of("indigo-linen");
    assert_eq!(
        (&quiet["ratio"], &quiet["direction"]),
        (&Value::Null, &json!("steady"))
    );
    assert_eq!(
        bag["values"].as_array().unwrap().len(),
        19,
        "every value of the weekender"
    );

    // 90 days by default, ending yesterday (today is still under way); `to` moves the end.
    let default = ok(&app, &format!("/api/v1/analytics/trend?product={PRODUCT}")).await;
    assert_eq!(default["window"], json!({"from": day(90), "to": day(1)}));
    let series = default["products"][0]["trend"]["series"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(series.len(), 90);
    assert_eq!(series[89], 5, "yesterday's lagoon preorders");
    let earlier = ok(
        &app,
        &format!("/api/v1/analytics/trend?product={PRODUCT}&days=14&to={}", day(8)),
    )
    .await;
    let navy_then = earlier["products"][0]["values"][0]["trend"].clone();
    assert_eq!(navy_then["series"], json!(vec![2; 14]), "carts until 8 days ago");
    assert_eq!(navy_then["direction"], "steady");
}

/// The demo shop's history, through the same rollups: per-value counts add up to the
/// product's, and the niche Lagoon blue canvas is carted more often per selection in
/// its spike (the last 14 days) than the best seller.
async fn the_seeded_weekender_has_a_consistent_funnel(app: TestApp) {
    let report = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from=2026-10-01"),
    )
    .await;
    let bag = weekender(&report);
    let counts = &bag["counts"];
    let n = |v: &Value| v.as_u64().unwrap();
    assert!(
        n(&counts["add_to_cart"]) > 0,
        "the seeded history is in the rollups: {counts}"
    );
    assert!(n(&counts["views"]) > n(&counts["add_to_cart"]), "{counts}");
    for group in bag["groups"].as_array().unwrap() {
        let sum = |field: &str| -> u64 {
            group["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| n(&v[field]))
                .sum()
        };
        if group["group"] != "extras" {
            // Single-choice required groups: each configuration has exactly one value.
            assert_eq!(
                sum("add_to_cart"),
                n(&counts["add_to_cart"]),
                "{}",
                group["group"]
            );
            assert_eq!(sum("preorders"), n(&counts["preorders"]), "{}", group["group"]);
        }
    }
    let selections: u64 = bag["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["values"].as_array().unwrap())
        .map(|v| n(&v["selections"]))
        .sum();
    assert_eq!(
        selections,
        n(&counts["selections"]),
        "each selection picks one value"
    );

    let spike = ok(
        &app,
        &format!("/api/v1/analytics/funnel?product={PRODUCT}&from=2026-11-12&to=2026-11-25"),
    )
    .await;
    let bag = weekender(&spike);
    let rate = |code: &str| value(bag, "fabric", code)["add_to_cart_rate"].as_f64().unwrap();
    assert!(
        rate("lagoon-canvas") > 2.0 * rate("navy-canvas"),
        "lagoon {} vs navy {}",
        rate("lagoon-canvas"),
        rate("navy-canvas")
    );
}
