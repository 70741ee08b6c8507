//! Stores a generated [`DemoShop`] and deletes a shop, row by row, in the caller's
//! transaction.
//!
//! Parents go in first and their ids are read back by natural key (slug, SKU, code,
//! reference), which works the same on SQLite and PostgreSQL without `RETURNING` on
//! multi-row inserts. Bulk children go in with `store::bulk::insert_all`, in chunks.
//! Deletion walks the foreign keys from the leaves up instead of relying on cascades,
//! which the schema only has inside aggregates.

use std::collections::BTreeMap;

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;

use super::SeedReport;
use super::model::{AuditSubject, DemoShop, HeatEvent, HeatKind, ValueRef};
use crate::auth::keys::{display_prefix, hash_key};
use crate::store::bulk::insert_all;
use crate::store::entities::{OptionValueStatus, ReservationSource};
use crate::store::entities::{
    api_keys, audit_log, inbound, material_consumption, materials, merchants, nodes, option_groups,
    option_value_bom_lines, option_value_operations, option_values, order_reservations, orders,
    product_bom_lines, product_operations, products, shop_holidays, shop_origins, shops, stock,
    supplier_materials, suppliers, transfer_lanes, work_center_bookings, work_center_holidays, work_centers,
};
use crate::store::heat::{self, Batch, NewEvent};

/// The id of the shop with `slug`, if any.
pub(super) async fn shop_id(db: &impl ConnectionTrait, slug: &str) -> Result<Option<i64>, DbErr> {
    Ok(shops::Entity::find()
        .filter(shops::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|shop| shop.id))
}

/// Looks a natural key up in a map built from the rows just inserted; a miss means the
/// generator referred to something it did not generate, a bug worth a loud failure.
fn id(map: &BTreeMap<String, i64>, key: &str) -> i64 {
    *map.get(key)
        .unwrap_or_else(|| panic!("the demo shop refers to unknown `{key}`"))
}

/// Stores `demo`; `password_hash` is the merchant's hashed password.
pub(super) async fn insert(
    db: &impl ConnectionTrait,
    demo: &DemoShop,
    password_hash: &str,
) -> Result<SeedReport, DbErr> {
    let shop = &demo.shop;
    let shop_id = shops::Entity::insert(shops::ActiveModel {
        slug: Set(shop.slug.clone()),
        name: Set(shop.name.clone()),
        timezone: Set(shop.timezone.clone()),
        currency: Set(shop.currency.clone()),
        working_weekdays: Set(i16::from(shop.working_weekdays)),
        transit_days: Set(shop.transit_days),
        state_version: Set(1),
        created_at: Set(shop.created_at),
        quote_token_secret: Set(crate::auth::keys::random_secret()),
        platform_webhook_secret: Set(super::DEMO_PLATFORM_WEBHOOK_SECRET.to_string()),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    insert_tenant(db, shop_id, demo, password_hash).await?;
    let nodes = insert_nodes(db, shop_id, demo).await?;
    let materials = insert_materials(db, shop_id, demo, &nodes).await?;
    let inbound = insert_supply(db, shop_id, demo, &nodes, &materials).await?;
    let centers = insert_work_centers(db, shop_id, demo, &nodes).await?;
    let values = insert_catalog(db, shop_id, demo, &nodes, &materials, &centers).await?;
    let orders = insert_orders(db, shop_id, demo, &materials, &nodes, &inbound, &centers).await?;
    insert_signals(db, shop_id, demo, &values).await?;
    Ok(SeedReport {
        shop_id,
        products: demo.products.len(),
        materials: demo.materials.len(),
        orders: orders.len(),
        heat_events: demo.heat_events.len(),
    })
}

/// Holidays, origins, API keys and the merchant.
async fn insert_tenant(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    password_hash: &str,
) -> Result<(), DbErr> {
    let holidays = demo.shop.holidays.iter().map(|h| shop_holidays::ActiveModel {
        shop_id: Set(shop_id),
        day: Set(h.day),
        name: Set(h.name.clone()),
        ..Default::default()
    });
    insert_all(db, holidays.collect()).await?;
    let origins = demo.shop.origins.iter().map(|origin| shop_origins::ActiveModel {
        shop_id: Set(shop_id),
        origin: Set(origin.clone()),
        ..Default::default()
    });
    insert_all(db, origins.collect()).await?;
    let keys = demo.api_keys.iter().map(|key| api_keys::ActiveModel {
        shop_id: Set(shop_id),
        kind: Set(key.kind.as_str().into()),
        prefix: Set(display_prefix(&key.key)),
        token_hash: Set(hash_key(&key.key)),
        label: Set(key.label.clone()),
        created_at: Set(key.created_at),
        revoked_at: Set(None),
        ..Default::default()
    });
    insert_all(db, keys.collect()).await?;
    merchants::Entity::insert(merchants::ActiveModel {
        shop_id: Set(shop_id),
        email: Set(demo.merchant.email.clone()),
        name: Set(demo.merchant.name.clone()),
        password_hash: Set(password_hash.into()),
        created_at: Set(demo.merchant.created_at),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Nodes and lanes; returns node ids by code.
async fn insert_nodes(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
) -> Result<BTreeMap<String, i64>, DbErr> {
    let rows = demo.nodes.iter().map(|n| nodes::ActiveModel {
        shop_id: Set(shop_id),
        code: Set(n.code.clone()),
        name: Set(n.name.clone()),
        kind: Set(n.kind.as_str().into()),
        ..Default::default()
    });
    insert_all(db, rows.collect()).await?;
    let ids: BTreeMap<String, i64> = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.code, n.id))
        .collect();
    let lanes = demo.lanes.iter().map(|l| transfer_lanes::ActiveModel {
        from_node_id: Set(id(&ids, &l.from)),
        to_node_id: Set(id(&ids, &l.to)),
        lead_time_days: Set(l.lead_time_days),
        cost_per_unit_minor: Set(l.cost_per_unit_minor),
        ..Default::default()
    });
    insert_all(db, lanes.collect()).await?;
    Ok(ids)
}

/// Materials and their stock; returns material ids by SKU.
async fn insert_materials(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    nodes: &BTreeMap<String, i64>,
) -> Result<BTreeMap<String, i64>, DbErr> {
    let rows = demo.materials.iter().map(|m| materials::ActiveModel {
        shop_id: Set(shop_id),
        sku: Set(m.sku.clone()),
        name: Set(m.name.clone()),
        unit: Set(m.unit.clone()),
        unit_cost_minor: Set(m.unit_cost_minor),
        kind: Set(m.kind.as_str().into()),
        colour_family: Set(m.colour_family.clone()),
        attributes: Set(m.attributes.clone()),
        is_generic: Set(m.is_generic),
        ..Default::default()
    });
    insert_all(db, rows.collect()).await?;
    let ids: BTreeMap<String, i64> = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.sku, m.id))
        .collect();
    let stock = demo.stock.iter().map(|s| stock::ActiveModel {
        material_id: Set(id(&ids, &s.sku)),
        node_id: Set(id(nodes, &s.node)),
        on_hand: Set(s.on_hand),
        reserved: Set(s.reserved),
        ..Default::default()
    });
    insert_all(db, stock.collect()).await?;
    Ok(ids)
}

/// Suppliers, their offers and inbound lines; returns inbound ids by index.
async fn insert_supply(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    nodes: &BTreeMap<String, i64>,
    materials: &BTreeMap<String, i64>,
) -> Result<Vec<i64>, DbErr> {
    let rows = demo.suppliers.iter().map(|s| suppliers::ActiveModel {
        shop_id: Set(shop_id),
        code: Set(s.code.clone()),
        name: Set(s.name.clone()),
        email: Set(s.email.clone()),
        status: Set(s.status),
        ..Default::default()
    });
    insert_all(db, rows.collect()).await?;
    let suppliers: BTreeMap<String, i64> = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.id))
        .collect();
    let offers = demo
        .supplier_materials
        .iter()
        .map(|o| supplier_materials::ActiveModel {
            supplier_id: Set(id(&suppliers, &o.supplier)),
            material_id: Set(id(materials, &o.sku)),
            lead_time_mean_days: Set(o.lead_time_mean_days),
            lead_time_sd_days: Set(o.lead_time_sd_days),
            moq: Set(o.moq),
            pack_size: Set(o.pack_size),
            price_minor: Set(o.price_minor),
            status: Set(o.status),
            ..Default::default()
        });
    insert_all(db, offers.collect()).await?;
    // One by one: reservations need each line's id, and references are not unique.
    let mut ids = Vec::with_capacity(demo.inbound.len());
    for line in &demo.inbound {
        let row = inbound::ActiveModel {
            shop_id: Set(shop_id),
            material_id: Set(id(materials, &line.sku)),
            node_id: Set(id(nodes, &line.node)),
            kind: Set(line.kind),
            supplier_id: Set(line.supplier.as_deref().map(|s| id(&suppliers, s))),
            from_node_id: Set(line.from_node.as_deref().map(|n| id(nodes, n))),
            quantity: Set(line.quantity),
            eta: Set(line.eta),
            status: Set(line.status),
            reference: Set(line.reference.clone()),
            created_at: Set(line.created_at),
            ..Default::default()
        };
        ids.push(inbound::Entity::insert(row).exec(db).await?.last_insert_id);
    }
    Ok(ids)
}

/// Work centers and their holidays; returns work-center ids by code.
async fn insert_work_centers(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    nodes: &BTreeMap<String, i64>,
) -> Result<BTreeMap<String, i64>, DbErr> {
    let rows = demo.work_centers.iter().map(|w| work_centers::ActiveModel {
        shop_id: Set(shop_id),
        node_id: Set(id(nodes, &w.node)),
        code: Set(w.code.clone()),
        name: Set(w.name.clone()),
        minutes_per_day: Set(w.minutes_per_day),
        working_weekdays: Set(i16::from(w.working_weekdays)),
        ..Default::default()
    });
    insert_all(db, rows.collect()).await?;
    let ids: BTreeMap<String, i64> = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.code, w.id))
        .collect();
    let holidays = demo.work_centers.iter().flat_map(|w| {
        let center = id(&ids, &w.code);
        w.holidays.iter().map(move |h| work_center_holidays::ActiveModel {
            work_center_id: Set(center),
            day: Set(h.day),
            name: Set(h.name.clone()),
            ..Default::default()
        })
    });
    insert_all(db, holidays.collect()).await?;
    Ok(ids)
}

/// Option-value ids by product, group and value index.
type ValueIds = Vec<Vec<Vec<i64>>>;

/// Products, their BOMs and routings, option groups and values; returns value ids.
async fn insert_catalog(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    nodes: &BTreeMap<String, i64>,
    materials: &BTreeMap<String, i64>,
    centers: &BTreeMap<String, i64>,
) -> Result<ValueIds, DbErr> {
    let rows = demo.products.iter().map(|p| products::ActiveModel {
        shop_id: Set(shop_id),
        slug: Set(p.slug.clone()),
        name: Set(p.name.clone()),
        description: Set(p.description.clone()),
        base_price_minor: Set(p.base_price_minor),
        lifecycle: Set(p.lifecycle.as_str().into()),
        max_lead_time_days: Set(p.max_lead_time_days),
        handling_days: Set(p.handling_days),
        end_of_sale: Set(p.end_of_sale),
        producing_node_id: Set(id(nodes, &p.producing_node)),
        generic_part_material_id: Set(p.generic_part.as_ref().map(|sku| id(materials, sku))),
        version: Set(1),
        created_at: Set(p.created_at),
        ..Default::default()
    });
    insert_all(db, rows.collect()).await?;
    let by_slug: BTreeMap<String, i64> = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.id))
        .collect();
    let product_ids: Vec<i64> = demo.products.iter().map(|p| id(&by_slug, &p.slug)).collect();
    let mut lines = Vec::new();
    let mut operations = Vec::new();
    let mut groups = Vec::new();
    for (p, &product_id) in demo.products.iter().zip(&product_ids) {
        lines.extend(p.bom.iter().map(|l| product_bom_lines::ActiveModel {
            product_id: Set(product_id),
            material_id: Set(id(materials, &l.sku)),
            quantity: Set(l.quantity),
            in_generic_part: Set(p.generic_lines.contains(&l.sku)),
            ..Default::default()
        }));
        operations.extend(p.operations.iter().map(|o| product_operations::ActiveModel {
            product_id: Set(product_id),
            seq: Set(o.seq),
            name: Set(o.name.clone()),
            work_center_id: Set(id(centers, &o.work_center)),
            minutes_per_unit: Set(o.minutes_per_unit),
            setup_minutes: Set(o.setup_minutes),
            is_generic: Set(o.is_generic),
            ..Default::default()
        }));
        groups.extend(
            p.groups
                .iter()
                .zip(0..)
                .map(|(g, position)| option_groups::ActiveModel {
                    product_id: Set(product_id),
                    code: Set(g.code.clone()),
                    name: Set(g.name.clone()),
                    position: Set(position),
                    required: Set(g.required),
                    multi: Set(g.multi),
                    ..Default::default()
                }),
        );
    }
    insert_all(db, lines).await?;
    insert_all(db, operations).await?;
    insert_all(db, groups).await?;
    let group_ids: BTreeMap<(i64, String), i64> = option_groups::Entity::find()
        .filter(option_groups::Column::ProductId.is_in(product_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| ((g.product_id, g.code), g.id))
        .collect();
    let group_id = |product: usize, group: usize| {
        group_ids[&(
            product_ids[product],
            demo.products[product].groups[group].code.clone(),
        )]
    };
    let mut values = Vec::new();
    for (pi, p) in demo.products.iter().enumerate() {
        for (gi, g) in p.groups.iter().enumerate() {
            values.extend(
                g.values
                    .iter()
                    .zip(0..)
                    .map(|(v, position)| option_values::ActiveModel {
                        group_id: Set(group_id(pi, gi)),
                        code: Set(v.code.clone()),
                        label: Set(v.label.clone()),
                        position: Set(position),
                        price_delta_minor: Set(v.price_delta_minor),
                        status: Set(if v.frozen.is_some() {
                            OptionValueStatus::Frozen
                        } else {
                            OptionValueStatus::Active
                        }),
                        frozen_reason: Set(v.frozen.as_ref().map(|f| f.reason.clone())),
                        frozen_by: Set(v.frozen.as_ref().map(|f| f.by.clone())),
                        ..Default::default()
                    }),
            );
        }
    }
    insert_all(db, values).await?;
    let value_ids: BTreeMap<(i64, String), i64> = option_values::Entity::find()
        .filter(option_values::Column::GroupId.is_in(group_ids.values().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| ((v.group_id, v.code), v.id))
        .collect();
    let ids: ValueIds = demo
        .products
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            p.groups
                .iter()
                .enumerate()
                .map(|(gi, g)| {
                    g.values
                        .iter()
                        .map(|v| value_ids[&(group_id(pi, gi), v.code.clone())])
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut value_lines = Vec::new();
    let mut value_operations = Vec::new();
    for (pi, p) in demo.products.iter().enumerate() {
        for (gi, g) in p.groups.iter().enumerate() {
            for (vi, v) in g.values.iter().enumerate() {
                let value_id = ids[pi][gi][vi];
                value_lines.extend(v.bom.iter().map(|l| option_value_bom_lines::ActiveModel {
                    option_value_id: Set(value_id),
                    material_id: Set(id(materials, &l.sku)),
                    quantity: Set(l.quantity),
                    ..Default::default()
                }));
                value_operations.extend(v.operations.iter().map(|o| option_value_operations::ActiveModel {
                    option_value_id: Set(value_id),
                    seq: Set(o.seq),
                    name: Set(o.name.clone()),
                    work_center_id: Set(id(centers, &o.work_center)),
                    minutes_per_unit: Set(o.minutes_per_unit),
                    setup_minutes: Set(o.setup_minutes),
                    ..Default::default()
                }));
            }
        }
    }
    insert_all(db, value_lines).await?;
    insert_all(db, value_operations).await?;
    Ok(ids)
}

/// Orders, their reservations and all work-center bookings; returns order ids by index.
async fn insert_orders(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    materials: &BTreeMap<String, i64>,
    nodes: &BTreeMap<String, i64>,
    inbound: &[i64],
    centers: &BTreeMap<String, i64>,
) -> Result<Vec<i64>, DbErr> {
    let product_ids: BTreeMap<String, i64> = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.id))
        .collect();
    let rows = demo.orders.iter().map(|o| orders::ActiveModel {
        shop_id: Set(shop_id),
        product_id: Set(id(&product_ids, &demo.products[o.product].slug)),
        reference: Set(o.reference.clone()),
        quantity: Set(o.quantity),
        selection: Set(json!(o.selection)),
        price_minor: Set(o.price_minor),
        quoted_p50: Set(o.quoted_p50),
        quoted_p90: Set(o.quoted_p90),
        promised_on: Set(o.promised_on),
        status: Set(o.status),
        placed_at: Set(o.placed_at),
        delivered_on: Set(o.delivered_on),
        ..Default::default()
    });
    insert_all(db, rows.collect()).await?;
    let by_reference: BTreeMap<String, i64> = orders::Entity::find()
        .filter(orders::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.reference, o.id))
        .collect();
    let ids: Vec<i64> = demo
        .orders
        .iter()
        .map(|o| id(&by_reference, &o.reference))
        .collect();
    let reservations = demo.reservations.iter().map(|r| order_reservations::ActiveModel {
        order_id: Set(ids[r.order]),
        material_id: Set(id(materials, &r.sku)),
        node_id: Set(id(nodes, &r.node)),
        inbound_id: Set(r.inbound.map(|i| inbound[i])),
        // When the line was due as the order booked it, as booking records it: a line
        // that slips later puts the order at risk (`orders::risk`).
        expected_on: Set(r.inbound.map(|i| demo.inbound[i].eta)),
        quantity: Set(r.quantity),
        // Said explicitly: the column's default (`stock`) would make units of a line
        // on its way look like units on the shelf.
        source: Set(if r.inbound.is_some() {
            ReservationSource::Inbound
        } else {
            ReservationSource::Stock
        }),
        ..Default::default()
    });
    insert_all(db, reservations.collect()).await?;
    let consumption = demo
        .consumption
        .iter()
        .map(|c| material_consumption::ActiveModel {
            order_id: Set(ids[c.order]),
            material_id: Set(id(materials, &c.sku)),
            node_id: Set(id(nodes, &c.node)),
            quantity: Set(c.quantity),
            consumed_on: Set(c.consumed_on),
            reported_by: Set("system".into()),
            created_at: Set(demo.orders[c.order].placed_at),
            ..Default::default()
        });
    insert_all(db, consumption.collect()).await?;
    let bookings = demo.bookings.iter().map(|b| work_center_bookings::ActiveModel {
        work_center_id: Set(id(centers, &b.work_center)),
        day: Set(b.day),
        minutes: Set(b.minutes),
        order_id: Set(b.order.map(|o| ids[o])),
        ..Default::default()
    });
    insert_all(db, bookings.collect()).await?;
    Ok(ids)
}

/// Heat events and the audit trail.
async fn insert_signals(
    db: &impl ConnectionTrait,
    shop_id: i64,
    demo: &DemoShop,
    values: &ValueIds,
) -> Result<(), DbErr> {
    let product_ids: BTreeMap<String, i64> = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.id))
        .collect();
    let product_ids: Vec<i64> = demo.products.iter().map(|p| id(&product_ids, &p.slug)).collect();
    // Through the ingestion's own write, so the rollups count seeded heat exactly as
    // they count live heat.
    let tz: chrono_tz::Tz = demo.shop.timezone.parse().unwrap_or(chrono_tz::UTC);
    let event = |e: &HeatEvent| {
        let product = &demo.products[e.product];
        let code = |v: &ValueRef| {
            let group = &product.groups[v.group];
            format!("{}.{}", group.code, group.values[v.value].code)
        };
        let ids: Vec<i64> = e
            .values
            .iter()
            .map(|v| values[e.product][v.group][v.value])
            .collect();
        NewEvent {
            id: e.event_id.clone(),
            kind: e.kind,
            product_id: product_ids[e.product],
            option_value_id: (e.kind == HeatKind::OptionSelect).then(|| ids[0]),
            variant: (!e.values.is_empty()).then(|| e.values.iter().map(code).collect::<Vec<_>>().join(",")),
            values: ids,
            session_id: e.session_id.clone(),
            occurred_at: e.occurred_at,
            day: e.occurred_at.with_timezone(&tz).date_naive(),
        }
    };
    // One batch per origin, as the pages they came from would have sent them.
    let mut batches: BTreeMap<Option<String>, Vec<NewEvent>> = BTreeMap::new();
    for e in &demo.heat_events {
        batches.entry(e.origin.clone()).or_default().push(event(e));
    }
    let batches: Vec<Batch> = batches
        .into_iter()
        .map(|(origin, events)| Batch {
            shop_id,
            origin,
            events,
        })
        .collect();
    heat::write_in(db, &batches).await?;
    let audit = demo.audit.iter().map(|a| {
        let entity_id = match a.subject {
            AuditSubject::Shop => shop_id,
            AuditSubject::OptionValue { product, value } => values[product][value.group][value.value],
        };
        audit_log::ActiveModel {
            shop_id: Set(shop_id),
            actor: Set(a.actor.clone()),
            action: Set(a.action.clone()),
            entity: Set(a.entity.clone()),
            entity_id: Set(entity_id.to_string()),
            before: Set(a.before.clone()),
            after: Set(a.after.clone()),
            at: Set(a.at),
            ..Default::default()
        }
    });
    insert_all(db, audit.collect()).await?;
    Ok(())
}

/// Deletes shop `shop_id` and every row that belongs to it: every table hangs off
/// `shops` by `ON DELETE CASCADE`, and the references between a shop's own rows are
/// checked at the end of the statement (migration `m20261202_000014_shop_cascade`).
pub(super) async fn delete_shop(db: &impl ConnectionTrait, shop_id: i64) -> Result<(), DbErr> {
    shops::Entity::delete_by_id(shop_id).exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::{Instant, SystemTime, UNIX_EPOCH};

    use chrono::NaiveDate;
    use migrations::MigratorTrait;
    use sea_orm::{Database, DatabaseConnection, PaginatorTrait};

    use super::*;
    use crate::seed::{DEMO_SECRET_KEY, DEMO_SEED, SeedOutcome, generate, reseed_demo, seed_demo};
    use crate::store::entities::heat_events;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 18).unwrap()
    }

    /// Row counts of the tables the seed fills, by table name.
    async fn counts(db: &DatabaseConnection) -> BTreeMap<&'static str, u64> {
        macro_rules! count_rows {
            ($($table:ident),* $(,)?) => {
                BTreeMap::from([$((stringify!($table), $table::Entity::find().count(db).await.unwrap())),*])
            };
        }
        count_rows!(
            shops,
            shop_holidays,
            api_keys,
            merchants,
            nodes,
            transfer_lanes,
            materials,
            stock,
            suppliers,
            supplier_materials,
            inbound,
            work_centers,
            work_center_holidays,
            work_center_bookings,
            products,
            option_groups,
            option_values,
            option_value_bom_lines,
            orders,
            order_reservations,
            heat_events,
            audit_log
        )
    }

    /// Seeds, seeds again (nothing changes), reseeds (the same rows again), and checks
    /// the counts against the generator's output each time.
    async fn seed_twice_and_reseed(db: &DatabaseConnection, backend: &str) {
        migrations::Migrator::up(db, None)
            .await
            .expect("migrations apply");
        let demo = generate(DEMO_SEED, today());
        let started = Instant::now();
        let SeedOutcome::Created(report) = seed_demo(db, today()).await.expect("seed") else {
            panic!("a fresh database has no demo shop");
        };
        eprintln!("seeding the demo shop on {backend} took {:?}", started.elapsed());
        let seeded = counts(db).await;
        let values: usize = demo
            .products
            .iter()
            .flat_map(|p| &p.groups)
            .map(|g| g.values.len())
            .sum();
        let expected = [
            ("shops", 1),
            ("api_keys", 2),
            ("merchants", 1),
            ("nodes", 3),
            ("transfer_lanes", 6),
            ("materials", demo.materials.len()),
            ("stock", demo.stock.len()),
            ("suppliers", 5),
            ("supplier_materials", demo.supplier_materials.len()),
            ("inbound", demo.inbound.len()),
            ("work_centers", 4),
            ("work_center_bookings", demo.bookings.len()),
            ("products", 3),
            ("option_values", values),
            ("orders", demo.orders.len()),
            ("order_reservations", demo.reservations.len()),
            ("heat_events", demo.heat_events.len()),
            ("audit_log", demo.audit.len()),
        ];
        for (table, rows) in expected {
            assert_eq!(seeded[table], rows as u64, "{table}");
        }
        assert_eq!(report.orders, demo.orders.len());
        assert_eq!(report.heat_events, demo.heat_events.len());
        // What each reservation holds follows from where its units are.
        let held = order_reservations::Entity::find().all(db).await.unwrap();
        assert!(
            held.iter().any(|r| r.inbound_id.is_some()),
            "the seed reserves inbound units"
        );
        for r in &held {
            let expected = match r.inbound_id {
                Some(_) => ReservationSource::Inbound,
                None => ReservationSource::Stock,
            };
            assert_eq!(r.source, expected, "{r:?}");
        }

        assert_eq!(
            seed_demo(db, today()).await.expect("seed again"),
            SeedOutcome::AlreadyPresent
        );
        assert_eq!(counts(db).await, seeded);

        let again = reseed_demo(db, today()).await.expect("reseed");
        assert_eq!(counts(db).await, seeded);
        assert_ne!(again.shop_id, report.shop_id, "a new shop row");
        let (shop, _) = crate::store::shops::by_key(db, DEMO_SECRET_KEY)
            .await
            .unwrap()
            .expect("key works");
        assert_eq!(shop.id, again.shop_id);
        let merchant = merchants::Entity::find().one(db).await.unwrap().unwrap();
        assert!(crate::auth::password::verify(
            super::super::DEMO_MERCHANT_PASSWORD,
            &merchant.password_hash
        ));
    }

    #[tokio::test]
    async fn seeding_sqlite_is_idempotent_and_reseeding_gives_the_same_rows() {
        let db = Database::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite");
        seed_twice_and_reseed(&db, "SQLite").await;
    }

    /// Runs against a scratch database on the server of `C2M_TEST_PG` (default: a local
    /// `postgres` superuser), created for the test and dropped after it.
    #[tokio::test]
    async fn seeding_postgres_is_idempotent_and_reseeding_gives_the_same_rows() {
        let admin_url =
            std::env::var("C2M_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let admin = Database::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} (set C2M_TEST_PG to another server): {e}"));
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        let name = format!("c2m_seed_{}_{nanos}", std::process::id());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create scratch database");
        let (base, query) = admin_url
            .split_once('?')
            .map_or((admin_url.as_str(), None), |(b, q)| (b, Some(q)));
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        let url = match query {
            Some(query) => format!("{server}/{name}?{query}"),
            None => format!("{server}/{name}"),
        };
        // On its own task, so that the scratch database is dropped even when a check fails.
        let checks = tokio::spawn(async move {
            let db = Database::connect(url).await.expect("connect to scratch database");
            seed_twice_and_reseed(&db, "PostgreSQL").await;
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
}
