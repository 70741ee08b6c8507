//! The standard normal distribution: the service-level factor z and its inverse.
//!
//! Safety stock needs z = Φ⁻¹(service level) to full double precision, so it is
//! computed, not read from a table: Wichura's algorithm AS 241 (PPND16), whose rational
//! approximations are accurate to about 1 part in 10¹⁶. Φ itself comes from Cody's
//! rational approximations of erfc, so tests can check the round trip.

// The coefficients are written with every digit their authors published (AS 241 prints
// 20), so they can be checked against the papers; the compiler rounds them to f64.
#![allow(clippy::excessive_precision)]

/// Φ⁻¹(p), the z with P(Z ≤ z) = p for a standard normal Z.
///
/// Wichura, M. J. (1988), "Algorithm AS 241: The percentage points of the normal
/// distribution", Applied Statistics 37(3), 477–484 (PPND16, the double precision
/// version). Returns NaN when `p` is not strictly between 0 and 1 (NaN included): the
/// engine never panics on a number, and `PolicySettings::check` refuses service levels
/// outside (0, 1) before they get here.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * horner(&CENTRAL_NUM, r) / horner(&CENTRAL_DEN, r);
    }
    // The tails are approximated in r = sqrt(-ln(tail probability)), nearly linear in z.
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let magnitude = if r <= 5.0 {
        let r = r - 1.6;
        horner(&NEAR_TAIL_NUM, r) / horner(&NEAR_TAIL_DEN, r)
    } else {
        let r = r - 5.0;
        horner(&FAR_TAIL_NUM, r) / horner(&FAR_TAIL_DEN, r)
    };
    if q < 0.0 { -magnitude } else { magnitude }
}

/// Φ(x) = P(Z ≤ x) for a standard normal Z, accurate to about 1e-15 relative.
///
/// Φ(x) = erfc(−x/√2)/2, with erfc from Cody, W. J. (1969), "Rational Chebyshev
/// approximations for the error function", Mathematics of Computation 23, 631–637, in
/// the form of his SPECFUN routine CALERF (ACM TOMS 715, 1993). Away from 0 the tail is
/// exp(−x²/2) · erfcx(|x|/√2), Cody's scaled erfcx times an exponential taken from x
/// itself: rounding x/√2 then squaring it would cost the far tail two digits. The lower
/// tail keeps its relative precision until exp(−x²/2) underflows, near x = −38. NaN
/// stays NaN.
pub fn normal_cdf(x: f64) -> f64 {
    let y = x.abs() / std::f64::consts::SQRT_2;
    if y <= 0.46875 {
        // Near 0, erf is the small quantity: Φ = (1 + erf(x/√2)) / 2 loses nothing.
        return 0.5 * (1.0 + erf_near_zero(x / std::f64::consts::SQRT_2));
    }
    let scaled = if y <= 4.0 { erfcx_middle(y) } else { erfcx_far(y) };
    let lower_tail = 0.5 * exp_minus_half_square(x.abs()) * scaled;
    if x < 0.0 { lower_tail } else { 1.0 - lower_tail }
}

fn erf_near_zero(x: f64) -> f64 {
    let s = if x.abs() > 1.11e-16 { x * x } else { 0.0 };
    let mut num = ERF_A[4] * s;
    let mut den = s;
    for i in 0..3 {
        num = (num + ERF_A[i]) * s;
        den = (den + ERF_B[i]) * s;
    }
    x * (num + ERF_A[3]) / (den + ERF_B[3])
}

/// erfcx(y) = exp(y²)·erfc(y) for 0.46875 < y ≤ 4.
fn erfcx_middle(y: f64) -> f64 {
    let mut num = ERFC_C[8] * y;
    let mut den = y;
    for i in 0..7 {
        num = (num + ERFC_C[i]) * y;
        den = (den + ERFC_D[i]) * y;
    }
    (num + ERFC_C[7]) / (den + ERFC_D[7])
}

/// erfcx(y) for y > 4, from the asymptotic form (1/√π − R(1/y²)/y²) / y.
fn erfcx_far(y: f64) -> f64 {
    let s = 1.0 / (y * y);
    let mut num = ERFC_P[5] * s;
    let mut den = s;
    for i in 0..4 {
        num = (num + ERFC_P[i]) * s;
        den = (den + ERFC_Q[i]) * s;
    }
    let r = s * (num + ERFC_P[4]) / (den + ERFC_Q[4]);
    (FRAC_1_SQRT_PI - r) / y
}

/// exp(−x²/2) for x ≥ 0, with x² split as x₁² + (x − x₁)(x + x₁) where x₁ is x cut to
/// sixteenths: x₁²/2 is exact, so rounding x² costs no relative precision when x is
/// large (Cody's own device).
fn exp_minus_half_square(x: f64) -> f64 {
    let x1 = (x * 16.0).trunc() / 16.0;
    let rest = (x - x1) * (x + x1);
    (-0.5 * x1 * x1).exp() * (-0.5 * rest).exp()
}

/// Evaluates c₀ + c₁x + … + cₙxⁿ.
fn horner(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_286_95;

// AS 241 coefficients, lowest power first, as printed by Wichura (1988).
const CENTRAL_NUM: [f64; 8] = [
    3.387_132_872_796_366_608_0,
    1.331_416_678_917_843_774_5e2,
    1.971_590_950_306_551_442_7e3,
    1.373_169_376_550_946_112_5e4,
    4.592_195_393_154_987_145_7e4,
    6.726_577_092_700_870_085_3e4,
    3.343_057_558_358_812_810_5e4,
    2.509_080_928_730_122_672_7e3,
];
const CENTRAL_DEN: [f64; 8] = [
    1.0,
    4.231_333_070_160_091_125_2e1,
    6.871_870_074_920_579_083_0e2,
    5.394_196_021_424_751_107_7e3,
    2.121_379_430_158_659_586_7e4,
    3.930_789_580_009_271_061_0e4,
    2.872_908_573_572_194_267_4e4,
    5.226_495_278_852_854_561_0e3,
];
const NEAR_TAIL_NUM: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_90,
    5.769_497_221_460_691_405_50,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    2.417_807_251_774_506_117_70e-1,
    2.272_384_498_926_918_458_33e-2,
    7.745_450_142_783_414_076_40e-4,
];
const NEAR_TAIL_DEN: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_40,
    6.897_673_349_851_000_045_50e-1,
    1.481_039_764_274_800_745_90e-1,
    1.519_866_656_361_645_719_66e-2,
    5.475_938_084_995_344_946_00e-4,
    1.050_750_071_644_416_843_24e-9,
];
const FAR_TAIL_NUM: [f64; 8] = [
    6.657_904_643_501_103_777_20,
    5.463_784_911_164_114_369_90,
    1.784_826_539_917_291_335_80,
    2.965_605_718_285_048_912_30e-1,
    2.653_218_952_657_612_309_30e-2,
    1.242_660_947_388_078_438_60e-3,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
const FAR_TAIL_DEN: [f64; 8] = [
    1.0,
    5.998_322_065_558_879_376_90e-1,
    1.369_298_809_227_358_053_10e-1,
    1.487_536_129_085_061_485_25e-2,
    7.868_691_311_456_132_591_00e-4,
    1.846_318_317_510_054_681_80e-5,
    1.421_511_758_316_445_888_70e-7,
    2.044_263_103_389_939_785_64e-15,
];

// Cody's CALERF coefficients, in his order (not by power: see the loops above).
const ERF_A: [f64; 5] = [
    3.161_123_743_870_565_60,
    1.138_641_541_510_501_56e2,
    3.774_852_376_853_020_21e2,
    3.209_377_589_138_469_47e3,
    1.857_777_061_846_031_53e-1,
];
const ERF_B: [f64; 4] = [
    2.360_129_095_234_412_09e1,
    2.440_246_379_344_441_73e2,
    1.282_616_526_077_372_28e3,
    2.844_236_833_439_170_62e3,
];
const ERFC_C: [f64; 9] = [
    5.641_884_969_886_700_89e-1,
    8.883_149_794_388_375_94,
    6.611_919_063_714_162_95e1,
    2.986_351_381_974_001_31e2,
    8.819_522_212_417_690_90e2,
    1.712_047_612_634_070_58e3,
    2.051_078_377_826_071_47e3,
    1.230_339_354_797_997_25e3,
    2.153_115_354_744_038_46e-8,
];
const ERFC_D: [f64; 8] = [
    1.574_492_611_070_983_47e1,
    1.176_939_508_913_124_99e2,
    5.371_811_018_620_098_58e2,
    1.621_389_574_566_690_19e3,
    3.290_799_235_733_459_63e3,
    4.362_619_090_143_247_16e3,
    3.439_367_674_143_721_64e3,
    1.230_339_354_803_749_42e3,
];
const ERFC_P: [f64; 6] = [
    3.053_266_349_612_323_44e-1,
    3.603_448_999_498_044_39e-1,
    1.257_817_261_112_292_46e-1,
    1.608_378_514_874_227_66e-2,
    6.587_491_615_298_378_03e-4,
    1.631_538_713_730_209_78e-2,
];
const ERFC_Q: [f64; 5] = [
    2.568_520_192_289_822_42,
    1.872_952_849_923_460_47,
    5.279_051_029_514_284_12e-1,
    6.051_834_131_244_131_91e-2,
    2.335_204_976_268_691_85e-3,
];

#[cfg(test)]
mod tests;
