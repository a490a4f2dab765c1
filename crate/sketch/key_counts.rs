//! Exact counts of integer keys (the days or seconds of a date column) while a column has
//! at most [`COUNT_CAP`] distinct keys; beyond that the counts are dropped and only the fact
//! that the cap was exceeded is kept.
//!
//! The keys are the values themselves, not hashes, so the counts are exact: no two values
//! can be counted together. Whether the cap is exceeded depends only on the set of keys, so
//! every split and merge order gives the same answer (the rule of
//! [`super::top_k::TopValuesAcc`]).
//!
//! # Merge
//! Counts add; the union of keys decides the overflow.

use super::fast_hash::MixMap as HashMap;
pub use super::top_k::COUNT_CAP;
use serde::{Deserialize, Serialize};

/// Mutable key counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCountsAcc {
    counts: HashMap<i64, u64>,
    overflow: bool,
}

impl KeyCountsAcc {
    /// Counts `n` occurrences of `key`.
    #[inline]
    pub fn add(&mut self, key: i64, n: u64) {
        if self.overflow || n == 0 {
            return;
        }
        *self.counts.entry(key).or_insert(0) += n;
        if self.counts.len() > COUNT_CAP {
            self.drop_counts();
        }
    }

    /// Counts a run of keys: consecutive equal keys cost one map update.
    pub fn add_all(&mut self, keys: impl IntoIterator<Item = i64>) {
        let mut run: Option<(i64, u64)> = None;
        for k in keys {
            if self.overflow {
                return;
            }
            run = match run {
                Some((last, n)) if last == k => Some((last, n + 1)),
                Some((last, n)) => {
                    self.add(last, n);
                    Some((k, 1))
                }
                None => Some((k, 1)),
            };
        }
        if let Some((last, n)) = run {
            self.add(last, n);
        }
    }

    fn drop_counts(&mut self) {
        self.overflow = true;
        self.counts = HashMap::default();
    }

    /// True once more than [`COUNT_CAP`] distinct keys were seen.
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    /// Merges another accumulator.
    pub fn merge(&mut self, other: KeyCountsAcc) {
        if self.overflow || other.overflow {
            return self.drop_counts();
        }
        for (k, c) in other.counts {
            *self.counts.entry(k).or_insert(0) += c;
        }
        if self.counts.len() > COUNT_CAP {
            self.drop_counts();
        }
    }

    /// The most frequent key's count (0 when nothing was counted), or `None` over the cap.
    pub fn max_count(&self) -> Option<u64> {
        (!self.overflow).then(|| self.counts.values().copied().max().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(keys: &[i64]) -> KeyCountsAcc {
        let mut a = KeyCountsAcc::default();
        a.add_all(keys.iter().copied());
        a
    }

    #[test]
    fn counts_runs_and_scattered_keys_alike() {
        let keys = [5, 5, 5, -3, 5, -3, 7, 7, 5];
        let mut one_by_one = KeyCountsAcc::default();
        keys.iter().for_each(|&k| one_by_one.add(k, 1));
        assert_eq!(of(&keys), one_by_one);
        assert_eq!(of(&keys).max_count(), Some(5));
        assert_eq!(KeyCountsAcc::default().max_count(), Some(0));
    }

    #[test]
    fn overflow_depends_only_on_the_union_of_keys() {
        let a: Vec<i64> = (0..6000).collect();
        let b: Vec<i64> = (5000..=COUNT_CAP as i64).collect();
        let mut merged = of(&a);
        merged.merge(of(&b));
        let all: Vec<i64> = (0..=COUNT_CAP as i64).collect();
        assert_eq!(merged, of(&all));
        assert!(merged.overflowed());
        assert_eq!(merged.max_count(), None);
        // Exactly at the cap the counts are kept.
        let at_cap: Vec<i64> = (0..COUNT_CAP as i64).chain([0, 0]).collect();
        assert_eq!(of(&at_cap).max_count(), Some(3));
        // Once over, adding or merging more never brings the counts back.
        let mut over = of(&all);
        over.add(1, 1);
        over.merge(KeyCountsAcc::default());
        assert!(over.overflowed());
    }

    proptest! {
        /// Merge is associative and commutative and equals counting everything at once, on
        /// sorted, reverse-sorted, all-equal and heavily tied keys as well as random ones.
        #[test]
        fn merge_laws(
            keys in prop::collection::vec(-20i64..20, 0..400),
            shape in 0u8..4,
            cut1 in 0usize..400,
            cut2 in 0usize..400,
        ) {
            let mut keys = keys;
            match shape {
                0 => keys.sort_unstable(),
                1 => keys.sort_unstable_by(|a, b| b.cmp(a)),
                2 => keys.iter_mut().for_each(|k| *k = 3),
                _ => {}
            }
            let (c1, c2) = (cut1.min(keys.len()), cut2.min(keys.len()));
            let (lo, hi) = (c1.min(c2), c1.max(c2));
            let (a, b, c) = (of(&keys[..lo]), of(&keys[lo..hi]), of(&keys[hi..]));
            let whole = of(&keys);
            let mut left = a.clone();
            left.merge(b.clone());
            left.merge(c.clone());
            let mut right = c.clone();
            let mut ba = b.clone();
            ba.merge(a.clone());
            right.merge(ba);
            prop_assert_eq!(&left, &whole);
            prop_assert_eq!(&right, &whole);
            let mut freq = std::collections::BTreeMap::new();
            keys.iter().for_each(|k| *freq.entry(*k).or_insert(0u64) += 1);
            prop_assert_eq!(whole.max_count(), Some(freq.values().copied().max().unwrap_or(0)));
        }
    }
}
