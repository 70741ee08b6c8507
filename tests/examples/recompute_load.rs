//! The whole policy recomputation (read inputs, run the engine, store every policy) for a shop of 10,000 materials with 365 days of order history,
//! on a fresh SQLite file and on PostgreSQL:
//! `cargo run --release -p c2m-tests --example recompute_load [-- --materials N]`.
//!
//! The shop: the demo shop plus `N` materials, each with an active supplier offer and
//! stock, in the base bills of materials of `N / 100` products (100 materials each); a
//! year of orders, about 6 a day spread over the products, so every material has an
//! intermittent daily series. Prints the time of each part and of the whole, three
//! runs each (the first on a cold cache).

use std::time::Instant;

use c2m_tests::postgres_url;
use chrono::{Days, TimeDelta, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use server::seed::DEMO_SHOP_SLUG;
use server::store::entities::{
    OrderStatus, SupplyStatus, materials, nodes, orders, product_bom_lines, products, stock,
    supplier_materials, suppliers,
};

const PER_PRODUCT: usize = 100;
const ORDERS_PER_DAY: usize = 6;

#[tokio::main]
async fn main() {
    let mut materials = 10_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--materials" => materials = args.next().and_then(|n| n.parse().ok()).expect("--materials N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let file = std::env::temp_dir().join(format!("c2m-recompute-{}.db", std::process::id()));
    let sqlite = format!("sqlite://{}", file.display());
    run("SQLite", &sqlite, None, materials).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let schema = format!("recompute_{}", std::process::id());
    run("PostgreSQL", &postgres_url(), Some(&schema), materials).await;
    let db = sea_orm::Database::connect(postgres_url())
        .await
        .expect("PostgreSQL");
    db.execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .await
        .expect("drop the schema");
}

async fn run(name: &str, url: &str, schema: Option<&str>, count: usize) {
    let db = server::store::connect(url, schema).await.expect("the database");
    server::store::migrate(&db).await.expect("migrations");
    let today = Utc::now().date_naive();
    server::seed::seed_demo(&db, today).await.expect("the demo shop");
    let shop = server::store::shops::by_slug(&db, DEMO_SHOP_SLUG)
        .await
        .unwrap()
        .unwrap();
    let started = Instant::now();
    build_shop(&db, shop.id, count, today).await;
    eprintln!(
        "{name}: built {count} materials and a year of orders in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let guarded = server::store::Db::new(db.clone(), server::clock::system());
    for round in 1..=3 {
        let started = Instant::now();
        let summary = server::service::recompute::run(&guarded, &shop, Utc::now(), |_| {})
            .await
            .expect("recomputed");
        println!(
            "{name} round {round}: {} materials, {} orders: read {} ms, engine {} ms, store {} ms, whole {} ms",
            summary.materials,
            summary.orders,
            summary.load_ms,
            summary.compute_ms,
            summary.store_ms,
            started.elapsed().as_millis()
        );
    }
}

/// Adds `count` materials in the base BOMs of `count / 100` products, with offers,
/// stock and a year of orders.
async fn build_shop(db: &DatabaseConnection, shop_id: i64, count: usize, today: chrono::NaiveDate) {
    let node = nodes::Entity::find().one(db).await.unwrap().expect("a node").id;
    let supplier = suppliers::Entity::insert(suppliers::ActiveModel {
        shop_id: Set(shop_id),
        code: Set("S-LOAD".into()),
        name: Set("Load supplier".into()),
        status: Set(SupplyStatus::Active),
        ..Default::default()
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    let mut ids = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(1_000) {
        let rows = chunk.iter().map(|i| materials::ActiveModel {
            shop_id: Set(shop_id),
            sku: Set(format!("LOAD-{i:05}")),
            name: Set(format!("Load material {i}")),
            unit: Set("pcs".into()),
            unit_cost_minor: Set(10 + (*i as i64 * 37) % 5_000),
            kind: Set("other".into()),
            attributes: Set(serde_json::json!({})),
            is_generic: Set(false),
            ..Default::default()
        });
        materials::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    for m in materials::Entity::find().all(db).await.unwrap() {
        if m.sku.starts_with("LOAD-") {
            ids.push(m.id);
        }
    }
    for chunk in ids.chunks(1_000) {
        let offers = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| supplier_materials::ActiveModel {
                supplier_id: Set(supplier),
                material_id: Set(*id),
                lead_time_mean_days: Set(5.0 + (i % 20) as f64),
                lead_time_sd_days: Set(1.0 + (i % 4) as f64),
                moq: Set(10),
                pack_size: Set(5),
                price_minor: Set(100),
                status: Set(SupplyStatus::Active),
                ..Default::default()
            });
        supplier_materials::Entity::insert_many(offers)
            .exec_without_returning(db)
            .await
            .unwrap();
        let levels = chunk.iter().map(|id| stock::ActiveModel {
            material_id: Set(*id),
            node_id: Set(node),
            on_hand: Set(50),
            reserved: Set(0),
            ..Default::default()
        });
        stock::Entity::insert_many(levels)
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    let template = products::Entity::find()
        .one(db)
        .await
        .unwrap()
        .expect("a product");
    let mut product_ids = Vec::new();
    for (p, chunk) in ids.chunks(PER_PRODUCT).enumerate() {
        let product = products::Entity::insert(products::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            slug: Set(format!("load-{p:04}")),
            name: Set(format!("Load product {p}")),
            version: Set(1),
            ..template.clone().into()
        })
        .exec(db)
        .await
        .unwrap()
        .last_insert_id;
        product_ids.push(product);
        let lines = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| product_bom_lines::ActiveModel {
                product_id: Set(product),
                material_id: Set(*id),
                quantity: Set(1 + (i % 3) as i64),
                in_generic_part: Set(false),
                ..Default::default()
            });
        product_bom_lines::Entity::insert_many(lines)
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    // About ORDERS_PER_DAY orders a day for a year, products chosen by a fixed stride so
    // each product sells every few weeks and its materials get intermittent demand.
    let mut rows = Vec::new();
    let mut n = 0usize;
    for day in 1..=365u64 {
        let placed = (today - Days::new(day)).and_hms_opt(10, 0, 0).unwrap().and_utc();
        for k in 0..ORDERS_PER_DAY {
            n += 1;
            let product = product_ids[(n * 7919 + k) % product_ids.len()];
            let promised = placed.date_naive() + Days::new(10);
            rows.push(orders::ActiveModel {
                shop_id: Set(shop_id),
                product_id: Set(product),
                reference: Set(format!("LOAD-{n:06}")),
                quantity: Set(1 + (n % 3) as i64),
                selection: Set(serde_json::json!({})),
                price_minor: Set(10_000),
                quoted_p50: Set(promised),
                quoted_p90: Set(promised),
                promised_on: Set(promised),
                status: Set(OrderStatus::Delivered),
                placed_at: Set(placed + TimeDelta::minutes(k as i64)),
                delivered_on: Set(Some(promised)),
                ..Default::default()
            });
        }
    }
    for chunk in rows.chunks(1_000) {
        orders::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
}
