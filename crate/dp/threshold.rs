//! δ of partition selection (releasing keys not known in advance) with discrete Laplace
//! noise, per DEFINITIONS.md §3 "Unknown keys".
//!
//! Each person contributes to at most `l0` keys; the count of *distinct persons* per key
//! gets discrete Laplace noise of scale b = l0/ε, and key k is kept iff N_k + Z_k ≥ τ.
//! A key that exists only because of the added person has N_k = 1 and survives with
//! probability δ₁ = P[Z ≥ τ − 1] = e^{−(τ−1)/b}/(1 + e^{−1/b}) (the inclusive tail: the
//! keep rule is "≥ τ"). Over the person's `l0` keys, δ = 1 − (1 − δ₁)^{l0}.
//!
//! OpenDP 0.16's map uses the strict tail P[Z > τ − 1] for the same "≥ τ" rule and so
//! under-reports δ (DEFINITIONS.md P6, opendp/opendp#2922); this module does not.
//!
//! Rounding: δ₁ is evaluated at the scale rounded in the direction that increases it,
//! and every float result is inflated by a relative 1e-12, so the reported δ is never
//! below the exact one, and [`delta_to_threshold`] never returns a τ that is too small.

use crate::dp::accuracy::dl_tail;
use crate::dp::rational::{next_up, Rational};
use crate::dp::DpError;
use crate::math::Portable;

const MARGIN: f64 = 1e-12;

/// δ of keeping keys whose noisy distinct-person count is ≥ `threshold` (τ ≥ 1), with
/// discrete Laplace noise of scale b and at most `l0` keys per person.
///
/// # Errors
/// When the scale is zero, τ is zero, or `l0` is zero.
pub fn threshold_to_delta(scale: &Rational, threshold: u64, l0: u64) -> Result<f64, DpError> {
    if scale.is_zero() {
        return Err(DpError::invalid("scale", 0, "a positive number"));
    }
    if threshold == 0 || l0 == 0 {
        let (name, v) = if threshold == 0 { ("threshold", threshold) } else { ("l0", l0) };
        return Err(DpError::invalid(name, v, "at least 1"));
    }
    let k = threshold - 1;
    // P[Z ≥ k] grows with b for k ≥ 1; for k = 0 it is 1/(1 + e^{−1/b}), which shrinks.
    let b = if k == 0 { scale.to_f64_down() } else { scale.to_f64_up() };
    let k = i64::try_from(k).map_err(|_| DpError::invalid("threshold", threshold, "below 2^63"))?;
    let delta1 = next_up(dl_tail(b, k) * (1.0 + MARGIN)).min(1.0);
    let delta = -(l0 as f64 * (-delta1).p_ln_1p()).p_exp_m1();
    Ok(next_up(delta * (1.0 + MARGIN)).min(1.0))
}

/// The smallest threshold τ ≥ 1 whose [`threshold_to_delta`] is at most `delta`.
///
/// # Errors
/// When δ is not in (0, 1), the scale is zero, or `l0` is zero.
pub fn delta_to_threshold(scale: &Rational, delta: f64, l0: u64) -> Result<u64, DpError> {
    if !(delta > 0.0 && delta < 1.0) {
        return Err(DpError::invalid("delta", delta, "strictly between 0 and 1"));
    }
    let fits = |tau: u64| threshold_to_delta(scale, tau, l0).map(|d| d <= delta);
    // Closed-form start: δ₁ = 1 − (1 − δ)^{1/l0}, τ − 1 = b·ln(1/(δ₁(1 + e^{−1/b}))).
    let b = scale.to_f64();
    let delta1 = -((-delta).p_ln_1p() / l0.max(1) as f64).p_exp_m1();
    let start = 1.0 + b * (1.0 / (delta1 * (1.0 + (-1.0 / b).p_exp()))).p_ln();
    if !start.is_finite() || start > 2f64.powi(62) {
        return Err(DpError::Numerical { what: "the threshold" });
    }
    let mut tau = start.max(1.0).floor() as u64;
    while !fits(tau)? {
        tau += 1;
    }
    while tau > 1 && fits(tau - 1)? {
        tau -= 1;
    }
    Ok(tau)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_inclusive_tail() {
        // b = 1, τ = 3: δ₁ = P[Z ≥ 2] = e^{−2}/(1 + e^{−1}) = 0.098938…, the survival rate
        // DEFINITIONS.md P6 measured for OpenDP (0.1017 ± noise), not its map's 0.0364.
        let b = Rational::from(1);
        let d = threshold_to_delta(&b, 3, 1).unwrap();
        let exact = (-2f64).p_exp() / (1.0 + (-1f64).p_exp());
        assert!(d >= exact && d < exact * (1.0 + 1e-11), "{d} vs {exact}");
        assert!((exact - 0.098_938_02).abs() < 1e-8);
        // l0 = 3: 1 − (1 − δ₁)³.
        let d3 = threshold_to_delta(&b, 3, 3).unwrap();
        assert!((d3 - (1.0 - (1.0 - exact).powi(3))).abs() < 1e-12);
    }

    #[test]
    fn inverse_is_the_smallest_threshold() {
        for (scale, delta, l0) in
            [(Rational::from(1), 1e-6, 1), (Rational::from(10), 1e-9, 5), (Rational::from(2), 0.01, 2)]
        {
            let tau = delta_to_threshold(&scale, delta, l0).unwrap();
            assert!(threshold_to_delta(&scale, tau, l0).unwrap() <= delta);
            assert!(tau == 1 || threshold_to_delta(&scale, tau - 1, l0).unwrap() > delta);
        }
        // b = 1, δ = 1e-6: 1 + ⌈ln(1/(1e-6·(1 + e^{−1})))⌉ = 15.
        assert_eq!(delta_to_threshold(&Rational::from(1), 1e-6, 1).unwrap(), 15);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(threshold_to_delta(&Rational::zero(), 3, 1).is_err());
        assert!(threshold_to_delta(&Rational::from(1), 0, 1).is_err());
        assert!(delta_to_threshold(&Rational::from(1), 0.0, 1).is_err());
    }
}
