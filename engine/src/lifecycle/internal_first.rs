//! A shortage covered from inside the company before anything is bought (PRODUCT.md,
//! "Internal first").
//!
//! A shortage is a quantity of a material needed at a node by a date: an order at risk,
//! a policy below its reorder point, an overconsumption. [`cover`] fills it in a fixed
//! order, each step only with what the earlier ones left:
//! 1. transfers of other nodes' [`surplus`] (on hand − reserved − safety stock), over
//!    the lanes to the short node, earliest arrival first, then the cheapest lane, then
//!    the largest surplus; a node with no lane to the short node cannot send;
//! 2. parts freed by cancelled orders, at the short node or over a lane, earliest first;
//! 3. a purchase-order draft for the rest, from the cheapest offer that arrives by the
//!    date, else from the fastest one and marked `expedite`. Its quantity honours the
//!    offer's MOQ and pack size ([`Replenishment::order_quantity`]).
//!
//! Internal steps are suggested even when they arrive late (flagged `on_time: false`):
//! moving stock the company already owns is still cheaper than buying more of it.
//!
//! [`Replenishment::order_quantity`]: crate::supply::Replenishment::order_quantity

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::surplus::{NodeStock, surplus};
use super::{OrderId, value_of};
use crate::money::Money;
use crate::requirements::MaterialId;
use crate::state::{Lane, NodeId, SupplierOffer};

/// A quantity of a material missing at a node by a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortage {
    /// The material.
    pub material: MaterialId,
    /// The node that is short.
    pub node: NodeId,
    /// Units missing.
    pub quantity: i64,
    /// The day the units must be there (the promise or the reorder's deadline).
    pub needed_by: NaiveDate,
    /// The material's unit cost, for the value of what moves.
    pub unit_cost: Money,
}

/// Units of the material that a cancelled order no longer needs (already picked, cut or
/// issued to production, so not in the node's stock figures).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreedParts {
    /// The cancelled order.
    pub order: OrderId,
    /// Where the parts are.
    pub node: NodeId,
    /// How many.
    pub quantity: i64,
}

/// Everything that could cover one shortage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    /// The material's stock at every node (the short node's own row is ignored: its
    /// stock is already counted in the shortage).
    pub stock: Vec<NodeStock>,
    /// The shop's transfer lanes.
    pub lanes: Vec<Lane>,
    /// Parts freed by cancelled orders.
    pub freed: Vec<FreedParts>,
    /// Active supplier offers (offers of other materials are ignored).
    pub offers: Vec<SupplierOffer>,
}

/// Move surplus from another node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The sending node's stock before the transfer, and its buffer.
    pub from: NodeStock,
    /// The sending node's surplus before the transfer.
    pub surplus: i64,
    /// The short node.
    pub to: NodeId,
    /// Units to move, at most `surplus`.
    pub quantity: i64,
    /// Arrival: today plus the lane's lead time.
    pub arrives: NaiveDate,
    /// Whether it arrives by the shortage's date.
    pub on_time: bool,
    /// Value of the units moved (quantity × unit cost): what a rule's cap compares.
    pub value: Money,
    /// What moving them costs (quantity × the lane's cost per unit).
    pub cost: Money,
}

/// Take parts a cancelled order freed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreedUse {
    /// The cancelled order and its parts, before this use.
    pub parts: FreedParts,
    /// The short node.
    pub to: NodeId,
    /// Units taken.
    pub quantity: i64,
    /// Arrival: today at the short node, else today plus the lane's lead time.
    pub arrives: NaiveDate,
    /// Whether it arrives by the shortage's date.
    pub on_time: bool,
    /// Value of the units taken (quantity × unit cost).
    pub value: Money,
    /// What moving them costs (0 at the short node).
    pub cost: Money,
}

/// A purchase order to draft for what internal sources could not cover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchaseDraft {
    /// The supplier of the chosen offer.
    pub supplier: String,
    /// Units still missing after the internal steps.
    pub shortfall: i64,
    /// Units to order: the shortfall raised to the MOQ and whole packs.
    pub quantity: i64,
    /// The offer's mean lead time, rounded up to whole days.
    pub lead_time_days: u32,
    /// Arrival: today plus `lead_time_days`.
    pub arrives: NaiveDate,
    /// The normal lead time misses the shortage's date: ask the supplier to hurry.
    pub expedite: bool,
    /// Quantity × the offer's price.
    pub value: Money,
}

/// One suggestion of a cover, in the order it is tried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoverStep {
    /// Another node's surplus.
    Transfer(Transfer),
    /// Parts a cancelled order freed.
    Freed(FreedUse),
    /// A purchase-order draft.
    Purchase(PurchaseDraft),
}

/// How one shortage is covered, with everything the suggestions were made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    /// The shortage.
    pub shortage: Shortage,
    /// The suggestions in the order they were tried; their internal quantities and the
    /// draft's shortfall add up to the shortage, less `uncovered`.
    pub steps: Vec<CoverStep>,
    /// Units nothing covers: no surplus, parts or offer were left for them.
    pub uncovered: i64,
}

/// Covers `shortage` from `sources` as of `today`: surplus transfers, then freed parts,
/// then a purchase-order draft (module docs). A transfer never takes a node below its
/// safety stock.
pub fn cover(shortage: &Shortage, sources: &Sources, today: NaiveDate) -> Cover {
    let mut missing = shortage.quantity.max(0);
    let mut steps = Vec::new();
    for (lane, from) in senders(shortage, sources) {
        let available = surplus(&from);
        let quantity = available.min(missing);
        if quantity <= 0 {
            continue;
        }
        missing -= quantity;
        let arrives = after(today, lane.lead_time_days);
        steps.push(CoverStep::Transfer(Transfer {
            from,
            surplus: available,
            to: shortage.node,
            quantity,
            arrives,
            on_time: arrives <= shortage.needed_by,
            value: value_of(quantity, shortage.unit_cost),
            cost: value_of(quantity, Money(lane.cost_per_unit)),
        }));
    }
    for (days, cost_per_unit, parts) in freed(shortage, sources) {
        let quantity = parts.quantity.min(missing);
        if quantity <= 0 {
            continue;
        }
        missing -= quantity;
        let arrives = after(today, days);
        steps.push(CoverStep::Freed(FreedUse {
            parts,
            to: shortage.node,
            quantity,
            arrives,
            on_time: arrives <= shortage.needed_by,
            value: value_of(quantity, shortage.unit_cost),
            cost: value_of(quantity, Money(cost_per_unit)),
        }));
    }
    if missing > 0
        && let Some(draft) = purchase(shortage, &sources.offers, missing, today)
    {
        missing = 0;
        steps.push(CoverStep::Purchase(draft));
    }
    Cover {
        shortage: *shortage,
        steps,
        uncovered: missing,
    }
}

fn after(today: NaiveDate, days: u32) -> NaiveDate {
    today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Other nodes with a surplus and a lane to the short node, in the order they send.
fn senders(shortage: &Shortage, sources: &Sources) -> Vec<(Lane, NodeStock)> {
    let mut senders: Vec<(Lane, NodeStock)> = sources
        .stock
        .iter()
        .filter(|s| s.node != shortage.node && surplus(s) > 0)
        .filter_map(|s| Some((Lane::fastest(&sources.lanes, s.node, shortage.node)?, *s)))
        .collect();
    senders.sort_by_key(|(lane, s)| {
        (
            lane.lead_time_days,
            lane.cost_per_unit,
            std::cmp::Reverse(surplus(s)),
            s.node,
        )
    });
    senders
}

/// Freed parts that can reach the short node, with their days and cost per unit,
/// earliest first.
fn freed(shortage: &Shortage, sources: &Sources) -> Vec<(u32, i64, FreedParts)> {
    let mut freed: Vec<(u32, i64, FreedParts)> = sources
        .freed
        .iter()
        .filter(|p| p.quantity > 0)
        .filter_map(|p| {
            if p.node == shortage.node {
                return Some((0, 0, *p));
            }
            let lane = Lane::fastest(&sources.lanes, p.node, shortage.node)?;
            Some((lane.lead_time_days, lane.cost_per_unit, *p))
        })
        .collect();
    freed.sort_by_key(|&(days, cost, p)| (days, cost, p.order));
    freed
}

/// The draft for `missing` units: the cheapest offer on time, else the earliest.
fn purchase(
    shortage: &Shortage,
    offers: &[SupplierOffer],
    missing: i64,
    today: NaiveDate,
) -> Option<PurchaseDraft> {
    let drafts = offers
        .iter()
        .filter(|o| o.material == shortage.material)
        .map(|offer| {
            let quantity = offer.terms.order_quantity(missing);
            // Whole days, as the quote's supply ladder counts a supplier's P50.
            let lead_time_days = crate::supply::median_day(offer.terms.lead_time_mean_days);
            let arrives = after(today, lead_time_days);
            PurchaseDraft {
                supplier: offer.supplier.clone(),
                shortfall: missing,
                quantity,
                lead_time_days,
                arrives,
                expedite: arrives > shortage.needed_by,
                value: value_of(quantity, Money(offer.price)),
            }
        });
    // On time: the cheapest, then the earliest. None on time: the earliest, then the
    // cheapest. The supplier's name last, so equal offers always draft the same one.
    drafts.min_by_key(|d| {
        let cost_first = if d.expedite { Money(0) } else { d.value };
        (d.expedite, cost_first, d.arrives, d.value, d.supplier.clone())
    })
}

#[cfg(test)]
mod tests;
