//! The admin as a browser sees it before the wasm loads: server-rendered pages behind
//! the session, forms that post and redirect back, refusals carried in the redirect and
//! shown next to their field, and writes that reach the public API at once.

use c2m_tests::{TestApp, on_both_databases};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use server::store::entities::{
    audit_log, capacity_reservations, inbound, materials, nodes, option_groups, option_values, products,
    shops, stock,
};

on_both_databases!(
    admin_pages_need_a_session,
    the_product_editor_renders_the_product_and_its_preview,
    a_refused_form_post_comes_back_with_the_field_named,
    a_form_post_without_a_session_changes_nothing,
    a_freeze_posted_as_a_form_reaches_the_public_api_at_once,
    the_materials_page_filters_in_the_url,
    a_product_built_with_form_posts_is_quoted,
    structure_forms_refuse_bad_input_and_change_nothing,
    a_transfer_takes_stock_from_the_sender_and_gives_it_to_the_receiver,
    a_capacity_reservation_is_requested_confirmed_and_released,
    an_unconfirmed_reservation_expires_by_itself_after_48_hours,
    stock_is_kept_for_a_channel_and_released_from_the_supply_page,
    a_renamed_product_moves_its_editor_and_its_public_address,
);

const PUBLIC_KEY: &str = "pk_demo_c2m_public_0000000000000000";

async fn get(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// A plain form post, as a browser sends it without wasm, from `page`.
async fn post_form(app: &TestApp, endpoint: &str, page: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(endpoint))
        .header("accept", "text/html")
        .header("referer", app.url(page))
        .form(form)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn product(app: &TestApp, slug: &str) -> products::Model {
    products::Entity::find()
        .filter(products::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .expect("product")
}

fn save_form(p: &products::Model, price: &str) -> Vec<(&'static str, String)> {
    vec![
        ("slug", p.slug.clone()),
        ("version", p.version.to_string()),
        ("name", p.name.clone()),
        ("description", p.description.clone()),
        ("price", price.to_string()),
        ("lifecycle", p.lifecycle.clone()),
        ("max_lead_time_days", p.max_lead_time_days.to_string()),
        ("handling_days", p.handling_days.to_string()),
        ("end_of_sale", String::new()),
    ]
}

fn borrowed<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn admin_pages_need_a_session(app: TestApp) {
    for path in [
        "/admin/products",
        "/admin/products/weekender-bag",
        "/admin/materials",
        "/admin/supply",
        "/admin/audit",
    ] {
        let html = get(&app, path).await;
        assert!(html.contains("Sign in to c2m"), "{path} shows the sign-in form");
        assert!(
            !html.contains("data-form=\"product\""),
            "{path} shows no admin content"
        );
    }
    app.sign_in().await;
    let html = get(&app, "/admin/products").await;
    for slug in ["weekender-bag", "city-tote", "custom-sneaker"] {
        assert!(html.contains(&format!("/admin/products/{slug}")), "lists {slug}");
    }
}

async fn the_product_editor_renders_the_product_and_its_preview(app: TestApp) {
    app.sign_in().await;
    let html = get(&app, "/admin/products/weekender-bag").await;
    let p = product(&app, "weekender-bag").await;
    assert!(html.contains("data-form=\"product\""));
    assert!(
        html.contains(&format!("name=\"version\" value=\"{}\"", p.version)),
        "the form carries the version it was read at"
    );
    assert!(
        html.contains("data-value=\"fabric.indigo-linen\""),
        "the options are listed"
    );
    // The preview is the shoppers' configurator with today's estimates, before any wasm.
    assert!(html.contains("Delivery: 8 days"), "the preview's promise");
    assert!(
        html.contains("class=\"c2m-eta\">14–17 Dec"),
        "indigo linen's estimate"
    );
}

async fn a_refused_form_post_comes_back_with_the_field_named(app: TestApp) {
    app.sign_in().await;
    let before = product(&app, "weekender-bag").await;
    let page = "/admin/products/weekender-bag";
    for (price, lead, field, says) in [
        ("12,34.5", "21", "price", "is not an amount"),
        ("129.00", "0", "max_lead_time_days", "1"),
        (
            "129.00",
            "three weeks",
            "max_lead_time_days",
            "is not a whole number",
        ),
    ] {
        let mut form = save_form(&before, price);
        form.retain(|(k, _)| *k != "max_lead_time_days");
        form.push(("max_lead_time_days", lead.to_string()));
        let response = post_form(&app, "/_fn/admin/save_product", page, &borrowed(&form)).await;
        assert!(response.status().is_redirection(), "{}", response.status());
        let back = location(&response);
        assert!(back.contains("__err="), "{back}");
        let path = back.trim_start_matches(&app.base_url);
        let html = get(&app, path).await;
        let error = format!("id=\"error-{field}\"");
        let at = html
            .find(&error)
            .unwrap_or_else(|| panic!("no error for {field} in the page"));
        assert!(html[at..].contains(says), "the {field} error says why ({says})");
        assert!(html.contains("aria-invalid=\"true\""));
    }
    assert_eq!(product(&app, "weekender-bag").await, before, "nothing was saved");
}

async fn a_form_post_without_a_session_changes_nothing(app: TestApp) {
    let before = product(&app, "weekender-bag").await;
    let form = save_form(&before, "1.00");
    let response = post_form(
        &app,
        "/_fn/admin/save_product",
        "/admin/products/weekender-bag",
        &borrowed(&form),
    )
    .await;
    assert!(location(&response).contains("__err="));
    assert_eq!(product(&app, "weekender-bag").await, before);
}

async fn a_freeze_posted_as_a_form_reaches_the_public_api_at_once(app: TestApp) {
    app.sign_in().await;
    let p = product(&app, "weekender-bag").await;
    let version = p.version.to_string();
    let form = [
        ("slug", "weekender-bag"),
        ("version", version.as_str()),
        ("group", "fabric"),
        ("value", "sand-canvas"),
        ("op", "freeze"),
        ("reason", "Dye lot recalled"),
    ];
    let response = post_form(
        &app,
        "/_fn/admin/edit_value",
        "/admin/products/weekender-bag",
        &form,
    )
    .await;
    let back = location(&response);
    assert!(!back.contains("__err="), "{back}");

    // No wait: the write told the quote service before it answered.
    let configurator: Value = app
        .client
        .get(app.url("/api/v1/products/weekender-bag/configurator"))
        .header("authorization", format!("Bearer {PUBLIC_KEY}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sand = configurator["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["values"].as_array().unwrap())
        .find(|v| v["code"] == "sand-canvas")
        .expect("sand canvas");
    assert!(sand.to_string().contains("Dye lot recalled"), "{sand}");

    let group = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.eq(p.id))
        .filter(option_groups::Column::Code.eq("fabric"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let value = option_values::Entity::find()
        .filter(option_values::Column::GroupId.eq(group.id))
        .filter(option_values::Column::Code.eq("sand-canvas"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(value.status, "frozen");
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("option_value.freeze"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert!(audit[0].actor.starts_with("merchant:"), "{}", audit[0].actor);
    assert_eq!(product(&app, "weekender-bag").await.version, p.version + 1);
}

async fn the_materials_page_filters_in_the_url(app: TestApp) {
    app.sign_in().await;
    let all = get(&app, "/admin/materials").await;
    assert!(all.contains("data-sku=\"FAB-LIN-INDIGO\"") && all.contains("data-sku=\"ZIP-COIL-40\""));
    let linen = get(&app, "/admin/materials?search=LINEN%2C+indi").await;
    assert!(
        linen.contains("data-sku=\"FAB-LIN-INDIGO\""),
        "search by part of the name, any case"
    );
    assert!(!linen.contains("data-sku=\"ZIP-COIL-40\""));
    let zippers = get(&app, "/admin/materials?kind=zipper").await;
    assert!(zippers.contains("data-sku=\"ZIP-COIL-40\""));
    assert!(!zippers.contains("data-sku=\"FAB-LIN-INDIGO\""));
}

/// Posts a form from the product list or editor and fails the test if it was refused.
async fn post_ok(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> String {
    let response = post_form(app, endpoint, "/admin/products", form).await;
    let back = location(&response);
    assert!(
        response.status().is_redirection(),
        "{endpoint}: {}",
        response.status()
    );
    assert!(!back.contains("__err="), "{endpoint} refused: {back}");
    back
}

async fn version(app: &TestApp, slug: &str) -> String {
    product(app, slug).await.version.to_string()
}

async fn a_product_built_with_form_posts_is_quoted(app: TestApp) {
    app.sign_in().await;
    let back = post_ok(
        &app,
        "/_fn/admin/create_product",
        &[
            ("slug", "canvas-backpack"),
            ("name", "Canvas backpack"),
            ("price", "89.00"),
            ("lifecycle", "growth"),
            ("max_lead_time_days", "30"),
            ("handling_days", "1"),
            ("producing_node", "FB"),
        ],
    )
    .await;
    assert_eq!(
        back, "/admin/products/canvas-backpack",
        "creating opens the editor"
    );
    let slug = "canvas-backpack";
    for (code, name) in [("colour", "Colour"), ("size", "Size")] {
        let v = version(&app, slug).await;
        post_ok(
            &app,
            "/_fn/admin/add_group",
            &[
                ("slug", slug),
                ("version", &v),
                ("code", code),
                ("name", name),
                ("required", "on"),
            ],
        )
        .await;
    }
    for (group, code, label, delta) in [
        ("colour", "navy", "Navy", "0"),
        ("colour", "sand", "Sand", "5.00"),
        ("size", "small", "Small", "0"),
        ("size", "large", "Large", "12.50"),
    ] {
        let v = version(&app, slug).await;
        post_ok(
            &app,
            "/_fn/admin/add_value",
            &[
                ("slug", slug),
                ("version", &v),
                ("group", group),
                ("code", code),
                ("label", label),
                ("price_delta", delta),
            ],
        )
        .await;
    }
    for (part, sku, quantity) in [
        ("", "FAB-LINING-COTTON", "60"),
        ("colour.navy", "FAB-CNV-NAVY", "140"),
        ("colour.sand", "FAB-CNV-SAND", "140"),
    ] {
        let v = version(&app, slug).await;
        post_ok(
            &app,
            "/_fn/admin/set_bom_line",
            &[
                ("slug", slug),
                ("version", &v),
                ("part", part),
                ("sku", sku),
                ("quantity", quantity),
            ],
        )
        .await;
    }
    let v = version(&app, slug).await;
    post_ok(
        &app,
        "/_fn/admin/add_operation",
        &[
            ("slug", slug),
            ("version", &v),
            ("part", ""),
            ("name", "Sew"),
            ("work_center", "SEW"),
            ("minutes_per_unit", "45"),
            ("setup_minutes", "10"),
        ],
    )
    .await;

    // The editor shows what was built, and the public API quotes it at once.
    let html = get(&app, "/admin/products/canvas-backpack").await;
    assert!(html.contains("data-value=\"size.large\""));
    assert!(
        html.contains("Sew at SEW: 45 min per unit, 10 min setup"),
        "the routing is listed"
    );
    let quote: Value = app
        .client
        .post(app.url("/api/v1/quotes"))
        .header("authorization", format!("Bearer {PUBLIC_KEY}"))
        .json(&serde_json::json!({"product": slug, "selection": {"colour": ["sand"], "size": ["large"]}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(quote["price_minor"], 89_00 + 5_00 + 12_50, "{quote}");
    assert!(
        quote["estimate"]["p50"].is_string(),
        "the new product has a delivery estimate: {quote}"
    );
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::EntityId.starts_with("canvas-backpack"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1 + 2 + 4 + 3 + 1, "every change is in the audit log");
}

async fn structure_forms_refuse_bad_input_and_change_nothing(app: TestApp) {
    app.sign_in().await;
    let before = product(&app, "weekender-bag").await;
    let v = before.version.to_string();
    let page = "/admin/products/weekender-bag";
    // (endpoint, the form's own fields, the field its refusal must name)
    type Case = (&'static str, Vec<(&'static str, &'static str)>, &'static str);
    let cases: Vec<Case> = vec![
        (
            "/_fn/admin/add_group",
            vec![("code", "Colour!"), ("name", "Colour")],
            "new-group.code",
        ),
        (
            "/_fn/admin/add_group",
            vec![("code", "fabric"), ("name", "Fabric again")],
            "new-group.code",
        ),
        (
            "/_fn/admin/add_value",
            vec![("group", "fabric"), ("code", "navy-canvas"), ("label", "Navy")],
            "fabric.new-value.code",
        ),
        (
            "/_fn/admin/add_value",
            vec![
                ("group", "fabric"),
                ("code", "gold"),
                ("label", "Gold"),
                ("price_delta", "-500.00"),
            ],
            "fabric.new-value.price_delta",
        ),
        (
            "/_fn/admin/set_bom_line",
            vec![("part", ""), ("sku", "NO-SUCH-SKU"), ("quantity", "3")],
            "bom.sku",
        ),
        (
            "/_fn/admin/set_bom_line",
            vec![
                ("part", "fabric.navy-canvas"),
                ("sku", "FAB-CNV-NAVY"),
                ("quantity", "-3"),
            ],
            "bom.fabric.navy-canvas.quantity",
        ),
        (
            "/_fn/admin/add_operation",
            vec![
                ("part", ""),
                ("name", "Glue"),
                ("work_center", "SEW"),
                ("minutes_per_unit", "0"),
            ],
            "operations.minutes_per_unit",
        ),
        (
            "/_fn/admin/add_operation",
            vec![
                ("part", ""),
                ("name", "Glue"),
                ("work_center", "NOPE"),
                ("minutes_per_unit", "2"),
            ],
            "operations.work_center",
        ),
    ];
    for (endpoint, fields, field) in cases {
        let mut form = vec![("slug", "weekender-bag"), ("version", v.as_str())];
        form.extend(fields);
        let response = post_form(&app, endpoint, page, &form).await;
        let back = location(&response);
        assert!(back.contains("__err="), "{endpoint} {field}: accepted");
        let html = get(&app, back.trim_start_matches(&app.base_url)).await;
        let id = format!("id=\"error-{}\"", field.replace('.', "-"));
        assert!(html.contains(&id), "{endpoint}: no error shown for {field}");
    }
    assert_eq!(
        product(&app, "weekender-bag").await,
        before,
        "nothing was saved, the version did not move"
    );
}

async fn on_hand(app: &TestApp, sku: &str, node: &str) -> i64 {
    let material = materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let node = nodes::Entity::find()
        .filter(nodes::Column::Code.eq(node))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .filter(stock::Column::NodeId.eq(node.id))
        .one(&app.db)
        .await
        .unwrap()
        .map_or(0, |s| s.on_hand)
}

async fn state_version(app: &TestApp) -> i64 {
    shops::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .state_version
}

async fn refused_field(app: &TestApp, endpoint: &str, form: &[(&str, &str)], field: &str) {
    let response = post_form(app, endpoint, "/admin/supply", form).await;
    let back = location(&response);
    assert!(back.contains("__err="), "{endpoint}: accepted {form:?}");
    let html = get(app, back.trim_start_matches(&app.base_url)).await;
    assert!(
        html.contains(&format!("id=\"error-{field}\"")),
        "{endpoint}: no error next to {field}"
    );
}

async fn a_transfer_takes_stock_from_the_sender_and_gives_it_to_the_receiver(app: TestApp) {
    app.sign_in().await;
    let (wh, fb) = (
        on_hand(&app, "FAB-CNV-NAVY", "WH").await,
        on_hand(&app, "FAB-CNV-NAVY", "FB").await,
    );
    let transfer = |quantity: &'static str, to: &'static str| {
        vec![
            ("sku", "FAB-CNV-NAVY"),
            ("from_node", "WH"),
            ("to_node", to),
            ("quantity", quantity),
            ("reference", "TR-TEST"),
        ]
    };
    refused_field(
        &app,
        "/_fn/admin/create_transfer",
        &transfer("1000", "WH"),
        "to_node",
    )
    .await;
    refused_field(
        &app,
        "/_fn/admin/create_transfer",
        &transfer("99999999", "FB"),
        "quantity",
    )
    .await;
    post_ok(&app, "/_fn/admin/create_transfer", &transfer("1000", "FB")).await;
    let line = inbound::Entity::find()
        .filter(inbound::Column::Reference.eq("TR-TEST"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the draft");
    assert_eq!((line.kind.as_str(), line.status.as_str()), ("transfer", "draft"));
    assert_eq!(
        on_hand(&app, "FAB-CNV-NAVY", "WH").await,
        wh,
        "a draft moves nothing"
    );

    let id = line.id.to_string();
    let version = state_version(&app).await;
    post_ok(
        &app,
        "/_fn/admin/act_on_inbound",
        &[("id", &id), ("op", "confirm")],
    )
    .await;
    assert_eq!(
        on_hand(&app, "FAB-CNV-NAVY", "WH").await,
        wh - 1000,
        "confirmed: the units left the sender"
    );
    assert!(state_version(&app).await > version);
    post_ok(
        &app,
        "/_fn/admin/act_on_inbound",
        &[("id", &id), ("op", "receive")],
    )
    .await;
    assert_eq!(
        on_hand(&app, "FAB-CNV-NAVY", "FB").await,
        fb + 1000,
        "received: on hand at the receiver"
    );
    assert_eq!(
        on_hand(&app, "FAB-CNV-NAVY", "WH").await,
        wh - 1000,
        "and taken once"
    );
    // Receiving again is refused next to the line, and adds nothing.
    refused_field(
        &app,
        "/_fn/admin/act_on_inbound",
        &[("id", &id), ("op", "receive")],
        &format!("inbound-{id}"),
    )
    .await;
    assert_eq!(on_hand(&app, "FAB-CNV-NAVY", "FB").await, fb + 1000);
}

async fn a_capacity_reservation_is_requested_confirmed_and_released(app: TestApp) {
    app.sign_in().await;
    let day = |days: u64| (c2m_tests::seed_day() + chrono::Days::new(days)).to_string();
    let (start, end, by) = (day(10), day(20), day(3));
    let form = |confirm_by: &str| {
        vec![
            ("supplier", "S-TEX".to_string()),
            ("sku", "FAB-LIN-INDIGO".to_string()),
            ("quantity", "5000".to_string()),
            ("window_start", start.clone()),
            ("window_end", end.clone()),
            ("confirm_by", confirm_by.to_string()),
            ("fee", "40.00".to_string()),
        ]
    };
    refused_field(
        &app,
        "/_fn/admin/create_reservation",
        &borrowed(&form(&day(15))),
        "confirm_by",
    )
    .await;
    let before = capacity_reservations::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    post_ok(&app, "/_fn/admin/create_reservation", &borrowed(&form(&by))).await;
    let all = capacity_reservations::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(all.len(), before + 1);
    let row = all.into_iter().max_by_key(|r| r.id).unwrap();
    assert_eq!(
        (row.status.as_str(), row.fee_minor, row.quantity),
        ("requested", 4_000, 5_000)
    );

    let id = row.id.to_string();
    let version = state_version(&app).await;
    post_ok(
        &app,
        "/_fn/admin/act_on_reservation",
        &[("id", &id), ("op", "confirm")],
    )
    .await;
    assert!(
        state_version(&app).await > version,
        "a confirmed reservation feeds quotes"
    );
    refused_field(
        &app,
        "/_fn/admin/act_on_reservation",
        &[("id", &id), ("op", "confirm")],
        &format!("reservation-{id}"),
    )
    .await;
    post_ok(
        &app,
        "/_fn/admin/act_on_reservation",
        &[("id", &id), ("op", "release")],
    )
    .await;
    let row = capacity_reservations::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "released");
}

async fn an_unconfirmed_reservation_expires_by_itself_after_48_hours(app: TestApp) {
    app.sign_in().await;
    let day = |days: u64| (c2m_tests::seed_day() + chrono::Days::new(days)).to_string();
    let form = [
        ("supplier", "S-TEX".to_string()),
        ("sku", "FAB-LIN-INDIGO".to_string()),
        ("quantity", "2000".to_string()),
        ("window_start", day(10)),
        ("window_end", day(20)),
        ("confirm_by", String::new()),
        ("fee", "25.00".to_string()),
    ];
    post_ok(&app, "/_fn/admin/create_reservation", &borrowed(&form)).await;
    let row = capacity_reservations::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|r| r.id)
        .unwrap();
    assert_eq!(row.status, "requested");
    assert_eq!(
        row.confirm_by,
        c2m_tests::seed_noon() + chrono::TimeDelta::hours(48),
        "48 hours unless said"
    );

    // Before the deadline the schedule leaves it; after it, it expires by itself.
    server::jobs::check_late_risk(&app.state).await;
    let status = |app: &TestApp, id: i64| {
        let db = app.db.clone();
        async move {
            capacity_reservations::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    assert_eq!(status(&app, row.id).await, "requested");
    app.set_now(c2m_tests::seed_noon() + chrono::TimeDelta::hours(49));
    let version = state_version(&app).await;
    server::jobs::check_late_risk(&app.state).await;
    assert_eq!(status(&app, row.id).await, "expired");
    assert_eq!(
        state_version(&app).await,
        version,
        "it never fed a quote, so none changes"
    );
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("reservation.expire"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the expiry is audited");
    assert_eq!(entry.actor, "rule:reservation-expiry");
    assert_eq!(entry.entity_id, row.id.to_string());
    assert_eq!(entry.after.unwrap()["fee_minor"], 2_500, "its fee is kept");

    // It can no longer be confirmed, and the page says it expired (signed in again:
    // two days have passed).
    app.sign_in().await;
    let id = row.id.to_string();
    refused_field(
        &app,
        "/_fn/admin/act_on_reservation",
        &[("id", &id), ("op", "confirm")],
        &format!("reservation-{id}"),
    )
    .await;
    assert_eq!(status(&app, row.id).await, "expired");
    let page = get(&app, "/admin/supply").await;
    assert!(
        page.contains(&format!("data-reservation=\"{id}\" data-status=\"expired\"")),
        "the supply page lists it as expired"
    );

    // A confirmation that comes after the deadline but before the schedule ran is
    // refused all the same.
    post_ok(&app, "/_fn/admin/create_reservation", &borrowed(&form)).await;
    let late = capacity_reservations::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|r| r.id)
        .unwrap();
    app.set_now(late.confirm_by + chrono::TimeDelta::minutes(1));
    app.sign_in().await;
    let id = late.id.to_string();
    refused_field(
        &app,
        "/_fn/admin/act_on_reservation",
        &[("id", &id), ("op", "confirm")],
        &format!("reservation-{id}"),
    )
    .await;
    assert_eq!(status(&app, late.id).await, "requested", "left for the schedule");
}

async fn a_renamed_product_moves_its_editor_and_its_public_address(app: TestApp) {
    app.sign_in().await;
    let before = product(&app, "weekender-bag").await;
    let page = "/admin/products/weekender-bag";
    for (new_slug, says) in [("city-tote", "already uses"), ("Weekender Bag", "lower-case")] {
        let mut form = save_form(&before, "189.00");
        form.push(("new_slug", new_slug.to_string()));
        let response = post_form(&app, "/_fn/admin/save_product", page, &borrowed(&form)).await;
        let back = location(&response);
        assert!(back.contains("__err="), "{new_slug} accepted");
        let html = get(&app, back.trim_start_matches(&app.base_url)).await;
        let at = html.find("id=\"error-slug\"").expect("the slug's error");
        assert!(html[at..].contains(says), "{new_slug}: says {says}");
    }
    assert_eq!(product(&app, "weekender-bag").await, before, "nothing was saved");

    let mut form = save_form(&before, "189.00");
    form.push(("new_slug", "weekender-bag-2027".to_string()));
    let response = post_form(&app, "/_fn/admin/save_product", page, &borrowed(&form)).await;
    assert_eq!(
        location(&response),
        "/admin/products/weekender-bag-2027",
        "the editor moves"
    );
    let configurator = |slug: &str| {
        app.client
            .get(app.url(&format!("/api/v1/products/{slug}/configurator")))
            .header("authorization", format!("Bearer {PUBLIC_KEY}"))
            .send()
    };
    assert_eq!(configurator("weekender-bag-2027").await.unwrap().status(), 200);
    assert_eq!(configurator("weekender-bag").await.unwrap().status(), 404);
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("product.update"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].after.as_ref().unwrap()["slug"], "weekender-bag-2027");
}

async fn stock_is_kept_for_a_channel_and_released_from_the_supply_page(app: TestApp) {
    app.sign_in().await;
    let keep = |channel: &'static str, amount: &'static str| {
        vec![
            ("sku", "FAB-CNV-NAVY"),
            ("node", "FB"),
            ("channel", channel),
            ("amount", amount),
        ]
    };
    let version = state_version(&app).await;
    refused_field(
        &app,
        "/_fn/admin/keep_for_channel",
        &keep("wholesale", "lots"),
        "amount",
    )
    .await;
    refused_field(
        &app,
        "/_fn/admin/keep_for_channel",
        &keep("wholesale", "150 %"),
        "amount",
    )
    .await;
    refused_field(
        &app,
        "/_fn/admin/keep_for_channel",
        &keep("Whole Sale", "200"),
        "channel",
    )
    .await;
    assert_eq!(state_version(&app).await, version, "refusals change nothing");

    post_ok(&app, "/_fn/admin/keep_for_channel", &keep("wholesale", "25 %")).await;
    assert!(state_version(&app).await > version, "quotes see it at once");
    let page = get(&app, "/admin/supply").await;
    assert!(
        page.contains("data-allocation=\"FAB-CNV-NAVY@FB:wholesale\""),
        "the supply page lists it"
    );
    let navy_on_hand = on_hand(&app, "FAB-CNV-NAVY", "FB").await;
    assert!(
        page.contains(&format!("25 % of {navy_on_hand} on hand")),
        "as the share it was given"
    );

    post_ok(
        &app,
        "/_fn/admin/stop_keeping",
        &[("sku", "FAB-CNV-NAVY"), ("node", "FB"), ("channel", "wholesale")],
    )
    .await;
    let page = get(&app, "/admin/supply").await;
    assert!(!page.contains("data-allocation="), "no longer kept");
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("channel_allocation"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{} by {}", a.action, a.actor))
        .collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(actions.iter().all(|a| a.contains("by merchant:")), "{actions:?}");
}
