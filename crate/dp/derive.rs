//! Post-processing of noisy values: counts clamped at 0, intervals, means, quantiles and
//! the fairness rates — functions of noisy integers and public parameters only.
//!
//! # Intervals
//! Each noisy cell is within ±h of its exact value with probability ≥ 1 − α′, where h is
//! the integer half-width at α′ ([`half_width`]). A derived statement using m cells takes
//! α′ = α/m for each (union bound), so the statement holds with probability ≥ 1 − α;
//! its interval is the image of the box of cell intervals (interval arithmetic). The
//! intervals cover the noise only: they bound the *exact value in this file*, not a
//! population value, and do not include clamping bias.

use crate::dp::query::Component;
use crate::dp::summary::{Estimate, NoisyCount, QuantileEstimate};
use crate::dp::DpError;

/// The integer half-width of one cell of `c` at level α′.
pub fn half_width(c: &Component, alpha: f64) -> Result<u128, DpError> {
    crate::dp::query::accuracy(&c.mechanism, &c.scale, alpha).map(u128::from)
}

fn clamp0(x: i128) -> u128 {
    x.max(0) as u128
}

/// A released count with its interval at half-width `h`, suppressed below `min`.
pub fn count(key: Option<String>, noisy: i128, h: u128, min: u64) -> NoisyCount {
    let u64_of = |x: u128| u64::try_from(x).unwrap_or(u64::MAX);
    let estimate = clamp0(noisy);
    let suppressed = min > 0 && estimate < u128::from(min);
    let lower = u64_of(clamp0(noisy.saturating_sub(h as i128)));
    let upper = u64_of(clamp0(noisy.saturating_add(h as i128)));
    let noisy = i64::try_from(noisy).unwrap_or(if noisy < 0 { i64::MIN } else { i64::MAX });
    NoisyCount {
        key,
        noisy: (!suppressed).then_some(noisy),
        estimate: (!suppressed).then_some(u64_of(estimate)),
        interval: (!suppressed).then_some([lower, upper]),
        suppressed,
    }
}

/// Bounds of a sum of noisy cells, each within ±h and each exact value ≥ 0.
fn cell_sum(cells: &[i128], h: u128) -> (f64, f64, f64) {
    let est: u128 = cells.iter().map(|&c| clamp0(c)).sum();
    let lo: u128 = cells.iter().map(|&c| clamp0(c.saturating_sub(h as i128))).sum();
    let hi: u128 = cells.iter().map(|&c| clamp0(c.saturating_add(h as i128))).sum();
    (est as f64, lo as f64, hi as f64)
}

/// The rate A / (A + B) of sums of noisy cells, with the interval over the cell box at
/// per-cell half-width `h` (A ∈ [A⁻, A⁺], B ∈ [B⁻, B⁺] ⇒ rate ∈ [A⁻/(A⁻+B⁺), A⁺/(A⁺+B⁻)]).
pub fn rate(a: &[i128], b: &[i128], h: u128) -> Estimate {
    let (ae, alo, ahi) = cell_sum(a, h);
    let (be, blo, bhi) = cell_sum(b, h);
    let value = (ae + be > 0.0).then(|| ae / (ae + be));
    let lower = if alo + bhi > 0.0 { alo / (alo + bhi) } else { 0.0 };
    let upper = if ahi + blo > 0.0 { ahi / (ahi + blo) } else { 1.0 };
    Estimate { value, lower: Some(lower), upper: Some(upper) }
}

/// `x / y` and its interval from the intervals of two non-negative rates.
pub fn ratio(x: &Estimate, y: &Estimate) -> Estimate {
    let value = match (x.value, y.value) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    let lower = match (x.lower, y.upper) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    let upper = match (x.upper, y.lower) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    Estimate { value, lower, upper }
}

/// `x − y` and its interval.
pub fn difference(x: &Estimate, y: &Estimate) -> Estimate {
    let both = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
    Estimate { value: both(x.value, y.value), lower: both(x.lower, y.upper), upper: both(x.upper, y.lower) }
}

/// A noisy fixed-point sum in the column's units, with its interval.
pub fn sum(noisy_units: i128, h: u128, unit: f64) -> Estimate {
    let h = h as i128;
    Estimate {
        value: Some(noisy_units as f64 / unit),
        lower: Some(noisy_units.saturating_sub(h) as f64 / unit),
        upper: Some(noisy_units.saturating_add(h) as f64 / unit),
    }
}

/// The mean of clamped values from a noisy sum (±`hs` units) and a noisy count (±`hc`),
/// clamped to the public bounds [L, U]: the extremes of S/N over the box are at corners.
pub fn mean(sum_units: i128, hs: u128, count: i128, hc: u128, unit: f64, bounds: [f64; 2]) -> Estimate {
    let clamp = |m: f64| m.clamp(bounds[0], bounds[1]);
    let value = (count > 0).then(|| clamp(sum_units as f64 / unit / count as f64));
    let (s_lo, s_hi) = (sum_units.saturating_sub(hs as i128) as f64, sum_units.saturating_add(hs as i128) as f64);
    let (n_lo, n_hi) = (count.saturating_sub(hc as i128), count.saturating_add(hc as i128));
    if n_lo < 1 {
        // The count may be 0: nothing beyond the public bounds can be said.
        return Estimate { value, lower: Some(bounds[0]), upper: Some(bounds[1]) };
    }
    let corners = [s_lo / n_lo as f64, s_lo / n_hi as f64, s_hi / n_lo as f64, s_hi / n_hi as f64];
    let lo = corners.iter().copied().fold(f64::INFINITY, f64::min) / unit;
    let hi = corners.iter().copied().fold(f64::NEG_INFINITY, f64::max) / unit;
    Estimate { value, lower: Some(clamp(lo)), upper: Some(clamp(hi)) }
}

/// The ± of an estimate: the larger distance from its value to an end of its interval
/// (`None` when a part is missing).
pub fn plus_minus(e: &Estimate) -> Option<f64> {
    match (e.value, e.lower, e.upper) {
        (Some(v), Some(l), Some(u)) => Some((v - l).max(u - v)),
        _ => None,
    }
}

/// Quantiles of the clamped values from noisy counts over equal-width bins on
/// [lower, upper], each within ±h (h at α / bins, so all bins hold at once).
///
/// Estimate: linear interpolation within the bin where the cumulative clamped noisy count
/// reaches p·N̂. Interval: with C_j the exact count below edge e_j and R_j the count
/// above, F(e_j) = C_j/(C_j + R_j) ∈ [C⁻/(C⁻ + R⁺), C⁺/(C⁺ + R⁻)]; the p-quantile is
/// above every edge whose upper F bound is < p and at or below every edge whose lower F
/// bound is ≥ p.
pub fn quantiles(noisy: &[i128], h: u128, lower: f64, upper: f64, probabilities: &[f64]) -> Vec<QuantileEstimate> {
    let bins = noisy.len();
    let width = (upper - lower) / bins as f64;
    let edge = |j: usize| if j == bins { upper } else { lower + width * j as f64 };
    let counts: Vec<f64> = noisy.iter().map(|&c| clamp0(c) as f64).collect();
    let total: f64 = counts.iter().sum();
    let bounds_at = |j: usize| {
        let (_, c_lo, c_hi) = cell_sum(&noisy[..j], h);
        let (_, r_lo, r_hi) = cell_sum(&noisy[j..], h);
        let f_lo = if c_lo + r_hi > 0.0 { c_lo / (c_lo + r_hi) } else { 0.0 };
        let f_hi = if c_hi + r_lo > 0.0 { c_hi / (c_hi + r_lo) } else { 1.0 };
        (f_lo, f_hi)
    };
    let f: Vec<(f64, f64)> = (0..=bins).map(bounds_at).collect();
    probabilities
        .iter()
        .map(|&p| {
            let value = (total > 0.0).then(|| {
                let target = p * total;
                let mut cum = 0.0;
                for (j, &c) in counts.iter().enumerate() {
                    if c > 0.0 && cum + c >= target {
                        return edge(j) + (target - cum) / c * width;
                    }
                    cum += c;
                }
                upper
            });
            let lo = (0..=bins).filter(|&j| f[j].1 < p).map(edge).fold(lower, f64::max);
            let hi = (0..=bins).filter(|&j| f[j].0 >= p).map(edge).fold(upper, f64::min);
            QuantileEstimate { probability: p, estimate: Estimate { value, lower: Some(lo), upper: Some(hi) } }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_bound_the_exact_rate() {
        // Exact 30/(30+70) = 0.3; noisy cells 33 and 66 with h = 5.
        let r = rate(&[33], &[66], 5);
        assert_eq!(r.value, Some(33.0 / 99.0));
        assert_eq!((r.lower, r.upper), (Some(28.0 / 99.0), Some(38.0 / 99.0)));
        // 0/0 is undefined, and the interval is everything.
        let r = rate(&[-3], &[-1], 2);
        assert_eq!((r.value, r.lower, r.upper), (None, Some(0.0), Some(1.0)));
    }

    #[test]
    fn suppressed_counts_show_nothing() {
        let c = count(Some("k".into()), 7, 3, 10);
        assert!(c.suppressed && c.noisy.is_none() && c.estimate.is_none() && c.interval.is_none());
        let c = count(None, -2, 3, 0);
        assert_eq!((c.noisy, c.estimate, c.interval), (Some(-2), Some(0), Some([0, 1])));
    }

    #[test]
    fn mean_corners_and_clamping() {
        let m = mean(1000, 10, 10, 1, 1.0, [0.0, 200.0]);
        assert_eq!(m.value, Some(100.0));
        assert_eq!((m.lower, m.upper), (Some(990.0 / 11.0), Some(1010.0 / 9.0)));
        let m = mean(50, 0, 1, 5, 1.0, [0.0, 10.0]);
        assert_eq!((m.value, m.lower, m.upper), (Some(10.0), Some(0.0), Some(10.0)));
    }

    #[test]
    fn quantiles_interpolate_and_bracket() {
        // 4 bins on [0, 4): 10 values each; median at 2.
        let q = quantiles(&[10, 10, 10, 10], 0, 0.0, 4.0, &[0.5]);
        assert_eq!(q[0].estimate.value, Some(2.0));
        assert_eq!((q[0].estimate.lower, q[0].estimate.upper), (Some(1.0), Some(2.0)));
        // With noise ±2 per bin the interval widens but still brackets.
        let q = quantiles(&[10, 10, 10, 10], 2, 0.0, 4.0, &[0.5]);
        let e = &q[0].estimate;
        assert!(e.lower.unwrap() <= 2.0 && e.upper.unwrap() >= 2.0, "{e:?}");
    }
}
