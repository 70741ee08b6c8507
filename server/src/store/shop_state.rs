//! A shop's whole quoting state, read in one go and turned into the engine's
//! [`ShopState`] (database ids become vector indices).
//!
//! This is the only read the quote path makes, once per state version: every quote
//! after it is answered from the in-memory snapshot.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use engine::calendar::{Weekdays, WorkingCalendar};
use engine::learn::LeadTime;
use engine::requirements::BomLine;
use engine::schedule::WorkCenterLoad;
use engine::state::{
    Allocation, CapacityReservation, InboundKind, InboundLine, Lane, Material, Node, Product, RoutingStep,
    ShopState, Stock, SupplierOffer, ValueRecipe, WorkCenter,
};
use engine::supply::{Replenishment, median_day};
use engine::{Money, ProductCatalog};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::catalog::{group_of, groups_with_values};
use super::entities::{
    self, InboundStatus, ReservationSource, ReservationStatus, SupplyStatus, capacity_reservations,
    channel_allocations, inbound, materials, nodes, option_groups, option_value_bom_lines,
    option_value_operations, option_values, order_reservations, product_bom_lines, product_operations,
    products, shop_holidays, shops, stock, supplier_materials, suppliers, transfer_lanes,
    work_center_bookings, work_center_holidays, work_centers,
};
use super::lead_times::OfferRecord;
use super::{Db, StoreError};

/// A shop's quoting state with the version it belongs to.
#[derive(Clone, Debug)]
pub struct LoadedShop {
    /// The shop row, read in the same transaction (its `state_version` labels `state`).
    pub shop: shops::Model,
    /// The engine's input.
    pub state: ShopState,
    /// What the engine does not use about each product, in the order of `state.products`.
    pub listings: Vec<ProductListing>,
    /// The row behind each index of `state`.
    pub ids: RowIds,
}

/// The row id behind each index of a [`ShopState`]: `ids.materials[m]` is the row of
/// `state.materials[m]`, and so on. A plan names what it uses by index; booking it
/// writes rows, so it needs these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowIds {
    /// `nodes` rows.
    pub nodes: Vec<i64>,
    /// `materials` rows.
    pub materials: Vec<i64>,
    /// `stock` rows.
    pub stock: Vec<i64>,
    /// `inbound` rows.
    pub inbound: Vec<i64>,
    /// `capacity_reservations` rows.
    pub reservations: Vec<i64>,
    /// `work_centers` rows.
    pub work_centers: Vec<i64>,
}

/// A product's facts beside the engine's: what the configurator shows, and the row ids
/// that heat events refer to.
#[derive(Clone, Debug)]
pub struct ProductListing {
    /// The product's row id.
    pub id: i64,
    /// `value_ids[group][value]`: the row id of each value of the product's catalog.
    pub value_ids: Vec<Vec<i64>>,
    /// Plain-text description.
    pub description: String,
    /// In presale: ordering it is a preorder.
    pub presale: bool,
}

/// Reads everything a quote of shop `shop_id` depends on, as of `today`, in one
/// read-only transaction, so the state and its version are consistent (PostgreSQL:
/// repeatable read; SQLite in WAL mode: one read snapshot). `None` when the shop is gone.
/// Rows are read in a fixed order (by id where nothing else orders them), so two loads
/// of one state version give equal states and the engine breaks ties the same way.
pub async fn load(
    db: &Db,
    shop_id: i64,
    today: impl FnOnce(&shops::Model) -> NaiveDate,
    horizon_days: u32,
) -> Result<Option<LoadedShop>, StoreError> {
    let txn = db.read().await?;
    let loaded = load_in(&txn, shop_id, today, horizon_days).await?;
    txn.finish().await?;
    Ok(loaded)
}

/// [`load`] inside a read transaction the caller opened.
pub async fn load_in(
    txn: &impl ConnectionTrait,
    shop_id: i64,
    today: impl FnOnce(&shops::Model) -> NaiveDate,
    horizon_days: u32,
) -> Result<Option<LoadedShop>, StoreError> {
    let Some(shop) = shops::Entity::find_by_id(shop_id).one(txn).await? else {
        return Ok(None);
    };
    let today = today(&shop);
    let (state, listings, ids) = read_state(txn, &shop, today, horizon_days).await?;
    Ok(Some(LoadedShop {
        shop,
        state,
        listings,
        ids,
    }))
}

/// The shop's promise quantile as the engine takes it (a share, not thousandths).
pub fn promise_quantile(shop: &shops::Model) -> f64 {
    f64::from(shop.promise_permille) / 1000.0
}

async fn read_state(
    db: &impl ConnectionTrait,
    shop: &shops::Model,
    today: NaiveDate,
    horizon_days: u32,
) -> Result<(ShopState, Vec<ProductListing>, RowIds), StoreError> {
    let shop_id = shop.id;
    let node_rows = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .order_by_asc(nodes::Column::Id)
        .all(db)
        .await?;
    let node_ix: HashMap<i64, usize> = node_rows.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let material_rows = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .order_by_asc(materials::Column::Id)
        .all(db)
        .await?;
    let material_ix: HashMap<i64, u32> = material_rows
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id, i as u32))
        .collect();
    let shop_materials = || {
        Query::select()
            .column(materials::Column::Id)
            .from(materials::Entity)
            .and_where(materials::Column::ShopId.eq(shop_id))
            .to_owned()
    };
    let shop_nodes = || {
        Query::select()
            .column(nodes::Column::Id)
            .from(nodes::Entity)
            .and_where(nodes::Column::ShopId.eq(shop_id))
            .to_owned()
    };

    let lanes = transfer_lanes::Entity::find()
        .filter(transfer_lanes::Column::FromNodeId.in_subquery(shop_nodes()))
        .order_by_asc(transfer_lanes::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|l| {
            Some(Lane {
                from: *node_ix.get(&l.from_node_id)?,
                to: *node_ix.get(&l.to_node_id)?,
                lead_time_days: l.lead_time_days.max(0) as u32,
                cost_per_unit: l.cost_per_unit_minor,
            })
        })
        .collect();
    let (stock_ids, stock): (Vec<i64>, Vec<Stock>) = stock::Entity::find()
        .filter(stock::Column::MaterialId.in_subquery(shop_materials()))
        .order_by_asc(stock::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let row = Stock {
                material: *material_ix.get(&s.material_id)?,
                node: *node_ix.get(&s.node_id)?,
                on_hand: s.on_hand,
                reserved: s.reserved,
            };
            Some((s.id, row))
        })
        .unzip();

    // Units kept for one channel, resolved against the node's on-hand stock.
    let allocations = channel_allocations::Entity::find()
        .filter(channel_allocations::Column::ShopId.eq(shop_id))
        .order_by_asc(channel_allocations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            let material = *material_ix.get(&a.material_id)?;
            let node = *node_ix.get(&a.node_id)?;
            let on_hand = stock
                .iter()
                .find(|s| s.material == material && s.node == node)
                .map_or(0, |s| s.on_hand);
            Some(Allocation {
                material,
                node,
                quantity: a.kept(on_hand),
                channel: a.channel,
            })
        })
        .collect();

    // What open orders already took from each inbound line.
    let committed: HashMap<i64, i64> = order_reservations::Entity::find()
        .filter(order_reservations::Column::MaterialId.in_subquery(shop_materials()))
        .filter(order_reservations::Column::InboundId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .fold(HashMap::new(), |mut acc, r| {
            if let Some(line) = r.inbound_id {
                *acc.entry(line).or_default() += r.quantity;
            }
            acc
        });
    // Lead times as the receipts show them, when the shop learns from them: each
    // offer's learned figures replace its declared ones, and an open purchase order of
    // a supplier with a record is expected its learned delay later than its date, as
    // uncertain as the supplier has been (a date is taken as given until then). An
    // order that has already waited is expected for what is left of that lead time
    // (`LeadTime::remaining`): one past its date is not due today for certain, it is
    // as late again as the supplier's late orders have been.
    let learned: HashMap<(i64, i64), OfferRecord> = if shop.learn_lead_times {
        super::lead_times::records(db, shop_id, today)
            .await?
            .into_iter()
            .filter(|(_, r)| r.learned.receipts > 0)
            .collect()
    } else {
        HashMap::new()
    };
    let expected = |line: &inbound::Model| -> (NaiveDate, f64) {
        let record = line
            .supplier_id
            .filter(|_| line.kind == entities::InboundKind::Purchase)
            .and_then(|s| learned.get(&(s, line.material_id)));
        record.map_or((line.eta, 0.0), |r| expected_as_learned(line, r, today))
    };
    let (inbound_ids, inbound): (Vec<i64>, Vec<InboundLine>) = inbound::Entity::find()
        .filter(inbound::Column::ShopId.eq(shop_id))
        .filter(inbound::Column::Status.eq(InboundStatus::Confirmed))
        .order_by_asc(inbound::Column::Eta)
        .order_by_asc(inbound::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| {
            let (eta, sd_days) = expected(&i);
            let line = InboundLine {
                material: *material_ix.get(&i.material_id)?,
                node: *node_ix.get(&i.node_id)?,
                kind: match i.kind {
                    entities::InboundKind::Transfer => InboundKind::Transfer,
                    entities::InboundKind::Purchase => InboundKind::Purchase,
                },
                eta,
                uncommitted: i.quantity - committed.get(&i.id).copied().unwrap_or(0),
                reference: i.reference,
                sd_days,
            };
            Some((i.id, line))
        })
        .unzip();

    let supplier_rows: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(shop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let offers = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::MaterialId.in_subquery(shop_materials()))
        .filter(supplier_materials::Column::Status.eq(SupplyStatus::Active))
        .order_by_asc(supplier_materials::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| {
            let supplier = supplier_rows
                .get(&o.supplier_id)
                .filter(|s| s.status == SupplyStatus::Active)?;
            let lead = learned
                .get(&(o.supplier_id, o.material_id))
                .map(|r| r.learned.lead_time)
                .unwrap_or(LeadTime {
                    mean_days: o.lead_time_mean_days,
                    sd_days: o.lead_time_sd_days,
                });
            Some(SupplierOffer {
                material: *material_ix.get(&o.material_id)?,
                supplier: supplier.name.clone(),
                terms: Replenishment {
                    lead_time_mean_days: lead.mean_days,
                    lead_time_sd_days: lead.sd_days,
                    moq: o.moq,
                    pack_size: o.pack_size,
                },
                price: o.price_minor,
            })
        })
        .collect();

    let (mut work_centers, wc_ix) = load_work_centers(db, shop_id, today, &node_ix).await?;
    // Each work center at the pace its finished operations show, when the shop learns.
    if shop.learn_lead_times {
        let paces = super::paces::records_of(db, wc_ix.keys().copied().collect(), today).await?;
        for (id, record) in paces {
            if record.learned.operations > 0
                && let Some(&i) = wc_ix.get(&id)
            {
                work_centers[i].pace = record.learned.pace;
            }
        }
    }
    let mut work_center_ids = vec![0; work_centers.len()];
    for (&id, &index) in &wc_ix {
        work_center_ids[index] = id;
    }
    let (products, listings) = load_products(db, shop_id, &node_ix, &material_ix, &wc_ix).await?;

    // A reservation is delivered where the material is used: the producing node of the
    // first product that needs it.
    let used_at: HashMap<u32, usize> = products
        .iter()
        .flat_map(|p| {
            let lines = p
                .bom
                .iter()
                .chain(&p.generic_bom)
                .chain(p.recipes.iter().flatten().flat_map(|r| &r.bom));
            lines.map(move |l| (l.material, p.producing_node))
        })
        .rev()
        .collect();
    // What open orders already claimed of each supplier capacity reservation.
    let claimed: HashMap<i64, i64> = order_reservations::Entity::find()
        .filter(order_reservations::Column::MaterialId.in_subquery(shop_materials()))
        .filter(order_reservations::Column::Source.eq(ReservationSource::CapacityReservation))
        .order_by_asc(order_reservations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .fold(HashMap::new(), |mut acc, r| {
            if let Some(reservation) = r.capacity_reservation_id {
                *acc.entry(reservation).or_default() += r.quantity;
            }
            acc
        });
    let (reservation_ids, reservations): (Vec<i64>, Vec<CapacityReservation>) =
        capacity_reservations::Entity::find()
            .filter(capacity_reservations::Column::ShopId.eq(shop_id))
            .filter(capacity_reservations::Column::Status.eq(ReservationStatus::Confirmed))
            .filter(capacity_reservations::Column::WindowEnd.gte(today))
            .order_by_asc(capacity_reservations::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|r| {
                let material = *material_ix.get(&r.material_id)?;
                let reservation = CapacityReservation {
                    material,
                    node: used_at.get(&material).copied().unwrap_or(0),
                    supplier: supplier_rows
                        .get(&r.supplier_id)
                        .map_or_else(String::new, |s| s.name.clone()),
                    quantity: r.quantity - claimed.get(&r.id).copied().unwrap_or(0),
                    window_start: r.window_start,
                    window_end: r.window_end,
                };
                Some((r.id, reservation))
            })
            .unzip();

    let holidays = shop_holidays::Entity::find()
        .filter(shop_holidays::Column::ShopId.eq(shop_id))
        .order_by_asc(shop_holidays::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.day);
    let ids = RowIds {
        nodes: node_rows.iter().map(|n| n.id).collect(),
        materials: material_rows.iter().map(|m| m.id).collect(),
        stock: stock_ids,
        inbound: inbound_ids,
        reservations: reservation_ids,
        work_centers: work_center_ids,
    };
    let state = ShopState {
        today,
        horizon_days,
        shipping: WorkingCalendar::new(weekdays(shop.working_weekdays), holidays),
        transit_days: shop.transit_days.max(0) as u32,
        nodes: node_rows
            .into_iter()
            .map(|n| Node {
                code: n.code,
                name: n.name,
            })
            .collect(),
        lanes,
        materials: material_rows
            .into_iter()
            .map(|m| Material {
                sku: m.sku,
                name: m.name,
                unit_cost: m.unit_cost_minor,
                is_generic: m.is_generic,
            })
            .collect(),
        stock,
        inbound,
        offers,
        reservations,
        work_centers,
        products,
        allocations,
        promise_quantile: promise_quantile(shop),
    };
    Ok((state, listings, ids))
}

fn weekdays(mask: i16) -> Weekdays {
    Weekdays::from_mask((mask & 0x7f) as u8).unwrap_or(Weekdays::MON_FRI)
}

async fn load_work_centers(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
    node_ix: &HashMap<i64, usize>,
) -> Result<(Vec<WorkCenter>, HashMap<i64, usize>), StoreError> {
    let rows = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop_id))
        .order_by_asc(work_centers::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|w| w.id).collect();
    let mut holidays: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for h in work_center_holidays::Entity::find()
        .filter(work_center_holidays::Column::WorkCenterId.is_in(ids.clone()))
        .order_by_asc(work_center_holidays::Column::Id)
        .all(db)
        .await?
    {
        holidays.entry(h.work_center_id).or_default().push(h.day);
    }
    let mut booked: HashMap<i64, BTreeMap<NaiveDate, u32>> = HashMap::new();
    for b in work_center_bookings::Entity::find()
        .filter(work_center_bookings::Column::WorkCenterId.is_in(ids))
        .filter(work_center_bookings::Column::Day.gte(today))
        .order_by_asc(work_center_bookings::Column::Id)
        .all(db)
        .await?
    {
        *booked
            .entry(b.work_center_id)
            .or_default()
            .entry(b.day)
            .or_default() += b.minutes.max(0) as u32;
    }
    let index = rows.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
    let centers = rows
        .into_iter()
        .map(|w| WorkCenter {
            node: node_ix.get(&w.node_id).copied().unwrap_or(0),
            load: WorkCenterLoad {
                calendar: WorkingCalendar::new(
                    weekdays(w.working_weekdays),
                    holidays.remove(&w.id).unwrap_or_default(),
                ),
                minutes_per_day: w.minutes_per_day.max(0) as u32,
                booked: booked.remove(&w.id).unwrap_or_default(),
            },
            code: w.code,
            name: w.name,
            // As planned until finished operations say otherwise (`paces`).
            pace: Default::default(),
        })
        .collect();
    Ok((centers, index))
}

async fn load_products(
    db: &impl ConnectionTrait,
    shop_id: i64,
    node_ix: &HashMap<i64, usize>,
    material_ix: &HashMap<i64, u32>,
    wc_ix: &HashMap<i64, usize>,
) -> Result<(Vec<Product>, Vec<ProductListing>), StoreError> {
    let rows = products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .order_by_asc(products::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let line = |material_id: i64, quantity: i64| {
        Some(BomLine {
            material: *material_ix.get(&material_id)?,
            quantity,
        })
    };
    let mut bom: HashMap<i64, Vec<product_bom_lines::Model>> = HashMap::new();
    for l in product_bom_lines::Entity::find()
        .filter(product_bom_lines::Column::ProductId.is_in(ids.clone()))
        .order_by_asc(product_bom_lines::Column::Id)
        .all(db)
        .await?
    {
        bom.entry(l.product_id).or_default().push(l);
    }
    let mut routing: HashMap<i64, Vec<RoutingStep>> = HashMap::new();
    for o in product_operations::Entity::find()
        .filter(product_operations::Column::ProductId.is_in(ids.clone()))
        .order_by_asc(product_operations::Column::Seq)
        .all(db)
        .await?
    {
        let Some(&work_center) = wc_ix.get(&o.work_center_id) else {
            continue;
        };
        routing.entry(o.product_id).or_default().push(RoutingStep {
            name: o.name,
            work_center,
            minutes_per_unit: o.minutes_per_unit,
            setup_minutes: o.setup_minutes.max(0) as u32,
            generic: o.is_generic,
        });
    }
    let groups = groups_with_values(db, ids).await?;
    let value_ids: Vec<i64> = groups
        .iter()
        .flat_map(|(_, vs)| vs.iter().map(|v| v.id))
        .collect();
    let mut recipes: HashMap<i64, ValueRecipe> = HashMap::new();
    for l in option_value_bom_lines::Entity::find()
        .filter(option_value_bom_lines::Column::OptionValueId.is_in(value_ids.clone()))
        .order_by_asc(option_value_bom_lines::Column::Id)
        .all(db)
        .await?
    {
        if let Some(line) = line(l.material_id, l.quantity) {
            recipes.entry(l.option_value_id).or_default().bom.push(line);
        }
    }
    for o in option_value_operations::Entity::find()
        .filter(option_value_operations::Column::OptionValueId.is_in(value_ids))
        .order_by_asc(option_value_operations::Column::Seq)
        .all(db)
        .await?
    {
        let Some(&work_center) = wc_ix.get(&o.work_center_id) else {
            continue;
        };
        recipes
            .entry(o.option_value_id)
            .or_default()
            .operations
            .push(RoutingStep {
                name: o.name,
                work_center,
                minutes_per_unit: o.minutes_per_unit,
                setup_minutes: o.setup_minutes.max(0) as u32,
                generic: false,
            });
    }
    let mut groups_by_product: HashMap<i64, Vec<(option_groups::Model, Vec<option_values::Model>)>> =
        HashMap::new();
    for (group, values) in groups {
        groups_by_product
            .entry(group.product_id)
            .or_default()
            .push((group, values));
    }
    Ok(rows
        .into_iter()
        .map(|p| {
            let groups = groups_by_product.remove(&p.id).unwrap_or_default();
            let listing = ProductListing {
                id: p.id,
                value_ids: groups
                    .iter()
                    .map(|(_, values)| values.iter().map(|v| v.id).collect())
                    .collect(),
                description: p.description.clone(),
                presale: p.lifecycle == "presale",
            };
            let product_recipes = groups
                .iter()
                .map(|(_, values)| {
                    values
                        .iter()
                        .map(|v| recipes.remove(&v.id).unwrap_or_default())
                        .collect()
                })
                .collect();
            let (generic, base): (Vec<_>, Vec<_>) = bom
                .remove(&p.id)
                .unwrap_or_default()
                .into_iter()
                .partition(|l| l.in_generic_part);
            let product = Product {
                catalog: ProductCatalog {
                    base_price: Money(p.base_price_minor),
                    groups: groups.into_iter().map(|(g, vs)| group_of(g, vs)).collect(),
                },
                recipes: product_recipes,
                bom: base
                    .iter()
                    .filter_map(|l| line(l.material_id, l.quantity))
                    .collect(),
                generic_bom: generic
                    .iter()
                    .filter_map(|l| line(l.material_id, l.quantity))
                    .collect(),
                routing: routing.remove(&p.id).unwrap_or_default(),
                producing_node: node_ix.get(&p.producing_node_id).copied().unwrap_or(0),
                handling_days: p.handling_days.max(0) as u32,
                max_lead_time_days: p.max_lead_time_days.max(0) as u32,
                end_of_sale: p.end_of_sale,
                // Only a product still in presale has a first batch.
                first_batch_until: p.first_batch_until.filter(|_| p.lifecycle == "presale"),
                generic_part: p
                    .generic_part_material_id
                    .and_then(|m| material_ix.get(&m).copied()),
                slug: p.slug,
                name: p.name,
            };
            (product, listing)
        })
        .unzip())
}

/// When open line `line` is expected, with its spread in days, from its supplier's
/// `record`: its own lead time (its date less its order day) shifted by the learned
/// delay, less what it has already waited ([`LeadTime::remaining`]); a line without
/// an order day is expected the learned delay after its date.
fn expected_as_learned(line: &inbound::Model, record: &OfferRecord, today: NaiveDate) -> (NaiveDate, f64) {
    let lead = record.learned.lead_time;
    let delay = lead.mean_days - record.declared.mean_days;
    let Some(ordered) = line
        .ordered_on
        .filter(|ordered| *ordered <= today && *ordered <= line.eta)
    else {
        let eta = line.eta + chrono::Duration::days(delay.round() as i64);
        return (eta.max(today), lead.sd_days);
    };
    let own = LeadTime {
        mean_days: (line.eta - ordered).num_days() as f64 + delay,
        sd_days: lead.sd_days,
    };
    let left = own.remaining((today - ordered).num_days() as f64);
    (
        today + chrono::Duration::days(i64::from(median_day(left.mean_days))),
        left.sd_days,
    )
}
