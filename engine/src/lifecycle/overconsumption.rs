//! Work in progress eating more material than planned (PRODUCT.md, "WIP
//! overconsumption"): a material whose reported consumption runs more than a threshold
//! above what the orders in production planned for it.
//!
//! The comparison is in integers, `actual × 100 > planned × (100 + threshold)`, so a
//! consumption exactly at the threshold (120 against 100 at 20 %) is not an alert and
//! no rounding decides a boundary.

use serde::{Deserialize, Serialize};

use super::OrderId;
use crate::requirements::MaterialId;

/// The default threshold: more than 20 % above plan (PRODUCT.md).
pub const DEFAULT_THRESHOLD_PERCENT: u32 = 20;

/// What one order in production planned to consume of a material (its bill of
/// materials for the work reported so far).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedUse {
    /// The order.
    pub order: OrderId,
    /// Units of the material it planned.
    pub planned: i64,
}

/// One material's planned and reported consumption over the same orders and period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialUse {
    /// The material.
    pub material: MaterialId,
    /// The orders in production that use it, with what each planned.
    pub orders: Vec<PlannedUse>,
    /// Units reported consumed (issued to production) for those orders.
    pub actual: i64,
}

/// A material consumed faster than planned: the alert's evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overconsumption {
    /// The material.
    pub material: MaterialId,
    /// Units the orders planned, summed.
    pub planned: i64,
    /// Units reported consumed.
    pub actual: i64,
    /// Units beyond plan: `actual − planned`.
    pub excess: i64,
    /// `actual / planned`; `None` when nothing was planned (any use is then beyond plan).
    pub ratio: Option<f64>,
    /// The threshold it crossed, percent above plan.
    pub threshold_percent: u32,
    /// The orders behind the plan, as given.
    pub orders: Vec<PlannedUse>,
}

/// The materials of `uses` consumed more than `threshold_percent` above plan, in the
/// order given.
pub fn overconsumed(uses: &[MaterialUse], threshold_percent: u32) -> Vec<Overconsumption> {
    uses.iter()
        .filter_map(|u| {
            let planned: i64 = u.orders.iter().map(|o| o.planned.max(0)).sum();
            let allowed = i128::from(planned) * (100 + i128::from(threshold_percent));
            (i128::from(u.actual) * 100 > allowed).then(|| Overconsumption {
                material: u.material,
                planned,
                actual: u.actual,
                excess: u.actual - planned,
                ratio: (planned > 0).then(|| u.actual as f64 / planned as f64),
                threshold_percent,
                orders: u.orders.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn material(material: MaterialId, planned: &[(OrderId, i64)], actual: i64) -> MaterialUse {
        MaterialUse {
            material,
            orders: planned
                .iter()
                .map(|&(order, planned)| PlannedUse { order, planned })
                .collect(),
            actual,
        }
    }

    #[test]
    fn consumption_beyond_the_threshold_is_alerted_with_its_orders() {
        // Planned 40 + 60 = 100, consumed 130: 30 % above plan, over 20 %.
        let uses = [material(3, &[(101, 40), (102, 60)], 130)];
        let alerts = overconsumed(&uses, DEFAULT_THRESHOLD_PERCENT);
        assert_eq!(
            alerts,
            [Overconsumption {
                material: 3,
                planned: 100,
                actual: 130,
                excess: 30,
                ratio: Some(1.3),
                threshold_percent: 20,
                orders: uses[0].orders.clone(),
            }]
        );
    }

    #[test]
    fn exactly_at_the_threshold_is_not_an_alert_and_one_unit_more_is() {
        // 120 × 100 = 12,000 = 100 × 120: not more. 121 is.
        assert!(overconsumed(&[material(1, &[(1, 100)], 120)], 20).is_empty());
        assert_eq!(overconsumed(&[material(1, &[(1, 100)], 121)], 20).len(), 1);
    }

    #[test]
    fn consumption_within_plan_or_below_it_is_quiet() {
        let uses = [material(1, &[(1, 100)], 100), material(2, &[(2, 50)], 10)];
        assert!(overconsumed(&uses, 20).is_empty());
    }

    #[test]
    fn a_threshold_of_zero_alerts_any_use_beyond_plan() {
        assert!(overconsumed(&[material(1, &[(1, 100)], 100)], 0).is_empty());
        assert_eq!(overconsumed(&[material(1, &[(1, 100)], 101)], 0).len(), 1);
    }

    #[test]
    fn use_with_nothing_planned_is_alerted_without_a_ratio() {
        let alerts = overconsumed(&[material(4, &[], 15)], 20);
        assert_eq!(
            (alerts[0].planned, alerts[0].excess, alerts[0].ratio),
            (0, 15, None)
        );
        // And no use with nothing planned is nothing.
        assert!(overconsumed(&[material(4, &[], 0)], 20).is_empty());
    }
}
