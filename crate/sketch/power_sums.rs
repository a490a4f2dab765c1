//! Exact, mergeable sums of cubes and fourth powers, and the shape statistics (skewness,
//! excess kurtosis) computed from them exactly.
//!
//! `x³` and `x⁴` of doubles span binary exponents from `-4296` to `+4096`, beyond the
//! fixed window of [`super::exact_sum::ExactSum`], so [`PowerSums`] keeps each sum as a
//! dyadic rational `int · 2^exp` in big-integer arithmetic. The hot path
//! ([`super::moments_batch`]) sums the mantissa powers of values that share an exponent
//! in `i128`/`u128` and deposits them here once per exponent and batch, into per-exponent
//! 128-bit sums that reach the big integers only every 2^20 values of one exponent.
//!
//! # Definitions (pandas `Series.skew()` / `Series.kurt()`)
//!
//! Over the `n` finite values with power sums `S₁ … S₄`, let
//! `A = n·S₂ − S₁²` (`= n·m₂`), `B = n²·S₃ − 3n·S₁S₂ + 2S₁³` (`= n²·m₃`) and
//! `C = n³·S₄ − 4n²·S₁S₃ + 6n·S₁²S₂ − 3S₁⁴` (`= n³·m₄`), where `mₖ = Σ(x − x̄)ᵏ`:
//!
//! * skewness, the adjusted Fisher–Pearson coefficient
//!   `G₁ = n·√(n−1)/(n−2) · m₃/m₂^{3/2} = sign(B)·√(n(n−1)·B² / ((n−2)²·A³))`;
//! * excess kurtosis, `G₂ = n(n+1)(n−1)·m₄ / ((n−2)(n−3)·m₂²) − 3(n−1)²/((n−2)(n−3))
//!   = (n−1)·((n+1)·C − 3(n−1)·A²) / ((n−2)(n−3)·A²)`.
//!
//! Both are evaluated exactly and rounded once (the skewness as the correctly rounded
//! square root of an exact rational). As in pandas (`nanops.nanskew` / `nankurt`), the
//! skewness is undefined (`None`; pandas NaN) for `n < 3`, the kurtosis for `n < 4`, and
//! both are `0` when the variance is zero. pandas also zeroes `m₂`, `m₃` (and the
//! kurtosis numerator and denominator) below `1e-14` to hide its rounding errors; exact
//! sums have none, so that rule is not copied: the two differ only for columns whose
//! spread is around `1e-7` or less.
//!
//! # Merge
//! Sums add exactly; equality and serialisation use the canonical form (odd integer, or
//! zero), so any split and merge order gives the same state and the same result.

use super::moments::{ratio_sqrt_to_f64, ratio_to_f64};
use super::wide::mul_u64;
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An exact dyadic rational `int · 2^exp`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dyadic {
    int: BigInt,
    exp: i64,
}

impl Dyadic {
    pub(crate) fn new(int: BigInt, exp: i64) -> Self {
        Dyadic { int, exp }
    }

    fn add(&mut self, other: &Dyadic) {
        if other.int.is_zero() {
            return;
        }
        if self.int.is_zero() {
            *self = other.clone();
        } else if other.exp >= self.exp {
            self.int += &other.int << (other.exp - self.exp).unsigned_abs();
        } else {
            self.int = (&self.int << (self.exp - other.exp).unsigned_abs()) + &other.int;
            self.exp = other.exp;
        }
    }

    fn sub(&self, other: &Dyadic) -> Dyadic {
        let mut out = self.clone();
        out.add(&Dyadic { int: -other.int.clone(), exp: other.exp });
        out
    }

    fn mul(&self, other: &Dyadic) -> Dyadic {
        Dyadic { int: &self.int * &other.int, exp: self.exp + other.exp }
    }

    fn scale(&self, k: &BigInt) -> Dyadic {
        Dyadic { int: &self.int * k, exp: self.exp }
    }

    /// `(odd int, exp)`, or `(0, 0)`.
    fn canonical(&self) -> (BigInt, i64) {
        match self.int.trailing_zeros() {
            None => (BigInt::zero(), 0),
            Some(tz) => (&self.int >> tz, self.exp + i64::try_from(tz).unwrap_or(0)),
        }
    }
}

impl PartialEq for Dyadic {
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

/// Canonical serialised form: `(-1)^neg · mag · 2^exp`, `mag` odd little-endian 32-bit
/// digits (empty for zero).
#[derive(Serialize, Deserialize)]
struct DyadicRepr {
    neg: bool,
    exp: i64,
    mag: Vec<u32>,
}

impl Serialize for Dyadic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (int, exp) = self.canonical();
        let (sign, mag) = int.to_u32_digits();
        DyadicRepr { neg: sign == Sign::Minus, exp, mag }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Dyadic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = DyadicRepr::deserialize(d)?;
        if r.exp.unsigned_abs() > 1 << 20 {
            return Err(serde::de::Error::custom("power sum exponent out of range"));
        }
        let mag = BigInt::from(BigUint::from_slice(&r.mag));
        Ok(Dyadic { int: if r.neg { -mag } else { mag }, exp: r.exp })
    }
}

/// Exact `Σx³` and `Σx⁴` of the finite values of a column.
///
/// Deposits go first to small per-exponent integer sums (`pending`), which reach the big
/// integers only once 2^20 terms of one exponent have gathered, and on merge or
/// serialisation; so a deposit costs a map lookup and five 128-bit additions.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(into = "PowerSumsRepr", from = "PowerSumsRepr")]
pub struct PowerSums {
    cube: Dyadic,
    quart: Dyadic,
    pending: BTreeMap<u32, Pending>,
}

/// Integer sums of up to [`PENDING_LIMIT`] terms (each `< 2^106`) of one exponent field.
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    terms: u32,
    cube: [i128; 2],
    quart: [u128; 3],
}

/// Terms an entry of `pending` holds at most: `2^20 · 2^106 < 2^127`.
const PENDING_LIMIT: u32 = 1 << 20;

/// Canonical form of [`PowerSums`]: the two totals.
#[derive(Serialize, Deserialize)]
struct PowerSumsRepr {
    cube: Dyadic,
    quart: Dyadic,
}

impl From<PowerSums> for PowerSumsRepr {
    fn from(p: PowerSums) -> Self {
        let (cube, quart) = p.totals();
        PowerSumsRepr { cube, quart }
    }
}

impl From<PowerSumsRepr> for PowerSums {
    fn from(r: PowerSumsRepr) -> Self {
        PowerSums { cube: r.cube, quart: r.quart, pending: BTreeMap::new() }
    }
}

impl PartialEq for PowerSums {
    fn eq(&self, other: &Self) -> bool {
        self.totals() == other.totals()
    }
}

/// Adds `(c₀ + c₁·2^53) · 2^(3e)` to `cube` and `(q₀ + 2q₁·2^53 + q₂·2^106) · 2^(4e)` to
/// `quart`, with `e = max(field, 1) − 1075`.
fn settle(cube: &mut Dyadic, quart: &mut Dyadic, field: u32, p: &Pending) {
    let e = i64::from(field.max(1)) - 1075;
    let c = BigInt::from(p.cube[0]) + (BigInt::from(p.cube[1]) << 53u32);
    let q = BigInt::from(p.quart[0]) + (BigInt::from(p.quart[1]) << 54u32) + (BigInt::from(p.quart[2]) << 106u32);
    cube.add(&Dyadic::new(c, 3 * e));
    quart.add(&Dyadic::new(q, 4 * e));
}

/// Splits `m² = a + b·2^53` (`a, b < 2^53` for `m < 2^53`).
#[inline]
pub(super) fn split_square(m: u64) -> (u64, u64) {
    let sq = mul_u64(m, m);
    ((sq as u64) & ((1 << 53) - 1), (sq >> 53) as u64)
}

impl PowerSums {
    /// Adds the finite value `x` (non-finite values are ignored).
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        let bits = x.to_bits();
        let field = ((bits >> 52) & 0x7FF) as u32;
        let m = (bits & ((1 << 52) - 1)) | (u64::from(field != 0) << 52);
        let (a, b) = split_square(m);
        let neg = bits >> 63 == 1;
        let cube = |v: u64| -> i128 {
            let t = mul_u64(v, m) as i128;
            if neg {
                -t
            } else {
                t
            }
        };
        let (aa, ab, bb) = (mul_u64(a, a), mul_u64(a, b), mul_u64(b, b));
        self.deposit(field, 1, [cube(a), cube(b)], [aa, ab, bb]);
    }

    /// Adds the sums of `terms ≤ 2^20` values of exponent field `field`: cubes `(c₀ +
    /// c₁·2^53)·2^(3e)`, fourth powers `(q₀ + 2q₁·2^53 + q₂·2^106)·2^(4e)`, `e = max(field,
    /// 1) − 1075`, every term below 2^106.
    pub(super) fn deposit(&mut self, field: u32, terms: u32, c: [i128; 2], q: [u128; 3]) {
        let PowerSums { cube, quart, pending } = self;
        let p = pending.entry(field).or_default();
        if p.terms + terms > PENDING_LIMIT {
            settle(cube, quart, field, p);
            *p = Pending::default();
        }
        p.terms += terms;
        p.cube[0] += c[0];
        p.cube[1] += c[1];
        p.quart.iter_mut().zip(q).for_each(|(a, b)| *a += b);
    }

    /// The exact `(Σx³, Σx⁴)`.
    fn totals(&self) -> (Dyadic, Dyadic) {
        let (mut cube, mut quart) = (self.cube.clone(), self.quart.clone());
        for (&field, p) in &self.pending {
            settle(&mut cube, &mut quart, field, p);
        }
        (cube, quart)
    }

    /// Folds `other` into `self`; exact, commutative and associative.
    pub fn merge(&mut self, other: &PowerSums) {
        let (cube, quart) = other.totals();
        self.cube.add(&cube);
        self.quart.add(&quart);
    }

    /// Skewness and excess kurtosis (see the module docs) of `n` values with exact sums
    /// `S₁ = s1` and `S₂ = s2`.
    pub(crate) fn shape(&self, n: u64, s1: Dyadic, s2: Dyadic) -> (Option<f64>, Option<f64>) {
        if n < 3 {
            return (None, None);
        }
        let nb = BigInt::from(n);
        let a = s2.scale(&nb).sub(&s1.mul(&s1));
        if !a.int.is_positive() {
            return (Some(0.0), (n >= 4).then_some(0.0));
        }
        let s1s2 = s1.mul(&s2);
        let s1_3 = s1.mul(&s1).mul(&s1);
        let (cube, quart) = self.totals();
        // B = n²S₃ − 3nS₁S₂ + 2S₁³
        let mut b = cube.scale(&(&nb * &nb));
        b = b.sub(&s1s2.scale(&(BigInt::from(3) * &nb)));
        b.add(&s1_3.scale(&BigInt::from(2)));
        let (n1, n2) = (BigInt::from(n - 1), BigInt::from(n - 2));
        let num = b.mul(&b).scale(&(&nb * &n1));
        let den = a.mul(&a).mul(&a).scale(&(&n2 * &n2));
        let skew = ratio_sqrt(&num, &den).map(|v| if b.int.is_negative() { -v } else { v });
        if n < 4 {
            return (skew, None);
        }
        // C = n³S₄ − 4n²S₁S₃ + 6nS₁²S₂ − 3S₁⁴
        let n_sq = &nb * &nb;
        let mut c = quart.scale(&(&n_sq * &nb));
        c = c.sub(&s1.mul(&cube).scale(&(BigInt::from(4) * &n_sq)));
        c.add(&s1.mul(&s1s2).scale(&(BigInt::from(6) * &nb)));
        c = c.sub(&s1_3.mul(&s1).scale(&BigInt::from(3)));
        let a2 = a.mul(&a);
        let inner = c.scale(&(&nb + 1)).sub(&a2.scale(&(BigInt::from(3) * &n1)));
        let num = inner.scale(&n1);
        let den = a2.scale(&(&n2 * BigInt::from(n - 3)));
        (skew, ratio(&num, &den))
    }
}

/// Correctly rounded `num / den` (`den > 0`).
fn ratio(num: &Dyadic, den: &Dyadic) -> Option<f64> {
    let d = den.int.to_biguint()?;
    let exp = i32::try_from(num.exp - den.exp).ok()?;
    Some(ratio_to_f64(&num.int, &d, exp))
}

/// Correctly rounded `√(num / den)` (`num ≥ 0`, `den > 0`).
fn ratio_sqrt(num: &Dyadic, den: &Dyadic) -> Option<f64> {
    let (n, d) = (num.int.to_biguint()?, den.int.to_biguint()?);
    let exp = i32::try_from(num.exp - den.exp).ok()?;
    Some(ratio_sqrt_to_f64(&n, &d, exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(xs: &[f64]) -> (Option<f64>, Option<f64>) {
        let mut p = PowerSums::default();
        let (mut s1, mut s2) = (Dyadic::default(), Dyadic::default());
        for &x in xs {
            p.add(x);
            let bits = x.to_bits();
            let field = ((bits >> 52) & 0x7FF) as i64;
            let m = BigInt::from((bits & ((1 << 52) - 1)) | (u64::from(field != 0) << 52));
            let (int, exp) = (if bits >> 63 == 1 { -m } else { m }, field.max(1) - 1075);
            s1.add(&Dyadic::new(int.clone(), exp));
            s2.add(&Dyadic::new(&int * &int, 2 * exp));
        }
        p.shape(xs.len() as u64, s1, s2)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
    }

    #[test]
    fn matches_pandas() {
        // pandas 2.3.3: pd.Series([1, 2, 3, 4, 10]).skew(), .kurt()
        let (s, k) = shape_of(&[1.0, 2.0, 3.0, 4.0, 10.0]);
        assert!(close(s.unwrap(), 1.697056274847714), "{s:?}");
        assert!(close(k.unwrap(), 3.1519999999999992), "{k:?}");
        // pd.Series([-1.5, 0.25, 2.0, 1e3, -7.0, 3.0]).skew(), .kurt()
        let (s, k) = shape_of(&[-1.5, 0.25, 2.0, 1e3, -7.0, 3.0]);
        assert!(close(s.unwrap(), 2.449078120297612), "{s:?}");
        assert!(close(k.unwrap(), 5.998437971023344), "{k:?}");
    }

    #[test]
    fn small_and_constant_columns() {
        assert_eq!(shape_of(&[1.0, 2.0]), (None, None));
        // pd.Series([1., 2., 4.]).skew()
        let (s, k) = shape_of(&[1.0, 2.0, 4.0]);
        assert!(close(s.unwrap(), 0.9352195295828237) && k.is_none(), "{s:?} {k:?}");
        assert_eq!(shape_of(&[5.0; 3]), (Some(0.0), None));
        assert_eq!(shape_of(&[5.0; 7]), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn large_offsets_do_not_cancel() {
        // Shifting the data does not change its shape; float formulas lose it at 1e12.
        let base = [1.0, 2.0, 3.0, 4.0, 10.0];
        let shifted: Vec<f64> = base.iter().map(|x| x + 1e12).collect();
        assert_eq!(shape_of(&base), shape_of(&shifted));
        let tiny: Vec<f64> = base.iter().map(|x| x * 2f64.powi(-1000)).collect();
        assert_eq!(shape_of(&base), shape_of(&tiny));
        let huge: Vec<f64> = base.iter().map(|x| x * 2f64.powi(900)).collect();
        assert_eq!(shape_of(&base), shape_of(&huge));
    }

    #[test]
    fn serialisation_is_canonical() {
        let mut a = PowerSums::default();
        let mut b = PowerSums::default();
        [1.0, -3.5, 1e-300, 8.0].iter().for_each(|&x| a.add(x));
        [8.0, 1e-300, -3.5].iter().for_each(|&x| b.add(x));
        let mut one = PowerSums::default();
        one.add(1.0);
        b.merge(&one);
        assert_eq!(a, b);
        let (ja, jb) = (serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        assert_eq!(ja, jb);
        assert_eq!(serde_json::from_str::<PowerSums>(&ja).unwrap(), a);
    }
}
