//! One golden-section search, run a probe at a time so that many can share a pass.

use crate::policy::forecast::golden::{Bounds, GOLDEN_RATIO, GOLDEN_TOLERANCE};

/// statsforecast's `golden_section_ses` as a state machine: it names the α it needs the
/// SSE of next ([`Search::probe`]), is handed that SSE ([`Search::take`]), and moves on
/// exactly as the loop of [`fit_alpha`] does.
///
/// [`fit_alpha`]: crate::policy::forecast::fit_alpha
#[derive(Clone, Copy, Debug)]
pub(super) struct Search {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    fc: f64,
    fd: f64,
    wants: Wants,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wants {
    /// The first probe, at c.
    FirstC,
    /// The second probe, at d.
    FirstD,
    /// A new c after the bracket moved down.
    C,
    /// A new d after the bracket moved up.
    D,
    Done,
}

impl Search {
    pub(super) const DONE: Search = Search {
        a: 0.0,
        b: 0.0,
        c: 0.0,
        d: 0.0,
        fc: 0.0,
        fd: 0.0,
        wants: Wants::Done,
    };

    pub(super) fn new(bounds: Bounds) -> Search {
        let (a, b) = (bounds.lower, bounds.upper);
        Search {
            a,
            b,
            c: b - (b - a) / GOLDEN_RATIO,
            d: a + (b - a) / GOLDEN_RATIO,
            fc: f64::NAN,
            fd: f64::NAN,
            wants: Wants::FirstC,
        }
    }

    /// The α whose SSE the search needs next; `None` once it has finished.
    pub(super) fn probe(&self) -> Option<f64> {
        match self.wants {
            Wants::FirstC | Wants::C => Some(self.c),
            Wants::FirstD | Wants::D => Some(self.d),
            Wants::Done => None,
        }
    }

    /// Hands the search the SSE at its probe.
    pub(super) fn take(&mut self, sse: f64) {
        match self.wants {
            Wants::FirstC => {
                self.fc = sse;
                self.wants = Wants::FirstD;
            }
            Wants::FirstD | Wants::D => {
                self.fd = sse;
                self.step();
            }
            Wants::C => {
                self.fc = sse;
                self.step();
            }
            Wants::Done => {}
        }
    }

    /// One turn of the loop: stop when the bracket is narrower than the tolerance or
    /// the two probes tie, else keep the better side and ask for the new probe.
    fn step(&mut self) {
        // The C++ loop's condition: false for a NaN bracket too.
        let open = (self.b - self.a).abs() >= GOLDEN_TOLERANCE;
        if !open {
            self.wants = Wants::Done;
        } else if self.fc < self.fd {
            self.b = self.d;
            self.d = self.c;
            self.fd = self.fc;
            self.c = self.b - (self.b - self.a) / GOLDEN_RATIO;
            self.wants = Wants::C;
        } else if self.fd < self.fc {
            self.a = self.c;
            self.c = self.d;
            self.fc = self.fd;
            self.d = self.a + (self.b - self.a) / GOLDEN_RATIO;
            self.wants = Wants::D;
        } else {
            self.wants = Wants::Done;
        }
    }

    /// The fitted α: the middle of the final bracket.
    pub(super) fn alpha(&self) -> f64 {
        (self.b + self.a) / 2.0
    }
}
