//! Top values: exact value counts while a column has at most [`COUNT_CAP`] distinct
//! values; beyond that the column is high-cardinality and no top values are reported
//! (a mergeable heavy-hitters sketch is future work, see the data-quality issue).
//!
//! Whether the cap is exceeded depends only on the set of values, so every split and merge
//! order gives the same answer. Ties in the ranking are broken by the value (ascending).
//! Values are keyed by their 64-bit XXH3 hash (computed once per cell, shared with the
//! distinct count); two different values with the same hash would be counted together,
//! with probability below 1e-11 at the cap.
//!
//! # Merge
//! Counts add; the union of keys decides the overflow.

use super::fast_hash::MixMap as HashMap;
use serde::{Deserialize, Serialize};

/// Most distinct values counted exactly.
pub const COUNT_CAP: usize = 10_000;

/// Mutable value counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopValuesAcc {
    counts: HashMap<u64, (String, u64)>,
    overflow: bool,
}

/// One value and its count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The value.
    pub value: String,
    /// Rows with this value.
    pub count: u64,
}

impl TopValuesAcc {
    /// Counts one value.
    #[inline]
    pub fn add(&mut self, v: &str) {
        self.add_hashed(super::distinct::hash_str(v), v);
    }

    /// Counts one value whose [`super::distinct::hash_str`] is `h`.
    #[inline]
    pub fn add_hashed(&mut self, h: u64, v: &str) {
        if self.overflow {
            return;
        }
        if let Some(c) = self.counts.get_mut(&h) {
            c.1 += 1;
        } else {
            self.counts.insert(h, (v.to_owned(), 1));
            self.check();
        }
    }

    /// Adds `n` to the count of a value already counted by [`TopValuesAcc::add_hashed`]
    /// (nothing once the column is over the cap).
    #[inline]
    pub fn add_count(&mut self, h: u64, n: u64) {
        if let Some(c) = self.counts.get_mut(&h) {
            c.1 += n;
        }
    }

    /// True once the column has more than [`COUNT_CAP`] distinct values.
    #[inline]
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    fn check(&mut self) {
        if self.counts.len() > COUNT_CAP {
            self.overflow = true;
            self.counts = HashMap::default();
        }
    }

    /// Merges another accumulator.
    pub fn merge(&mut self, other: TopValuesAcc) {
        if self.overflow || other.overflow {
            self.overflow = true;
            self.counts = HashMap::default();
            return;
        }
        for (h, (v, c)) in other.counts {
            self.counts.entry(h).or_insert((v, 0)).1 += c;
        }
        self.check();
    }

    /// The `k` most frequent values, or `None` when the column exceeded the cap.
    pub fn top(&self, k: usize) -> Option<Vec<ValueCount>> {
        if self.overflow {
            return None;
        }
        let mut v: Vec<&(String, u64)> = self.counts.values().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(v.into_iter().take(k).map(|(value, count)| ValueCount { value: value.clone(), count: *count }).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_count_then_value() {
        let mut a = TopValuesAcc::default();
        for v in ["b", "a", "c", "a", "b", "d"] {
            a.add(v);
        }
        let top = a.top(3).unwrap();
        let got: Vec<(&str, u64)> = top.iter().map(|t| (t.value.as_str(), t.count)).collect();
        assert_eq!(got, [("a", 2), ("b", 2), ("c", 1)]);
    }

    #[test]
    fn overflow_depends_only_on_the_union() {
        let mut a = TopValuesAcc::default();
        let mut b = TopValuesAcc::default();
        (0..6000).for_each(|i| a.add(&i.to_string()));
        (5000..10_001).for_each(|i| b.add(&i.to_string()));
        let mut single = TopValuesAcc::default();
        (0..10_001).for_each(|i| single.add(&i.to_string()));
        a.merge(b);
        assert_eq!(a, single);
        assert!(a.top(5).is_none());
    }
}
