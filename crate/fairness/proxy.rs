//! Proxy detection, streaming side: for each protected attribute and each candidate column
//! ([`crate::spec::ProxySpec`]), the counts its association needs.
//!
//! * **Categorical** columns: the contingency counts (protected value, column value) → rows.
//!   Exact up to [`MAX_PAIRS`] distinct pairs; past that the pair is abandoned
//!   (deterministically: it depends only on the union of the pairs seen) and says so.
//!   Levels are capped at the end ([`super::proxy_stats`]), not here, so the cap does not
//!   depend on the split.
//! * **Numeric** columns: per protected value, exact moments ([`MomentsAcc`]: count, exact
//!   sum and sum of squares), so η is bit-identical under any split and merge order.
//!
//! A row counts for a pair when both its protected value and the column's value are known;
//! otherwise it is counted as excluded. Unknown protected values are not a level here.
//!
//! **Intersections.** When the bias audit builds the intersection of the protected
//! attributes (race × sex), proxy detection treats it as one more protected attribute: its
//! level is the row's values joined by U+001F (a row with any value missing is left out),
//! and the same level cap and pair cap apply.

use super::groups::cell_text;
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::fast_hash::MixMap;
use crate::sketch::moments::MomentsAcc;
use crate::spec::{ProxyKind, ProxySpec};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Distinct (protected value, column value) pairs kept per categorical pair before it is
/// abandoned as too fine.
pub const MAX_PAIRS: usize = 100_000;

/// The counts of one (protected attribute, column) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PairCounts {
    /// Contingency counts (protected value, column value) → rows.
    Categorical {
        /// The counts, protected value → column value → rows (empty after an overflow).
        table: MixMap<String, MixMap<String, u64>>,
        /// Distinct (protected value, column value) pairs in the table.
        pairs: usize,
        /// More than [`MAX_PAIRS`] distinct pairs.
        overflow: bool,
    },
    /// Moments of the column per protected value.
    Numeric {
        /// Per protected value.
        groups: MixMap<String, MomentsAcc>,
    },
}

/// Joins the values of an intersection into one level.
pub const LEVEL_SEPARATOR: char = '\u{1f}';

/// One (protected attribute, column) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProxyPair {
    /// Protected attribute columns: one, or several for an intersection.
    pub protected: Vec<usize>,
    /// Candidate column.
    pub column: usize,
    /// How the column is read.
    pub kind: ProxyKind,
    /// Rows left out: protected value or column value missing (or not a number).
    pub excluded: u64,
    /// The counts.
    pub counts: PairCounts,
}

/// A value of a candidate column, as proxy detection reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum ProxyValue {
    /// A categorical level.
    Level(String),
    /// A number (NaN is missing; infinities are counted by the moments and left out).
    Number(f64),
    /// Missing or unusable.
    Missing,
}

/// The proxy counts of a bias audit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxyAcc {
    /// One per (protected attribute, candidate column), protected-major.
    pub pairs: Vec<ProxyPair>,
}

/// The text of a cell without copying text cells (`None` when missing or invalid).
fn cell_str<'b>(batch: &'b Batch, cell: &Cell) -> Option<Cow<'b, str>> {
    match *cell {
        Cell::Text(s) => Some(Cow::Borrowed(batch.text(s))),
        _ => cell_text(batch, cell).map(Cow::Owned),
    }
}

fn number(cell: Option<&Cell>) -> Option<f64> {
    match *cell? {
        Cell::Int(v) => Some(v as f64),
        Cell::Float(v) if !v.is_nan() => Some(v),
        _ => None,
    }
}

/// The protected level of row `r`: the value, or the values of an intersection joined by
/// [`LEVEL_SEPARATOR`]; None when any is missing.
fn protected_level<'b>(batch: &'b Batch, r: usize, columns: &[usize]) -> Option<Cow<'b, str>> {
    let value = |c: usize| batch.column(c).get(r).and_then(|cell| cell_str(batch, cell));
    match columns {
        [c] => value(*c),
        _ => {
            let mut out = String::new();
            for (i, &c) in columns.iter().enumerate() {
                if i > 0 {
                    out.push(LEVEL_SEPARATOR);
                }
                out.push_str(&value(c)?);
            }
            Some(Cow::Owned(out))
        }
    }
}

impl PairCounts {
    fn add_level(&mut self, p: &str, l: &str) -> bool {
        let PairCounts::Categorical { table, pairs, overflow } = self else { return false };
        if *overflow {
            return true;
        }
        let row = match table.get_mut(p) {
            Some(row) => row,
            None => table.entry(p.to_owned()).or_default(),
        };
        match row.get_mut(l) {
            Some(n) => *n += 1,
            None => {
                row.insert(l.to_owned(), 1);
                *pairs += 1;
                if *pairs > MAX_PAIRS {
                    *overflow = true;
                    *table = MixMap::default();
                    *pairs = 0;
                }
            }
        }
        true
    }

    fn add_number(&mut self, p: &str, x: f64) -> bool {
        let PairCounts::Numeric { groups } = self else { return false };
        match groups.get_mut(p) {
            Some(m) => m.update(x),
            None => groups.entry(p.to_owned()).or_default().update(x),
        }
        true
    }
}

impl ProxyAcc {
    /// Empty counts for every protected attribute (each breakdown: one attribute or an
    /// intersection) × candidate column.
    pub fn new(breakdowns: &[Vec<usize>], spec: &ProxySpec) -> Self {
        let pairs = breakdowns
            .iter()
            .flat_map(|p| {
                spec.columns.iter().map(move |&(column, kind)| ProxyPair {
                    protected: p.clone(),
                    column,
                    kind,
                    excluded: 0,
                    counts: match kind {
                        ProxyKind::Categorical => {
                            PairCounts::Categorical { table: MixMap::default(), pairs: 0, overflow: false }
                        }
                        ProxyKind::Numeric => PairCounts::Numeric { groups: MixMap::default() },
                    },
                })
            })
            .collect();
        Self { pairs }
    }

    /// Adds one row to pair `i`.
    pub fn add(&mut self, i: usize, protected: Option<&str>, v: ProxyValue) {
        let Some(pair) = self.pairs.get_mut(i) else { return };
        let counted = match (protected, v) {
            (Some(p), ProxyValue::Level(l)) => pair.counts.add_level(p, &l),
            (Some(p), ProxyValue::Number(x)) => pair.counts.add_number(p, x),
            _ => false,
        };
        pair.excluded += u64::from(!counted);
    }

    /// Counts a batch.
    pub fn update(&mut self, batch: &Batch) {
        for r in 0..batch.rows() {
            let mut current: Option<(&[usize], Option<Cow<'_, str>>)> = None;
            for pair in &mut self.pairs {
                if current.as_ref().is_none_or(|x| x.0 != pair.protected.as_slice()) {
                    current = Some((&pair.protected, protected_level(batch, r, &pair.protected)));
                }
                let p = current.as_ref().and_then(|x| x.1.as_deref());
                let cell = batch.column(pair.column).get(r);
                let counted = match (p, pair.kind) {
                    (None, _) => false,
                    // An abandoned table counts the row as `add_level` would, without
                    // formatting the value (numbers would be printed for nothing).
                    (Some(_), ProxyKind::Categorical)
                        if matches!(pair.counts, PairCounts::Categorical { overflow: true, .. }) =>
                    {
                        cell.is_some_and(|c| !matches!(c, Cell::Missing(_) | Cell::Invalid(_)))
                    }
                    (Some(p), ProxyKind::Categorical) => match cell.and_then(|c| cell_str(batch, c)) {
                        Some(l) => pair.counts.add_level(p, &l),
                        None => false,
                    },
                    (Some(p), ProxyKind::Numeric) => match number(cell) {
                        Some(x) => pair.counts.add_number(p, x),
                        None => false,
                    },
                };
                pair.excluded += u64::from(!counted);
            }
        }
    }

    /// Merges counts made with the same spec.
    pub fn merge(&mut self, other: ProxyAcc) {
        for (a, b) in self.pairs.iter_mut().zip(other.pairs) {
            a.excluded += b.excluded;
            match (&mut a.counts, b.counts) {
                (
                    PairCounts::Categorical { table, pairs, overflow },
                    PairCounts::Categorical { table: t, overflow: o, .. },
                ) => {
                    if *overflow || o {
                        *overflow = true;
                        *table = MixMap::default();
                        *pairs = 0;
                        continue;
                    }
                    for (p, row) in t {
                        let mine = table.entry(p).or_default();
                        for (l, n) in row {
                            let e = mine.entry(l).or_default();
                            *pairs += usize::from(*e == 0);
                            *e += n;
                        }
                    }
                    if *pairs > MAX_PAIRS {
                        *overflow = true;
                        *table = MixMap::default();
                        *pairs = 0;
                    }
                }
                (PairCounts::Numeric { groups }, PairCounts::Numeric { groups: g }) => {
                    for (k, m) in g {
                        groups.entry(k).or_default().merge(&m);
                    }
                }
                _ => {}
            }
        }
    }
}
