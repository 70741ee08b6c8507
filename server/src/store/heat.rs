//! Presale heat: shopper signals (views, selections, carts), stored once per event id.
//!
//! A batch is written in one transaction, so a caller that got a 2xx knows all of it is
//! committed, and one that did not may send it again: `(shop_id, event_id)` is unique
//! and a repeated id is skipped (`ON CONFLICT DO NOTHING`), so a replay stores nothing
//! twice. An event that carries a configuration also gets one derived row per chosen
//! value, id `"{event id}:{group}.{value}"`, so per-value counts are plain counts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait};

use super::StoreError;
use super::entities::heat_events;

/// Rows per `INSERT`: 8 columns each keeps a statement far below PostgreSQL's 65,535
/// bind parameters.
const CHUNK: usize = 100;

/// What a shopper did; the value of `heat_events.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeatKind {
    /// Opened the product page.
    View,
    /// Picked a value in the configurator.
    OptionSelect,
    /// Saved the configuration.
    Favorite,
    /// Added the configuration to the cart.
    AddToCart,
    /// Preordered a presale product.
    Preorder,
    /// Bought.
    Purchase,
}

impl HeatKind {
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
    /// The configuration's values as (`"group.value"`, value row id): one derived row each.
    pub configuration: Vec<(String, i64)>,
    /// The client-made session id.
    pub session_id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
}

/// Stores `events` of `shop_id` in one transaction, skipping ids already stored, and
/// returns how many events were new (derived per-value rows are not counted).
pub async fn record(
    db: &DatabaseConnection,
    shop_id: i64,
    origin: Option<&str>,
    events: &[NewEvent],
) -> Result<u64, StoreError> {
    let (event_rows, value_rows) = rows(shop_id, origin, events);
    let txn = db.begin().await?;
    // Event rows and value rows go in separate statements so the affected-row count of
    // the first is the number of new events.
    let stored = insert_new(&txn, event_rows).await?;
    insert_new(&txn, value_rows).await?;
    txn.commit().await?;
    Ok(stored)
}

/// The rows of `events`: one per event, and the derived one per configured value.
/// (A plain function: closures borrowing `events` held across the awaits of `record`
/// would keep its future from being `Send`.)
fn rows(
    shop_id: i64,
    origin: Option<&str>,
    events: &[NewEvent],
) -> (Vec<heat_events::ActiveModel>, Vec<heat_events::ActiveModel>) {
    let row = |event: &NewEvent, event_id: String, option_value_id: Option<i64>| heat_events::ActiveModel {
        shop_id: Set(shop_id),
        event_id: Set(event_id),
        kind: Set(event.kind.as_str().to_string()),
        product_id: Set(event.product_id),
        option_value_id: Set(option_value_id),
        session_id: Set(event.session_id.clone()),
        occurred_at: Set(event.occurred_at),
        origin: Set(origin.map(str::to_string)),
        ..Default::default()
    };
    let event_rows = events
        .iter()
        .map(|e| row(e, e.id.clone(), e.option_value_id))
        .collect();
    let value_rows = events
        .iter()
        .flat_map(|e| {
            e.configuration
                .iter()
                .map(move |(value, id)| row(e, format!("{}:{value}", e.id), Some(*id)))
        })
        .collect();
    (event_rows, value_rows)
}

/// Inserts `rows` in chunks, skipping those whose `(shop_id, event_id)` exists; returns
/// how many were inserted. (`exec_without_returning` reports 0 for an all-conflict
/// chunk, where `exec` would fail with `RecordNotInserted`.)
async fn insert_new(db: &impl ConnectionTrait, rows: Vec<heat_events::ActiveModel>) -> Result<u64, DbErr> {
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        inserted += heat_events::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([heat_events::Column::ShopId, heat_events::Column::EventId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(inserted)
}
