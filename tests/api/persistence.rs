//! The seeded demo shop, stored the same way on both databases.

use c2m_tests::{Backend, TestApp, on_both_databases, seed_day, spawn_app};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement,
    TransactionTrait,
};
use server::seed::{SeedOutcome, seed_demo};
use server::store::entities::{
    SupplyStatus, heat_events, materials, nodes, option_groups, orders, products, shops, stock, suppliers,
    work_centers,
};

on_both_databases!(
    the_demo_shop_has_the_promised_shape,
    seeding_twice_changes_nothing,
    deleting_a_shop_removes_every_row_it_owns_in_one_statement,
    a_row_another_row_of_the_shop_uses_cannot_be_deleted
);

async fn the_demo_shop_has_the_promised_shape(app: TestApp) {
    let db = &app.db;
    assert_eq!(nodes::Entity::find().count(db).await.unwrap(), 3);
    assert!((35..=50).contains(&materials::Entity::find().count(db).await.unwrap()));
    assert_eq!(suppliers::Entity::find().count(db).await.unwrap(), 5);
    let discontinued = suppliers::Entity::find()
        .filter(suppliers::Column::Status.eq(SupplyStatus::Discontinued))
        .count(db)
        .await
        .unwrap();
    assert_eq!(discontinued, 1);
    assert_eq!(work_centers::Entity::find().count(db).await.unwrap(), 4);
    assert_eq!(products::Entity::find().count(db).await.unwrap(), 3);
    for product in products::Entity::find().all(db).await.unwrap() {
        let groups = option_groups::Entity::find()
            .filter(option_groups::Column::ProductId.eq(product.id))
            .count(db)
            .await;
        assert!((3..=5).contains(&groups.unwrap()), "{}", product.slug);
    }
    assert!(orders::Entity::find().count(db).await.unwrap() >= 100);
    assert!(heat_events::Entity::find().count(db).await.unwrap() >= 10_000);
}

async fn seeding_twice_changes_nothing(app: TestApp) {
    let before = orders::Entity::find().count(&app.db).await.unwrap();
    let outcome = seed_demo(&app.db, seed_day()).await.unwrap();
    assert!(matches!(outcome, SeedOutcome::AlreadyPresent));
    assert_eq!(orders::Entity::find().count(&app.db).await.unwrap(), before);
}

/// The same seed gives the same rows on SQLite and on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_databases_hold_the_same_demo_shop() {
    let (sqlite, postgres) = tokio::join!(spawn_app(Backend::Sqlite), spawn_app(Backend::Postgres));
    let names = |rows: Vec<materials::Model>| {
        let mut v: Vec<_> = rows
            .into_iter()
            .map(|m| (m.sku, m.unit_cost_minor, m.is_generic))
            .collect();
        v.sort();
        v
    };
    let a = names(materials::Entity::find().all(&sqlite.db).await.unwrap());
    let b = names(materials::Entity::find().all(&postgres.db).await.unwrap());
    assert_eq!(a, b);
    let count_a = heat_events::Entity::find().count(&sqlite.db).await.unwrap();
    let count_b = heat_events::Entity::find().count(&postgres.db).await.unwrap();
    assert_eq!(count_a, count_b);
}

/// Every table of the schema but the migrations' own, with its row count.
async fn row_counts(db: &impl ConnectionTrait) -> Vec<(String, i64)> {
    let backend = db.get_database_backend();
    let tables = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'seaql_migrations' ORDER BY name"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name <> 'seaql_migrations' ORDER BY table_name"
        }
    };
    let mut counts = Vec::new();
    for row in db
        .query_all_raw(Statement::from_string(backend, tables))
        .await
        .unwrap()
    {
        let table: String = row.try_get("", "name").unwrap();
        let count: i64 = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{table}\""),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "n")
            .unwrap();
        counts.push((table, count));
    }
    counts
}

async fn deleting_a_shop_removes_every_row_it_owns_in_one_statement(app: TestApp) {
    let db = &app.db;
    let before = row_counts(db).await;
    assert!(before.len() >= 25, "{before:?}");
    let shop = shops::Entity::find()
        .one(db)
        .await
        .unwrap()
        .expect("the demo shop");
    let txn = db.begin().await.unwrap();
    shops::Entity::delete_by_id(shop.id).exec(&txn).await.unwrap();
    txn.commit().await.unwrap();
    // The demo shop is the only one, so every table it filled is now empty.
    let left: Vec<_> = row_counts(db).await.into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(left, Vec::<(String, i64)>::new());
    let filled = before.iter().filter(|(_, n)| *n > 0).count();
    assert!(filled >= 20, "the seed filled {filled} tables: {before:?}");
}

async fn a_row_another_row_of_the_shop_uses_cannot_be_deleted(app: TestApp) {
    let db = &app.db;
    let used = stock::Entity::find().one(db).await.unwrap().expect("a stock row");
    let txn = db.begin().await.unwrap();
    // On PostgreSQL the check runs at commit, on SQLite at the end of the statement.
    let refused = match nodes::Entity::delete_by_id(used.node_id).exec(&txn).await {
        Err(e) => {
            txn.rollback().await.unwrap();
            Some(e)
        }
        Ok(_) => txn.commit().await.err(),
    };
    let refused = refused.expect("a node with stock cannot be deleted");
    assert!(
        refused.to_string().to_lowercase().contains("foreign key"),
        "{refused}"
    );
    assert!(
        nodes::Entity::find_by_id(used.node_id)
            .one(db)
            .await
            .unwrap()
            .is_some()
    );
}
