//! Privacy accounting: calibration of the samplers, conversions between privacy
//! measures, and the budget [`Ledger`].
//!
//! - Pure ε-DP (discrete Laplace, the default): scale b = Δ₁/ε. Composition adds ε.
//! - ρ-zCDP (discrete Gaussian): σ² = Δ₂²/(2ρ) (CKS20 Theorem 4; Bun & Steinke 2016
//!   "BS16"). Composition adds ρ. Pure ε-DP is ε²/2-zCDP (BS16 Proposition 1.4).
//! - ρ-zCDP ⇒ (ε, δ)-DP, tight (CKS20 Corollary 13, as OpenDP's `cdp_delta`):
//!   δ(ε) = inf_{a>1} exp((a−1)(aρ−ε)) / (a−1) · (1 − 1/a)^a, and the simple BS16
//!   Proposition 1.3 bound ε = ρ + 2√(ρ ln(1/δ)) for comparison.
//!
//! ε, ρ and scales are exact [`Rational`]s, so a split budget adds up exactly and the
//! sampler uses precisely the scale that was charged. Only the (ε, δ) conversion is in
//! `f64`, and it rounds against the user (see [`zcdp_to_approx_dp`]).

use crate::math::Portable;
mod ledger;

pub use ledger::{split_budget, Ledger, LedgerEntry, PrivacyLoss};

use crate::dp::rational::{next_up, Rational};
use crate::dp::DpError;

/// Relative slack added to every float evaluation of a privacy bound, far above the
/// rounding error of the few operations involved (each ≤ 2⁻⁵³ relative).
const BOUND_MARGIN: f64 = 1e-12;

/// The discrete Laplace scale b = Δ₁/ε giving ε-DP for a query of L1 sensitivity Δ₁.
///
/// # Errors
/// When ε is zero.
pub fn epsilon_to_laplace_scale(l1_sensitivity: &Rational, epsilon: &Rational) -> Result<Rational, DpError> {
    if epsilon.is_zero() || l1_sensitivity.is_zero() {
        return Err(DpError::invalid("epsilon", epsilon.to_f64(), "positive, with a positive sensitivity"));
    }
    l1_sensitivity.div(epsilon)
}

/// The ε = Δ₁/b spent by discrete Laplace noise of scale b.
///
/// # Errors
/// When the scale is zero.
pub fn laplace_scale_to_epsilon(l1_sensitivity: &Rational, scale: &Rational) -> Result<Rational, DpError> {
    l1_sensitivity.div(scale).map_err(|_| DpError::invalid("scale", 0, "a positive number"))
}

/// The discrete Gaussian variance parameter σ² = Δ₂²/(2ρ) giving ρ-zCDP.
///
/// # Errors
/// When ρ or the sensitivity is zero.
pub fn rho_to_gaussian_sigma2(l2_sensitivity_squared: &Rational, rho: &Rational) -> Result<Rational, DpError> {
    if rho.is_zero() || l2_sensitivity_squared.is_zero() {
        return Err(DpError::invalid("rho", rho.to_f64(), "positive, with a positive sensitivity"));
    }
    l2_sensitivity_squared.div(&rho.mul(&Rational::from(2)))
}

/// The ρ = Δ₂²/(2σ²) spent by discrete Gaussian noise with variance parameter σ².
///
/// # Errors
/// When σ² is zero.
pub fn gaussian_sigma2_to_rho(
    l2_sensitivity_squared: &Rational,
    sigma_squared: &Rational,
) -> Result<Rational, DpError> {
    l2_sensitivity_squared
        .div(&sigma_squared.mul(&Rational::from(2)))
        .map_err(|_| DpError::invalid("sigma_squared", 0, "a positive number"))
}

/// ε-DP ⇒ ρ-zCDP with ρ = ε²/2 (BS16 Proposition 1.4), exact.
pub fn pure_to_zcdp(epsilon: &Rational) -> Rational {
    epsilon.mul(epsilon).div(&Rational::from(2)).unwrap_or_else(|_| Rational::zero())
}

/// The CKS20 upper bound on δ at a given ε for a ρ-zCDP mechanism, rounded up.
///
/// # Errors
/// When ε is negative or not finite.
pub fn zcdp_delta(rho: &Rational, epsilon: f64) -> Result<f64, DpError> {
    if !(epsilon >= 0.0 && epsilon.is_finite()) {
        return Err(DpError::invalid("epsilon", epsilon, "a finite non-negative number"));
    }
    let rho = rho.to_f64_up();
    if rho == 0.0 {
        return Ok(0.0);
    }
    // `next_up` keeps a tiny δ from underflowing to 0 and covers the rounding of `exp`.
    Ok(next_up(ln_delta_upper(rho, epsilon).p_exp()).min(1.0))
}

/// The smallest ε (rounded up) such that a ρ-zCDP mechanism is (ε, δ)-DP, by the tight
/// CKS20 conversion.
///
/// Conservative rounding: ρ is rounded up to `f64`; for each candidate ε the bound
/// ln δ(ε, a) = (a−1)(aρ−ε) + a·ln(1−1/a) − ln(a−1) is evaluated at a near-optimal a
/// (any a > 1 gives a valid bound, so the search for a needs no care) and increased by a
/// margin of 1e-12 × the magnitudes involved, which exceeds the float error; the bisection
/// over ε returns its upper end, a point where this inflated bound is ≤ δ. The reported
/// ε is therefore never below the exact infimum (it exceeds it by ~1e-11 relative).
///
/// # Errors
/// When δ is not in (0, 1], or the bound cannot be met by any finite ε.
pub fn zcdp_to_approx_dp(rho: &Rational, delta: f64) -> Result<f64, DpError> {
    check_delta(delta)?;
    let rho = rho.to_f64_up();
    if rho == 0.0 || delta >= 1.0 {
        return Ok(0.0);
    }
    let ln_delta = delta.p_ln();
    let fits = |eps: f64| ln_delta_upper(rho, eps) <= ln_delta - BOUND_MARGIN * ln_delta.abs();
    let mut hi = simple_bound(rho, delta);
    while !fits(hi) {
        hi *= 2.0;
        if !hi.is_finite() {
            return Err(DpError::Numerical { what: "ε from ρ-zCDP" });
        }
    }
    let mut lo = 0.0f64;
    if fits(lo) {
        return Ok(0.0);
    }
    loop {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            return Ok(hi);
        }
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
}

/// The simple BS16 conversion ε = ρ + 2√(ρ·ln(1/δ)), rounded up; never better than
/// [`zcdp_to_approx_dp`], kept for comparison.
///
/// # Errors
/// When δ is not in (0, 1].
pub fn zcdp_to_approx_dp_simple(rho: &Rational, delta: f64) -> Result<f64, DpError> {
    check_delta(delta)?;
    Ok(simple_bound(rho.to_f64_up(), delta))
}

/// The largest ρ (an `f64`, returned exactly) whose CKS20 conversion at δ is at most ε:
/// how much zCDP budget an (ε, δ) target allows.
///
/// # Errors
/// When ε is not positive and finite or δ is not in (0, 1).
pub fn approx_dp_to_zcdp(epsilon: f64, delta: f64) -> Result<Rational, DpError> {
    check_delta(delta)?;
    if !(epsilon > 0.0 && epsilon.is_finite()) || delta >= 1.0 {
        return Err(DpError::invalid("epsilon", epsilon, "positive and finite, with δ below 1"));
    }
    let fits =
        |rho: f64| -> Result<bool, DpError> { Ok(zcdp_to_approx_dp(&Rational::from_f64(rho)?, delta)? <= epsilon) };
    // Invariant: `lo` fits (ρ = 0 always does). ρ = ε normally does not; if it did, the
    // answer is merely not the largest, never wrong.
    let (mut lo, mut hi) = (0.0f64, epsilon);
    loop {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            return Rational::from_f64(lo);
        }
        if fits(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
}

fn check_delta(delta: f64) -> Result<(), DpError> {
    if delta > 0.0 && delta <= 1.0 {
        Ok(())
    } else {
        Err(DpError::invalid("delta", delta, "in (0, 1]"))
    }
}

fn simple_bound(rho: f64, delta: f64) -> f64 {
    let eps = rho + 2.0 * (rho * (1.0 / delta).p_ln()).sqrt();
    next_up(eps * (1.0 + BOUND_MARGIN))
}

/// An upper bound on ln δ(ε) for ρ-zCDP: the CKS20 expression at a near-optimal a,
/// plus a margin covering its float error.
fn ln_delta_upper(rho: f64, eps: f64) -> f64 {
    let a = optimal_order(rho, eps);
    let t1 = (a - 1.0) * (a * rho - eps);
    let t2 = a * (-1.0 / a).p_ln_1p();
    let t3 = (a - 1.0).p_ln();
    let magnitude = 1.0 + (a - 1.0) * (a * rho + eps) + t2.abs() + t3.abs();
    t1 + t2 - t3 + BOUND_MARGIN * magnitude
}

/// The minimiser of the (convex) CKS20 exponent over a ∈ [1.01, (ε+1)/(2ρ) + 2], found
/// by bisection on its derivative (2a − 1)ρ − ε + ln(1 − 1/a), which increases in a.
fn optimal_order(rho: f64, eps: f64) -> f64 {
    let (mut lo, mut hi) = (1.01f64, (eps + 1.0) / (2.0 * rho) + 2.0);
    if !hi.is_finite() {
        hi = f64::MAX / 4.0;
    }
    for _ in 0..200 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if (2.0 * mid - 1.0) * rho - eps + (-1.0 / mid).p_ln_1p() < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

#[cfg(test)]
mod test;
