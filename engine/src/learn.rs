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
//!
//! Orders still open count too ([`learn_waiting`]): the quick ones arrive first, so
//! receipts alone read a supplier as faster and steadier than it is; an order that has
//! waited `w` days is a lead time known to exceed `w` (a right-censored observation),
//! taken at its expected value under the estimate, iterated to the fixed point (EM).
//! A supplier's offers are learned together ([`learn_supplier`]).
//!
//! A work center's pace is learned the same way ([`learn_pace`]): each finished
//! operation's real minutes over its routing's minutes is one observation of the ratio,
//! the routings (a ratio of 1, exactly) the prior.

use serde::{Deserialize, Serialize};

use crate::policy::normal::{inverse_normal_cdf, normal_cdf};
use crate::state::Pace;
use crate::supply::Z_P90;

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

impl LeadTime {
    /// What is left of this lead time for an order that has waited `waited_days` whole
    /// days and not arrived, as a normal lead time of the days still to wait with the
    /// same median and 90th percentile.
    ///
    /// Lead times are whole days (a receipt's date minus its order's), so "not in after
    /// `w` days" bounds the normal lead time below at `w − ½` (the continuity
    /// correction), and what remains is that truncated normal less `w`. Its quantiles
    /// are the whole distribution's, taken from the share not yet in: the median moves
    /// past the plain `mean − w` as the order runs late. A truncated normal is skewed
    /// (its spread shrinks, its far tail does not), so it is matched at the median and
    /// the 90th percentile rather than by its moments, which would promise the late
    /// tail too early. A fresh order keeps the whole lead time; one past its mean is
    /// still expected some days later, never today with certainty.
    pub fn remaining(&self, waited_days: f64) -> LeadTime {
        let waited = waited_days.max(0.0);
        if self.sd_days <= 0.0 {
            return LeadTime {
                mean_days: (self.mean_days - waited).max(0.0),
                sd_days: 0.0,
            };
        }
        let gone = normal_cdf((waited - 0.5 - self.mean_days) / self.sd_days);
        let quantile = |p: f64| self.mean_days + self.sd_days * inverse_normal_cdf(gone + p * (1.0 - gone));
        let median = quantile(0.5);
        let p90 = quantile(0.9);
        LeadTime {
            mean_days: (median - waited).max(0.0),
            sd_days: ((p90 - median) / Z_P90).max(0.0),
        }
    }
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

/// A purchase order confirmed and not yet received: all it says is that its lead time
/// is longer than it has waited so far.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    /// Days since it was ordered.
    pub waited_days: f64,
}

/// Rounds of the EM iteration over the orders still waiting; it moves by less than
/// a thousandth of a day long before.
const EM_ROUNDS: usize = 50;

/// The lead time `declared` and `receipts` together suggest. See the module
/// documentation.
pub fn learn(declared: LeadTime, receipts: &[Receipt], learning: Learning) -> Learned {
    learn_waiting(declared, receipts, &[], learning)
}

/// [`learn`], also counting the orders still `waiting`.
///
/// Receipts alone are a biased sample whenever orders are still open: the ones that
/// arrived are the quick ones, and the slow ones are exactly those not yet in, so the
/// mean and the spread come out low, the more so the more recent (and heavier) the
/// receipts. An open order is a right-censored observation: its lead time is at least
/// what it has waited. Under the normal model, each counts (with a receipt's full
/// weight, being current) as its expected value and variance given that bound (the
/// inverse Mills ratio), and the estimate is iterated to its fixed point: the EM
/// algorithm for censored normal data.
pub fn learn_waiting(
    declared: LeadTime,
    receipts: &[Receipt],
    waiting: &[Waiting],
    learning: Learning,
) -> Learned {
    if receipts.is_empty() && waiting.is_empty() {
        return Learned {
            lead_time: declared,
            receipts: 0,
            evidence: 0.0,
        };
    }
    let points = winsorised(declared, receipts, learning);
    let evidence: f64 = points.iter().map(|(_, w)| w).sum();
    let mut estimate = combine(declared, &points, &[], learning);
    for _ in 0..EM_ROUNDS {
        let imputed: Vec<(f64, f64)> = waiting.iter().map(|w| beyond(estimate, w.waited_days)).collect();
        let next = combine(declared, &points, &imputed, learning);
        let moved = (next.mean_days - estimate.mean_days).abs() + (next.sd_days - estimate.sd_days).abs();
        estimate = next;
        if moved < 1e-6 {
            break;
        }
    }
    Learned {
        lead_time: estimate,
        receipts: receipts.len(),
        evidence,
    }
}

/// The receipts as `(days, weight)`: clipped to the median ± `outlier_cut` robust
/// deviations, weighed by recency.
fn winsorised(declared: LeadTime, receipts: &[Receipt], learning: Learning) -> Vec<(f64, f64)> {
    if receipts.is_empty() {
        return Vec::new();
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
    receipts
        .iter()
        .map(|r| {
            let weight = 0.5_f64.powf(r.age_days.max(0.0) / learning.half_life_days);
            (r.lead_time_days.clamp(low, high), weight)
        })
        .collect()
}

/// The weighted mean and deviation of the prior, the receipts `(days, weight)` and
/// the imputed waiting orders `(expected days, variance)`, each of weight one. The
/// variance combines every source's spread around the common mean (the law of total
/// variance).
fn combine(
    declared: LeadTime,
    points: &[(f64, f64)],
    imputed: &[(f64, f64)],
    learning: Learning,
) -> LeadTime {
    let prior = learning.prior_weight;
    let total = prior + points.iter().map(|(_, w)| w).sum::<f64>() + imputed.len() as f64;
    let mean = (prior * declared.mean_days
        + points.iter().map(|(x, w)| w * x).sum::<f64>()
        + imputed.iter().map(|(x, _)| x).sum::<f64>())
        / total;
    let spread = prior * (declared.sd_days.powi(2) + (declared.mean_days - mean).powi(2))
        + points.iter().map(|(x, w)| w * (x - mean).powi(2)).sum::<f64>()
        + imputed.iter().map(|(x, v)| v + (x - mean).powi(2)).sum::<f64>();
    LeadTime {
        mean_days: mean,
        sd_days: (spread / total).sqrt(),
    }
}

/// The mean and variance of a normal lead time `estimate` known to exceed `waited`
/// days.
fn beyond(estimate: LeadTime, waited: f64) -> (f64, f64) {
    let sd = estimate.sd_days.max(1e-6);
    let alpha = (waited - estimate.mean_days) / sd;
    let tail = crate::policy::normal::normal_cdf(-alpha);
    let density = (-0.5 * alpha * alpha).exp() / (2.0 * std::f64::consts::PI).sqrt();
    // Far in the tail the ratio tends to alpha (Mills' ratio); past f64's reach, take it.
    let lambda = if tail > 1e-300 {
        density / tail
    } else {
        alpha.max(0.0)
    };
    let mean = estimate.mean_days + sd * lambda;
    let variance = (sd * sd * (1.0 + alpha * lambda - lambda * lambda)).max(0.0);
    (mean, variance)
}

/// One offer of a supplier, as [`learn_supplier`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct Offer<'a> {
    /// What the supplier declared for it.
    pub declared: LeadTime,
    /// Its receipts.
    pub receipts: &'a [Receipt],
    /// Its orders not yet received.
    pub waiting: &'a [Waiting],
}

/// Every offer of one supplier learned from the supplier's receipts (and orders still
/// waiting) together: each offer in, its learned lead time out, in the same order.
///
/// A supplier that runs late runs late on everything it sells, and one material is
/// ordered from it a few times a year: learning each offer from its own receipts alone
/// would take years to follow a slip. So every receipt is read as a share of its
/// offer's declared mean, rescaled to the supplier's mean declared mean, and [`learn`]
/// runs once on all of them (the declared figures, with the offers' mean coefficient
/// of variation, as the prior); each offer then takes the learned ratio of mean and
/// spread to what it declared. An offer declared at zero days, or a supplier without
/// receipts, keeps what [`learn`] says of it alone.
pub fn learn_supplier(offers: &[Offer<'_>], learning: Learning) -> Vec<Learned> {
    let dated: Vec<&Offer<'_>> = offers.iter().filter(|o| o.declared.mean_days > 0.0).collect();
    if dated.iter().all(|o| o.receipts.is_empty()) {
        return offers
            .iter()
            .map(|o| learn_waiting(o.declared, o.receipts, o.waiting, learning))
            .collect();
    }
    let n = dated.len() as f64;
    let reference = dated.iter().map(|o| o.declared.mean_days).sum::<f64>() / n;
    let cv = dated
        .iter()
        .map(|o| o.declared.sd_days / o.declared.mean_days)
        .sum::<f64>()
        / n;
    // Every receipt and wait as a share of what its offer declared, in the supplier's
    // reference days.
    let mut receipts = Vec::new();
    let mut waiting = Vec::new();
    for o in &dated {
        let scale = reference / o.declared.mean_days;
        receipts.extend(o.receipts.iter().map(|r| Receipt {
            lead_time_days: r.lead_time_days * scale,
            age_days: r.age_days,
        }));
        waiting.extend(o.waiting.iter().map(|w| Waiting {
            waited_days: w.waited_days * scale,
        }));
    }
    let prior = LeadTime {
        mean_days: reference,
        sd_days: cv * reference,
    };
    let common = learn_waiting(prior, &receipts, &waiting, learning);
    offers
        .iter()
        .map(|o| {
            let declared = o.declared;
            if declared.mean_days <= 0.0 {
                return learn_waiting(declared, o.receipts, o.waiting, learning);
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

/// One finished operation: the minutes its routing states and the minutes it took.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finished {
    /// Minutes the routing states for it (setup and run, before any pace).
    pub planned_minutes: f64,
    /// Minutes it really took.
    pub actual_minutes: f64,
    /// Days since it finished.
    pub age_days: f64,
}

/// A work center's pace as learned, with how much evidence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnedPace {
    /// Real ÷ planned minutes: mean and spread from order to order.
    pub pace: Pace,
    /// Finished operations it rests on.
    pub operations: usize,
    /// Their total weight after recency.
    pub evidence: f64,
}

/// A work center's pace from its `finished` operations: each one's real ÷ planned
/// minutes is an observation of the ratio, weighed, winsorised and combined with the
/// prior exactly as [`learn`] does with receipts, the routings' own figures (a ratio of
/// one, no spread) counting as [`Learning::prior_weight`] operations. Operations
/// planned at zero minutes say nothing of a pace and are left out.
pub fn learn_pace(finished: &[Finished], learning: Learning) -> LearnedPace {
    let ratios: Vec<Receipt> = finished
        .iter()
        .filter(|f| f.planned_minutes > 0.0 && f.actual_minutes >= 0.0)
        .map(|f| Receipt {
            lead_time_days: f.actual_minutes / f.planned_minutes,
            age_days: f.age_days,
        })
        .collect();
    let as_planned = LeadTime {
        mean_days: 1.0,
        sd_days: 0.0,
    };
    let learned = learn(as_planned, &ratios, learning);
    LearnedPace {
        pace: Pace {
            ratio: learned.lead_time.mean_days,
            sd: learned.lead_time.sd_days,
        },
        operations: learned.receipts,
        evidence: learned.evidence,
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
        let offers: Vec<Offer<'_>> = declared
            .iter()
            .zip(&records)
            .map(|(&(mean_days, sd_days), r)| Offer {
                declared: LeadTime { mean_days, sd_days },
                receipts: r.as_slice(),
                waiting: &[],
            })
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
        let other = LeadTime {
            mean_days: 5.0,
            sd_days: 1.0,
        };
        let offers = [DECLARED, other].map(|declared| Offer {
            declared,
            receipts: &[],
            waiting: &[],
        });
        let learned = learn_supplier(&offers, Learning::default());
        assert_eq!(learned[0].lead_time, DECLARED);
        assert_eq!(learned[1].lead_time, other);
    }

    #[test]
    fn orders_still_waiting_correct_the_bias_of_the_quick_ones_arriving_first() {
        // A year of weekly orders from a supplier taking 13 ± 4 days (declared 10 ± 2),
        // looked at while the last weeks' are still coming: of the orders placed within
        // the last 20 days only those that were quick have arrived.
        let mut rng = SplitMix64::new(11);
        let declared = LeadTime {
            mean_days: 10.0,
            sd_days: 2.0,
        };
        let today = 400.0;
        let (mut receipts, mut waiting) = (Vec::new(), Vec::new());
        for week in 0..57 {
            let ordered = 7.0 * week as f64;
            let days = (13.0 + 4.0 * rng.normal()).round().max(1.0);
            if ordered + days <= today {
                receipts.push(Receipt {
                    lead_time_days: days,
                    age_days: today - ordered - days,
                });
            } else {
                waiting.push(Waiting {
                    waited_days: today - ordered,
                });
            }
        }
        assert!(!waiting.is_empty());
        let learning = Learning {
            half_life_days: 30.0,
            ..Learning::default()
        };
        let received_only = learn(declared, &receipts, learning).lead_time;
        let with_waiting = learn_waiting(declared, &receipts, &waiting, learning).lead_time;
        assert!(
            (with_waiting.mean_days - 13.0).abs() < (received_only.mean_days - 13.0).abs(),
            "{received_only:?} -> {with_waiting:?}"
        );
        assert!(with_waiting.mean_days > received_only.mean_days);
    }

    #[test]
    fn an_order_waiting_longer_than_any_receipt_raises_the_estimate() {
        let on_time: Vec<Receipt> = (0..10)
            .map(|i| Receipt {
                lead_time_days: 12.0,
                age_days: i as f64,
            })
            .collect();
        let before = learn(DECLARED, &on_time, Learning::default()).lead_time;
        let late = [Waiting { waited_days: 30.0 }];
        let after = learn_waiting(DECLARED, &on_time, &late, Learning::default()).lead_time;
        assert!(
            after.mean_days > before.mean_days + 1.0,
            "{before:?} -> {after:?}"
        );
        assert!(after.sd_days > before.sd_days, "{before:?} -> {after:?}");
        let young = [Waiting { waited_days: 1.0 }];
        let barely = learn_waiting(DECLARED, &on_time, &young, Learning::default()).lead_time;
        assert!(
            (barely.mean_days - before.mean_days).abs() < 0.1,
            "{before:?} -> {barely:?}"
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

    /// The slipping supplier's true lead time in the replay's target scenario.
    const SLIPPED: LeadTime = LeadTime {
        mean_days: 13.0,
        sd_days: 4.0,
    };

    #[test]
    fn a_fresh_order_keeps_its_whole_lead_time() {
        let lead = SLIPPED;
        let left = lead.remaining(0.0);
        // Truncation at −½ day, 3.4 spreads below the mean, removes almost nothing.
        assert!((left.mean_days - 13.0).abs() < 0.01, "{left:?}");
        assert!((left.sd_days - 4.0).abs() < 0.01, "{left:?}");
        // Five days in, a little more than the eight left: the quick 2 % that would be
        // in by now are not among the ones still waiting.
        let later = lead.remaining(5.0);
        assert!(later.mean_days > 8.0 && later.mean_days < 8.2, "{later:?}");
    }

    #[test]
    fn an_order_past_its_mean_is_still_expected_later_with_the_tail_kept() {
        let lead = SLIPPED;
        // At its mean, 45 % would be in (P(L < 12.5)): the median of the rest is the
        // whole distribution's 72.5th percentile, 13 + 4 · 0.598, 2.39 days away.
        let due = lead.remaining(13.0);
        assert!((due.mean_days - 2.39).abs() < 0.01, "{due:?}");
        // Its 97th percentile is the whole distribution's 98.35th, 13 + 4 · 2.13:
        // 8.5 days away, which the matched normal keeps to within half a day (the
        // truncated normal's own moments would say 7.6).
        let p97 = due.mean_days + 1.88 * due.sd_days;
        assert!((p97 - 8.5).abs() < 0.5, "{due:?}: {p97}");
        // The longer it is overdue, the sooner what is left, and the surer.
        let mut previous = due;
        for waited in [16.0, 20.0, 30.0] {
            let left = lead.remaining(waited);
            assert!(left.mean_days > 0.0, "{waited}: {left:?}");
            assert!(left.mean_days < previous.mean_days, "{waited}: {left:?}");
            assert!(left.sd_days < previous.sd_days, "{waited}: {left:?}");
            previous = left;
        }
    }

    #[test]
    fn a_certain_lead_time_counts_down_to_today() {
        let certain = LeadTime {
            mean_days: 10.0,
            sd_days: 0.0,
        };
        assert_eq!(certain.remaining(4.0).mean_days, 6.0);
        assert_eq!(certain.remaining(12.0).mean_days, 0.0);
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

    /// `n` operations planned at 120 minutes whose real minutes are drawn around
    /// `ratio` × 120 with spread `sd` × 120, one a day back.
    fn finished(seed: u64, n: usize, ratio: f64, sd: f64) -> Vec<Finished> {
        receipts(seed, n, ratio, sd)
            .into_iter()
            .map(|r| Finished {
                planned_minutes: 120.0,
                actual_minutes: r.lead_time_days * 120.0,
                age_days: r.age_days,
            })
            .collect()
    }

    #[test]
    fn a_slow_work_centers_pace_is_learned_from_its_finished_operations() {
        let learned = learn_pace(&finished(11, 80, 1.25, 0.1), Learning::default());
        assert!((learned.pace.ratio - 1.25).abs() < 0.03, "{learned:?}");
        assert!((learned.pace.sd - 0.1).abs() < 0.03, "{learned:?}");
        assert_eq!(learned.operations, 80);
    }

    #[test]
    fn without_finished_operations_the_pace_is_the_routings() {
        let learned = learn_pace(&[], Learning::default());
        assert_eq!(learned.pace, Pace::default());
        let unplanned = [Finished {
            planned_minutes: 0.0,
            actual_minutes: 40.0,
            age_days: 1.0,
        }];
        assert_eq!(learn_pace(&unplanned, Learning::default()).pace, Pace::default());
    }

    #[test]
    fn one_slow_operation_moves_the_pace_only_part_of_the_way() {
        let one = [Finished {
            planned_minutes: 100.0,
            actual_minutes: 200.0,
            age_days: 0.0,
        }];
        let learned = learn_pace(&one, Learning::default()).pace;
        assert!(learned.ratio > 1.1 && learned.ratio < 1.5, "{learned:?}");
        assert!(learned.sd > 0.0, "a surprise widens the spread");
    }
}
