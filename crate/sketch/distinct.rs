//! Distinct count: exact up to a cap, then a HyperLogLog estimate.
//!
//! Values are identified by a 64-bit XXH3 hash (so "exact" means exact up to hash
//! collisions, probability below 1e-10 at the cap). While at most [`EXACT_CAP`] distinct
//! hashes have been seen, the set is kept and the count is exact. Beyond that the set is
//! folded into a HyperLogLog sketch with 2^14 registers (Flajolet et al. 2007; relative
//! standard error 1.04/√16384 ≈ 0.81 %, small-range linear counting as in Heule et al.
//! 2013). Both states are functions of the *set* of hashes seen, so any split and merge
//! order gives the same result.
//!
//! # Merge
//! Union of the sets (folded into HyperLogLog if the union exceeds the cap), or the
//! register-wise maximum of two sketches.

use super::fast_hash::MixSet as HashSet;
use crate::math::Portable;
use serde::{Deserialize, Serialize};

/// Distinct values kept exactly before switching to HyperLogLog.
pub const EXACT_CAP: usize = 10_000;
const P: u32 = 14;
const M: usize = 1 << P;

/// Relative standard error of the HyperLogLog estimate.
pub const HLL_RELATIVE_STANDARD_ERROR: f64 = 0.008_125;

/// Mutable distinct-count state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DistinctAcc {
    /// The exact set of hashes.
    Exact(HashSet<u64>),
    /// HyperLogLog registers.
    Sketch(Vec<u8>),
}

impl Default for DistinctAcc {
    fn default() -> Self {
        DistinctAcc::Exact(HashSet::default())
    }
}

/// A finished distinct count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distinct {
    /// The count (rounded estimate when not exact).
    pub value: u64,
    /// True when exact.
    pub exact: bool,
    /// Relative standard error (0 when exact).
    pub relative_standard_error: f64,
}

fn insert_hll(reg: &mut [u8], h: u64) {
    let idx = (h >> (64 - P)) as usize;
    let rest = (h << P) | (1 << (P - 1));
    let rank = rest.leading_zeros() as u8 + 1;
    if let Some(r) = reg.get_mut(idx) {
        *r = (*r).max(rank);
    }
}

impl DistinctAcc {
    /// Adds a value by its hash.
    #[inline]
    pub fn insert(&mut self, h: u64) {
        match self {
            DistinctAcc::Exact(set) => {
                if set.insert(h) && set.len() > EXACT_CAP {
                    self.fold();
                }
            }
            DistinctAcc::Sketch(reg) => insert_hll(reg, h),
        }
    }

    fn fold(&mut self) {
        if let DistinctAcc::Exact(set) = self {
            let mut reg = vec![0u8; M];
            for &h in set.iter() {
                insert_hll(&mut reg, h);
            }
            *self = DistinctAcc::Sketch(reg);
        }
    }

    /// Merges another state.
    pub fn merge(&mut self, other: DistinctAcc) {
        match (&mut *self, other) {
            (DistinctAcc::Exact(a), DistinctAcc::Exact(b)) => {
                a.extend(b);
                if a.len() > EXACT_CAP {
                    self.fold();
                }
            }
            (DistinctAcc::Sketch(a), DistinctAcc::Sketch(b)) => {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = (*x).max(y);
                }
            }
            (DistinctAcc::Sketch(a), DistinctAcc::Exact(b)) => b.into_iter().for_each(|h| insert_hll(a, h)),
            (DistinctAcc::Exact(_), other @ DistinctAcc::Sketch(_)) => {
                let mine = std::mem::replace(self, other);
                self.merge(mine);
            }
        }
    }

    /// The count.
    pub fn finish(&self) -> Distinct {
        match self {
            DistinctAcc::Exact(s) => Distinct { value: s.len() as u64, exact: true, relative_standard_error: 0.0 },
            DistinctAcc::Sketch(reg) => Distinct {
                value: estimate(reg).round() as u64,
                exact: false,
                relative_standard_error: HLL_RELATIVE_STANDARD_ERROR,
            },
        }
    }
}

fn estimate(reg: &[u8]) -> f64 {
    let m = reg.len() as f64;
    let alpha = 0.7213 / (1.0 + 1.079 / m);
    let sum: f64 = reg.iter().map(|&r| 1.0 / f64::from(1u32 << r.min(31))).sum();
    let raw = alpha * m * m / sum;
    let zeros = reg.iter().filter(|&&r| r == 0).count();
    if raw <= 2.5 * m && zeros > 0 {
        m * (m / zeros as f64).p_ln()
    } else {
        raw
    }
}

/// Slots of a [`Memo`] (16 KiB a column): enough that a column of a few hundred distinct
/// values (days, ages, product codes) mostly hits; 256 slots missed on about a third of
/// such values.
const MEMO_SLOTS: usize = 1024;
const MEMO_SHIFT: u32 = 64 - MEMO_SLOTS.trailing_zeros();

/// A direct-mapped memo of hashes a column has already added to its [`DistinctAcc`] (and,
/// for string columns, to its [`TopValuesAcc`](super::top_k::TopValuesAcc)), so that a
/// repeated value costs a compare instead of a hash-set probe. Every remembered hash is
/// in the accumulator, whose state only grows (the exact set, or the sketch it folds into),
/// so skipping the insert never changes it. For string columns a slot also holds counts
/// not yet added to the top values; [`Memo::flush`] adds them (at the end of each batch).
/// Not part of the serialised state: a fresh memo is empty.
#[derive(Clone)]
pub struct Memo {
    slots: Vec<(u64, u64)>,
    /// Some slot holds counts not yet added.
    pending: bool,
}

impl Default for Memo {
    fn default() -> Self {
        Memo { slots: vec![(0, 0); MEMO_SLOTS], pending: false }
    }
}

impl PartialEq for Memo {
    /// A cache: never part of an accumulator's value.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    #[inline]
    fn slot(&mut self, h: u64) -> Option<&mut (u64, u64)> {
        self.slots.get_mut((h >> MEMO_SHIFT) as usize % MEMO_SLOTS)
    }

    /// Adds the number with bits `bits` (`float`: a double, else an integer) to `d` as hash
    /// `hash()` unless remembered, keyed by the bits themselves: a repeated number costs a
    /// multiply and a compare, not its hash. Every remembered number's hash is in `d`, so a
    /// skip never changes it (a sketch too: its registers only take maxima). Callers give
    /// one key one hash (`hash_i64` for integer keys, `hash_f64` for doubles), and do not
    /// mix this with [`Memo::insert`] or [`Memo::count`] on one memo (their slots hold
    /// hashes, not keys).
    #[inline]
    pub fn insert_number(&mut self, d: &mut DistinctAcc, bits: u64, float: bool, hash: impl FnOnce() -> u64) {
        let key = (bits, 1 + u64::from(float));
        let at = (bits.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> MEMO_SHIFT) as usize % MEMO_SLOTS;
        match self.slots.get_mut(at) {
            Some(s) if *s == key => {}
            Some(s) => {
                d.insert(hash());
                *s = key;
            }
            None => d.insert(hash()),
        }
    }

    /// Adds hash `h` to `d` unless remembered. Not for columns that use [`Memo::count`].
    #[inline]
    pub fn insert(&mut self, d: &mut DistinctAcc, h: u64) {
        if let DistinctAcc::Sketch(reg) = d {
            return insert_hll(reg, h); // cheaper than the memo
        }
        match self.slot(h) {
            Some(s) if s.0 == h && h != 0 => {}
            Some(s) => {
                d.insert(h);
                s.0 = h;
            }
            None => d.insert(h),
        }
    }

    /// Counts value `v` with hash `h` in `d` and `top`.
    #[inline]
    pub fn count(&mut self, d: &mut DistinctAcc, top: &mut super::top_k::TopValuesAcc, h: u64, v: &str) {
        if top.overflowed() {
            // Over the cap the top values are a Misra–Gries summary (or nothing), which may
            // drop a counter at any new value: add what is pending, then count directly.
            self.flush(top);
            self.insert(d, h);
            if top.counting() {
                top.add_hashed(h, v);
            }
            return;
        }
        match self.slots.get_mut((h >> MEMO_SHIFT) as usize % MEMO_SLOTS) {
            Some(s) if s.0 == h && h != 0 => {
                s.1 += 1;
                self.pending = true;
            }
            Some(s) => {
                if s.1 > 0 {
                    top.add_count(s.0, s.1);
                }
                d.insert(h);
                top.add_hashed(h, v);
                *s = (h, 0);
            }
            None => {
                d.insert(h);
                top.add_hashed(h, v);
            }
        }
    }

    /// Adds the pending counts to `top`.
    pub fn flush(&mut self, top: &mut super::top_k::TopValuesAcc) {
        if !std::mem::take(&mut self.pending) {
            return;
        }
        for s in &mut self.slots {
            if s.1 > 0 {
                top.add_count(s.0, s.1);
                s.1 = 0;
            }
        }
    }
}

/// Hash of a string value.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// Hash of a number: equal numbers hash equally (`-0.0` = `0.0`).
#[inline]
pub fn hash_f64(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    xxhash_rust::xxh3::xxh3_64(&x.to_bits().to_le_bytes())
}

/// Hash of an integer (or a day count, boolean…).
#[inline]
pub fn hash_i64(x: i64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&x.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(range: std::ops::Range<i64>) -> DistinctAcc {
        let mut a = DistinctAcc::default();
        range.for_each(|i| a.insert(hash_i64(i)));
        a
    }

    #[test]
    fn exact_below_cap_and_merge_is_union() {
        let mut a = acc(0..600);
        a.merge(acc(500..1000));
        assert_eq!(a.finish(), Distinct { value: 1000, exact: true, relative_standard_error: 0.0 });
    }

    #[test]
    fn sketch_above_cap_is_within_four_standard_errors_and_order_free() {
        for n in [20_000i64, 200_000] {
            let single = acc(0..n);
            let est = single.finish();
            assert!(!est.exact);
            let rel = (est.value as f64 - n as f64).abs() / n as f64;
            assert!(rel < 4.0 * HLL_RELATIVE_STANDARD_ERROR, "n={n} est={}", est.value);
            // Split in three, merge in another order: identical state.
            let mut m = acc(2 * n / 3..n);
            m.merge(acc(0..n / 3));
            m.merge(acc(n / 3..2 * n / 3));
            assert_eq!(m, single);
        }
    }

    #[test]
    fn crossing_the_cap_only_by_merge_equals_single_pass() {
        let mut a = acc(0..6000);
        a.merge(acc(5000..11_000));
        assert_eq!(a, acc(0..11_000));
        assert_eq!(hash_f64(-0.0), hash_f64(0.0));
    }

    #[test]
    fn numbers_remembered_by_bits_add_what_their_hashes_add() {
        // Repeats, -0 and 0, an integer and a double with the same bits, slot collisions
        // (4,000 values on 1,024 slots), and past the exact cap (a sketch).
        for n in [4_000i64, 30_000] {
            let (mut memo, mut by_bits, mut by_hash) =
                (Memo::default(), DistinctAcc::default(), DistinctAcc::default());
            for i in 0..3 * n {
                let v = (i * 7919) % n;
                let x = v as f64 / 4.0 - 100.0;
                let same_bits = f64::from_bits(v as u64);
                memo.insert_number(&mut by_bits, v as u64, false, || hash_i64(v));
                memo.insert_number(&mut by_bits, x.to_bits(), true, || hash_f64(x));
                memo.insert_number(&mut by_bits, same_bits.to_bits(), true, || hash_f64(same_bits));
                for h in [hash_i64(v), hash_f64(x), hash_f64(same_bits)] {
                    by_hash.insert(h);
                }
            }
            memo.insert_number(&mut by_bits, (-0.0f64).to_bits(), true, || hash_f64(-0.0));
            by_hash.insert(hash_f64(-0.0));
            assert_eq!(by_bits, by_hash, "{n}");
        }
    }
}
