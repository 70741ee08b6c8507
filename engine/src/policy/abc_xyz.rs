//! ABC by annual consumption value, XYZ by the variability of daily demand.
//!
//! ABC is Pareto's rule applied to inventory: a few materials carry most of the value
//! and deserve the closest watch. XYZ says how predictable a material's demand is.
//! Together they pick a cell of the policy matrix.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::sums::sum_by;

/// A material's share of annual consumption value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Abc {
    /// The materials making up the first `abc_a` of value.
    A,
    /// The next ones, up to `abc_b`.
    B,
    /// The rest, and everything without value.
    C,
}

/// How predictable a material's daily demand is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Xyz {
    /// Coefficient of variation at most `xyz_x`.
    X,
    /// Above `xyz_x`, at most `xyz_y`.
    Y,
    /// Above `xyz_y`, or no demand at all.
    Z,
}

impl fmt::Display for Abc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Abc::A => "A",
            Abc::B => "B",
            Abc::C => "C",
        })
    }
}

impl fmt::Display for Xyz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Xyz::X => "X",
            Xyz::Y => "Y",
            Xyz::Z => "Z",
        })
    }
}

/// Where the classes split.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassThresholds {
    /// Cumulative value share that ends class A (default 0.80).
    pub abc_a: f64,
    /// Cumulative value share that ends class B (default 0.95).
    pub abc_b: f64,
    /// Highest coefficient of variation of class X (default 0.5).
    pub xyz_x: f64,
    /// Highest coefficient of variation of class Y (default 1.0).
    pub xyz_y: f64,
    /// Days summed into one period before the XYZ coefficient of variation is taken
    /// (default 7: weekly demand). Made-to-order demand is sporadic day by day, so a
    /// daily CV puts nearly every material in Z; the thresholds are the usual ones for
    /// weekly or monthly demand.
    #[serde(default = "weekly")]
    pub xyz_period_days: u32,
}

fn weekly() -> u32 {
    7
}

impl Default for ClassThresholds {
    /// PRODUCT.md's defaults: 80/15/5 % of value, X ≤ 0.5 < Y ≤ 1.0 < Z, over weekly
    /// demand.
    fn default() -> Self {
        ClassThresholds {
            abc_a: 0.80,
            abc_b: 0.95,
            xyz_x: 0.5,
            xyz_y: 1.0,
            xyz_period_days: weekly(),
        }
    }
}

/// A threshold that cannot be used, named by its field.
#[derive(Clone, Copy, Debug, PartialEq, Error)]
pub enum ThresholdError {
    /// The value is not a finite number in its range.
    #[error("{field} must be {range}, not {value}")]
    OutOfRange {
        /// The field.
        field: &'static str,
        /// Its value.
        value: f64,
        /// The range it must lie in, in words.
        range: &'static str,
    },
    /// A threshold is below the one it must follow.
    #[error("{field} ({value}) must not be below {below} ({below_value})")]
    OutOfOrder {
        /// The field out of order.
        field: &'static str,
        /// Its value.
        value: f64,
        /// The field it must not be below.
        below: &'static str,
        /// That field's value.
        below_value: f64,
    },
}

impl ClassThresholds {
    /// Checks 0 < abc_a ≤ abc_b ≤ 1 and 0 < xyz_x ≤ xyz_y (finite). Equal thresholds
    /// are allowed: they leave the middle class empty.
    pub fn check(&self) -> Result<(), ThresholdError> {
        let share = |field, value: f64| {
            if value > 0.0 && value <= 1.0 {
                Ok(())
            } else {
                Err(ThresholdError::OutOfRange {
                    field,
                    value,
                    range: "a share above 0 and at most 1",
                })
            }
        };
        let cv = |field, value: f64| {
            if value > 0.0 && value.is_finite() {
                Ok(())
            } else {
                Err(ThresholdError::OutOfRange {
                    field,
                    value,
                    range: "a finite number above 0",
                })
            }
        };
        share("abc_a", self.abc_a)?;
        share("abc_b", self.abc_b)?;
        cv("xyz_x", self.xyz_x)?;
        cv("xyz_y", self.xyz_y)?;
        let order = |field, value: f64, below, below_value: f64| {
            if value >= below_value {
                Ok(())
            } else {
                Err(ThresholdError::OutOfOrder {
                    field,
                    value,
                    below,
                    below_value,
                })
            }
        };
        order("abc_b", self.abc_b, "abc_a", self.abc_a)?;
        order("xyz_y", self.xyz_y, "xyz_x", self.xyz_x)
    }

    /// The XYZ class of a coefficient of variation; `None` (no demand) is Z.
    pub fn xyz(&self, cv: Option<f64>) -> Xyz {
        match cv {
            Some(cv) if cv <= self.xyz_x => Xyz::X,
            Some(cv) if cv <= self.xyz_y => Xyz::Y,
            _ => Xyz::Z,
        }
    }

    /// The ABC class of each annual consumption value, in the caller's order.
    ///
    /// Values are ranked from the largest; a material is A while the share of total
    /// value ranked *before* it is below `abc_a`, B while it is below `abc_b`, else C.
    /// Counting the share before it means the material that crosses a threshold still
    /// belongs to the class it completes, so a single material worth 90 % is A. Values
    /// of 0 or less (and NaN) are C and add nothing to the total. Equal values keep the
    /// caller's order (the sort is stable).
    pub fn abc(&self, annual_values: &[f64]) -> Vec<Abc> {
        let valued = |v: f64| v > 0.0;
        let total: f64 = annual_values.iter().copied().filter(|&v| valued(v)).sum();
        let mut ranked: Vec<usize> = (0..annual_values.len())
            .filter(|&i| valued(annual_values[i]))
            .collect();
        ranked.sort_by(|&a, &b| annual_values[b].total_cmp(&annual_values[a]));
        let mut classes = vec![Abc::C; annual_values.len()];
        let mut before = 0.0;
        for i in ranked {
            let share = before / total;
            classes[i] = if share < self.abc_a {
                Abc::A
            } else if share < self.abc_b {
                Abc::B
            } else {
                Abc::C
            };
            before += annual_values[i];
        }
        classes
    }
}

/// Coefficient of variation of `series` summed over consecutive periods of `period`
/// days, counted back from its end (a partial first period is left out, so every
/// period has the same length); the whole series as one period when it is shorter.
/// `None` when the mean is 0.
pub fn period_cv(series: &[f64], period: u32) -> Option<f64> {
    let period = period.max(1) as usize;
    if period == 1 {
        return coefficient_of_variation(series);
    }
    let skip = series.len() % period;
    let sums: Vec<f64> = series[skip..].chunks(period).map(|c| c.iter().sum()).collect();
    if sums.is_empty() {
        return coefficient_of_variation(&[series.iter().sum()]);
    }
    coefficient_of_variation(&sums)
}

/// Coefficient of variation of a daily series: sample standard deviation (n − 1) over
/// the mean, zero days included; `None` when the mean is 0 (nothing to compare with).
/// With fewer than two days the deviation is taken as 0.
pub fn coefficient_of_variation(series: &[f64]) -> Option<f64> {
    let (mean, sd) = mean_and_sd(series);
    (mean > 0.0).then(|| sd / mean)
}

/// Mean and sample standard deviation (n − 1) of a series, in two passes; (0, 0) for
/// an empty series, and a deviation of 0 for a single value.
pub fn mean_and_sd(series: &[f64]) -> (f64, f64) {
    if series.is_empty() {
        return (0.0, 0.0);
    }
    let n = series.len() as f64;
    let mean = sum_by(series, |x| x) / n;
    if series.len() < 2 {
        return (mean, 0.0);
    }
    let squares = sum_by(series, |x| (x - mean) * (x - mean));
    (mean, (squares / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests;
