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

use super::groups::cell_text;
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::fast_hash::MixMap;
use crate::sketch::moments::MomentsAcc;
use crate::spec::{ProxyKind, ProxySpec};
use serde::{Deserialize, Serialize};

/// Distinct (protected value, column value) pairs kept per categorical pair before it is
/// abandoned as too fine.
pub const MAX_PAIRS: usize = 100_000;

/// The counts of one (protected attribute, column) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PairCounts {
    /// Contingency counts (protected value, column value) → rows.
    Categorical {
        /// The counts (empty after an overflow).
        table: MixMap<(String, String), u64>,
        /// More than [`MAX_PAIRS`] distinct pairs.
        overflow: bool,
    },
    /// Moments of the column per protected value.
    Numeric {
        /// Per protected value.
        groups: MixMap<String, MomentsAcc>,
    },
}

/// One (protected attribute, column) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProxyPair {
    /// Protected attribute column.
    pub protected: usize,
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

fn value(batch: &Batch, cell: Option<&Cell>, kind: ProxyKind) -> ProxyValue {
    let Some(cell) = cell else { return ProxyValue::Missing };
    match (kind, *cell) {
        (ProxyKind::Numeric, Cell::Int(v)) => ProxyValue::Number(v as f64),
        (ProxyKind::Numeric, Cell::Float(v)) if !v.is_nan() => ProxyValue::Number(v),
        (ProxyKind::Numeric, _) => ProxyValue::Missing,
        (ProxyKind::Categorical, _) => cell_text(batch, cell).map_or(ProxyValue::Missing, ProxyValue::Level),
    }
}

impl ProxyAcc {
    /// Empty counts for every protected attribute × candidate column.
    pub fn new(protected: &[usize], spec: &ProxySpec) -> Self {
        let pairs = protected
            .iter()
            .flat_map(|&p| {
                spec.columns.iter().map(move |&(column, kind)| ProxyPair {
                    protected: p,
                    column,
                    kind,
                    excluded: 0,
                    counts: match kind {
                        ProxyKind::Categorical => PairCounts::Categorical { table: MixMap::default(), overflow: false },
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
        match (protected, v, &mut pair.counts) {
            (Some(p), ProxyValue::Level(l), PairCounts::Categorical { table, overflow }) => {
                if !*overflow {
                    *table.entry((p.to_owned(), l)).or_default() += 1;
                    if table.len() > MAX_PAIRS {
                        *overflow = true;
                        *table = MixMap::default();
                    }
                }
            }
            (Some(p), ProxyValue::Number(x), PairCounts::Numeric { groups }) => match groups.get_mut(p) {
                Some(m) => m.update(x),
                None => groups.entry(p.to_owned()).or_default().update(x),
            },
            _ => pair.excluded += 1,
        }
    }

    /// Counts a batch.
    pub fn update(&mut self, batch: &Batch) {
        for r in 0..batch.rows() {
            let mut current: Option<(usize, Option<String>)> = None;
            for i in 0..self.pairs.len() {
                let (p, c) = (self.pairs[i].protected, self.pairs[i].column);
                if current.as_ref().is_none_or(|x| x.0 != p) {
                    current = Some((p, batch.column(p).get(r).and_then(|cell| cell_text(batch, cell))));
                }
                let v = value(batch, batch.column(c).get(r), self.pairs[i].kind);
                self.add(i, current.as_ref().and_then(|x| x.1.as_deref()), v);
            }
        }
    }

    /// Merges counts made with the same spec.
    pub fn merge(&mut self, other: ProxyAcc) {
        for (a, b) in self.pairs.iter_mut().zip(other.pairs) {
            a.excluded += b.excluded;
            match (&mut a.counts, b.counts) {
                (PairCounts::Categorical { table, overflow }, PairCounts::Categorical { table: t, overflow: o }) => {
                    if *overflow || o {
                        *overflow = true;
                        *table = MixMap::default();
                        continue;
                    }
                    for (k, n) in t {
                        *table.entry(k).or_default() += n;
                    }
                    if table.len() > MAX_PAIRS {
                        *overflow = true;
                        *table = MixMap::default();
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
