//! Preorders of a presale product: its first batch.
//!
//! A product in presale with a first batch (`Product::first_batch_until`) is promised
//! only from supply already there or on its way (stock, confirmed inbound, transfers,
//! reserved supplier capacity; never a new supplier order) and only when production
//! finishes by the batch's last day: [`Snapshot::quote`] answers
//! [`Unavailable::BatchSoldOut`](crate::Unavailable::BatchSoldOut) otherwise. The cap
//! is therefore the supply and capacity themselves: every preorder reserves what it
//! uses, so the batch can never be promised twice, and the shopper is told how many
//! units are left.

use crate::quote::Chosen;
use crate::snapshot::Snapshot;
use crate::state::Product;

impl Snapshot {
    /// How many units of the configuration the first batch can still make, at most
    /// `max`; `None` for a product without a first batch. Quotes grow no earlier with
    /// quantity, so the answer is the last quantity that fits, found by bisection.
    pub fn batch_left(&self, product: &Product, chosen: &Chosen, max: u32) -> Option<u32> {
        product.first_batch_until?;
        let fits = |quantity: u32| self.quote(product, chosen, quantity).is_ok();
        if !fits(1) {
            return Some(0);
        }
        Some(crate::split::last_that_fits(1, max, fits))
    }
}

#[cfg(test)]
mod tests {
    use crate::quote::Unavailable;
    use crate::state::ShopState;
    use crate::testkit::*;
    use crate::{Snapshot, Source};

    const NAVY_V: (usize, usize) = (0, 0);
    const LAGOON_V: (usize, usize) = (0, 1);

    /// The test shop in presale until `until`, with a supplier for every canvas.
    fn presale(until: chrono::NaiveDate) -> ShopState {
        let mut state = shop();
        state.products[0].first_batch_until = Some(until);
        supplier(&mut state, NAVY, 5.0, 1.0);
        supplier(&mut state, LAGOON, 5.0, 1.0);
        state
    }

    fn left(state: ShopState, chosen: &[(usize, usize)]) -> Option<u32> {
        let snapshot = Snapshot::build(state);
        let product = snapshot.state.products[0].clone();
        snapshot.batch_left(&product, chosen, 1_000)
    }

    #[test]
    fn the_batch_is_what_stock_and_inbound_make_never_a_supplier_order() {
        // 1,000 cm of navy in stock: 10 bags; the fast supplier does not add any.
        assert_eq!(left(presale(d(12, 31)), &[NAVY_V]), Some(10));
        // Lagoon: the 1,000 cm on PO-7 arriving 1 Dec.
        assert_eq!(left(presale(d(12, 31)), &[LAGOON_V]), Some(10));
        let snapshot = Snapshot::build(presale(d(12, 31)));
        let product = snapshot.state.products[0].clone();
        let (_, plan) = snapshot.plan(&product, &[NAVY_V], 10).unwrap();
        assert!(
            plan.materials
                .iter()
                .all(|m| !matches!(m.source, Source::SupplierOrder { .. }))
        );
        assert_eq!(
            snapshot.quote(&product, &[NAVY_V], 11),
            Err(Unavailable::BatchSoldOut {
                material: Some(NAVY),
                until: d(12, 31)
            })
        );
    }

    #[test]
    fn supply_arriving_after_the_batch_does_not_count() {
        // Lagoon's PO arrives 1 Dec, after a batch made by 30 Nov.
        assert_eq!(left(presale(d(11, 30)), &[LAGOON_V]), Some(0));
        assert_eq!(left(presale(d(11, 30)), &[NAVY_V]), Some(10));
    }

    #[test]
    fn capacity_caps_the_batch_too() {
        // A batch made today: sewing's 480 minutes take 30 setup + 60 a bag, so 7 bags
        // (450 minutes), however much canvas there is.
        let mut state = presale(d(11, 25));
        stock(&mut state, NAVY, FACTORY, 100_000);
        let n = left(state.clone(), &[NAVY_V]).unwrap();
        assert_eq!(n, 7);
        let snapshot = Snapshot::build(state);
        let product = snapshot.state.products[0].clone();
        assert!(snapshot.quote(&product, &[NAVY_V], n).is_ok());
        assert_eq!(
            snapshot.quote(&product, &[NAVY_V], n + 1),
            Err(Unavailable::BatchSoldOut {
                material: None,
                until: d(11, 25)
            })
        );
    }

    #[test]
    fn reserving_a_preorder_leaves_the_rest_of_the_batch() {
        let mut state = presale(d(12, 31));
        let snapshot = Snapshot::build(state.clone());
        let product = snapshot.state.products[0].clone();
        let (_, plan) = snapshot.plan(&product, &[NAVY_V], 3).unwrap();
        state.reserve(&plan);
        assert_eq!(left(state, &[NAVY_V]), Some(7));
    }

    #[test]
    fn a_product_without_a_batch_has_no_count_and_a_value_without_supply_is_frozen() {
        assert_eq!(left(shop(), &[NAVY_V]), None);
        let mut state = presale(d(12, 31));
        state.stock.retain(|s| s.material != NAVY);
        let snapshot = Snapshot::build(state);
        let product = snapshot.state.products[0].clone();
        let freeze = snapshot.freeze(&product, 0, 0, 1).expect("navy is sold out");
        assert_eq!(
            snapshot.describe_freeze(&freeze),
            "Sold out in the first batch (made by 31 Dec): no more Navy canvas on its way"
        );
    }
}
