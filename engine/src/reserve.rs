//! Reserving what a plan consumes, so the next quote cannot promise it again.
//!
//! PRODUCT.md: "two orders can never be promised the same unit or the same capacity
//! minute". Applying a [`Plan`] to the state it was made from moves every unit it takes
//! from uncommitted to committed and books every minute it takes.

use crate::quote::{MinutesUse, Plan, Source};
use crate::snapshot::StepSource;
use crate::state::ShopState;

impl ShopState {
    /// Commits everything `plan` uses, exactly as the server's booking writes it (so a
    /// state reserved here equals the state read back after the booking). The plan
    /// must come from a snapshot of this very state (indices refer to its rows).
    pub fn reserve(&mut self, plan: &Plan) {
        for used in &plan.materials {
            match used.source {
                Source::Supply(StepSource::OnHand { stock } | StepSource::Transfer { stock, .. }) => {
                    self.stock[stock].reserved += used.quantity;
                }
                Source::Supply(StepSource::Inbound { inbound }) => {
                    self.inbound[inbound].uncommitted -= used.quantity;
                }
                Source::Supply(StepSource::Reservation { reservation }) => {
                    self.reservations[reservation].quantity -= used.quantity;
                }
                // Booking an order places no purchase order: the merchant's draft does,
                // and until it is confirmed every order is promised its own supplier
                // lead time, which the supplier's (unlimited) capacity allows.
                Source::SupplierOrder { .. } => {}
            }
        }
        for used in &plan.minutes {
            *self.work_centers[used.work_center]
                .load
                .booked
                .entry(used.day)
                .or_default() += used.minutes;
        }
    }

    /// Frees `minutes` booked earlier (an order's, before its production is moved): the
    /// inverse of the minutes part of [`ShopState::reserve`].
    pub fn release_minutes(&mut self, minutes: &[MinutesUse]) {
        for used in minutes {
            let booked = &mut self.work_centers[used.work_center].load.booked;
            if let Some(day) = booked.get_mut(&used.day) {
                *day = day.saturating_sub(used.minutes);
                if *day == 0 {
                    booked.remove(&used.day);
                }
            }
        }
    }
}
