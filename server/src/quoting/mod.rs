//! The quote service: per-shop snapshots in memory, answers in a cache.
//!
//! Each shop's state is read from the database once per state version (and once per
//! shop day: the date rolling over at midnight in the shop's time zone starts a new
//! snapshot), precomputed by [`engine::Snapshot::build`] and kept as an immutable
//! `Arc` that is swapped atomically when a newer one is loaded. A quote on a cache
//! miss is computed from that snapshot without touching the database.
//!
//! Answers are cached, already serialised, in a moka cache keyed by shop, state
//! version, shop date, product, the chosen values (as indices, so `["a","b"]` and
//! `["b","a"]` are one key) and quantity.
//!
//! Every write that changes a quote input bumps `shops.state_version` in its
//! transaction, and a write in this process raises the version register it shares with
//! the service before it answers (both done by the unit of work, `store::unit`), so the
//! next request here never gets a stale answer; writes by other processes are noticed
//! by re-reading the versions every second ([`Quoting::watch_versions`]).

pub(crate) mod render;
pub mod token;

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

pub use app::model::QuoteRequest;
use app::model::{ConfiguratorView, QuoteView};
use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use engine::Snapshot;
use moka::sync::Cache;

use crate::store::shop_state::{LoadedShop, ProductListing, RowIds};
use crate::store::unit::ShopLocks;
use crate::store::{self, Db, StateVersion, StoreError, entities::shops};

/// Days of supply and capacity considered by the engine.
pub const HORIZON_DAYS: u32 = 180;
/// The largest quantity one quote may ask for.
pub const MAX_QUANTITY: u32 = 1_000;
/// Answers kept in memory (all shops together).
const CACHE_CAPACITY: u64 = 50_000;
/// The channel of quotes and orders that name none: the shop's own web shop.
pub const DEFAULT_CHANNEL: &str = "web";

/// Checks a sales channel's name: 1 to 40 lowercase letters, digits, `-` or `_`.
pub fn check_channel(channel: &str) -> Result<(), &'static str> {
    let fine = (1..=40).contains(&channel.len())
        && channel
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if fine {
        Ok(())
    } else {
        Err("must be 1 to 40 lowercase letters, digits, `-` or `_` (`web`, `wholesale`)")
    }
}

pub use crate::clock::Clock;

/// Why a quote could not be made.
#[derive(Debug, thiserror::Error)]
pub enum QuoteError {
    /// No such product in the shop.
    #[error("no product `{0}` in this shop")]
    UnknownProduct(String),
    /// A field of the request is wrong.
    #[error("{detail}")]
    Invalid {
        /// JSON path of the field.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// The shop vanished between authentication and loading.
    #[error("the shop no longer exists")]
    ShopGone,
    /// The database failed while loading a snapshot.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One shop's precomputed state.
pub struct ShopSnapshot {
    /// The state version it was built from.
    pub version: i64,
    /// The shop's date it was built for.
    pub today: NaiveDate,
    /// The shop's currency.
    pub currency: String,
    /// The engine's precomputed view of the whole shop: everything free, whatever
    /// channel it is kept for. Quotes and orders use [`ShopSnapshot::view`].
    pub engine: Snapshot,
    /// The views of the sales channels when the shop keeps stock for some.
    channels: ChannelViews,
    /// Product index by slug.
    products: HashMap<String, usize>,
    /// What the configurator shows beside the engine's data, by product index.
    listings: Vec<ProductListing>,
    /// The row behind each index of the engine's state (bookings write rows).
    pub ids: RowIds,
}

/// What each sales channel may use when the shop keeps stock for some channels
/// (`engine::channel`): one view per such channel, and one for every other channel.
/// Empty when nothing is kept, and then every channel sees the whole shop.
#[derive(Default)]
struct ChannelViews {
    kept_for: HashMap<String, Snapshot>,
    others: Option<Snapshot>,
}

impl ChannelViews {
    fn of(state: &engine::ShopState) -> ChannelViews {
        if state.allocations.is_empty() {
            return ChannelViews::default();
        }
        ChannelViews {
            kept_for: state
                .allocated_channels()
                .into_iter()
                .map(|c| (c.to_string(), Snapshot::build(state.for_channel(c))))
                .collect(),
            // No channel is named by the empty string (names are checked), so this view
            // holds back every kept unit.
            others: Some(Snapshot::build(state.for_channel(""))),
        }
    }
}

impl From<LoadedShop> for ShopSnapshot {
    fn from(loaded: LoadedShop) -> Self {
        let products = loaded
            .state
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();
        ShopSnapshot {
            version: loaded.shop.state_version,
            today: loaded.state.today,
            currency: loaded.shop.currency.clone(),
            channels: ChannelViews::of(&loaded.state),
            engine: Snapshot::build(loaded.state),
            products,
            listings: loaded.listings,
            ids: loaded.ids,
        }
    }
}

impl ShopSnapshot {
    /// This state with `plan` reserved: [`engine::ShopState::reserve`] does in memory
    /// what a booking writes in rows, so the next booking of a group sees the units
    /// and minutes this one took. Same version (the group's commit gives the new one).
    pub fn reserving(&self, plan: &engine::Plan) -> ShopSnapshot {
        let mut state = self.engine.state.clone();
        state.reserve(plan);
        ShopSnapshot {
            version: self.version,
            today: self.today,
            currency: self.currency.clone(),
            channels: ChannelViews::of(&state),
            engine: Snapshot::build(state),
            products: self.products.clone(),
            listings: self.listings.clone(),
            ids: self.ids.clone(),
        }
    }

    /// The shop as quotes and orders of `channel` see it.
    pub fn view(&self, channel: &str) -> &Snapshot {
        match (self.channels.kept_for.get(channel), &self.channels.others) {
            (Some(own), _) => own,
            (None, Some(others)) => others,
            (None, None) => &self.engine,
        }
    }

    /// The name answers for `channel` are cached under: channels that see the same
    /// view share one.
    fn view_key(&self, channel: &str) -> Option<String> {
        self.channels
            .kept_for
            .contains_key(channel)
            .then(|| channel.to_string())
    }

    /// The index of product `slug` in the engine's state.
    pub fn product_index(&self, slug: &str) -> Option<usize> {
        self.products.get(slug).copied()
    }

    /// What the configurator shows about product `index` beside the engine's data.
    pub fn listing(&self, index: usize) -> &ProductListing {
        &self.listings[index]
    }

    /// Product `slug`'s catalog with its row ids, for rows that refer to its values
    /// (heat events); `None` for a product the shop does not have.
    pub fn stored_product(&self, slug: &str) -> Option<StoredProduct<'_>> {
        let &index = self.products.get(slug)?;
        let listing = &self.listings[index];
        Some(StoredProduct {
            id: listing.id,
            catalog: &self.engine.state.products[index].catalog,
            value_ids: &listing.value_ids,
        })
    }
}

/// A product's catalog with the row id of every value, borrowed from a snapshot.
#[derive(Clone, Copy, Debug)]
pub struct StoredProduct<'a> {
    /// The product's row id.
    pub id: i64,
    /// Its groups and values, as the engine checks selections against them.
    pub catalog: &'a engine::ProductCatalog,
    /// `value_ids[group][value]`: the row id of each value of `catalog`.
    pub value_ids: &'a [Vec<i64>],
}

/// The sorted `(group, value)` indices of `selection` in `product`'s catalog: the
/// form quotes are computed and cached by; an invalid selection names its field.
pub fn chosen_values(
    product: &engine::state::Product,
    selection: &engine::Selection,
) -> Result<Vec<(usize, usize)>, QuoteError> {
    let resolved = product
        .catalog
        .resolve(selection)
        .map_err(|e| QuoteError::Invalid {
            field: e.field().to_string(),
            detail: e.to_string(),
        })?;
    let mut chosen = resolved.chosen;
    chosen.sort_unstable();
    Ok(chosen)
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct AnswerKey {
    shop: i64,
    version: i64,
    today: NaiveDate,
    product: usize,
    chosen: Vec<(u16, u16)>,
    quantity: u32,
    /// The channel whose view answered, when it has stock kept for it; `None` for the
    /// view every other channel shares.
    channel: Option<String>,
    /// The start of the token window the answer's token was issued in.
    issued: i64,
}

/// A cached answer, with its JSON ready to send.
pub struct Answer {
    /// The answer.
    pub view: QuoteView,
    /// `view` serialised.
    pub json: Bytes,
}

/// The service; one per process, shared by the API and the pages.
pub struct Quoting {
    db: Db,
    snapshots: RwLock<HashMap<i64, Arc<ShopSnapshot>>>,
    /// Loads are serialised per shop: under a burst after a version bump, one request
    /// loads and the others wait for its snapshot instead of all reading the database;
    /// another shop's quotes never wait for it.
    loading: ShopLocks,
    answers: Cache<AnswerKey, Arc<Answer>>,
    /// How long a quote token is accepted after it is issued.
    token_ttl: chrono::Duration,
}

/// Answers are cached per window of this many seconds, so the token of a cached answer
/// always has at least its lifetime minus one window left.
const TOKEN_WINDOW_SECONDS: i64 = 300;

impl Quoting {
    /// A service over `db`, on its clock and its register of state versions (which
    /// every unit of work of `db` raises when it commits).
    pub fn new(db: Db) -> Self {
        Quoting {
            db,
            snapshots: RwLock::new(HashMap::new()),
            loading: ShopLocks::default(),
            answers: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .time_to_idle(Duration::from_secs(3_600))
                .build(),
            token_ttl: chrono::Duration::minutes(i64::from(token::DEFAULT_TTL_MINUTES)),
        }
    }

    /// Quote tokens are accepted for `minutes` after they are issued.
    pub fn with_token_minutes(mut self, minutes: u32) -> Self {
        self.token_ttl = chrono::Duration::minutes(i64::from(minutes));
        self
    }

    /// The server's clock: now (tests move it).
    pub fn now(&self) -> DateTime<Utc> {
        self.db.now()
    }

    /// The shop's date now, in its time zone (UTC when the zone is unknown).
    pub fn today(&self, shop: &shops::Model) -> NaiveDate {
        let now = self.db.now();
        match shop.timezone.parse::<chrono_tz::Tz>() {
            Ok(tz) => now.with_timezone(&tz).date_naive(),
            Err(_) => now.date_naive(),
        }
    }

    /// Records that `shop` is at `version` (or later); answers of older versions are
    /// no longer served.
    fn note_version(&self, shop: i64, version: i64) {
        self.db.versions().note(shop, StateVersion(version));
    }

    /// The latest version known for `shop`.
    fn known_version(&self, shop: i64) -> Option<i64> {
        self.db.versions().get(shop).map(StateVersion::get)
    }

    /// Re-reads every shop's state version (to notice other processes' writes).
    pub async fn refresh_versions(&self) -> Result<(), StoreError> {
        for (shop, version) in store::shops::state_versions(&self.db).await? {
            self.note_version(shop, version);
        }
        Ok(())
    }

    /// Re-reads the versions every `period` for as long as the service lives.
    pub fn watch_versions(self: Arc<Self>, period: Duration) {
        let service = Arc::downgrade(&self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(service) = service.upgrade() else { break };
                if let Err(e) = service.refresh_versions().await {
                    tracing::warn!(error = %e, "re-reading state versions failed");
                }
            }
        });
    }

    /// The snapshot for `shop` at least as new as the latest version known and built
    /// for the shop's current date, loading one if needed.
    pub async fn snapshot(&self, shop: &shops::Model) -> Result<Arc<ShopSnapshot>, QuoteError> {
        let today = self.today(shop);
        let wanted = self.known_version(shop.id).unwrap_or(shop.state_version);
        let fresh = |s: &ShopSnapshot| s.version >= wanted && s.today == today;
        if let Some(s) = self.cached_snapshot(shop.id).filter(|s| fresh(s)) {
            return Ok(s);
        }
        let _guard = self.loading.acquire(shop.id).await;
        if let Some(s) = self.cached_snapshot(shop.id).filter(|s| fresh(s)) {
            return Ok(s);
        }
        let started = std::time::Instant::now();
        metrics::counter!("c2m_snapshot_loads_total").increment(1);
        let loaded = match store::shop_state::load(&self.db, shop.id, |row| self.today(row), HORIZON_DAYS)
            .await
        {
            Ok(loaded) => loaded.ok_or(QuoteError::ShopGone)?,
            // With the database out of reach nothing can be booked or changed either:
            // the last snapshot of today is the best answer there is, and shoppers keep
            // seeing dates (orders still re-quote under the write lock when it is back).
            Err(e) if e.is_unavailable() => {
                match self.cached_snapshot(shop.id).filter(|s| s.today == today) {
                    Some(last) => {
                        tracing::warn!(shop = shop.id, version = last.version, error = %e, "database unavailable: quoting from the last snapshot");
                        return Ok(last);
                    }
                    None => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        let snapshot = Arc::new(ShopSnapshot::from(loaded));
        metrics::histogram!("c2m_snapshot_load_duration_seconds").record(started.elapsed().as_secs_f64());
        tracing::info!(
            shop = shop.id,
            version = snapshot.version,
            today = %snapshot.today,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "quote snapshot loaded"
        );
        self.install(shop.id, snapshot.clone());
        Ok(snapshot)
    }

    /// The snapshot of `shop` exactly as `txn` sees it, for a booking: the shop's row
    /// read in `txn` (under the shop's write lock, so nothing changes it meanwhile)
    /// names the version; a snapshot of that version and date is reused, otherwise the
    /// state is read through `txn` and becomes the service's snapshot too.
    pub async fn snapshot_in(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        shop: &shops::Model,
    ) -> Result<Arc<ShopSnapshot>, QuoteError> {
        let today = self.today(shop);
        if let Some(s) = self
            .cached_snapshot(shop.id)
            .filter(|s| s.version == shop.state_version && s.today == today)
        {
            return Ok(s);
        }
        let loaded = store::shop_state::load_in(txn, shop.id, |row| self.today(row), HORIZON_DAYS)
            .await?
            .ok_or(QuoteError::ShopGone)?;
        let snapshot = Arc::new(ShopSnapshot::from(loaded));
        self.install(shop.id, snapshot.clone());
        Ok(snapshot)
    }

    /// After bookings committed at `version`: `booked` (the snapshot they were made
    /// from with their plans reserved, [`ShopSnapshot::reserving`]) becomes the shop's
    /// snapshot, so the next quote or booking does not read the whole shop again.
    pub fn booked(&self, shop: i64, booked: ShopSnapshot, version: StateVersion) {
        self.install(
            shop,
            Arc::new(ShopSnapshot {
                version: version.get(),
                ..booked
            }),
        );
    }

    /// Makes `snapshot` the shop's current one, unless a newer one is already there.
    fn install(&self, shop: i64, snapshot: Arc<ShopSnapshot>) {
        self.note_version(shop, snapshot.version);
        let mut snapshots = self.snapshots.write().unwrap_or_else(PoisonError::into_inner);
        let newer = snapshots
            .get(&shop)
            .is_some_and(|s| s.version > snapshot.version && s.today == snapshot.today);
        if !newer {
            snapshots.insert(shop, snapshot);
        }
    }

    fn cached_snapshot(&self, shop: i64) -> Option<Arc<ShopSnapshot>> {
        self.snapshots
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&shop)
            .cloned()
    }

    /// Drops the shop's snapshot and answers (after a write; versions alone would make
    /// them unreachable, this frees the memory now).
    pub fn invalidate(&self, shop: i64) {
        self.snapshots
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&shop);
    }

    /// The answer for `request` in `shop`.
    pub async fn quote(
        &self,
        shop: &shops::Model,
        request: &QuoteRequest,
    ) -> Result<Arc<Answer>, QuoteError> {
        if !(1..=MAX_QUANTITY).contains(&request.quantity) {
            return Err(QuoteError::Invalid {
                field: "quantity".into(),
                detail: format!("must be between 1 and {MAX_QUANTITY}"),
            });
        }
        let channel = request.channel.as_deref().unwrap_or(DEFAULT_CHANNEL);
        check_channel(channel).map_err(|detail| QuoteError::Invalid {
            field: "channel".into(),
            detail: detail.into(),
        })?;
        let snapshot = self.snapshot(shop).await?;
        let index = *snapshot
            .products
            .get(&request.product)
            .ok_or_else(|| QuoteError::UnknownProduct(request.product.clone()))?;
        let product = &snapshot.engine.state.products[index];
        let chosen = chosen_values(product, &request.selection)?;
        let now = self.db.now().timestamp();
        let issued = now - now.rem_euclid(TOKEN_WINDOW_SECONDS);
        let key = AnswerKey {
            shop: shop.id,
            version: snapshot.version,
            today: snapshot.today,
            product: index,
            chosen: chosen.iter().map(|&(g, v)| (g as u16, v as u16)).collect(),
            quantity: request.quantity,
            channel: snapshot.view_key(channel),
            issued,
        };
        let mut rendered = false;
        let answer = self.answers.get_with(key, || {
            rendered = true;
            let mut view = render::quote(&snapshot, channel, index, &chosen, request.quantity);
            self.sign(shop, &mut view, issued);
            let json = Bytes::from(serde_json::to_vec(&view).expect("a quote always serialises"));
            Arc::new(Answer { view, json })
        });
        let cache = if rendered { "miss" } else { "hit" };
        metrics::counter!("c2m_quote_answers_total", "cache" => cache).increment(1);
        Ok(answer)
    }

    /// Gives an available answer its token: what it promises, signed with the shop's
    /// key, good for the token lifetime from `issued`.
    fn sign(&self, shop: &shops::Model, view: &mut QuoteView, issued: i64) {
        use self::token::Claims;
        let Some(estimate) = view.estimate.as_ref().filter(|_| view.available) else {
            return;
        };
        let expires_at = issued + self.token_ttl.num_seconds();
        let claims = Claims {
            shop: shop.id,
            product: view.product.clone(),
            selection: view.selection.clone(),
            quantity: view.quantity,
            price_minor: view.price_minor,
            p50: estimate.p50,
            p90: estimate.p90,
            // What an order commits to (see `service::orders::book`).
            promised_on: estimate.promised,
            expires_at,
        };
        view.quote_token = token::sign(&shop.quote_token_secret, &claims);
        view.quote_token_expires_at = view
            .quote_token
            .as_ref()
            .and_then(|_| DateTime::from_timestamp(expires_at, 0));
    }

    /// The configurator of product `slug`, with every value's status and estimate for
    /// the default selection; `None` for an unknown slug.
    pub async fn configurator(
        &self,
        shop: &shops::Model,
        slug: &str,
    ) -> Result<Option<ConfiguratorView>, QuoteError> {
        let snapshot = self.snapshot(shop).await?;
        let Some(&index) = snapshot.products.get(slug) else {
            return Ok(None);
        };
        let product = &snapshot.engine.state.products[index];
        let chosen = snapshot.view(DEFAULT_CHANNEL).default_chosen(product, 1);
        let request = QuoteRequest {
            product: slug.to_string(),
            selection: render::selection(product, &chosen),
            quantity: 1,
            channel: None,
        };
        let quote = &self.quote(shop, &request).await?.view;
        Ok(Some(render::configurator(
            &snapshot,
            index,
            &snapshot.listings[index],
            quote,
        )))
    }
}

#[cfg(all(test, feature = "demo"))]
mod tests;
