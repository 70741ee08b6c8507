//! Reserving what a plan consumes, so the next quote cannot promise it again.
//!
//! PRODUCT.md: "two orders can never be promised the same unit or the same capacity
//! minute". Applying a [`Plan`] to the state it was made from moves every unit it takes
//! from uncommitted to committed and books every minute it takes.

use crate::quote::{Plan, Source};
use crate::snapshot::StepSource;
use crate::state::{InboundKind, InboundLine, ShopState};

impl ShopState {
    /// Commits everything `plan` uses. The plan must come from a snapshot of this very
    /// state (indices refer to its rows).
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
                Source::SupplierOrder { order_quantity, .. } => {
                    // The order is placed: it becomes inbound, its surplus uncommitted.
                    self.inbound.push(InboundLine {
                        material: used.material,
                        node: plan.producing_node,
                        kind: InboundKind::Purchase,
                        eta: used.arrives,
                        uncommitted: order_quantity - used.quantity,
                        reference: "new order".to_string(),
                    });
                }
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
}
