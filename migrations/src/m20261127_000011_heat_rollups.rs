//! Presale heat rolled up per hour and per shop day, and the configuration an event
//! carried kept on the event itself.

use std::collections::BTreeMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000004_catalog::Products;
use crate::m20261125_000006_signals::HeatEvents;

/// Adds `heat_events.variant` and creates `heat_hourly` and `heat_daily`.
///
/// Until now a configured event (an add-to-cart with its selection) was stored as its
/// own row plus one derived row per chosen value (`{id}:{group}.{value}`), so per-value
/// counts were plain counts. The rollups count per value now, so the configuration is
/// kept once, on the event, as GA4's `item_variant` spells it (`colour.navy,size.m`),
/// and the derived rows are folded into it.
///
/// Rollup rows are keyed by shop, product, option value (`0`: the product as a whole),
/// kind and bucket (the UTC hour; the day in the shop's time zone). They have no
/// foreign key to the value, because they outlive raw events and are kept forever.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HeatVariant {
    #[sea_orm(iden = "variant")]
    Column,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HeatEvents::Table)
                    .add_column(ColumnDef::new(HeatVariant::Column).text().null())
                    .to_owned(),
            )
            .await?;
        fold_derived_rows(manager).await?;
        manager
            .create_table(rollup(
                HeatHourly::Table,
                "heat_hourly",
                timestamp_with_time_zone(HeatHourly::Hour),
            ))
            .await?;
        manager
            .create_index(rollup_key(
                HeatHourly::Table,
                HeatHourly::Hour,
                "uq_heat_hourly_key",
            ))
            .await?;
        manager
            .create_table(rollup(HeatDaily::Table, "heat_daily", date(HeatDaily::Day)))
            .await?;
        manager
            .create_index(rollup_key(HeatDaily::Table, HeatDaily::Day, "uq_heat_daily_key"))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_heat_events_occurred_at")
                    .table(HeatEvents::Table)
                    .col(HeatEvents::OccurredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_heat_events_occurred_at")
                    .table(HeatEvents::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(HeatDaily::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(HeatHourly::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HeatEvents::Table)
                    .drop_column(HeatVariant::Column)
                    .to_owned(),
            )
            .await
    }
}

/// A rollup table: counts per (shop, product, value, kind, bucket).
fn rollup<T: IntoIden + Copy + 'static>(table: T, name: &str, bucket: ColumnDef) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(big_pk_auto(Rollup::Id))
        .col(big_integer(Rollup::ShopId))
        .col(big_integer(Rollup::ProductId))
        .col(big_integer(Rollup::OptionValueId))
        .col(text(Rollup::Kind))
        .col(bucket)
        .col(big_integer(Rollup::Count))
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{name}_shop_id"))
                .from(table, Rollup::ShopId)
                .to(Shops::Table, Shops::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{name}_product_id"))
                .from(table, Rollup::ProductId)
                .to(Products::Table, Products::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

/// The unique key the rollups' upserts conflict on.
fn rollup_key<T: IntoIden + Copy + 'static>(table: T, bucket: T, name: &str) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(Rollup::ShopId)
        .col(Rollup::ProductId)
        .col(Rollup::OptionValueId)
        .col(Rollup::Kind)
        .col(bucket)
        .unique()
        .to_owned()
}

#[derive(FromQueryResult)]
struct Derived {
    id: i64,
    shop_id: i64,
    event_id: String,
}

/// Writes each event's derived rows (`{id}:{group}.{value}`) into its `variant` and
/// deletes them.
async fn fold_derived_rows(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let select = Query::select()
        .columns([HeatEvents::Id, HeatEvents::ShopId, HeatEvents::EventId])
        .from(HeatEvents::Table)
        .and_where(Expr::col(HeatEvents::EventId).like("%:%"))
        .order_by(HeatEvents::Id, Order::Asc)
        .to_owned();
    let rows = Derived::find_by_statement(db.get_database_backend().build(&select))
        .all(db)
        .await?;
    let mut variants: BTreeMap<(i64, String), Vec<String>> = BTreeMap::new();
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some((event, value)) = row.event_id.split_once(':') {
            variants
                .entry((row.shop_id, event.to_string()))
                .or_default()
                .push(value.to_string());
        }
        ids.push(row.id);
    }
    for ((shop_id, event_id), values) in variants {
        let update = Query::update()
            .table(HeatEvents::Table)
            .value(HeatVariant::Column, values.join(","))
            .and_where(Expr::col(HeatEvents::ShopId).eq(shop_id))
            .and_where(Expr::col(HeatEvents::EventId).eq(event_id))
            .to_owned();
        db.execute(&update).await?;
    }
    for chunk in ids.chunks(500) {
        let delete = Query::delete()
            .from_table(HeatEvents::Table)
            .and_where(Expr::col(HeatEvents::Id).is_in(chunk.iter().copied()))
            .to_owned();
        db.execute(&delete).await?;
    }
    Ok(())
}

/// The columns both rollup tables share.
#[derive(DeriveIden, Clone, Copy)]
enum Rollup {
    Id,
    ShopId,
    ProductId,
    OptionValueId,
    Kind,
    Count,
}

/// `heat_hourly`: heat per UTC hour.
#[derive(DeriveIden, Clone, Copy)]
pub enum HeatHourly {
    Table,
    Hour,
}

/// `heat_daily`: heat per day in the shop's time zone.
#[derive(DeriveIden, Clone, Copy)]
pub enum HeatDaily {
    Table,
    Day,
}
