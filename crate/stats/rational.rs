//! Exact non-negative rationals: the currency of every privacy parameter in `dp`.
//!
//! Noise scales, ε and ρ are kept as exact fractions of big integers, so that the
//! scale a sampler uses is *exactly* the one the accountant charged for (CKS20 §5.1;
//! Mironov 2012). Every `f64` is a dyadic rational, so [`Rational::from_f64`] is exact;
//! going back to `f64` is only for display and for the float-valued accuracy and
//! conversion functions, which say which way they round ([`Rational::to_f64_up`],
//! [`Rational::to_f64_down`]).

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

use crate::error::dp::DpError;

/// A non-negative rational number `num / den` in lowest terms (`den > 0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Rational {
    num: BigUint,
    den: BigUint,
}

impl Rational {
    /// `num / den`, reduced. Fails when `den` is zero.
    pub fn new(num: BigUint, den: BigUint) -> Result<Self, DpError> {
        if den.is_zero() {
            return Err(DpError::invalid("denominator", 0, "a positive integer"));
        }
        let g = num.gcd(&den);
        if g.is_one() || g.is_zero() {
            return Ok(Rational { num, den });
        }
        Ok(Rational { num: num / &g, den: den / &g })
    }

    /// `num / den` for machine integers.
    pub fn from_ratio(num: u64, den: u64) -> Result<Self, DpError> {
        Rational::new(BigUint::from(num), BigUint::from(den))
    }

    /// Zero.
    pub fn zero() -> Self {
        Rational { num: BigUint::zero(), den: BigUint::one() }
    }

    /// The exact value of a finite, non-negative `f64` (every float is a dyadic rational).
    pub fn from_f64(x: f64) -> Result<Self, DpError> {
        if !x.is_finite() || x < 0.0 {
            return Err(DpError::invalid("value", x, "a finite non-negative number"));
        }
        if x == 0.0 {
            return Ok(Rational::zero());
        }
        let bits = x.to_bits();
        let exp_bits = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        // x = mantissa · 2^exp exactly.
        let (mantissa, exp) = if exp_bits == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp_bits - 1075) };
        let shift = mantissa.trailing_zeros() as i64;
        let (mantissa, exp) = (mantissa >> shift, exp + shift);
        let m = BigUint::from(mantissa);
        Ok(if exp >= 0 {
            Rational { num: m << exp as u64, den: BigUint::one() }
        } else {
            Rational { num: m, den: BigUint::one() << (-exp) as u64 }
        })
    }

    /// The numerator (lowest terms).
    pub fn numer(&self) -> &BigUint {
        &self.num
    }

    /// The denominator (lowest terms, positive).
    pub fn denom(&self) -> &BigUint {
        &self.den
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// `self + other`, exact.
    pub fn add(&self, other: &Rational) -> Rational {
        let num = &self.num * &other.den + &other.num * &self.den;
        Rational::reduced(num, &self.den * &other.den)
    }

    /// `self − other`, or `None` when the result would be negative.
    pub fn checked_sub(&self, other: &Rational) -> Option<Rational> {
        let (a, b) = (&self.num * &other.den, &other.num * &self.den);
        (a >= b).then(|| Rational::reduced(a - b, &self.den * &other.den))
    }

    /// `self · other`, exact.
    pub fn mul(&self, other: &Rational) -> Rational {
        Rational::reduced(&self.num * &other.num, &self.den * &other.den)
    }

    /// `self / other`; fails when `other` is zero.
    pub fn div(&self, other: &Rational) -> Result<Rational, DpError> {
        if other.is_zero() {
            return Err(DpError::invalid("divisor", 0, "a positive number"));
        }
        Ok(Rational::reduced(&self.num * &other.den, &self.den * &other.num))
    }

    /// ⌊self⌋.
    pub fn floor(&self) -> BigUint {
        &self.num / &self.den
    }

    /// The `f64` nearest to the value (within one unit in the last place); for display.
    pub fn to_f64(&self) -> f64 {
        if self.num.is_zero() {
            return 0.0;
        }
        // q = ⌊num·2^s / den⌋ has 64 to 65 significant bits; value ≈ q · 2^−s.
        let s = 64 + self.den.bits() as i64 - self.num.bits() as i64;
        let q = if s >= 0 { (&self.num << s as u64) / &self.den } else { &self.num / (&self.den << (-s) as u64) };
        let q = q.to_f64().unwrap_or(f64::INFINITY);
        scale_by_power_of_two(q, -s)
    }

    /// The smallest `f64` that is ≥ the value (+∞ if none is).
    pub fn to_f64_up(&self) -> f64 {
        let mut x = self.to_f64();
        while x.is_finite() && Rational::from_f64(x).is_ok_and(|r| r < *self) {
            x = next_up(x);
        }
        x
    }

    /// The largest `f64` that is ≤ the value.
    pub fn to_f64_down(&self) -> f64 {
        let mut x = self.to_f64();
        if x.is_infinite() {
            x = f64::MAX;
        }
        while x > 0.0 && Rational::from_f64(x).is_ok_and(|r| r > *self) {
            x = next_down(x);
        }
        x
    }

    fn reduced(num: BigUint, den: BigUint) -> Rational {
        let g = num.gcd(&den);
        if g.is_one() || g.is_zero() {
            Rational { num, den }
        } else {
            Rational { num: num / &g, den: den / &g }
        }
    }
}

/// `x · 2^e` without intermediate overflow or underflow (x is a positive normal number).
fn scale_by_power_of_two(mut x: f64, mut e: i64) -> f64 {
    while e > 0 {
        let step = e.min(1000);
        x *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = e.max(-1000);
        x *= 2f64.powi(step as i32);
        e -= step;
    }
    x
}

/// The next representable `f64` above a non-negative finite `x`.
pub(crate) fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else {
        f64::from_bits(x.to_bits() + 1)
    }
}

/// The next representable `f64` below a positive finite `x`.
pub(crate) fn next_down(x: f64) -> f64 {
    f64::from_bits(x.to_bits() - 1)
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<u64> for Rational {
    fn from(n: u64) -> Self {
        Rational { num: BigUint::from(n), den: BigUint::one() }
    }
}

impl fmt::Display for Rational {
    /// `num/den`, or just `num` for an integer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den.is_one() {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl From<Rational> for String {
    fn from(r: Rational) -> String {
        r.to_string()
    }
}

impl TryFrom<String> for Rational {
    type Error = DpError;

    /// Parses `"num/den"` or `"num"` (decimal digits).
    fn try_from(s: String) -> Result<Self, DpError> {
        let bad = || DpError::invalid("rational", &s, "of the form `numerator/denominator` in decimal digits");
        let (n, d) = s.split_once('/').unwrap_or((s.as_str(), "1"));
        let n = BigUint::parse_bytes(n.trim().as_bytes(), 10).ok_or_else(bad)?;
        let d = BigUint::parse_bytes(d.trim().as_bytes(), 10).ok_or_else(bad)?;
        Rational::new(n, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn from_f64_is_exact() {
        let r = Rational::from_f64(0.1).unwrap();
        assert_eq!(r.to_string(), "3602879701896397/36028797018963968");
        assert_eq!(Rational::from_f64(2.5).unwrap(), Rational::from_ratio(5, 2).unwrap());
        assert_eq!(Rational::from_f64(f64::from_bits(1)).unwrap().denom().bits(), 1075);
        assert!(Rational::from_f64(-1.0).is_err() && Rational::from_f64(f64::NAN).is_err());
    }

    #[test]
    fn directed_rounding() {
        let third = Rational::from_ratio(1, 3).unwrap();
        let (lo, hi) = (third.to_f64_down(), third.to_f64_up());
        assert_eq!(next_up(lo), hi);
        assert!(Rational::from_f64(lo).unwrap() < third && Rational::from_f64(hi).unwrap() > third);
        assert_eq!(Rational::from(7).to_f64_up(), 7.0);
    }

    #[test]
    fn serde_round_trip() {
        let r = Rational::from_ratio(6, 4).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, "\"3/2\"");
        assert_eq!(serde_json::from_str::<Rational>(&json).unwrap(), r);
        assert!(serde_json::from_str::<Rational>("\"1/0\"").is_err());
    }

    proptest! {
        #[test]
        fn f64_round_trip(x in 0.0f64..1e300) {
            let r = Rational::from_f64(x).unwrap();
            prop_assert_eq!(r.to_f64(), x);
            prop_assert_eq!(r.to_f64_up(), x);
            prop_assert_eq!(r.to_f64_down(), x);
        }

        #[test]
        fn arithmetic_is_exact(a in 0u64..1_000_000, b in 1u64..1_000_000, c in 0u64..1_000_000, d in 1u64..1_000_000) {
            let (x, y) = (Rational::from_ratio(a, b).unwrap(), Rational::from_ratio(c, d).unwrap());
            let s = x.add(&y);
            prop_assert_eq!(s.checked_sub(&y), Some(x.clone()));
            if !y.is_zero() {
                prop_assert_eq!(x.mul(&y).div(&y).unwrap(), x);
            }
        }
    }
}
