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
//!
//! **Columns, not cells** (`proxy/batch.rs`): a batch is read column by column, from value codes
//! and key ids over all the protected columns at once, never from formatted text.

mod batch;
pub mod table;
mod tally;

use crate::ingest::keys::{CodeSlots, Transient};
use crate::sketch::fast_hash::MixBuild;
use crate::sketch::moments::MomentsAcc;
use crate::spec::{ProxyKind, ProxySpec};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use table::Contingency;

/// Distinct (protected value, column value) pairs kept per categorical pair before it is
/// abandoned as too fine.
pub const MAX_PAIRS: usize = 100_000;

/// The counts of one (protected attribute, column) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PairCounts {
    /// Contingency counts (protected value, column value) → rows.
    Categorical {
        /// The counts, protected value → column value → rows (empty after an overflow).
        table: Contingency,
        /// Distinct (protected value, column value) pairs in the table.
        pairs: usize,
        /// More than [`MAX_PAIRS`] distinct pairs.
        overflow: bool,
    },
    /// Moments of the column per protected value.
    Numeric {
        /// Per protected value (in insertion order: slots stay valid while counting).
        groups: IndexMap<String, MomentsAcc, MixBuild>,
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
    /// Key ids → protected level slots, codes → value slots, and scratch.
    #[serde(skip)]
    cache: Transient<PairCache>,
}

/// A pair's caches (see [`batch`]).
#[derive(Clone, Debug, Default)]
struct PairCache {
    /// Positions of the pair's protected columns among all the protected columns.
    positions: Vec<usize>,
    /// Key id of all the protected columns → level index ([`batch::EXCLUDED`] for a row
    /// left out).
    levels: CodeSlots,
    /// The column's code → value index.
    values: CodeSlots,
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
    /// Key ids over every protected column, and per-batch sums (a cache).
    #[serde(skip)]
    shared: Transient<Box<batch::Shared>>,
}

impl PairCounts {
    /// Counts a pair of texts (false when the pair is not categorical).
    fn add_level(&mut self, p: &str, l: &str) -> bool {
        let PairCounts::Categorical { table, .. } = self else { return false };
        let (p, l) = (table.level(p), table.value(l));
        self.add_cell(p, l)
    }

    /// Counts a pair of indices into the table (false when the pair is not categorical).
    #[inline]
    fn add_cell(&mut self, p: u32, l: u32) -> bool {
        let PairCounts::Categorical { table, pairs, overflow } = self else { return false };
        if *overflow {
            return true;
        }
        if table.add(p, l, 1) {
            *pairs = table.pairs();
            if *pairs > MAX_PAIRS {
                *overflow = true;
                *table = Contingency::default();
                *pairs = 0;
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
                            PairCounts::Categorical { table: Contingency::default(), pairs: 0, overflow: false }
                        }
                        ProxyKind::Numeric => PairCounts::Numeric { groups: IndexMap::default() },
                    },
                    cache: Transient::default(),
                })
            })
            .collect();
        Self { pairs, shared: Transient::default() }
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

    /// Merges counts made with the same spec.
    pub fn merge(&mut self, other: ProxyAcc) {
        for (a, b) in self.pairs.iter_mut().zip(other.pairs) {
            a.excluded += b.excluded;
            match (&mut a.counts, b.counts) {
                (
                    PairCounts::Categorical { table, pairs, overflow },
                    PairCounts::Categorical { table: t, overflow: o, .. },
                ) => {
                    a.cache.0 = PairCache::default();
                    if *overflow || o {
                        *overflow = true;
                        *table = Contingency::default();
                        *pairs = 0;
                        continue;
                    }
                    table.merge(&t);
                    *pairs = table.pairs();
                    if *pairs > MAX_PAIRS {
                        *overflow = true;
                        *table = Contingency::default();
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
