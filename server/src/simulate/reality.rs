//! How the replayed world differs from the shop's data: suppliers that take longer or
//! vary more than they declared, production that runs slower or faster than its
//! routing, a work-center outage, customers who cancel. Every draw comes from a seeded
//! generator, so a replay is repeatable.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// A supplier whose real lead times differ from the declared ones.
#[derive(Clone, Debug, PartialEq)]
pub struct Slip {
    /// Supplier code.
    pub supplier: String,
    /// Real mean over declared mean (1.3: 30 % longer).
    pub mean_factor: f64,
    /// Real spread over declared spread (2: twice as wide).
    pub sd_factor: f64,
}

impl std::str::FromStr for Slip {
    type Err = String;

    /// `S-TEX:1.3:2`: supplier, mean factor, spread factor.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split(':').collect();
        let [supplier, mean, sd] = parts.as_slice() else {
            return Err(format!(
                "`{text}`: expected SUPPLIER:MEAN_FACTOR:SPREAD_FACTOR, e.g. S-TEX:1.3:2"
            ));
        };
        let factor = |v: &str, what: &str| -> Result<f64, String> {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f > 0.0 && *f <= 10.0)
                .ok_or_else(|| format!("`{text}`: the {what} factor must be a number above 0 and at most 10"))
        };
        if supplier.trim().is_empty() {
            return Err(format!("`{text}`: the supplier code is missing"));
        }
        Ok(Slip {
            supplier: supplier.trim().to_string(),
            mean_factor: factor(mean, "mean")?,
            sd_factor: factor(sd, "spread")?,
        })
    }
}

/// A work center whose operations really take another share of their routing's
/// minutes than planned.
#[derive(Clone, Debug, PartialEq)]
pub struct SlowCenter {
    /// Work-center code.
    pub work_center: String,
    /// Real over planned minutes, on average (1.25: a quarter longer).
    pub ratio: f64,
    /// Standard deviation of that ratio from operation to operation.
    pub sd: f64,
}

impl std::str::FromStr for SlowCenter {
    type Err = String;

    /// `SEW:1.25:0.1`: work center, mean ratio, its spread.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split(':').collect();
        let [work_center, ratio, sd] = parts.as_slice() else {
            return Err(format!(
                "`{text}`: expected WORK_CENTER:RATIO:SPREAD, e.g. SEW:1.25:0.1"
            ));
        };
        let number = |v: &str, what: &str, low: f64| -> Result<f64, String> {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f >= low && *f <= 10.0)
                .ok_or_else(|| format!("`{text}`: the {what} must be a number from {low} to 10"))
        };
        if work_center.trim().is_empty() {
            return Err(format!("`{text}`: the work-center code is missing"));
        }
        Ok(SlowCenter {
            work_center: work_center.trim().to_string(),
            ratio: number(ratio, "ratio", 0.1)?,
            sd: number(sd, "spread", 0.0)?,
        })
    }
}

/// Days when production stands still.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outage {
    /// Day of the replay it starts on (0 is the first day).
    pub from_day: u32,
    /// How many days it lasts.
    pub days: u32,
}

impl std::str::FromStr for Outage {
    type Err = String;

    /// `200:3`: from day 200, for three days.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (from, days) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}`: expected FROM_DAY:DAYS, e.g. 200:3"))?;
        let number = |v: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| format!("`{text}`: `{v}` is not a whole number"))
        };
        let outage = Outage {
            from_day: number(from)?,
            days: number(days)?,
        };
        if outage.days == 0 {
            return Err(format!("`{text}`: an outage lasts at least one day"));
        }
        Ok(outage)
    }
}

/// The world as it really behaves.
#[derive(Clone, Debug, PartialEq)]
pub struct Reality {
    /// Suppliers that slip.
    pub slips: Vec<Slip>,
    /// Spread of an operation's real minutes around its routing's, as a share (0.1:
    /// ±10 % as one standard deviation), at work centers not in `slow_centers`.
    pub production_noise: f64,
    /// Work centers whose operations really take longer (or shorter) than planned.
    pub slow_centers: Vec<SlowCenter>,
    /// A production outage.
    pub outage: Option<Outage>,
    /// Share of orders the customer cancels before production starts.
    pub cancel_rate: f64,
}

impl Reality {
    /// The lines of the report that say how reality differed.
    pub fn describe(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .slips
            .iter()
            .map(|s| {
                format!(
                    "{} really takes {:.0} % of its declared lead time, with {:.1}× the declared spread",
                    s.supplier,
                    s.mean_factor * 100.0,
                    s.sd_factor
                )
            })
            .collect();
        if lines.is_empty() {
            lines.push("every supplier keeps to its declared lead time and spread".into());
        }
        for c in &self.slow_centers {
            lines.push(format!(
                "{}'s operations really take {:.0} % of their routing's minutes, ± {:.0} %",
                c.work_center,
                c.ratio * 100.0,
                c.sd * 100.0
            ));
        }
        lines.push(format!(
            "operations take their routing's minutes ± {:.0} % (one standard deviation){}",
            self.production_noise * 100.0,
            if self.slow_centers.is_empty() {
                ""
            } else {
                " elsewhere"
            }
        ));
        if let Some(o) = self.outage {
            lines.push(format!(
                "production stands still for {} days from day {}",
                o.days, o.from_day
            ));
        }
        lines.push(format!(
            "{:.1} % of orders are cancelled by the customer before production",
            self.cancel_rate * 100.0
        ));
        lines
    }

    /// The slip of `supplier`, if it slips.
    pub fn slip(&self, supplier: &str) -> Option<&Slip> {
        self.slips.iter().find(|s| s.supplier == supplier)
    }

    /// The true ratio of real to planned minutes at `work_center`: mean and spread.
    pub fn pace(&self, work_center: &str) -> (f64, f64) {
        self.slow_centers
            .iter()
            .find(|c| c.work_center == work_center)
            .map_or((1.0, self.production_noise), |c| (c.ratio, c.sd))
    }

    /// The true mean and spread of a lead time declared as `(mean, sd)` by `supplier`.
    pub fn truth(&self, supplier: &str, declared: (f64, f64)) -> (f64, f64) {
        match self.slip(supplier) {
            Some(s) => (declared.0 * s.mean_factor, declared.1 * s.sd_factor),
            None => declared,
        }
    }
}

/// The seeded draws of one run. Separate streams for supply, production and customers,
/// so a decision that changes how many lines are ordered does not shift every later
/// customer's draw.
pub struct Draws {
    supply: ChaCha8Rng,
    production: ChaCha8Rng,
    customers: ChaCha8Rng,
}

impl Draws {
    /// The streams of `seed`.
    pub fn new(seed: u64) -> Self {
        let stream = |n: u64| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(n);
            rng
        };
        Draws {
            supply: stream(1),
            production: stream(2),
            customers: stream(3),
        }
    }

    /// Whole days a delivery of true `(mean, sd)` takes: a normal draw, rounded, at
    /// least one day.
    pub fn lead_days(&mut self, truth: (f64, f64)) -> i64 {
        let days = normal(&mut self.supply, truth.0, truth.1);
        (days.round() as i64).max(1)
    }

    /// Calendar days a production run planned for `planned` days really takes.
    pub fn production_days(&mut self, planned: i64, noise: f64) -> i64 {
        let factor = normal(&mut self.production, 1.0, noise).max(0.3);
        stretched(planned, factor)
    }

    /// Minutes an operation its routing plans at `planned` really takes at a work
    /// center of true pace `(ratio, sd)`: at least a minute, at least 30 % of planned.
    pub fn operation_minutes(&mut self, planned: i32, pace: (f64, f64)) -> i32 {
        let ratio = normal(&mut self.production, pace.0, pace.1).max(0.3);
        ((f64::from(planned) * ratio).round() as i32).max(1)
    }

    /// The customers' generator (arrivals, choices, cancellations).
    pub fn customers(&mut self) -> &mut ChaCha8Rng {
        &mut self.customers
    }
}

/// `planned` calendar days stretched by `factor`, at least one.
pub fn stretched(planned: i64, factor: f64) -> i64 {
    ((planned as f64 * factor).round() as i64).max(1)
}

fn normal(rng: &mut ChaCha8Rng, mean: f64, sd: f64) -> f64 {
    if sd <= 0.0 {
        return mean;
    }
    Normal::new(mean, sd).map_or(mean, |n| n.sample(rng))
}

/// When each open inbound line really arrives, by line id.
#[derive(Debug, Default)]
pub struct Arrivals {
    due: BTreeMap<i64, NaiveDate>,
}

impl Arrivals {
    /// Line `id` arrives on `day`.
    pub fn expect(&mut self, id: i64, day: NaiveDate) {
        self.due.insert(id, day);
    }

    /// The lines due on or before `today`, in id order, removed from the schedule.
    pub fn due(&mut self, today: NaiveDate) -> Vec<i64> {
        let due: Vec<i64> = self
            .due
            .iter()
            .filter(|(_, d)| **d <= today)
            .map(|(id, _)| *id)
            .collect();
        for id in &due {
            self.due.remove(id);
        }
        due
    }

    /// Whether line `id` is still expected.
    pub fn pending(&self, id: i64) -> bool {
        self.due.contains_key(&id)
    }
}

/// `day` plus `n` days (never before `day`).
pub fn plus(day: NaiveDate, n: i64) -> NaiveDate {
    day + Days::new(n.max(0) as u64)
}

/// A uniform draw in `[0, 1)`.
pub fn chance(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_and_outages_are_read_and_bad_ones_refused() {
        let slip: Slip = "S-TEX:1.3:2".parse().unwrap();
        assert_eq!(
            (slip.supplier.as_str(), slip.mean_factor, slip.sd_factor),
            ("S-TEX", 1.3, 2.0)
        );
        assert!("S-TEX:1.3".parse::<Slip>().is_err());
        assert!("S-TEX:-1:2".parse::<Slip>().is_err());
        assert!(":1:2".parse::<Slip>().is_err());
        assert_eq!(
            "200:3".parse::<Outage>(),
            Ok(Outage {
                from_day: 200,
                days: 3
            })
        );
        assert!("200:0".parse::<Outage>().is_err());
    }

    #[test]
    fn a_slipping_supplier_draws_from_its_true_distribution() {
        let reality = Reality {
            slips: vec!["S-TEX:1.3:2".parse().unwrap()],
            production_noise: 0.0,
            slow_centers: Vec::new(),
            outage: None,
            cancel_rate: 0.0,
        };
        let truth = reality.truth("S-TEX", (10.0, 2.0));
        assert_eq!(truth, (13.0, 4.0));
        assert_eq!(reality.truth("S-LTH", (10.0, 2.0)), (10.0, 2.0));
        let mut draws = Draws::new(7);
        let n = 4_000;
        let days: Vec<f64> = (0..n).map(|_| draws.lead_days(truth) as f64).collect();
        let mean = days.iter().sum::<f64>() / n as f64;
        let sd = (days.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        assert!((mean - 13.0).abs() < 0.25, "mean {mean}");
        assert!((sd - 4.0).abs() < 0.25, "sd {sd}");
    }

    #[test]
    fn a_slow_work_center_draws_its_operations_at_its_true_pace() {
        assert!("SEW:1.25".parse::<SlowCenter>().is_err());
        assert!("SEW:0:0.1".parse::<SlowCenter>().is_err());
        assert!(":1.2:0.1".parse::<SlowCenter>().is_err());
        let reality = Reality {
            slips: Vec::new(),
            production_noise: 0.05,
            slow_centers: vec!["SEW:1.25:0.1".parse().unwrap()],
            outage: None,
            cancel_rate: 0.0,
        };
        assert_eq!(reality.pace("SEW"), (1.25, 0.1));
        assert_eq!(reality.pace("CUT"), (1.0, 0.05), "elsewhere, the noise alone");
        let mut draws = Draws::new(3);
        let n = 4_000;
        let ratios: Vec<f64> = (0..n)
            .map(|_| f64::from(draws.operation_minutes(1_000, reality.pace("SEW"))) / 1_000.0)
            .collect();
        let mean = ratios.iter().sum::<f64>() / n as f64;
        let sd = (ratios.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        assert!((mean - 1.25).abs() < 0.01, "mean {mean}");
        assert!((sd - 0.1).abs() < 0.01, "sd {sd}");
    }

    #[test]
    fn the_same_seed_draws_the_same() {
        let mut a = Draws::new(11);
        let mut b = Draws::new(11);
        let mut c = Draws::new(12);
        let run = |d: &mut Draws| (0..20).map(|_| d.lead_days((10.0, 3.0))).collect::<Vec<_>>();
        let first = run(&mut a);
        assert_eq!(first, run(&mut b));
        assert_ne!(first, run(&mut c));
    }

    #[test]
    fn arrivals_come_due_once() {
        let d = |n| NaiveDate::from_ymd_opt(2027, 1, n).unwrap();
        let mut arrivals = Arrivals::default();
        arrivals.expect(2, d(5));
        arrivals.expect(1, d(3));
        arrivals.expect(3, d(9));
        assert_eq!(arrivals.due(d(5)), vec![1, 2]);
        assert!(arrivals.due(d(5)).is_empty());
        assert!(arrivals.pending(3));
    }
}
