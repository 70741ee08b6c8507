//! The search for a smoothing constant: its bounds, the in-sample error it minimises
//! and statsforecast's golden-section search (`golden_section_ses`, `ses_sse`,
//! `ses_forecast` in `src/ses.cpp` at a580cf9, statsforecast 2.1.1). Shared by the
//! one-series fits (`fitted`) and the batched ones (`lockstep`), which is why it is
//! neither's.

/// Where a smoothing constant is searched, both ends included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Smallest α.
    pub lower: f64,
    /// Largest α.
    pub upper: f64,
}

/// The bounds of statsforecast's `SimpleExponentialSmoothingOptimized` (`_ses_optimized`).
pub const SES_FITTED_BOUNDS: Bounds = Bounds {
    lower: 0.01,
    upper: 0.99,
};

/// The bounds statsforecast's intermittent methods fit within (the default of
/// `_optimized_ses_forecast`, used by `CrostonOptimized`, `ADIDA` and `IMAPA`): slow
/// smoothing, as the intermittent-demand literature recommends (0.1–0.3).
pub const INTERMITTENT_BOUNDS: Bounds = Bounds {
    lower: 0.1,
    upper: 0.3,
};

/// (√5 + 1) / 2, the literal of `golden_section_ses` (a test checks it is that sum).
pub(crate) const GOLDEN_RATIO: f64 = 1.618_033_988_749_895;

/// The search stops once the bracket is narrower than this.
pub(crate) const GOLDEN_TOLERANCE: f64 = 1e-12;

/// The in-sample sum of squared one-step SES errors at `alpha`: the forecast of day
/// i + 1 starts at day 0's value and is α·xᵢ + (1 − α)·forecast; days 1 onwards are
/// compared with their forecast. Fewer than two days: 0. statsforecast's `ses_sse`.
pub fn ses_sse(series: &[f64], alpha: f64) -> f64 {
    let Some(&first) = series.first() else {
        return 0.0;
    };
    let complement = 1.0 - alpha;
    let mut forecast = first;
    let mut sse = 0.0;
    for pair in series.windows(2) {
        forecast = alpha * pair[0] + complement * forecast;
        let error = pair[1] - forecast;
        sse += error * error;
    }
    sse
}

/// The α within `bounds` that minimises [`ses_sse`], by statsforecast's
/// `golden_section_ses`: golden-section search on [lower, upper] until the bracket is
/// narrower than 10⁻¹², or until its two probes have the same SSE (a flat stretch,
/// e.g. a series of fewer than two days); the answer is the bracket's middle.
///
/// Kiefer (1953), "Sequential minimax search for a maximum", Proceedings of the AMS
/// 4(3), 502–506. SSE need not be unimodal in α; like statsforecast, this returns the
/// minimum the search converges to.
pub fn fit_alpha(series: &[f64], bounds: Bounds) -> f64 {
    let (mut a, mut b) = (bounds.lower, bounds.upper);
    let mut c = b - (b - a) / GOLDEN_RATIO;
    let mut d = a + (b - a) / GOLDEN_RATIO;
    let mut fc = ses_sse(series, c);
    let mut fd = ses_sse(series, d);
    while (b - a).abs() >= GOLDEN_TOLERANCE {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - (b - a) / GOLDEN_RATIO;
            fc = ses_sse(series, c);
        } else if fd < fc {
            a = c;
            c = d;
            fc = fd;
            d = a + (b - a) / GOLDEN_RATIO;
            fd = ses_sse(series, d);
        } else {
            break;
        }
    }
    (b + a) / 2.0
}

/// The SES forecast at `alpha` as statsforecast's C++ `ses_forecast` gives it: one day
/// forecasts that day (the Python versions and [`super::ses`] smooth it into itself,
/// which can differ in the last bit); an empty series 0 (statsforecast raises).
pub(crate) fn ses_forecast(series: &[f64], alpha: f64) -> f64 {
    match series {
        [] => 0.0,
        [only] => *only,
        [first, ..] => {
            let complement = 1.0 - alpha;
            let mut level = *first;
            for &x in series {
                level = alpha * x + complement * level;
            }
            level
        }
    }
}
