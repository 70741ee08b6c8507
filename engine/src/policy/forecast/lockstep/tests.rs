//! Fits side by side equal fits one at a time, bit for bit.

use proptest::prelude::*;

use super::*;
use crate::policy::forecast::fitted::{INTERMITTENT_BOUNDS, SES_FITTED_BOUNDS, fit_alpha};

fn series() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![2 => Just(0.0), 3 => 0.0f64..60.0], 0..80)
}

#[test]
fn an_empty_batch_solves() {
    let mut batch = FitBatch::default();
    batch.solve();
    let id = batch.push(SES_FITTED_BOUNDS, [1.0, 2.0]);
    batch.solve();
    assert!((0.01..=0.99).contains(&batch.alpha(id)));
}

#[test]
fn a_cleared_batch_forgets_its_fits() {
    let mut batch = FitBatch::default();
    batch.push(SES_FITTED_BOUNDS, [5.0, 1.0, 4.0]);
    batch.clear();
    let id = batch.push(INTERMITTENT_BOUNDS, [7.0]);
    batch.solve();
    assert_eq!(id, FitId(0));
    // One day: nothing to fit, α is the middle of the bounds and the day its forecast.
    assert_eq!((batch.alpha(id), batch.forecast(id)), (0.2, 7.0));
}

proptest! {
    #[test]
    fn side_by_side_fits_equal_single_fits_bit_for_bit(
        fits in proptest::collection::vec((series(), any::<bool>()), 1..(3 * LANES)),
    ) {
        let mut batch = FitBatch::default();
        let ids: Vec<(FitId, Bounds)> = fits
            .iter()
            .map(|(series, wide)| {
                let bounds = if *wide { SES_FITTED_BOUNDS } else { INTERMITTENT_BOUNDS };
                (batch.push(bounds, series.iter().copied()), bounds)
            })
            .collect();
        batch.solve();
        for ((series, _), (id, bounds)) in fits.iter().zip(ids) {
            let alpha = fit_alpha(series, bounds);
            prop_assert_eq!(batch.alpha(id).to_bits(), alpha.to_bits());
            prop_assert_eq!(batch.forecast(id).to_bits(), ses_forecast(series, alpha).to_bits());
        }
    }
}
