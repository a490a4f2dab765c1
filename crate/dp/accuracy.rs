//! Accuracy of the exact samplers: deterministic functions of public parameters only.
//!
//! # Convention (privaudit)
//! The accuracy of a release at level α is the **integer half-width h** such that
//! `|released − exact| ≤ h` with probability at least 1 − α, and h is the smallest such
//! integer: h = min { h ≥ 0 : P[|Z| > h] ≤ α }. The interval is inclusive
//! (`[v − h, v + h]`), like Google's confidence intervals.
//!
//! OpenDP 0.16 reports an "accuracy" a with `|err| < a` instead (DEFINITIONS.md P12):
//! h = ⌈a⌉ − 1 for `discrete_laplacian_scale_to_accuracy` and h = a − 1 for
//! `discrete_gaussian_scale_to_accuracy` (which returns an integer). The committed
//! fixture `tests/data/reference/dp_opendp.json` pins both (ε = 0.1 → ±30, ρ = 0.005 → ±20).
//!
//! # Tails used
//! - Discrete Laplace of scale b, q = e^{−1/b}: P[Z ≥ k] = q^k/(1 + q) for k ≥ 0, and
//!   P[|Z| ≥ k] = 2q^k/(1 + q) for k ≥ 1. Solving 2q^{h+1}/(1 + q) ≤ α gives OpenDP's
//!   closed form a = b·ln(2/((e^{1/b} + 1)α)) + 1, h = ⌈a⌉ − 1.
//! - Discrete Gaussian of variance parameter σ²: P[|Z| ≥ k] = 2Σ_{j≥k} f(j) / Σ_{j∈ℤ} f(j)
//!   with f(j) = e^{−j²/(2σ²)}, summed exactly (compensated, smallest terms first) for
//!   σ² ≤ 2²⁴. Above, the upper bound P[|Z| ≥ k] ≤ erfc((k − 1)/(σ√2)) is used: the tail
//!   sum is at most ∫_{k−1}^∞ f, and by Poisson summation Σ_ℤ f ≥ σ√(2π). The bound can
//!   make h one unit larger than the exact value, never smaller.
//!
//! # Rounding
//! Each test "P[|Z| > h] ≤ α" evaluates the tail at the scale rounded *up* to `f64` (tails
//! grow with the scale) and inflates it by a relative 1e-12, far above the float error
//! of these few operations (≈ 1e-15 · (1 + k/b)); so a returned h is never too small.

use crate::dp::rational::Rational;
use crate::dp::special::erfc;
use crate::dp::DpError;
use crate::math::Portable;

/// Relative inflation of computed tail probabilities (see "Rounding").
const TAIL_MARGIN: f64 = 1e-12;
/// Largest σ² for which discrete Gaussian tails are summed exactly.
const GAUSSIAN_SUM_LIMIT: f64 = (1u64 << 24) as f64;

/// P[Z ≥ k] for the discrete Laplace distribution of scale b (any integer k).
pub fn discrete_laplace_tail(scale: &Rational, k: i64) -> f64 {
    dl_tail(scale.to_f64(), k)
}

/// P[|Z| ≥ k] for the discrete Laplace distribution of scale b.
pub fn discrete_laplace_abs_tail(scale: &Rational, k: u64) -> f64 {
    dl_abs_tail(scale.to_f64(), k)
}

/// P[|Z| ≥ k] for the discrete Gaussian distribution with variance parameter σ²
/// (exact up to float error for σ² ≤ 2²⁴, an upper bound above; see the module doc).
pub fn discrete_gaussian_abs_tail(sigma_squared: &Rational, k: u64) -> f64 {
    dg_abs_tail(sigma_squared.to_f64(), k)
}

/// The 1 − α integer half-width h of discrete Laplace noise of scale b (privaudit
/// convention: `|err| ≤ h` with probability ≥ 1 − α).
///
/// # Errors
/// When the scale is zero or α is not in (0, 1).
pub fn discrete_laplace_scale_to_accuracy(scale: &Rational, alpha: f64) -> Result<u64, DpError> {
    check_alpha(alpha)?;
    let b = positive_up("scale", scale)?;
    let q = (-1.0 / b).p_exp();
    // Closed-form start (OpenDP's a − 1), then settle on the exact smallest h.
    let start = b * (2.0 / (alpha * (1.0 + q))).p_ln();
    smallest_half_width(start, |h| dl_abs_tail(b, h + 1), alpha)
}

/// The largest scale b (an `f64`, returned exactly) whose 1 − α half-width is at most
/// `accuracy`: the inverse of [`discrete_laplace_scale_to_accuracy`].
///
/// # Errors
/// When α is not in (0, 1) or no finite scale qualifies.
pub fn accuracy_to_discrete_laplace_scale(accuracy: u64, alpha: f64) -> Result<Rational, DpError> {
    check_alpha(alpha)?;
    largest_scale(|b| discrete_laplace_scale_to_accuracy(&b, alpha).map(|h| h <= accuracy))
}

/// The 1 − α integer half-width h of discrete Gaussian noise with variance parameter σ².
///
/// # Errors
/// When σ² is zero or α is not in (0, 1).
pub fn discrete_gaussian_scale_to_accuracy(sigma_squared: &Rational, alpha: f64) -> Result<u64, DpError> {
    check_alpha(alpha)?;
    let s2 = positive_up("sigma_squared", sigma_squared)?;
    // Start from a Chernoff-style guess; the search below settles on the exact h.
    let start = (2.0 * s2 * (2.0 / alpha).p_ln()).sqrt();
    let tail = DgTail::new(s2);
    smallest_half_width(start, |h| tail.abs_tail(h + 1), alpha)
}

/// The largest σ² (the square of an `f64` σ, returned exactly) whose 1 − α half-width
/// is at most `accuracy`: the inverse of [`discrete_gaussian_scale_to_accuracy`].
///
/// # Errors
/// When α is not in (0, 1) or no finite scale qualifies.
pub fn accuracy_to_discrete_gaussian_sigma2(accuracy: u64, alpha: f64) -> Result<Rational, DpError> {
    check_alpha(alpha)?;
    let sigma = largest_scale(|s| discrete_gaussian_scale_to_accuracy(&s.mul(&s), alpha).map(|h| h <= accuracy))?;
    Ok(sigma.mul(&sigma))
}

fn check_alpha(alpha: f64) -> Result<(), DpError> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(DpError::invalid("alpha", alpha, "strictly between 0 and 1"))
    }
}

fn positive_up(name: &'static str, x: &Rational) -> Result<f64, DpError> {
    let v = x.to_f64_up();
    if x.is_zero() || !v.is_finite() {
        return Err(DpError::invalid(name, x.to_f64(), "a positive finite number"));
    }
    Ok(v)
}

/// The smallest h ≥ 0 with `tail_above(h) · (1 + margin) ≤ α`, for a tail that decreases
/// in h: doubling from `start` until it holds, then bisection (O(log h) evaluations).
fn smallest_half_width(start: f64, tail_above: impl Fn(u64) -> f64, alpha: f64) -> Result<u64, DpError> {
    let ok = |h: u64| tail_above(h) * (1.0 + TAIL_MARGIN) <= alpha;
    let too_big = DpError::Numerical { what: "the accuracy" };
    if !start.is_finite() || start > 2f64.powi(60) {
        return Err(too_big);
    }
    let mut hi = start.max(1.0).ceil() as u64;
    while !ok(hi) {
        hi = hi.checked_mul(2).filter(|&h| h < 1 << 62).ok_or(too_big.clone())?;
    }
    // Invariant: ok(hi); every h < lo fails.
    let mut lo = 0u64;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(hi)
}

/// The largest `f64` x > 0 with `fits(x)`, for a predicate true on small x and false on
/// large x (the accuracy of a scale grows with the scale), by doubling then bisection.
fn largest_scale(fits: impl Fn(Rational) -> Result<bool, DpError>) -> Result<Rational, DpError> {
    let at = |x: f64| Rational::from_f64(x).and_then(&fits);
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    while !at(lo)? {
        lo /= 2.0;
        if lo < 1e-300 {
            return Err(DpError::Numerical { what: "a scale for this accuracy" });
        }
    }
    while at(hi)? {
        hi *= 2.0;
        if hi > 1e300 {
            return Err(DpError::Numerical { what: "a scale for this accuracy" });
        }
    }
    // Invariant: fits(lo), !fits(hi).
    loop {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            return Rational::from_f64(lo);
        }
        if at(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
}

pub(crate) fn dl_tail(b: f64, k: i64) -> f64 {
    let q = (-1.0 / b).p_exp();
    if k >= 0 {
        (-(k as f64) / b).p_exp() / (1.0 + q)
    } else {
        // P[Z ≥ k] = 1 − P[Z ≤ k − 1] = 1 − P[Z ≥ 1 − k] by symmetry.
        1.0 - (-((1 - k) as f64) / b).p_exp() / (1.0 + q)
    }
}

pub(crate) fn dl_abs_tail(b: f64, k: u64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    2.0 * (-(k as f64) / b).p_exp() / (1.0 + (-1.0 / b).p_exp())
}

pub(crate) fn dg_abs_tail(sigma2: f64, k: u64) -> f64 {
    DgTail::new(sigma2).abs_tail(k)
}

/// P[|Z| ≥ k] for one discrete Gaussian, with its normalising constant computed once.
struct DgTail {
    sigma2: f64,
    /// Beyond `last`, f(j) < e^{−745}: below the smallest `f64`.
    last: u64,
    total: f64,
}

impl DgTail {
    fn new(sigma2: f64) -> DgTail {
        let last = (sigma2 * 2.0 * 745.0).sqrt().ceil() as u64 + 2;
        let mut t = DgTail { sigma2, last, total: f64::NAN };
        if sigma2 <= GAUSSIAN_SUM_LIMIT {
            t.total = 1.0 + 2.0 * t.sum_from(1);
        }
        t
    }

    /// Σ_{j ≥ from} f(j), smallest terms first.
    fn sum_from(&self, from: u64) -> f64 {
        let f = |j: u64| (-((j as f64) * (j as f64)) / (2.0 * self.sigma2)).p_exp();
        compensated_sum((from..=self.last).rev().map(f))
    }

    fn abs_tail(&self, k: u64) -> f64 {
        if k == 0 {
            return 1.0;
        }
        if self.sigma2 > GAUSSIAN_SUM_LIMIT {
            return erfc((k - 1) as f64 / (2.0 * self.sigma2).sqrt()).min(1.0);
        }
        if k > self.last {
            return 0.0;
        }
        (2.0 * self.sum_from(k) / self.total).min(1.0)
    }
}

/// Neumaier's compensated summation.
fn compensated_sum(terms: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut comp) = (0.0f64, 0.0f64);
    for x in terms {
        let t = sum + x;
        comp += if sum.abs() >= x.abs() { (sum - t) + x } else { (x - t) + sum };
        sum = t;
    }
    sum + comp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eps_scale(eps: f64) -> Rational {
        Rational::from(1).div(&Rational::from_f64(eps).unwrap()).unwrap()
    }

    #[test]
    fn laplace_reference_table() {
        // DEFINITIONS.md §3 (OpenDP 0.16, Δ = 1, 95 %): ε 0.1/0.5/1/2 → ±30/±6/±3/±1.
        for (eps, h) in [(0.1, 30), (0.5, 6), (1.0, 3), (2.0, 1)] {
            assert_eq!(discrete_laplace_scale_to_accuracy(&eps_scale(eps), 0.05).unwrap(), h, "ε = {eps}");
        }
    }

    #[test]
    fn gaussian_reference_table() {
        // ρ 0.005/0.05/0.5 ⇔ σ² = 100/10/1 → ±20/±6/±2.
        for (s2, h) in [(100, 20), (10, 6), (1, 2)] {
            assert_eq!(discrete_gaussian_scale_to_accuracy(&Rational::from(s2), 0.05).unwrap(), h, "σ² = {s2}");
        }
    }

    #[test]
    fn half_width_is_the_smallest_valid_one() {
        for b in [0.3, 1.0, 7.5, 123.0] {
            let scale = Rational::from_f64(b).unwrap();
            let h = discrete_laplace_scale_to_accuracy(&scale, 0.05).unwrap();
            assert!(dl_abs_tail(b, h + 1) <= 0.05 && (h == 0 || dl_abs_tail(b, h) > 0.05));
        }
    }

    #[test]
    fn tails_are_consistent() {
        let b = 2.5;
        // Symmetry and normalisation of the discrete Laplace tails.
        let p0 = dl_tail(b, 0) - dl_tail(b, 1);
        assert!((p0 - ((1.0 - (-1.0 / b).p_exp()) / (1.0 + (-1.0 / b).p_exp()))).abs() < 1e-15);
        assert!((dl_tail(b, -3) + dl_tail(b, 4) - 1.0).abs() < 1e-15);
        assert!((dl_abs_tail(b, 3) - 2.0 * dl_tail(b, 3)).abs() < 1e-15);
        // The large-σ bound is above the exact sum, and close to it.
        let s2 = GAUSSIAN_SUM_LIMIT;
        let k = (2.0 * s2.sqrt()) as u64;
        let exact = dg_abs_tail(s2, k);
        let bound = erfc((k - 1) as f64 / (2.0 * s2).sqrt());
        assert!(bound >= exact && bound < exact * 1.001, "{bound} vs {exact}");
    }

    #[test]
    fn inverses_round_trip() {
        for h in [0u64, 1, 3, 30, 1000] {
            let b = accuracy_to_discrete_laplace_scale(h, 0.05).unwrap();
            assert_eq!(discrete_laplace_scale_to_accuracy(&b, 0.05).unwrap(), h);
            let bigger = Rational::from_f64(crate::dp::rational::next_up(b.to_f64())).unwrap();
            assert!(discrete_laplace_scale_to_accuracy(&bigger, 0.05).unwrap() > h);
        }
        for h in [1u64, 2, 6, 20] {
            let s2 = accuracy_to_discrete_gaussian_sigma2(h, 0.05).unwrap();
            assert_eq!(discrete_gaussian_scale_to_accuracy(&s2, 0.05).unwrap(), h);
        }
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(discrete_laplace_scale_to_accuracy(&Rational::zero(), 0.05).is_err());
        assert!(discrete_laplace_scale_to_accuracy(&Rational::from(1), 1.0).is_err());
        assert!(discrete_gaussian_scale_to_accuracy(&Rational::from(1), 0.0).is_err());
    }
}
