//! The admin's home page: the KPIs a merchant steers by, each with its definition
//! (`docs/kpis.md`), its weekly trend and the orders or materials behind it; the ABC-XYZ
//! matrix; what waits in the inbox.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::refusal::AdminError;

/// Weeks the dashboard looks back over when the URL says nothing.
pub const DEFAULT_WEEKS: u32 = 12;
/// The longest window: a year.
pub const MAX_WEEKS: u32 = 52;
/// Orders or materials listed under a KPI, the furthest off first.
pub const DRILL_LIMIT: usize = 100;

/// What the URL asks for: `?weeks=12&kpi=perfect_order_rate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardQuery {
    /// Whole weeks ending today.
    pub weeks: u32,
    /// The KPI whose orders are listed, if any.
    pub kpi: Option<KpiKey>,
}

impl DashboardQuery {
    /// Reads the URL's parameters, each empty for its default; a window that is not a
    /// whole number of weeks from 1 to [`MAX_WEEKS`], or an unknown KPI, is refused
    /// naming its parameter.
    pub fn from_query(weeks: &str, kpi: &str) -> Result<Self, AdminError> {
        let weeks = match weeks.trim() {
            "" => DEFAULT_WEEKS,
            text => text
                .parse::<u32>()
                .ok()
                .filter(|w| (1..=MAX_WEEKS).contains(w))
                .ok_or_else(|| {
                    AdminError::invalid(
                        "weeks",
                        format!("“{text}” is not a number of weeks from 1 to {MAX_WEEKS}"),
                    )
                })?,
        };
        let kpi = match kpi.trim() {
            "" => None,
            text => Some(
                KpiKey::parse(text)
                    .ok_or_else(|| AdminError::invalid("kpi", format!("“{text}” is not a KPI")))?,
            ),
        };
        Ok(DashboardQuery { weeks, kpi })
    }
}

impl Default for DashboardQuery {
    fn default() -> Self {
        DashboardQuery {
            weeks: DEFAULT_WEEKS,
            kpi: None,
        }
    }
}

/// The KPIs: measured from orders (promises) or from the stock's daily closes
/// (inventory).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKey {
    /// Orders delivered complete by their promised date over the orders due.
    PerfectOrderRate,
    /// Share delivered on or before the promised ("arrives by") date.
    ByPromise,
    /// Share delivered on or before the P90 date.
    ByP90,
    /// Share delivered on or before the P50 date.
    ByP50,
    /// Mean absolute difference between delivery and the P50 date, days.
    P50ErrorDays,
    /// Structure, age and fit of the stock, combined, out of 100.
    InventoryHealth,
    /// Times a year the stock turns.
    Turnover,
    /// Days the stock lasts at the recent pace.
    CoverageDays,
    /// Days until a policy followed a real change in demand.
    DemandSensing,
    /// Holding, expedite premiums, reservation fees and lost sales, in money.
    ResilienceCost,
}

/// Where a KPI's figures come from, and so what is behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KpiGroup {
    /// Orders and the dates they were quoted and promised.
    Promises,
    /// The stock at each day's close.
    Inventory,
    /// What keeping promises costs: holding and charges.
    Costs,
}

impl KpiKey {
    /// Every KPI, in the dashboard's order.
    pub const ALL: [KpiKey; 10] = [
        KpiKey::PerfectOrderRate,
        KpiKey::ByPromise,
        KpiKey::ByP90,
        KpiKey::ByP50,
        KpiKey::P50ErrorDays,
        KpiKey::InventoryHealth,
        KpiKey::Turnover,
        KpiKey::CoverageDays,
        KpiKey::DemandSensing,
        KpiKey::ResilienceCost,
    ];

    /// The name in URLs and `docs/kpis.md`'s anchors.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiKey::PerfectOrderRate => "perfect_order_rate",
            KpiKey::ByPromise => "by_promise",
            KpiKey::ByP90 => "by_p90",
            KpiKey::ByP50 => "by_p50",
            KpiKey::P50ErrorDays => "p50_error_days",
            KpiKey::InventoryHealth => "inventory_health",
            KpiKey::Turnover => "turnover",
            KpiKey::CoverageDays => "coverage_days",
            KpiKey::DemandSensing => "demand_sensing",
            KpiKey::ResilienceCost => "resilience_cost",
        }
    }

    /// The key named `text`.
    pub fn parse(text: &str) -> Option<KpiKey> {
        KpiKey::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Its heading.
    pub fn title(self) -> &'static str {
        match self {
            KpiKey::PerfectOrderRate => "Perfect order rate",
            KpiKey::ByPromise => "Delivered by the promised date",
            KpiKey::ByP90 => "Delivered by the P90 date",
            KpiKey::ByP50 => "Delivered by the P50 date",
            KpiKey::P50ErrorDays => "Error of the P50 date",
            KpiKey::InventoryHealth => "Inventory health index",
            KpiKey::Turnover => "Inventory turnover",
            KpiKey::CoverageDays => "Coverage",
            KpiKey::DemandSensing => "Demand-sensing sensitivity",
            KpiKey::ResilienceCost => "Total resilience cost",
        }
    }

    /// Its definition, as `docs/kpis.md` gives it.
    pub fn definition(self) -> &'static str {
        match self {
            KpiKey::PerfectOrderRate => {
                "Orders due in the window (promised date from its first day to today) that were \
                 delivered complete on or before their promised date, over those due: an order \
                 cancelled by the shop, delivered late or still open after its promised date \
                 fails; one cancelled by its customer is not counted; one due today and not yet \
                 delivered is not counted until tomorrow. Weekly by promised date."
            }
            KpiKey::ByPromise => {
                "Orders delivered in the window on or before the promised (\"arrives by\") date, \
                 over the orders delivered in the window. The promise is the quantile the shop \
                 chose (97 % by default): a calibrated promise keeps about that share. Weekly by \
                 delivery date."
            }
            KpiKey::ByP90 => {
                "Orders delivered in the window on or before the P90 date the shopper saw, over the \
                 orders delivered in the window. Calibrated when near 90 %. Weekly by delivery date."
            }
            KpiKey::ByP50 => {
                "Orders delivered in the window on or before the P50 date the shopper saw, over the \
                 orders delivered in the window. Calibrated when near 50 % (the day itself counts \
                 as kept). Weekly by delivery date."
            }
            KpiKey::P50ErrorDays => {
                "The mean number of days between each delivery in the window and its P50 date, \
                 early or late alike (mean absolute error); the 95th percentile is shown beside \
                 it. Weekly by delivery date."
            }
            KpiKey::InventoryHealth => {
                "Out of 100, the mean of three shares of the stock's value at cost: its structure \
                 (not in slow movers, stock lasting over 180 days at the pace of the last 90 days \
                 or unused, nor in materials with erratic demand, class Z), its age (of the units \
                 dated by a receipt, those received within 90 days) and its fit with the current \
                 demand (not above the policies' order-up-to levels nor missing to their safety \
                 stocks). A share with nothing to judge is left out. At each week's last close."
            }
            KpiKey::Turnover => {
                "What the orders used per day at cost, a year of it, over the mean stock value \
                 at cost of the daily closes: how many times a year the stock turns. Weekly over \
                 each week's days and closes."
            }
            KpiKey::CoverageDays => {
                "The stock's value at cost at the last close over what the orders of the 90 days \
                 before it used per day at cost: how many days the stock lasts at the recent \
                 pace. At each week's last close."
            }
            KpiKey::DemandSensing => {
                "The median number of days from a real change in a material's demand (the 28 \
                 days after a day using at least 30 % more or less than the 28 days up to it; \
                 the day they differ most) to its policy's reorder point moving at least 10 % \
                 the same way, within 56 days; beside it, how often a reorder point moved \
                 without such a change (noise). Weekly by the day of the change; the last 28 \
                 days cannot be judged yet."
            }
            KpiKey::ResilienceCost => {
                "What keeping promises costs: holding the stock (the mean value of a week's \
                 closes, each day at the shop's holding rate, 20 % a year by default), the \
                 premiums of expedited purchase orders accepted (their value at the shop's \
                 premium, 15 % by default), the fees of capacity reserved with suppliers and \
                 the price of orders the shop cancelled (lost sales, in the week they were due). \
                 Weekly; holding counts in weeks with a close."
            }
        }
    }

    /// Whether it is measured from orders or from the stock.
    pub fn group(self) -> KpiGroup {
        match self {
            KpiKey::InventoryHealth | KpiKey::Turnover | KpiKey::CoverageDays | KpiKey::DemandSensing => {
                KpiGroup::Inventory
            }
            KpiKey::ResilienceCost => KpiGroup::Costs,
            _ => KpiGroup::Promises,
        }
    }

    /// What its weekly count counts, for `n` of them: "3 orders", "12 closes".
    pub fn counted(self, n: u32) -> String {
        let (one, many) = match self {
            KpiKey::Turnover => ("daily close", "daily closes"),
            KpiKey::InventoryHealth | KpiKey::CoverageDays => ("material", "materials"),
            KpiKey::ResilienceCost => ("close or charge", "closes and charges"),
            KpiKey::DemandSensing => ("change in demand", "changes in demand"),
            _ => ("order", "orders"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    /// How its values read.
    pub fn unit(self) -> KpiUnit {
        match self {
            KpiKey::P50ErrorDays | KpiKey::CoverageDays | KpiKey::DemandSensing => KpiUnit::Days,
            KpiKey::InventoryHealth => KpiUnit::Index,
            KpiKey::Turnover => KpiUnit::PerYear,
            KpiKey::ResilienceCost => KpiUnit::Money,
            _ => KpiUnit::Share,
        }
    }
}

/// What a KPI's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KpiUnit {
    /// A share from 0 to 1, shown as a percentage; higher is better.
    Share,
    /// Days.
    Days,
    /// Out of 100; higher is better.
    Index,
    /// Times a year.
    PerYear,
    /// Money in minor units of the shop's currency; lower is better.
    Money,
}

impl KpiUnit {
    /// `value` for people: `93.5 %`, `1.4 days`.
    pub fn show(self, value: Option<f64>) -> String {
        match (self, value) {
            (_, None) => "–".to_string(),
            (KpiUnit::Share, Some(v)) => format!("{:.1} %", v * 100.0),
            (KpiUnit::Days, Some(v)) => format!("{v:.1} days"),
            (KpiUnit::Index, Some(v)) => format!("{v:.0} of 100"),
            (KpiUnit::PerYear, Some(v)) => format!("{v:.1}× a year"),
            // Without its currency; the page prints it with the shop's.
            (KpiUnit::Money, Some(v)) => format!("{:.2}", v / 100.0),
        }
    }

    /// The top of its charts' scale: a share's 1, an index's 100, else the largest
    /// value (at least 1).
    pub fn scale(self, values: impl Iterator<Item = f64>) -> f64 {
        match self {
            KpiUnit::Share => 1.0,
            KpiUnit::Index => 100.0,
            KpiUnit::Days | KpiUnit::PerYear | KpiUnit::Money => values.fold(1.0, f64::max),
        }
    }
}

/// One KPI over the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    /// Which.
    pub key: KpiKey,
    /// Over the whole window; `None` when nothing was there to measure.
    pub value: Option<f64>,
    /// What it is over ("over 41 orders due", "over 84 daily closes").
    pub basis: String,
    /// A second figure beside it, if any ("P95 4 days").
    pub aside: Option<String>,
    /// Week by week, oldest first.
    pub weekly: Vec<WeekValue>,
}

/// A KPI over one week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekValue {
    /// The week's first day.
    pub start: NaiveDate,
    /// Its value; `None` when the week had nothing to measure.
    pub value: Option<f64>,
    /// What it is over: orders, daily closes or materials ([`KpiKey::counted`]).
    pub count: u32,
}

/// One order behind a KPI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillOrder {
    /// Row id.
    pub id: i64,
    /// The platform's reference.
    pub reference: String,
    /// Product slug.
    pub product: String,
    /// Quoted median date.
    pub p50: NaiveDate,
    /// Quoted late date.
    pub p90: NaiveDate,
    /// Promised date.
    pub promised: NaiveDate,
    /// When it arrived, if it did.
    pub delivered: Option<NaiveDate>,
    /// How it stands against the KPI, as a phrase ("2 days late", "cancelled by the shop").
    pub outcome: String,
    /// Whether it counts against the KPI.
    pub missed: bool,
}

/// One material behind an inventory KPI, at the last close.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillMaterial {
    /// Row id.
    pub id: i64,
    /// Its code.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// Units on hand at every node.
    pub on_hand: i64,
    /// Their value at cost, minor units.
    pub value_minor: i64,
    /// Days they last at the recent pace; `None` when nothing used it.
    pub coverage_days: Option<f64>,
    /// How it stands against the KPI ("slow mover; 20 units above order-up-to").
    pub outcome: String,
    /// Whether it counts against the KPI.
    pub missed: bool,
}

/// What is behind one KPI: orders for the promises, materials for the inventory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drill {
    /// Which KPI.
    pub key: KpiKey,
    /// Missed first, then the rest; at most [`DRILL_LIMIT`].
    pub orders: Vec<DrillOrder>,
    /// Missed first, the most at stake first; at most [`DRILL_LIMIT`].
    pub materials: Vec<DrillMaterial>,
    /// How many orders or materials are behind it in all.
    pub total: u32,
}

/// A cell of the ABC-XYZ matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCell {
    /// `A`, `B` or `C`: share of the yearly consumption value.
    pub abc: String,
    /// `X`, `Y` or `Z`: how much demand varies.
    pub xyz: String,
    /// Materials in it.
    pub materials: u32,
    /// Their stock on hand at unit cost, minor units.
    pub value_minor: i64,
}

/// The dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The window's length in weeks.
    pub weeks: u32,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day: the shop's today.
    pub today: NaiveDate,
    /// The KPIs, in [`KpiKey::ALL`]'s order.
    pub kpis: Vec<Kpi>,
    /// The orders behind the KPI the URL asked for.
    pub drill: Option<Drill>,
    /// The nine cells, A-X first, row by row; empty before the first recomputation.
    pub classes: Vec<ClassCell>,
    /// ISO 4217 currency of the values.
    pub currency: String,
    /// Alerts open in the inbox.
    pub open_alerts: u32,
    /// Orders whose plan now misses their promise.
    pub orders_at_risk: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_reads_defaults_and_refuses_naming_the_parameter() {
        assert_eq!(
            DashboardQuery::from_query("", "").unwrap(),
            DashboardQuery::default()
        );
        assert_eq!(
            DashboardQuery::from_query(" 4 ", "by_p90").unwrap(),
            DashboardQuery {
                weeks: 4,
                kpi: Some(KpiKey::ByP90)
            }
        );
        for bad in ["0", "53", "-1", "two"] {
            let e = DashboardQuery::from_query(bad, "").unwrap_err();
            assert_eq!(e.field.as_deref(), Some("weeks"), "{bad}");
        }
        let e = DashboardQuery::from_query("", "fill").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("kpi"));
    }

    #[test]
    fn every_key_reads_back_and_values_show_in_their_unit() {
        for key in KpiKey::ALL {
            assert_eq!(KpiKey::parse(key.as_str()), Some(key));
        }
        assert_eq!(KpiUnit::Share.show(Some(0.935)), "93.5 %");
        assert_eq!(KpiUnit::Days.show(Some(1.44)), "1.4 days");
        assert_eq!(KpiUnit::Share.show(None), "–");
        assert_eq!(KpiUnit::Index.show(Some(72.4)), "72 of 100");
        assert_eq!(KpiUnit::PerYear.show(Some(7.26)), "7.3× a year");
        assert_eq!(KpiKey::Turnover.counted(1), "1 daily close");
        assert_eq!(KpiKey::CoverageDays.counted(3), "3 materials");
        assert_eq!(KpiKey::ByP90.counted(2), "2 orders");
    }
}
