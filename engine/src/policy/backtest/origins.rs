//! Where the backtest stands: forecast origins spaced by the horizon over the end of
//! the history, so every one of its last days is forecast exactly once.

/// Days each origin's forecast is held flat and scored over: two weeks, about a
/// supplier's lead time, which is how far the policy's forecast has to reach.
pub const HORIZON_DAYS: usize = 14;

/// Origins at most: the last 4 × 14 = 56 days are forecast.
pub const MAX_ORIGINS: usize = 4;

/// Days of history an origin needs before it, so there is something to fit.
pub const MIN_TRAINING_DAYS: usize = 28;

/// The origins of a history of `days`, oldest first: n − 56, n − 42, n − 28 and
/// n − 14, each kept only with at least [`MIN_TRAINING_DAYS`] before it. An origin is
/// the number of days a forecast may see: at origin t, days 0..t are known and days
/// t..t + 14 are forecast. Under 42 days of history there are none.
pub fn origins(days: usize) -> Vec<usize> {
    let mut origins = Vec::with_capacity(MAX_ORIGINS + 1);
    origins.extend(
        (1..=MAX_ORIGINS)
            .rev()
            .filter_map(|k| days.checked_sub(k * HORIZON_DAYS))
            .filter(|&origin| origin >= MIN_TRAINING_DAYS),
    );
    origins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_scored_over_its_last_eight_weeks() {
        assert_eq!(origins(365), [309, 323, 337, 351]);
    }

    #[test]
    fn a_short_history_keeps_the_origins_it_can_train_for() {
        assert_eq!(origins(60), [32, 46]);
        assert_eq!(origins(42), [28]);
        assert!(origins(41).is_empty());
        assert!(origins(0).is_empty());
    }
}
