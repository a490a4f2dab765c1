//! Tests of [`ExactSum`]: exact sums against an independent big-integer reference (proptest),
//! round-to-nearest-even, overflow, subnormals, flushing, serde checks, and the reference helpers
//! other sketches' tests reuse.

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
