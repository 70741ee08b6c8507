//! The policy matrix: what each ABC × XYZ class is promised and how it is reviewed.

use serde::{Deserialize, Serialize};

use super::abc_xyz::{Abc, Xyz};

/// How much safety stock a material carries relative to the formula's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StockLevel {
    /// Half the formula's safety stock.
    Low,
    /// The formula's safety stock.
    Medium,
    /// One and a half times the formula's safety stock.
    High,
}

impl StockLevel {
    /// The factor applied to safety stock (PRODUCT.md: 0.5×, 1×, 1.5×).
    pub fn factor(self) -> f64 {
        match self {
            StockLevel::Low => 0.5,
            StockLevel::Medium => 1.0,
            StockLevel::High => 1.5,
        }
    }

    /// One level up, as a heat-spike suggestion raises it; High stays High.
    pub fn raised(self) -> StockLevel {
        match self {
            StockLevel::Low => StockLevel::Medium,
            StockLevel::Medium | StockLevel::High => StockLevel::High,
        }
    }
}

/// The policy of one ABC × XYZ cell.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassPolicy {
    /// Probability of not running out during a replenishment cycle, in (0, 1).
    pub service_level: f64,
    /// Days between reviews of the material (the order-up-to level covers them).
    pub review_days: u32,
    /// Days of demand the class aims to hold; kept with the policy for the alerts
    /// layer to compare with the coverage now.
    pub coverage_days: u32,
    /// Safety-stock factor of the class.
    pub stock_level: StockLevel,
}

const fn cell(
    service_level: f64,
    review_days: u32,
    coverage_days: u32,
    stock_level: StockLevel,
) -> ClassPolicy {
    ClassPolicy {
        service_level,
        review_days,
        coverage_days,
        stock_level,
    }
}

/// One policy per ABC × XYZ class, named by its cell (`ax` … `cz`) so the stored JSON
/// reads like the table in `docs/policies.md`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyMatrix {
    /// A X: valuable, steady demand.
    pub ax: ClassPolicy,
    /// A Y: valuable, variable demand.
    pub ay: ClassPolicy,
    /// A Z: valuable, unpredictable demand.
    pub az: ClassPolicy,
    /// B X: middling value, steady demand.
    pub bx: ClassPolicy,
    /// B Y: middling value, variable demand.
    pub by: ClassPolicy,
    /// B Z: middling value, unpredictable demand.
    pub bz: ClassPolicy,
    /// C X: cheap, steady demand.
    pub cx: ClassPolicy,
    /// C Y: cheap, variable demand.
    pub cy: ClassPolicy,
    /// C Z: cheap, unpredictable demand.
    pub cz: ClassPolicy,
}

impl Default for PolicyMatrix {
    /// Textbook defaults (the reasons are in `docs/policies.md`): service falls from A
    /// to C, since a stock-out of a valuable material costs most sales while its buffer
    /// costs most money, and from X to Z, where each point of service costs far more
    /// stock; review goes from weekly (A) to fortnightly (B) to monthly (C); Z classes
    /// hold a low stock level because their buffer is least predictable and most
    /// expensive per unit of protection.
    fn default() -> Self {
        use StockLevel::*;
        PolicyMatrix {
            ax: cell(0.98, 7, 14, Medium),
            ay: cell(0.97, 7, 14, Medium),
            az: cell(0.95, 7, 14, Low),
            bx: cell(0.96, 14, 21, Medium),
            by: cell(0.95, 14, 21, Medium),
            bz: cell(0.92, 14, 21, Low),
            cx: cell(0.93, 30, 30, Medium),
            cy: cell(0.90, 30, 30, Medium),
            cz: cell(0.85, 30, 30, Low),
        }
    }
}

impl PolicyMatrix {
    /// The policy of a class.
    pub fn get(&self, abc: Abc, xyz: Xyz) -> &ClassPolicy {
        match (abc, xyz) {
            (Abc::A, Xyz::X) => &self.ax,
            (Abc::A, Xyz::Y) => &self.ay,
            (Abc::A, Xyz::Z) => &self.az,
            (Abc::B, Xyz::X) => &self.bx,
            (Abc::B, Xyz::Y) => &self.by,
            (Abc::B, Xyz::Z) => &self.bz,
            (Abc::C, Xyz::X) => &self.cx,
            (Abc::C, Xyz::Y) => &self.cy,
            (Abc::C, Xyz::Z) => &self.cz,
        }
    }

    /// The policy of a class, to change it.
    pub fn get_mut(&mut self, abc: Abc, xyz: Xyz) -> &mut ClassPolicy {
        match (abc, xyz) {
            (Abc::A, Xyz::X) => &mut self.ax,
            (Abc::A, Xyz::Y) => &mut self.ay,
            (Abc::A, Xyz::Z) => &mut self.az,
            (Abc::B, Xyz::X) => &mut self.bx,
            (Abc::B, Xyz::Y) => &mut self.by,
            (Abc::B, Xyz::Z) => &mut self.bz,
            (Abc::C, Xyz::X) => &mut self.cx,
            (Abc::C, Xyz::Y) => &mut self.cy,
            (Abc::C, Xyz::Z) => &mut self.cz,
        }
    }

    /// Every cell with its class, A X first.
    pub fn cells(&self) -> impl Iterator<Item = (Abc, Xyz, &ClassPolicy)> {
        [Abc::A, Abc::B, Abc::C]
            .into_iter()
            .flat_map(|abc| [Xyz::X, Xyz::Y, Xyz::Z].map(|xyz| (abc, xyz)))
            .map(|(abc, xyz)| (abc, xyz, self.get(abc, xyz)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_a_stock_level_stops_at_high() {
        assert_eq!(StockLevel::Low.raised(), StockLevel::Medium);
        assert_eq!(StockLevel::Medium.raised(), StockLevel::High);
        assert_eq!(StockLevel::High.raised(), StockLevel::High);
        assert!(StockLevel::Low.factor() < StockLevel::Medium.factor());
        assert!(StockLevel::Medium.factor() < StockLevel::High.factor());
    }

    #[test]
    fn get_and_get_mut_reach_the_same_cell() {
        let mut m = PolicyMatrix::default();
        let mut n = 0;
        for abc in [Abc::A, Abc::B, Abc::C] {
            for xyz in [Xyz::X, Xyz::Y, Xyz::Z] {
                n += 1;
                m.get_mut(abc, xyz).review_days = n;
            }
        }
        let seen: Vec<u32> = m.cells().map(|(_, _, p)| p.review_days).collect();
        assert_eq!(seen, (1..=9).collect::<Vec<_>>());
        assert_eq!(m.get(Abc::B, Xyz::Z).review_days, 6);
    }

    #[test]
    fn default_service_never_rises_towards_c_or_z() {
        let m = PolicyMatrix::default();
        for (abc, xyz, p) in m.cells() {
            if abc != Abc::C {
                let next = if abc == Abc::A { Abc::B } else { Abc::C };
                assert!(m.get(next, xyz).service_level <= p.service_level, "{abc}{xyz}");
            }
            if xyz != Xyz::Z {
                let next = if xyz == Xyz::X { Xyz::Y } else { Xyz::Z };
                assert!(m.get(abc, next).service_level <= p.service_level, "{abc}{xyz}");
            }
        }
    }
}
