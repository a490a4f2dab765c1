//! Top values: exact value counts while a column has at most [`COUNT_CAP`] distinct
//! values. Beyond that no exact top values exist; an accumulator made with
//! [`TopValuesAcc::frequent`] then keeps a Misra–Gries summary instead (below), whose
//! candidates one more pass counts exactly ([`crate::quality::frequent_pass`]).
//!
//! Whether the cap is exceeded depends only on the set of values, so every split and merge
//! order gives the same answer. Ties in the ranking are broken by the value (ascending).
//! Values are keyed by their 64-bit XXH3 hash (computed once per cell, shared with the
//! distinct count); two different values with the same hash would be counted together,
//! with probability below 1e-11 at the cap.
//!
//! # Misra–Gries summary (after the overflow)
//! The same map, now holding at most `2·COUNT_CAP` counters: a new value gets a counter;
//! when there are more than `2·COUNT_CAP`, the (`COUNT_CAP`+1)-th largest count `c*` is
//! subtracted from every counter and counters at 0 are dropped (batched decrements, as in
//! the mergeable summaries of Agarwal et al., 2012). Each reduction removes at least
//! `(COUNT_CAP + 1)·c*` occurrences, so a value's counter falls short of its count by at
//! most `n / (COUNT_CAP + 1)` over `n` values: **every value with more than
//! `n / (COUNT_CAP + 1)` occurrences keeps a counter**, whatever the order of the values and
//! of the merges. The counters themselves depend on that order, so they are never reported:
//! they only name the candidates, which the next pass counts exactly.
//!
//! # Merge
//! Counts add; the union of keys decides the overflow; summaries over `2·COUNT_CAP`
//! counters are reduced as above.

use super::fast_hash::MixMap as HashMap;
use serde::{Deserialize, Serialize};

/// Most distinct values counted exactly, and the counters of the Misra–Gries summary.
pub const COUNT_CAP: usize = 10_000;

/// Mutable value counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopValuesAcc {
    counts: HashMap<u64, (String, u64)>,
    overflow: bool,
    /// Keep a Misra–Gries summary after the overflow (else drop the counts).
    frequent: bool,
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

    /// Value counts that turn into a Misra–Gries summary over the cap (module docs).
    pub fn frequent() -> Self {
        TopValuesAcc { frequent: true, ..Default::default() }
    }

    /// Values counted exactly so far (while not overflowed).
    #[inline]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when no value is counted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Counts `n` rows of one value whose [`super::distinct::hash_str`] is `h`: the same
    /// state as `n` calls of [`TopValuesAcc::add_hashed`] while the counts stay under the
    /// cap (callers check [`TopValuesAcc::len`] first).
    #[inline]
    pub fn add_hashed_n(&mut self, h: u64, v: &str, n: u64) {
        if self.overflow && !self.frequent {
            return;
        }
        if let Some(c) = self.counts.get_mut(&h) {
            c.1 += n;
        } else {
            self.counts.insert(h, (v.to_owned(), n));
            self.check();
        }
    }

    /// Counts one value whose [`super::distinct::hash_str`] is `h`.
    #[inline]
    pub fn add_hashed(&mut self, h: u64, v: &str) {
        if self.overflow && !self.frequent {
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
    /// (nothing once the column is over the cap without a summary). Over the cap, a
    /// caller must not hold counts across calls of `add_hashed`, which may drop counters:
    /// [`super::distinct::Memo::count`] flushes before it counts any value there.
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

    /// True when values are still counted (exactly, or in the summary over the cap).
    #[inline]
    pub fn counting(&self) -> bool {
        !self.overflow || self.frequent
    }

    fn check(&mut self) {
        if self.overflow {
            if self.counts.len() > 2 * COUNT_CAP {
                self.reduce();
            }
        } else if self.counts.len() > COUNT_CAP {
            self.overflow = true;
            if !self.frequent {
                self.counts = HashMap::default();
            }
            self.check();
        }
    }

    /// Subtracts the (`COUNT_CAP`+1)-th largest count from every counter and drops the
    /// counters at 0 (at most `COUNT_CAP` remain).
    fn reduce(&mut self) {
        let mut c: Vec<u64> = self.counts.values().map(|v| v.1).collect();
        if c.len() <= COUNT_CAP {
            return;
        }
        let (_, &mut cut, _) = c.select_nth_unstable_by(COUNT_CAP, |a, b| b.cmp(a));
        self.counts.retain(|_, v| {
            v.1 -= v.1.min(cut);
            v.1 > 0
        });
    }

    /// Merges another accumulator.
    pub fn merge(&mut self, other: TopValuesAcc) {
        if !self.counting() || !other.counting() {
            self.overflow = true;
            self.counts = HashMap::default();
            return;
        }
        self.overflow |= other.overflow;
        for (h, (v, c)) in other.counts {
            self.counts.entry(h).or_insert((v, 0)).1 += c;
        }
        self.check();
    }

    /// Over the cap: the hashes of the Misra–Gries candidates, sorted (a superset of the
    /// values with more than `n / (COUNT_CAP + 1)` of the `n` values). `None` below the cap
    /// (the counts are exact) or without a summary.
    pub fn candidates(&self) -> Option<Vec<u64>> {
        if !(self.overflow && self.frequent) {
            return None;
        }
        let mut h: Vec<u64> = self.counts.keys().copied().collect();
        h.sort_unstable();
        Some(h)
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

    /// A stream of 40,000 values: 24,000 singletons and values `h0`… with 2 to 40
    /// occurrences (heavy ties), in four orders (shuffled, sorted, reverse-sorted, the
    /// heavy values last) and split into 1, 3 and 7 parts merged in two orders: every value
    /// with more than n / (COUNT_CAP + 1) occurrences is a candidate every time.
    #[test]
    fn summary_keeps_every_frequent_value_whatever_the_order() {
        let mut values: Vec<String> = (0..24_000).map(|i| format!("s{i}")).collect();
        let mut i = 0;
        while values.len() < 40_000 {
            let reps = 2 + i % 39;
            values.extend(std::iter::repeat_n(format!("h{i}"), reps));
            i += 1;
        }
        let n = values.len() as u64;
        let mut freq = std::collections::HashMap::new();
        values.iter().for_each(|v| *freq.entry(v.clone()).or_insert(0u64) += 1);
        let must: Vec<u64> = freq
            .iter()
            .filter(|(_, &c)| c * (COUNT_CAP as u64 + 1) > n)
            .map(|(v, _)| super::super::distinct::hash_str(v))
            .collect();
        assert!(must.len() > 500, "{} frequent values", must.len());
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut shuffled = values.clone();
        for k in (1..shuffled.len()).rev() {
            let x = next();
            shuffled.swap(k, (x % (k as u64 + 1)) as usize);
        }
        let mut sorted = values.clone();
        sorted.sort();
        let mut reversed = sorted.clone();
        reversed.reverse();
        for order in [shuffled, sorted, reversed, values] {
            for parts in [1usize, 3, 7] {
                let size = order.len().div_ceil(parts);
                let accs: Vec<TopValuesAcc> = order
                    .chunks(size)
                    .map(|c| {
                        let mut a = TopValuesAcc::frequent();
                        c.iter().for_each(|v| a.add(v));
                        a
                    })
                    .collect();
                for reverse in [false, true] {
                    let mut it: Vec<TopValuesAcc> = accs.clone();
                    if reverse {
                        it.reverse();
                    }
                    let mut m = it.remove(0);
                    it.into_iter().for_each(|a| m.merge(a));
                    let cand = m.candidates().expect("over the cap");
                    assert!(cand.len() <= 2 * COUNT_CAP);
                    assert!(must.iter().all(|h| cand.binary_search(h).is_ok()), "{parts} parts");
                    assert!(m.top(3).is_none(), "no exact top values over the cap");
                }
            }
        }
    }

    #[test]
    fn without_a_summary_the_counts_are_dropped() {
        let mut a = TopValuesAcc::default();
        (0..=COUNT_CAP).for_each(|i| a.add(&i.to_string()));
        assert!(a.overflowed() && !a.counting() && a.candidates().is_none());
        let mut f = TopValuesAcc::frequent();
        (0..=COUNT_CAP).for_each(|i| f.add(&i.to_string()));
        assert!(f.overflowed() && f.counting());
        assert_eq!(f.candidates().map(|c| c.len()), Some(COUNT_CAP + 1));
        // Below the cap a summary is exact: no candidates, the top values as before.
        let mut g = TopValuesAcc::frequent();
        ["a", "b", "a"].iter().for_each(|v| g.add(v));
        assert!(g.candidates().is_none());
        assert_eq!(g.top(1).unwrap()[0].count, 2);
    }
}
