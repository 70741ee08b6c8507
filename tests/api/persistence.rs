//! The seeded demo shop, stored the same way on both databases.

use c2m_tests::{Backend, TestApp, on_both_databases, seed_day, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::seed::{SeedOutcome, seed_demo};
use server::store::entities::{
    SupplyStatus, heat_events, materials, nodes, option_groups, orders, products, suppliers, work_centers,
};

on_both_databases!(
    the_demo_shop_has_the_promised_shape,
    seeding_twice_changes_nothing
);

async fn the_demo_shop_has_the_promised_shape(app: TestApp) {
    let db = &app.db;
    assert_eq!(nodes::Entity::find().count(db).await.unwrap(), 3);
    assert!((35..=45).contains(&materials::Entity::find().count(db).await.unwrap()));
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
