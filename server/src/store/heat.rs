//! Presale heat: shopper signals (views, selections, carts), stored once per event id,
//! and counted per hour and per shop day as they are stored.
//!
//! [`write`] stores any number of batches (of one shop or several) in one
//! transaction: the ingestion queue (`crate::ingest`) hands it every batch that
//! arrived while the previous commit was running, so the database sees one commit per
//! group, not one per request. `(shop_id, event_id)` is unique and a repeated id is
//! skipped (`ON CONFLICT DO NOTHING … RETURNING`): only events new to the database are
//! counted, in their batch's receipt and in the rollups, so a replay stores and counts
//! nothing twice.
//!
//! Rollups (`heat_hourly` per UTC hour, `heat_daily` per day in the shop's time zone)
//! hold one count per event for the product as a whole (option value `0`) and one per
//! option value the event involves (the value an `option_select` picked, or every
//! value of the configuration a favorite, cart, preorder or purchase carried). They
//! are updated in the transaction that stores the events, so they always agree with
//! what was acknowledged; raw events are pruned after the retention ([`prune`]),
//! rollups are kept forever.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoIden, OnConflict, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, Iden};

use super::Db;
use super::entities::{heat_daily, heat_events, heat_hourly};

/// Events per `INSERT`: 9 columns each stays far below SQLite's 32,766 and
/// PostgreSQL's 65,535 bind parameters.
const EVENT_CHUNK: usize = 1_000;
/// Rollup rows per upsert (6 columns each).
const ROLLUP_CHUNK: usize = 1_000;

/// What a shopper did; the value of `heat_events.kind`. The GA4 e-commerce event names
/// are accepted as aliases (`docs/ga4.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeatKind {
    /// Opened the product page (GA4 `view_item`).
    #[serde(alias = "view_item")]
    View,
    /// Picked a value in the configurator (GA4 `select_item`).
    #[serde(alias = "select_item")]
    OptionSelect,
    /// Saved the configuration (GA4 `add_to_wishlist`).
    #[serde(alias = "add_to_wishlist")]
    Favorite,
    /// Added the configuration to the cart (GA4 `add_to_cart`).
    AddToCart,
    /// Preordered a presale product (no GA4 event; forwarded as a custom `preorder`).
    Preorder,
    /// Bought (GA4 `purchase`).
    Purchase,
}

impl HeatKind {
    /// Every kind, in funnel order.
    pub const ALL: [HeatKind; 6] = [
        HeatKind::View,
        HeatKind::OptionSelect,
        HeatKind::Favorite,
        HeatKind::AddToCart,
        HeatKind::Preorder,
        HeatKind::Purchase,
    ];

    /// The value of `heat_events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeatKind::View => "view",
            HeatKind::OptionSelect => "option_select",
            HeatKind::Favorite => "favorite",
            HeatKind::AddToCart => "add_to_cart",
            HeatKind::Preorder => "preorder",
            HeatKind::Purchase => "purchase",
        }
    }

    /// The kind stored as `text`, if it is one.
    pub fn parse(text: &str) -> Option<HeatKind> {
        HeatKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One event to store, already checked against the shop's catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    /// The client-made id, unique in the shop.
    pub id: String,
    /// What happened.
    pub kind: HeatKind,
    /// The product's row id.
    pub product_id: i64,
    /// The value picked, for an option select.
    pub option_value_id: Option<i64>,
    /// GA4's `item_variant`: the value picked (`colour.navy`) or the configuration
    /// (`colour.navy,size.m`).
    pub variant: Option<String>,
    /// Every option value the event involves (its rollup rows).
    pub values: Vec<i64>,
    /// The client-made session id.
    pub session_id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The shop's local date at `occurred_at` (its daily rollup).
    pub day: NaiveDate,
}

/// Events of one shop from one request.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The shop.
    pub shop_id: i64,
    /// The page's origin, if the request had one.
    pub origin: Option<String>,
    /// The checked events.
    pub events: Vec<NewEvent>,
}

/// Stores `batches` in one transaction and returns, per batch, how many of its events
/// were new. An id repeated within the group counts for the first batch carrying it.
pub async fn write(db: &Db, batches: &[Batch]) -> Result<Vec<u64>, DbErr> {
    let txn = db.system("heat").await?;
    let stored = write_in(&txn, batches).await?;
    txn.commit().await?;
    Ok(stored)
}

/// [`write`] inside a transaction the caller owns (the seed writes its history with it).
pub async fn write_in(db: &impl ConnectionTrait, batches: &[Batch]) -> Result<Vec<u64>, DbErr> {
    let mut seen = HashSet::new();
    let mut candidates = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        for event in &batch.events {
            if seen.insert((batch.shop_id, event.id.as_str())) {
                candidates.push((b, event));
            }
        }
    }
    let mut new: HashSet<(i64, String)> = HashSet::new();
    for chunk in candidates.chunks(EVENT_CHUNK) {
        new.extend(insert_new(db, batches, chunk).await?);
    }
    let mut stored = vec![0; batches.len()];
    let mut counts = Counts::default();
    for (b, event) in candidates {
        let shop_id = batches[b].shop_id;
        if new.contains(&(shop_id, event.id.clone())) {
            stored[b] += 1;
            counts.add(shop_id, event);
        }
    }
    counts.upsert(db).await?;
    Ok(stored)
}

/// Inserts the events of `chunk`, skipping ids already stored; the `(shop, id)` of
/// those inserted.
async fn insert_new(
    db: &impl ConnectionTrait,
    batches: &[Batch],
    chunk: &[(usize, &NewEvent)],
) -> Result<Vec<(i64, String)>, DbErr> {
    use heat_events::Column as C;
    let mut insert = Query::insert();
    insert.into_table(heat_events::Entity).columns([
        C::ShopId,
        C::EventId,
        C::Kind,
        C::ProductId,
        C::OptionValueId,
        C::SessionId,
        C::OccurredAt,
        C::Origin,
        C::Variant,
    ]);
    for (b, e) in chunk {
        let batch = &batches[*b];
        insert.values_panic([
            batch.shop_id.into(),
            e.id.clone().into(),
            e.kind.as_str().into(),
            e.product_id.into(),
            e.option_value_id.into(),
            e.session_id.clone().into(),
            e.occurred_at.into(),
            batch.origin.clone().into(),
            e.variant.clone().into(),
        ]);
    }
    insert
        .on_conflict(
            OnConflict::columns([C::ShopId, C::EventId])
                .do_nothing()
                .to_owned(),
        )
        .returning(Query::returning().columns([C::ShopId, C::EventId]));
    let rows = db.query_all(&insert).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get::<i64>("", "shop_id")?,
                row.try_get::<String>("", "event_id")?,
            ))
        })
        .collect()
}

/// New events counted per rollup key.
#[derive(Default)]
struct Counts {
    hourly: HashMap<(i64, i64, i64, HeatKind, DateTime<Utc>), i64>,
    daily: HashMap<(i64, i64, i64, HeatKind, NaiveDate), i64>,
}

impl Counts {
    fn add(&mut self, shop_id: i64, event: &NewEvent) {
        let hour = event
            .occurred_at
            .duration_trunc(TimeDelta::hours(1))
            .unwrap_or(event.occurred_at);
        for value in std::iter::once(0).chain(event.values.iter().copied()) {
            *self
                .hourly
                .entry((shop_id, event.product_id, value, event.kind, hour))
                .or_default() += 1;
            *self
                .daily
                .entry((shop_id, event.product_id, value, event.kind, event.day))
                .or_default() += 1;
        }
    }

    async fn upsert(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let hourly: Vec<_> = self.hourly.into_iter().collect();
        for chunk in hourly.chunks(ROLLUP_CHUNK) {
            let rows = chunk.iter().map(|((shop, product, value, kind, hour), count)| {
                [
                    (*shop).into(),
                    (*product).into(),
                    (*value).into(),
                    kind.as_str().into(),
                    (*hour).into(),
                    (*count).into(),
                ]
            });
            add_counts(db, heat_hourly::Entity, heat_hourly::Column::Hour, rows).await?;
        }
        let daily: Vec<_> = self.daily.into_iter().collect();
        for chunk in daily.chunks(ROLLUP_CHUNK) {
            let rows = chunk.iter().map(|((shop, product, value, kind, day), count)| {
                [
                    (*shop).into(),
                    (*product).into(),
                    (*value).into(),
                    kind.as_str().into(),
                    (*day).into(),
                    (*count).into(),
                ]
            });
            add_counts(db, heat_daily::Entity, heat_daily::Column::Day, rows).await?;
        }
        Ok(())
    }
}

/// `INSERT … ON CONFLICT (key) DO UPDATE SET count = table.count + excluded.count`: both
/// rollup tables have the same columns but their bucket's.
async fn add_counts<T, B>(
    db: &impl ConnectionTrait,
    table: T,
    bucket: B,
    rows: impl Iterator<Item = [sea_orm::Value; 6]>,
) -> Result<(), DbErr>
where
    T: Iden + Copy + 'static,
    B: Iden + Copy + 'static,
{
    use heat_hourly::Column as C;
    let mut insert = Query::insert();
    insert.into_table(table).columns([
        C::ShopId.into_iden(),
        C::ProductId.into_iden(),
        C::OptionValueId.into_iden(),
        C::Kind.into_iden(),
        bucket.into_iden(),
        C::Count.into_iden(),
    ]);
    for row in rows {
        insert.values_panic(row.map(Expr::val));
    }
    insert.on_conflict(
        OnConflict::columns([
            C::ShopId.into_iden(),
            C::ProductId.into_iden(),
            C::OptionValueId.into_iden(),
            C::Kind.into_iden(),
            bucket.into_iden(),
        ])
        .value(
            C::Count,
            Expr::col((table, C::Count)).add(Expr::col((Alias::new("excluded"), C::Count))),
        )
        .to_owned(),
    );
    db.execute(&insert).await?;
    Ok(())
}

/// Deletes raw events that happened before `before` (rollups are kept), at most
/// `limit` rows per statement so a long backlog does not hold the write lock; returns
/// how many were deleted.
pub async fn prune(db: &Db, before: DateTime<Utc>, limit: u64) -> Result<u64, DbErr> {
    super::prune::in_chunks::<heat_events::Entity>(
        db,
        "heat retention",
        heat_events::Column::Id,
        Condition::all().add(heat_events::Column::OccurredAt.lt(before)),
        limit,
    )
    .await
}
