//! Whether a daily series is rising or falling: a short exponentially weighted average
//! against a long one.
//!
//! Both averages are the recursive EWMA seeded with the first day's value,
//! `s₀ = x₀`, `sₜ = α·xₜ + (1 − α)·sₜ₋₁`, with `α = 2 / (span + 1)` (Brown, *Smoothing,
//! Forecasting and Prediction of Discrete Time Series*, 1963; the "span" convention of
//! pandas' `ewm(span=…, adjust=False)`, so results can be checked there). A span of 7
//! days reacts within a week, 28 days follows the month: their ratio is above 1 when
//! recent days run ahead of the month and below 1 when they fall behind it.
//!
//! The heat analytics read it on the daily add-to-cart plus preorder counts of a
//! product or an option value (`docs/analytics.md`).

/// The short average's span in days.
pub const SHORT_SPAN: u32 = 7;
/// The long average's span in days.
pub const LONG_SPAN: u32 = 28;
/// A ratio above this is rising.
pub const RISING_ABOVE: f64 = 1.2;
/// A ratio below this is falling.
pub const FALLING_BELOW: f64 = 0.8;

/// The smoothing factor of a span: `2 / (span + 1)`.
pub fn alpha(span: u32) -> f64 {
    2.0 / (f64::from(span) + 1.0)
}

/// The exponentially weighted average of `series` after its last value, seeded with
/// its first; `None` for an empty series.
pub fn ewma(series: &[f64], span: u32) -> Option<f64> {
    let (&first, rest) = series.split_first()?;
    let a = alpha(span);
    Some(rest.iter().fold(first, |average, &x| a * x + (1.0 - a) * average))
}

/// Which way a series is heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The short average is more than [`RISING_ABOVE`] times the long one.
    Rising,
    /// The short average is less than [`FALLING_BELOW`] times the long one.
    Falling,
    /// Neither, or no activity at all.
    Steady,
}

impl Direction {
    /// The direction of `short / long`; steady when there is no ratio (a long average
    /// of 0: nothing happened in the series).
    pub fn of_ratio(ratio: Option<f64>) -> Direction {
        match ratio {
            Some(r) if r > RISING_ABOVE => Direction::Rising,
            Some(r) if r < FALLING_BELOW => Direction::Falling,
            _ => Direction::Steady,
        }
    }
}

/// A series' short and long averages and what they say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trend {
    /// The EWMA of span [`SHORT_SPAN`] after the last day.
    pub short: f64,
    /// The EWMA of span [`LONG_SPAN`] after the last day.
    pub long: f64,
    /// `short / long`; `None` when `long` is 0.
    pub ratio: Option<f64>,
    /// Rising, falling or steady, from `ratio`.
    pub direction: Direction,
}

impl Trend {
    /// The trend of a daily series, oldest day first. An empty series is all zeros.
    pub fn of(series: &[f64]) -> Trend {
        let short = ewma(series, SHORT_SPAN).unwrap_or(0.0);
        let long = ewma(series, LONG_SPAN).unwrap_or(0.0);
        let ratio = (long != 0.0).then(|| short / long);
        Trend {
            short,
            long,
            ratio,
            direction: Direction::of_ratio(ratio),
        }
    }

    /// The trend of daily counts, oldest day first.
    pub fn of_counts(counts: &[u64]) -> Trend {
        let series: Vec<f64> = counts.iter().map(|&n| n as f64).collect();
        Trend::of(&series)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-12, "{actual} is not {expected}");
    }

    #[test]
    fn alpha_is_two_over_span_plus_one() {
        close(alpha(7), 0.25);
        close(alpha(28), 2.0 / 29.0);
        close(alpha(1), 1.0);
    }

    #[test]
    fn the_average_starts_at_the_first_value() {
        assert_eq!(ewma(&[], 7), None);
        close(ewma(&[5.0], 7).unwrap(), 5.0);
        close(ewma(&[5.0, 5.0, 5.0], 28).unwrap(), 5.0);
    }

    #[test]
    fn each_day_moves_the_average_by_alpha_of_the_gap() {
        // Span 3, α = 0.5: 4 → 0.5·0 + 0.5·4 = 2 → 0.5·8 + 0.5·2 = 5.
        close(ewma(&[4.0, 0.0, 8.0], 3).unwrap(), 5.0);
        // Span 7, α = 0.25: 4 → 3 → 0.25·8 + 0.75·3 = 4.25.
        close(ewma(&[4.0, 0.0, 8.0], 7).unwrap(), 4.25);
        // Span 28, α = 2/29: 4 → 4·27/29 = 108/29 → 16/29 + 27/29·108/29.
        close(
            ewma(&[4.0, 0.0, 8.0], 28).unwrap(),
            16.0 / 29.0 + 27.0 * 108.0 / (29.0 * 29.0),
        );
    }

    #[test]
    fn a_jump_after_quiet_days_is_rising() {
        // short = 0.25·8 = 2; long = 2/29·8 = 16/29; ratio = 29/8.
        let t = Trend::of_counts(&[0, 8]);
        close(t.short, 2.0);
        close(t.long, 16.0 / 29.0);
        close(t.ratio.unwrap(), 29.0 / 8.0);
        assert_eq!(t.direction, Direction::Rising);
    }

    #[test]
    fn quiet_days_after_busy_ones_are_falling() {
        // Three days of 10, three of 0: short = 10·0.75³, long = 10·(27/29)³.
        let t = Trend::of_counts(&[10, 10, 10, 0, 0, 0]);
        close(t.short, 4.218_75);
        close(t.long, 10.0 * 19_683.0 / 24_389.0);
        close(t.ratio.unwrap(), 0.421_875 * 24_389.0 / 19_683.0);
        assert_eq!(t.direction, Direction::Falling);
    }

    #[test]
    fn a_flat_series_is_steady_and_an_empty_one_has_no_ratio() {
        let flat = Trend::of_counts(&[3; 40]);
        close(flat.ratio.unwrap(), 1.0);
        assert_eq!(flat.direction, Direction::Steady);
        let quiet = Trend::of_counts(&[0; 90]);
        assert_eq!((quiet.short, quiet.long, quiet.ratio), (0.0, 0.0, None));
        assert_eq!(quiet.direction, Direction::Steady);
        assert_eq!(Trend::of(&[]).direction, Direction::Steady);
    }

    #[test]
    fn the_thresholds_themselves_are_steady() {
        assert_eq!(Direction::of_ratio(Some(1.2)), Direction::Steady);
        assert_eq!(Direction::of_ratio(Some(0.8)), Direction::Steady);
        assert_eq!(Direction::of_ratio(Some(1.21)), Direction::Rising);
        assert_eq!(Direction::of_ratio(Some(0.79)), Direction::Falling);
        assert_eq!(Direction::of_ratio(None), Direction::Steady);
    }
}
