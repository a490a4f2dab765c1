//! The basic column profile: for every column, rows, missing, unparseable, distinct;
//! moments and range for numbers; true/false counts for booleans; range and exact value
//! counts (up to a cap, for the most frequent date) for dates; value counts and lengths for
//! strings.
//!
//! Definitions (also in the report glossary):
//! - *missing*: missing tokens and fields absent from short rows, also counted by token
//!   (tokens compare trimmed and case-insensitively; numbers parsing as NaN count apart);
//! - *unparseable*: present, not missing, but not a value of the column's type;
//! - *distinct*: distinct valid values, missing and unparseable excluded (pandas
//!   `nunique()`); numbers compare by value (`-0` = `0`);
//! - *mean, std*: over finite values; std is the sample standard deviation (ddof = 1,
//!   the pandas default); infinities are counted, not averaged (pandas would return
//!   `inf`/`NaN`); sums are exact (see [`crate::sketch::exact_sum`]);
//! - *top values*: exact counts, ranked by count then value, for categorical and boolean
//!   columns; hidden for identifier columns (they would paste raw row keys into the report);
//! - *most frequent date*: the count of the most frequent valid date (or date-time), exact
//!   while the column has at most [`crate::sketch::key_counts::COUNT_CAP`] distinct values
//!   (pandas `value_counts().iloc[0]`); the date itself is not reported.
//!
//! # Merge
//! Every part merges exactly, so the profile of a file does not depend on how it was
//! split across workers.

use crate::ingest::batch::{Batch, Cell};
use crate::ingest::value::{civil_from_days, ColumnType};
use crate::sketch::distinct::{hash_f64, hash_i64, hash_str, Distinct, DistinctAcc, Memo};
use crate::sketch::key_counts::KeyCountsAcc;
use crate::sketch::moments::{Moments, MomentsAcc};
use crate::sketch::top_k::{TopValuesAcc, ValueCount};
use crate::spec::{Role, ValidSpec};
use serde::{Deserialize, Serialize};

mod coded;
mod stats;

pub use stats::{present, BooleanCounts, ColumnStats, Lengths, MissingCount, TemporalRange};

/// Type-specific part of a column accumulator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum KindAcc {
    Numeric(MomentsAcc),
    Boolean { trues: u64, falses: u64 },
    Temporal { datetime: bool, min: Option<i64>, max: Option<i64>, counts: KeyCountsAcc },
    Strings { top: TopValuesAcc, len_min: Option<u64>, len_max: u64, len_sum: u64 },
}

/// Mutable profile of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnAcc {
    missing: u64,
    /// Missing values by [`Cell::Missing`] code (index = code; trailing codes never seen
    /// are absent).
    #[serde(default)]
    missing_by: Vec<u64>,
    invalid: u64,
    valid: u64,
    distinct: DistinctAcc,
    kind: KindAcc,
    #[serde(skip)]
    memo: Memo,
    /// String columns: the caches of the path from value codes ([`coded`]).
    #[serde(skip)]
    coded: crate::ingest::keys::Transient<coded::Coded>,
}

impl ColumnAcc {
    /// `frequent`: keep a Misra–Gries summary of a string column over the exact-count cap
    /// (for the frequent-values pass; not for identifiers, whose values are never shown).
    fn new(ty: ColumnType, role: Role, frequent: bool) -> Self {
        let kind = match ty {
            ColumnType::Integer | ColumnType::Float => KindAcc::Numeric(MomentsAcc::with_shape()),
            ColumnType::Boolean => KindAcc::Boolean { trues: 0, falses: 0 },
            ColumnType::Date | ColumnType::Datetime => KindAcc::Temporal {
                datetime: ty == ColumnType::Datetime,
                min: None,
                max: None,
                counts: KeyCountsAcc::default(),
            },
            _ => {
                let top = if frequent && ty != ColumnType::Identifier && role != Role::Identifier {
                    TopValuesAcc::frequent()
                } else {
                    TopValuesAcc::default()
                };
                KindAcc::Strings { top, len_min: None, len_max: 0, len_sum: 0 }
            }
        };
        ColumnAcc {
            missing: 0,
            missing_by: Vec::new(),
            invalid: 0,
            valid: 0,
            distinct: DistinctAcc::default(),
            kind,
            memo: Memo::default(),
            coded: Default::default(),
        }
    }

    /// Adds a batch's cells of column `c`: a tight loop for the column's own kind of
    /// cell, [`ColumnAcc::update_cell`] for the rest (the same state either way); string
    /// columns from their value codes while they can ([`coded`]).
    fn update(&mut self, c: usize, batch: &Batch, nums: &mut Vec<f64>, ints: &mut Vec<i64>) {
        let cells = batch.column(c);
        match self.kind {
            KindAcc::Numeric(_) => self.update_numbers(cells, batch, nums, ints),
            KindAcc::Strings { .. } => {
                if !self.update_strings_coded(c, cells, batch) {
                    self.update_strings(cells, batch);
                }
            }
            KindAcc::Boolean { .. } | KindAcc::Temporal { .. } => {
                for cell in cells {
                    match *cell {
                        Cell::Bool(b) => {
                            self.valid += 1;
                            let v = i64::from(b);
                            self.memo.insert_number(&mut self.distinct, v as u64, false, || hash_i64(v));
                            if let KindAcc::Boolean { trues, falses } = &mut self.kind {
                                *if b { trues } else { falses } += 1;
                            }
                        }
                        Cell::Date(v) | Cell::Datetime(v) => {
                            self.valid += 1;
                            // Keyed like integers: the same key, the same hash (`hash_i64`).
                            self.memo.insert_number(&mut self.distinct, v as u64, false, || hash_i64(v));
                            if let KindAcc::Temporal { min, max, .. } = &mut self.kind {
                                *min = Some(min.map_or(v, |m| m.min(v)));
                                *max = Some(max.map_or(v, |m| m.max(v)));
                            }
                        }
                        _ => self.update_cell(cell, batch),
                    }
                }
                if let KindAcc::Temporal { counts, .. } = &mut self.kind {
                    counts.add_all(cells.iter().filter_map(|c| match *c {
                        Cell::Date(v) | Cell::Datetime(v) => Some(v),
                        _ => None,
                    }));
                }
            }
        }
    }

    /// Integers and floats are gathered apart: [`MomentsAcc::update_ints`] sums small
    /// integers in integer arithmetic (the same state as their doubles would give).
    fn update_numbers(&mut self, cells: &[Cell], batch: &Batch, nums: &mut Vec<f64>, ints: &mut Vec<i64>) {
        nums.clear();
        ints.clear();
        for cell in cells {
            match *cell {
                Cell::Int(v) => {
                    ints.push(v);
                    self.memo.insert_number(&mut self.distinct, v as u64, false, || hash_i64(v));
                }
                Cell::Float(v) => {
                    nums.push(v);
                    self.memo.insert_number(&mut self.distinct, v.to_bits(), true, || hash_f64(v));
                }
                _ => {
                    self.update_cell(cell, batch);
                    continue;
                }
            }
            self.valid += 1;
        }
        if let KindAcc::Numeric(m) = &mut self.kind {
            m.update_slice(nums);
            m.update_ints(ints);
        }
    }

    fn update_strings(&mut self, cells: &[Cell], batch: &Batch) {
        let KindAcc::Strings { top, len_min, len_max, len_sum } = &mut self.kind else { return };
        let mut rest = Vec::new();
        let (mut lo, mut hi, mut sum, mut n) = (u64::MAX, 0u64, 0u64, 0u64);
        for cell in cells {
            match *cell {
                Cell::Text(span) => {
                    let s = batch.text(span);
                    let chars = char_count(s);
                    lo = lo.min(chars);
                    hi = hi.max(chars);
                    sum += chars;
                    n += 1;
                    self.memo.count(&mut self.distinct, top, hash_str(s), s);
                }
                Cell::Missing(code) => count_missing(&mut self.missing, &mut self.missing_by, code),
                Cell::Invalid(_) => self.invalid += 1,
                other => rest.push(other),
            }
        }
        self.memo.flush(top);
        if n > 0 {
            self.valid += n;
            *len_min = Some(len_min.map_or(lo, |m| m.min(lo)));
            *len_max = (*len_max).max(hi);
            *len_sum += sum;
        }
        for cell in &rest {
            self.update_cell(cell, batch);
        }
    }

    /// Adds one cell, whatever its kind.
    fn update_cell(&mut self, cell: &Cell, batch: &Batch) {
        match *cell {
            Cell::Missing(code) => count_missing(&mut self.missing, &mut self.missing_by, code),
            Cell::Invalid(_) => self.invalid += 1,
            Cell::Int(v) => self.number(v as f64, hash_i64(v)),
            Cell::Float(v) => self.number(v, hash_f64(v)),
            Cell::Bool(b) => {
                self.valid += 1;
                self.distinct.insert(hash_i64(i64::from(b)));
                if let KindAcc::Boolean { trues, falses } = &mut self.kind {
                    *if b { trues } else { falses } += 1;
                }
            }
            Cell::Date(v) | Cell::Datetime(v) => {
                self.valid += 1;
                self.distinct.insert(hash_i64(v));
                if let KindAcc::Temporal { min, max, counts, .. } = &mut self.kind {
                    *min = Some(min.map_or(v, |m| m.min(v)));
                    *max = Some(max.map_or(v, |m| m.max(v)));
                    counts.add(v, 1);
                }
            }
            Cell::Text(span) => {
                let s = batch.text(span);
                let h = hash_str(s);
                self.valid += 1;
                self.distinct.insert(h);
                if let KindAcc::Strings { top, len_min, len_max, len_sum } = &mut self.kind {
                    let n = char_count(s);
                    *len_min = Some(len_min.map_or(n, |m| m.min(n)));
                    *len_max = (*len_max).max(n);
                    *len_sum += n;
                    top.add_hashed(h, s);
                }
            }
        }
    }

    #[inline]
    fn number(&mut self, v: f64, h: u64) {
        self.valid += 1;
        self.distinct.insert(h);
        if let KindAcc::Numeric(m) = &mut self.kind {
            m.update(v);
        }
    }

    fn merge(&mut self, other: ColumnAcc) {
        self.missing += other.missing;
        if other.missing_by.len() > self.missing_by.len() {
            self.missing_by.resize(other.missing_by.len(), 0);
        }
        self.missing_by.iter_mut().zip(other.missing_by).for_each(|(a, b)| *a += b);
        self.invalid += other.invalid;
        self.valid += other.valid;
        self.distinct.merge(other.distinct);
        match (&mut self.kind, other.kind) {
            (KindAcc::Numeric(a), KindAcc::Numeric(b)) => a.merge(&b),
            (KindAcc::Boolean { trues, falses }, KindAcc::Boolean { trues: t, falses: f }) => {
                *trues += t;
                *falses += f;
            }
            (KindAcc::Temporal { min, max, counts, .. }, KindAcc::Temporal { min: a, max: b, counts: c, .. }) => {
                *min = [*min, a].into_iter().flatten().min();
                *max = [*max, b].into_iter().flatten().max();
                counts.merge(c);
            }
            (
                KindAcc::Strings { top, len_min, len_max, len_sum },
                KindAcc::Strings { top: t, len_min: a, len_max: b, len_sum: s },
            ) => {
                top.merge(t);
                *len_min = [*len_min, a].into_iter().flatten().min();
                *len_max = (*len_max).max(b);
                *len_sum += s;
            }
            // Same spec fingerprint means same column types, so kinds always match.
            _ => {}
        }
    }
}

/// Counts one missing cell with [`Cell::Missing`] code `code`.
#[inline]
fn count_missing(missing: &mut u64, by: &mut Vec<u64>, code: u8) {
    *missing += 1;
    let i = usize::from(code);
    if i >= by.len() {
        by.resize(i + 1, 0);
    }
    by[i] += 1;
}

/// Characters of `s`: its bytes that are not UTF-8 continuation bytes (`10xxxxxx`); an
/// ASCII string (checked a word at a time) has as many as its length.
#[inline]
fn char_count(s: &str) -> u64 {
    if s.is_ascii() {
        return s.len() as u64;
    }
    s.bytes().filter(|&b| (b & 0xC0) != 0x80).count() as u64
}

/// Mutable profile of every column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileAcc {
    rows: u64,
    columns: Vec<ColumnAcc>,
    /// The spec's missing tokens ([`crate::ingest::value::MissingTokens::tokens`]), to
    /// name the missing counts by token.
    #[serde(default)]
    tokens: Vec<String>,
}

impl ProfileAcc {
    /// An empty profile for the columns of `spec`.
    pub fn new(spec: &ValidSpec) -> Self {
        let frequent = spec.resolved.profile.quantile_passes;
        ProfileAcc {
            rows: 0,
            columns: spec.columns.iter().map(|c| ColumnAcc::new(c.ty, c.role, frequent)).collect(),
            tokens: spec.missing.tokens().to_vec(),
        }
    }

    /// Per column: valid values and their distinct count, as the finished profile reports
    /// them (both are functions of the file's values only, not of its split).
    pub fn valid_distinct(&self) -> Vec<(u64, Distinct)> {
        self.columns.iter().map(|c| (c.valid, c.distinct.finish())).collect()
    }

    /// The string columns over the exact-count cap, with the candidates of their
    /// Misra–Gries summaries: the probes of the frequent-values pass
    /// ([`crate::quality::frequent_pass`]).
    pub fn frequent_probes(&self) -> Vec<crate::quality::frequent_pass::FrequentProbe> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.kind {
                KindAcc::Strings { top, .. } => top.candidates().map(|hashes| {
                    crate::quality::frequent_pass::FrequentProbe { column: i as u32, valid: c.valid, hashes }
                }),
                _ => None,
            })
            .collect()
    }
}

impl crate::accumulator::Accumulator for ProfileAcc {
    type Output = Vec<ColumnStats>;

    fn update(&mut self, batch: &Batch) {
        self.rows += batch.rows() as u64;
        let (mut nums, mut ints) = (Vec::with_capacity(batch.rows()), Vec::with_capacity(batch.rows()));
        for (c, acc) in self.columns.iter_mut().enumerate() {
            acc.update(c, batch, &mut nums, &mut ints);
        }
    }

    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        if other.columns.len() != self.columns.len() {
            return Err(crate::error::Error::state("profiles have different column counts"));
        }
        self.rows += other.rows;
        for (a, b) in self.columns.iter_mut().zip(other.columns) {
            a.merge(b);
        }
        Ok(())
    }

    fn finish(self) -> Vec<ColumnStats> {
        let rows = self.rows;
        let tokens = self.tokens;
        self.columns.into_iter().map(|c| c.finish(rows, &tokens)).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn char_count_counts_scalar_values() {
        for s in ["", "a", "héllo", "12345678", "123456789", "日本語のテキストです", "🙂🙂 x", "ab\u{7f}\u{80}cd€"]
        {
            assert_eq!(super::char_count(s), s.chars().count() as u64, "{s}");
        }
    }
}
