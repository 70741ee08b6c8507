//! The demo shop behind `c2m seed`: a made-to-order maker of custom bags and sneakers,
//! with half a year of orders and presale heat, so every screen has something to show.
//!
//! Two halves. A pure generator ([`generate`]) turns a seed and `today` into plain
//! structs ([`model::DemoShop`]); every date is relative to `today`, so the shop always
//! looks current, and the same inputs always give the same shop. The writer (`write`)
//! maps those structs to entities and stores them in one transaction.
//!
//! The data is arranged to show the product's scenarios: options that are fast (stock on
//! hand), slow (waiting for a purchase order or a supplier) and unsuppliable
//! ([`UNSUPPLIABLE_VALUE`]), a value frozen by the merchant ([`FROZEN_VALUE`]), a niche
//! colour whose add-to-cart rate spikes in the last 14 days ([`NICHE_VALUE`]), a
//! bottleneck work center (sewing), intermittent demand for policies to classify, a
//! product whose demand fades ([`FADING_PRODUCT`]), and a
//! fastener that production uses faster than planned while the warehouse has a
//! surplus of it ([`wip`]), and a leftover (the frozen Sage linen) that a value new
//! this season can use instead of its own, unstocked linen ([`launch`]).

mod capacity;
mod catalog;
pub mod fading;
mod history;
pub mod launch;
pub mod model;
mod supply;
pub mod wip;
mod write;

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use model::DemoShop;

/// Slug of the demo shop.
pub const DEMO_SHOP_SLUG: &str = "demo";
/// Login of the demo merchant.
pub const DEMO_MERCHANT_EMAIL: &str = "merchant@demo.c2m.dev";
/// Password of the demo merchant (a published demo credential).
pub const DEMO_MERCHANT_PASSWORD: &str = "demo-merchant";
/// The demo shop's publishable key, used by the demo storefront's widget.
pub const DEMO_PUBLISHABLE_KEY: &str = "pk_demo_c2m_public_0000000000000000";
/// The demo shop's secret key, for API examples.
pub const DEMO_SECRET_KEY: &str = "sk_demo_c2m_secret_0000000000000000";
/// The demo shop's key for signing inbound platform webhooks (`docs/webhooks.md`).
pub const DEMO_PLATFORM_WEBHOOK_SECRET: &str = "whsec_demo_c2m_platform_000000000000";
/// The seed `c2m seed` generates the demo shop from.
pub const DEMO_SEED: u64 = 0xC24D_2026;
/// Why the merchant froze [`FROZEN_VALUE`].
pub const FROZEN_REASON: &str = "Seasonal colour, back in spring";

/// An option value of the demo catalog, by product slug, group code and value code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioValue {
    /// Product slug.
    pub product: &'static str,
    /// Option group code.
    pub group: &'static str,
    /// Option value code.
    pub value: &'static str,
}

/// The niche colour whose add-to-cart rate spikes over the last 14 days.
pub const NICHE_VALUE: ScenarioValue = ScenarioValue {
    product: "weekender-bag",
    group: "fabric",
    value: "lagoon-canvas",
};
/// The product whose demand has faded ([`fading`]): the end-of-life rule moves it to
/// decline, with its niche colour (Rust canvas) to freeze.
pub const FADING_PRODUCT: &str = "city-tote";
/// The value the merchant froze, with [`FROZEN_REASON`].
pub const FROZEN_VALUE: ScenarioValue = ScenarioValue {
    product: "city-tote",
    group: "fabric",
    value: "sage-linen",
};
/// The value whose material only a discontinued supplier offers, with no stock and
/// nothing inbound: the engine should freeze it.
pub const UNSUPPLIABLE_VALUE: ScenarioValue = ScenarioValue {
    product: "custom-sneaker",
    group: "upper",
    value: "bordeaux-nubuck",
};

/// What seeding created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedReport {
    /// Id of the demo shop.
    pub shop_id: i64,
    /// Products created.
    pub products: usize,
    /// Materials created.
    pub materials: usize,
    /// Orders created.
    pub orders: usize,
    /// Heat events created.
    pub heat_events: usize,
}

/// The result of [`seed_demo`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The demo shop was created.
    Created(SeedReport),
    /// A shop with the demo slug exists; nothing was changed.
    AlreadyPresent,
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database refused or failed; the transaction was rolled back.
    #[error("database error while seeding: {0}")]
    Db(#[from] DbErr),
    /// The demo merchant's password could not be hashed.
    #[error("cannot hash the demo merchant's password: {0}")]
    PasswordHash(argon2::password_hash::Error),
}

/// Generates the demo shop from `seed` as it should look on `today`. Pure and
/// deterministic: the same arguments give the same shop.
pub fn generate(seed: u64, today: NaiveDate) -> DemoShop {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shop = catalog::shop(today);
    let materials = catalog::materials();
    let products = catalog::products(today);
    let work_centers = catalog::work_centers(today);
    let supplier_materials = supply::supplier_materials(&materials);
    let mut inbound = supply::inbound(today);
    let availability = supply::availability(&materials, &supplier_materials, &inbound, today);
    let mut history = history::generate(&mut rng, today, &products, &availability, &shop.origins);
    let origin = shop.origins.first().map_or("", String::as_str);
    history
        .heat_events
        .extend(fading::campaign(seed, today, &products, FADING_PRODUCT, origin));
    history
        .heat_events
        .extend(launch::heat(seed, today, &products, origin));
    history.heat_events.sort_by_key(|e| e.occurred_at);
    let (mut stock, reservations) = supply::commit_open_orders(&products, &history.orders, &mut inbound);
    let consumption = wip::overconsumed_fastener(
        &materials,
        &products,
        &history.orders,
        &reservations,
        &mut stock,
        today,
    );
    let bookings = capacity::bookings(&mut rng, today, &work_centers, &products, &history.orders);
    DemoShop {
        merchant: catalog::merchant(today),
        api_keys: catalog::api_keys(today),
        nodes: catalog::nodes(),
        lanes: catalog::lanes(),
        suppliers: supply::suppliers(),
        supplier_materials,
        stock,
        inbound,
        bookings,
        reservations,
        consumption,
        audit: history::audit(today, &products),
        orders: history.orders,
        heat_events: history.heat_events,
        shop,
        materials,
        work_centers,
        products,
    }
}

/// Seeds the demo shop unless a shop with slug `demo` exists (then returns
/// AlreadyPresent and changes nothing).
pub async fn seed_demo(db: &DatabaseConnection, today: NaiveDate) -> Result<SeedOutcome, SeedError> {
    let demo = generate(DEMO_SEED, today);
    let password_hash = hash_password(&demo)?;
    let txn = db.begin().await?;
    if write::shop_id(&txn, DEMO_SHOP_SLUG).await?.is_some() {
        txn.rollback().await?;
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let report = write::insert(&txn, &demo, &password_hash).await?;
    txn.commit().await?;
    Ok(SeedOutcome::Created(report))
}

/// Deletes the demo shop (all its rows) and seeds it again, in one transaction.
pub async fn reseed_demo(db: &DatabaseConnection, today: NaiveDate) -> Result<SeedReport, SeedError> {
    let demo = generate(DEMO_SEED, today);
    let password_hash = hash_password(&demo)?;
    let txn = db.begin().await?;
    if let Some(shop_id) = write::shop_id(&txn, DEMO_SHOP_SLUG).await? {
        write::delete_shop(&txn, shop_id).await?;
    }
    let report = write::insert(&txn, &demo, &password_hash).await?;
    txn.commit().await?;
    Ok(report)
}

/// Hashes the merchant's password before the transaction opens, so the (deliberately
/// slow) hash does not hold the database's write lock. It blocks this task for a moment,
/// which is fine for a one-off command.
fn hash_password(demo: &DemoShop) -> Result<String, SeedError> {
    crate::auth::password::hash(&demo.merchant.password).map_err(SeedError::PasswordHash)
}

#[cfg(test)]
mod tests;
