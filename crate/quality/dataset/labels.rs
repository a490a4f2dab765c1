//! Class balance and conflicting labels.
//!
//! * **Class balance**: rows per label value (the label as written, as pandas
//!   `value_counts()` of the column read as text), missing labels counted apart; exact up
//!   to [`MAX_CLASSES`] values, beyond that the label is not treated as a class label.
//! * **Conflicting labels**: rows that are identical on every feature (every column but
//!   the label, prediction, score, identifier, ignored and weight columns; cells compared
//!   as in [`super::rows`]) yet carry different labels. Rows with a missing label are left
//!   out. Per feature combination (by 64-bit hash) the state keeps the row count, the
//!   smallest label hash and whether another label was seen — all independent of row
//!   order. Exact up to the cap of distinct feature combinations; beyond it the numbers
//!   are not computed (and the report says so).

use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};

/// Most label values counted as classes.
pub const MAX_CLASSES: usize = 1000;

/// Rows per label value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassCounts {
    counts: MixMap<String, u64>,
    missing: u64,
    overflow: bool,
}

impl ClassCounts {
    /// Counts a label (`None`: missing).
    pub fn add(&mut self, label: Option<&str>) {
        match label {
            None => self.missing += 1,
            Some(_) if self.overflow => {}
            Some(l) => match self.counts.get_mut(l) {
                Some(n) => *n += 1,
                None => {
                    self.counts.insert(l.to_owned(), 1);
                    self.check();
                }
            },
        }
    }
    fn check(&mut self) {
        if self.counts.len() > MAX_CLASSES {
            self.overflow = true;
            self.counts = MixMap::default();
        }
    }
    /// Adds another state's counts.
    pub fn merge(&mut self, other: ClassCounts) {
        self.missing += other.missing;
        if self.overflow || other.overflow {
            self.overflow = true;
            self.counts = MixMap::default();
            return;
        }
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
        self.check();
    }
    /// (value, rows) by descending rows then value; None when there were too many values.
    pub fn sorted(&self) -> Option<Vec<(String, u64)>> {
        if self.overflow {
            return None;
        }
        let mut v: Vec<(String, u64)> = self.counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(v)
    }
    /// Rows with a missing label.
    pub fn missing(&self) -> u64 {
        self.missing
    }
}

/// One feature combination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Labelled rows.
    pub rows: u64,
    /// The smallest label hash seen.
    pub label: u64,
    /// More than one label seen.
    pub conflict: bool,
}

impl Group {
    fn join(&mut self, o: Group) {
        self.rows += o.rows;
        self.conflict |= o.conflict || o.label != self.label;
        self.label = self.label.min(o.label);
    }
}

/// Labelled rows grouped by their features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflicts {
    cap: u64,
    groups: MixMap<u64, Group>,
    overflow: bool,
}

/// The conflicting-label counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConflictCounts {
    /// Feature combinations (with a label) seen.
    pub feature_groups: u64,
    /// Combinations with more than one label.
    pub conflicting_groups: u64,
    /// Labelled rows in those combinations.
    pub rows: u64,
}

impl Conflicts {
    /// Empty, keeping up to `cap` distinct feature combinations.
    pub fn new(cap: u64) -> Self {
        Conflicts { cap, groups: MixMap::default(), overflow: false }
    }
    /// Adds a labelled row: its feature hash and label hash.
    #[inline]
    pub fn add(&mut self, features: u64, label: u64) {
        if self.overflow {
            return;
        }
        let g = Group { rows: 1, label, conflict: false };
        match self.groups.get_mut(&features) {
            Some(e) => e.join(g),
            None => {
                self.groups.insert(features, g);
                self.check();
            }
        }
    }
    fn check(&mut self) {
        if self.groups.len() as u64 > self.cap {
            self.overflow = true;
            self.groups = MixMap::default();
        }
    }
    /// Merges a state made with the same cap.
    pub fn merge(&mut self, other: Conflicts) {
        if self.overflow || other.overflow {
            self.overflow = true;
            self.groups = MixMap::default();
            return;
        }
        for (h, g) in other.groups {
            match self.groups.get_mut(&h) {
                Some(e) => e.join(g),
                None => {
                    self.groups.insert(h, g);
                }
            }
        }
        self.check();
    }
    /// Feature hash → combination, when within the cap.
    pub fn groups(&self) -> Option<&MixMap<u64, Group>> {
        (!self.overflow).then_some(&self.groups)
    }
    /// The counts (None beyond the cap).
    pub fn finish(&self) -> Option<ConflictCounts> {
        if self.overflow {
            return None;
        }
        let bad = self.groups.values().filter(|g| g.conflict);
        Some(ConflictCounts {
            feature_groups: self.groups.len() as u64,
            conflicting_groups: bad.clone().count() as u64,
            rows: bad.map(|g| g.rows).sum(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_do_not_depend_on_order_or_split() {
        let rows = [(1u64, 10u64), (1, 10), (2, 10), (1, 11), (3, 12), (3, 12)];
        let mut one = Conflicts::new(10);
        rows.iter().for_each(|&(f, l)| one.add(f, l));
        let want = ConflictCounts { feature_groups: 3, conflicting_groups: 1, rows: 3 };
        assert_eq!(one.finish(), Some(want));
        let (mut a, mut b) = (Conflicts::new(10), Conflicts::new(10));
        rows.iter().rev().enumerate().for_each(|(i, &(f, l))| if i % 2 == 0 { a.add(f, l) } else { b.add(f, l) });
        b.merge(a);
        assert_eq!(b.finish(), Some(want));
        let mut small = Conflicts::new(2);
        rows.iter().for_each(|&(f, l)| small.add(f, l));
        assert_eq!(small.finish(), None, "three combinations exceed a cap of two");
    }

    #[test]
    fn classes_sort_by_count_then_value_and_cap() {
        let mut c = ClassCounts::default();
        for l in [Some("b"), Some("a"), None, Some("b"), Some("c")] {
            c.add(l);
        }
        assert_eq!(c.sorted().unwrap(), vec![("b".into(), 2), ("a".into(), 1), ("c".into(), 1)]);
        assert_eq!(c.missing(), 1);
        let mut many = ClassCounts::default();
        (0..=MAX_CLASSES).for_each(|i| many.add(Some(&i.to_string())));
        assert_eq!(many.sorted(), None);
    }
}
