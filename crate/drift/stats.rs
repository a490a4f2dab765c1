//! The drift statistics as pure functions of value counts (no data access), each following
//! the library Evidently calls (scipy 1.17) to rounding error.
//!
//! Numeric inputs are ascending `(value, count)` lists; categorical inputs are counts
//! aligned over the union of categories.

use crate::math::Portable;
use crate::stats::interval::normal_cdf;

/// The empirical CDFs of both sides at every distinct value of either, as scipy evaluates
/// them (`searchsorted(side="right") / n`): `(x, F_ref(x), F_cur(x))`.
fn cdfs<'a>(a: &'a [(f64, u64)], b: &'a [(f64, u64)]) -> impl Iterator<Item = (f64, f64, f64)> + 'a {
    let (na, nb) = (total(a) as f64, total(b) as f64);
    let (mut i, mut j, mut ca, mut cb) = (0usize, 0usize, 0u64, 0u64);
    std::iter::from_fn(move || {
        let x = match (a.get(i), b.get(j)) {
            (None, None) => return None,
            (Some(p), None) => p.0,
            (None, Some(q)) => q.0,
            (Some(p), Some(q)) => p.0.min(q.0),
        };
        while let Some(&(v, c)) = a.get(i).filter(|p| p.0 <= x) {
            debug_assert!(v <= x);
            ca += c;
            i += 1;
        }
        while let Some(&(_, c)) = b.get(j).filter(|q| q.0 <= x) {
            cb += c;
            j += 1;
        }
        Some((x, ca as f64 / na, cb as f64 / nb))
    })
}

/// Number of values in a count list.
pub fn total(v: &[(f64, u64)]) -> u64 {
    v.iter().map(|p| p.1).sum()
}

/// The KS statistic D = sup |F_ref − F_cur| (scipy `ks_2samp`, before its rounding to h/lcm).
pub fn ks_statistic(reference: &[(f64, u64)], current: &[(f64, u64)]) -> f64 {
    let (mut max_s, mut min_s) = (f64::NEG_INFINITY, f64::INFINITY);
    for (_, fa, fb) in cdfs(reference, current) {
        let d = fa - fb;
        max_s = max_s.max(d);
        min_s = min_s.min(d);
    }
    let min_s = (-min_s).clamp(0.0, 1.0);
    if min_s > max_s {
        min_s
    } else {
        max_s
    }
}

/// W₁ = ∫ |F_ref − F_cur| dx (scipy `wasserstein_distance`).
pub fn wasserstein(reference: &[(f64, u64)], current: &[(f64, u64)]) -> f64 {
    let mut sum = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    for (x, fa, fb) in cdfs(reference, current) {
        if let Some((px, pd)) = prev {
            sum += pd * (x - px);
        }
        prev = Some((x, (fa - fb).abs()));
    }
    sum
}

/// Largest share of one value (or bin) of a side: a bound on how far binning can move its
/// CDF at any point.
pub fn largest_mass(v: &[(f64, u64)]) -> f64 {
    let n = total(v);
    if n == 0 {
        return 0.0;
    }
    v.iter().map(|p| p.1).max().unwrap_or(0) as f64 / n as f64
}

/// Mean absolute value (of bin lower ends when binned).
pub fn mean_abs(v: &[(f64, u64)]) -> f64 {
    let n = total(v);
    if n == 0 {
        return 0.0;
    }
    v.iter().map(|&(x, c)| x.abs() * c as f64).sum::<f64>() / n as f64
}

/// χ² goodness of fit as Evidently: f_obs = current counts, f_exp = reference counts ×
/// n_cur/n_ref over the union of categories; df = k − 1. A category absent from the
/// reference makes χ² infinite and p = 0 (scipy `chisquare`, Evidently's behaviour).
pub fn chi_square(reference: &[u64], current: &[u64]) -> Option<(f64, f64)> {
    let (nr, nc) = (reference.iter().sum::<u64>(), current.iter().sum::<u64>());
    if nr == 0 || nc == 0 || reference.len() < 2 {
        return None;
    }
    let k_norm = nc as f64 / nr as f64;
    let stat: f64 = reference
        .iter()
        .zip(current)
        .map(|(&r, &c)| {
            let e = r as f64 * k_norm;
            let d = c as f64 - e;
            d * d / e
        })
        .sum();
    if stat.is_infinite() {
        return Some((f64::INFINITY, 0.0));
    }
    let df = (reference.len() - 1) as f64;
    Some((stat, crate::stats::special::gamma_q(df / 2.0, stat / 2.0)))
}

/// Two-proportion z-test of Evidently (`proportions_diff_z_test`): the share of values
/// other than the first category (in sort order) on each side, pooled variance, two-sided
/// p = 2(1 − Φ(|z|)). p = 1 when both sides hold the same single value.
pub fn z_test(reference: &[u64], current: &[u64]) -> Option<(f64, f64)> {
    let (nr, nc) = (reference.iter().sum::<u64>(), current.iter().sum::<u64>());
    if nr == 0 || nc == 0 || reference.len() > 2 || reference.len() != current.len() {
        return None;
    }
    if reference.len() == 1 {
        return Some((0.0, 1.0));
    }
    let (n1, n2) = (nr as f64, nc as f64);
    let p1 = reference[1] as f64 / n1;
    let p2 = current[1] as f64 / n2;
    let pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
    let z = (p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    Some((z, 2.0 * (1.0 - normal_cdf(z.abs()))))
}

fn shares(counts: &[u64]) -> Vec<f64> {
    let n = counts.iter().sum::<u64>() as f64;
    counts.iter().map(|&c| c as f64 / n).collect()
}

/// Jensen–Shannon *distance* (scipy `spatial.distance.jensenshannon`, natural log): the
/// square root of ½ KL(p‖m) + ½ KL(q‖m) with m = (p + q)/2, no smoothing.
pub fn jensen_shannon(reference: &[u64], current: &[u64]) -> Option<f64> {
    let (p, q) = (shares(reference), shares(current));
    if p.iter().chain(&q).any(|x| x.is_nan()) {
        return None;
    }
    let rel = |x: f64, y: f64| if x > 0.0 && y > 0.0 { x * (x / y).p_ln() } else { 0.0 };
    let (mut l, mut r) = (0.0, 0.0);
    for (&a, &b) in p.iter().zip(&q) {
        let m = (a + b) / 2.0;
        l += rel(a, m);
        r += rel(b, m);
    }
    Some(((l + r) / 2.0).max(0.0).sqrt())
}

/// Floor for an empty PSI bin's share (Evidently's fallback value).
pub const PSI_FLOOR: f64 = 1e-4;

/// PSI = Σ (c_i − r_i) ln(c_i / r_i) over bins, an empty bin's share replaced by [`PSI_FLOOR`].
pub fn psi(reference: &[u64], current: &[u64]) -> Option<f64> {
    let (p, q) = (shares(reference), shares(current));
    if p.iter().chain(&q).any(|x| x.is_nan()) {
        return None;
    }
    let floor = |x: f64| if x == 0.0 { PSI_FLOOR } else { x };
    Some(p.iter().zip(&q).map(|(&r, &c)| (floor(c) - floor(r)) * (floor(c) / floor(r)).p_ln()).sum())
}

/// The value of 0-based rank `r` in an ascending count list.
fn at_rank(v: &[(f64, u64)], r: u64) -> f64 {
    let mut cum = 0;
    for &(x, c) in v {
        cum += c;
        if cum > r {
            return x;
        }
    }
    v.last().map_or(f64::NAN, |p| p.0)
}

/// Reference deciles at probabilities i/10 (numpy `quantile`, linear), de-duplicated: the
/// inner edges of the PSI bins (−∞, e₁], (e₁, e₂], …, (e_k, ∞).
pub fn decile_edges(reference: &[(f64, u64)]) -> Vec<f64> {
    let n = total(reference);
    if n == 0 {
        return Vec::new();
    }
    let mut edges: Vec<f64> = (1..10)
        .map(|i| {
            let (lo, hi, t) = crate::sketch::quantile::ranks(n, i as f64 / 10.0);
            crate::sketch::quantile::lerp(at_rank(reference, lo), at_rank(reference, hi), t)
        })
        .collect();
    edges.dedup();
    edges
}

/// Counts per PSI bin: a value equal to an edge falls in the lower bin.
pub fn bin_counts(v: &[(f64, u64)], edges: &[f64]) -> Vec<u64> {
    let mut out = vec![0u64; edges.len() + 1];
    for &(x, c) in v {
        out[edges.partition_point(|&e| e < x)] += c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases() {
        let a = [(1.0, 1), (2.0, 1), (3.0, 1)];
        let b = [(2.0, 1), (3.0, 1), (4.0, 1)];
        assert!((ks_statistic(&a, &b) - 1.0 / 3.0).abs() < 1e-15);
        // scipy.stats.wasserstein_distance([1,2,3],[2,3,4]) = 1.0
        assert!((wasserstein(&a, &b) - 1.0).abs() < 1e-15);
        // scipy.spatial.distance.jensenshannon([0.5, 0.5], [1, 0]) = 0.464501404022459
        let js = jensen_shannon(&[1, 1], &[2, 0]).unwrap();
        assert!((js - 0.464_501_404_022_459).abs() < 1e-15, "{js}");
        assert_eq!(chi_square(&[0, 5, 5], &[1, 5, 4]).unwrap().1, 0.0);
        assert_eq!(bin_counts(&a, &[1.0, 2.5]), vec![1, 1, 1]);
    }
}
