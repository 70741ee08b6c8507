//! Split delivery, as SAP's availability check proposes it: when the whole quantity
//! cannot arrive as early as part of it could, deliver the most units that can arrive
//! on that earliest date first and the rest when it can be made.
//!
//! The second part is quoted on the state with the first part reserved, so the two
//! never count on the same unit or minute, and an order taking the split books both
//! plans one after the other, exactly as they were quoted.

use crate::quote::{Chosen, Plan, Quote};
use crate::snapshot::Snapshot;
use crate::state::Product;

/// One delivery of a split order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// Units in it.
    pub quantity: u32,
    /// When it arrives.
    pub quote: Quote,
    /// What it uses; the second delivery's plan is made after the first's is reserved.
    pub plan: Plan,
}

impl Snapshot {
    /// The split of `quantity` units into an early and a later delivery, or `None` when
    /// one delivery is as early as a part could be (or the whole cannot be promised).
    pub fn split(&self, product: &Product, chosen: &Chosen, quantity: u32) -> Option<[Delivery; 2]> {
        if quantity < 2 {
            return None;
        }
        let whole = self.quote(product, chosen, quantity).ok()?;
        let earliest = self.quote(product, chosen, 1).ok()?.p50;
        if earliest >= whole.p50 {
            return None;
        }
        let on_time = |k: u32| self.quote(product, chosen, k).is_ok_and(|q| q.p50 <= earliest);
        let first = last_that_fits(1, quantity - 1, on_time);
        let (first_quote, first_plan) = self.plan(product, chosen, first).ok()?;
        let mut rest_state = self.state.clone();
        rest_state.reserve(&first_plan);
        let (rest_quote, rest_plan) = Snapshot::build(rest_state)
            .plan(product, chosen, quantity - first)
            .ok()?;
        Some([
            Delivery {
                quantity: first,
                quote: first_quote,
                plan: first_plan,
            },
            Delivery {
                quantity: quantity - first,
                quote: rest_quote,
                plan: rest_plan,
            },
        ])
    }
}

/// What a split order books: both deliveries' plans as one (reserving it equals
/// reserving the first, then the second), each material's and work center's uses
/// together, first delivery first.
pub fn combined(parts: &[Delivery]) -> Plan {
    let mut plan = Plan {
        producing_node: parts.first().map_or(0, |p| p.plan.producing_node),
        ..Plan::default()
    };
    for part in parts {
        plan.materials.extend(part.plan.materials.iter().cloned());
        plan.minutes.extend(part.plan.minutes.iter().copied());
        plan.operations.extend(part.plan.operations.iter().copied());
        plan.sourcing_cost += part.plan.sourcing_cost;
    }
    // Stable: within a material (or work center), the first delivery's uses stay first.
    plan.materials.sort_by_key(|m| m.material);
    plan.minutes.sort_by_key(|m| (m.work_center, m.day));
    plan
}

/// The largest `n` in `from..=to` with `fits(n)`, given `fits(from)` and that `fits`
/// never turns true again once false (quotes grow no earlier with quantity).
pub(crate) fn last_that_fits(from: u32, to: u32, fits: impl Fn(u32) -> bool) -> u32 {
    let (mut low, mut high) = (from, to.max(from));
    while low < high {
        let middle = low + (high - low).div_ceil(2);
        if fits(middle) {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use crate::{ShopState, Source};

    const NAVY_V: (usize, usize) = (0, 0);

    /// Navy: 1,000 cm in stock (10 bags), a supplier in 10 days; the line never full.
    fn shop_with_supplier() -> ShopState {
        let mut state = shop();
        supplier(&mut state, NAVY, 10.0, 2.0);
        for wc in &mut state.work_centers {
            wc.load.minutes_per_day = 10_000;
        }
        state
    }

    fn split(state: ShopState, quantity: u32) -> Option<[Delivery; 2]> {
        let snapshot = Snapshot::build(state);
        let product = snapshot.state.products[0].clone();
        snapshot.split(&product, &[NAVY_V], quantity)
    }

    #[test]
    fn stock_goes_first_and_the_rest_waits_for_the_supplier() {
        let [early, late] = split(shop_with_supplier(), 15).expect("15 bags split");
        assert_eq!((early.quantity, late.quantity), (10, 5));
        // In stock: made today, arrives Mon 30 Nov; the rest after the supplier's 10 days.
        assert_eq!(early.quote.p50, d(11, 30));
        assert!(late.quote.p50 > early.quote.p50);
        let snapshot = Snapshot::build(shop_with_supplier());
        let product = snapshot.state.products[0].clone();
        let whole = snapshot.quote(&product, &[NAVY_V], 15).unwrap();
        assert_eq!(
            late.quote.p50, whole.p50,
            "the rest comes when the whole would have"
        );
        assert!(
            early
                .plan
                .materials
                .iter()
                .all(|m| matches!(m.source, Source::Supply(_))),
            "the first delivery is all from stock"
        );
        assert!(
            late.plan
                .materials
                .iter()
                .any(|m| m.material == NAVY && matches!(m.source, Source::SupplierOrder { .. })),
            "the second waits for the supplier order"
        );
    }

    #[test]
    fn no_split_when_one_delivery_is_as_early() {
        assert!(split(shop_with_supplier(), 10).is_none());
        assert!(split(shop_with_supplier(), 1).is_none());
        // Without a supplier, 15 bags cannot be promised at all: no split either.
        assert!(split(shop(), 15).is_none());
    }

    #[test]
    fn the_first_part_is_as_large_as_the_early_date_allows() {
        for quantity in [11, 12, 30] {
            let [early, late] = split(shop_with_supplier(), quantity).unwrap();
            assert_eq!(early.quantity + late.quantity, quantity);
            assert_eq!(early.quantity, 10);
        }
    }

    #[test]
    fn reserving_the_combined_plan_is_reserving_both_deliveries() {
        let state = shop_with_supplier();
        let parts = split(state.clone(), 15).unwrap();
        let mut one_by_one = state.clone();
        one_by_one.reserve(&parts[0].plan);
        one_by_one.reserve(&parts[1].plan);
        let mut at_once = state;
        at_once.reserve(&combined(&parts));
        assert_eq!(at_once, one_by_one);
        let units: i64 = combined(&parts)
            .materials
            .iter()
            .filter(|m| m.material == NAVY)
            .map(|m| m.quantity)
            .sum();
        assert_eq!(units, 1_500, "15 bags of 100 cm");
    }

    #[test]
    fn bisection_finds_the_last_fitting_quantity() {
        for limit in 1..=40 {
            assert_eq!(last_that_fits(1, 40, |n| n <= limit), limit);
        }
        assert_eq!(last_that_fits(1, 1, |_| true), 1);
    }
}
