//! Statistics for the statistical tests of `dp` (test-only): the chi-square
//! goodness-of-fit test with an exactly computed critical value, and Clopper–Pearson
//! bounds for the privacy-loss audit.

use crate::dp::special::{beta_inc, gamma_q};
use crate::math::Portable;

/// The false-failure rate every statistical test in `dp` is designed for.
pub(crate) const TEST_ALPHA: f64 = 1e-6;

/// The upper-α quantile of χ²(ν): the c with P[χ²_ν > c] = α.
///
/// Derivation: P[χ²_ν > c] = Q(ν/2, c/2), the regularized upper incomplete gamma
/// function ([`gamma_q`], continued fraction, ~1e-14 relative), which decreases in c;
/// bisection brackets the root to 1e-12 relative.
pub(crate) fn chi_square_critical(df: usize, alpha: f64) -> f64 {
    let a = df as f64 / 2.0;
    let (mut lo, mut hi) = (0.0f64, df as f64 + 10.0);
    while gamma_q(a, hi / 2.0) > alpha {
        hi *= 2.0;
    }
    while hi - lo > 1e-12 * hi {
        let mid = 0.5 * (lo + hi);
        if gamma_q(a, mid / 2.0) > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Wilson & Hilferty (1931): (χ²_ν/ν)^{1/3} ≈ N(1 − 2/(9ν), 2/(9ν)); `z` = Φ⁻¹(1 − α).
pub(crate) fn wilson_hilferty(df: usize, z: f64) -> f64 {
    let v = df as f64;
    let c = 2.0 / (9.0 * v);
    v * (1.0 - c + z * c.sqrt()).powi(3)
}

/// A chi-square goodness-of-fit verdict.
#[derive(Debug)]
pub(crate) struct ChiSquare {
    pub statistic: f64,
    pub critical: f64,
    pub df: usize,
}

impl ChiSquare {
    pub(crate) fn rejects(&self) -> bool {
        self.statistic > self.critical
    }
}

/// Pearson's chi-square test of integer samples against a pmf on ℤ, at level α.
///
/// Bins: one per integer in the widest range [lo, hi] around 0 in which every bin, and
/// each of the two open tail bins (< lo, > hi), expects at least 5 draws (the usual
/// validity rule for the χ² approximation). With k bins and nothing estimated from the
/// sample, the statistic is approximately χ²(k − 1) under the null hypothesis, so
/// rejecting above [`chi_square_critical`]`(k − 1, α)` fails a correct sampler with
/// probability ≈ α.
pub(crate) fn chi_square_test(samples: &[i64], pmf: impl Fn(i64) -> f64, alpha: f64) -> ChiSquare {
    let n = samples.len() as f64;
    // Mass is summed over [−m, m], wide enough that what lies outside is < 1e-30.
    let m = (1..).map(|k: i64| k * 64).find(|&k| pmf(k) < 1e-32 && pmf(-k) < 1e-32).unwrap_or(1 << 20);
    let above = |k: i64| (k + 1..=m).map(&pmf).sum::<f64>();
    let below = |k: i64| (-m..k).map(&pmf).sum::<f64>();
    let (mut lo, mut hi) = (0i64, 0i64);
    while n * pmf(hi + 1) >= 5.0 && n * above(hi + 1) >= 5.0 {
        hi += 1;
    }
    while n * pmf(lo - 1) >= 5.0 && n * below(lo - 1) >= 5.0 {
        lo -= 1;
    }
    let mut observed = vec![0u64; (hi - lo + 3) as usize];
    for &x in samples {
        let bin = if x < lo {
            0
        } else if x > hi {
            observed.len() - 1
        } else {
            (x - lo + 1) as usize
        };
        observed[bin] += 1;
    }
    let expected = std::iter::once(below(lo)).chain((lo..=hi).map(&pmf)).chain(std::iter::once(above(hi)));
    let statistic = observed
        .iter()
        .zip(expected)
        .map(|(&o, p)| {
            let e = n * p;
            (o as f64 - e).powi(2) / e
        })
        .sum();
    let df = observed.len() - 1;
    ChiSquare { statistic, critical: chi_square_critical(df, alpha), df }
}

/// One-sided Clopper–Pearson lower bound on p from `x` successes in `n` trials: the
/// α-quantile of Beta(x, n − x + 1), so P[bound > p] ≤ α.
pub(crate) fn clopper_pearson_lower(x: u64, n: u64, alpha: f64) -> f64 {
    if x == 0 {
        return 0.0;
    }
    beta_quantile(x as f64, (n - x + 1) as f64, alpha)
}

/// One-sided Clopper–Pearson upper bound: the (1 − α)-quantile of Beta(x + 1, n − x).
pub(crate) fn clopper_pearson_upper(x: u64, n: u64, alpha: f64) -> f64 {
    if x == n {
        return 1.0;
    }
    beta_quantile((x + 1) as f64, (n - x) as f64, 1.0 - alpha)
}

fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_inc(a, b, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_quantiles() {
        // Tables: χ²_{0.95}(10) = 18.307038; χ²(1) at 1e-6 = 4.891638² = 23.928127;
        // χ²(2) at α is exactly −2 ln α.
        assert!((chi_square_critical(10, 0.05) - 18.307_038).abs() < 1e-5);
        assert!((chi_square_critical(1, 1e-6) - 23.928_127).abs() < 1e-4);
        assert!((chi_square_critical(2, 1e-6) - (-2.0 * 1e-6f64.p_ln())).abs() < 1e-9);
        // Wilson–Hilferty is close (its error this far in the tail shrinks with ν;
        // z = Φ⁻¹(1 − 1e-6) = 4.753424).
        for (df, tol) in [(10, 0.03), (50, 0.01), (400, 0.002)] {
            let (exact, wh) = (chi_square_critical(df, 1e-6), wilson_hilferty(df, 4.753_424));
            assert!((exact / wh - 1.0).abs() < tol, "df {df}: {exact} vs {wh}");
        }
    }

    #[test]
    fn clopper_pearson_identities() {
        // x = 0: upper = 1 − α^{1/n}; x = n: lower = α^{1/n}.
        let (n, a) = (1000u64, 1e-3);
        assert!((clopper_pearson_upper(0, n, a) - (1.0 - a.p_powf(1.0 / n as f64))).abs() < 1e-12);
        assert!((clopper_pearson_lower(n, n, a) - a.p_powf(1.0 / n as f64)).abs() < 1e-12);
        // Large n: close to the normal approximation p̂ ∓ z·√(p̂(1−p̂)/n).
        let (x, n) = (20_000u64, 200_000u64);
        let se = (0.1f64 * 0.9 / n as f64).sqrt();
        let z = 3.090_232; // Φ⁻¹(1 − 1e-3)
        assert!((clopper_pearson_lower(x, n, 1e-3) - (0.1 - z * se)).abs() < 2e-4 * 0.1);
        assert!((clopper_pearson_upper(x, n, 1e-3) - (0.1 + z * se)).abs() < 2e-4 * 0.1);
    }
}
