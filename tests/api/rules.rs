//! Rule-bounded autonomy (issue 18): a merchant's rule executes the day's suggestions
//! of its kind within its caps per action and per day and stops at them, leaving the
//! rest in the inbox; each execution is audited under the rule and can be undone; a
//! paused rule acts on nothing, and the dry run shows what it would have done; a rule
//! that cannot be one is refused by field and nothing is stored.

use c2m_tests::{TestApp, on_both_databases};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use server::store::entities::{
    AlertSeverity, AlertStatus, InboundKind, InboundStatus, SuggestionKind, SuggestionStatus, alerts,
    automation_rules, inbound, materials, nodes, stock, suggestions,
};

use crate::admin_settings::{accepted, audited, banner_of, get, post_form, refusal_of, shop};

on_both_databases!(
    a_rule_executes_transfers_within_its_caps_and_stops_at_them,
    a_paused_rule_acts_on_nothing_and_the_dry_run_shows_what_it_would_do,
    a_rule_that_cannot_be_one_is_refused_by_field,
);

const RULES: &str = "/admin/rules";
const LINEN: &str = "FAB-LIN-INDIGO";

/// The demo's alert rules raise their suggestions (at the first recomputation), which
/// are then decided, so each test's rules judge only its own.
async fn nothing_open(app: &TestApp) {
    recompute(app).await;
    suggestions::Entity::update_many()
        .col_expr(
            suggestions::Column::Status,
            Expr::value(SuggestionStatus::Dismissed),
        )
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .exec(&app.db)
        .await
        .unwrap();
}

/// Plenty of linen free at the warehouse, so every transfer can be drafted.
async fn linen_at_the_warehouse(app: &TestApp) -> i64 {
    let material = materials::Entity::find()
        .filter(materials::Column::Sku.eq(LINEN))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let warehouse = nodes::Entity::find()
        .filter(nodes::Column::Code.eq("WH"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let row = stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .filter(stock::Column::NodeId.eq(warehouse.id))
        .one(&app.db)
        .await
        .unwrap();
    match row {
        Some(row) => {
            stock::Entity::update_many()
                .col_expr(stock::Column::OnHand, Expr::value(row.reserved + 10_000))
                .filter(stock::Column::Id.eq(row.id))
                .exec(&app.db)
                .await
                .unwrap();
        }
        None => {
            stock::ActiveModel {
                material_id: Set(material.id),
                node_id: Set(warehouse.id),
                on_hand: Set(10_000),
                reserved: Set(0),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
    }
    material.id
}

/// A suggested transfer of 10 m of linen from the warehouse to the bag workshop,
/// worth `value_minor`, made now on the server's clock.
async fn transfer_suggested(app: &TestApp, value_minor: i64) -> i64 {
    let shop = shop(app).await;
    // Under an alert of its own, as the rules raise them, so the inbox lists it.
    let alert = alerts::ActiveModel {
        shop_id: Set(shop.id),
        kind: Set("wip_overconsumption".into()),
        severity: Set(AlertSeverity::Warning),
        subject: Set(format!("test:{value_minor}:{}", uuid::Uuid::new_v4())),
        message: Set("Indigo linen — used faster than planned".into()),
        evidence: Set(json!({})),
        status: Set(AlertStatus::Open),
        created_at: Set(app.store().now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    suggestions::ActiveModel {
        shop_id: Set(shop.id),
        alert_id: Set(Some(alert.id)),
        kind: Set(SuggestionKind::Transfer),
        payload: Set(json!({
            "sku": LINEN, "name": "Indigo linen", "unit": "m", "quantity": 10,
            "from_node": "WH", "to_node": "FB", "arrives": "2026-01-10", "on_time": true,
            "on_hand": 10_000, "reserved": 0, "safety_stock": 0,
            "value_minor": value_minor, "cost_minor": 1500,
        })),
        status: Set(SuggestionStatus::Open),
        created_at: Set(app.store().now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn status_of(app: &TestApp, id: i64) -> suggestions::Model {
    suggestions::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn recompute(app: &TestApp) {
    let response = post_form(app, "/_fn/admin/recompute_policies", "/admin/policies", &[]).await;
    accepted(&response);
}

async fn write_rule(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    post_form(app, "/_fn/admin/create_rule", RULES, form).await
}

async fn rule_named(app: &TestApp, name: &str) -> automation_rules::Model {
    automation_rules::Entity::find()
        .filter(automation_rules::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the rule")
}

async fn transfer_drafts(app: &TestApp, status: InboundStatus) -> u64 {
    inbound::Entity::find()
        .filter(inbound::Column::Kind.eq(InboundKind::Transfer))
        .filter(inbound::Column::Status.eq(status))
        .count(&app.db)
        .await
        .unwrap()
}

async fn a_rule_executes_transfers_within_its_caps_and_stops_at_them(app: TestApp) {
    app.sign_in().await;
    nothing_open(&app).await;
    linen_at_the_warehouse(&app).await;
    let response = write_rule(
        &app,
        &[
            ("name", "transfers under 500"),
            ("kind", "transfer"),
            ("classes", ""),
            ("max_per_action", "500"),
            ("max_per_day", "800"),
        ],
    )
    .await;
    accepted(&response);
    let rule = rule_named(&app, "transfers under 500").await;
    assert_eq!(
        (rule.max_per_action_minor, rule.max_per_day_minor),
        (Some(50_000), Some(80_000))
    );
    assert!(!audited(&app, "automation_rule.create").await.is_empty());

    // 300 and 300 fit (600 of 800 spent); 600 is over the cap per action; the last 300
    // would take the day to 900, past its cap.
    let ids = [
        transfer_suggested(&app, 30_000).await,
        transfer_suggested(&app, 30_000).await,
        transfer_suggested(&app, 60_000).await,
        transfer_suggested(&app, 30_000).await,
    ];
    let drafts = transfer_drafts(&app, InboundStatus::Draft).await;
    recompute(&app).await;

    let mut statuses = Vec::new();
    for id in ids {
        statuses.push(status_of(&app, id).await);
    }
    let seen: Vec<SuggestionStatus> = statuses.iter().map(|s| s.status).collect();
    assert_eq!(
        seen,
        [
            SuggestionStatus::Executed,
            SuggestionStatus::Executed,
            SuggestionStatus::Open,
            SuggestionStatus::Open
        ]
    );
    for executed in &statuses[..2] {
        assert_eq!(executed.rule_id, Some(rule.id));
        assert_eq!(
            executed.decided_by.as_deref(),
            Some(format!("automation:{}", rule.id).as_str())
        );
        assert!(
            executed
                .applied
                .as_ref()
                .is_some_and(|a| a["inbound_id"].is_i64()),
            "{:?}",
            executed.applied
        );
    }
    let executed: Vec<(i64, serde_json::Value)> = suggestions::Entity::find()
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Executed))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.payload))
        .collect();
    assert_eq!(
        transfer_drafts(&app, InboundStatus::Draft).await,
        drafts + 2,
        "two transfers drafted: {executed:?}"
    );
    let entries = audited(&app, "suggestion.execute").await;
    assert_eq!(entries.len(), 2);
    for entry in &entries {
        assert_eq!(entry.actor, format!("automation:{}", rule.id));
        let after = entry.after.clone().unwrap_or_default();
        assert_eq!(after["rule"]["name"], "transfers under 500", "{after}");
    }
    assert_eq!(
        entries[1].after.clone().unwrap_or_default()["rule_spent_that_day_minor"],
        60_000
    );

    // The page says what the rule spent today; the inbox names the rule.
    let page = get(&app, RULES).await;
    assert!(
        page.contains("data-spent-today=\"60000\""),
        "the rules page shows today's spending"
    );
    let inbox = get(&app, "/admin/alerts").await;
    assert!(!inbox.is_empty());

    // Another recomputation the same day executes nothing more: the cap holds.
    recompute(&app).await;
    assert_eq!(status_of(&app, ids[3]).await.status, SuggestionStatus::Open);
    assert_eq!(audited(&app, "suggestion.execute").await.len(), 2);

    // Undo: the first transfer's draft is cancelled; a second undo is refused.
    let undo = post_form(
        &app,
        "/_fn/admin/undo_suggestion",
        "/admin/alerts",
        &[("id", &ids[0].to_string())],
    )
    .await;
    accepted(&undo);
    let undone = status_of(&app, ids[0]).await;
    assert_eq!(undone.status, SuggestionStatus::Undone);
    assert!(
        undone
            .undone_by
            .as_deref()
            .is_some_and(|by| by.starts_with("merchant:"))
    );
    let draft = undone.applied.unwrap()["inbound_id"].as_i64().unwrap();
    let line = inbound::Entity::find_by_id(draft)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.status, InboundStatus::Cancelled);
    let again = post_form(
        &app,
        "/_fn/admin/undo_suggestion",
        "/admin/alerts",
        &[("id", &ids[0].to_string())],
    )
    .await;
    let shown = refusal_of(&app, &again, &format!("suggestion-{}", ids[0])).await;
    assert!(shown.contains("only an accepted or executed one"), "{shown}");
    assert!(!audited(&app, "suggestion.undo").await.is_empty());
}

async fn a_paused_rule_acts_on_nothing_and_the_dry_run_shows_what_it_would_do(app: TestApp) {
    app.sign_in().await;
    nothing_open(&app).await;
    linen_at_the_warehouse(&app).await;
    accepted(
        &write_rule(
            &app,
            &[
                ("name", "small transfers"),
                ("kind", "transfer"),
                ("classes", ""),
                ("max_per_action", "400"),
                ("max_per_day", ""),
            ],
        )
        .await,
    );
    let rule = rule_named(&app, "small transfers").await;
    let pause = post_form(
        &app,
        "/_fn/admin/pause_rule",
        RULES,
        &[("id", &rule.id.to_string()), ("paused", "true")],
    )
    .await;
    accepted(&pause);
    assert!(rule_named(&app, "small transfers").await.paused);

    let small = transfer_suggested(&app, 20_000).await;
    let large = transfer_suggested(&app, 90_000).await;
    recompute(&app).await;
    assert_eq!(
        status_of(&app, small).await.status,
        SuggestionStatus::Open,
        "paused: nothing executed"
    );
    assert!(audited(&app, "suggestion.execute").await.is_empty());

    // The dry run: the paused rule would have taken the small one, not the large one.
    let page = get(&app, RULES).await;
    assert!(
        page.contains(&format!("data-dry-run=\"{small}\" data-taken=\"true\"")),
        "the dry run takes the small transfer"
    );
    assert!(
        page.contains(&format!("data-dry-run=\"{large}\" data-taken=\"false\"")),
        "and leaves the large one"
    );
    assert!(page.contains("over its 400.00 per action"), "and says why");

    // Resumed, it acts at the next pass on today's suggestions.
    let resume = post_form(
        &app,
        "/_fn/admin/pause_rule",
        RULES,
        &[("id", &rule.id.to_string()), ("paused", "false")],
    )
    .await;
    accepted(&resume);
    recompute(&app).await;
    assert_eq!(status_of(&app, small).await.status, SuggestionStatus::Executed);
    assert_eq!(status_of(&app, large).await.status, SuggestionStatus::Open);
    let paused_twice = post_form(
        &app,
        "/_fn/admin/pause_rule",
        RULES,
        &[("id", &rule.id.to_string()), ("paused", "false")],
    )
    .await;
    let shown = refusal_of(&app, &paused_twice, &format!("rule-{}", rule.id)).await;
    assert!(shown.contains("running already"), "{shown}");
    let actions: Vec<String> = audited(&app, "automation_rule.pause")
        .await
        .into_iter()
        .chain(audited(&app, "automation_rule.resume").await)
        .map(|e| e.action)
        .collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
}

async fn a_rule_that_cannot_be_one_is_refused_by_field(app: TestApp) {
    app.sign_in().await;
    let rules = || async { automation_rules::Entity::find().count(&app.db).await.unwrap() };
    let before = rules().await;
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 5] = [
        (
            &[
                ("name", ""),
                ("kind", "transfer"),
                ("classes", ""),
                ("max_per_action", ""),
                ("max_per_day", ""),
            ],
            "name",
            "give the rule a name",
        ),
        (
            &[
                ("name", "x"),
                ("kind", "teleport"),
                ("classes", ""),
                ("max_per_action", ""),
                ("max_per_day", ""),
            ],
            "kind",
            "not a kind of suggestion",
        ),
        (
            &[
                ("name", "x"),
                ("kind", "transfer"),
                ("classes", "Q-X"),
                ("max_per_action", ""),
                ("max_per_day", ""),
            ],
            "classes",
            "not a class like C-X",
        ),
        (
            &[
                ("name", "x"),
                ("kind", "transfer"),
                ("classes", ""),
                ("max_per_action", "five"),
                ("max_per_day", ""),
            ],
            "max_per_action",
            "not an amount",
        ),
        (
            &[
                ("name", "x"),
                ("kind", "transfer"),
                ("classes", ""),
                ("max_per_action", "900"),
                ("max_per_day", "500"),
            ],
            "max_per_action",
            "more than the 500.00 a day allows",
        ),
    ];
    for (form, field, says) in cases {
        let response = write_rule(&app, form).await;
        let shown = refusal_of(&app, &response, field).await;
        assert!(shown.contains(says), "{field}: {shown}");
    }
    accepted(
        &write_rule(
            &app,
            &[
                ("name", "C-X raises"),
                ("kind", "raise_stock_level"),
                ("classes", "c-x, C-Y"),
                ("max_per_action", ""),
                ("max_per_day", ""),
            ],
        )
        .await,
    );
    let stored = rule_named(&app, "C-X raises").await;
    assert_eq!(
        stored.conditions,
        json!([{"if": "class_in", "classes": [{"abc": "C", "xyz": "X"}, {"abc": "C", "xyz": "Y"}]}])
    );
    let twice = write_rule(
        &app,
        &[
            ("name", "C-X raises"),
            ("kind", "transfer"),
            ("classes", ""),
            ("max_per_action", ""),
            ("max_per_day", ""),
        ],
    )
    .await;
    assert!(refusal_of(&app, &twice, "name").await.contains("exists already"));
    assert_eq!(rules().await, before + 1, "only the valid rule was stored");
    let unknown = post_form(&app, "/_fn/admin/delete_rule", RULES, &[("id", "999999")]).await;
    let shown = banner_of(&app, &unknown).await;
    assert!(shown.contains("no rule 999999"), "{shown}");
}
