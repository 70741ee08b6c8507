//! Allocation per sales channel: stock a merchant keeps for one channel (wholesale,
//! say) that quotes and orders of every other channel must leave alone.
//!
//! An allocation is a floor, not a quota: while units are kept for `wholesale`, other
//! channels may take the free stock only down to that many units; `wholesale` itself
//! may take everything. So a channel's view of the shop is the shop with every *other*
//! channel's kept units counted as reserved, which is all the quote engine needs to know:
//! the supply curves, freezes and plans built from that view never reach the kept units.

use std::collections::BTreeSet;

use crate::state::ShopState;

impl ShopState {
    /// The channels some stock is kept for, sorted and without repeats.
    pub fn allocated_channels(&self) -> BTreeSet<&str> {
        self.allocations.iter().map(|a| a.channel.as_str()).collect()
    }

    /// The shop as an order of `channel` sees it: the units kept for other channels are
    /// held back (at most what is free at their node, so nothing already reserved is
    /// counted twice). Indices are unchanged, so a plan made on this view books against
    /// the shop itself.
    pub fn for_channel(&self, channel: &str) -> ShopState {
        let mut view = self.clone();
        for kept in self.allocations.iter().filter(|a| a.channel != channel) {
            let row = view
                .stock
                .iter_mut()
                .find(|s| s.material == kept.material && s.node == kept.node);
            if let Some(row) = row {
                let free = (row.on_hand - row.reserved).max(0);
                row.reserved += kept.quantity.clamp(0, free);
            }
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use crate::Snapshot;
    use crate::state::Allocation;
    use crate::testkit::*;

    const NAVY_V: (usize, usize) = (0, 0);

    fn keep(channel: &str, quantity: i64) -> Allocation {
        Allocation {
            material: NAVY,
            node: FACTORY,
            channel: channel.into(),
            quantity,
        }
    }

    /// Navy bags of `quantity` as `channel` can have them today (100 cm each).
    fn today_for(state: &crate::ShopState, channel: &str, quantity: u32) -> bool {
        let snapshot = Snapshot::build(state.for_channel(channel));
        let product = snapshot.state.products[0].clone();
        snapshot
            .quote(&product, &[NAVY_V], quantity)
            .is_ok_and(|q| q.constraint == crate::Constraint::Production)
    }

    #[test]
    fn other_channels_leave_the_kept_units_and_the_owner_takes_them() {
        // 1,000 cm of navy: 600 kept for wholesale leaves web 4 bags from stock.
        let mut state = shop();
        state.allocations.push(keep("wholesale", 600));
        assert!(today_for(&state, "web", 4));
        assert!(
            !today_for(&state, "web", 5),
            "the fifth bag would eat into wholesale's units"
        );
        assert!(today_for(&state, "wholesale", 10));
    }

    #[test]
    fn several_channels_each_keep_their_own() {
        let mut state = shop();
        state.allocations.push(keep("wholesale", 300));
        state.allocations.push(keep("retail", 500));
        assert!(today_for(&state, "web", 2) && !today_for(&state, "web", 3));
        assert!(today_for(&state, "wholesale", 5) && !today_for(&state, "wholesale", 6));
        assert!(today_for(&state, "retail", 7) && !today_for(&state, "retail", 8));
        assert_eq!(
            state.allocated_channels().into_iter().collect::<Vec<_>>(),
            ["retail", "wholesale"]
        );
    }

    #[test]
    fn kept_units_never_exceed_what_is_free() {
        let mut state = shop();
        stock(&mut state, NAVY, FACTORY, 1_000);
        state
            .stock
            .iter_mut()
            .find(|s| s.material == NAVY)
            .unwrap()
            .reserved = 900;
        state.allocations.push(keep("wholesale", 600));
        let view = state.for_channel("web");
        let navy = view.stock.iter().find(|s| s.material == NAVY).unwrap();
        assert_eq!(navy.reserved, 1_000, "only the 100 free units are held back");
    }
}
