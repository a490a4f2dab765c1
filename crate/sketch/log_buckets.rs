//! A mergeable, order-independent quantile sketch with a relative-error guarantee: a
//! log-linear histogram in the manner of DDSketch (Masson, Rim & Lee, *DDSketch: a fast and
//! fully-mergeable quantile sketch with relative-error guarantees*, VLDB 2019).
//!
//! Every finite non-zero value falls in the bucket of its sign, binary exponent and top
//! [`MANTISSA_BITS`] mantissa bits — the top 18 bits of its order-preserving key
//! ([`super::quantile::key`]). A bucket `[lo, hi]` of normal values has `hi/lo < γ = 1 +
//! 2^-6`, so its representative `2·lo·hi/(lo + hi)` (DDSketch's choice) is within
//! `(γ − 1)/(γ + 1) = 1/129` of every value in it, relatively; with the rounding of the
//! representative the stated bound is [`ALPHA`] = 1/128 (0.78 %). Zeros are counted apart
//! and estimated exactly. Subnormal values (`|x| < 2^-1022`) share buckets of absolute width
//! `2^-1028`.
//!
//! A quantile is estimated as numpy's "linear" quantile of the representatives: with
//! `h = (n − 1)·q`, the order statistics `x₍⌊h⌋₎` and `x₍⌊h⌋+1₎` are replaced by the
//! representatives of their buckets and interpolated. Guarantee: `|estimate − exact| ≤
//! α·max(|x₍⌊h⌋₎|, |x₍⌊h⌋+1₎|)` (for normal values; `≤ 2^-1028` more for subnormal ones),
//! whatever the data — sorted, reversed, tied, mixed signs, any magnitude.
//!
//! # Merge
//! Counts add, per bucket, in a `BTreeMap`: merging is exact, commutative and associative,
//! so the sketch and its estimates do not depend on how the file was split (unlike KLL or
//! t-digest, whose results depend on the order of merges). Memory: a 4,096-entry index and
//! one block of 64 counters per sign and exponent seen (at most 2 × 2,047 × 64 counters),
//! in practice a few dozen blocks per column.

use super::quantile::{key, value_of};
use super::quantile::{lerp, ranks};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Mantissa bits kept per bucket.
pub const MANTISSA_BITS: u32 = 6;
/// Guaranteed relative accuracy of a bucket's representative.
pub const ALPHA: f64 = 1.0 / 128.0;
/// Key bits below the bucket index.
const SHIFT: u32 = 64 - 12 - MANTISSA_BITS;
/// Bucket of `+0` (and of the smallest positive subnormals, which are not zero).
const ZERO_BUCKET: u32 = 1 << (63 - SHIFT);

/// The sketch of one column.
///
/// Counts are kept in blocks of 64 buckets (one block per sign and exponent seen), found
/// through a 4,096-entry index, so adding a value is two array lookups and an increment.
/// Equality and serialisation use the canonical map bucket → count.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(into = "LogBucketsRepr", from = "LogBucketsRepr")]
pub struct LogBuckets {
    zeros: u64,
    blocks: Vec<(u16, [u64; 64])>,
    /// Block of each sign-and-exponent digit (`u16::MAX`: none); empty until first used.
    index: Vec<u16>,
}

/// Canonical form of [`LogBuckets`].
#[derive(Serialize, Deserialize)]
struct LogBucketsRepr {
    zeros: u64,
    counts: BTreeMap<u32, u64>,
}

impl From<LogBuckets> for LogBucketsRepr {
    fn from(s: LogBuckets) -> Self {
        LogBucketsRepr { zeros: s.zeros, counts: s.counts() }
    }
}

impl From<LogBucketsRepr> for LogBuckets {
    fn from(r: LogBucketsRepr) -> Self {
        let mut s = LogBuckets { zeros: r.zeros, ..LogBuckets::default() };
        for (b, c) in r.counts {
            s.add_bucket(b, c);
        }
        s
    }
}

impl PartialEq for LogBuckets {
    fn eq(&self, other: &Self) -> bool {
        self.zeros == other.zeros && self.counts() == other.counts()
    }
}

impl Eq for LogBuckets {}

impl LogBuckets {
    /// Adds a finite value (non-finite values are ignored).
    pub fn add(&mut self, x: f64) {
        if x.is_finite() {
            self.add_key(key(x));
        }
    }

    /// Adds the finite value of key `k` ([`super::quantile::key`]).
    #[inline]
    pub fn add_key(&mut self, k: u64) {
        if k == 1 << 63 {
            self.zeros += 1;
        } else {
            self.add_bucket((k >> SHIFT) as u32, 1);
        }
    }

    /// Adds `c` to bucket `b` (18 bits).
    #[inline]
    fn add_bucket(&mut self, b: u32, c: u64) {
        if self.index.is_empty() {
            self.index = vec![u16::MAX; 1 << 12];
        }
        let digit = (b >> MANTISSA_BITS) as usize;
        let Some(slot) = self.index.get_mut(digit) else { return };
        if *slot == u16::MAX {
            *slot = self.blocks.len() as u16;
            self.blocks.push((digit as u16, [0; 64]));
        }
        if let Some(block) = self.blocks.get_mut(usize::from(*slot)) {
            block.1[(b & 63) as usize] += c;
        }
    }

    /// The non-empty buckets and their counts, in key order.
    fn counts(&self) -> BTreeMap<u32, u64> {
        let mut out = BTreeMap::new();
        for (digit, counts) in &self.blocks {
            for (i, &c) in counts.iter().enumerate() {
                if c > 0 {
                    out.insert((u32::from(*digit) << MANTISSA_BITS) | i as u32, c);
                }
            }
        }
        out
    }

    /// Folds `other` into `self`; exact, commutative and associative.
    pub fn merge(&mut self, other: &LogBuckets) {
        self.zeros += other.zeros;
        for (digit, counts) in &other.blocks {
            for (i, &c) in counts.iter().enumerate() {
                if c > 0 {
                    self.add_bucket((u32::from(*digit) << MANTISSA_BITS) | i as u32, c);
                }
            }
        }
    }

    /// Values counted.
    pub fn count(&self) -> u64 {
        self.zeros + self.blocks.iter().flat_map(|(_, c)| c.iter()).sum::<u64>()
    }

    /// The representative of bucket `b`: `2·lo·hi/(lo + hi)` of its extreme values.
    fn representative(b: u32) -> f64 {
        let first = u64::from(b) << SHIFT;
        let (a, z) = (value_of(first), value_of(first | ((1 << SHIFT) - 1)));
        let (lo, hi) = if a.abs() <= z.abs() { (a, z) } else { (z, a) };
        // 2·lo·hi/(lo + hi), arranged not to overflow near f64::MAX.
        lo * (hi / (0.5 * lo + 0.5 * hi))
    }

    /// The estimate of the value of 0-based rank `r` (`r < count`).
    fn at_rank(&self, counts: &BTreeMap<u32, u64>, r: u64) -> f64 {
        let mut seen = 0;
        let mut zeros_done = false;
        for (&b, &c) in counts {
            if !zeros_done && b >= ZERO_BUCKET {
                zeros_done = true;
                seen += self.zeros;
                if r < seen {
                    return 0.0;
                }
            }
            seen += c;
            if r < seen {
                return Self::representative(b);
            }
        }
        0.0
    }

    /// Estimated numpy-"linear" quantile at probability `q`, within the bound of the module
    /// docs; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let (lo, hi, t) = ranks(n, q);
        let counts = self.counts();
        Some(lerp(self.at_rank(&counts, lo), self.at_rank(&counts, hi), t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sketch(xs: &[f64]) -> LogBuckets {
        let mut s = LogBuckets::default();
        xs.iter().for_each(|&x| s.add(x));
        // Serialisation is canonical and reads back.
        let json = serde_json::to_string(&s).expect("json");
        assert_eq!(serde_json::from_str::<LogBuckets>(&json).expect("read"), s);
        s
    }

    /// numpy "linear" over the exact values, and the bound of the module docs.
    fn exact_and_bound(xs: &[f64], q: f64) -> (f64, f64) {
        let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let (lo, hi, t) = ranks(v.len() as u64, q);
        let (a, b) = (v[lo as usize], v[hi as usize]);
        (lerp(a, b, t), ALPHA * a.abs().max(b.abs()) + f64::from_bits(1 << 46))
    }

    fn assert_within(xs: &[f64]) {
        let s = sketch(xs);
        for q in [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
            let (want, bound) = exact_and_bound(xs, q);
            let got = s.quantile(q).unwrap();
            assert!((got - want).abs() <= bound, "q {q}: sketch {got:e}, exact {want:e}, bound {bound:e}");
        }
    }

    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => -1e6..1e6f64,
            1 => Just(0.0),
            1 => Just(-0.0),
            1 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::NEGATIVE | prop::num::f64::POSITIVE,
            1 => (1u32..8).prop_map(|k| f64::from(k) * 1e300),
            1 => (1u32..8).prop_map(|k| -f64::from(k) * 1e-300),
        ]
    }

    proptest! {
        #[test]
        fn merge_is_exact_commutative_and_associative(
            a in prop::collection::vec(value(), 0..200),
            b in prop::collection::vec(value(), 0..200),
            c in prop::collection::vec(value(), 0..200),
        ) {
            let (sa, sb, sc) = (sketch(&a), sketch(&b), sketch(&c));
            let mut ab = sa.clone();
            ab.merge(&sb);
            let mut ba = sb.clone();
            ba.merge(&sa);
            prop_assert_eq!(&ab, &ba);
            let mut ab_c = ab.clone();
            ab_c.merge(&sc);
            let mut bc = sb.clone();
            bc.merge(&sc);
            let mut a_bc = sa.clone();
            a_bc.merge(&bc);
            prop_assert_eq!(&ab_c, &a_bc);
            let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
            prop_assert_eq!(&ab_c, &sketch(&all));
            let mut id = sa.clone();
            id.merge(&LogBuckets::default());
            prop_assert_eq!(&id, &sa);
        }

        #[test]
        fn estimates_are_within_the_bound(xs in prop::collection::vec(value(), 1..400)) {
            prop_assume!(xs.iter().any(|x| x.is_finite()));
            assert_within(&xs);
        }
    }

    #[test]
    fn adversarial_inputs_stay_within_the_bound() {
        let sorted: Vec<f64> = (0..10_000).map(|i| f64::from(i) * 0.37 - 1000.0).collect();
        let reversed: Vec<f64> = sorted.iter().rev().copied().collect();
        let equal = vec![123.456; 5000];
        let ties: Vec<f64> = (0..9000).map(|i| [1.0, 2.0, 1e9][i % 3]).collect();
        let mixed: Vec<f64> = (0..5000).map(|i| if i % 2 == 0 { f64::from(i) } else { -f64::from(i) * 1e-3 }).collect();
        let zeros: Vec<f64> = (0..3000).map(|i| if i % 5 == 0 { 7.5 } else { 0.0 }).collect();
        let magnitudes: Vec<f64> =
            (0..4000).map(|i| [f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e-300, -1e300][i % 6]).collect();
        for xs in [&sorted, &reversed, &equal, &ties, &mixed, &zeros, &magnitudes] {
            assert_within(xs);
        }
        // All equal: every estimate is the same representative, within α of the value.
        let s = sketch(&equal);
        let est = s.quantile(0.5).unwrap();
        assert!((est - 123.456).abs() <= ALPHA * 123.456 && est != 123.456);
        // Order does not matter.
        assert_eq!(sketch(&sorted), sketch(&reversed));
        assert_eq!(sketch(&zeros).quantile(0.5), Some(0.0));
    }
}
