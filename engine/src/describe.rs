//! Constraints and freezes in words a shopper understands ("waiting for Navy canvas,
//! PO-1042 arriving 2 Dec", "Sewing booked until 5 Dec").

use chrono::NaiveDate;

use crate::matrix::Freeze;
use crate::quote::{Constraint, Source, Unavailable};
use crate::snapshot::{Snapshot, StepSource};
use crate::state::InboundKind;

/// `2 Dec`.
pub fn short_date(date: NaiveDate) -> String {
    date.format("%-d %b").to_string()
}

impl Snapshot {
    fn material_name(&self, material: u32) -> &str {
        self.state
            .materials
            .get(material as usize)
            .map_or("a material", |m| m.name.as_str())
    }

    fn work_center_name(&self, work_center: usize) -> &str {
        self.state
            .work_centers
            .get(work_center)
            .map_or("production", |w| w.name.as_str())
    }

    /// The binding constraint as a sentence.
    pub fn describe_constraint(&self, constraint: &Constraint) -> String {
        match constraint {
            Constraint::Production => "Everything is in stock: made to order for you".to_string(),
            Constraint::Material {
                material,
                ready_on,
                source,
            } => {
                let name = self.material_name(*material);
                let on = short_date(*ready_on);
                match source {
                    Source::Supply(StepSource::Inbound { inbound }) => match self.state.inbound.get(*inbound)
                    {
                        Some(line) if line.kind == InboundKind::Purchase => {
                            format!(
                                "Waiting for {name}: purchase order {} arriving {on}",
                                line.reference
                            )
                        }
                        _ => format!("Waiting for {name}: transfer arriving {on}"),
                    },
                    Source::Supply(StepSource::Transfer { stock, .. } | StepSource::OnHand { stock }) => {
                        let node = self
                            .state
                            .stock
                            .get(*stock)
                            .and_then(|s| self.state.nodes.get(s.node))
                            .map_or("another site", |n| n.name.as_str());
                        format!("Waiting for {name}: moving from {node}, arriving {on}")
                    }
                    Source::Supply(StepSource::Reservation { reservation }) => {
                        let supplier = self
                            .state
                            .reservations
                            .get(*reservation)
                            .map_or("the supplier", |r| r.supplier.as_str());
                        format!("Waiting for {name}: reserved at {supplier}, arriving {on}")
                    }
                    Source::SupplierOrder { offer, .. } => {
                        let supplier = self
                            .state
                            .offers
                            .get(*offer)
                            .map_or("the supplier", |o| o.supplier.as_str());
                        format!("Waiting for {name}: to be ordered from {supplier}, arriving {on}")
                    }
                }
            }
            Constraint::Capacity {
                work_center,
                booked_until,
                ..
            } => format!(
                "{} booked until {}",
                self.work_center_name(*work_center),
                short_date(*booked_until)
            ),
        }
    }

    /// Why a configuration cannot be promised, as a sentence.
    pub fn describe_unavailable(&self, unavailable: &Unavailable) -> String {
        match unavailable {
            Unavailable::NoSupply { material } => format!(
                "{} is out of stock and no supplier can deliver it",
                self.material_name(*material)
            ),
            Unavailable::PastLimit {
                material, ready_on, ..
            } => format!(
                "{} cannot arrive before {}",
                self.material_name(*material),
                short_date(*ready_on)
            ),
            Unavailable::NoCapacity { work_center } => format!(
                "{} has no free capacity in the next {} days",
                self.work_center_name(*work_center),
                self.state.horizon_days
            ),
            Unavailable::BatchSoldOut {
                material: Some(material),
                until,
            } => format!(
                "Sold out in the first batch (made by {}): no more {} on its way",
                short_date(*until),
                self.material_name(*material)
            ),
            Unavailable::BatchSoldOut {
                material: None,
                until,
            } => format!(
                "Sold out in the first batch: it cannot be made by {}",
                short_date(*until)
            ),
        }
    }

    /// Why a value is frozen, as a sentence.
    pub fn describe_freeze(&self, freeze: &Freeze) -> String {
        match freeze {
            Freeze::Merchant { reason, .. } => reason.clone(),
            Freeze::Engine { cause } => self.describe_unavailable(cause),
        }
    }
}
