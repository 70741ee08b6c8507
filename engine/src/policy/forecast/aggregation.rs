//! Forecasts by temporal aggregation: ADIDA and IMAPA, as statsforecast computes them
//! (`_adida`, `_imapa`, `_chunk_sums` in `python/statsforecast/models.py` and
//! `chunk_forecast` in `src/ses.cpp`, at a580cf9, statsforecast 2.1.1).
//!
//! Summing an intermittent series over buckets of a few days makes it less
//! intermittent; fitted SES forecasts the bucket sums, and the forecast per bucket is
//! spread evenly over its days.

use std::ops::RangeInclusive;

use super::fitted::INTERMITTENT_BOUNDS;
use super::lockstep::{FitBatch, FitId};
use super::{Constants, Fitted};

/// Above this bucket size numpy's sum (which IMAPA's buckets use) and a plain
/// left-to-right sum (which ADIDA's use) may round differently.
const NUMPY_SEQUENTIAL_BELOW: usize = 8;

/// ADIDA, the aggregate–disaggregate intermittent demand approach: Nikolopoulos,
/// Syntetos, Boylan, Petropoulos & Assimakopoulos (2011), "An aggregate–disaggregate
/// intermittent demand approach (ADIDA) to forecasting", JORS 62(3), 544–554.
///
/// The bucket size is the mean interval between demands (the first counted from the
/// start of the series, so ADI of `docs/policies.md` §2) rounded half to even, as
/// Python's `round` does. The series is cut into whole buckets counted back from its
/// last day (the oldest `len % size` days are left out), each bucket summed left to
/// right; SES with α fitted within [`INTERMITTENT_BOUNDS`] forecasts the next sum (a
/// single bucket forecasts itself), and the forecast per day is that / size. A series
/// without demand (or empty) forecasts 0.
pub fn adida(series: &[f64]) -> Fitted {
    let mut batch = FitBatch::default();
    let plan = AggregationPlan::new(series, Aggregations::ADIDA, &mut batch);
    batch.solve();
    plan.adida(&batch)
}

/// IMAPA, the intermittent multiple aggregation prediction algorithm: Petropoulos &
/// Kourentzes (2015), "Forecast combinations for intermittent demand", JORS 66(6),
/// 914–924.
///
/// For every bucket size from 1 to ADIDA's size: buckets counted back from the last
/// day, summed as numpy sums (pairwise, which differs from a left-to-right sum only
/// for buckets of 8 days or more), fitted SES within [`INTERMITTENT_BOUNDS`] over the
/// sums, divided by the size; the forecast is the mean of those, summed as numpy sums.
/// A series without demand (or empty) forecasts 0.
pub fn imapa(series: &[f64]) -> Fitted {
    let mut batch = FitBatch::default();
    let plan = AggregationPlan::new(series, Aggregations::IMAPA, &mut batch);
    batch.solve();
    plan.imapa(&batch)
}

/// Which of the two forecasts an [`AggregationPlan`] prepares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Aggregations {
    /// ADIDA's.
    pub(crate) adida: bool,
    /// IMAPA's.
    pub(crate) imapa: bool,
}

impl Aggregations {
    pub(crate) const ADIDA: Aggregations = Aggregations {
        adida: true,
        imapa: false,
    };
    pub(crate) const IMAPA: Aggregations = Aggregations {
        adida: false,
        imapa: true,
    };
}

/// ADIDA and IMAPA of one series, waiting for their batch to be solved. They share
/// their bucket sums where those are summed alike.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AggregationPlan {
    NoDemand,
    Buckets {
        /// ADIDA's bucket size, IMAPA's largest.
        size: usize,
        /// ADIDA's fit of its sums.
        adida: Option<FitId>,
        /// IMAPA's fits, one per size from 1, pushed one after the other.
        imapa: Option<FitId>,
    },
}

impl AggregationPlan {
    pub(crate) fn new(series: &[f64], wanted: Aggregations, batch: &mut FitBatch) -> AggregationPlan {
        let Some(size) = bucket_size(series) else {
            return AggregationPlan::NoDemand;
        };
        let imapa = wanted.imapa.then(|| {
            let first = batch.push(INTERMITTENT_BOUNDS, bucket_sums(series, 1, pairwise_sum));
            for size in 2..=size {
                batch.push(INTERMITTENT_BOUNDS, bucket_sums(series, size, pairwise_sum));
            }
            first
        });
        // ADIDA's sums are IMAPA's largest where both sum alike.
        let adida = wanted.adida.then(|| match imapa {
            Some(first) if size < NUMPY_SEQUENTIAL_BELOW => first.nth(size - 1),
            _ => batch.push(INTERMITTENT_BOUNDS, bucket_sums(series, size, sequential_sum)),
        });
        AggregationPlan::Buckets { size, adida, imapa }
    }

    /// ADIDA's forecast (the plan must have been made with `adida`).
    pub(crate) fn adida(self, batch: &FitBatch) -> Fitted {
        match self {
            AggregationPlan::Buckets {
                size,
                adida: Some(id),
                ..
            } => Fitted {
                forecast: batch.forecast(id) / size as f64,
                constants: Constants {
                    alpha: Some(batch.alpha(id)),
                    aggregation_level: Some(size as u32),
                    ..Constants::default()
                },
            },
            _ => Fitted::default(),
        }
    }

    /// IMAPA's forecast (the plan must have been made with `imapa`).
    pub(crate) fn imapa(self, batch: &FitBatch) -> Fitted {
        match self {
            AggregationPlan::Buckets {
                size,
                imapa: Some(first),
                ..
            } => {
                let sizes: RangeInclusive<usize> = 1..=size;
                let per_day: Vec<f64> = sizes
                    .clone()
                    .map(|s| batch.forecast(first.nth(s - 1)) / s as f64)
                    .collect();
                Fitted {
                    forecast: pairwise_sum(&per_day) / size as f64,
                    constants: Constants {
                        aggregation_level: Some(size as u32),
                        level_alphas: sizes.map(|s| batch.alpha(first.nth(s - 1))).collect(),
                        ..Constants::default()
                    },
                }
            }
            _ => Fitted::default(),
        }
    }
}

/// ADIDA's bucket size: the mean demand interval, last demand's 1-based position /
/// number of demands, rounded half to even; `None` without demand.
fn bucket_size(series: &[f64]) -> Option<usize> {
    let last = series.iter().rposition(|&x| x > 0.0)? + 1;
    let demands = series.iter().filter(|&&x| x > 0.0).count();
    // The mean interval is at least 1 and at most the series' length, so is the size.
    Some((last as f64 / demands as f64).round_ties_even() as usize)
}

/// Sums of whole buckets of `size` days counted back from the last day, oldest first.
fn bucket_sums<'a>(series: &'a [f64], size: usize, sum: fn(&[f64]) -> f64) -> impl Iterator<Item = f64> + 'a {
    series[series.len() % size..].chunks_exact(size).map(sum)
}

/// A left-to-right sum from 0, as `chunk_forecast`'s loop sums.
fn sequential_sum(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |sum, &x| sum + x)
}

/// numpy's sum of a float64 array (`pairwise_sum` in `loops_utils.h.src`): left to
/// right below 8 values; up to 128 in eight interleaved partial sums combined as
/// ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), the remainder added after; above
/// 128, the two halves (the first a multiple of 8 long) summed so and added.
fn pairwise_sum(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 8 {
        sequential_sum(values)
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&values[..8]);
        let whole = n - n % 8;
        for block in values[8..whole].chunks_exact(8) {
            for (partial, &x) in r.iter_mut().zip(block) {
                *partial += x;
            }
        }
        let mut sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &values[whole..] {
            sum += x;
        }
        sum
    } else {
        let half = n / 2;
        let half = half - half % 8;
        pairwise_sum(&values[..half]) + pairwise_sum(&values[half..])
    }
}

#[cfg(test)]
mod tests;
