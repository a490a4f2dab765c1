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
//! **Columns, not cells.** A batch is read pair by pair: the protected level of every row
//! is a key id ([`TupleKeys`], one per protected attribute or intersection, shared by its
//! pairs), the column's value a code; each pair maps them to its own indices once per
//! distinct value ([`CodeSlots`]) and counts a row with one integer-keyed lookup
//! ([`table::Contingency`]). Numeric pairs gather each level's values and add them with
//! [`MomentsAcc::update_slice`] (the same exact sums as value by value).

mod numeric;
pub mod table;

use super::groups::cell_text;
use crate::ingest::batch::Batch;
use crate::ingest::dict::{NO_VALUE, UNCODED};
use crate::ingest::keys::{CodeSlots, Transient, TupleKeys, NO_SLOT};
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

/// A pair's caches (see the module docs).
#[derive(Clone, Debug, Default)]
struct PairCache {
    /// Key id of the protected keys → level index ([`EXCLUDED`] for a row left out).
    levels: CodeSlots,
    /// The column's code → value index.
    values: CodeSlots,
    /// Numeric pairs: per level index, this batch's values.
    numbers: numeric::Gather,
}

/// A level slot of a row whose protected value is missing.
const EXCLUDED: u32 = u32::MAX - 1;

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
    /// Key ids of the protected levels, one per distinct protected set (a cache).
    #[serde(skip)]
    keys: Transient<Vec<TupleKeys>>,
}

/// The protected level of a key's texts: the value, or the values of an intersection
/// joined by [`LEVEL_SEPARATOR`]; None when any is missing.
fn level_text(texts: &[Option<String>]) -> Option<String> {
    let mut out = String::new();
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            out.push(LEVEL_SEPARATOR);
        }
        out.push_str(t.as_deref()?);
    }
    Some(out)
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

    fn overflowed(&self) -> bool {
        matches!(self, PairCounts::Categorical { overflow: true, .. })
    }
}

impl ProxyPair {
    /// Counts a batch whose protected key ids are in `keys`.
    fn update(&mut self, batch: &Batch, keys: &TupleKeys) {
        let c = &mut self.cache.0;
        c.levels.sync(keys.generation());
        c.values.sync(batch.dict_id(self.column));
        let ids = keys.ids();
        let cells = batch.column(self.column);
        match self.kind {
            ProxyKind::Categorical => {
                let codes = batch.codes(self.column);
                for (r, &id) in ids.iter().enumerate() {
                    let code = codes.get(r).copied().unwrap_or(NO_VALUE);
                    if self.counts.overflowed() {
                        // Counted as `add_level` would, without the value's text.
                        let known = code != NO_VALUE && keys.texts(id).iter().all(Option::is_some);
                        self.excluded += u64::from(!known);
                        continue;
                    }
                    let level = if code == NO_VALUE { EXCLUDED } else { level_slot(c, &mut self.counts, keys, id) };
                    if level == EXCLUDED {
                        self.excluded += 1;
                        continue;
                    }
                    let mut value = c.values.get(code);
                    if value == NO_SLOT {
                        let PairCounts::Categorical { table, .. } = &mut self.counts else { return };
                        let text = cells.get(r).and_then(|cell| cell_text(batch, cell)).unwrap_or_default();
                        value = table.value(&text);
                        if code != UNCODED {
                            c.values.set(code, value);
                        }
                    }
                    self.counts.add_cell(level, value);
                    if self.counts.overflowed() {
                        c.levels.forget();
                        c.values.forget();
                    }
                }
            }
            ProxyKind::Numeric => {
                c.numbers.clear();
                for (r, &id) in ids.iter().enumerate() {
                    let x = cells.get(r).and_then(numeric::number);
                    let level = if x.is_none() { EXCLUDED } else { level_slot(c, &mut self.counts, keys, id) };
                    match x {
                        Some(x) if level != EXCLUDED => c.numbers.push(level, x),
                        _ => self.excluded += 1,
                    }
                }
                if let PairCounts::Numeric { groups } = &mut self.counts {
                    c.numbers.flush(groups);
                }
            }
        }
    }
}

/// The level index of key id `id` in a pair's counts ([`EXCLUDED`] when a protected
/// value is missing), made when new.
fn level_slot(c: &mut PairCache, counts: &mut PairCounts, keys: &TupleKeys, id: u32) -> u32 {
    let slot = c.levels.get(id);
    if slot != NO_SLOT {
        return slot;
    }
    let slot = match (level_text(keys.texts(id)), counts) {
        (None, _) => EXCLUDED,
        (Some(t), PairCounts::Categorical { table, .. }) => table.level(&t),
        (Some(t), PairCounts::Numeric { groups }) => {
            let e = groups.entry(t);
            let i = e.index();
            e.or_default();
            i as u32
        }
    };
    c.levels.set(id, slot);
    slot
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
        Self { pairs, keys: Transient::default() }
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
        let keys = &mut self.keys.0;
        let mut read: Vec<bool> = vec![false; keys.len()];
        for pair in &mut self.pairs {
            let k = match keys.iter().position(|k| k.columns() == pair.protected.as_slice()) {
                Some(k) => k,
                None => {
                    keys.push(TupleKeys::new(&pair.protected));
                    read.push(false);
                    keys.len() - 1
                }
            };
            if !std::mem::replace(&mut read[k], true) {
                keys[k].read(batch);
            }
            pair.update(batch, &keys[k]);
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
