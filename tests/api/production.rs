//! Production watch (issue 18, "During production"): operators report the material
//! orders in production use (`POST /api/v1/orders/{id}/consumption`); use beyond an
//! order's plan leaves the stock at once; a material used more than 20 % above plan
//! raises an overconsumption alert with the orders and figures behind it, and
//! suggestions that cover the shortfall from other nodes' surplus first, then a
//! purchase draft. Accepting drafts the transfer or purchase order; dismissing changes
//! nothing. Bad reports are refused by field and change nothing; a retried report with
//! its idempotency key counts once. The demo seed shows one such case on first run.

use c2m_tests::{TestApp, on_both_databases};
use reqwest::Method;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use server::seed::DEMO_SECRET_KEY;
use server::store::entities::{
    AlertStatus, InboundKind, InboundStatus, OrderStatus, SuggestionStatus, alerts, inbound,
    material_consumption, materials, nodes, order_reservations, orders, shops, stock, suggestions,
};

use crate::admin_settings::{accepted, audited, get, post_form, refusal_of, shop};
use crate::orders::order;

on_both_databases!(
    use_beyond_plan_raises_an_alert_whose_transfer_is_drafted_on_accept,
    what_surplus_cannot_cover_is_a_purchase_draft_and_a_dismissal_changes_nothing,
    bad_consumption_reports_are_refused_by_field_and_a_retry_counts_once,
    the_demo_shows_an_overconsumed_fastener_with_a_transfer_from_the_warehouse,
    the_orders_board_shows_the_step_and_takes_material_used,
    material_used_comes_in_a_csv_file_that_reimports_unchanged,
);

/// The weekender's brass buckle set: four per bag, kept at the bag factory.
pub(crate) const BUCKLES: &str = "BKL-BRASS";
pub(crate) const PER_BAG: i64 = 4;
const ALERTS: &str = "/admin/alerts";

pub(crate) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Value,
    key: Option<&str>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, app.url(path))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    if status >= 400 {
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Places `bags` weekenders and starts their production; the order's id.
pub(crate) async fn in_production(app: &TestApp, reference: &str, bags: u32) -> i64 {
    let (status, placed) = call(app, Method::POST, "/api/v1/orders", order(reference, bags), None).await;
    assert_eq!(status, 201, "{placed:#}");
    let id = placed["id"].as_i64().unwrap();
    let (status, moved) = call(
        app,
        Method::POST,
        &format!("/api/v1/orders/{id}/status"),
        json!({"status": "in_production"}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    id
}

pub(crate) async fn consume(app: &TestApp, order: i64, body: Value, key: Option<&str>) -> (u16, Value) {
    call(
        app,
        Method::POST,
        &format!("/api/v1/orders/{order}/consumption"),
        body,
        key,
    )
    .await
}

pub(crate) async fn material(app: &TestApp, sku: &str) -> materials::Model {
    let shop = shop(app).await;
    materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop.id))
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {sku}"))
}

pub(crate) async fn node(app: &TestApp, code: &str) -> i64 {
    let shop = shop(app).await;
    nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop.id))
        .filter(nodes::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no node {code}"))
        .id
}

pub(crate) async fn stock_at(app: &TestApp, material_id: i64, node_id: i64) -> Option<stock::Model> {
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material_id))
        .filter(stock::Column::NodeId.eq(node_id))
        .one(&app.db)
        .await
        .unwrap()
}

/// Sets the material's free stock (on hand − reserved) at `code` to `free`.
pub(crate) async fn leave_free(app: &TestApp, material_id: i64, code: &str, free: i64) {
    let node_id = node(app, code).await;
    match stock_at(app, material_id, node_id).await {
        Some(row) => {
            stock::Entity::update_many()
                .col_expr(stock::Column::OnHand, Expr::value(row.reserved + free))
                .filter(stock::Column::Id.eq(row.id))
                .exec(&app.db)
                .await
                .unwrap();
        }
        None => {
            stock::ActiveModel {
                material_id: Set(material_id),
                node_id: Set(node_id),
                on_hand: Set(free),
                reserved: Set(0),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
    }
}

/// The seeded reports go, so each test starts from its own.
pub(crate) async fn without_seeded_reports(app: &TestApp) {
    material_consumption::Entity::delete_many()
        .exec(&app.db)
        .await
        .unwrap();
}

/// Two orders in production use the buckles: A (1 bag, 4 planned) and B (2 bags, 8
/// planned); the factory has none free, the warehouse `warehouse_free`.
async fn two_orders_and_no_free_buckles(app: &TestApp, tag: &str, warehouse_free: i64) -> (i64, i64, i64) {
    without_seeded_reports(app).await;
    let a = in_production(app, &format!("{tag}-A"), 1).await;
    let b = in_production(app, &format!("{tag}-B"), 2).await;
    let buckles = material(app, BUCKLES).await;
    let planned: i64 = order_reservations::Entity::find()
        .filter(order_reservations::Column::OrderId.eq(a))
        .filter(order_reservations::Column::MaterialId.eq(buckles.id))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.quantity)
        .sum();
    assert_eq!(planned, PER_BAG, "one bag plans four buckle sets");
    leave_free(app, buckles.id, "FB", 0).await;
    leave_free(app, buckles.id, "WH", warehouse_free).await;
    (a, b, buckles.id)
}

/// What the orders in production other than `reporting` plan of the material: the
/// work still to come (the seeded orders' too).
pub(crate) async fn others_plan(app: &TestApp, material_id: i64, reporting: i64) -> i64 {
    let in_production: Vec<i64> = orders::Entity::find()
        .filter(orders::Column::Status.eq(OrderStatus::InProduction))
        .filter(orders::Column::Id.ne(reporting))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    order_reservations::Entity::find()
        .filter(order_reservations::Column::MaterialId.eq(material_id))
        .filter(order_reservations::Column::OrderId.is_in(in_production))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.quantity)
        .sum()
}

pub(crate) async fn open_alert(app: &TestApp, material_id: i64) -> alerts::Model {
    alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("wip_overconsumption"))
        .filter(alerts::Column::Subject.eq(format!("material:{material_id}")))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an overconsumption alert")
}

pub(crate) async fn suggestions_of(app: &TestApp, alert_id: i64) -> Vec<suggestions::Model> {
    suggestions::Entity::find()
        .filter(suggestions::Column::AlertId.eq(alert_id))
        .all(&app.db)
        .await
        .unwrap()
}

pub(crate) async fn decide(app: &TestApp, id: i64, decision: &str) {
    let id = id.to_string();
    let response = post_form(
        app,
        "/_fn/admin/decide_suggestion",
        ALERTS,
        &[("id", &id), ("decision", decision)],
    )
    .await;
    accepted(&response);
}

pub(crate) async fn drafts(app: &TestApp, material_id: i64, kind: InboundKind) -> Vec<inbound::Model> {
    inbound::Entity::find()
        .filter(inbound::Column::MaterialId.eq(material_id))
        .filter(inbound::Column::Kind.eq(kind))
        .filter(inbound::Column::Status.eq(InboundStatus::Draft))
        .all(&app.db)
        .await
        .unwrap()
}

async fn state_version(app: &TestApp) -> i64 {
    let id = shop(app).await.id;
    shops::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .state_version
}

async fn use_beyond_plan_raises_an_alert_whose_transfer_is_drafted_on_accept(app: TestApp) {
    let (a, _b, buckles) = two_orders_and_no_free_buckles(&app, "WATCH", 500).await;
    let factory = node(&app, "FB").await;
    let on_hand = stock_at(&app, buckles, factory).await.unwrap().on_hand;

    // Within plan: recorded, nothing leaves the stock, no alert.
    let before = state_version(&app).await;
    let (status, used) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 3}), None).await;
    assert_eq!(status, 201, "{used}");
    assert_eq!(
        (
            used["planned"].as_i64(),
            used["consumed"].as_i64(),
            used["taken_from_stock"].as_i64()
        ),
        (Some(4), Some(3), Some(0)),
        "{used}"
    );
    assert_eq!(used["node"], "FB");
    assert_eq!(used["alerts_raised"], 0);
    assert_eq!(state_version(&app).await, before, "no quote input changed");

    // Three more: six against four planned, 50 % above plan. The two beyond the plan
    // leave the factory's stock, and quotes move on.
    let (status, used) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 3}), None).await;
    assert_eq!(status, 201, "{used}");
    assert_eq!(
        (used["consumed"].as_i64(), used["taken_from_stock"].as_i64()),
        (Some(6), Some(2)),
        "{used}"
    );
    assert_eq!(used["alerts_raised"], 1, "{used}");
    assert_eq!(
        stock_at(&app, buckles, factory).await.unwrap().on_hand,
        on_hand - 2
    );
    assert!(
        state_version(&app).await > before,
        "the stock change moves the version"
    );

    let alert = open_alert(&app, buckles).await;
    assert_eq!(alert.status, AlertStatus::Open);
    let evidence = &alert.evidence;
    assert_eq!(
        (
            evidence["planned"].as_i64(),
            evidence["actual"].as_i64(),
            evidence["excess"].as_i64()
        ),
        (Some(4), Some(6), Some(2)),
        "{evidence}"
    );
    assert_eq!(evidence["threshold_percent"], 20);
    assert_eq!(evidence["orders"][0]["order_id"], a, "{evidence}");
    assert_eq!(evidence["orders"][0]["reference"], "WATCH-A");
    assert!(alert.message.contains("50 % above plan"), "{}", alert.message);

    // The rest of the work (B's 8 buckle sets and the seeded orders') runs 50 % over
    // too; the factory is 2 below nothing free: that much short, all from the
    // warehouse's surplus.
    let others = others_plan(&app, buckles, a).await;
    assert!(others >= 2 * PER_BAG, "B's plan at least");
    let projected = (others + 1) / 2;
    let offered = suggestions_of(&app, alert.id).await;
    assert_eq!(offered.len(), 1, "{offered:?}");
    let transfer = &offered[0];
    assert_eq!(transfer.kind.to_string(), "transfer");
    let p = &transfer.payload;
    assert_eq!(
        (
            p["from_node"].as_str(),
            p["to_node"].as_str(),
            p["quantity"].as_i64()
        ),
        (Some("WH"), Some("FB"), Some(projected + 2)),
        "{p}"
    );
    assert_eq!(p["basis"]["projected_extra_use"], projected, "{p}");
    assert_eq!(p["basis"]["free_at_node"], -2, "{p}");

    // The inbox shows the figures and the orders behind them.
    app.sign_in().await;
    let page = get(&app, ALERTS).await;
    assert!(
        page.contains("data-kind=\"wip_overconsumption\""),
        "the alert is listed"
    );
    assert!(page.contains("data-planned=\"4\"") && page.contains("data-actual=\"6\""));
    assert!(
        page.contains(&format!("data-order=\"{a}\"")),
        "the order behind it"
    );
    assert!(
        page.contains(&format!("Transfer {} pcs", projected + 2)),
        "the suggestion in words"
    );

    // Accepting drafts the transfer, audited with the decision; the alert is resolved.
    decide(&app, transfer.id, "accept").await;
    let drafted = drafts(&app, buckles, InboundKind::Transfer).await;
    assert_eq!(drafted.len(), 1, "{drafted:?}");
    assert_eq!(
        (drafted[0].quantity, drafted[0].node_id, drafted[0].from_node_id),
        (projected + 2, factory, Some(node(&app, "WH").await))
    );
    assert!(!audited(&app, "suggestion.accept").await.is_empty());
    assert!(
        audited(&app, "inbound.create")
            .await
            .iter()
            .any(|e| e.entity_id == drafted[0].id.to_string() && e.actor.starts_with("merchant:"))
    );
    let alert = open_alert(&app, buckles).await;
    assert_eq!(alert.status, AlertStatus::Resolved);

    // More of the same overrun within the week raises nothing again.
    let (status, used) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 1}), None).await;
    assert_eq!(status, 201, "{used}");
    assert_eq!(used["alerts_raised"], 0);
    let count = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("wip_overconsumption"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

async fn what_surplus_cannot_cover_is_a_purchase_draft_and_a_dismissal_changes_nothing(app: TestApp) {
    // The warehouse has 3 free: 3 by transfer, the rest bought.
    let (a, _b, buckles) = two_orders_and_no_free_buckles(&app, "SHORT", 3).await;
    let short = (others_plan(&app, buckles, a).await + 1) / 2 + 2;
    let (status, used) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 6}), None).await;
    assert_eq!(status, 201, "{used}");
    assert_eq!(used["alerts_raised"], 1, "{used}");
    let alert = open_alert(&app, buckles).await;
    let offered = suggestions_of(&app, alert.id).await;
    let kinds: Vec<String> = offered.iter().map(|s| s.kind.to_string()).collect();
    assert_eq!(kinds, ["transfer", "purchase"], "internal first");
    let (transfer, purchase) = (&offered[0], &offered[1]);
    assert_eq!(transfer.payload["quantity"], 3);
    let p = &purchase.payload;
    assert_eq!(p["shortfall"], short - 3, "{p}");
    assert_eq!(
        (p["supplier"].as_str(), p["node"].as_str()),
        (Some("S-HDW"), Some("FB")),
        "{p}"
    );
    let quantity = p["quantity"].as_i64().unwrap();
    assert!(
        quantity >= short - 3,
        "at least the shortfall, on the supplier's terms: {p}"
    );

    app.sign_in().await;
    decide(&app, transfer.id, "dismiss").await;
    assert!(
        drafts(&app, buckles, InboundKind::Transfer).await.is_empty(),
        "nothing drafted"
    );
    assert_eq!(
        open_alert(&app, buckles).await.status,
        AlertStatus::Open,
        "one still open"
    );

    decide(&app, purchase.id, "accept").await;
    let drafted = drafts(&app, buckles, InboundKind::Purchase).await;
    assert_eq!(drafted.len(), 1, "{drafted:?}");
    assert_eq!(drafted[0].quantity, quantity);
    assert_eq!(drafted[0].eta.to_string(), p["arrives"].as_str().unwrap());
    let decided = suggestions_of(&app, alert.id).await;
    assert_eq!(decided[0].status, SuggestionStatus::Dismissed);
    assert_eq!(decided[1].status, SuggestionStatus::Accepted);
    assert_eq!(open_alert(&app, buckles).await.status, AlertStatus::Resolved);
}

async fn bad_consumption_reports_are_refused_by_field_and_a_retry_counts_once(app: TestApp) {
    let (a, _b, _) = two_orders_and_no_free_buckles(&app, "BAD", 0).await;
    let (status, placed) = call(&app, Method::POST, "/api/v1/orders", order("BAD-PLACED", 1), None).await;
    assert_eq!(status, 201, "{placed}");
    let waiting = placed["id"].as_i64().unwrap();
    let tomorrow = (c2m_tests::seed_day() + chrono::Days::new(1)).to_string();
    for (body, field) in [
        (json!({"sku": "NO-SUCH", "quantity": 1}), "sku"),
        (json!({"sku": "SOLE-CUP-WHITE", "quantity": 1}), "sku"),
        (json!({"sku": BUCKLES, "quantity": 0}), "quantity"),
        (json!({"sku": BUCKLES, "quantity": 2_000_000}), "quantity"),
        (
            json!({"sku": BUCKLES, "quantity": 1, "consumed_on": tomorrow}),
            "consumed_on",
        ),
    ] {
        let (status, problem) = consume(&app, a, body.clone(), None).await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let (status, problem) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 1, "extra": 1}), None).await;
    assert_eq!(status, 422, "unknown fields are refused: {problem}");
    let (status, problem) = consume(&app, waiting, json!({"sku": BUCKLES, "quantity": 1}), None).await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("`placed`"),
        "{problem}"
    );
    let (status, _) = consume(&app, 987_654, json!({"sku": BUCKLES, "quantity": 1}), None).await;
    assert_eq!(status, 404);
    let reports = material_consumption::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(reports, 0, "nothing refused was recorded");

    // The same request with the same key is answered again and counted once.
    let body = json!({"sku": BUCKLES, "quantity": 2});
    let (status, first) = consume(&app, a, body.clone(), Some("use-1")).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = consume(&app, a, body, Some("use-1")).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["consumed"], first["consumed"]);
    let reports = material_consumption::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(reports, 1, "a retry counts once");
    let (status, problem) = consume(&app, a, json!({"sku": BUCKLES, "quantity": 3}), Some("use-1")).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key", "{problem}");
}

async fn the_demo_shows_an_overconsumed_fastener_with_a_transfer_from_the_warehouse(app: TestApp) {
    app.sign_in().await;
    let response = post_form(&app, "/_fn/admin/recompute_policies", "/admin/policies", &[]).await;
    accepted(&response);
    let raised = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq("wip_overconsumption"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(raised.len(), 1, "the seeded case");
    let alert = &raised[0];
    let material_id: i64 = alert.subject.trim_start_matches("material:").parse().unwrap();
    let fastener = materials::Entity::find_by_id(material_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fastener.kind, "fastener", "{}", fastener.sku);
    let evidence = &alert.evidence;
    assert!(
        evidence["actual"].as_i64().unwrap() * 100 > evidence["planned"].as_i64().unwrap() * 120,
        "{evidence}"
    );
    let offered = suggestions_of(&app, alert.id).await;
    assert_eq!(offered[0].kind.to_string(), "transfer", "{offered:?}");
    assert_eq!(
        offered[0].payload["from_node"], "WH",
        "the surplus at the warehouse"
    );
    let page = get(&app, ALERTS).await;
    assert!(page.contains(&fastener.name), "the inbox names the fastener");
}

async fn the_orders_board_shows_the_step_and_takes_material_used(app: TestApp) {
    without_seeded_reports(&app).await;
    let id = in_production(&app, "BOARD-USE", 1).await;
    app.sign_in().await;
    let board = get(&app, "/admin/orders?status=in_production").await;
    let card = board
        .find(&format!("data-order=\"{id}\""))
        .map(|at| &board[at..])
        .expect("the order's card");
    let card = &card[..card.find("</article>").unwrap()];
    assert!(card.contains("Step 1 of "), "where it stands: {card}");
    assert!(card.contains("data-form=\"consumption\""), "the use form");
    assert!(card.contains(BUCKLES), "its materials to choose from");

    let id_text = id.to_string();
    let typed = post_form(
        &app,
        "/_fn/admin/report_consumption",
        "/admin/orders",
        &[("id", &id_text), ("sku", BUCKLES), ("quantity", "lots")],
    )
    .await;
    let refusal = refusal_of(&app, &typed, &format!("order-{id}.quantity")).await;
    assert!(refusal.contains("not a whole number"), "{refusal}");
    assert_eq!(
        material_consumption::Entity::find().count(&app.db).await.unwrap(),
        0
    );

    let used = post_form(
        &app,
        "/_fn/admin/report_consumption",
        "/admin/orders",
        &[("id", &id_text), ("sku", BUCKLES), ("quantity", "3")],
    )
    .await;
    accepted(&used);
    let reports = material_consumption::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].quantity, 3);
    assert!(
        reports[0].reported_by.starts_with("merchant:"),
        "{:?}",
        reports[0]
    );
}

/// The shop floor's reports as a CSV file: an export re-imports unchanged, new rows are
/// recorded by the API's rules (and raise the alert), a bad row refuses the whole file
/// with its line and column named.
async fn material_used_comes_in_a_csv_file_that_reimports_unchanged(app: TestApp) {
    use crate::admin_csv::{export, import, named};
    app.sign_in().await;
    let (_a, _b, buckles) = two_orders_and_no_free_buckles(&app, "CSV", 500).await;
    let reports = || async { material_consumption::Entity::find().count(&app.db).await.unwrap() };

    // The seeded reports went; a report through the API, then the export.
    let order_a = orders::Entity::find()
        .filter(orders::Column::Reference.eq("CSV-A"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (status, _) = consume(&app, order_a.id, json!({"sku": BUCKLES, "quantity": 2}), None).await;
    assert_eq!(status, 201);
    let file = export(&app, "consumption").await;
    let lines: Vec<&str> = file.lines().collect();
    assert_eq!(lines[0], "report,order,sku,quantity,consumed_on");
    assert_eq!(lines.len(), 2, "{file}");
    assert!(lines[1].contains(",CSV-A,BKL-BRASS,2,"), "{file}");
    let (before, version) = (reports().await, state_version(&app).await);
    let same = import(&app, "consumption", file.clone()).await;
    assert_eq!(
        (same.status.as_str(), same.changed),
        ("applied", 0),
        "{}",
        same.errors
    );
    assert_eq!(
        (reports().await, state_version(&app).await),
        (before, version),
        "nothing changed"
    );

    // Appended rows (the optional columns left out) are recorded: 2 + 4 = 6 against
    // the 4 planned, 50 % over: the alert is raised, as after a report by the API.
    let more = "order,sku,quantity\nCSV-A,BKL-BRASS,3\nCSV-A,BKL-BRASS,1\n";
    let applied = import(&app, "consumption", more).await;
    assert_eq!(
        (applied.status.as_str(), applied.changed),
        ("applied", 2),
        "{}",
        applied.errors
    );
    assert_eq!(reports().await, before + 2);
    assert_eq!(open_alert(&app, buckles).await.status, AlertStatus::Open);
    assert!(
        state_version(&app).await > version,
        "the use beyond plan left the stock"
    );

    // A bad file is refused whole.
    let recorded = reports().await;
    let bad = format!(
        "report,order,sku,quantity,consumed_on\n\
         ,CSV-B,BKL-BRASS,1,\n\
         ,NOPE,BKL-BRASS,1,\n\
         ,CSV-B,FAB-NOPE,1,\n\
         ,CSV-B,BKL-BRASS,0,\n\
         {},CSV-A,BKL-BRASS,9,\n",
        lines[1].split(',').next().unwrap()
    );
    let refused = import(&app, "consumption", bad).await;
    assert_eq!(refused.status, "refused");
    assert_eq!(
        named(&refused),
        vec![
            (json!(3), json!("order")),
            (json!(4), json!("sku")),
            (json!(5), json!("quantity")),
            (json!(6), json!("report")),
        ],
        "{}",
        refused.errors
    );
    assert_eq!(reports().await, recorded, "not even the good first row");
}
