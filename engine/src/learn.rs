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

/// Every offer of one supplier learned from the supplier's receipts together: each
/// offer's `(declared, receipts)` in, its learned lead time out, in the same order.
///
/// A supplier that runs late runs late on everything it sells, and one material is
/// ordered from it a few times a year: learning each offer from its own receipts alone
/// would take years to follow a slip. So every receipt is read as a share of its
/// offer's declared mean, rescaled to the supplier's mean declared mean, and [`learn`]
/// runs once on all of them (the declared figures, with the offers' mean coefficient
/// of variation, as the prior); each offer then takes the learned ratio of mean and
/// spread to what it declared. An offer declared at zero days, or a supplier without
/// receipts, keeps what [`learn`] says of it alone.
pub fn learn_supplier(offers: &[(LeadTime, &[Receipt])], learning: Learning) -> Vec<Learned> {
    let dated: Vec<&(LeadTime, &[Receipt])> = offers.iter().filter(|(d, _)| d.mean_days > 0.0).collect();
    // Each receipt as a share of what its offer declared.
    let pooled: Vec<Receipt> = dated
        .iter()
        .flat_map(|(declared, receipts)| {
            let mean = declared.mean_days;
            receipts.iter().map(move |r| Receipt {
                lead_time_days: r.lead_time_days / mean,
                age_days: r.age_days,
            })
        })
        .collect();
    if pooled.is_empty() {
        return offers.iter().map(|(d, r)| learn(*d, r, learning)).collect();
    }
    let n = dated.len() as f64;
    let reference = dated.iter().map(|(d, _)| d.mean_days).sum::<f64>() / n;
    let cv = dated.iter().map(|(d, _)| d.sd_days / d.mean_days).sum::<f64>() / n;
    let rescaled: Vec<Receipt> = pooled
        .iter()
        .map(|r| Receipt {
            lead_time_days: r.lead_time_days * reference,
            age_days: r.age_days,
        })
        .collect();
    let prior = LeadTime {
        mean_days: reference,
        sd_days: cv * reference,
    };
    let common = learn(prior, &rescaled, learning);
    offers
        .iter()
        .map(|(declared, receipts)| {
            if declared.mean_days <= 0.0 {
                return learn(*declared, receipts, learning);
            }
            let scale = declared.mean_days / reference;
            Learned {
                lead_time: LeadTime {
                    mean_days: common.lead_time.mean_days * scale,
                    sd_days: common.lead_time.sd_days * scale,
                },
                receipts: common.receipts,
                evidence: common.evidence,
            }
        })
        .collect()
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
    fn a_supplier_slip_is_learned_across_its_offers() {
        // Three materials, each ordered a handful of times, from a supplier 30 % slower
        // than declared with twice the spread; a fourth it has never delivered.
        let declared = [(10.0, 2.0), (14.0, 3.0), (8.0, 1.5), (20.0, 4.0)];
        let records: Vec<Vec<Receipt>> = declared
            .iter()
            .enumerate()
            .map(|(i, &(mean, sd))| {
                let n = if i == 3 { 0 } else { 12 };
                receipts(i as u64 + 1, n, 1.3 * mean, 2.0 * sd)
            })
            .collect();
        let offers: Vec<(LeadTime, &[Receipt])> = declared
            .iter()
            .zip(&records)
            .map(|(&(mean_days, sd_days), r)| (LeadTime { mean_days, sd_days }, r.as_slice()))
            .collect();
        let learned = learn_supplier(&offers, Learning::default());
        for ((&(mean, sd), alone), pooled) in declared.iter().zip(&records).zip(&learned) {
            let pooled = pooled.lead_time;
            assert!((pooled.mean_days / mean - 1.3).abs() < 0.08, "{mean}: {pooled:?}");
            assert!(pooled.sd_days > 1.4 * sd, "{sd}: {pooled:?}");
            if !alone.is_empty() {
                let own = learn(
                    LeadTime {
                        mean_days: mean,
                        sd_days: sd,
                    },
                    alone,
                    Learning::default(),
                );
                assert!(
                    (pooled.mean_days - 1.3 * mean).abs()
                        <= (own.lead_time.mean_days - 1.3 * mean).abs() + 0.3,
                    "pooling follows the slip at least as closely: {pooled:?} vs {own:?}"
                );
            }
        }
        assert_eq!(
            learned[3].receipts, 36,
            "the unseen offer rests on the supplier's record"
        );
    }

    #[test]
    fn a_supplier_without_receipts_keeps_every_declared_figure() {
        let offers = [
            (DECLARED, &[][..]),
            (
                LeadTime {
                    mean_days: 5.0,
                    sd_days: 1.0,
                },
                &[][..],
            ),
        ];
        let learned = learn_supplier(&offers, Learning::default());
        assert_eq!(learned[0].lead_time, DECLARED);
        assert_eq!(
            learned[1].lead_time,
            LeadTime {
                mean_days: 5.0,
                sd_days: 1.0
            }
        );
    }

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
