//! Exact duplicate rows and duplicate columns.
//!
//! * **Cell values.** A cell is identified by a 64-bit hash of its *typed* value
//!   ([`cell_hash`]): numbers by value (`1` = `1.0` = `1e0`, `-0` = `0`, as pandas compares
//!   the floats of a numeric column; a cell is never NaN), booleans, dates and datetimes by
//!   value, text (and unparseable cells) by their decoded text with no trimming, and every
//!   missing cell (missing token or absent field) as one value — pandas `duplicated()` also
//!   treats NaN as equal to NaN. Numbers, booleans, dates and datetimes hash as
//!   `mix(bits ⊕ per-type constant)` ([`mix`] is a bijection, so two values of one type
//!   never collide); text hashes with XXH3 (seeded): two distinct texts collide with
//!   probability about 2⁻⁶⁴.
//! * **Duplicate rows** (pandas `df.duplicated()`, keep = first): rows that repeat an
//!   earlier row on every column; their count is rows − distinct rows. A row is identified
//!   by a 64-bit hash of its cell hashes in column order, `h ← mix(h ⊕ cell)` from
//!   [`ROW_SEED`] ([`fold`]: one column of a batch at a time). Each step is a bijection of
//!   `h`, so two rows first differing in column j differ after it, and they can meet again
//!   only where a later pair of cells differs, each time with probability about 2⁻⁶⁴
//!   (modelling `mix` as a random permutation): at most about m·2⁻⁶⁴ per pair of distinct
//!   rows with m columns, m·n²/2⁶⁵ over n distinct rows (4·10⁻⁷ at a million distinct rows
//!   of 15 columns). The hashes are counted exactly up to a cap of distinct rows;
//!   beyond it the distinct count comes from HyperLogLog ([`crate::sketch::distinct`],
//!   0.81 % relative standard error of the distinct count), fed on crossing the cap with
//!   the map's keys and then with every row, and the number of distinct records that
//!   repeat is not known.
//! * **Duplicate columns** (pandas `df.T.duplicated()`): per column a wrapping sum over
//!   rows of `mix(cell hash, row hash)`. Equal columns have equal cells in every row, hence
//!   equal sums; unequal columns have equal sums with probability about 2⁻⁶⁴ per pair. A
//!   row's position is unknown inside a range, so the row hash stands in for it; a sum
//!   does not depend on the order of rows or on the split.
//!
//! * **Examples** ([`super::examples`]): the first [`super::examples::EXAMPLES`] rows of the
//!   [`super::examples::EXAMPLES`] duplicated records whose first row is earliest.
//!
//! # Merge
//! Counts add, sums add (wrapping), sets unite. Whether the cap is exceeded depends only on
//! the union of the rows seen, so the result is the same for every split and merge order.

use super::examples::{earliest, Lists, Pos};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::NO_VALUE;
use crate::ingest::keys::CodeMemo;
use crate::sketch::distinct::DistinctAcc;
use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use xxhash_rust::xxh3::xxh3_64_with_seed;

const MISSING: u64 = 0x6d69_7373_696e_6700;
// Per-type constants (random 64-bit odd numbers): a number, a large integer, a boolean, a
// date and a datetime with the same bits hash differently.
const NUM: u64 = 0x2545_f491_4f6c_dd1d;
const INT: u64 = 0x9e37_79b9_7f4a_7c15;
const BOOL: u64 = 0xd6e8_feb8_6659_fd93;
const DATE: u64 = 0xa076_1d64_78bd_642f;
const DATETIME: u64 = 0xe703_7ed1_a0b4_28db;
/// The hash of a row (or feature combination) before its first cell.
pub const ROW_SEED: u64 = 0x8ebc_6af0_9c88_c6e3;

/// Hash of a cell's typed value (see the module documentation).
#[inline(always)]
pub fn cell_hash(batch: &Batch, cell: &Cell) -> u64 {
    match *cell {
        Cell::Missing(_) => MISSING,
        // Integers that a double holds exactly hash as that double, so 1 = 1.0.
        Cell::Int(v) if v.unsigned_abs() <= 1 << 53 => number(v as f64),
        Cell::Int(v) => mix(v as u64 ^ INT),
        Cell::Float(x) => number(x),
        Cell::Bool(b) => mix(u64::from(b) ^ BOOL),
        Cell::Date(d) => mix(d as u64 ^ DATE),
        Cell::Datetime(s) => mix(s as u64 ^ DATETIME),
        Cell::Text(s) | Cell::Invalid(s) => xxh3_64_with_seed(batch.text(s).as_bytes(), 5),
    }
}

/// Hash of a number by value (`-0` = `0`; a cell is never NaN).
#[inline]
fn number(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    mix(x.to_bits() ^ NUM)
}

/// Folds the next column's cell hashes into the running row hashes (start: [`ROW_SEED`]).
#[inline]
pub fn fold(rows: &mut [u64], cells: &[u64]) {
    for (h, &c) in rows.iter_mut().zip(cells) {
        *h = mix(*h ^ c);
    }
}

/// Hash of a row from the hashes of the chosen cells (in column order): [`fold`] one
/// row.
#[inline]
pub fn combine(hashes: &[u64]) -> u64 {
    hashes.iter().fold(ROW_SEED, |h, &c| mix(h ^ c))
}

/// SplitMix64's finaliser: a bijection with full avalanche.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Rows of one distinct row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Rows.
    pub n: u64,
    /// Where the first is.
    pub first: Pos,
}

/// Row hashes counted exactly up to a cap, with their HyperLogLog for beyond.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowCounts {
    cap: u64,
    /// Row hash → rows (empty once the cap is exceeded).
    counts: MixMap<u64, Seen>,
    /// The earliest rows of repeated rows.
    examples: Lists,
    overflow: bool,
    distinct: DistinctAcc,
}

/// Duplicate-row counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Duplicates {
    /// Distinct rows (estimated when not exact).
    pub distinct: u64,
    /// Rows that repeat an earlier row (rows − distinct).
    pub repeats: u64,
    /// Distinct rows that occur more than once (None when estimated).
    pub repeated_records: Option<u64>,
    /// True when counted exactly.
    pub exact: bool,
}

impl RowCounts {
    /// Empty, keeping up to `cap` distinct hashes exactly.
    pub fn new(cap: u64) -> Self {
        RowCounts {
            cap,
            counts: MixMap::default(),
            examples: Lists::default(),
            overflow: false,
            distinct: DistinctAcc::default(),
        }
    }
    /// Adds one row hash, of the row at `at`.
    #[inline]
    pub fn add(&mut self, h: u64, at: Pos) {
        if self.overflow {
            self.distinct.insert(h);
            return;
        }
        match self.counts.entry(h) {
            Entry::Occupied(mut e) => {
                let e = e.get_mut();
                e.n += 1;
                self.examples.add(h, (e.first, 0), (at, 0));
            }
            Entry::Vacant(e) => {
                e.insert(Seen { n: 1, first: at });
                self.check_cap();
            }
        }
    }
    fn check_cap(&mut self) {
        if self.counts.len() as u64 > self.cap {
            self.spill();
        }
    }
    /// Past the cap: the distinct hashes seen so far go to the HyperLogLog, which then
    /// takes every further row (below the cap it stays empty: the map holds the same set).
    fn spill(&mut self) {
        if !self.overflow {
            self.overflow = true;
            for &h in self.counts.keys() {
                self.distinct.insert(h);
            }
            self.counts = MixMap::default();
            self.examples.clear();
        }
    }
    /// Merges counts made with the same cap.
    pub fn merge(&mut self, mut other: RowCounts) {
        if self.overflow || other.overflow {
            self.spill();
            other.spill();
            self.distinct.merge(other.distinct);
            return;
        }
        let mut theirs = other.examples;
        for (h, s) in other.counts {
            let list = theirs.take(h);
            match self.counts.get_mut(&h) {
                Some(e) => {
                    e.n += s.n;
                    self.examples.join(h, (e.first, 0), list.unwrap_or_else(|| vec![(s.first, 0)]));
                    e.first = e.first.min(s.first);
                }
                None => {
                    self.counts.insert(h, s);
                    if let Some(l) = list {
                        self.examples.put(h, l);
                    }
                }
            }
        }
        self.check_cap();
    }
    /// Row hash → rows, when counted exactly.
    pub fn exact_counts(&self) -> Option<&MixMap<u64, Seen>> {
        (!self.overflow).then_some(&self.counts)
    }
    /// The first rows of the duplicated records whose first row is earliest (empty past
    /// the cap).
    pub fn examples(&self) -> Vec<Vec<Pos>> {
        let repeated = self.counts.iter().filter(|(_, s)| s.n > 1).map(|(&h, s)| (s.first, h)).collect();
        earliest(repeated)
            .into_iter()
            .map(|(first, h)| self.examples.get(h, (first, 0)).into_iter().map(|t| t.0).collect())
            .collect()
    }
    /// The counts for a file of `rows` rows.
    pub fn finish(&self, rows: u64) -> Duplicates {
        if self.overflow {
            let distinct = self.distinct.finish().value.min(rows);
            return Duplicates { distinct, repeats: rows - distinct, repeated_records: None, exact: false };
        }
        let distinct = self.counts.len() as u64;
        let repeated = self.counts.values().filter(|s| s.n > 1).count() as u64;
        Duplicates { distinct, repeats: rows.saturating_sub(distinct), repeated_records: Some(repeated), exact: true }
    }
}

/// Per-column fingerprints for duplicate columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnSums {
    sums: Vec<u64>,
}

impl ColumnSums {
    /// Zero sums for `n` columns.
    pub fn new(n: usize) -> Self {
        ColumnSums { sums: vec![0; n] }
    }
    /// Adds the cell of column `c` in a row whose hash is `row`.
    #[inline]
    pub fn add(&mut self, c: usize, cell: u64, row: u64) {
        if let Some(s) = self.sums.get_mut(c) {
            *s = s.wrapping_add(mix(cell ^ mix(row)));
        }
    }
    /// Adds column `c`'s cells of a batch, given each row's `mix(row hash)`.
    #[inline]
    pub fn add_column(&mut self, c: usize, cells: &[u64], mixed_rows: &[u64]) {
        if let Some(s) = self.sums.get_mut(c) {
            let add = cells.iter().zip(mixed_rows).fold(0u64, |a, (&cell, &m)| a.wrapping_add(mix(cell ^ m)));
            *s = s.wrapping_add(add);
        }
    }
    /// Adds another state's sums.
    pub fn merge(&mut self, other: &ColumnSums) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a = a.wrapping_add(*b);
        }
    }
    /// Pairs (first, duplicate) among `columns`: each later column equal to an earlier
    /// one, paired with the first such column, in column order (pandas `df.T.duplicated()`
    /// marks the duplicate).
    pub fn duplicates(&self, columns: &[usize]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (k, &b) in columns.iter().enumerate() {
            if let Some(&a) = columns[..k].iter().find(|&&a| self.sums.get(a) == self.sums.get(b)) {
                out.push((a, b));
            }
        }
        out
    }
}

/// Appends the `n` cell hashes of column `c` of `batch` to `out` (a missing column or row
/// counts as 0) and returns them. Where an analysis made the column's value codes, each
/// value is hashed once (`memo`; a code is one value, so the same hash).
#[inline]
pub fn hash_column<'a>(
    batch: &Batch,
    c: usize,
    n: usize,
    out: &'a mut Vec<u64>,
    memo: &mut CodeMemo<u64>,
) -> &'a [u64] {
    let start = out.len();
    let cells = batch.column(c).iter().take(n);
    match batch.codes_if_made(c) {
        Some(codes) => {
            memo.sync(batch.dict_id(c));
            out.extend(cells.zip(codes).map(|(cell, &k)| match k {
                NO_VALUE => cell_hash(batch, cell),
                k => memo.get(k, || cell_hash(batch, cell)),
            }));
        }
        None => out.extend(cells.map(|cell| cell_hash(batch, cell))),
    }
    out.resize(start + n, 0);
    &out[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_exact_below_the_cap_and_estimated_above() {
        let mut a = RowCounts::new(100);
        for (i, h) in [1u64, 2, 2, 3, 3, 3].into_iter().enumerate() {
            a.add(mix(h), Pos { byte: 0, row: i as u64 + 1 });
        }
        let rows = |v: Vec<Vec<Pos>>| v.iter().map(|l| l.iter().map(|p| p.row).collect()).collect::<Vec<Vec<u64>>>();
        assert_eq!(rows(a.examples()), vec![vec![2, 3], vec![4, 5, 6]]);
        assert_eq!(a.finish(6), Duplicates { distinct: 3, repeats: 3, repeated_records: Some(2), exact: true });
        // 5,000 distinct rows twice each, cap 1,000: estimated within 4 standard errors.
        let mut big = RowCounts::new(1000);
        let mut halves = (RowCounts::new(1000), RowCounts::new(1000));
        for i in 0..10_000u64 {
            let h = mix(i % 5000);
            let at = Pos { byte: i, row: 1 };
            big.add(h, at);
            if i % 3 == 0 {
                halves.0.add(h, at)
            } else {
                halves.1.add(h, at)
            }
        }
        let d = big.finish(10_000);
        assert!(!d.exact && d.repeated_records.is_none());
        assert!((d.distinct as f64 - 5000.0).abs() < 4.0 * 0.0082 * 5000.0, "{d:?}");
        halves.1.merge(halves.0);
        assert_eq!(halves.1.finish(10_000), d);
    }

    #[test]
    fn crossing_the_cap_by_merge_only_is_the_same_as_in_one_pass() {
        let mut one = RowCounts::new(10);
        let (mut a, mut b) = (RowCounts::new(10), RowCounts::new(10));
        for i in 0..8u64 {
            one.add(mix(i), Pos { byte: i, row: 1 });
            a.add(mix(i), Pos { byte: i, row: 1 });
        }
        for i in 4..12u64 {
            one.add(mix(i), Pos { byte: 100 + i, row: 1 });
            b.add(mix(i), Pos { byte: 100 + i, row: 1 });
        }
        b.merge(a);
        assert_eq!(b.finish(16), one.finish(16));
        assert!(!one.finish(16).exact);
    }

    #[test]
    fn examples_do_not_depend_on_the_split() {
        // 40 rows over 9 distinct values; rows 0..40 in one pass, or in 3 segments merged
        // in two orders.
        let value = |i: u64| mix((i * 7) % 9 + u64::from(i > 30) * (i % 2) * 100);
        let mut one = RowCounts::new(100);
        (0..40).for_each(|i| one.add(value(i), Pos { byte: 0, row: i + 1 }));
        let part = |lo: u64, hi: u64| {
            let mut p = RowCounts::new(100);
            (lo..hi).for_each(|i| p.add(value(i), Pos { byte: lo * 10, row: i - lo + 1 }));
            p
        };
        let (mut x, mut y) = (part(0, 7), part(30, 40));
        x.merge(part(7, 30));
        x.merge(part(30, 40));
        y.merge(part(0, 7));
        y.merge(part(7, 30));
        assert_eq!(x.finish(40), one.finish(40));
        assert_eq!(x.examples().len(), 5);
        // Same rows, other keys: compare the order of the examples (first rows ascending).
        let firsts = |r: &RowCounts| r.examples().iter().map(|l| l.len()).collect::<Vec<_>>();
        assert_eq!(firsts(&x), firsts(&one));
        assert_eq!(x.examples(), y.examples());
    }

    #[test]
    fn equal_columns_have_equal_sums() {
        let mut s = ColumnSums::new(3);
        for cells in [[1u64, 1, 1], [2, 2, 3], [2, 2, 3]].iter() {
            let row = combine(cells);
            for (c, &h) in cells.iter().enumerate() {
                s.add(c, h, row);
            }
        }
        assert_eq!(s.duplicates(&[0, 1, 2]), vec![(0, 1)]);
    }
}
