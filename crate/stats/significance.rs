//! Tests of "this group's rate equals the reference group's rate", and Holm's adjustment.
//!
//! Each test compares two proportions x₁/n₁ and x₂/n₂ **on the metric's own
//! sub-population** (FPR: label-negative rows; TPR/FNR: label-positive rows; PPV/FDR:
//! predicted-positive rows; NPV/FOR: predicted-negative rows; selection rate and accuracy:
//! all rows). Aequitas' `*_significance` columns test other sub-populations (its FPR test is
//! run on predicted-positive rows); that is deliberately not copied.
//!
//! * [`fisher_exact`]: two-sided Fisher exact test on the 2×2 table
//!   [[x₁, n₁ − x₁], [x₂, n₂ − x₂]]: the sum of the hypergeometric probabilities of every
//!   table with the same margins that is no more probable than the observed one, where
//!   "no more" allows a relative tolerance of 1e-7 (R's `fisher.test`; scipy's
//!   `fisher_exact` uses 1e-14; both only matter for exact ties, which both count). Computed
//!   in log space from ln k! (Stirling series), summing only the two tails outward from
//!   their inner ends, so N = 10⁷ costs microseconds; each probability carries a relative
//!   error of about 1e-16·ln N! (1e-11 at N = 10⁴, 1e-8 at N = 10⁷).
//! * [`two_proportion_z`]: pooled two-proportion z-test, z = (p₁ − p₂)/√(p̂(1 − p̂)(1/n₁ + 1/n₂)),
//!   p̂ = (x₁ + x₂)/(n₁ + n₂), two-sided p = 2(1 − Φ(|z|)) (statsmodels `proportions_ztest`).
//!   When p̂ is 0 or 1 both groups have the same rate: z = 0 and p = 1.
//! * [`compare_proportions`] chooses: **Fisher when any expected cell count of the 2×2 table is
//!   below 5** (Cochran's rule), the z-test otherwise. Both p-values are always reported.
//! * [`holm`]: Holm (1979) step-down adjustment, as statsmodels `multipletests(method="holm")`.

use crate::math::Portable;
use serde::{Deserialize, Serialize};

/// A two-sided p-value and its natural log (the log stays finite when p underflows).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PValue {
    /// The p-value in [0, 1].
    pub p: f64,
    /// ln p (−∞ only if p is exactly 0).
    pub ln_p: f64,
}

impl PValue {
    fn from_ln(ln_p: f64) -> Self {
        let ln_p = ln_p.min(0.0);
        Self { p: ln_p.p_exp(), ln_p }
    }
}

/// ln k!, exact below 21 and by the Stirling series above (absolute error ~1e-16·ln k!).
pub fn ln_factorial(k: u64) -> f64 {
    if k <= 20 {
        return (2..=k).fold(1.0f64, |acc, i| acc * i as f64).p_ln();
    }
    let x = k as f64 + 1.0;
    let x2 = x * x;
    let series =
        (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * x2)) / x2) / x2) / x2) / x;
    (x - 0.5) * x.p_ln() - x + 0.5 * (2.0 * std::f64::consts::PI).p_ln() + series
}

/// Hypergeometric law of the top-left cell of a 2×2 table with fixed margins.
struct Hypergeom {
    n1: u64,
    k: u64,
    n: u64,
    lo: u64,
    hi: u64,
    ln_norm: f64,
}

impl Hypergeom {
    fn new(x1: u64, n1: u64, x2: u64, n2: u64) -> Self {
        let (n, k) = (n1 + n2, x1 + x2);
        let ln_norm = ln_factorial(n1) + ln_factorial(n2) + ln_factorial(k) + ln_factorial(n - k) - ln_factorial(n);
        Self { n1, k, n, lo: (n1 + k).saturating_sub(n), hi: k.min(n1), ln_norm }
    }

    fn ln_pmf(&self, x: u64) -> f64 {
        let (n1, k, n) = (self.n1, self.k, self.n);
        self.ln_norm - ln_factorial(x) - ln_factorial(n1 - x) - ln_factorial(k - x) - ln_factorial(n - n1 + x - k)
    }

    /// pmf(x + 1) / pmf(x).
    fn up(&self, x: u64) -> f64 {
        let (n1, k, n) = (self.n1 as f64, self.k as f64, self.n as f64);
        let x = x as f64;
        (k - x) * (n1 - x) / ((x + 1.0) * (n - n1 - k + x + 1.0))
    }

    fn mode(&self) -> u64 {
        let m = ((self.n1 as f64 + 1.0) * (self.k as f64 + 1.0) / (self.n as f64 + 2.0)).floor() as u64;
        m.clamp(self.lo, self.hi)
    }

    /// Σ exp(ln pmf − base) over [from, self.hi] (upward) or [self.lo, from] (downward),
    /// stopping when the remaining terms cannot matter.
    fn tail(&self, from: u64, upward: bool, base: f64) -> f64 {
        let mut x = from;
        let mut term = (self.ln_pmf(x) - base).p_exp();
        let mut sum = term;
        loop {
            let (next, ratio) = if upward {
                if x >= self.hi {
                    break;
                }
                (x + 1, self.up(x))
            } else {
                if x <= self.lo {
                    break;
                }
                (x - 1, 1.0 / self.up(x - 1))
            };
            term *= ratio;
            sum += term;
            x = next;
            if ratio < 1.0 && term / (1.0 - ratio) < 1e-18 * sum || term == 0.0 {
                break;
            }
        }
        sum
    }
}

/// Two-sided Fisher exact test of x₁/n₁ = x₂/n₂ (see the module doc).
pub fn fisher_exact(x1: u64, n1: u64, x2: u64, n2: u64) -> PValue {
    if x1 > n1 || x2 > n2 || n1 == 0 || n2 == 0 {
        return PValue { p: 1.0, ln_p: 0.0 };
    }
    let h = Hypergeom::new(x1, n1, x2, n2);
    let ln_obs = h.ln_pmf(x1);
    let ln_cut = ln_obs + 1e-7f64.p_ln_1p();
    let mode = h.mode();
    if h.ln_pmf(mode) <= ln_cut {
        return PValue { p: 1.0, ln_p: 0.0 };
    }
    // Left of the mode pmf increases: the largest x < mode with pmf ≤ cut ends the lower tail.
    let (mut a, mut b) = (h.lo, mode);
    let lower_end = if h.ln_pmf(a) > ln_cut {
        None
    } else {
        while b - a > 1 {
            let mid = a + (b - a) / 2;
            if h.ln_pmf(mid) <= ln_cut {
                a = mid
            } else {
                b = mid
            }
        }
        Some(a)
    };
    // Right of the mode pmf decreases: the smallest x > mode with pmf ≤ cut starts the upper tail.
    let (mut a, mut b) = (mode, h.hi);
    let upper_start = if h.ln_pmf(b) > ln_cut {
        None
    } else {
        while b - a > 1 {
            let mid = a + (b - a) / 2;
            if h.ln_pmf(mid) <= ln_cut {
                b = mid
            } else {
                a = mid
            }
        }
        Some(b)
    };
    let sum =
        lower_end.map_or(0.0, |x| h.tail(x, false, ln_obs)) + upper_start.map_or(0.0, |x| h.tail(x, true, ln_obs));
    PValue::from_ln(ln_obs + sum.p_ln())
}

/// Result of the pooled two-proportion z-test.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZTest {
    /// (p₁ − p₂) / pooled standard error.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: PValue,
}

/// Pooled two-proportion z-test of x₁/n₁ = x₂/n₂; None when a proportion is undefined.
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<ZTest> {
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let (f1, f2) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (f1 + f2);
    let var = pooled * (1.0 - pooled) * (1.0 / f1 + 1.0 / f2);
    if var <= 0.0 {
        return Some(ZTest { z: 0.0, p_value: PValue { p: 1.0, ln_p: 0.0 } });
    }
    let z = (x1 as f64 / f1 - x2 as f64 / f2) / var.sqrt();
    let ln_p = std::f64::consts::LN_2 + super::interval::ln_normal_sf(z.abs());
    Some(ZTest { z, p_value: PValue::from_ln(ln_p) })
}

/// Which test [`compare_proportions`] chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestMethod {
    /// Two-sided Fisher exact test.
    FisherExact,
    /// Pooled two-proportion z-test.
    TwoProportionZ,
}

/// A two-proportion comparison: both tests and the one chosen by Cochran's rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProportionTest {
    /// The chosen test.
    pub method: TestMethod,
    /// The chosen test's p-value.
    pub p_value: f64,
    /// log₁₀ of the chosen p-value (finite when p underflows).
    pub log10_p_value: f64,
    /// Fisher exact p-value.
    pub p_fisher: f64,
    /// z statistic of the pooled z-test.
    pub z: f64,
    /// z-test p-value.
    pub p_z: f64,
}

/// Smallest expected cell count of [[x₁, n₁ − x₁], [x₂, n₂ − x₂]] under independence.
pub fn min_expected_cell(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    let n = (n1 + n2) as f64;
    let (s, f) = ((x1 + x2) as f64, (n1 + n2 - x1 - x2) as f64);
    let (r1, r2) = (n1 as f64, n2 as f64);
    (r1 * s).min(r1 * f).min(r2 * s).min(r2 * f) / n
}

/// Fisher and z tests of x₁/n₁ = x₂/n₂; the chosen one is Fisher when any expected cell is
/// below 5. None when either proportion is undefined (0/0).
pub fn compare_proportions(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<ProportionTest> {
    let zt = two_proportion_z(x1, n1, x2, n2)?;
    let fisher = fisher_exact(x1, n1, x2, n2);
    let (method, chosen) = if min_expected_cell(x1, n1, x2, n2) < 5.0 {
        (TestMethod::FisherExact, fisher)
    } else {
        (TestMethod::TwoProportionZ, zt.p_value)
    };
    Some(ProportionTest {
        method,
        p_value: chosen.p,
        log10_p_value: chosen.ln_p / std::f64::consts::LN_10,
        p_fisher: fisher.p,
        z: zt.z,
        p_z: zt.p_value.p,
    })
}

/// Holm step-down adjusted p-values, in the input order: with p₍₁₎ ≤ … ≤ p₍ₘ₎,
/// p̃₍ᵢ₎ = min(1, max_{j≤i} (m − j + 1)·p₍ⱼ₎). NaN inputs are not allowed (drop undefined
/// tests before adjusting: they do not count in m).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_factorial_is_continuous() {
        let exact: f64 = (2..=21u64).map(|i| (i as f64).p_ln()).sum();
        assert!((ln_factorial(21) - exact).abs() < 1e-13);
        assert!((ln_factorial(170) - 706.5730622457874).abs() < 1e-12);
    }

    #[test]
    fn fisher_tea_tasting() {
        // Fisher's lady tasting tea, [[3, 1], [1, 3]]: two-sided p = 34/70.
        assert!((fisher_exact(3, 4, 1, 4).p - 34.0 / 70.0).abs() < 1e-14);
        // A symmetric table: every table counts, p = 1.
        assert_eq!(fisher_exact(2, 4, 2, 4).p, 1.0);
        assert_eq!(fisher_exact(0, 5, 0, 7).p, 1.0);
    }

    #[test]
    fn fisher_scales_to_ten_million() {
        let p = fisher_exact(5_010_000, 10_000_000, 4_990_000, 10_000_000);
        assert!(p.p > 0.0 && p.p < 1e-10, "{p:?}");
        let z = two_proportion_z(5_010_000, 10_000_000, 4_990_000, 10_000_000).unwrap();
        assert!((p.ln_p - z.p_value.ln_p).abs() < 0.05 * z.p_value.ln_p.abs());
    }

    #[test]
    fn holm_textbook() {
        // Holm (1979)-style example: m = 4.
        let adj = holm(&[0.01, 0.04, 0.03, 0.005]);
        let want = [0.03, 0.06, 0.06, 0.02];
        for (a, w) in adj.iter().zip(want) {
            assert!((a - w).abs() < 1e-15, "{adj:?}");
        }
        assert!(holm(&[]).is_empty());
        assert_eq!(holm(&[0.6, 0.7]), vec![1.0, 1.0]);
    }

    #[test]
    fn zero_variance_z() {
        let t = two_proportion_z(0, 10, 0, 20).unwrap();
        assert_eq!((t.z, t.p_value.p), (0.0, 1.0));
        assert!(two_proportion_z(1, 0, 0, 3).is_none());
    }
}
