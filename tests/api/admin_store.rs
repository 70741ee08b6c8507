//! `server::service`: what the merchant admin reads and writes, called directly on
//! the test server's database. Every write is checked for what it changes, what it
//! refuses (naming the form field and changing nothing), its audit entry and whether
//! it bumps the state version quotes are cached under.

use std::time::Duration;

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::{Days, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SHOP_SLUG};
use server::service::catalog::{FrozenBy, Move, ProductEditor, ProductFields};
use server::service::supply::{InboundAction, MaterialFilter, NewPurchaseOrder};
use server::service::{WriteError, audit, catalog, supply};
use server::store::entities::{
    InboundStatus, audit_log, inbound, materials, nodes, order_reservations, orders, policies, products,
    shops, stock,
};

on_both_databases!(
    a_product_save_bumps_both_versions_and_is_audited,
    a_save_against_an_old_version_is_a_conflict_and_changes_nothing,
    each_product_rule_refuses_with_its_field_and_changes_nothing,
    the_limits_of_each_product_rule_are_accepted,
    moving_values_reorders_the_editor_and_edge_moves_are_refused,
    freezing_and_unfreezing_show_in_the_editor_and_the_configurator,
    a_value_edit_checks_its_label_and_price_difference,
    a_stock_count_is_saved_only_against_the_figure_the_merchant_saw,
    stock_counts_below_reserved_negative_or_without_reason_are_refused,
    each_purchase_order_refusal_names_its_field_and_stores_nothing,
    a_valid_purchase_order_is_a_draft_with_a_generated_reference,
    confirming_bumps_the_state_version_and_cancelling_a_draft_does_not,
    receiving_adds_stock_once_and_moves_promised_units_onto_it,
    two_concurrent_receipts_add_the_stock_once,
    a_line_with_promised_units_cannot_be_cancelled,
    materials_are_found_by_part_of_a_name_in_any_case_and_by_kind,
    material_figures_agree_with_the_stock_inbound_and_policy_tables,
    the_supply_view_lists_suppliers_open_lines_and_nodes,
    the_audit_log_lists_the_newest_first,
);

const PRODUCT: &str = "weekender-bag";
const ACTOR: &str = "merchant:1";

async fn shop_id(app: &TestApp) -> i64 {
    server::store::shops::by_slug(&app.db, DEMO_SHOP_SLUG)
        .await
        .unwrap()
        .expect("the demo shop")
        .id
}

async fn state_version(app: &TestApp, shop: i64) -> i64 {
    shops::Entity::find_by_id(shop)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .state_version
}

async fn editor(app: &TestApp, shop: i64) -> ProductEditor {
    catalog::product_editor(&app.db, shop, PRODUCT)
        .await
        .unwrap()
        .expect("the weekender")
}

async fn product_row(app: &TestApp, shop: i64) -> products::Model {
    products::Entity::find()
        .filter(products::Column::ShopId.eq(shop))
        .filter(products::Column::Slug.eq(PRODUCT))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn audit_count(app: &TestApp) -> u64 {
    audit_log::Entity::find().count(&app.db).await.unwrap()
}

fn fabric(editor: &ProductEditor, code: &str) -> catalog::ValueEditor {
    let group = editor.groups.iter().find(|g| g.code == "fabric").unwrap();
    group.values.iter().find(|v| v.code == code).unwrap().clone()
}

fn codes(editor: &ProductEditor, group: &str) -> Vec<String> {
    let group = editor.groups.iter().find(|g| g.code == group).unwrap();
    group.values.iter().map(|v| v.code.clone()).collect()
}

/// The refusal's detail, after checking it is `Invalid` for `field`.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, WriteError>, field: &str) -> String {
    match result {
        Err(WriteError::Invalid { field: got, detail }) => {
            assert_eq!(got, field, "refused for the wrong field: {detail}");
            detail
        }
        other => panic!("expected a refusal of `{field}`, got {other:?}"),
    }
}

#[track_caller]
fn conflict<T: std::fmt::Debug>(result: Result<T, WriteError>) -> String {
    match result {
        Err(WriteError::Conflict(detail)) => detail,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn a_product_save_bumps_both_versions_and_is_audited(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    let states = state_version(&app, shop).await;
    let fields = ProductFields {
        name: "  Weekender bag II ".into(),
        base_price_minor: 19_900,
        ..opened.fields.clone()
    };
    let saved = catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, opened.version, &fields)
        .await
        .unwrap();
    assert_eq!(saved.version, opened.version + 1);
    assert_eq!(saved.state_version, states + 1);
    assert_eq!(state_version(&app, shop).await, states + 1);
    let reopened = editor(&app, shop).await;
    assert_eq!(reopened.version, saved.version);
    assert_eq!(reopened.fields.name, "Weekender bag II", "the name is trimmed");
    assert_eq!(reopened.fields.base_price_minor, 19_900);

    let entry = audit::audit_entries(&app.db, shop, 1).await.unwrap().remove(0);
    assert_eq!(
        (entry.actor.as_str(), entry.action.as_str(), entry.entity.as_str()),
        (ACTOR, "product.update", "product")
    );
    assert_eq!(entry.entity_id, PRODUCT);
    let before: Value = serde_json::from_str(entry.before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(before["name"], "Weekender bag");
    assert_eq!(before["base_price_minor"], 18_900);
    assert_eq!(after["name"], "Weekender bag II");
    assert_eq!(after["base_price_minor"], 19_900);
}

async fn a_save_against_an_old_version_is_a_conflict_and_changes_nothing(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    let mine = ProductFields {
        name: "Mine".into(),
        ..opened.fields.clone()
    };
    catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, opened.version, &mine)
        .await
        .unwrap();
    let row = product_row(&app, shop).await;
    let states = state_version(&app, shop).await;
    let entries = audit_count(&app).await;

    let theirs = ProductFields {
        name: "Theirs".into(),
        ..opened.fields.clone()
    };
    let detail = conflict(
        catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, opened.version, &theirs).await,
    );
    assert!(detail.contains("Mine was changed by someone else"), "{detail}");
    assert_eq!(product_row(&app, shop).await, row, "the row is untouched");
    assert_eq!(state_version(&app, shop).await, states);
    assert_eq!(audit_count(&app).await, entries);
    // An option write against the old version is refused the same way.
    conflict(
        catalog::freeze_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            opened.version,
            "fabric",
            "indigo-linen",
            "Out",
        )
        .await,
    );
    assert_eq!(product_row(&app, shop).await, row);
}

async fn each_product_rule_refuses_with_its_field_and_changes_nothing(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    let row = product_row(&app, shop).await;
    let states = state_version(&app, shop).await;
    let entries = audit_count(&app).await;
    type Edit = fn(&mut ProductFields);
    let cases: [(&str, Edit, &str); 11] = [
        ("blank name", |f| f.name = "   ".into(), "name"),
        ("name of 201", |f| f.name = "n".repeat(201), "name"),
        ("negative price", |f| f.base_price_minor = -1, "price"),
        (
            "unknown lifecycle",
            |f| f.lifecycle = "retired".into(),
            "lifecycle",
        ),
        ("no lead time", |f| f.max_lead_time_days = 0, "max_lead_time_days"),
        (
            "lead time of 366",
            |f| f.max_lead_time_days = 366,
            "max_lead_time_days",
        ),
        ("negative handling", |f| f.handling_days = -1, "handling_days"),
        ("handling of 61", |f| f.handling_days = 61, "handling_days"),
        (
            "handling as long as the lead time",
            |f| {
                f.max_lead_time_days = 10;
                f.handling_days = 10;
            },
            "handling_days",
        ),
        (
            "description of 5001",
            |f| f.description = "d".repeat(5_001),
            "description",
        ),
        (
            "handling longer than the lead time",
            |f| {
                f.max_lead_time_days = 10;
                f.handling_days = 20;
            },
            "handling_days",
        ),
    ];
    for (case, edit, field) in cases {
        let mut fields = opened.fields.clone();
        edit(&mut fields);
        let result =
            catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, opened.version, &fields).await;
        match result {
            Err(WriteError::Invalid { field: got, .. }) => assert_eq!(got, field, "{case}"),
            other => panic!("{case}: expected a refusal of {field}, got {other:?}"),
        }
    }
    assert_eq!(product_row(&app, shop).await, row, "nothing changed");
    assert_eq!(state_version(&app, shop).await, states);
    assert_eq!(audit_count(&app).await, entries);
    let missing =
        catalog::update_product(app.write(shop, ACTOR).await, "no-such-bag", 1, &opened.fields).await;
    assert!(
        matches!(&missing, Err(WriteError::NotFound(m)) if m.contains("no-such-bag")),
        "{missing:?}"
    );
}

async fn the_limits_of_each_product_rule_are_accepted(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    let end = seed_day() + Days::new(90);
    let fields = ProductFields {
        name: "n".repeat(200),
        description: "d".repeat(5_000),
        base_price_minor: 0,
        lifecycle: "end_of_life".into(),
        max_lead_time_days: 365,
        handling_days: 60,
        end_of_sale: Some(end),
        first_batch_until: Some(end),
    };
    catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, opened.version, &fields)
        .await
        .unwrap();
    assert_eq!(editor(&app, shop).await.fields, fields);
    let row = product_row(&app, shop).await;
    assert_eq!((row.max_lead_time_days, row.handling_days), (365, 60));
    assert_eq!(row.end_of_sale, Some(end));
    let fields = ProductFields {
        max_lead_time_days: 1,
        handling_days: 0,
        end_of_sale: None,
        ..fields
    };
    catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, row.version, &fields)
        .await
        .unwrap();
    assert_eq!(editor(&app, shop).await.fields, fields);
}

async fn moving_values_reorders_the_editor_and_edge_moves_are_refused(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    let mut expected = codes(&opened, "fabric");
    assert_eq!(expected.last().map(String::as_str), Some("olive-linen"));
    let states = state_version(&app, shop).await;

    let last = expected.len() - 1;
    let saved = catalog::move_value(
        app.write(shop, ACTOR).await,
        PRODUCT,
        opened.version,
        "fabric",
        "olive-linen",
        Move::Up,
    )
    .await
    .unwrap();
    expected.swap(last, last - 1);
    assert_eq!(codes(&editor(&app, shop).await, "fabric"), expected);
    assert_eq!(saved.state_version, states + 1);

    let first = expected[0].clone();
    let saved = catalog::move_value(
        app.write(shop, ACTOR).await,
        PRODUCT,
        saved.version,
        "fabric",
        &first,
        Move::Down,
    )
    .await
    .unwrap();
    expected.swap(0, 1);
    let now = editor(&app, shop).await;
    assert_eq!(codes(&now, "fabric"), expected);
    assert_eq!(now.version, saved.version);

    let top = expected[0].clone();
    let bottom = expected[last].clone();
    refused(
        catalog::move_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            saved.version,
            "fabric",
            &top,
            Move::Up,
        )
        .await,
        "position",
    );
    refused(
        catalog::move_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            saved.version,
            "fabric",
            &bottom,
            Move::Down,
        )
        .await,
        "position",
    );
    let after = editor(&app, shop).await;
    assert_eq!(codes(&after, "fabric"), expected);
    assert_eq!(
        after.version, saved.version,
        "a refused move does not take a version"
    );
    assert_eq!(state_version(&app, shop).await, states + 2);
    let entry = audit::audit_entries(&app.db, shop, 1).await.unwrap().remove(0);
    assert_eq!(entry.action, "option_value.move");
    assert_eq!(entry.entity_id, format!("{PRODUCT}/fabric.{first}"));
}

/// The configurator's status of a weekender fabric, polled until it is `expected`: the
/// server notices writes made outside its own requests within a second.
async fn eventually_configured_as(app: &TestApp, value: &str, expected: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..50 {
        let body: Value = app
            .client
            .get(app.url(&format!("/api/v1/products/{PRODUCT}/configurator")))
            .bearer_auth(DEMO_PUBLISHABLE_KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let group = body["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["code"] == "fabric");
        last = group.unwrap()["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["code"] == value)
            .unwrap()
            .clone();
        if last["status"] == expected {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{value} is not {expected} after 5 s: {last}");
}

async fn freezing_and_unfreezing_show_in_the_editor_and_the_configurator(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    eventually_configured_as(&app, "indigo-linen", "active").await;
    let frozen_before = catalog::product_summaries(&app.db, shop)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug == PRODUCT)
        .unwrap()
        .frozen;
    refused(
        catalog::freeze_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            opened.version,
            "fabric",
            "indigo-linen",
            "  ",
        )
        .await,
        "reason",
    );

    let saved = catalog::freeze_value(
        app.write(shop, ACTOR).await,
        PRODUCT,
        opened.version,
        "fabric",
        "indigo-linen",
        " Dye lot sold out ",
    )
    .await
    .unwrap();
    assert_eq!(
        fabric(&editor(&app, shop).await, "indigo-linen").frozen,
        Some(FrozenBy {
            reason: "Dye lot sold out".into(),
            by: "merchant".into()
        })
    );
    let summary = catalog::product_summaries(&app.db, shop).await.unwrap();
    let summary = summary.iter().find(|p| p.slug == PRODUCT).unwrap();
    assert_eq!(summary.frozen, frozen_before + 1);
    let shown = eventually_configured_as(&app, "indigo-linen", "frozen").await;
    assert_eq!(shown["frozen_reason"], "Dye lot sold out");

    let saved = catalog::unfreeze_value(
        app.write(shop, ACTOR).await,
        PRODUCT,
        saved.version,
        "fabric",
        "indigo-linen",
    )
    .await
    .unwrap();
    assert_eq!(fabric(&editor(&app, shop).await, "indigo-linen").frozen, None);
    eventually_configured_as(&app, "indigo-linen", "active").await;
    refused(
        catalog::unfreeze_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            saved.version,
            "fabric",
            "indigo-linen",
        )
        .await,
        "status",
    );
    let entries = audit::audit_entries(&app.db, shop, 2).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["option_value.unfreeze", "option_value.freeze"]);
}

async fn a_value_edit_checks_its_label_and_price_difference(app: TestApp) {
    let shop = shop_id(&app).await;
    let opened = editor(&app, shop).await;
    let base = opened.fields.base_price_minor;
    let edit = |label: &str, delta: i64| {
        let db = app.db.clone();
        let label = label.to_string();
        let app = &app;
        async move {
            let version = catalog::product_editor(&db, shop, PRODUCT)
                .await
                .unwrap()
                .unwrap()
                .version;
            catalog::update_value(
                app.write(shop, ACTOR).await,
                PRODUCT,
                version,
                "fabric",
                "indigo-linen",
                &label,
                delta,
            )
            .await
        }
    };
    let states = state_version(&app, shop).await;
    refused(edit(" ", 0).await, "label");
    refused(edit(&"l".repeat(121), 0).await, "label");
    refused(edit("Indigo", -base - 1).await, "price_delta");
    refused(edit("Indigo", 10_000_001).await, "price_delta");
    assert_eq!(editor(&app, shop).await, opened, "nothing changed");
    assert_eq!(state_version(&app, shop).await, states);

    edit("Indigo", 10_000_000).await.unwrap();
    let saved = edit(" Indigo linen, free ", -base).await.unwrap();
    assert_eq!(saved.state_version, states + 2);
    let value = fabric(&editor(&app, shop).await, "indigo-linen");
    assert_eq!(
        (value.label.as_str(), value.price_delta_minor),
        ("Indigo linen, free", -base)
    );
    // With that value, the base price cannot drop: the total would go below zero.
    let cheaper = ProductFields {
        base_price_minor: base - 1,
        ..opened.fields.clone()
    };
    refused(
        catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, saved.version, &cheaper).await,
        "price",
    );

    let unknown_group = catalog::update_value(
        app.write(shop, ACTOR).await,
        PRODUCT,
        saved.version,
        "colour",
        "indigo-linen",
        "X",
        0,
    )
    .await;
    assert!(
        matches!(unknown_group, Err(WriteError::NotFound(_))),
        "{unknown_group:?}"
    );
    let unknown_value = catalog::update_value(
        app.write(shop, ACTOR).await,
        PRODUCT,
        saved.version,
        "fabric",
        "plaid",
        "X",
        0,
    )
    .await;
    assert!(
        matches!(unknown_value, Err(WriteError::NotFound(_))),
        "{unknown_value:?}"
    );
    assert_eq!(editor(&app, shop).await.version, saved.version);
}

async fn stock_row(app: &TestApp, shop: i64, sku: &str, node: &str) -> Option<stock::Model> {
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop))
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let node = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop))
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
}

async fn a_stock_count_is_saved_only_against_the_figure_the_merchant_saw(app: TestApp) {
    let shop = shop_id(&app).await;
    let seen = stock_row(&app, shop, "FAB-CNV-NAVY", "FB").await.unwrap();
    let states = state_version(&app, shop).await;
    let counted = seen.on_hand + 100;
    let level = supply::adjust_stock(
        app.write(shop, ACTOR).await,
        "FAB-CNV-NAVY",
        "FB",
        seen.on_hand,
        counted,
        "count",
    )
    .await
    .unwrap();
    assert_eq!((level.on_hand, level.reserved), (counted, seen.reserved));
    assert_eq!(level.state_version, states + 1);
    assert_eq!(
        stock_row(&app, shop, "FAB-CNV-NAVY", "FB").await.unwrap().on_hand,
        counted
    );

    // A second merchant counted against the old figure.
    let detail = conflict(
        supply::adjust_stock(
            app.write(shop, ACTOR).await,
            "FAB-CNV-NAVY",
            "FB",
            seen.on_hand,
            5,
            "recount",
        )
        .await,
    );
    assert!(
        detail.contains(&format!("changed from {} to {counted}", seen.on_hand)),
        "{detail}"
    );
    assert_eq!(
        stock_row(&app, shop, "FAB-CNV-NAVY", "FB").await.unwrap().on_hand,
        counted
    );
    assert_eq!(state_version(&app, shop).await, states + 1);

    // No row counts as zero.
    assert!(stock_row(&app, shop, "FAB-LIN-INDIGO", "WH").await.is_none());
    conflict(
        supply::adjust_stock(
            app.write(shop, ACTOR).await,
            "FAB-LIN-INDIGO",
            "WH",
            10,
            500,
            "found a roll",
        )
        .await,
    );
    assert!(stock_row(&app, shop, "FAB-LIN-INDIGO", "WH").await.is_none());
    supply::adjust_stock(
        app.write(shop, ACTOR).await,
        "FAB-LIN-INDIGO",
        "WH",
        0,
        500,
        "found a roll",
    )
    .await
    .unwrap();
    assert_eq!(
        stock_row(&app, shop, "FAB-LIN-INDIGO", "WH")
            .await
            .unwrap()
            .on_hand,
        500
    );
}

async fn stock_counts_below_reserved_negative_or_without_reason_are_refused(app: TestApp) {
    let shop = shop_id(&app).await;
    let promised = stock::Entity::find()
        .filter(stock::Column::Reserved.gt(0))
        .one(&app.db)
        .await
        .unwrap()
        .expect("open orders reserve some stock");
    let material = materials::Entity::find_by_id(promised.material_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let node = nodes::Entity::find_by_id(promised.node_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (sku, at, seen) = (material.sku.as_str(), node.code.as_str(), promised.on_hand);
    let states = state_version(&app, shop).await;
    let detail = refused(
        supply::adjust_stock(
            app.write(shop, ACTOR).await,
            sku,
            at,
            seen,
            promised.reserved - 1,
            "count",
        )
        .await,
        "on_hand",
    );
    assert!(detail.contains(&promised.reserved.to_string()), "{detail}");
    refused(
        supply::adjust_stock(app.write(shop, ACTOR).await, sku, at, seen, -1, "count").await,
        "on_hand",
    );
    refused(
        supply::adjust_stock(app.write(shop, ACTOR).await, sku, at, seen, seen, "  ").await,
        "reason",
    );
    assert_eq!(
        stock::Entity::find_by_id(promised.id).one(&app.db).await.unwrap(),
        Some(promised.clone())
    );
    assert_eq!(state_version(&app, shop).await, states);
    // Exactly what is reserved is fine.
    supply::adjust_stock(
        app.write(shop, ACTOR).await,
        sku,
        at,
        seen,
        promised.reserved,
        "count",
    )
    .await
    .unwrap();
}

fn indigo_order() -> NewPurchaseOrder {
    NewPurchaseOrder {
        supplier: "S-TEX".into(),
        sku: "FAB-LIN-INDIGO".into(),
        node: "FB".into(),
        quantity: 10_000,
        eta: seed_day() + Days::new(20),
        reference: String::new(),
    }
}

async fn each_purchase_order_refusal_names_its_field_and_stores_nothing(app: TestApp) {
    let shop = shop_id(&app).await;
    let lines = inbound::Entity::find().count(&app.db).await.unwrap();
    let entries = audit_count(&app).await;
    type Edit = fn(&mut NewPurchaseOrder);
    let cases: [(&str, Edit, &str); 11] = [
        ("unknown supplier", |o| o.supplier = "S-NOPE".into(), "supplier"),
        (
            "discontinued supplier",
            |o| o.supplier = "S-OLD".into(),
            "supplier",
        ),
        ("unknown material", |o| o.sku = "FAB-NOPE".into(), "sku"),
        ("not supplied", |o| o.supplier = "S-HDW".into(), "sku"),
        ("unknown node", |o| o.node = "XX".into(), "node"),
        ("nothing", |o| o.quantity = 0, "quantity"),
        ("below the minimum", |o| o.quantity = 2_500, "quantity"),
        ("not whole packs", |o| o.quantity = 7_500, "quantity"),
        ("arrives yesterday", |o| o.eta = seed_day() - Days::new(1), "eta"),
        (
            "reference in use",
            |o| o.reference = "PO-1041".into(),
            "reference",
        ),
        ("reference of 65", |o| o.reference = "R".repeat(65), "reference"),
    ];
    for (case, edit, field) in cases {
        let mut order = indigo_order();
        edit(&mut order);
        let result = supply::create_purchase_order(app.write(shop, ACTOR).await, &order, seed_day()).await;
        match result {
            Err(WriteError::Invalid { field: got, detail }) => {
                assert_eq!(got, field, "{case}: {detail}");
                if case == "not supplied" {
                    assert!(detail.contains("does not supply FAB-LIN-INDIGO"), "{detail}");
                }
                if case == "below the minimum" || case == "not whole packs" {
                    assert!(
                        detail.contains("5000"),
                        "{case} names the supplier's terms: {detail}"
                    );
                }
            }
            other => panic!("{case}: expected a refusal of {field}, got {other:?}"),
        }
    }
    assert_eq!(inbound::Entity::find().count(&app.db).await.unwrap(), lines);
    assert_eq!(audit_count(&app).await, entries);
}

async fn a_valid_purchase_order_is_a_draft_with_a_generated_reference(app: TestApp) {
    let shop = shop_id(&app).await;
    let states = state_version(&app, shop).await;
    let today = seed_day();
    let order = NewPurchaseOrder {
        eta: today,
        ..indigo_order()
    };
    let row = supply::create_purchase_order(app.write(shop, ACTOR).await, &order, today)
        .await
        .unwrap();
    assert_eq!((row.status.as_str(), row.kind.as_str()), ("draft", "purchase"));
    assert_eq!(row.reference, format!("PO-{}", row.id));
    assert_eq!(
        (row.supplier.as_deref(), row.node.as_str(), row.sku.as_str()),
        (Some("S-TEX"), "FB", "FAB-LIN-INDIGO")
    );
    assert_eq!((row.quantity, row.eta, row.unit.as_str()), (10_000, today, "cm"));
    let stored = inbound::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.reference, row.reference);
    assert_eq!(stored.status, "draft");
    assert_eq!(
        state_version(&app, shop).await,
        states,
        "a draft changes no quote"
    );
    let entry = audit::audit_entries(&app.db, shop, 1).await.unwrap().remove(0);
    assert_eq!(
        (entry.action.as_str(), entry.entity_id.as_str()),
        ("inbound.create", row.id.to_string().as_str())
    );

    let named = NewPurchaseOrder {
        reference: "  PO-2026-0042 ".into(),
        ..indigo_order()
    };
    let row = supply::create_purchase_order(app.write(shop, ACTOR).await, &named, today)
        .await
        .unwrap();
    assert_eq!(row.reference, "PO-2026-0042");
    refused(
        supply::create_purchase_order(app.write(shop, ACTOR).await, &named, today).await,
        "reference",
    );
}

async fn confirming_bumps_the_state_version_and_cancelling_a_draft_does_not(app: TestApp) {
    let shop = shop_id(&app).await;
    let draft = supply::create_purchase_order(app.write(shop, ACTOR).await, &indigo_order(), seed_day())
        .await
        .unwrap();
    let states = state_version(&app, shop).await;
    let (row, bumped) =
        supply::act_on_inbound(app.write(shop, ACTOR).await, draft.id, InboundAction::Confirm)
            .await
            .unwrap();
    assert_eq!(row.status, "confirmed");
    assert_eq!(bumped, Some(states + 1));
    assert_eq!(state_version(&app, shop).await, states + 1);
    let detail = refused(
        supply::act_on_inbound(app.write(shop, ACTOR).await, draft.id, InboundAction::Confirm).await,
        "status",
    );
    assert!(detail.contains("already confirmed"), "{detail}");

    let other = supply::create_purchase_order(app.write(shop, ACTOR).await, &indigo_order(), seed_day())
        .await
        .unwrap();
    refused(
        supply::act_on_inbound(app.write(shop, ACTOR).await, other.id, InboundAction::Receive).await,
        "status",
    );
    let (row, bumped) = supply::act_on_inbound(app.write(shop, ACTOR).await, other.id, InboundAction::Cancel)
        .await
        .unwrap();
    assert_eq!((row.status.as_str(), bumped), ("cancelled", None));
    assert_eq!(state_version(&app, shop).await, states + 1);
    let entry = audit::audit_entries(&app.db, shop, 1).await.unwrap().remove(0);
    assert_eq!(entry.action, "inbound.cancel");
    assert!(entry.before.unwrap().contains("\"draft\""));

    let missing = supply::act_on_inbound(app.write(shop, ACTOR).await, 999_999, InboundAction::Confirm).await;
    assert!(matches!(missing, Err(WriteError::NotFound(_))), "{missing:?}");
}

/// A seeded confirmed line by reference.
async fn line(app: &TestApp, shop: i64, reference: &str) -> inbound::Model {
    inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop))
        .filter(inbound::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Promises `quantity` of `line` to one of the shop's orders.
async fn promise(
    app: &TestApp,
    shop: i64,
    line: &inbound::Model,
    quantity: i64,
) -> order_reservations::Model {
    let order = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo shop has orders");
    order_reservations::ActiveModel {
        order_id: Set(order.id),
        material_id: Set(line.material_id),
        node_id: Set(line.node_id),
        inbound_id: Set(Some(line.id)),
        quantity: Set(quantity),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

async fn promised_from(app: &TestApp, line: i64) -> i64 {
    order_reservations::Entity::find()
        .filter(order_reservations::Column::InboundId.eq(line))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.quantity)
        .sum()
}

async fn stock_at(app: &TestApp, line: &inbound::Model) -> (i64, i64) {
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(line.material_id))
        .filter(stock::Column::NodeId.eq(line.node_id))
        .one(&app.db)
        .await
        .unwrap()
        .map_or((0, 0), |s| (s.on_hand, s.reserved))
}

async fn receiving_adds_stock_once_and_moves_promised_units_onto_it(app: TestApp) {
    let shop = shop_id(&app).await;
    let stone = line(&app, shop, "PO-1042").await;
    assert_eq!(stone.status, "confirmed");
    let ours = promise(&app, shop, &stone, 40).await;
    let promised = promised_from(&app, stone.id).await;
    let (on_hand, reserved) = stock_at(&app, &stone).await;
    let states = state_version(&app, shop).await;

    let (row, bumped) =
        supply::act_on_inbound(app.write(shop, ACTOR).await, stone.id, InboundAction::Receive)
            .await
            .unwrap();
    assert_eq!(row.status, "received");
    assert_eq!(bumped, Some(states + 1));
    assert_eq!(
        stock_at(&app, &stone).await,
        (on_hand + stone.quantity, reserved + promised)
    );
    assert_eq!(promised_from(&app, stone.id).await, 0);
    let moved = order_reservations::Entity::find_by_id(ours.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((moved.inbound_id, moved.quantity), (None, 40));
    let entry = audit::audit_entries(&app.db, shop, 1).await.unwrap().remove(0);
    assert_eq!(entry.action, "inbound.receive");
    let after: Value = serde_json::from_str(&entry.after.unwrap()).unwrap();
    assert_eq!(
        after["stock"],
        json!({"on_hand": on_hand + stone.quantity, "reserved": reserved + promised})
    );

    let detail = refused(
        supply::act_on_inbound(app.write(shop, ACTOR).await, stone.id, InboundAction::Receive).await,
        "status",
    );
    assert!(detail.contains("already received"), "{detail}");
    refused(
        supply::act_on_inbound(app.write(shop, ACTOR).await, stone.id, InboundAction::Cancel).await,
        "status",
    );
    assert_eq!(
        stock_at(&app, &stone).await,
        (on_hand + stone.quantity, reserved + promised),
        "added once"
    );
    assert_eq!(state_version(&app, shop).await, states + 1);
}

async fn two_concurrent_receipts_add_the_stock_once(app: TestApp) {
    let shop = shop_id(&app).await;
    let cognac = line(&app, shop, "PO-1043").await;
    let (on_hand, _) = stock_at(&app, &cognac).await;
    // Each receipt opens its unit inside its own future, as two requests would.
    let (app, id) = (&app, cognac.id);
    let receive = |actor: &'static str| async move {
        supply::act_on_inbound(app.write(shop, actor).await, id, InboundAction::Receive).await
    };
    let (first, second) = tokio::join!(receive(ACTOR), receive("merchant:2"));
    let received = [&first, &second].iter().filter(|r| r.is_ok()).count();
    assert_eq!(received, 1, "{first:?} {second:?}");
    let loser = if first.is_ok() { second } else { first };
    refused(loser, "status");
    assert_eq!(stock_at(app, &cognac).await.0, on_hand + cognac.quantity);
}

async fn a_line_with_promised_units_cannot_be_cancelled(app: TestApp) {
    let shop = shop_id(&app).await;
    let stone = line(&app, shop, "PO-1042").await;
    promise(&app, shop, &stone, 10).await;
    let states = state_version(&app, shop).await;
    let detail = refused(
        supply::act_on_inbound(app.write(shop, ACTOR).await, stone.id, InboundAction::Cancel).await,
        "status",
    );
    assert!(detail.contains("promised"), "{detail}");
    assert_eq!(line(&app, shop, "PO-1042").await.status, "confirmed");
    assert_eq!(state_version(&app, shop).await, states);

    let shoebox = line(&app, shop, "PO-1048").await;
    order_reservations::Entity::delete_many()
        .filter(order_reservations::Column::InboundId.eq(shoebox.id))
        .exec(&app.db)
        .await
        .unwrap();
    let (row, bumped) =
        supply::act_on_inbound(app.write(shop, ACTOR).await, shoebox.id, InboundAction::Cancel)
            .await
            .unwrap();
    assert_eq!(row.status, "cancelled");
    assert_eq!(bumped, Some(states + 1), "a confirmed line fed quotes");
}

fn search(text: &str) -> MaterialFilter {
    MaterialFilter {
        search: text.into(),
        ..MaterialFilter::default()
    }
}

async fn materials_are_found_by_part_of_a_name_in_any_case_and_by_kind(app: TestApp) {
    let shop = shop_id(&app).await;
    let skus = |rows: Vec<supply::MaterialRow>| rows.into_iter().map(|r| r.sku).collect::<Vec<_>>();
    let found = supply::materials(&app.db, shop, &search("  lInEn, InDi "))
        .await
        .unwrap();
    assert_eq!(skus(found), ["FAB-LIN-INDIGO"]);
    let found = supply::materials(&app.db, shop, &search("fab-lin-"))
        .await
        .unwrap();
    let found = skus(found);
    assert_eq!(
        found,
        [
            "FAB-LIN-INDIGO",
            "FAB-LIN-NATURAL",
            "FAB-LIN-OLIVE",
            "FAB-LIN-SAGE",
            "FAB-LIN-STONE"
        ],
        "by SKU, in SKU order"
    );

    let zippers = MaterialFilter {
        kind: Some("zipper".into()),
        ..MaterialFilter::default()
    };
    let rows = supply::materials(&app.db, shop, &zippers).await.unwrap();
    let stored = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop))
        .filter(materials::Column::Kind.eq("zipper"))
        .count(&app.db)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    assert_eq!(rows.len() as u64, stored);
    assert!(rows.iter().all(|r| r.kind == "zipper"));
    let black_zippers = MaterialFilter {
        search: "BLACK".into(),
        ..zippers
    };
    assert_eq!(
        skus(supply::materials(&app.db, shop, &black_zippers).await.unwrap()),
        ["ZIP-COIL-40"]
    );
    let all = supply::materials(&app.db, shop, &MaterialFilter::default())
        .await
        .unwrap();
    let all = skus(all);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);

    let choices = supply::material_choices(&app.db, shop).await.unwrap();
    assert!(
        choices.kinds.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        choices.kinds
    );
    assert!(choices.kinds.contains(&"zipper".to_string()));
    let codes: Vec<&str> = choices.nodes.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(codes, ["FB", "FS", "WH"]);
}

async fn material_figures_agree_with_the_stock_inbound_and_policy_tables(app: TestApp) {
    let shop = shop_id(&app).await;
    let stone = line(&app, shop, "PO-1042").await;
    let row = supply::materials(&app.db, shop, &search("FAB-LIN-STONE"))
        .await
        .unwrap()
        .remove(0);
    let stock_rows = stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(stone.material_id))
        .all(&app.db)
        .await
        .unwrap();
    let inbound_rows = inbound::Entity::find()
        .filter(inbound::Column::MaterialId.eq(stone.material_id))
        .filter(inbound::Column::Status.eq(InboundStatus::Confirmed))
        .all(&app.db)
        .await
        .unwrap();
    for at in &row.stock {
        let node = nodes::Entity::find()
            .filter(nodes::Column::ShopId.eq(shop))
            .filter(nodes::Column::Code.eq(&at.node))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let stored = stock_rows.iter().find(|s| s.node_id == node.id);
        assert_eq!(
            (at.on_hand, at.reserved),
            stored.map_or((0, 0), |s| (s.on_hand, s.reserved)),
            "{}",
            at.node
        );
        let inbound: i64 = inbound_rows
            .iter()
            .filter(|i| i.node_id == node.id)
            .map(|i| i.quantity)
            .sum();
        assert_eq!(at.inbound, inbound, "{}", at.node);
        assert_eq!(at.node_name, node.name);
    }
    let wh = row
        .stock
        .iter()
        .find(|s| s.node == "WH")
        .expect("stone linen is kept at WH");
    assert!(wh.inbound >= 5_000, "PO-1042 is on its way: {wh:?}");
    assert_eq!(row.stock.len(), stock_rows.len(), "one entry per node with stock");
    assert_eq!(
        (row.abc.as_deref(), row.reorder_point, row.below_reorder_point),
        (None, None, false)
    );

    let indigo = supply::materials(&app.db, shop, &search("FAB-LIN-INDIGO"))
        .await
        .unwrap()
        .remove(0);
    let attributes: Vec<(&str, &str)> = indigo
        .attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        attributes,
        [
            ("colour", "indigo"),
            ("material", "linen"),
            ("weight_gsm", "280"),
            ("width_cm", "140")
        ]
    );

    // A stored policy: class, and whether available stock is at or below the point.
    let available: i64 = indigo.stock.iter().map(|s| s.on_hand - s.reserved).sum();
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop))
        .filter(materials::Column::Sku.eq("FAB-LIN-INDIGO"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    policies::ActiveModel {
        material_id: Set(material.id),
        abc: Set("A".into()),
        xyz: Set("Z".into()),
        demand_class: Set("lumpy".into()),
        service_level: Set(0.95),
        review_days: Set(7),
        coverage_days: Set(14),
        stock_level: Set("medium".into()),
        safety_stock: Set(100),
        reorder_point: Set(available),
        order_up_to: Set(available + 5_000),
        inputs: Set(json!({})),
        computed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let class_a = MaterialFilter {
        class: Some("A".into()),
        below_reorder_point: true,
        ..MaterialFilter::default()
    };
    let rows = supply::materials(&app.db, shop, &class_a).await.unwrap();
    assert_eq!(rows.len(), 1, "only indigo has a policy");
    assert_eq!(
        (
            rows[0].sku.as_str(),
            rows[0].abc.as_deref(),
            rows[0].xyz.as_deref()
        ),
        ("FAB-LIN-INDIGO", Some("A"), Some("Z"))
    );
    assert_eq!(
        (rows[0].reorder_point, rows[0].below_reorder_point),
        (Some(available), true)
    );
    // One unit more than the reorder point is not below it.
    supply::adjust_stock(
        app.write(shop, ACTOR).await,
        "FAB-LIN-INDIGO",
        "FB",
        indigo.stock[0].on_hand,
        indigo.stock[0].on_hand + 1,
        "count",
    )
    .await
    .unwrap();
    assert!(
        supply::materials(&app.db, shop, &class_a)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn the_supply_view_lists_suppliers_open_lines_and_nodes(app: TestApp) {
    let shop = shop_id(&app).await;
    let draft = supply::create_purchase_order(app.write(shop, ACTOR).await, &indigo_order(), seed_day())
        .await
        .unwrap();
    let cancelled = supply::create_purchase_order(app.write(shop, ACTOR).await, &indigo_order(), seed_day())
        .await
        .unwrap();
    supply::act_on_inbound(app.write(shop, ACTOR).await, cancelled.id, InboundAction::Cancel)
        .await
        .unwrap();
    let view = supply::supply_view(&app.db, shop, seed_day()).await.unwrap();
    let codes: Vec<&str> = view.suppliers.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["S-HDW", "S-LTH", "S-OLD", "S-SOL", "S-TEX"]);
    let tex = &view.suppliers[4];
    let linen = tex.offers.iter().find(|o| o.sku == "FAB-LIN-INDIGO").unwrap();
    assert_eq!(
        (linen.moq, linen.pack_size, linen.status.as_str()),
        (5_000, 5_000, "active")
    );
    assert!(tex.offers.windows(2).all(|w| w[0].sku <= w[1].sku));

    let open: Vec<_> = view
        .inbound
        .iter()
        .take_while(|l| l.status == "draft" || l.status == "confirmed")
        .collect();
    assert!(open.windows(2).all(|w| w[0].eta <= w[1].eta), "open lines by ETA");
    assert!(open.iter().any(|l| l.id == draft.id));
    let rest = &view.inbound[open.len()..];
    assert_eq!(rest.len(), 1);
    assert_eq!((rest[0].id, rest[0].status.as_str()), (cancelled.id, "cancelled"));
    let transfer = view.inbound.iter().find(|l| l.reference == "TR-0107").unwrap();
    assert_eq!(
        (
            transfer.kind.as_str(),
            transfer.from_node.as_deref(),
            transfer.supplier.as_deref()
        ),
        ("transfer", Some("WH"), None)
    );
    assert!(
        view.reservations
            .windows(2)
            .all(|w| w[0].confirm_by <= w[1].confirm_by)
    );
    assert_eq!(view.nodes.len(), 3);
}

async fn the_audit_log_lists_the_newest_first(app: TestApp) {
    let shop = shop_id(&app).await;
    let seen = stock_row(&app, shop, "FAB-CNV-NAVY", "FB").await.unwrap();
    supply::adjust_stock(
        app.write(shop, ACTOR).await,
        "FAB-CNV-NAVY",
        "FB",
        seen.on_hand,
        seen.on_hand,
        "count",
    )
    .await
    .unwrap();
    let opened = editor(&app, shop).await;
    catalog::update_product(
        app.write(shop, ACTOR).await,
        PRODUCT,
        opened.version,
        &opened.fields,
    )
    .await
    .unwrap();
    let entries = audit::audit_entries(&app.db, shop, 3).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["product.update", "stock.set", "seed"]);
    assert!(entries.windows(2).all(|w| w[0].at >= w[1].at));
    let stock_entry = &entries[1];
    assert_eq!(stock_entry.entity_id, "FAB-CNV-NAVY@FB");
    assert!(
        !stock_entry.after.as_deref().unwrap().contains(' '),
        "compact JSON: {:?}",
        stock_entry.after
    );
    let all = audit::audit_entries(&app.db, shop, 100).await.unwrap();
    assert_eq!(all.len() as u64, audit_count(&app).await.min(100));
}
