//! Exact Bernoulli trials.
//!
//! - Bernoulli(n/d): draw `U` uniform in `0..d` ([`crate::dp::rng::uniform_below`], by
//!   rejection) and return `U < n`; exactly n/d.
//! - Bernoulli(exp(−γ)) for γ = n/d ∈ [0, 1] (CKS20 Algorithm 1): with `K = 1`, keep
//!   drawing `A ~ Bernoulli(γ/K)` and incrementing `K` while `A = 1`; return whether the
//!   final `K` is odd. P(K > k) = γᵏ/k!, so P[K odd] = Σ_{k odd} (γ^{k−1}/(k−1)! − γᵏ/k!)
//!   = e^{−γ}.
//! - γ > 1 (CKS20 §5.1): exp(−γ) = exp(−1)^{⌊γ⌋} · exp(−(γ − ⌊γ⌋)); run ⌊γ⌋ trials of
//!   Bernoulli(exp(−1)), stopping at the first failure, then one of the fractional part.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

use crate::dp::rational::Rational;
use crate::dp::{rng, DpError};

/// Draws `true` with probability exactly `p` (0 ≤ p ≤ 1).
///
/// # Errors
/// [`DpError::InvalidParameter`] when p > 1; [`DpError::Entropy`] if randomness fails.
pub fn sample_bernoulli(p: &Rational) -> Result<bool, DpError> {
    if p.numer() > p.denom() {
        return Err(DpError::invalid("p", p, "a probability between 0 and 1"));
    }
    bernoulli_ratio(p.numer(), p.denom())
}

/// Draws `true` with probability exactly exp(−γ) (γ ≥ 0).
///
/// # Errors
/// [`DpError::Entropy`] if randomness fails.
pub fn sample_bernoulli_exp(gamma: &Rational) -> Result<bool, DpError> {
    bernoulli_exp_ratio(gamma.numer(), gamma.denom())
}

/// Bernoulli(num/den) for `num ≤ den`, `den > 0`.
pub(crate) fn bernoulli_ratio(num: &BigUint, den: &BigUint) -> Result<bool, DpError> {
    if let (Some(n), Some(d)) = (num.to_u64(), den.to_u64()) {
        return Ok(rng::uniform_below_u64(d)? < n);
    }
    Ok(&rng::uniform_below(den)? < num)
}

/// Bernoulli(exp(−num/den)) for any `num ≥ 0`, `den > 0`.
pub(crate) fn bernoulli_exp_ratio(num: &BigUint, den: &BigUint) -> Result<bool, DpError> {
    if num <= den {
        return bernoulli_exp_unit(num, den);
    }
    let (mut whole, frac) = num.div_rem(den);
    while !whole.is_zero() {
        if !bernoulli_exp_unit_u64(1, 1)? {
            return Ok(false);
        }
        whole -= 1u32;
    }
    bernoulli_exp_unit(&frac, den)
}

/// CKS20 Algorithm 1 for γ = num/den ∈ [0, 1].
fn bernoulli_exp_unit(num: &BigUint, den: &BigUint) -> Result<bool, DpError> {
    if let (Some(n), Some(d)) = (num.to_u64(), den.to_u64()) {
        return bernoulli_exp_unit_u64(n, d);
    }
    let mut k = 1u64;
    loop {
        if !bernoulli_ratio(num, &(den * k))? {
            return Ok(k % 2 == 1);
        }
        k += 1;
    }
}

/// CKS20 Algorithm 1 on machine integers (the common case; same distribution).
pub(crate) fn bernoulli_exp_unit_u64(num: u64, den: u64) -> Result<bool, DpError> {
    let mut k = 1u64;
    loop {
        let accept = match den.checked_mul(k) {
            Some(dk) => rng::uniform_below_u64(dk)? < num,
            None => bernoulli_ratio(&BigUint::from(num), &(BigUint::from(den) * k))?,
        };
        if !accept {
            return Ok(k % 2 == 1);
        }
        k += 1;
    }
}
