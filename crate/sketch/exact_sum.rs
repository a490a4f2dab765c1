//! Exact, order-independent, mergeable summation of `f64` values.
//!
//! [`ExactSum`] holds the *exact* value of a sum of finite doubles and of
//! exact squares of doubles, so the result never depends on the order in which
//! values were added or partial sums were merged: a file processed in one pass,
//! in random chunks, or as `k` byte ranges merged in any order yields the same
//! value, and therefore bit-identical rounded results.
//!
//! # Representation
//!
//! Every finite double is `m · 2^e` with `m < 2^53` and `-1074 ≤ e ≤ 971`;
//! its square is `m² · 2^(2e)` with `m² < 2^106`. All of these are integer
//! multiples of `2^-2148` below `2^2048`, so the value is kept as a fixed-point
//! big integer: 136 signed 64-bit limbs, limb `i` weighing `2^(32·i − 2176)`.
//! Each addition deposits 32-bit chunks into three (sum) or five (square)
//! adjacent limbs with plain integer additions and no carry propagation; the
//! spare 31 bits of every limb absorb the carries, and carries are propagated
//! ("normalisation") only about once every 2^29 additions and on
//! [`ExactSum::merge`].
//! This is the "small superaccumulator" idea of R. M. Neal, *Fast exact
//! summation using small and large superaccumulators* (2015), arXiv:1505.05571,
//! adapted to fixed 32-bit chunks so that squares can be added without FMA
//! (wasm32 has no hardware FMA).
//!
//! The three top limbs only receive carries; the value stays exact for at least
//! 2^64 terms of any magnitude (far more than any `u64` count). Beyond roughly
//! 2^159 maximal squares the top limb saturates instead of panicking.
//!
//! # Merge contract
//!
//! `merge` is exact, so it is commutative and associative, and the empty sum
//! ([`ExactSum::new`] / `Default`) is its identity. Equality (`==`), `Debug`
//! and serialisation all use the value, not the limb layout: serialisation
//! writes a canonical form (sign, odd magnitude, binary exponent), so equal
//! values serialise to equal bytes.

#[cfg(test)]
use crate::math::Portable;
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::Zero;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Number of value bits carried by each limb once normalised.
const LIMB_BITS: u32 = 32;
/// Mask of the value bits of a normalised limb.
const LIMB_MASK: i64 = (1 << LIMB_BITS) - 1;
/// Binary exponent of the lowest limb (a multiple of 32 below `-2148`).
const BASE_EXP: i32 = -2176;
/// Number of limbs: covers bits up to `2^2048` of squares plus carry headroom.
const NUM_LIMBS: usize = 136;
/// Limb budget, in units of `2^32`, after which carries are propagated.
/// Every limb then stays below `2^31 · 2^32 = 2^63` in magnitude.
const FLUSH_AT: u32 = 1 << 30;
/// Mask of the 52 stored fraction bits of an `f64`.
const FRAC_MASK: u64 = (1 << 52) - 1;

/// Exact sum of finite `f64` values and of their exact squares.
///
/// Adding is a handful of integer operations; see the module documentation
/// for the representation and the merge contract.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(into = "ExactSumRepr", try_from = "ExactSumRepr")]
pub struct ExactSum {
    /// Either empty (the value zero) or exactly `NUM_LIMBS` lazy limbs.
    limbs: Vec<i64>,
    /// Upper bound on `max |limb| / 2^32` since the last normalisation.
    pending: u32,
}

/// Splits a finite double into `(negative, m, e)` with `|x| = m · 2^e`.
#[inline]
fn decompose(x: f64) -> Option<(bool, u64, i32)> {
    let bits = x.to_bits();
    let field = ((bits >> 52) & 0x7FF) as i32;
    if field == 0x7FF {
        return None;
    }
    let implicit = u64::from(field != 0) << 52;
    Some((bits >> 63 != 0, (bits & FRAC_MASK) | implicit, field.max(1) - 1075))
}

/// Splits `wide` into three 32-bit chunks, negated when `neg`.
#[inline]
fn chunks3(wide: u128, neg: bool) -> [i64; 3] {
    let sign = -i64::from(neg);
    let chunk = |shift: u32| (((wide >> shift) as u64 & LIMB_MASK as u64) as i64 ^ sign) - sign;
    [chunk(0), chunk(32), chunk(64)]
}

impl ExactSum {
    /// Creates the empty sum (value zero). Does not allocate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the finite value `x` exactly.
    ///
    /// Non-finite input is a contract violation: it trips a debug assertion
    /// and is ignored in release builds.
    #[inline]
    pub fn add(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "ExactSum::add got non-finite {x}");
        let Some((neg, m, e)) = decompose(x) else {
            return;
        };
        // e >= -1074 > BASE_EXP, so the position is non-negative.
        let pos = e.abs_diff(BASE_EXP);
        let [c0, c1, c2] = chunks3(u128::from(m) << (pos % LIMB_BITS), neg);
        let idx = (pos / LIMB_BITS) as usize;
        if let Some([a, b, c]) = self.limbs_mut().get_mut(idx..idx + 3) {
            *a += c0;
            *b += c1;
            *c += c2;
        }
        self.charge(1);
    }

    /// Adds `x²` exactly.
    ///
    /// Non-finite input is a contract violation: it trips a debug assertion
    /// and is ignored in release builds.
    #[inline]
    pub fn add_square(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "ExactSum::add_square got non-finite {x}");
        let Some((_, m, e)) = decompose(x) else {
            return;
        };
        let square = super::wide::mul_u64(m, m);
        // 2e >= -2148 > BASE_EXP, so the position is non-negative.
        let pos = (2 * e).abs_diff(BASE_EXP);
        let shift = pos % LIMB_BITS;
        let [l0, l1, l2] = chunks3((square & u128::from(u64::MAX)) << shift, false);
        let [h0, h1, h2] = chunks3((square >> 64) << shift, false);
        let idx = (pos / LIMB_BITS) as usize;
        if let Some([a, b, c, d, f]) = self.limbs_mut().get_mut(idx..idx + 5) {
            *a += l0;
            *b += l1;
            *c += l2 + h0;
            *d += h1;
            *f += h2;
        }
        self.charge(2);
    }

    /// Adds `±mag · 2^e` exactly, for `-2176 ≤ e ≤ 1951`: enough for a sum of up to 2^22
    /// doubles, or of their exact squares, that share one binary exponent (see
    /// [`super::moments_batch`]). Out-of-range input is a contract violation: it trips a
    /// debug assertion and is ignored in release builds.
    #[inline]
    pub fn add_wide(&mut self, neg: bool, mag: u128, e: i32) {
        debug_assert!(e >= BASE_EXP, "ExactSum::add_wide exponent {e} below the lowest limb");
        if mag == 0 || e < BASE_EXP {
            return;
        }
        let pos = e.abs_diff(BASE_EXP);
        let shift = pos % LIMB_BITS;
        let lo = mag << shift;
        let hi = if shift == 0 { 0 } else { (mag >> (128 - shift)) as u64 };
        let sign = -i64::from(neg);
        let chunk = |v: u64| ((v & LIMB_MASK as u64) as i64 ^ sign) - sign;
        let parts = [lo as u64, (lo >> 32) as u64, (lo >> 64) as u64, (lo >> 96) as u64, hi];
        let idx = (pos / LIMB_BITS) as usize;
        // The three top limbs only take carries.
        debug_assert!(idx + 5 <= NUM_LIMBS - 3, "ExactSum::add_wide value too large");
        if let Some(dst) = self.limbs_mut().get_mut(idx..(idx + 5).min(NUM_LIMBS - 3)) {
            for (d, &p) in dst.iter_mut().zip(&parts) {
                *d += chunk(p);
            }
        }
        self.charge(1);
    }

    /// Adds the exact product `x·y` of two finite values (the 106-bit product of the
    /// significands, not the rounded double). Non-finite input is ignored.
    #[inline]
    pub fn add_product(&mut self, x: f64, y: f64) {
        let (Some((nx, mx, ex)), Some((ny, my, ey))) = (decompose(x), decompose(y)) else {
            return;
        };
        self.add_wide(nx != ny, super::wide::mul_u64(mx, my), ex + ey);
    }

    /// Adds the value of `other` to `self` exactly.
    pub fn merge(&mut self, other: &Self) {
        if other.limbs.is_empty() {
            return;
        }
        let mut carry: i128 = 0;
        let dst = self.limbs_mut();
        let last = dst.len() - 1;
        for (i, (d, &o)) in dst.iter_mut().zip(&other.limbs).enumerate() {
            let v = i128::from(*d) + i128::from(o) + carry;
            if i == last {
                *d = i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX });
            } else {
                *d = (v & i128::from(LIMB_MASK)) as i64;
                carry = v >> LIMB_BITS;
            }
        }
        self.pending = 1;
    }

    /// Returns `true` when the exact value is zero.
    pub fn is_zero(&self) -> bool {
        self.limbs.is_empty() || self.normalized().iter().all(|&l| l == 0)
    }

    /// Returns the nearest `f64` to the exact value (round half to even);
    /// `±inf` when it is out of range. A zero sum gives `+0.0`.
    pub fn to_f64(&self) -> f64 {
        let (int, exp) = self.to_big();
        round_to_f64(int.sign() == Sign::Minus, int.magnitude(), i64::from(exp), false)
    }

    /// Returns `(int, exp)` with value `= int · 2^exp` exactly, canonical:
    /// `int` is odd, or `(0, 0)` for zero.
    pub fn to_big(&self) -> (BigInt, i32) {
        let limbs = self.normalized();
        let Some((&top, low)) = limbs.split_last() else {
            return (BigInt::zero(), 0);
        };
        let digits: Vec<u32> = low.iter().map(|&l| l as u32).collect();
        let high = BigInt::from(top) << (LIMB_BITS as usize * low.len());
        let int = high + BigInt::from(BigUint::from_slice(&digits));
        match int.trailing_zeros() {
            None => (int, 0),
            Some(tz) => {
                let tz32 = i32::try_from(tz).unwrap_or(0);
                (int >> tz, BASE_EXP + tz32)
            }
        }
    }

    /// The limbs, allocated on first use.
    #[inline]
    fn limbs_mut(&mut self) -> &mut [i64] {
        if self.limbs.len() != NUM_LIMBS {
            self.limbs.resize(NUM_LIMBS, 0);
        }
        &mut self.limbs
    }

    /// Accounts for `units` more chunk deposits; normalises when due.
    #[inline]
    fn charge(&mut self, units: u32) {
        self.pending += units;
        if self.pending >= FLUSH_AT {
            self.normalize();
        }
    }

    /// Propagates carries so that every limb but the top one is in `[0, 2^32)`.
    fn normalize(&mut self) {
        let mut carry: i64 = 0;
        let last = self.limbs.len().saturating_sub(1);
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            if i == last {
                *limb = limb.saturating_add(carry);
            } else {
                let v = *limb + carry;
                *limb = v & LIMB_MASK;
                carry = v >> LIMB_BITS;
            }
        }
        self.pending = 1;
    }

    /// A normalised copy of all `NUM_LIMBS` limbs.
    fn normalized(&self) -> Vec<i64> {
        let mut copy = self.clone();
        copy.limbs_mut();
        copy.normalize();
        copy.limbs
    }
}

impl PartialEq for ExactSum {
    /// Compares exact values, whatever the internal carry state.
    fn eq(&self, other: &Self) -> bool {
        self.normalized() == other.normalized()
    }
}

impl Eq for ExactSum {}

impl fmt::Debug for ExactSum {
    /// Shows the canonical exact value, `int * 2^exp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, exp) = self.to_big();
        write!(f, "ExactSum({int} * 2^{exp})")
    }
}

/// Rounds `±(mag + δ) · 2^exp2` to the nearest `f64`, ties to even, where
/// `δ ∈ (0, 1)` when `sticky` and `δ = 0` otherwise.
///
/// When `sticky` is set the caller must supply at least 55 significant bits
/// in `mag` (so that the discarded part lies below the rounding bit).
pub(crate) fn round_to_f64(neg: bool, mag: &BigUint, exp2: i64, sticky: bool) -> f64 {
    let sign = if neg { -1.0 } else { 1.0 };
    let bits = i64::try_from(mag.bits()).unwrap_or(i64::MAX);
    if bits == 0 {
        return sign * 0.0;
    }
    let top = exp2.saturating_add(bits - 1);
    if top > 1023 {
        return sign * f64::INFINITY;
    }
    let lsb = (top - 52).max(-1074);
    let shift = lsb - exp2;
    let low_u64 = |v: &BigUint| v.iter_u64_digits().next().unwrap_or(0);
    let mut q = if shift <= 0 {
        debug_assert!(!sticky, "round_to_f64: too few bits for a sticky input");
        low_u64(mag) << shift.unsigned_abs()
    } else {
        let s = shift.unsigned_abs();
        let q = low_u64(&(mag >> s));
        let half = mag.bit(s - 1);
        let below = sticky || mag.trailing_zeros().is_some_and(|tz| tz < s - 1);
        q + u64::from(half && (below || q & 1 == 1))
    };
    let mut lsb = lsb;
    if q >> 53 != 0 {
        q >>= 1;
        lsb += 1;
    }
    if lsb > 971 {
        return sign * f64::INFINITY;
    }
    let out = if q >> 52 == 0 { q } else { ((lsb + 1075).unsigned_abs() << 52) | (q & FRAC_MASK) };
    sign * f64::from_bits(out)
}

/// Canonical serialised form: `(-1)^neg · mag · 2^exp`, `mag` as little-endian
/// 32-bit digits, odd (or empty for zero, with `exp = 0`).
#[derive(Serialize, Deserialize)]
struct ExactSumRepr {
    neg: bool,
    exp: i32,
    mag: Vec<u32>,
}

impl From<ExactSum> for ExactSumRepr {
    fn from(sum: ExactSum) -> Self {
        let (int, exp) = sum.to_big();
        let (sign, mag) = int.to_u32_digits();
        Self { neg: sign == Sign::Minus, exp, mag }
    }
}

impl TryFrom<ExactSumRepr> for ExactSum {
    type Error = String;

    fn try_from(repr: ExactSumRepr) -> Result<Self, String> {
        let mag = BigUint::from_slice(&repr.mag);
        if mag.is_zero() {
            return Ok(Self::new());
        }
        let pos = i64::from(repr.exp) - i64::from(BASE_EXP);
        let pos = u64::try_from(pos).map_err(|_| "ExactSum exponent too small".to_string())?;
        let digits = (mag << (pos % u64::from(LIMB_BITS))).to_u32_digits();
        let start = usize::try_from(pos / u64::from(LIMB_BITS)).unwrap_or(usize::MAX);
        if start.saturating_add(digits.len()) >= NUM_LIMBS {
            return Err("ExactSum value out of range".to_string());
        }
        let sign = -i64::from(repr.neg);
        let mut out = Self::new();
        for (limb, &d) in out.limbs_mut().iter_mut().skip(start).zip(&digits) {
            *limb = (i64::from(d) ^ sign) - sign;
        }
        out.pending = 1;
        Ok(out)
    }
}

#[cfg(test)]
#[path = "exact_sum_tests.rs"]
pub(crate) mod tests;
