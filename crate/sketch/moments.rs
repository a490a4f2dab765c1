//! Exact, mergeable first and second moments of a numeric column.
//!
//! [`MomentsAcc`] is the mutable per-worker accumulator; [`MomentsAcc::finish`]
//! freezes it into a [`Moments`] result. The accumulator keeps the count, the
//! exact sum `S = Σx` and the exact sum of squares `Q = Σx²` (both as
//! [`ExactSum`] superaccumulators, see that module for the method and its
//! citation), the extrema and a few counters.
//!
//! # Definitions
//!
//! Over the `n` finite values:
//!
//! * `sum` is `S` rounded once to the nearest `f64` (ties to even);
//! * `mean` is the exact `S / n` rounded once;
//! * `variance` is the *sample* variance with `ddof = 1` (the default of
//!   pandas `Series.var()` and of `numpy.var(ddof=1)`), computed exactly as
//!   `(n·Q − S²) / (n·(n − 1))` in big-integer arithmetic and rounded once, so
//!   it has no catastrophic cancellation;
//! * `std` is `variance.sqrt()` (the numpy/pandas convention) whenever the
//!   rounded variance is a normal `f64`; when it overflowed to infinity or is
//!   subnormal or zero, `std` is instead the correctly rounded square root of
//!   the exact variance (so `std` stays finite and precise for data around
//!   `1e200` or `1e-160`, and is zero only for constant data).
//!
//! NaN is treated as missing and ignored. `+inf` / `-inf` are only counted
//! (in `positive_infinities` / `negative_infinities`) and excluded from
//! everything else. `min` and `max` order values with [`f64::total_cmp`], so
//! `-0.0 < 0.0` and the extrema do not depend on input order. `zeros` counts
//! `0.0` and `-0.0`; `negatives` counts finite values `< 0` (not `-0.0`).
//!
//! # Merge contract
//!
//! Every field is merged exactly (integer counts, exact sums, total-order
//! extrema), so [`MomentsAcc::merge`] is commutative and associative with the
//! empty accumulator as identity, and `finish` gives bit-identical results for
//! any split of the input into chunks and any merge order.

use super::exact_sum::{round_to_f64, ExactSum};
use super::power_sums::{Dyadic, PowerSums};
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::Zero;
use serde::{Deserialize, Serialize};

/// Mutable, mergeable accumulator of the moments of a numeric column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MomentsAcc {
    count: u64,
    sum: ExactSum,
    sum_sq: ExactSum,
    min: Option<f64>,
    max: Option<f64>,
    pos_inf: u64,
    neg_inf: u64,
    zeros: u64,
    negatives: u64,
    /// `Σx³`, `Σx⁴` for skewness and kurtosis, when asked for ([`MomentsAcc::with_shape`]).
    /// (No `skip_serializing_if`: states are encoded with bincode.)
    high: Option<Box<PowerSums>>,
}

/// Frozen moments of a numeric column; see the module docs for definitions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Number of finite values.
    pub count: u64,
    /// Correctly rounded exact sum of the finite values (`0.0` when empty).
    pub sum: f64,
    /// Correctly rounded exact mean; `None` when `count == 0`.
    pub mean: Option<f64>,
    /// Correctly rounded exact sample variance (`ddof = 1`); `None` when
    /// `count < 2`.
    pub variance: Option<f64>,
    /// Sample standard deviation, `sqrt(variance)`; `None` when `count < 2`.
    pub std: Option<f64>,
    /// Smallest finite value under [`f64::total_cmp`] (`-0.0 < 0.0`).
    pub min: Option<f64>,
    /// Largest finite value under [`f64::total_cmp`] (`-0.0 < 0.0`).
    pub max: Option<f64>,
    /// Number of values equal to `0.0` or `-0.0`.
    pub zeros: u64,
    /// Number of finite values strictly below zero.
    pub negatives: u64,
    /// Number of `+inf` values.
    pub positive_infinities: u64,
    /// Number of `-inf` values.
    pub negative_infinities: u64,
    /// Adjusted Fisher–Pearson skewness (pandas `skew()`); `None` when not kept or
    /// `count < 3`, `0` for zero variance (see [`super::power_sums`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skewness: Option<f64>,
    /// Bias-corrected excess kurtosis (pandas `kurt()`); `None` when not kept or
    /// `count < 4`, `0` for zero variance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kurtosis: Option<f64>,
}

/// The smaller (`want_max == false`) or larger of two optional extrema.
fn pick(a: Option<f64>, b: Option<f64>, want_max: bool) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x.total_cmp(&y).is_gt() == want_max { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

impl MomentsAcc {
    /// Creates an empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an empty accumulator that also keeps `Σx³` and `Σx⁴`, for
    /// [`Moments::skewness`] and [`Moments::kurtosis`].
    pub fn with_shape() -> Self {
        MomentsAcc { high: Some(Box::default()), ..Self::default() }
    }

    /// Adds one value: NaN is ignored, infinities are only counted.
    #[inline]
    pub fn update(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        if x.is_infinite() {
            if x > 0.0 {
                self.pos_inf += 1;
            } else {
                self.neg_inf += 1;
            }
            return;
        }
        self.count = self.count.saturating_add(1);
        self.sum.add(x);
        self.sum_sq.add_square(x);
        if let Some(h) = self.high.as_mut() {
            h.add(x);
        }
        self.min = pick(self.min, Some(x), false);
        self.max = pick(self.max, Some(x), true);
        if x == 0.0 {
            self.zeros += 1;
        } else if x < 0.0 {
            self.negatives += 1;
        }
    }

    /// Adds every value of `xs`: the same state as [`MomentsAcc::update`] on each in turn,
    /// with far fewer operations on the exact sums (see [`super::moments_batch`]).
    pub fn update_slice(&mut self, xs: &[f64]) {
        let sinks = super::moments_batch::Sinks {
            sum: &mut self.sum,
            sum_sq: &mut self.sum_sq,
            high: self.high.as_deref_mut(),
        };
        let c = super::moments_batch::accumulate(xs, sinks);
        self.absorb(c);
    }

    /// Adds every integer of `xs` as the double `v as f64`: the same state as
    /// [`MomentsAcc::update_slice`] of those doubles, with the powers of small integers
    /// summed in integer arithmetic (see [`super::moments_batch`]).
    pub fn update_ints(&mut self, xs: &[i64]) {
        let sinks = super::moments_batch::Sinks {
            sum: &mut self.sum,
            sum_sq: &mut self.sum_sq,
            high: self.high.as_deref_mut(),
        };
        let c = super::moments_batch::accumulate_ints(xs, sinks);
        self.absorb(c);
    }

    /// Adds the values summed in `s` ([`super::moment_sums`]): the same state as
    /// [`MomentsAcc::update`] with each of them. For accumulators without `Σx³`, `Σx⁴`
    /// ([`MomentsAcc::new`]); one that keeps them would get `Σx³`, `Σx⁴` wrong, so it is
    /// refused (false, nothing added).
    pub fn add_sums(&mut self, s: &super::moment_sums::MomentSums) -> bool {
        if self.high.is_some() {
            return false;
        }
        let c = s.add_to(&mut self.sum, &mut self.sum_sq);
        self.absorb(c);
        true
    }

    /// Adds a batch's counts and range (the exact sums were added through the sinks).
    fn absorb(&mut self, c: super::moments_batch::BatchCounts) {
        self.count = self.count.saturating_add(c.count);
        self.min = pick(self.min, c.min, false);
        self.max = pick(self.max, c.max, true);
        self.pos_inf += c.pos_inf;
        self.neg_inf += c.neg_inf;
        self.zeros += c.zeros;
        self.negatives += c.negatives;
    }

    /// The count, exact sum and exact sum of squares of the finite values.
    pub fn sums(&self) -> (u64, &ExactSum, &ExactSum) {
        (self.count, &self.sum, &self.sum_sq)
    }

    /// Folds `other` into `self`; exact, commutative and associative.
    pub fn merge(&mut self, other: &MomentsAcc) {
        self.count = self.count.saturating_add(other.count);
        self.sum.merge(&other.sum);
        self.sum_sq.merge(&other.sum_sq);
        self.min = pick(self.min, other.min, false);
        self.max = pick(self.max, other.max, true);
        self.pos_inf = self.pos_inf.saturating_add(other.pos_inf);
        self.neg_inf = self.neg_inf.saturating_add(other.neg_inf);
        self.zeros = self.zeros.saturating_add(other.zeros);
        self.negatives = self.negatives.saturating_add(other.negatives);
        // Both sides keep the power sums or neither does (one column, one constructor).
        match (self.high.as_mut(), other.high.as_ref()) {
            (Some(a), Some(b)) => a.merge(b),
            _ => self.high = None,
        }
    }

    /// Computes the frozen [`Moments`]; does not modify the accumulator.
    pub fn finish(&self) -> Moments {
        let n = self.count;
        let (s_int, s_exp) = self.sum.to_big();
        let mean = (n > 0).then(|| ratio_to_f64(&s_int, &BigUint::from(n), s_exp));
        let (variance, std) = match (n >= 2).then(|| self.exact_variance(&s_int, s_exp)) {
            Some((num, den, exp)) => {
                let var = ratio_to_f64(&BigInt::from(num.clone()), &den, exp);
                let std = if var.is_normal() { var.sqrt() } else { ratio_sqrt_to_f64(&num, &den, exp) };
                (Some(var), Some(std))
            }
            None => (None, None),
        };
        let (skewness, kurtosis) = match &self.high {
            Some(h) => {
                let (q_int, q_exp) = self.sum_sq.to_big();
                h.shape(n, Dyadic::new(s_int.clone(), i64::from(s_exp)), Dyadic::new(q_int, i64::from(q_exp)))
            }
            None => (None, None),
        };
        Moments {
            count: n,
            sum: self.sum.to_f64(),
            mean,
            variance,
            std,
            min: self.min,
            max: self.max,
            zeros: self.zeros,
            negatives: self.negatives,
            positive_infinities: self.pos_inf,
            negative_infinities: self.neg_inf,
            skewness,
            kurtosis,
        }
    }

    /// Exact sample variance as `num / den · 2^exp`, given `S = s_int · 2^s_exp`.
    fn exact_variance(&self, s_int: &BigInt, s_exp: i32) -> (BigUint, BigUint, i32) {
        let n = BigInt::from(self.count);
        let (q_int, q_exp) = self.sum_sq.to_big();
        let s2_exp = s_exp.saturating_mul(2);
        let base = q_exp.min(s2_exp);
        let n_q = (&n * q_int) << (q_exp - base).unsigned_abs();
        let s2 = (s_int * s_int) << (s2_exp - base).unsigned_abs();
        // n·Q − S² ≥ 0 (Cauchy–Schwarz); only a corrupted state can break it.
        let num = (n_q - s2).to_biguint().unwrap_or_default();
        let den = BigUint::from(self.count) * BigUint::from(self.count.saturating_sub(1));
        (num, den, base)
    }
}

/// Correctly rounded (ties to even) `num / den · 2^exp2`.
///
/// Returns NaN when `den` is zero and `±inf` on overflow; handles subnormals.
pub(crate) fn ratio_to_f64(num: &BigInt, den: &BigUint, exp2: i32) -> f64 {
    if den.is_zero() {
        return f64::NAN;
    }
    if num.is_zero() {
        return 0.0;
    }
    let mag = num.magnitude();
    // Scale so the integer quotient has at least 55 significant bits.
    let k = (55 + bit_len(den) - bit_len(mag)).max(0);
    let (q, r) = div_rem(&(mag << k.unsigned_abs()), den);
    round_to_f64(num.sign() == Sign::Minus, &q, i64::from(exp2) - k, !r.is_zero())
}

/// Correctly rounded (ties to even) `sqrt(num / den · 2^exp2)`.
///
/// Returns NaN when `den` is zero.
pub(crate) fn ratio_sqrt_to_f64(num: &BigUint, den: &BigUint, exp2: i32) -> f64 {
    if den.is_zero() {
        return f64::NAN;
    }
    if num.is_zero() {
        return 0.0;
    }
    let (mut num, mut exp) = (num.clone(), i64::from(exp2));
    if exp % 2 != 0 {
        num <<= 1u32;
        exp -= 1;
    }
    // Scale by 4^k so the radicand has >= 110 bits and its root >= 55 bits.
    let k = ((110 + bit_len(den) - bit_len(&num) + 1) / 2).max(0);
    let (t, r) = div_rem(&(num << (2 * k).unsigned_abs()), den);
    let root = t.sqrt();
    let sticky = !r.is_zero() || &root * &root != t;
    round_to_f64(false, &root, exp / 2 - k, sticky)
}

/// Quotient and remainder of `a / d` (`d` non-zero).
fn div_rem(a: &BigUint, d: &BigUint) -> (BigUint, BigUint) {
    let q = a / d;
    let r = a - &q * d;
    (q, r)
}

/// Bit length of `v` as a signed integer.
fn bit_len(v: &BigUint) -> i64 {
    i64::try_from(v.bits()).unwrap_or(i64::MAX / 4)
}

#[cfg(test)]
#[path = "moments_tests.rs"]
mod tests;
