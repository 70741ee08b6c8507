//! The production-watch scenario (issue 18, "During production"): a fastener that the
//! orders in production use faster than planned, with the factory's own stock of it
//! used up and a surplus at the warehouse.
//!
//! The fastener is the one the most orders in production hold at their factory. The
//! older half of those orders (at least one) report having used 40 % more than their
//! plan; the rest have reported nothing yet, so the rule projects the same overrun on
//! them. The factory has nothing of it left beyond what orders hold, and the warehouse
//! keeps [`WAREHOUSE_SURPLUS`] more than it needs: the inbox's first run shows an
//! overconsumption alert whose first suggestion is a transfer from the warehouse.

use chrono::NaiveDate;

use super::model::{Consumption, Material, MaterialKind, Order, OrderStatus, Product, Reservation, Stock};

/// How much more than planned the reporting orders used, percent.
pub const OVERRUN_PERCENT: i64 = 40;
/// Units of the fastener the warehouse holds beyond what orders there hold.
pub const WAREHOUSE_SURPLUS: i64 = 600;
/// The node with the surplus.
pub const WAREHOUSE: &str = "WH";

/// The scenario's reports; adjusts `stock` so the factory has none of the fastener
/// free and the warehouse its surplus.
pub(super) fn overconsumed_fastener(
    materials: &[Material],
    products: &[Product],
    orders: &[Order],
    reservations: &[Reservation],
    stock: &mut Vec<Stock>,
    today: NaiveDate,
) -> Vec<Consumption> {
    let fastener = |sku: &str| {
        materials
            .iter()
            .any(|m| m.sku == sku && m.kind == MaterialKind::Fastener)
    };
    let in_production = |r: &Reservation| orders[r.order].status == OrderStatus::InProduction;
    let at_factory = |r: &Reservation| r.node == products[orders[r.order].product].producing_node;
    // Per fastener held at a factory by orders in production: its holders.
    let mut holders: Vec<(&str, Vec<&Reservation>)> = Vec::new();
    for r in reservations
        .iter()
        .filter(|r| r.inbound.is_none() && fastener(&r.sku) && in_production(r) && at_factory(r))
    {
        match holders.iter_mut().find(|(sku, _)| *sku == r.sku) {
            Some((_, held)) => held.push(r),
            None => holders.push((r.sku.as_str(), vec![r])),
        }
    }
    let Some((sku, mut held)) = holders
        .into_iter()
        .filter(|(_, held)| held.len() >= 2)
        .max_by_key(|(sku, held)| (held.len(), std::cmp::Reverse(*sku)))
    else {
        return Vec::new();
    };
    held.sort_by_key(|r| (orders[r.order].placed_at, r.order));
    let reporting = held.len() / 2;
    let reports: Vec<Consumption> = held[..reporting.max(1)]
        .iter()
        .map(|r| Consumption {
            order: r.order,
            sku: sku.to_string(),
            node: r.node.clone(),
            quantity: (r.quantity * (100 + OVERRUN_PERCENT) + 99) / 100,
            consumed_on: today.max(orders[r.order].placed_at.date_naive()),
        })
        .collect();
    let factory = held[0].node.clone();
    for row in stock.iter_mut().filter(|s| s.sku == sku) {
        if row.node == factory {
            // Used up: the overrun took the factory's last free units.
            row.on_hand = row.reserved;
        } else if row.node == WAREHOUSE {
            row.on_hand = row.reserved + WAREHOUSE_SURPLUS;
        }
    }
    if !stock.iter().any(|s| s.sku == sku && s.node == WAREHOUSE) && factory != WAREHOUSE {
        stock.push(Stock {
            sku: sku.to_string(),
            node: WAREHOUSE.into(),
            on_hand: WAREHOUSE_SURPLUS,
            reserved: 0,
        });
    }
    reports
}
