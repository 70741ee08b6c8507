//! The backtest's error: RMSSE, the root mean squared scaled error of the M5
//! competition (Makridakis, Spiliotis & Assimakopoulos 2022, "M5 accuracy competition:
//! Results, findings, and conclusions", IJF 38(4), 1346–1364).
//!
//! RMSSE = √( mean over the scored days of (y − ŷ)² / s ), with s the mean squared
//! day-to-day change of the history (the in-sample error of the naive one-step
//! forecast). Squared errors are smallest for the mean, the figure the stock formulas
//! use as d̄; absolute errors (MASE) are smallest for the median, which for intermittent
//! demand is 0, so MASE rewards forecasting nothing. Dividing by s puts every material
//! on one scale (1 is as good as the naive forecast is on the history); all candidates
//! of a material share s, so it never changes which one is chosen.

use super::origins::HORIZON_DAYS;

/// The scale s: the mean of (yₜ − yₜ₋₁)² over the history before the first origin,
/// from its first day with demand (M5's convention: days before an item's first sale
/// say nothing of it). When that is 0 (no demand yet, a single day, or a constant),
/// the same over the whole history; when that is 0 too, 1, and the error is an RMSE
/// in units per day.
pub fn naive_scale(series: &[f64], first_origin: usize) -> f64 {
    [&series[..first_origin.min(series.len())], series]
        .into_iter()
        .filter_map(mean_squared_change)
        .find(|&scale| scale > 0.0)
        .unwrap_or(1.0)
}

/// Mean squared day-to-day change from the first day with demand; `None` with fewer
/// than two such days.
fn mean_squared_change(series: &[f64]) -> Option<f64> {
    let start = series.iter().position(|&x| x > 0.0)?;
    let days = &series[start..];
    if days.len() < 2 {
        return None;
    }
    let sum: f64 = days
        .windows(2)
        .map(|pair| (pair[1] - pair[0]) * (pair[1] - pair[0]))
        .sum();
    Some(sum / (days.len() - 1) as f64)
}

/// RMSSE of flat forecasts: each `(origin, forecast)` is scored over the
/// [`HORIZON_DAYS`] from its origin (or to the end of the series), at scale `scale`.
/// No scored day: 0.
pub fn rmsse(series: &[f64], forecasts: impl IntoIterator<Item = (usize, f64)>, scale: f64) -> f64 {
    let (mut sum, mut days) = (0.0, 0usize);
    for (origin, forecast) in forecasts {
        let scored = &series[origin.min(series.len())..(origin + HORIZON_DAYS).min(series.len())];
        sum += scored
            .iter()
            .map(|&y| (y - forecast) * (y - forecast))
            .sum::<f64>();
        days += scored.len();
    }
    if days == 0 {
        0.0
    } else {
        (sum / days as f64 / scale).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_the_naive_forecasts_squared_error_from_the_first_demand() {
        // Before the origin 4: 0, 2, 4, 2 → from day 2: changes 2, −2, mean square 4.
        assert_eq!(naive_scale(&[0., 2., 4., 2., 9., 9.], 4), 4.0);
    }

    #[test]
    fn a_flat_start_borrows_the_scale_of_the_whole_history() {
        // Nothing before the origin; over the whole series the changes are 3 and −3.
        assert_eq!(naive_scale(&[0., 0., 0., 3., 0.], 3), 9.0);
        // Constant throughout: no scale, errors stay in units.
        assert_eq!(naive_scale(&[2.; 10], 5), 1.0);
        assert_eq!(naive_scale(&[0.; 10], 5), 1.0);
    }

    #[test]
    fn rmsse_pools_every_scored_day() {
        // Two origins, 14 days each of demand 2: forecasts 1 and 3 miss by 1 every
        // day, so the mean square is 1 and, at scale 4, RMSSE √(1/4) = 0.5.
        let series = [2.; 40];
        assert_eq!(rmsse(&series, [(12, 1.0), (26, 3.0)], 4.0), 0.5);
        assert_eq!(rmsse(&series, [], 4.0), 0.0);
    }
}
