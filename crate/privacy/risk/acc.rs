//! The level-0 accumulator: quasi-identifier tuple → (rows, counts of each sensitive
//! value), merged by adding counts.
//!
//! Memory is bounded by the number of distinct tuples: above `max_classes` distinct
//! tuples (or `max_classes` distinct (tuple, sensitive value) pairs of one sensitive
//! attribute) the map is dropped and the report says so — never a silent wrong k. A part
//! drops its map only when its own count exceeds the cap, which the union then exceeds
//! too, so whether the cap was exceeded is a property of the file, not of the split.
//! Rows and rows with a missing quasi-identifier are counted in any case.

use super::key::push_cell;
use super::spec::RiskSpec;
use crate::error::{Error, Result};
use crate::ingest::batch::Batch;
use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};

/// Counts of one equivalence class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Rows in the class.
    pub rows: u64,
    /// The class's id in this accumulator (its insertion order): the high half of the keys
    /// of [`RiskAcc::sensitive_counts`].
    pub id: u32,
}

/// The key of a (class, sensitive value) pair in [`RiskAcc::sensitive_counts`].
#[inline]
pub fn pair_key(class: u32, value: u32) -> u64 {
    (u64::from(class) << 32) | u64::from(value)
}

/// The (class id, value id) of a key of [`RiskAcc::sensitive_counts`].
#[inline]
pub fn pair_parts(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// Pending pair keys of one sensitive attribute are merged into its counts once there are
/// at least this many (and at least as many as the counts hold).
pub const PENDING_MIN: usize = 1 << 20;

/// Adds `theirs` (sorted by key, keys distinct) to `mine` (the same), keeping it sorted.
fn add_sorted(mine: &mut Vec<(u64, u64)>, theirs: Vec<(u64, u64)>) {
    if mine.is_empty() {
        *mine = theirs;
        return;
    }
    let old = std::mem::take(mine);
    let mut out = Vec::with_capacity(old.len() + theirs.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < theirs.len() {
        let ((a, m), (b, n)) = (old[i], theirs[j]);
        if a == b {
            out.push((a, m + n));
            i += 1;
            j += 1;
        } else if a < b {
            out.push((a, m));
            i += 1;
        } else {
            out.push((b, n));
            j += 1;
        }
    }
    out.extend_from_slice(&old[i..]);
    out.extend_from_slice(&theirs[j..]);
    *mine = out;
}

/// A dictionary of encoded sensitive values.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Dictionary {
    /// Encoded values by id.
    pub values: Vec<Box<[u8]>>,
    #[serde(skip)]
    index: MixMap<Box<[u8]>, u32>,
}

impl PartialEq for Dictionary {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

impl Dictionary {
    fn id(&mut self, v: &[u8]) -> u32 {
        if self.index.len() != self.values.len() {
            self.reindex();
        }
        if let Some(&i) = self.index.get(v) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(v.into());
        self.index.insert(v.into(), i);
        i
    }
    fn reindex(&mut self) {
        self.index = self.values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect();
    }
}

/// Mutable state of the re-identification analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskAcc {
    qis: Vec<usize>,
    sensitive: Vec<usize>,
    max_classes: u64,
    /// Rows read.
    pub rows: u64,
    /// Rows with at least one missing quasi-identifier.
    pub rows_missing_qi: u64,
    /// The classes (empty once the cap was exceeded).
    pub classes: MixMap<Box<[u8]>, ClassCounts>,
    /// Sensitive values, one dictionary per sensitive attribute.
    pub dictionaries: Vec<Dictionary>,
    /// Per sensitive attribute, the rows of each (class, value) pair as ([`pair_key`]`(class
    /// id, value id)`, rows) sorted by key: one flat list rather than a sorted list per
    /// class. Its length is the number of distinct pairs counted so far, held to the cap.
    pub sensitive_counts: Vec<Vec<(u64, u64)>>,
    /// Per sensitive attribute, the pair key of each row not yet added to
    /// `sensitive_counts`. A row only appends its key; the keys are sorted and merged into
    /// the counts once there are as many as the counts hold (at least [`PENDING_MIN`]) and
    /// before a merge or the end — sequential work instead of a random lookup in a map of
    /// millions of pairs per row (issue 16's benchmark).
    pub pending: Vec<Vec<u64>>,
    /// The number of classes exceeded the cap: the map was dropped.
    pub over_cap: bool,
    /// The (class, value) pairs of the sensitive attributes exceeded the cap: their counts
    /// were dropped.
    pub sensitive_over_cap: bool,
    #[serde(skip)]
    buf: Vec<u8>,
}

impl RiskAcc {
    /// An empty accumulator for `spec`.
    pub fn new(spec: &RiskSpec) -> Self {
        let s = spec.sensitive.len();
        RiskAcc {
            qis: spec.qis.clone(),
            sensitive: spec.sensitive.clone(),
            max_classes: spec.max_classes,
            rows: 0,
            rows_missing_qi: 0,
            classes: MixMap::default(),
            dictionaries: vec![Dictionary::default(); s],
            sensitive_counts: vec![Vec::new(); s],
            pending: vec![Vec::new(); s],
            over_cap: false,
            sensitive_over_cap: false,
            buf: Vec::new(),
        }
    }

    /// Adds a batch of rows.
    pub fn update(&mut self, batch: &Batch) {
        let n = batch.rows();
        self.rows += n as u64;
        let qcols: Vec<&[crate::ingest::batch::Cell]> = self.qis.iter().map(|&c| batch.column(c)).collect();
        let scols: Vec<&[crate::ingest::batch::Cell]> = self.sensitive.iter().map(|&c| batch.column(c)).collect();
        let mut buf = std::mem::take(&mut self.buf);
        let mut sbuf = Vec::new();
        for r in 0..n {
            buf.clear();
            let mut missing = false;
            for col in &qcols {
                if let Some(cell) = col.get(r) {
                    missing |= push_cell(&mut buf, batch, cell);
                }
            }
            self.rows_missing_qi += u64::from(missing);
            if self.over_cap {
                continue;
            }
            let class = match self.classes.get_mut(&buf[..]) {
                Some(c) => {
                    c.rows += 1;
                    c.id
                }
                None => {
                    // Ids stay below u32::MAX: the cap (at most 10^8) drops the map first.
                    let id = self.classes.len() as u32;
                    self.classes.insert(buf.clone().into_boxed_slice(), ClassCounts { rows: 1, id });
                    id
                }
            };
            if self.sensitive_over_cap {
                continue;
            }
            for (a, col) in scols.iter().enumerate() {
                sbuf.clear();
                if let Some(cell) = col.get(r) {
                    push_cell(&mut sbuf, batch, cell);
                }
                let value = self.dictionaries[a].id(&sbuf);
                self.pending[a].push(pair_key(class, value));
            }
        }
        self.buf = buf;
        for a in 0..self.pending.len() {
            if self.pending[a].len() >= PENDING_MIN.max(self.sensitive_counts[a].len()) {
                self.compact(a);
            }
        }
        self.enforce_cap();
    }

    /// Adds the pending keys of sensitive attribute `a` to its counts.
    fn compact(&mut self, a: usize) {
        let mut keys = std::mem::take(&mut self.pending[a]);
        if keys.is_empty() {
            return;
        }
        keys.sort_unstable();
        let mut runs: Vec<(u64, u64)> = Vec::new();
        for k in keys {
            match runs.last_mut() {
                Some((last, n)) if *last == k => *n += 1,
                _ => runs.push((k, 1)),
            }
        }
        add_sorted(&mut self.sensitive_counts[a], runs);
    }

    /// Adds every pending key to the counts (before a merge or the end).
    pub(super) fn flush(&mut self) {
        for a in 0..self.pending.len() {
            self.compact(a);
        }
        self.enforce_cap();
    }

    fn enforce_cap(&mut self) {
        if !self.over_cap && self.classes.len() as u64 > self.max_classes {
            self.drop_classes();
        }
        if !self.sensitive_over_cap && self.sensitive_counts.iter().any(|m| m.len() as u64 > self.max_classes) {
            self.drop_sensitive();
        }
    }

    fn drop_classes(&mut self) {
        self.over_cap = true;
        self.classes = MixMap::default();
        self.drop_sensitive();
    }

    fn drop_sensitive(&mut self) {
        self.sensitive_over_cap = true;
        self.sensitive_counts.iter_mut().for_each(|m| *m = Vec::new());
        self.pending.iter_mut().for_each(|m| *m = Vec::new());
        self.dictionaries.iter_mut().for_each(|d| *d = Dictionary::default());
    }

    /// Checks that every pair names a class and a value of this accumulator (a state
    /// from elsewhere could be damaged).
    fn check_ids(&self) -> Result<()> {
        let classes = self.classes.len();
        let ids_ok = self.classes.values().all(|c| (c.id as usize) < classes);
        let pairs_ok = self.sensitive_counts.len() == self.dictionaries.len()
            && self.pending.len() == self.dictionaries.len()
            && self.sensitive_counts.iter().zip(&self.pending).zip(&self.dictionaries).all(|((m, p), d)| {
                m.iter().map(|&(k, _)| k).chain(p.iter().copied()).all(|k| {
                    let (c, v) = pair_parts(k);
                    (c as usize) < classes && (v as usize) < d.values.len()
                })
            });
        if ids_ok && pairs_ok {
            Ok(())
        } else {
            Err(Error::state("the re-identification state is damaged (a class or value id is out of range)"))
        }
    }

    /// Merges another accumulator of the same configuration.
    pub fn merge(&mut self, mut other: RiskAcc) -> Result<()> {
        if other.qis != self.qis || other.sensitive != self.sensitive || other.max_classes != self.max_classes {
            return Err(Error::state("the re-identification states were made with different quasi-identifiers"));
        }
        other.check_ids()?;
        other.flush();
        self.flush();
        self.rows += other.rows;
        self.rows_missing_qi += other.rows_missing_qi;
        if other.over_cap || self.over_cap {
            self.drop_classes();
            return Ok(());
        }
        if other.sensitive_over_cap && !self.sensitive_over_cap {
            self.drop_sensitive();
        }
        // Ids of the other side's classes in this side's map.
        let mut class_ids = vec![0u32; other.classes.len()];
        for (key, oc) in other.classes {
            let next = self.classes.len() as u32;
            let class = self.classes.entry(key).or_insert(ClassCounts { rows: 0, id: next });
            class.rows += oc.rows;
            class_ids[oc.id as usize] = class.id;
        }
        if !self.sensitive_over_cap {
            let dicts = std::mem::take(&mut other.dictionaries);
            for (a, (counts, dict)) in other.sensitive_counts.into_iter().zip(dicts).enumerate() {
                // Ids of the other side's values in this side's dictionary.
                let value_ids: Vec<u32> = dict.values.iter().map(|v| self.dictionaries[a].id(v)).collect();
                let mut theirs: Vec<(u64, u64)> = counts
                    .into_iter()
                    .map(|(key, n)| {
                        let (c, v) = pair_parts(key);
                        (pair_key(class_ids[c as usize], value_ids[v as usize]), n)
                    })
                    .collect();
                theirs.sort_unstable();
                add_sorted(&mut self.sensitive_counts[a], theirs);
            }
        }
        self.enforce_cap();
        Ok(())
    }

    /// Freezes the counts into a sorted class table.
    pub fn finish(self) -> super::table::ClassTable {
        super::table::ClassTable::from_acc(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RiskSpec {
        RiskSpec {
            qis: vec![0],
            sensitive: vec![1],
            population: None,
            threshold: 0.5,
            max_classes: 10,
            person: None,
            recursive_l: 2,
            ladders: Vec::new(),
            what_ifs: Vec::new(),
        }
    }

    #[test]
    fn sorted_counts_add_like_a_map() {
        let mut mine = vec![(1, 2), (4, 1), (9, 5)];
        add_sorted(&mut mine, vec![(0, 1), (4, 2), (7, 1), (12, 3)]);
        assert_eq!(mine, vec![(0, 1), (1, 2), (4, 3), (7, 1), (9, 5), (12, 3)]);
        let mut empty = Vec::new();
        add_sorted(&mut empty, vec![(3, 1)]);
        assert_eq!(empty, vec![(3, 1)]);
    }

    #[test]
    fn pending_keys_compact_into_the_counts_and_the_cap() {
        let mut acc = RiskAcc::new(&spec());
        acc.dictionaries[0].values = (0..4u8).map(|v| vec![v].into_boxed_slice()).collect();
        acc.classes.insert(Box::new([0]), ClassCounts { rows: 5, id: 0 });
        acc.classes.insert(Box::new([1]), ClassCounts { rows: 2, id: 1 });
        acc.pending[0] = vec![pair_key(1, 3), pair_key(0, 2), pair_key(0, 2), pair_key(1, 0)];
        acc.compact(0);
        acc.pending[0] = vec![pair_key(0, 2), pair_key(0, 1), pair_key(1, 3)];
        acc.flush();
        assert!(acc.pending[0].is_empty());
        let want = vec![(pair_key(0, 1), 1), (pair_key(0, 2), 3), (pair_key(1, 0), 1), (pair_key(1, 3), 2)];
        assert_eq!(acc.sensitive_counts[0], want);
        assert!(!acc.sensitive_over_cap);
        // 13 distinct pairs > max_classes 10: dropped, never half counted.
        acc.pending[0] = (0..11).map(|i| pair_key(i % 2, i)).collect();
        acc.flush();
        assert!(acc.sensitive_over_cap);
        assert!(acc.sensitive_counts[0].is_empty() && acc.pending[0].is_empty());
    }
}
