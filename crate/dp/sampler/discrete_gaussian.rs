//! The discrete Gaussian distribution, P(x) ∝ exp(−x²/(2σ²)) on ℤ, sampled exactly for a
//! rational σ² by CKS20 Algorithm 3.
//!
//! With t = ⌊σ⌋ + 1, draw `Y` from the discrete Laplace distribution of scale t and accept
//! it with probability exp(−(|Y| − σ²/t)² / (2σ²)). The accepted `Y` has exactly the
//! discrete Gaussian distribution, and the expected number of proposals is a small
//! constant for every σ (CKS20 §5.3).
//!
//! For σ² = n/d the acceptance exponent is the rational (|Y|·d·t − n)² / (2·n·d·t²).
//! Adding it to a query with L2 sensitivity Δ₂ is ρ-zCDP with ρ = Δ₂²/(2σ²) (CKS20 Thm 4).

use num_bigint::{BigInt, BigUint};

use super::bernoulli::bernoulli_exp_ratio;
use super::discrete_laplace::sample_discrete_laplace;
use crate::dp::rational::Rational;
use crate::dp::DpError;

/// Draws one value of the discrete Gaussian distribution with variance parameter
/// `sigma_squared` (σ² > 0; the actual variance is slightly below σ²).
///
/// # Errors
/// [`DpError::InvalidParameter`] when σ² is zero; [`DpError::Entropy`] if randomness fails.
pub fn sample_discrete_gaussian(sigma_squared: &Rational) -> Result<BigInt, DpError> {
    if sigma_squared.is_zero() {
        return Err(DpError::invalid("sigma_squared", sigma_squared, "a positive number"));
    }
    let (n, d) = (sigma_squared.numer(), sigma_squared.denom());
    // ⌊σ⌋ = ⌊√⌊σ²⌋⌋, exactly.
    let t: BigUint = sigma_squared.floor().sqrt() + 1u32;
    let laplace_scale = Rational::new(t.clone(), BigUint::from(1u32))?;
    let dt = d * &t;
    let denominator: BigUint = n * &dt * &t * 2u32;
    loop {
        let y = sample_discrete_laplace(&laplace_scale)?;
        let a = y.magnitude() * &dt;
        let diff = if &a >= n { a - n } else { n - a };
        if bernoulli_exp_ratio(&(&diff * &diff), &denominator)? {
            return Ok(y);
        }
    }
}
