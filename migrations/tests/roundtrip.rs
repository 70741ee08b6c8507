//! The migrations apply, roll back and apply again, on SQLite and on PostgreSQL, and
//! the foreign keys behave as `docs/schema.md` says.

use std::time::{SystemTime, UNIX_EPOCH};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement};

/// Every table of `docs/schema.md`.
const TABLES: [&str; 46] = [
    "shops",
    "shop_holidays",
    "shop_origins",
    "api_keys",
    "merchants",
    "sessions",
    "sign_in_failures",
    "nodes",
    "transfer_lanes",
    "materials",
    "stock",
    "channel_allocations",
    "suppliers",
    "supplier_materials",
    "inbound",
    "inventory_closes",
    "capacity_reservations",
    "work_centers",
    "work_center_holidays",
    "work_center_bookings",
    "webhook_endpoints",
    "webhook_events",
    "webhook_deliveries",
    "webhook_receipts",
    "products",
    "product_bom_lines",
    "product_operations",
    "option_groups",
    "option_values",
    "option_value_bom_lines",
    "option_value_operations",
    "orders",
    "order_reservations",
    "order_operations",
    "material_consumption",
    "heat_events",
    "policies",
    "alerts",
    "suggestions",
    "automation_rules",
    "audit_log",
    "idempotency_keys",
    "imports",
    "heat_hourly",
    "heat_daily",
    "policy_settings",
];

/// One row in every table, all of shop 1 (ids are 1 in a fresh database; `nodes` has a
/// second row for the transfer lane). Plain literals, valid on SQLite and PostgreSQL.
const ONE_SHOP: &[&str] = &[
    "INSERT INTO shops (slug, name, timezone, currency, working_weekdays, transit_days, state_version, created_at) \
     VALUES ('demo', 'Demo', 'Europe/Paris', 'EUR', 31, 2, 0, '2026-01-05T09:00:00Z')",
    "INSERT INTO shop_holidays (shop_id, day, name) VALUES (1, '2026-12-25', 'Christmas')",
    "INSERT INTO shop_origins (shop_id, origin) VALUES (1, 'https://shop.example')",
    "INSERT INTO api_keys (shop_id, kind, prefix, token_hash, label, created_at) \
     VALUES (1, 'secret', 'sk_abcdefghi', 'ab12', 'ops', '2026-01-05T09:00:00Z')",
    "INSERT INTO merchants (shop_id, email, name, password_hash, created_at) \
     VALUES (1, 'a@shop.example', 'A', '$argon2id$x', '2026-01-05T09:00:00Z')",
    "INSERT INTO sessions (merchant_id, token_hash, created_at, expires_at) \
     VALUES (1, 'cd34', '2026-01-05T09:00:00Z', '2026-01-12T09:00:00Z')",
    "INSERT INTO sign_in_failures (email_hash, failures, last_failed_at) \
     VALUES ('0f1e2d', 2, '2026-01-05T09:00:00Z')",
    "INSERT INTO nodes (shop_id, code, name, kind) VALUES (1, 'wh', 'Warehouse', 'warehouse')",
    "INSERT INTO nodes (shop_id, code, name, kind) VALUES (1, 'fx', 'Factory', 'factory')",
    "INSERT INTO transfer_lanes (from_node_id, to_node_id, lead_time_days, cost_per_unit_minor) VALUES (1, 2, 3, 10)",
    "INSERT INTO materials (shop_id, sku, name, unit, unit_cost_minor, kind, attributes, is_generic) \
     VALUES (1, 'LTH-RED', 'Red leather', 'cm', 4, 'leather', '{}', false)",
    "INSERT INTO stock (material_id, node_id, on_hand, reserved) VALUES (1, 1, 500, 20)",
    "INSERT INTO channel_allocations (shop_id, material_id, node_id, channel, quantity, updated_at) \
     VALUES (1, 1, 1, 'wholesale', 100, '2026-01-05T09:00:00Z')",
    "INSERT INTO suppliers (shop_id, code, name, status) VALUES (1, 'tan', 'Tannery', 'active')",
    "INSERT INTO supplier_materials (supplier_id, material_id, lead_time_mean_days, lead_time_sd_days, moq, \
     pack_size, price_minor, status) VALUES (1, 1, 12.5, 2.0, 100, 50, 3, 'active')",
    "INSERT INTO inbound (shop_id, material_id, node_id, kind, supplier_id, quantity, eta, status, reference, \
     created_at) VALUES (1, 1, 1, 'purchase', 1, 300, '2026-02-01', 'confirmed', 'PO-1', '2026-01-05T09:00:00Z')",
    "INSERT INTO capacity_reservations (shop_id, supplier_id, material_id, quantity, window_start, window_end, \
     confirm_by, fee_minor, status, created_at) VALUES (1, 1, 1, 1000, '2026-03-01', '2026-03-31', \
     '2026-02-15T17:00:00Z', 5000, 'requested', '2026-01-05T09:00:00Z')",
    "INSERT INTO work_centers (shop_id, node_id, code, name, minutes_per_day, working_weekdays) \
     VALUES (1, 2, 'sew', 'Sewing', 960, 31)",
    "INSERT INTO work_center_holidays (work_center_id, day, name) VALUES (1, '2026-05-01', 'Labour day')",
    "INSERT INTO products (shop_id, slug, name, description, base_price_minor, lifecycle, max_lead_time_days, \
     handling_days, producing_node_id, version, created_at) VALUES (1, 'bag', 'Bag', 'A bag', 12000, 'growth', \
     30, 1, 2, 0, '2026-01-05T09:00:00Z')",
    "INSERT INTO product_bom_lines (product_id, material_id, quantity) VALUES (1, 1, 120)",
    "INSERT INTO product_operations (product_id, seq, name, work_center_id, minutes_per_unit, setup_minutes, \
     is_generic) VALUES (1, 10, 'Sew', 1, 45.0, 15, true)",
    "INSERT INTO option_groups (product_id, code, name, position, required, multi) \
     VALUES (1, 'colour', 'Colour', 0, true, false)",
    "INSERT INTO option_values (group_id, code, label, position, price_delta_minor, status) \
     VALUES (1, 'red', 'Red', 0, 0, 'active')",
    "INSERT INTO option_value_bom_lines (option_value_id, material_id, quantity) VALUES (1, 1, 10)",
    "INSERT INTO option_value_operations (option_value_id, seq, name, work_center_id, minutes_per_unit, \
     setup_minutes) VALUES (1, 20, 'Dye', 1, 5.0, 0)",
    "INSERT INTO orders (shop_id, product_id, reference, quantity, selection, price_minor, quoted_p50, quoted_p90, \
     promised_on, status, placed_at) VALUES (1, 1, 'ORD-1', 1, '{\"colour\": \"red\"}', 12000, '2026-01-20', \
     '2026-01-23', '2026-01-23', 'placed', '2026-01-05T09:30:00Z')",
    "INSERT INTO order_reservations (order_id, material_id, node_id, inbound_id, quantity) VALUES (1, 1, 1, 1, 130)",
    "INSERT INTO work_center_bookings (work_center_id, day, minutes, order_id) VALUES (1, '2026-01-12', 65, 1)",
    "INSERT INTO order_operations (order_id, seq, work_center_id, planned_minutes, booked_minutes, actual_minutes, \
     finished_on) VALUES (1, 0, 1, 60, 66, 72, '2026-01-12')",
    "INSERT INTO material_consumption (order_id, material_id, node_id, quantity, consumed_on, reported_by, \
     created_at) VALUES (1, 1, 1, 140, '2026-01-12', 'key:sk_abcdefghi', '2026-01-12T16:00:00Z')",
    "INSERT INTO inventory_closes (shop_id, material_id, day, on_hand, unit_cost_minor, dated_units, aged_units, \
     safety_stock, reorder_point, order_up_to, xyz) VALUES (1, 1, '2026-01-12', 500, 24, 130, 0, 40, 90, 200, 'X')",
    "INSERT INTO webhook_endpoints (shop_id, url, secret, events, active, created_at) \
     VALUES (1, 'https://example.com/hooks', 'whsec_x', 'order.promised', true, '2026-01-05T09:00:00Z')",
    "INSERT INTO webhook_events (shop_id, event_id, kind, payload, created_at) \
     VALUES (1, 'evt_1', 'order.promised', '{}', '2026-01-05T09:00:00Z')",
    "INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at) \
     VALUES (1, 1, 'pending', 0, '2026-01-05T09:00:00Z')",
    "INSERT INTO webhook_receipts (shop_id, signature, received_at) VALUES (1, 'abc', '2026-01-05T09:00:00Z')",
    "INSERT INTO heat_events (shop_id, event_id, kind, product_id, option_value_id, session_id, occurred_at) \
     VALUES (1, 'ev-1', 'option_select', 1, 1, 'anon-1', '2026-01-05T09:10:00Z')",
    "INSERT INTO policies (material_id, abc, xyz, demand_class, service_level, review_days, coverage_days, \
     stock_level, safety_stock, reorder_point, order_up_to, inputs, computed_at) VALUES (1, 'A', 'X', 'smooth', \
     0.95, 7, 14, 'medium', 200, 600, 900, '{}', '2026-01-05T02:00:00Z')",
    "INSERT INTO alerts (shop_id, kind, severity, subject, message, evidence, status, created_at) \
     VALUES (1, 'stockout_risk', 'warning', 'LTH-RED', 'Low', '{}', 'open', '2026-01-05T02:00:00Z')",
    "INSERT INTO suggestions (shop_id, alert_id, kind, payload, status, created_at) \
     VALUES (1, 1, 'purchase', '{}', 'open', '2026-01-05T02:00:00Z')",
    "INSERT INTO automation_rules (shop_id, name, kind, conditions, paused, created_at, updated_at) \
     VALUES (1, 'transfers under 500', 'transfer', '[]', false, '2026-01-05T02:00:00Z', '2026-01-05T02:00:00Z')",
    "INSERT INTO audit_log (shop_id, actor, action, entity, entity_id, after, at) \
     VALUES (1, 'merchant:1', 'create', 'product', '1', '{}', '2026-01-05T09:00:00Z')",
    "INSERT INTO idempotency_keys (shop_id, key, request_hash, status, body, created_at) \
     VALUES (1, 'k-1', 'ef56', 201, '{}', '2026-01-05T09:30:00Z')",
    "INSERT INTO imports (shop_id, kind, file_name, status, rows, changed, errors, actor, created_at) \
     VALUES (1, 'stock', 'stock.csv', 'applied', 3, 2, '[]', 'merchant:1', '2026-01-05T09:40:00Z')",
    "INSERT INTO heat_hourly (shop_id, product_id, option_value_id, kind, hour, count) \
     VALUES (1, 1, 1, 'option_select', '2026-01-05T09:00:00Z', 1)",
    "INSERT INTO heat_daily (shop_id, product_id, option_value_id, kind, day, count) \
     VALUES (1, 1, 1, 'option_select', '2026-01-05', 1)",
    "INSERT INTO policy_settings (shop_id, settings, version, updated_at) \
     VALUES (1, '{}', 1, '2026-01-05T09:40:00Z')",
];

#[tokio::test]
async fn migrations_go_up_down_and_up_again_on_sqlite() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    round_trip(&db).await;
}

#[tokio::test]
async fn foreign_keys_cascade_restrict_and_set_null_on_sqlite() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    Migrator::up(&db, None).await.expect("migrations apply");
    foreign_key_behaviour(&db).await;
}

/// Runs against a scratch database on the server of `C2M_TEST_PG` (default: a local
/// `postgres` superuser), created for the test and dropped after it.
#[tokio::test]
async fn migrations_go_up_down_and_up_again_and_keys_hold_on_postgres() {
    let admin_url = std::env::var("C2M_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let admin = Database::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} (set C2M_TEST_PG to another server): {e}"));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .subsec_nanos();
    let name = format!("c2m_migrations_{}_{nanos}", std::process::id());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create scratch database");

    let url = with_database(&admin_url, &name);
    // On its own task, so that the scratch database is dropped even when a check fails.
    let checks = tokio::spawn(async move {
        let db = Database::connect(url).await.expect("connect to scratch database");
        round_trip(&db).await;
        Migrator::fresh(&db).await.expect("fresh schema");
        foreign_key_behaviour(&db).await;
        db.close().await.expect("close scratch connection");
    })
    .await;

    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .expect("drop scratch database");
    if let Err(failure) = checks {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Up, down, up: each step leaves exactly the tables it should.
async fn round_trip(db: &DatabaseConnection) {
    let all = Migrator::migrations().len();
    Migrator::up(db, None).await.expect("first up");
    assert_eq!(schema_tables(db).await, expected_tables());
    assert_eq!(
        Migrator::get_applied_migrations(db).await.expect("applied").len(),
        all
    );

    Migrator::down(db, None).await.expect("down");
    assert_eq!(
        schema_tables(db).await,
        Vec::<String>::new(),
        "down leaves no schema table behind"
    );
    assert!(
        Migrator::get_applied_migrations(db)
            .await
            .expect("applied")
            .is_empty()
    );

    Migrator::up(db, None).await.expect("second up");
    assert_eq!(schema_tables(db).await, expected_tables());
    assert_eq!(
        Migrator::get_applied_migrations(db).await.expect("applied").len(),
        all
    );
}

/// References into another aggregate restrict, references to an owner cascade, and
/// optional references are cleared.
async fn foreign_key_behaviour(db: &DatabaseConnection) {
    for insert in ONE_SHOP {
        db.execute_unprepared(insert)
            .await
            .unwrap_or_else(|e| panic!("{insert}: {e}"));
    }
    for table in TABLES {
        assert_eq!(
            count(db, table).await,
            if table == "nodes" { 2 } else { 1 },
            "rows in {table}"
        );
    }

    for (sql, what) in [
        ("DELETE FROM materials WHERE id = 1", "a material in a BOM"),
        ("DELETE FROM nodes WHERE id = 1", "a node holding stock"),
        ("DELETE FROM products WHERE id = 1", "a product with orders"),
        (
            "DELETE FROM work_centers WHERE id = 1",
            "a work center in a routing",
        ),
        (
            "DELETE FROM suppliers WHERE id = 1",
            "a supplier with a capacity reservation",
        ),
    ] {
        assert!(exec(db, sql).await.is_err(), "{what} cannot be deleted");
    }

    exec(db, "DELETE FROM orders WHERE id = 1")
        .await
        .expect("delete the order");
    assert_eq!(
        count(db, "order_reservations").await,
        0,
        "reservations go with their order"
    );
    assert_eq!(
        count(db, "order_operations").await,
        0,
        "operations go with their order"
    );
    assert_eq!(
        count(db, "material_consumption").await,
        0,
        "reported consumption goes with its order"
    );
    assert_eq!(
        count_where(db, "work_center_bookings", "order_id IS NULL").await,
        1,
        "the booking stays"
    );

    exec(db, "DELETE FROM inbound WHERE id = 1")
        .await
        .expect("delete the inbound");
    exec(db, "DELETE FROM alerts WHERE id = 1")
        .await
        .expect("delete the alert");
    assert_eq!(
        count_where(db, "suggestions", "alert_id IS NULL").await,
        1,
        "the suggestion stays"
    );
    exec(db, "DELETE FROM option_values WHERE id = 1")
        .await
        .expect("delete the option value");
    assert_eq!(
        count_where(db, "heat_events", "option_value_id IS NULL").await,
        1,
        "the event stays"
    );

    exec(db, "DELETE FROM heat_events")
        .await
        .expect("delete the heat events");
    exec(db, "DELETE FROM products WHERE id = 1")
        .await
        .expect("delete the product");
    for table in [
        "product_bom_lines",
        "product_operations",
        "option_groups",
        "option_value_bom_lines",
        "heat_hourly",
        "heat_daily",
    ] {
        assert_eq!(count(db, table).await, 0, "{table} goes with its product");
    }

    exec(db, "DELETE FROM capacity_reservations")
        .await
        .expect("delete the capacity reservation");
    exec(db, "DELETE FROM suppliers WHERE id = 1")
        .await
        .expect("delete the supplier");
    assert_eq!(
        count(db, "supplier_materials").await,
        0,
        "offers go with their supplier"
    );
    exec(db, "DELETE FROM materials WHERE id = 1")
        .await
        .expect("delete the material");
    for table in ["stock", "policies"] {
        assert_eq!(count(db, table).await, 0, "{table} goes with its material");
    }
    exec(db, "DELETE FROM work_centers WHERE id = 1")
        .await
        .expect("delete the work center");
    for table in ["work_center_holidays", "work_center_bookings"] {
        assert_eq!(count(db, table).await, 0, "{table} goes with its work center");
    }

    exec(db, "DELETE FROM merchants WHERE id = 1")
        .await
        .expect("delete the merchant");
    assert_eq!(count(db, "sessions").await, 0, "sessions go with their merchant");
    exec(db, "DELETE FROM shops WHERE id = 1")
        .await
        .expect("delete the shop");
    for table in TABLES {
        // Failed sign-ins are counted per email, whatever shop (if any) it belongs to.
        let left = if table == "sign_in_failures" { 1 } else { 0 };
        assert_eq!(
            count(db, table).await,
            left,
            "{table} is empty once its shop is gone"
        );
    }
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

async fn count_where(db: &DatabaseConnection, table: &str, condition: &str) -> i64 {
    scalar(db, &format!("SELECT COUNT(*) FROM {table} WHERE {condition}")).await
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    scalar(db, &format!("SELECT COUNT(*) FROM {table}")).await
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect(sql);
    row.expect("one row")
        .try_get_by_index::<i64>(0)
        .expect("an integer")
}

/// The spec's tables, sorted.
fn expected_tables() -> Vec<String> {
    let mut tables: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
    tables.sort();
    tables
}

/// The tables of the connection's schema, sorted, without the migrations' own bookkeeping.
async fn schema_tables(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("list tables");
    let mut tables: Vec<String> = rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("a table name"))
        .filter(|name| name != "seaql_migrations")
        .collect();
    tables.sort();
    tables
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(base, query)| (base, Some(query)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}
