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
//!   are not computed (and the report says so). Examples ([`super::examples`]): the first
//!   rows of the conflicting combinations whose first row is earliest, each row with its
//!   label as written (kept per label hash, up to [`MAX_CLASSES`] label values).

use super::examples::{earliest, Lists, Pos};
use crate::ingest::batch::cell_text;
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;

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
        self.add_n(label, 1);
    }
    /// Counts `n` rows of a label (`None`: missing).
    pub fn add_n(&mut self, label: Option<&str>, n: u64) {
        match label {
            None => self.missing += n,
            Some(_) if self.overflow => {}
            Some(l) => match self.counts.get_mut(l) {
                Some(c) => *c += n,
                None => {
                    self.counts.insert(l.to_owned(), n);
                    self.check();
                }
            },
        }
    }
    /// Counts the label cells of a batch: equal cells are tallied in the batch and their
    /// text made once (`cell_text`: missing and unparseable
    /// cells are missing labels).
    pub fn add_cells(&mut self, batch: &Batch, cells: &[Cell]) {
        const KEPT: usize = 8;
        let mut tally: Vec<(Cell, u64)> = Vec::with_capacity(KEPT);
        let mut last = 0;
        for cell in cells {
            if let Some(t) = tally.get_mut(last).filter(|t| same(batch, &t.0, cell)) {
                t.1 += 1;
                continue;
            }
            match tally.iter().position(|t| same(batch, &t.0, cell)) {
                Some(i) => {
                    tally[i].1 += 1;
                    last = i;
                }
                None if tally.len() < KEPT => {
                    last = tally.len();
                    tally.push((*cell, 1));
                }
                None => self.add(cell_text(batch, cell).as_deref()),
            }
        }
        for (cell, n) in tally {
            self.add_n(cell_text(batch, &cell).as_deref(), n);
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

/// Whether two cells have the same text ([`cell_text`]), without making it.
#[inline]
fn same(batch: &Batch, a: &Cell, b: &Cell) -> bool {
    match (a, b) {
        (Cell::Missing(_) | Cell::Invalid(_), Cell::Missing(_) | Cell::Invalid(_)) => true,
        (Cell::Int(x), Cell::Int(y)) | (Cell::Date(x), Cell::Date(y)) | (Cell::Datetime(x), Cell::Datetime(y)) => {
            x == y
        }
        (Cell::Float(x), Cell::Float(y)) => x.to_bits() == y.to_bits(),
        (Cell::Bool(x), Cell::Bool(y)) => x == y,
        (Cell::Text(x), Cell::Text(y)) => batch.text(*x) == batch.text(*y),
        _ => false,
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
    /// Where the first row is (its label: `label` while `rows` is 1, else the first of
    /// the group's example list, which exists from the second row on).
    pub first: Pos,
}

impl Group {
    fn join(&mut self, o: Group) {
        self.rows += o.rows;
        self.conflict |= o.conflict || o.label != self.label;
        self.label = self.label.min(o.label);
        self.first = self.first.min(o.first);
    }
}

/// Labelled rows grouped by their features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflicts {
    cap: u64,
    groups: MixMap<u64, Group>,
    overflow: bool,
    /// The earliest rows of combinations seen more than once.
    examples: Lists,
    /// Label hash → label as written (emptied above [`MAX_CLASSES`] values).
    labels: MixMap<u64, String>,
    labels_overflow: bool,
}

/// A conflicting combination's first rows: (position, label as written; None when the
/// label has more than [`MAX_CLASSES`] values).
pub type LabelledRows = Vec<(Pos, Option<String>)>;

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
        Conflicts {
            cap,
            groups: MixMap::default(),
            overflow: false,
            examples: Lists::default(),
            labels: MixMap::default(),
            labels_overflow: false,
        }
    }
    /// Keeps the text of label hash `label` (`text` is called only when not yet known).
    #[inline]
    pub fn note_label(&mut self, label: u64, text: impl FnOnce() -> String) {
        if !self.overflow && !self.labels_overflow && !self.labels.contains_key(&label) {
            self.labels.insert(label, text());
            self.check_labels();
        }
    }
    /// Adds a labelled row: its feature hash, label hash, position and label as written.
    pub fn add(&mut self, features: u64, label: u64, at: Pos, text: &str) {
        self.note_label(label, || text.to_owned());
        self.add_row(features, label, at);
    }
    /// Adds a labelled row whose label text has been noted ([`Conflicts::note_label`]).
    #[inline]
    pub fn add_row(&mut self, features: u64, label: u64, at: Pos) {
        if self.overflow {
            return;
        }
        let g = Group { rows: 1, label, conflict: false, first: at };
        match self.groups.entry(features) {
            Entry::Occupied(mut e) => {
                let e = e.get_mut();
                self.examples.add(features, (e.first, e.label), (at, label));
                e.join(g);
            }
            Entry::Vacant(e) => {
                e.insert(g);
                self.check();
            }
        }
    }
    fn check(&mut self) {
        if self.groups.len() as u64 > self.cap {
            self.overflow = true;
            self.groups = MixMap::default();
            self.examples.clear();
        }
    }
    fn check_labels(&mut self) {
        if self.labels.len() > MAX_CLASSES {
            self.labels_overflow = true;
            self.labels = MixMap::default();
        }
    }
    /// Merges a state made with the same cap.
    pub fn merge(&mut self, other: Conflicts) {
        if self.labels_overflow || other.labels_overflow {
            self.labels_overflow = true;
            self.labels = MixMap::default();
        } else {
            for (h, t) in other.labels {
                self.labels.entry(h).or_insert(t);
            }
            self.check_labels();
        }
        if self.overflow || other.overflow {
            self.overflow = true;
            self.groups = MixMap::default();
            self.examples.clear();
            return;
        }
        let mut theirs = other.examples;
        for (h, g) in other.groups {
            let list = theirs.take(h);
            match self.groups.get_mut(&h) {
                Some(e) => {
                    self.examples.join(h, (e.first, e.label), list.unwrap_or_else(|| vec![(g.first, g.label)]));
                    e.join(g);
                }
                None => {
                    self.groups.insert(h, g);
                    if let Some(l) = list {
                        self.examples.put(h, l);
                    }
                }
            }
        }
        self.check();
    }
    /// The first rows of the conflicting combinations whose first row is earliest (empty
    /// past the cap).
    pub fn examples(&self) -> Vec<LabelledRows> {
        let bad =
            self.groups.iter().filter(|(_, g)| g.conflict).map(|(&h, g)| (g.first, (h, (g.first, g.label)))).collect();
        earliest(bad)
            .into_iter()
            .map(|(_, (h, first))| {
                let text = |l: u64| if self.labels_overflow { None } else { self.labels.get(&l).cloned() };
                self.examples.get(h, first).into_iter().map(|(p, l)| (p, text(l))).collect()
            })
            .collect()
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
        let at = |i: usize| Pos { byte: 0, row: i as u64 + 1 };
        let mut one = Conflicts::new(10);
        rows.iter().enumerate().for_each(|(i, &(f, l))| one.add(f, l, at(i), &l.to_string()));
        let want = ConflictCounts { feature_groups: 3, conflicting_groups: 1, rows: 3 };
        assert_eq!(one.finish(), Some(want));
        let (mut a, mut b) = (Conflicts::new(10), Conflicts::new(10));
        rows.iter().enumerate().for_each(|(i, &(f, l))| {
            let t = l.to_string();
            if i % 2 == 0 {
                a.add(f, l, at(i), &t)
            } else {
                b.add(f, l, at(i), &t)
            }
        });
        b.merge(a);
        assert_eq!(b.finish(), Some(want));
        let rows_and_labels = |c: &Conflicts| {
            c.examples()
                .into_iter()
                .map(|e| e.into_iter().map(|(p, l)| (p.row, l.unwrap_or_default())).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        let want = vec![vec![(1, "10".to_string()), (2, "10".into()), (4, "11".into())]];
        assert_eq!(rows_and_labels(&one), want);
        assert_eq!(rows_and_labels(&b), want);
        let mut small = Conflicts::new(2);
        rows.iter().enumerate().for_each(|(i, &(f, l))| small.add(f, l, at(i), ""));
        assert_eq!(small.finish(), None, "three combinations exceed a cap of two");
    }

    #[test]
    fn conflict_examples_keep_rows_and_drop_labels_past_the_label_cap() {
        // Feature 0 in every other row, labels all different: one conflicting combination.
        let (mut a, mut b) = (Conflicts::new(10_000), Conflicts::new(10_000));
        for i in 0..=(MAX_CLASSES as u64 + 1) {
            let at = Pos { byte: i / 100 * 1000, row: i % 100 + 1 };
            let half = if i < 600 { &mut a } else { &mut b };
            half.add(i % 2, 1000 + i, at, &i.to_string());
        }
        b.merge(a);
        let e = b.examples();
        assert_eq!(e.len(), 2);
        let rows: Vec<u64> = e[0].iter().map(|(p, _)| p.row).collect();
        assert_eq!(rows, vec![1, 3, 5, 7, 9]);
        assert!(e[0].iter().all(|(_, l)| l.is_none()), "more than {MAX_CLASSES} labels: none shown");
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
