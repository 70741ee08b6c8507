//! Learning a supplier's lead time from what actually happened: PRODUCT.md, "Orders and
//! promises" ("re-estimated from what actually happened; the declared values are the
//! prior").
//!
//! The estimate is a weighted mean and variance of the observed lead times and the
//! declared ones:
//! - the declared mean and deviation count as [`Learning::prior_weight`] receipts, so a
//!   supplier with few receipts stays near what it declared and one with many follows
//!   its record;
//! - each receipt weighs `0.5^(age / half_life)`, so recent receipts count more and a
//!   supplier that changed is followed within a few half-lives (an exponentially
//!   weighted estimate, as in Brown's exponential smoothing of lead times);
//! - receipts are winsorised at the median ± `outlier_cut` robust deviations (1.4826 ×
//!   the median absolute deviation, Hampel's scale), so one shipment lost for months
//!   moves the estimate by a bounded amount instead of dominating it.
//!
//! The variance combines the prior's spread around the estimate with the receipts'
//! (the law of total variance over the two sources), so a prior far from the record
//! widens the estimate while the evidence is thin.

use serde::{Deserialize, Serialize};

/// How much a receipt counts against the declared figures.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Learning {
    /// The declared figures count as this many receipts.
    pub prior_weight: f64,
    /// A receipt this many days old counts half as much as one today.
    pub half_life_days: f64,
    /// Receipts beyond the median ± this many robust deviations are clipped to it.
    pub outlier_cut: f64,
}

impl Default for Learning {
    fn default() -> Self {
        Learning {
            prior_weight: 3.0,
            half_life_days: 180.0,
            outlier_cut: 3.0,
        }
    }
}

/// One received purchase order.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Days from ordering to receipt.
    pub lead_time_days: f64,
    /// Days since it was received.
    pub age_days: f64,
}

/// A lead time: what the supplier declared, or what was learned.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadTime {
    /// Mean, days.
    pub mean_days: f64,
    /// Standard deviation, days.
    pub sd_days: f64,
}

/// What was learned, with how much evidence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Learned {
    /// The estimate.
    pub lead_time: LeadTime,
    /// Receipts it rests on.
    pub receipts: usize,
    /// Their total weight after recency (the prior's is [`Learning::prior_weight`]).
    pub evidence: f64,
}

/// The lead time `declared` and `receipts` together suggest. See the module
/// documentation.
pub fn learn(declared: LeadTime, receipts: &[Receipt], learning: Learning) -> Learned {
    if receipts.is_empty() {
        return Learned {
            lead_time: declared,
            receipts: 0,
            evidence: 0.0,
        };
    }
    let values: Vec<f64> = receipts.iter().map(|r| r.lead_time_days).collect();
    let center = median(&values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - center).abs()).collect();
    // With few or identical receipts the spread is not known from them alone: never
    // clip closer than the declared deviation, or than half a day.
    let scale = (1.4826 * median(&deviations)).max(declared.sd_days).max(0.5);
    let (low, high) = (
        center - learning.outlier_cut * scale,
        center + learning.outlier_cut * scale,
    );
    let weighted: Vec<(f64, f64)> = receipts
        .iter()
        .map(|r| {
            let weight = 0.5_f64.powf(r.age_days.max(0.0) / learning.half_life_days);
            (r.lead_time_days.clamp(low, high), weight)
        })
        .collect();
    let evidence: f64 = weighted.iter().map(|(_, w)| w).sum();
    let prior = learning.prior_weight;
    let total = prior + evidence;
    let mean = (prior * declared.mean_days + weighted.iter().map(|(x, w)| w * x).sum::<f64>()) / total;
    let spread = prior * (declared.sd_days.powi(2) + (declared.mean_days - mean).powi(2))
        + weighted.iter().map(|(x, w)| w * (x - mean).powi(2)).sum::<f64>();
    Learned {
        lead_time: LeadTime {
            mean_days: mean,
            sd_days: (spread / total).sqrt(),
        },
        receipts: receipts.len(),
        evidence,
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::synthetic::SplitMix64;

    /// `n` receipts drawn from a normal distribution, one a day back.
    fn receipts(seed: u64, n: usize, mean: f64, sd: f64) -> Vec<Receipt> {
        let mut rng = SplitMix64::new(seed);
        (0..n)
            .map(|i| Receipt {
                lead_time_days: mean + sd * rng.normal(),
                age_days: (n - i) as f64,
            })
            .collect()
    }

    const DECLARED: LeadTime = LeadTime {
        mean_days: 12.0,
        sd_days: 2.0,
    };

    #[test]
    fn without_receipts_the_declared_figures_stand() {
        let learned = learn(DECLARED, &[], Learning::default());
        assert_eq!(learned.lead_time, DECLARED);
        assert_eq!(learned.receipts, 0);
    }

    #[test]
    fn it_converges_to_the_true_mean_and_spread() {
        // The supplier is 30 % slower than declared and twice as spread.
        for seed in 1..=5 {
            let record = receipts(seed, 400, 15.6, 4.0);
            let learned = learn(DECLARED, &record, Learning::default()).lead_time;
            assert!((learned.mean_days - 15.6).abs() < 0.6, "seed {seed}: {learned:?}");
            assert!((learned.sd_days - 4.0).abs() < 0.6, "seed {seed}: {learned:?}");
        }
    }

    #[test]
    fn one_lost_shipment_moves_the_estimate_a_little() {
        let mut record = receipts(7, 30, 15.6, 4.0);
        let without = learn(DECLARED, &record, Learning::default()).lead_time;
        record.push(Receipt {
            lead_time_days: 200.0,
            age_days: 0.0,
        });
        let with = learn(DECLARED, &record, Learning::default()).lead_time;
        assert!(
            (with.mean_days - without.mean_days).abs() < 1.0,
            "{without:?} -> {with:?}"
        );
        assert!(with.sd_days < without.sd_days + 1.5, "{without:?} -> {with:?}");
    }

    #[test]
    fn few_receipts_stay_near_the_declared_figures() {
        let one = [Receipt {
            lead_time_days: 30.0,
            age_days: 0.0,
        }];
        let learned = learn(DECLARED, &one, Learning::default()).lead_time;
        assert!(
            learned.mean_days > 12.0 && learned.mean_days < 20.0,
            "{learned:?}"
        );
        assert!(learned.sd_days > DECLARED.sd_days, "a surprise widens the spread");
    }

    #[test]
    fn recent_receipts_count_more_than_old_ones() {
        let mut record: Vec<Receipt> = (0..20)
            .map(|i| Receipt {
                lead_time_days: 10.0,
                age_days: 400.0 + f64::from(i),
            })
            .collect();
        record.extend((0..20).map(|i| Receipt {
            lead_time_days: 20.0,
            age_days: f64::from(i),
        }));
        let learned = learn(DECLARED, &record, Learning::default()).lead_time;
        assert!(learned.mean_days > 17.0, "{learned:?}");
    }
}
