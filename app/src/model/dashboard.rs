//! The admin's home page: the KPIs a merchant steers by, each with its definition
//! (`docs/kpis.md`), its weekly trend and the orders behind it; the ABC-XYZ matrix; what
//! waits in the inbox.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::refusal::AdminError;

/// Weeks the dashboard looks back over when the URL says nothing.
pub const DEFAULT_WEEKS: u32 = 12;
/// The longest window: a year.
pub const MAX_WEEKS: u32 = 52;
/// Orders listed under a KPI, the furthest from its promise first.
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

/// The KPIs measured from orders.
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
}

impl KpiKey {
    /// Every KPI, in the dashboard's order.
    pub const ALL: [KpiKey; 5] = [
        KpiKey::PerfectOrderRate,
        KpiKey::ByPromise,
        KpiKey::ByP90,
        KpiKey::ByP50,
        KpiKey::P50ErrorDays,
    ];

    /// The name in URLs and `docs/kpis.md`'s anchors.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiKey::PerfectOrderRate => "perfect_order_rate",
            KpiKey::ByPromise => "by_promise",
            KpiKey::ByP90 => "by_p90",
            KpiKey::ByP50 => "by_p50",
            KpiKey::P50ErrorDays => "p50_error_days",
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
        }
    }

    /// How its values read.
    pub fn unit(self) -> KpiUnit {
        match self {
            KpiKey::P50ErrorDays => KpiUnit::Days,
            _ => KpiUnit::Share,
        }
    }
}

/// What a KPI's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KpiUnit {
    /// A share from 0 to 1, shown as a percentage; higher is better.
    Share,
    /// Days; lower is better.
    Days,
}

impl KpiUnit {
    /// `value` for people: `93.5 %`, `1.4 days`.
    pub fn show(self, value: Option<f64>) -> String {
        match (self, value) {
            (_, None) => "–".to_string(),
            (KpiUnit::Share, Some(v)) => format!("{:.1} %", v * 100.0),
            (KpiUnit::Days, Some(v)) => format!("{v:.1} days"),
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
    /// What it is over ("over 41 orders due").
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
    /// Orders it is over.
    pub orders: u32,
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

/// The orders behind one KPI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drill {
    /// Which KPI.
    pub key: KpiKey,
    /// Missed first, then the rest; at most [`DRILL_LIMIT`].
    pub orders: Vec<DrillOrder>,
    /// How many orders are behind it in all.
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
    }
}
