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
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Lowest binary exponent used by the reference arithmetic below.
    const T: i32 = -2400;

    /// `x · 2^-T` as an exact integer, derived independently of `decompose`;
    /// `±inf` maps to `±2^1024`.
    pub(crate) fn scaled(x: f64) -> BigInt {
        let bits = x.to_bits();
        let field = ((bits >> 52) & 0x7FF) as i32;
        let (m, e) = match field {
            0 => (bits & FRAC_MASK, -1074),
            0x7FF => (1, 1024),
            _ => ((bits & FRAC_MASK) + (1 << 52), field - 1075),
        };
        let v = BigInt::from(m) << (e - T) as usize;
        if x.is_sign_negative() {
            -v
        } else {
            v
        }
    }

    /// `int · 2^exp · 2^-T` (requires `exp >= T`).
    pub(crate) fn at_t(int: &BigInt, exp: i32) -> BigInt {
        int << (exp - T) as usize
    }

    /// The next value above finite `x` (`inf` above `f64::MAX`).
    pub(crate) fn next_up(x: f64) -> f64 {
        match x {
            0.0 => f64::from_bits(1),
            _ if x > 0.0 => f64::from_bits(x.to_bits() + 1),
            _ => f64::from_bits(x.to_bits() - 1),
        }
    }

    /// Checks that `r` is the round-half-even of `a / d · 2^e`.
    pub(crate) fn check_round(a: &BigInt, d: &BigUint, e: i32, r: f64) -> Result<(), String> {
        let d = BigInt::from(d.clone());
        let base = e.min(T);
        let target = a << (e - base) as usize;
        let dist = |c: f64| (&target - ((scaled(c) * &d) << (T - base) as usize)).magnitude().clone();
        let even = r.is_infinite() || r.to_bits() & 1 == 0;
        let neighbours = if r.is_finite() { vec![next_up(r), -next_up(-r)] } else { vec![r.signum() * f64::MAX] };
        let here = dist(r);
        for c in neighbours {
            let dc = dist(c);
            if dc < here || (dc == here && !even) {
                return Err(format!("{r:e} is not the correct rounding"));
            }
        }
        Ok(())
    }

    pub(crate) fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |x| x.is_finite()),
            (1.0f64..2.0, -300i32..300, any::<bool>()).prop_map(|(m, k, neg)| if neg { -m } else { m } * 10f64.powi(k)),
            (-1000i32..1000).prop_map(f64::from),
            (0u64..4).prop_map(f64::from_bits),
            Just(-0.0),
            Just(f64::MAX),
            Just(-f64::MAX),
        ]
    }

    fn sum_of(xs: &[f64]) -> ExactSum {
        let mut s = ExactSum::new();
        xs.iter().for_each(|&x| s.add(x));
        s
    }

    fn squares_of(xs: &[f64]) -> ExactSum {
        let mut s = ExactSum::new();
        xs.iter().for_each(|&x| s.add_square(x));
        s
    }

    proptest! {
        #[test]
        fn sum_is_exact_and_correctly_rounded(xs in prop::collection::vec(finite(), 0..40)) {
            let s = sum_of(&xs);
            let reference: BigInt = xs.iter().map(|&x| scaled(x)).sum();
            let (int, exp) = s.to_big();
            prop_assert_eq!(at_t(&int, exp), reference.clone());
            prop_assert_eq!(s.is_zero(), reference.is_zero());
            let one = BigUint::from(1u32);
            prop_assert_eq!(check_round(&reference, &one, T, s.to_f64()), Ok(()));
        }

        #[test]
        fn squares_are_exact(xs in prop::collection::vec(finite(), 0..40)) {
            let s = squares_of(&xs);
            let reference: BigInt = xs.iter().map(|&x| scaled(x) * scaled(x)).sum();
            let (int, exp) = s.to_big();
            prop_assert_eq!(at_t(&int, exp) << (-T) as usize, reference);
        }

        #[test]
        fn order_and_merge_do_not_matter(
            xs in prop::collection::vec(finite(), 0..60),
            cut in 0usize..60,
            flush_at in 0usize..60,
        ) {
            let cut = cut.min(xs.len());
            let (a, b) = xs.split_at(cut);
            let mut rev = xs.clone();
            rev.reverse();
            let mut merged = sum_of(b);
            merged.merge(&sum_of(a));
            let mut flushed = ExactSum::new();
            for (i, &x) in xs.iter().enumerate() {
                flushed.add(x);
                if i == flush_at {
                    flushed.normalize();
                }
            }
            let whole = sum_of(&xs);
            prop_assert_eq!(&whole, &sum_of(&rev));
            prop_assert_eq!(&whole, &merged);
            prop_assert_eq!(&whole, &flushed);
            let json = serde_json::to_string(&whole).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&json, &serde_json::to_string(&merged).unwrap_or_default());
            let back: ExactSum = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, &whole);
            prop_assert_eq!(back.to_f64().to_bits(), whole.to_f64().to_bits());
        }
    }

    #[test]
    fn cancellation_is_exact() {
        assert_eq!(sum_of(&[1e16, 1.0, -1e16]).to_f64(), 1.0);
        assert!(sum_of(&[1e300, -1e-300, -1e300, 1e-300]).is_zero());
        assert!(ExactSum::new().is_zero());
        assert_eq!(ExactSum::new().to_f64().to_bits(), 0.0f64.to_bits());
        assert_eq!(ExactSum::new(), sum_of(&[0.0, -0.0]));
    }

    #[test]
    fn tenth_ten_times() {
        let tenth = f64::from_bits(0x3FB9_9999_9999_999A);
        assert_eq!(tenth, 0.1);
        let s = sum_of(&[tenth; 10]);
        let exact = scaled(tenth) * 10;
        assert_eq!(s.to_big().0 << (s.to_big().1 - T) as usize, exact);
        let r = s.to_f64();
        assert_eq!(check_round(&exact, &BigUint::from(1u32), T, r), Ok(()));
        assert_eq!(r, 1.0); // whereas naive left-to-right addition gives 0.9999999999999999
    }

    #[test]
    fn rounding_ties_go_to_even() {
        let two53 = 9_007_199_254_740_992.0;
        assert_eq!(sum_of(&[two53, 1.0]).to_f64(), two53);
        assert_eq!(sum_of(&[two53, 3.0]).to_f64(), two53 + 4.0);
        assert_eq!(sum_of(&[-two53, -1.0]).to_f64(), -two53);
        assert_eq!(sum_of(&[two53, 1.0, 1e-300]).to_f64(), two53 + 2.0);
    }

    #[test]
    fn overflow_and_subnormals() {
        let half_ulp = 2f64.powi(970);
        let s = sum_of(&[f64::MAX, f64::MAX]);
        assert_eq!(s.to_f64(), f64::INFINITY);
        assert_eq!(s.to_big(), (BigInt::from((1u64 << 53) - 1), 972));
        assert_eq!(sum_of(&[f64::MAX, half_ulp]).to_f64(), f64::INFINITY);
        assert_eq!(sum_of(&[-f64::MAX, -half_ulp]).to_f64(), f64::NEG_INFINITY);
        assert_eq!(sum_of(&[f64::MAX, half_ulp / 2.0]).to_f64(), f64::MAX);
        let tiny = f64::from_bits(1);
        assert_eq!(sum_of(&[tiny, tiny, tiny]).to_f64(), f64::from_bits(3));
        assert!(sum_of(&[tiny, -tiny]).is_zero());
        assert_eq!(sum_of(&[f64::MIN_POSITIVE, -tiny]).to_f64(), f64::MIN_POSITIVE - tiny);
        let sq = squares_of(&[tiny]);
        assert_eq!(sq.to_big(), (BigInt::from(1), -2148));
        assert_eq!(sq.to_f64(), 0.0);
        assert_eq!(squares_of(&[f64::MAX]).to_f64(), f64::INFINITY);
        assert_eq!(squares_of(&[3.0, -4.0]).to_f64(), 25.0);
    }

    #[test]
    fn flush_keeps_value() {
        let x = -f64::from_bits(0x001F_FFFF_FFFF_FFFF) * 2f64.powi(40);
        let mut s = ExactSum::new();
        s.add(x);
        s.add_square(x);
        s.pending = FLUSH_AT - 1;
        s.add(x);
        assert_eq!(s.pending, 1);
        s.pending = FLUSH_AT - 1;
        s.add_square(x);
        assert_eq!(s.pending, 1);
        let mut expect = sum_of(&[x, x]);
        expect.merge(&squares_of(&[x, x]));
        assert_eq!(s, expect);
    }

    #[test]
    fn bad_serialised_values_are_rejected() {
        let low = r#"{"neg":false,"exp":-3000,"mag":[1]}"#;
        assert!(serde_json::from_str::<ExactSum>(low).is_err());
        let high = r#"{"neg":true,"exp":4000,"mag":[1]}"#;
        assert!(serde_json::from_str::<ExactSum>(high).is_err());
        let zero = r#"{"neg":true,"exp":4000,"mag":[]}"#;
        assert!(serde_json::from_str::<ExactSum>(zero).is_ok_and(|s| s.is_zero()));
    }

    /// Worst-case lazy-carry load: 2^30 + 5 deposits of all-ones chunks.
    /// Run with `cargo test --release -- --ignored`.
    #[test]
    #[ignore]
    fn stress_flush_boundary() {
        // m = 2^53 - 1 at e = -885, and (e + 2176) % 32 == 11: both low chunks all ones.
        let x = -f64::from_bits(0x001F_FFFF_FFFF_FFFF) * 2f64.powi(189);
        assert_eq!(decompose(x), Some((true, (1 << 53) - 1, -885)));
        let n = (1u64 << 30) + 5;
        let (mut s, mut q) = (ExactSum::new(), ExactSum::new());
        for _ in 0..n {
            s.add(x);
            q.add_square(x);
        }
        assert_eq!(at_t(&s.to_big().0, s.to_big().1), scaled(x) * n);
        let q_ref = scaled(x) * scaled(x) * n;
        assert_eq!(at_t(&q.to_big().0, q.to_big().1) << (-T) as usize, q_ref);
    }

    /// Throughput check. Run with `cargo test --release -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput() {
        let xs: Vec<f64> = (0..1_000_000u32)
            .map(|i| (f64::from(i) * 0.618_033_988_7).p_sin() * 10f64.powi((i % 600) as i32 - 300))
            .collect();
        let rate = |f: &dyn Fn(&mut ExactSum, &[f64])| {
            let start = std::time::Instant::now();
            let mut s = ExactSum::new();
            (0..100).for_each(|_| f(&mut s, &xs));
            std::hint::black_box(&s);
            100.0 * xs.len() as f64 / start.elapsed().as_secs_f64() / 1e6
        };
        let add = rate(&|s, xs| xs.iter().for_each(|&x| s.add(x)));
        let square = rate(&|s, xs| xs.iter().for_each(|&x| s.add_square(x)));
        println!("add: {add:.0} M/s, add_square: {square:.0} M/s");
    }
}
