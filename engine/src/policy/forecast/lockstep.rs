//! Many SES smoothing constants fitted side by side.
//!
//! Each fit is statsforecast's golden-section search ([`fit_alpha`]): some 55 passes
//! over its series, each pass one chain of dependent multiply-adds, so a single fit
//! waits on latency rather than arithmetic. Fits are independent of each other, so a
//! [`FitBatch`] runs [`LANES`] of them in lockstep: one pass over the time axis
//! advances every lane's recursion, the processor overlaps the chains and packs the
//! lanes into vector registers. Each lane does exactly the arithmetic a lone fit
//! does, in the same order, so the results are the same to the last bit (a test
//! checks it against [`fit_alpha`]).
//!
//! [`fit_alpha`]: super::fit_alpha

use super::golden::{Bounds, ses_forecast};

mod search;

use search::Search;

/// Fits run side by side in one pass: eight f64 recursions, enough to cover the
/// latency of a multiply and an add with two-wide vector registers.
pub(crate) const LANES: usize = 8;

/// One fit in a [`FitBatch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FitId(usize);

impl FitId {
    /// The fit pushed `offset` fits after this one.
    pub(crate) fn nth(self, offset: usize) -> FitId {
        FitId(self.0 + offset)
    }
}

/// SES fits collected from anywhere (several methods, origins and materials), then
/// solved together by [`FitBatch::solve`]. Its buffers are kept between uses, so a
/// batch reused with [`FitBatch::clear`] stops allocating once it has grown.
#[derive(Debug, Default)]
pub(crate) struct FitBatch {
    /// Every fit's series, back to back.
    data: Vec<f64>,
    fits: Vec<Fit>,
    /// Fits in the order they are solved: by bounds, then longest first, so the lanes
    /// of one group have similar lengths.
    order: Vec<usize>,
    /// One group's series, interleaved: `lanes[i][k]` is day `i` of lane `k`.
    lanes: Vec<[f64; LANES]>,
}

#[derive(Clone, Copy, Debug)]
struct Fit {
    start: usize,
    len: usize,
    bounds: Bounds,
    alpha: f64,
    forecast: f64,
}

impl FitBatch {
    /// Forgets every fit, keeping the buffers.
    pub(crate) fn clear(&mut self) {
        self.data.clear();
        self.fits.clear();
    }

    /// Adds a fit of `series` with α searched within `bounds`.
    pub(crate) fn push(&mut self, bounds: Bounds, series: impl IntoIterator<Item = f64>) -> FitId {
        let start = self.data.len();
        self.data.extend(series);
        self.fits.push(Fit {
            start,
            len: self.data.len() - start,
            bounds,
            alpha: f64::NAN,
            forecast: f64::NAN,
        });
        FitId(self.fits.len() - 1)
    }

    /// The fitted α of a fit (after [`FitBatch::solve`]).
    pub(crate) fn alpha(&self, id: FitId) -> f64 {
        self.fits[id.0].alpha
    }

    /// The one-step forecast of a fit at its α (after [`FitBatch::solve`]).
    pub(crate) fn forecast(&self, id: FitId) -> f64 {
        self.fits[id.0].forecast
    }

    /// Fits α for every fit pushed, then its forecast.
    pub(crate) fn solve(&mut self) {
        self.order.clear();
        for (i, fit) in self.fits.iter_mut().enumerate() {
            if fit.len < 2 {
                // No one-step error to measure: both first probes tie, and the search
                // stops at the middle of the bounds.
                fit.alpha = (fit.bounds.upper + fit.bounds.lower) / 2.0;
            } else {
                self.order.push(i);
            }
        }
        let fits = &self.fits;
        self.order.sort_unstable_by(|&i, &j| {
            let (a, b) = (&fits[i], &fits[j]);
            (a.bounds.lower.to_bits(), a.bounds.upper.to_bits(), b.len, i).cmp(&(
                b.bounds.lower.to_bits(),
                b.bounds.upper.to_bits(),
                a.len,
                j,
            ))
        });
        for group in 0..self.order.len().div_ceil(LANES) {
            self.solve_group(group * LANES);
        }
        for fit in &mut self.fits {
            fit.forecast = ses_forecast(&self.data[fit.start..fit.start + fit.len], fit.alpha);
        }
    }

    /// Runs the searches of `order[first..first + LANES]` in lockstep.
    fn solve_group(&mut self, first: usize) {
        let members = &self.order[first..(first + LANES).min(self.order.len())];
        let days = members.iter().map(|&i| self.fits[i].len).max().unwrap_or(0);
        self.lanes.clear();
        self.lanes.resize(days, [0.0; LANES]);
        // Lanes without a fit run alongside the longest, ignored.
        let mut lens = [days; LANES];
        let mut searches = [Search::DONE; LANES];
        for (k, &i) in members.iter().enumerate() {
            let fit = self.fits[i];
            for (day, &x) in self.data[fit.start..fit.start + fit.len].iter().enumerate() {
                self.lanes[day][k] = x;
            }
            lens[k] = fit.len;
            searches[k] = Search::new(fit.bounds);
        }
        loop {
            let mut alphas = [0.5; LANES];
            let mut searching = false;
            for (alpha, search) in alphas.iter_mut().zip(&searches) {
                if let Some(probe) = search.probe() {
                    *alpha = probe;
                    searching = true;
                }
            }
            if !searching {
                break;
            }
            let sse = sse_lanes(&self.lanes, &lens, &alphas);
            for (search, sse) in searches.iter_mut().zip(sse) {
                search.take(sse);
            }
        }
        for (k, &i) in members.iter().enumerate() {
            self.fits[i].alpha = searches[k].alpha();
        }
    }
}

/// The in-sample sum of squared one-step errors of SES in every lane: statsforecast's
/// `ses_sse` (see [`super::ses_sse`]), lane `k` over its first `lens[k]` days at
/// `alphas[k]`.
///
/// Written for the vectoriser: over the days every lane has, each lane does the same
/// straight-line arithmetic; only past the shortest lane does a lane check whether the
/// day is still its own.
fn sse_lanes(lanes: &[[f64; LANES]], lens: &[usize; LANES], alphas: &[f64; LANES]) -> [f64; LANES] {
    let Some(&first) = lanes.first() else {
        return [0.0; LANES];
    };
    let complements = alphas.map(|alpha| 1.0 - alpha);
    let shared = lens.iter().copied().min().unwrap_or(0).clamp(1, lanes.len());
    let mut forecast = first;
    let mut sse = [0.0; LANES];
    for pair in lanes[..shared].windows(2) {
        for k in 0..LANES {
            forecast[k] = alphas[k] * pair[0][k] + complements[k] * forecast[k];
            let error = pair[1][k] - forecast[k];
            sse[k] += error * error;
        }
    }
    for (day, pair) in lanes
        .windows(2)
        .enumerate()
        .skip(shared - 1)
        .map(|(i, pair)| (i + 1, pair))
    {
        for k in 0..LANES {
            forecast[k] = alphas[k] * pair[0][k] + complements[k] * forecast[k];
            let error = pair[1][k] - forecast[k];
            if day < lens[k] {
                sse[k] += error * error;
            }
        }
    }
    sse
}

#[cfg(test)]
mod tests;
