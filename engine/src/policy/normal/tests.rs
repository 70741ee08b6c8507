//! Reference values are Φ⁻¹ and Φ of the given doubles computed with mpmath at 60
//! digits, then rounded to the nearest double.

use super::*;

#[track_caller]
fn assert_close(actual: f64, expected: f64, relative: f64) {
    let error = ((actual - expected) / expected).abs();
    assert!(
        error <= relative,
        "{actual:e} vs {expected:e}: relative error {error:e} > {relative:e}"
    );
}

/// Two units in the last place at the magnitudes tested.
const TWO_ULP: f64 = 4.5e-16;

#[test]
fn service_level_factors_match_the_published_values() {
    // The values quoted in the brief and in every z table, to double precision.
    for (p, z) in [
        (0.95, 1.644_853_626_951_472_2),
        (0.975, 1.959_963_984_540_054),
        (0.99, 2.326_347_874_040_840_8),
        (0.999, 3.090_232_306_167_813),
    ] {
        assert_close(inverse_normal_cdf(p), z, TWO_ULP);
    }
    assert_eq!(inverse_normal_cdf(0.5), 0.0);
}

#[test]
fn quantiles_match_high_precision_values_in_every_branch() {
    for (p, z) in [
        (0.6, 0.253_347_103_135_799_7),    // central branch
        (0.8, 0.841_621_233_572_914_4),    // central branch
        (0.075, -1.439_531_470_938_456),   // just outside the central branch
        (0.9999, 3.719_016_485_455_708_4), // near tail
        (0.01, -2.326_347_874_040_841),    // near tail, lower side
        (1e-10, -6.361_340_902_404_057),   // near tail, r < 5
        (1e-20, -9.262_340_089_798_407),   // far tail, r > 5
        (1e-100, -21.273_453_560_965_326), // far tail
        (1e-300, -37.047_096_299_361_2),   // far tail, nearly the smallest double
    ] {
        assert_close(inverse_normal_cdf(p), z, TWO_ULP);
    }
}

#[test]
fn cdf_matches_high_precision_values_from_the_far_tail_to_one() {
    for (x, p) in [
        (-37.0, 5.725_571_222_524_577e-300),
        (-30.0, 4.906_713_927_148_187e-198),
        (-10.0, 7.619_853_024_160_525e-24),
        (-5.0, 2.866_515_718_791_939e-7),
        (-4.0, 3.167_124_183_311_992_4e-5),
        (-2.5, 0.006_209_665_325_776_135),
        (-1.0, 0.158_655_253_931_457_05),
        (-0.5, 0.308_537_538_725_986_9),
        (-0.1, 0.460_172_162_722_971),
        (0.3, 0.617_911_422_188_952_7),
        (0.66, 0.745_373_085_328_663_9),
        (1.0, 0.841_344_746_068_542_9),
        (3.0, 0.998_650_101_968_369_9),
        (8.0, 0.999_999_999_999_999_3),
    ] {
        assert_close(normal_cdf(x), p, 1e-15);
    }
    assert_eq!(normal_cdf(0.0), 0.5);
}

#[test]
fn outside_the_open_unit_interval_the_quantile_is_nan() {
    for p in [0.0, 1.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
        assert!(inverse_normal_cdf(p).is_nan(), "p = {p}");
    }
}

proptest::proptest! {
    #[test]
    fn quantile_is_odd_about_one_half(k in 1u64..(1 << 30)) {
        // A dyadic p makes 1 − p exact, so the symmetry must hold bit for bit.
        let p = k as f64 / (1u64 << 30) as f64;
        proptest::prop_assert_eq!(inverse_normal_cdf(1.0 - p), -inverse_normal_cdf(p));
    }

    #[test]
    fn cdf_undoes_the_quantile_to_1e_14(p in 1e-12f64..(1.0 - 1e-12)) {
        let back = normal_cdf(inverse_normal_cdf(p));
        proptest::prop_assert!((back - p).abs() <= 1e-14, "p {p:e} came back as {back:e}");
    }

    #[test]
    fn lower_tail_round_trip_keeps_relative_precision(exponent in -300.0f64..-1.0) {
        let p = 10f64.powf(exponent);
        let back = normal_cdf(inverse_normal_cdf(p));
        proptest::prop_assert!(((back - p) / p).abs() <= 1e-12, "p {p:e} came back as {back:e}");
    }

    #[test]
    fn quantile_is_increasing(a in 1e-300f64..1.0, b in 1e-300f64..1.0) {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        proptest::prop_assert!(inverse_normal_cdf(lo) <= inverse_normal_cdf(hi));
    }
}
