//! Sums over a daily series, written so they run at the speed of the data.

/// Σ f(x) over `series`, kept in four interleaved partial sums: a single running sum
/// is a chain of dependent additions, one at a time; four let the processor (and the
/// vectoriser) overlap them. The result differs from a left-to-right sum only by
/// rounding.
pub(crate) fn sum_by(series: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut partial = [0.0; 4];
    let chunks = series.chunks_exact(4);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (sum, &x) in partial.iter_mut().zip(chunk) {
            *sum += f(x);
        }
    }
    let mut total = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for &x in rest {
        total += f(x);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_element_whatever_the_length() {
        for n in 0..11 {
            let series: Vec<f64> = (1..=n).map(f64::from).collect();
            assert_eq!(sum_by(&series, |x| x), f64::from(n * (n + 1) / 2), "n = {n}");
            assert_eq!(sum_by(&series, |x| 2.0 * x), f64::from(n * (n + 1)), "n = {n}");
        }
    }
}
