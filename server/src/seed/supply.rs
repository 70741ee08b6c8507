//! Supply: suppliers and their terms, stock per node and inbound purchase orders and
//! transfers, arranged so that options fall into clear delivery classes.
//!
//! - fast: free stock at the producing node, or one short transfer away;
//! - slow: no free stock, waiting for a confirmed purchase order (or only a draft, so the
//!   supplier's lead time counts);
//! - unsuppliable: `LEA-NUBUCK-BORDEAUX`, offered only by the discontinued supplier, with
//!   no stock and nothing inbound.
//!
//! The tables below give *free* quantities; open orders' reservations are added on top
//! ([`commit_open_orders`]), so what is left uncommitted is exactly what the tables say
//! whatever the random history turned out to be.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::catalog::{days_ago, requirements};
use super::model::{
    Inbound, InboundKind, InboundStatus, Material, MaterialKind, Order, Product, Reservation, Stock,
    Supplier, SupplierMaterial, SupplyStatus,
};

/// The material no active supplier offers and nobody holds.
pub(super) const UNSUPPLIABLE_SKU: &str = "LEA-NUBUCK-BORDEAUX";

/// The five suppliers; `S-OLD` went out of business.
pub(super) fn suppliers() -> Vec<Supplier> {
    let supplier = |code: &str, name: &str, email: Option<&str>, status| Supplier {
        code: code.into(),
        name: name.into(),
        email: email.map(Into::into),
        status,
    };
    vec![
        supplier(
            "S-TEX",
            "Tessitura Bellini",
            Some("orders@tessitura-bellini.example"),
            SupplyStatus::Active,
        ),
        supplier(
            "S-LTH",
            "Gerberei Hartmann",
            Some("bestellung@gerberei-hartmann.example"),
            SupplyStatus::Active,
        ),
        supplier(
            "S-HDW",
            "Mercerie Lyonnaise",
            Some("commandes@mercerie-lyonnaise.example"),
            SupplyStatus::Active,
        ),
        supplier(
            "S-SOL",
            "Suelas del Vinalopó",
            Some("pedidos@suelas-vinalopo.example"),
            SupplyStatus::Active,
        ),
        supplier("S-OLD", "Conceria Rossi", None, SupplyStatus::Discontinued),
    ]
}

/// Which suppliers offer a material: `(supplier, mean lead days, sd, status, price
/// markup in percent)`, the primary source first.
fn sources(material: &Material) -> Vec<(&'static str, f64, f64, SupplyStatus, i64)> {
    use SupplyStatus::{Active, Discontinued};
    let sku = material.sku.as_str();
    if sku == UNSUPPLIABLE_SKU {
        return vec![("S-OLD", 25.0, 5.0, Discontinued, 0)];
    }
    let mut sources = match material.kind {
        MaterialKind::Fabric if sku.starts_with("FAB-CNV") => vec![("S-TEX", 10.0, 2.0, Active, 0)],
        MaterialKind::Fabric if sku.starts_with("FAB-LIN-") => vec![("S-TEX", 14.0, 3.0, Active, 0)],
        MaterialKind::Fabric if sku.starts_with("FAB-MESH") => vec![("S-SOL", 12.0, 2.0, Active, 0)],
        MaterialKind::Fabric => vec![("S-TEX", 8.0, 1.5, Active, 0)],
        MaterialKind::Leather if sku.starts_with("LEA-SUEDE") => vec![("S-LTH", 20.0, 4.5, Active, 0)],
        MaterialKind::Leather => vec![("S-LTH", 18.0, 4.0, Active, 0)],
        MaterialKind::Zipper => vec![("S-HDW", 6.0, 1.0, Active, 0)],
        MaterialKind::Fastener => vec![("S-HDW", 5.0, 1.0, Active, 0)],
        MaterialKind::Sole => vec![("S-SOL", 14.0, 2.5, Active, 0)],
        // A second, dearer source: laces are cheap to double-source.
        MaterialKind::Lace => vec![("S-SOL", 10.0, 2.0, Active, 0), ("S-HDW", 7.0, 1.5, Active, 15)],
        MaterialKind::Thread => vec![("S-HDW", 4.0, 0.5, Active, 0)],
        MaterialKind::Packaging => vec![("S-HDW", 3.0, 0.5, Active, 0)],
        MaterialKind::Other if sku == "INSOLE-LEATHER" => vec![("S-SOL", 12.0, 2.0, Active, 0)],
        MaterialKind::Other => vec![("S-HDW", 7.0, 1.5, Active, 0)],
    };
    // The old tannery used to be the second source of these; the offers stay on file.
    if matches!(sku, "LEA-TAN" | "LEA-SUEDE-GREY") {
        sources.push(("S-OLD", 25.0, 5.0, Discontinued, 5));
    }
    sources
}

/// Minimum order and pack size by how a material is counted.
fn order_terms(material: &Material) -> (i64, i64) {
    match (material.unit.as_str(), material.kind) {
        ("cm", MaterialKind::Other) => (2_500, 2_500),
        ("cm", _) => (5_000, 5_000),
        ("dm2", _) => (500, 50),
        ("m", _) => (5_000, 5_000),
        ("pair", MaterialKind::Lace) => (50, 25),
        ("pair", _) => (24, 12),
        (_, MaterialKind::Zipper) => (100, 50),
        (_, MaterialKind::Packaging) => (200, 50),
        (_, MaterialKind::Fastener) if material.unit_cost_minor < 10 => (2_000, 1_000),
        _ => (200, 100),
    }
}

/// Every supplier offer, covering every material.
pub(super) fn supplier_materials(materials: &[Material]) -> Vec<SupplierMaterial> {
    materials
        .iter()
        .flat_map(|material| {
            let (moq, pack_size) = order_terms(material);
            sources(material)
                .into_iter()
                .map(move |(supplier, mean, sd, status, markup)| SupplierMaterial {
                    supplier: supplier.into(),
                    sku: material.sku.clone(),
                    lead_time_mean_days: mean,
                    lead_time_sd_days: sd,
                    moq,
                    pack_size,
                    price_minor: material.unit_cost_minor * (100 + markup) / 100,
                    status,
                })
        })
        .collect()
}

/// Free (uncommitted) stock: `(sku, node, quantity)`. A zero row means the material is
/// kept there but everything on hand is promised to open orders.
#[rustfmt::skip]
pub(super) const FREE_STOCK: &[(&str, &str, i64)] = &[
    ("FAB-CNV-NAVY", "FB", 9_000), ("FAB-CNV-NAVY", "WH", 6_000),
    ("FAB-CNV-SAND", "WH", 7_000), ("FAB-CNV-SAND", "FB", 1_500),
    ("FAB-CNV-BLACK", "FB", 8_000),
    ("FAB-CNV-RUST", "FB", 0),
    // One bag's worth: the niche colour was never expected to sell.
    ("FAB-CNV-LAGOON", "FB", 250),
    ("FAB-LIN-NATURAL", "WH", 9_000), ("FAB-LIN-NATURAL", "FB", 2_000),
    ("FAB-LIN-STONE", "WH", 0),
    // Leftover of the frozen seasonal colour: a candidate for reuse.
    ("FAB-LIN-SAGE", "WH", 1_300),
    ("FAB-LIN-INDIGO", "FB", 0),
    ("FAB-LIN-OLIVE", "FB", 0),
    ("FAB-LINING-COTTON", "FB", 15_000), ("FAB-LINING-COTTON", "WH", 10_000),
    // Pre-sewn lining pouches: small orders of the tote skip that step (postponement).
    ("SF-TOTE-LINING", "FB", 6),
    ("FAB-LINING-STRIPE", "FB", 4_000),
    ("FAB-MESH-WHITE", "FS", 6_000),
    ("LEA-TAN", "FB", 300), ("LEA-TAN", "WH", 1_500),
    ("LEA-COGNAC", "FB", 0),
    ("LEA-BLACK", "FB", 900),
    ("LEA-UPPER-WHITE", "FS", 1_200),
    ("LEA-UPPER-BLACK", "FS", 800),
    ("LEA-SUEDE-GREY", "WH", 450),
    ("LEA-SUEDE-SAND", "FS", 0),
    ("LEA-NUBUCK-BORDEAUX", "FS", 0),
    ("ZIP-COIL-40", "FB", 400), ("ZIP-COIL-40", "WH", 300),
    ("ZIP-BRASS-60", "FB", 60),
    ("ZIP-NICKEL-60", "FB", 45),
    ("ZIP-GUNMETAL-60", "FB", 0),
    ("BKL-BRASS", "FB", 240),
    ("BKL-NICKEL", "FB", 180),
    ("BKL-GUNMETAL", "FB", 0),
    ("SNAP-MAGNETIC", "FB", 150),
    ("CLIP-SWIVEL", "FB", 120), ("CLIP-SWIVEL", "WH", 100),
    ("EYELET-SILVER", "FS", 3_000), ("EYELET-SILVER", "WH", 2_000),
    ("SOLE-CUP-WHITE", "FS", 60), ("SOLE-CUP-WHITE", "WH", 40),
    ("SOLE-CUP-GUM", "FS", 36),
    ("SOLE-CUP-BLACK", "FS", 0),
    ("SOLE-EVA-RUNNER", "FS", 0),
    ("LACE-WHITE", "FS", 150), ("LACE-WHITE", "WH", 200),
    ("LACE-BLACK", "FS", 90),
    ("LACE-WAXED-TAN", "FS", 20),
    ("THR-POLY-NATURAL", "FB", 30_000), ("THR-POLY-NATURAL", "FS", 15_000),
    ("THR-POLY-NATURAL", "WH", 20_000),
    ("THR-EMB-GOLD", "WH", 2_500),
    ("PKG-DUSTBAG", "WH", 400),
    ("PKG-SHOEBOX", "WH", 120),
    ("PKG-MAILER", "WH", 600),
    ("WEB-COTTON", "FB", 6_000),
    ("INSOLE-LEATHER", "FS", 0),
];

/// `(reference, sku, destination, supplier or sending node, quantity, ETA in days from
/// today, raised days ago, status)`.
type InboundLine = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    u64,
    u64,
    InboundStatus,
);

/// Inbound supply as of `today`, with the quantities still free; open orders that wait
/// for a line are added to it by [`commit_open_orders`].
pub(super) fn inbound(today: NaiveDate) -> Vec<Inbound> {
    #[rustfmt::skip]
    let lines: [InboundLine; 11] = [
        ("PO-1041", "FAB-CNV-LAGOON", "FB", "S-TEX", 5_000, 9, 2, InboundStatus::Confirmed),
        ("PO-1042", "FAB-LIN-STONE", "WH", "S-TEX", 5_000, 6, 8, InboundStatus::Confirmed),
        ("PO-1043", "LEA-COGNAC", "FB", "S-LTH", 1_000, 12, 6, InboundStatus::Confirmed),
        ("PO-1044", "ZIP-GUNMETAL-60", "FB", "S-HDW", 200, 5, 1, InboundStatus::Confirmed),
        ("PO-1044", "BKL-GUNMETAL", "FB", "S-HDW", 400, 5, 1, InboundStatus::Confirmed),
        ("PO-1045", "LEA-SUEDE-SAND", "FS", "S-LTH", 500, 18, 3, InboundStatus::Confirmed),
        ("PO-1046", "SOLE-CUP-BLACK", "FS", "S-SOL", 48, 7, 8, InboundStatus::Confirmed),
        ("PO-1047", "INSOLE-LEATHER", "FS", "S-SOL", 48, 10, 2, InboundStatus::Confirmed),
        ("PO-1048", "PKG-SHOEBOX", "WH", "S-HDW", 200, 20, 0, InboundStatus::Confirmed),
        ("TR-0107", "LEA-TAN", "FB", "WH", 600, 1, 0, InboundStatus::Confirmed),
        // Drafted but not sent: rust canvas still waits for the supplier's lead time.
        ("PO-1049", "FAB-CNV-RUST", "FB", "S-TEX", 5_000, 14, 0, InboundStatus::Draft),
    ];
    lines
        .into_iter()
        .map(|(reference, sku, node, from, quantity, eta, raised, status)| {
            let transfer = reference.starts_with("TR-");
            Inbound {
                sku: sku.into(),
                node: node.into(),
                kind: if transfer {
                    InboundKind::Transfer
                } else {
                    InboundKind::Purchase
                },
                supplier: (!transfer).then(|| from.into()),
                from_node: transfer.then(|| from.into()),
                quantity,
                eta: today + Days::new(eta),
                status,
                reference: reference.into(),
                created_at: days_ago(today, raised),
            }
        })
        .collect()
}

/// How soon a material can be had, for the quotes the history pretends were given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Availability {
    /// Free stock somewhere.
    OnHand,
    /// A confirmed line arrives in this many days.
    Inbound(i64),
    /// Only the supplier's mean lead time, in days.
    Supplier(f64),
    /// Nobody can supply it.
    Unsuppliable,
}

/// The availability of every material, from the tables above.
pub(super) fn availability(
    materials: &[Material],
    offers: &[SupplierMaterial],
    inbound: &[Inbound],
    today: NaiveDate,
) -> BTreeMap<String, Availability> {
    materials
        .iter()
        .map(|m| {
            let free: i64 = FREE_STOCK
                .iter()
                .filter(|(sku, _, _)| *sku == m.sku)
                .map(|s| s.2)
                .sum();
            let eta = inbound
                .iter()
                .filter(|i| i.sku == m.sku && i.status == InboundStatus::Confirmed)
                .map(|i| (i.eta - today).num_days())
                .min();
            let lead = offers
                .iter()
                .filter(|o| o.sku == m.sku && o.status == SupplyStatus::Active)
                .map(|o| o.lead_time_mean_days)
                .reduce(f64::min);
            let availability = match (free > 0, eta, lead) {
                (true, _, _) => Availability::OnHand,
                (false, Some(days), _) => Availability::Inbound(days),
                (false, None, Some(days)) => Availability::Supplier(days),
                (false, None, None) => Availability::Unsuppliable,
            };
            (m.sku.clone(), availability)
        })
        .collect()
}

/// Stock rows and reservations once the open orders have taken what they need.
///
/// Each open order reserves every material of its bill: from free stock (the producing
/// node's first), else from the earliest confirmed inbound line, else from stock that is
/// already fully promised. Reserved units are added to on-hand (or to the inbound line),
/// so the free quantities of [`FREE_STOCK`] and [`inbound`] stay what they say.
pub(super) fn commit_open_orders(
    products: &[Product],
    orders: &[Order],
    inbound: &mut [Inbound],
) -> (Vec<Stock>, Vec<Reservation>) {
    let mut stock: Vec<Stock> = FREE_STOCK
        .iter()
        .map(|&(sku, node, free)| Stock {
            sku: sku.into(),
            node: node.into(),
            on_hand: free,
            reserved: 0,
        })
        .collect();
    let mut reservations = Vec::new();
    for (index, order) in orders.iter().enumerate().filter(|(_, o)| o.status.is_open()) {
        let product = &products[order.product];
        for (sku, per_unit) in requirements(product, &order.selection) {
            let quantity = per_unit * order.quantity;
            let here = |s: &Stock| s.sku == sku && s.node == product.producing_node;
            let with_free = |s: &Stock| s.sku == sku && s.on_hand > s.reserved;
            let from_stock = stock
                .iter()
                .position(|s| here(s) && with_free(s))
                .or_else(|| stock.iter().position(with_free));
            let from_inbound = inbound
                .iter()
                .enumerate()
                .filter(|(_, i)| i.sku == sku && i.status == InboundStatus::Confirmed)
                .min_by_key(|(_, i)| i.eta)
                .map(|(at, _)| at);
            let (node, line) = match (from_stock, from_inbound) {
                (None, Some(at)) => {
                    inbound[at].quantity += quantity;
                    (inbound[at].node.clone(), Some(at))
                }
                (Some(at), _) => {
                    stock[at].on_hand += quantity;
                    stock[at].reserved += quantity;
                    (stock[at].node.clone(), None)
                }
                (None, None) => {
                    let at = stock
                        .iter()
                        .position(here)
                        .or_else(|| stock.iter().position(|s| s.sku == sku));
                    let at = at.unwrap_or_else(|| {
                        stock.push(Stock {
                            sku: sku.into(),
                            node: product.producing_node.clone(),
                            on_hand: 0,
                            reserved: 0,
                        });
                        stock.len() - 1
                    });
                    stock[at].on_hand += quantity;
                    stock[at].reserved += quantity;
                    (stock[at].node.clone(), None)
                }
            };
            reservations.push(Reservation {
                order: index,
                sku: sku.into(),
                node,
                inbound: line,
                quantity,
            });
        }
    }
    (stock, reservations)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::seed::catalog::materials;

    #[test]
    fn every_material_has_an_offer_and_a_stock_row() {
        let materials = materials();
        let offers = supplier_materials(&materials);
        for m in &materials {
            assert!(offers.iter().any(|o| o.sku == m.sku), "{} has no supplier", m.sku);
            assert!(
                FREE_STOCK.iter().any(|s| s.0 == m.sku),
                "{} has no stock row",
                m.sku
            );
        }
        let rows: BTreeSet<(&str, &str)> = FREE_STOCK.iter().map(|s| (s.0, s.1)).collect();
        assert_eq!(
            rows.len(),
            FREE_STOCK.len(),
            "one stock row per material and node"
        );
    }

    #[test]
    fn only_the_unsuppliable_material_lacks_an_active_source() {
        let materials = materials();
        let offers = supplier_materials(&materials);
        let today = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
        let availability = availability(&materials, &offers, &inbound(today), today);
        let stranded: Vec<&String> = availability
            .iter()
            .filter(|(_, a)| **a == Availability::Unsuppliable)
            .map(|(s, _)| s)
            .collect();
        assert_eq!(stranded, [UNSUPPLIABLE_SKU]);
    }

    #[test]
    fn offers_stay_within_realistic_terms() {
        for offer in supplier_materials(&materials()) {
            assert!((3.0..=25.0).contains(&offer.lead_time_mean_days), "{offer:?}");
            assert!((0.5..=5.0).contains(&offer.lead_time_sd_days), "{offer:?}");
            assert!(
                offer.moq >= offer.pack_size && offer.moq % offer.pack_size == 0,
                "{offer:?}"
            );
            assert!(offer.price_minor > 0, "{offer:?}");
        }
    }
}
