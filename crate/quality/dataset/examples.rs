//! Example rows, as row numbers only: the earliest rows of a duplicated record or of a
//! feature combination with conflicting labels.
//!
//! A worker does not know how many rows precede its byte range, so a row is kept as a
//! [`Pos`]: the byte offset of its batch's first record and its 1-based row within the
//! worker's segment ([`crate::ingest::batch::Batch::origin`]). Positions order as the rows
//! do in the file (segments by byte, rows within a segment by number), and
//! [`crate::engine::state::RunState::global_row`] turns one into a 1-based data row once
//! every segment's row count is known.
//!
//! Per group (a row hash, a feature-combination hash) the owner keeps the group's first
//! position; [`Lists`] holds the [`EXAMPLES`] earliest positions of groups seen more than
//! once, each with a tag (the label hash for conflicts, 0 for duplicates): a group has a
//! list from its second row on, so a group without one has one row, whose tag the owner
//! knows (for conflicts, the group's only label).
//! A merge unites the two lists of a group and keeps the earliest, so which rows are
//! shown does not depend on the split or the merge order. Memory: one position per group,
//! plus at most [`EXAMPLES`] per repeated group.

use crate::ingest::batch::Batch;
use crate::ingest::findings::Loc;
use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};

/// Examples reported (groups) and rows shown per example.
pub const EXAMPLES: usize = 5;

/// Where a row is: see the module documentation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pos {
    /// Byte offset of the first record of the row's batch.
    pub byte: u64,
    /// 1-based row within the segment.
    pub row: u64,
}

impl Pos {
    /// Row `r` of `batch`.
    #[inline]
    pub fn of(batch: &Batch, r: usize) -> Pos {
        let (byte, first) = batch.origin();
        Pos { byte, row: first + r as u64 }
    }
    /// As a findings position, for [`crate::engine::state::RunState::global_row`].
    pub fn loc(self) -> Loc {
        Loc { byte: self.byte, column: None, row_in_segment: self.row }
    }
}

/// A position and its tag.
pub type Tagged = (Pos, u64);

/// The earliest positions of groups seen more than once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lists {
    lists: MixMap<u64, Vec<Tagged>>,
}

impl Lists {
    /// Records a later row `at` of group `h`, whose first row is `first` (rows of one
    /// worker arrive in file order).
    #[inline]
    pub fn add(&mut self, h: u64, first: Tagged, at: Tagged) {
        let v = self.lists.entry(h).or_insert_with(|| vec![first]);
        if v.len() < EXAMPLES {
            v.push(at);
        }
    }
    /// The earliest rows of group `h` (first row `first`), in file order.
    pub fn get(&self, h: u64, first: Tagged) -> Vec<Tagged> {
        self.lists.get(&h).cloned().unwrap_or_else(|| vec![first])
    }
    /// Unites group `h` of this side (first row `first`) with `other`'s list of it.
    pub fn join(&mut self, h: u64, first: Tagged, other: Vec<Tagged>) {
        let v = self.lists.entry(h).or_insert_with(|| vec![first]);
        v.extend(other);
        v.sort_unstable();
        v.dedup();
        v.truncate(EXAMPLES);
    }
    /// Sets the list of group `h` (one this side has not seen).
    pub fn put(&mut self, h: u64, list: Vec<Tagged>) {
        self.lists.insert(h, list);
    }
    /// Takes the list of group `h`, if kept.
    pub fn take(&mut self, h: u64) -> Option<Vec<Tagged>> {
        self.lists.remove(&h)
    }
    /// Forgets everything (past the cap).
    pub fn clear(&mut self) {
        self.lists = MixMap::default();
    }
}

/// The [`EXAMPLES`] groups whose first row is earliest, among `(first row, group)` pairs.
pub fn earliest<T>(mut groups: Vec<(Pos, T)>) -> Vec<(Pos, T)> {
    groups.sort_unstable_by_key(|g| g.0);
    groups.truncate(EXAMPLES);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(byte: u64, row: u64) -> Tagged {
        (Pos { byte, row }, 0)
    }

    #[test]
    fn joining_keeps_the_earliest_in_any_order() {
        let (mut a, mut b) = (Lists::default(), Lists::default());
        for r in 2..9 {
            a.add(7, p(0, 1), p(0, r));
        }
        b.add(7, p(100, 1), p(100, 2));
        let mut ab = a.clone();
        ab.join(7, p(0, 1), b.get(7, p(100, 1)));
        let mut ba = b.clone();
        ba.join(7, p(100, 1), a.get(7, p(0, 1)));
        assert_eq!(ab.get(7, p(0, 1)), ba.get(7, p(0, 1)));
        assert_eq!(ab.get(7, p(0, 1)), vec![p(0, 1), p(0, 2), p(0, 3), p(0, 4), p(0, 5)]);
        // A group seen once on each side gets its two rows.
        let mut c = Lists::default();
        c.join(9, p(50, 3), vec![p(10, 4)]);
        assert_eq!(c.get(9, p(0, 0)), vec![p(10, 4), p(50, 3)]);
    }
}
