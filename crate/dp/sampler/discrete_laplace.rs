//! The discrete Laplace (two-sided geometric) distribution, P(x) ∝ exp(−|x|/b) on ℤ,
//! sampled exactly for a rational scale b = t/s by CKS20 Algorithm 2.
//!
//! 1. Draw `U` uniform in `0..t` and accept it with probability exp(−U/t); then draw
//!    `V ~ Geometric(1 − e^{−1})` by counting successes of Bernoulli(exp(−1)). Now
//!    `X = U + t·V` is geometric: P[X = x] ∝ exp(−x/t).
//! 2. `Y = ⌊X/s⌋` is geometric with P[Y = y] ∝ exp(−y·s/t) = exp(−y/b).
//! 3. A fair sign `B`; the pair (B = 1, Y = 0) is rejected so that 0 is not counted twice.
//!
//! Adding `Z` with b = Δ/ε to an integer query of L1 sensitivity Δ is ε-DP, since
//! P(k)/P(k') ≤ exp(|k − k'|/b) ≤ exp(Δ/b).

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{ToPrimitive, Zero};

use super::bernoulli::{bernoulli_exp_ratio, bernoulli_exp_unit_u64};
use crate::dp::rational::Rational;
use crate::dp::{rng, DpError};

/// Draws one value of the discrete Laplace distribution with scale `scale` (> 0).
///
/// # Errors
/// [`DpError::InvalidParameter`] when the scale is zero; [`DpError::Entropy`] if
/// randomness fails (nothing may then be released).
pub fn sample_discrete_laplace(scale: &Rational) -> Result<BigInt, DpError> {
    if scale.is_zero() {
        return Err(DpError::invalid("scale", scale, "a positive number"));
    }
    let (t, s) = (scale.numer(), scale.denom());
    if let (Some(t), Some(s)) = (t.to_u64(), s.to_u64()) {
        return sample_u64(t, s);
    }
    sample_big(t, s)
}

/// Algorithm 2 when t and s fit in machine words (the common case).
fn sample_u64(t: u64, s: u64) -> Result<BigInt, DpError> {
    loop {
        let u = rng::uniform_below_u64(t)?;
        if !bernoulli_exp_unit_u64(u, t)? {
            continue;
        }
        let v = count_exp_minus_one_successes()?;
        let x = u128::from(t).checked_mul(u128::from(v)).and_then(|tv| tv.checked_add(u128::from(u)));
        let y = match x {
            Some(x) => BigUint::from(x / u128::from(s)),
            // Unreachable in practice (V would need ~2^64 successes); exact anyway.
            None => (BigUint::from(u) + BigUint::from(t) * v) / s,
        };
        if let Some(z) = signed(y)? {
            return Ok(z);
        }
    }
}

/// Algorithm 2 for arbitrary big t and s.
fn sample_big(t: &BigUint, s: &BigUint) -> Result<BigInt, DpError> {
    loop {
        let u = rng::uniform_below(t)?;
        if !bernoulli_exp_ratio(&u, t)? {
            continue;
        }
        let v = count_exp_minus_one_successes()?;
        let y: BigUint = (u + t * v) / s;
        if let Some(z) = signed(y)? {
            return Ok(z);
        }
    }
}

/// V: the number of successes of Bernoulli(exp(−1)) before the first failure.
fn count_exp_minus_one_successes() -> Result<u64, DpError> {
    let mut v = 0u64;
    while bernoulli_exp_unit_u64(1, 1)? {
        // P[V ≥ 2^64] = e^{−2^64}: saturation never happens, but cannot panic either.
        v = v.saturating_add(1);
    }
    Ok(v)
}

/// Step 3: a fair sign; `None` for the rejected pair (negative, zero).
fn signed(magnitude: BigUint) -> Result<Option<BigInt>, DpError> {
    let negative = rng::uniform_below_u64(2)? == 1;
    Ok(match (negative, magnitude.is_zero()) {
        (true, true) => None,
        (true, false) => Some(BigInt::from_biguint(Sign::Minus, magnitude)),
        (false, _) => Some(BigInt::from(magnitude)),
    })
}
