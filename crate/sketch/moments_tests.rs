//! Tests of [`MomentsAcc`] / [`Moments`] and the exact ratio roundings: known values, pinned
//! results, edge cases, serde, and proptests against a big-integer reference under any split
//! and merge order.

use super::super::exact_sum::tests::{check_round, finite, next_up, scaled};
use super::*;
use proptest::prelude::*;

fn acc_of(xs: &[f64]) -> MomentsAcc {
    let mut acc = MomentsAcc::new();
    xs.iter().for_each(|&x| acc.update(x));
    acc
}

/// Every field of `m` as bits, so `-0.0`/`0.0` and NaN are compared exactly.
fn bits(m: &Moments) -> Vec<u64> {
    let opt = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits);
    vec![
        m.count,
        m.sum.to_bits(),
        opt(m.mean),
        opt(m.variance),
        opt(m.std),
        opt(m.min),
        opt(m.max),
        m.zeros,
        m.negatives,
        m.positive_infinities,
        m.negative_infinities,
    ]
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => finite(),
        1 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)],
    ]
}

/// Small deterministic generator for shuffles, cuts and merge orders.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

/// Shuffles `xs`, cuts it into random chunks, merges them in random order.
fn scrambled(xs: &[f64], seed: u64) -> MomentsAcc {
    let mut rng = SplitMix(seed);
    let mut v = xs.to_vec();
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
    let mut parts = Vec::new();
    while !v.is_empty() {
        let rest = v.split_off(rng.below(v.len()) + 1);
        parts.push(acc_of(&v));
        v = rest;
    }
    parts.push(MomentsAcc::new());
    while parts.len() > 1 {
        let a = parts.swap_remove(rng.below(parts.len()));
        let i = rng.below(parts.len());
        parts[i].merge(&a);
    }
    parts.pop().unwrap_or_default()
}

/// Checks `r` is the correctly rounded `sqrt(num / den · 2^e)`.
fn check_sqrt(num: &BigUint, den: &BigUint, e: i32, r: f64) -> bool {
    // `(a + b)² / 4` against `num / den · 2^e`, all scaled to integers.
    let t = -2400;
    let base = e.min(2 * t - 2);
    let rhs = BigInt::from(num.clone()) << (e - base) as usize;
    let mid_sq = |a: f64, b: f64| {
        let mid = scaled(a) + scaled(b);
        (&mid * &mid * BigInt::from(den.clone())) << (2 * t - 2 - base) as usize
    };
    let lo_ok = r == 0.0 || r.is_infinite() && mid_sq(f64::MAX, r) <= rhs;
    let lo_ok = lo_ok || r.is_finite() && mid_sq(-next_up(-r), r) <= rhs;
    let hi_ok = r.is_infinite() || rhs <= mid_sq(r, next_up(r));
    lo_ok && hi_ok
}

#[test]
fn ratio_known_values() {
    let r = |n: i64, d: u64, e: i32| ratio_to_f64(&BigInt::from(n), &BigUint::from(d), e);
    assert_eq!(r(1, 3, 0), 1.0 / 3.0);
    assert_eq!(r(2, 3, 0), 2.0 / 3.0);
    assert_eq!(r(1, 10, 0), 0.1);
    assert_eq!(r(-1, 3, 0), -1.0 / 3.0);
    assert_eq!(r(7, 1, 0), 7.0);
    assert_eq!(r(1, 3, 1000), 2f64.powi(1000) / 3.0);
    assert_eq!(r(1, 3, -1000), 2f64.powi(-1000) / 3.0);
    assert_eq!(r(1, 3, -1060), f64::from_bits(1 << 14) / 3.0); // subnormal
    assert_eq!(r((1 << 53) + 1, 1, 0), 2f64.powi(53)); // tie, to even
    assert_eq!(r((1 << 53) + 3, 1, 0), 2f64.powi(53) + 4.0); // tie, to even
    assert_eq!(r(1, 2, -1074), 0.0); // tie between 0 and min subnormal
    assert_eq!(r(3, 2, -1074), f64::from_bits(2)); // tie, to even
    assert_eq!(r(2, 3, -1074), f64::from_bits(1));
    assert_eq!(r(1, 3, -1074), 0.0);
    assert_eq!(r((1 << 53) - 1, 1, 971), f64::MAX);
    assert_eq!(r((1 << 54) - 1, 1, 970), f64::INFINITY); // MAX + half ulp
    assert_eq!(r(-1, 3, 1100), f64::NEG_INFINITY);
    assert!(r(1, 0, 0).is_nan());
    assert_eq!(r(0, 5, 0), 0.0);
}

#[test]
fn sqrt_known_values() {
    let r = |n: u64, d: u64, e: i32| ratio_sqrt_to_f64(&BigUint::from(n), &BigUint::from(d), e);
    assert_eq!(r(2, 1, 0), 2f64.sqrt());
    assert_eq!(r(9, 4, 0), 1.5);
    assert_eq!(r(1, 1, -1), 0.5f64.sqrt());
    assert_eq!(r(1, 1, 2045), 2f64.powi(1022) * 2f64.sqrt()); // exact scaling of a correctly rounded √2
    assert_eq!(r(1, 1, -2148), f64::from_bits(1));
    assert_eq!(r(1, 1, 2048), f64::INFINITY);
    assert_eq!(r(259, 12, 0), 4.645_786_621_588_785); // correctly rounded
}

proptest! {
    #[test]
    fn ratio_is_correctly_rounded(n in any::<i128>(), d in 1u64.., e in -1300i32..1100) {
        let (num, den) = (BigInt::from(n), BigUint::from(d));
        prop_assert_eq!(check_round(&num, &den, e, ratio_to_f64(&num, &den, e)), Ok(()));
    }

    #[test]
    fn sqrt_is_correctly_rounded(n in any::<u128>(), d in 1u64.., e in -2300i32..2100) {
        let (num, den) = (BigUint::from(n), BigUint::from(d));
        prop_assert!(check_sqrt(&num, &den, e, ratio_sqrt_to_f64(&num, &den, e)));
    }

    #[test]
    fn order_and_chunking_do_not_matter(
        xs in prop::collection::vec(value(), 0..80),
        seed in any::<u64>(),
    ) {
        let whole = acc_of(&xs);
        let scrambled = scrambled(&xs, seed);
        prop_assert_eq!(&whole, &scrambled);
        prop_assert_eq!(bits(&whole.finish()), bits(&scrambled.finish()));
    }

    #[test]
    fn merge_laws(
        a in prop::collection::vec(value(), 0..30),
        b in prop::collection::vec(value(), 0..30),
        c in prop::collection::vec(value(), 0..30),
    ) {
        let (x, y, z) = (acc_of(&a), acc_of(&b), acc_of(&c));
        let merged = |p: &MomentsAcc, q: &MomentsAcc| {
            let mut out = p.clone();
            out.merge(q);
            out
        };
        prop_assert_eq!(&merged(&x, &MomentsAcc::new()), &x);
        prop_assert_eq!(&merged(&MomentsAcc::new(), &x), &x);
        prop_assert_eq!(&merged(&x, &y), &merged(&y, &x));
        prop_assert_eq!(&merged(&merged(&x, &y), &z), &merged(&x, &merged(&y, &z)));
        let ab: Vec<f64> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(&acc_of(&ab), &merged(&x, &y));
        prop_assert_eq!(bits(&acc_of(&ab).finish()), bits(&merged(&x, &y).finish()));
    }

    #[test]
    fn matches_rational_reference(xs in prop::collection::vec(finite(), 0..40)) {
        let m = acc_of(&xs).finish();
        let n = xs.len() as u64;
        let s: BigInt = xs.iter().map(|&x| scaled(x)).sum();
        let one = BigUint::from(1u32);
        prop_assert_eq!(check_round(&s, &one, -2400, m.sum), Ok(()));
        if n > 0 {
            let mean = m.mean.unwrap_or(f64::NAN);
            prop_assert_eq!(check_round(&s, &BigUint::from(n), -2400, mean), Ok(()));
        }
        if n > 1 {
            // Σ (n·x − S)² / (n²·(n − 1)), a different formula from the code's.
            let ss: BigInt = xs.iter().map(|&x| (scaled(x) * n - &s).pow(2)).sum();
            let den = BigUint::from(n) * n * (n - 1);
            let var = m.variance.unwrap_or(f64::NAN);
            prop_assert_eq!(var.to_bits(), ratio_to_f64(&ss, &den, -4800).to_bits());
            prop_assert_eq!(check_round(&ss, &den, -4800, var), Ok(()));
            let std = m.std.unwrap_or(f64::NAN);
            if var.is_normal() {
                prop_assert_eq!(std.to_bits(), var.sqrt().to_bits());
            } else {
                prop_assert!(check_sqrt(ss.magnitude(), &den, -4800, std));
            }
        }
    }
}

#[test]
fn pinned_values() {
    let m = acc_of(&[1.5, 2.5, 10.0]).finish();
    assert_eq!(m.mean, Some(4.666_666_666_666_667)); // numpy.mean
    assert_eq!(m.variance, Some(21.583_333_333_333_332)); // exactly 259/12, rounded
    assert_eq!(m.std, Some(4.645_786_621_588_784)); // numpy.std(ddof=1)
    assert_eq!(m.sum, 14.0);
    let m = acc_of(&[1e16, 1.0, -1e16]).finish();
    assert_eq!((m.sum, m.mean), (1.0, Some(1.0 / 3.0)));
    let xs = [1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0];
    let (s, q) = (xs.iter().sum::<f64>(), xs.iter().map(|x| x * x).sum::<f64>());
    assert_eq!((q - s * s / 3.0) / 2.0, 0.0); // the naive formula fails here
    assert_eq!(acc_of(&xs).finish().variance, Some(1.0));
    assert_eq!(acc_of(&[0.1; 10]).finish().sum, 1.0);
}

#[test]
fn edge_cases() {
    let empty = MomentsAcc::new().finish();
    assert_eq!((empty.count, empty.sum, empty.mean, empty.min), (0, 0.0, None, None));
    let one = acc_of(&[-2.5, f64::NAN]).finish();
    assert_eq!((one.count, one.mean, one.variance, one.std), (1, Some(-2.5), None, None));
    assert_eq!((one.min, one.max, one.negatives), (Some(-2.5), Some(-2.5), 1));
    let inf = acc_of(&[f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY]).finish();
    assert_eq!((inf.count, inf.sum, inf.mean, inf.max), (0, 0.0, None, None));
    assert_eq!((inf.positive_infinities, inf.negative_infinities, inf.negatives), (2, 1, 0));
    let big = acc_of(&[f64::MAX, f64::MAX]).finish();
    assert_eq!((big.sum, big.mean), (f64::INFINITY, Some(f64::MAX)));
    assert_eq!((big.variance, big.std), (Some(0.0), Some(0.0)));
    let tiny = f64::from_bits(1);
    let sub = acc_of(&[tiny, 3.0 * tiny]).finish();
    assert_eq!((sub.sum, sub.mean), (4.0 * tiny, Some(2.0 * tiny)));
    assert_eq!((sub.variance, sub.std), (Some(0.0), Some(tiny))); // sqrt(2)·tiny
    let zeros = acc_of(&[0.0, -0.0, 0.0]).finish();
    assert_eq!(zeros.min.map(f64::to_bits), Some((-0.0f64).to_bits()));
    assert_eq!(zeros.max.map(f64::to_bits), Some(0.0f64.to_bits()));
    assert_eq!((zeros.zeros, zeros.negatives), (3, 0));
}

#[test]
fn std_survives_variance_overflow_and_underflow() {
    let huge = acc_of(&[1e200, -1e200]).finish();
    assert_eq!(huge.variance, Some(f64::INFINITY));
    assert_eq!(huge.std, Some(2f64.sqrt() * 1e200));
    let small = acc_of(&[3e-160, -3e-160]).finish();
    assert!(small.variance.is_some_and(|v| v > 0.0 && !v.is_normal()));
    let expect = 2f64.sqrt() * 3e-160;
    assert!(small.std.is_some_and(|s| (s - expect).abs() <= 2.0 * f64::EPSILON * expect));
}

#[test]
fn serde_roundtrip() {
    // JSON has no infinities: `Moments` fields that overflowed (e.g. a
    // variance of 1e300-scale data) would come back as null, so keep the
    // data moderate here; the accumulator itself round-trips exactly.
    let huge = acc_of(&[1e308, 1e308, -1e-300]);
    let back: Option<MomentsAcc> = serde_json::to_string(&huge).ok().and_then(|json| serde_json::from_str(&json).ok());
    assert_eq!(back, Some(huge));
    let acc = acc_of(&[1.5, -0.0, 1e150, -3e-310, f64::INFINITY, 7.25]);
    let json = serde_json::to_string(&acc).unwrap_or_default();
    let back: MomentsAcc = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, acc);
    assert_eq!(bits(&back.finish()), bits(&acc.finish()));
    // serde_json parses floats exactly only with its `float_roundtrip`
    // feature; without it, allow one ulp on the derived fields.
    let moments = acc.finish();
    let json = serde_json::to_string(&moments).unwrap_or_default();
    let back: Option<Moments> = serde_json::from_str(&json).ok();
    let ulps = |a: u64, b: u64| a.abs_diff(b) <= 1;
    let (want, got) = (bits(&moments), back.map(|m| bits(&m)).unwrap_or_default());
    assert_eq!(want.len(), got.len());
    assert!(want.iter().zip(&got).all(|(&a, &b)| ulps(a, b)), "{want:?} vs {got:?}");
}
