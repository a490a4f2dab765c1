//! Correlations between columns, streaming side: what Pearson's r, Spearman's ρ, the
//! bias-corrected Cramér's V and the correlation ratio η need, kept so that the result does
//! not depend on how the file is split (statistics in [`super::correlation_stats`]).
//!
//! * **Pearson** (numeric pairs, pairwise complete as pandas `df.corr()`): per column the
//!   exact count, sum and sum of squares of its finite values ([`MomentsAcc`]); per pair the
//!   count of rows where both are finite and the exact sum of the exact products
//!   ([`ExactSum::add_product`]); and per ordered pair (i, j) the moments of column i over
//!   rows where i is finite and j is not, which are subtracted to get the pair's sums. All
//!   exact, so order-independent.
//! * **Spearman** needs row-aligned values: the rows (numeric values) whose row hash (XXH3
//!   of the values' bits) is among the `spearman_rows` smallest, ties broken by the values.
//!   That multiset depends only on the multiset of rows, so it is split-independent; when the
//!   file has no more rows it is every row and ρ is exact.
//! * **Cramér's V** (categorical/boolean pairs): contingency counts over at most
//!   `max_levels` levels per column; a column with more distinct values is left out (the
//!   union of the values decides, not the split).
//! * **η** (numeric × categorical): per level the moments of the numeric column.
//!
//! Infinite numbers are treated as missing (pandas would propagate them into NaN).

use crate::accumulator::Accumulator;
use crate::error::Result;
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::exact_sum::ExactSum;
use crate::sketch::fast_hash::MixMap;
use crate::sketch::moments::MomentsAcc;
use crate::spec::CorrSpec;
use serde::{Deserialize, Serialize};

/// Counts and exact product sum of one numeric pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairSums {
    /// Rows where both values are finite.
    pub n: u64,
    /// Σ x·y over those rows (exact).
    pub xy: ExactSum,
}

/// The levels of one categorical column, in first-seen order of this accumulator.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Levels {
    /// Level names by local index.
    pub names: Vec<String>,
    /// More than `max_levels` distinct values: the column is left out.
    pub overflow: bool,
    #[serde(skip)]
    index: MixMap<String, u32>,
}

impl PartialEq for Levels {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names && self.overflow == other.overflow
    }
}

impl Levels {
    fn rebuild(&mut self) {
        self.index = self.names.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect();
    }
    pub(crate) fn get_or_add(&mut self, s: &str, max: usize) -> Option<u32> {
        if self.overflow {
            return None;
        }
        if let Some(&i) = self.index.get(s) {
            return Some(i);
        }
        if self.index.len() != self.names.len() {
            self.rebuild();
            if let Some(&i) = self.index.get(s) {
                return Some(i);
            }
        }
        if self.names.len() >= max {
            self.overflow = true;
            return None;
        }
        self.names.push(s.to_owned());
        self.index.insert(s.to_owned(), (self.names.len() - 1) as u32);
        Some((self.names.len() - 1) as u32)
    }
}

/// The correlation accumulator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrelationAcc {
    /// The settings.
    pub spec: CorrSpec,
    /// Rows seen.
    pub rows: u64,
    /// Moments of each numeric column's finite values.
    pub columns: Vec<MomentsAcc>,
    /// Per unordered numeric pair (i < j, row-major).
    pub pairs: Vec<PairSums>,
    /// Per ordered numeric pair (i, j), i ≠ j: moments of column i where j is not finite
    /// (empty until used).
    pub absent: Vec<MomentsAcc>,
    /// Levels of each categorical column.
    pub levels: Vec<Levels>,
    /// Per unordered categorical pair (a < b): counts `[la · max_levels + lb]` (empty until used).
    pub tables: Vec<Vec<u64>>,
    /// Per (numeric i, categorical c): moments of i per level of c (empty until used).
    pub eta: Vec<Vec<MomentsAcc>>,
    /// Spearman's sample: (row hash, numeric values with NaN for absent), unsorted.
    pub sample: Vec<(u64, Vec<f64>)>,
    /// Rows with a hash above this are not kept (set once the sample is full).
    pub cut: Option<u64>,
}

/// Index of the unordered pair (i < j) among `n` items, row-major.
pub fn pair_index(i: usize, j: usize, n: usize) -> usize {
    i * n - i * (i + 1) / 2 + (j - i - 1)
}

fn number(c: &Cell) -> f64 {
    match *c {
        Cell::Int(v) => v as f64,
        Cell::Float(v) if v.is_finite() => v,
        _ => f64::NAN,
    }
}

fn sample_order(a: &(u64, Vec<f64>), b: &(u64, Vec<f64>)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then_with(|| {
        let key = |v: &[f64]| v.iter().map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() }).collect::<Vec<_>>();
        key(&a.1).cmp(&key(&b.1))
    })
}

impl CorrelationAcc {
    /// An empty accumulator.
    pub fn new(spec: &CorrSpec) -> Self {
        let (p, c) = (spec.numeric.len(), spec.categorical.len());
        CorrelationAcc {
            spec: spec.clone(),
            rows: 0,
            columns: vec![MomentsAcc::new(); p],
            pairs: vec![PairSums::default(); p * p.saturating_sub(1) / 2],
            absent: vec![MomentsAcc::new(); p * p],
            levels: vec![Levels::default(); c],
            tables: vec![Vec::new(); c * c.saturating_sub(1) / 2],
            eta: vec![Vec::new(); p * c],
            sample: Vec::new(),
            cut: None,
        }
    }

    /// Vector sizes match the settings (a state read from bytes could be corrupted).
    fn well_formed(&self) -> bool {
        let (p, c) = (self.spec.numeric.len(), self.spec.categorical.len());
        self.columns.len() == p
            && self.pairs.len() == p * p.saturating_sub(1) / 2
            && self.absent.len() == p * p
            && self.levels.len() == c
            && self.tables.len() == c * c.saturating_sub(1) / 2
            && self.tables.iter().all(|t| t.is_empty() || t.len() == self.spec.max_levels * self.spec.max_levels)
            && self.eta.len() == p * c
            && self.sample.iter().all(|r| r.1.len() == p)
    }

    /// Keeps the `spearman_rows` smallest sample entries (a function of the multiset).
    fn compact(&mut self) {
        let k = self.spec.spearman_rows;
        if self.sample.len() <= k {
            return;
        }
        self.sample.sort_unstable_by(sample_order);
        self.sample.truncate(k);
        self.cut = self.sample.last().map(|e| e.0);
    }

    /// The sample in its canonical order (smallest hashes first), at most `spearman_rows`.
    pub fn sorted_sample(&self) -> Vec<&(u64, Vec<f64>)> {
        let mut v: Vec<_> = self.sample.iter().collect();
        v.sort_unstable_by(|a, b| sample_order(a, b));
        v.truncate(self.spec.spearman_rows);
        v
    }

    fn update_numeric(&mut self, x: &[Vec<f64>], rows: usize) {
        let p = x.len();
        let mut buf = Vec::with_capacity(rows);
        for (i, xi) in x.iter().enumerate() {
            buf.clear();
            buf.extend(xi.iter().copied().filter(|v| !v.is_nan()));
            self.columns[i].update_slice(&buf);
        }
        for i in 0..p {
            for j in (i + 1)..p {
                let s = &mut self.pairs[pair_index(i, j, p)];
                for (a, b) in x[i].iter().zip(&x[j]) {
                    if !a.is_nan() && !b.is_nan() {
                        s.n += 1;
                        s.xy.add_product(*a, *b);
                    }
                }
            }
        }
        let has_gap: Vec<bool> = x.iter().map(|c| c.iter().any(|v| v.is_nan())).collect();
        for j in (0..p).filter(|&j| has_gap[j]) {
            for i in (0..p).filter(|&i| i != j) {
                buf.clear();
                buf.extend(x[i].iter().zip(&x[j]).filter(|(a, b)| !a.is_nan() && b.is_nan()).map(|(a, _)| *a));
                if !buf.is_empty() {
                    self.absent[i * p + j].update_slice(&buf);
                }
            }
        }
        // Spearman's sample.
        let mut bytes = Vec::with_capacity(8 * p);
        for r in 0..rows {
            bytes.clear();
            for xi in x {
                let v = xi[r];
                bytes.extend_from_slice(&if v.is_nan() { u64::MAX } else { v.to_bits() }.to_le_bytes());
            }
            let h = xxhash_rust::xxh3::xxh3_64(&bytes);
            if self.cut.is_some_and(|c| h > c) {
                continue;
            }
            self.sample.push((h, x.iter().map(|xi| xi[r]).collect()));
            if self.sample.len() >= 2 * self.spec.spearman_rows {
                self.compact();
            }
        }
    }

    fn update_categorical(&mut self, batch: &Batch, x: &[Vec<f64>], rows: usize) {
        let (c, max) = (self.spec.categorical.len(), self.spec.max_levels);
        let mut codes: Vec<Vec<Option<u32>>> = Vec::with_capacity(c);
        for (k, &col) in self.spec.categorical.iter().enumerate() {
            let lv = &mut self.levels[k];
            codes.push(
                batch
                    .column(col)
                    .iter()
                    .map(|cell| match *cell {
                        Cell::Text(s) => lv.get_or_add(batch.text(s), max),
                        Cell::Bool(b) => lv.get_or_add(if b { "true" } else { "false" }, max),
                        _ => None,
                    })
                    .collect(),
            );
        }
        for a in 0..c {
            for b in (a + 1)..c {
                if self.levels[a].overflow || self.levels[b].overflow {
                    continue;
                }
                let t = &mut self.tables[pair_index(a, b, c)];
                for (la, lb) in codes[a].iter().zip(&codes[b]) {
                    if let (Some(la), Some(lb)) = (la, lb) {
                        if t.is_empty() {
                            t.resize(max * max, 0);
                        }
                        t[*la as usize * max + *lb as usize] += 1;
                    }
                }
            }
        }
        let mut buf = Vec::with_capacity(rows);
        let mut by_level: Vec<Vec<usize>> = Vec::new();
        for (k, code) in codes.iter().enumerate() {
            if self.levels[k].overflow {
                continue;
            }
            let nlev = self.levels[k].names.len();
            by_level.iter_mut().for_each(Vec::clear);
            by_level.resize(nlev.max(by_level.len()), Vec::new());
            for (r, cd) in code.iter().enumerate() {
                if let Some(l) = cd {
                    by_level[*l as usize].push(r);
                }
            }
            for (i, xi) in x.iter().enumerate() {
                let groups = &mut self.eta[i * c + k];
                if groups.len() < nlev {
                    groups.resize(nlev, MomentsAcc::new());
                }
                for (g, rs) in groups.iter_mut().zip(&by_level) {
                    buf.clear();
                    buf.extend(rs.iter().map(|&r| xi[r]).filter(|v| !v.is_nan()));
                    if !buf.is_empty() {
                        g.update_slice(&buf);
                    }
                }
            }
        }
    }
}

impl Accumulator for CorrelationAcc {
    type Output = super::correlation_stats::CorrelationReport;

    fn update(&mut self, batch: &Batch) {
        let rows = batch.rows();
        self.rows += rows as u64;
        let x: Vec<Vec<f64>> =
            self.spec.numeric.iter().map(|&c| batch.column(c).iter().map(number).collect()).collect();
        if !x.is_empty() {
            self.update_numeric(&x, rows);
        }
        if !self.spec.categorical.is_empty() {
            self.update_categorical(batch, &x, rows);
        }
    }

    fn merge(&mut self, mut other: Self) -> Result<()> {
        if self.spec != other.spec || !self.well_formed() || !other.well_formed() {
            return Err(crate::error::Error::state("the correlation states have different settings"));
        }
        self.rows += other.rows;
        for (a, b) in self.columns.iter_mut().zip(&other.columns) {
            a.merge(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            a.n += b.n;
            a.xy.merge(&b.xy);
        }
        for (a, b) in self.absent.iter_mut().zip(&other.absent) {
            a.merge(b);
        }
        let (c, max) = (self.spec.categorical.len(), self.spec.max_levels);
        // Other's local level indices → ours (None when a column overflows).
        let mut remap: Vec<Vec<Option<u32>>> = Vec::with_capacity(c);
        for (mine, theirs) in self.levels.iter_mut().zip(&mut other.levels) {
            if theirs.overflow {
                mine.overflow = true;
            }
            remap.push(theirs.names.iter().map(|n| mine.get_or_add(n, max)).collect());
        }
        for a in 0..c {
            for b in (a + 1)..c {
                let k = pair_index(a, b, c);
                if self.levels[a].overflow || self.levels[b].overflow {
                    self.tables[k] = Vec::new();
                    continue;
                }
                let theirs = std::mem::take(&mut other.tables[k]);
                for (cell, &n) in theirs.iter().enumerate().filter(|(_, n)| **n > 0) {
                    let la = remap.get(a).and_then(|r| r.get(cell / max)).copied().flatten();
                    let lb = remap.get(b).and_then(|r| r.get(cell % max)).copied().flatten();
                    if let (Some(la), Some(lb)) = (la, lb) {
                        let t = &mut self.tables[k];
                        if t.is_empty() {
                            t.resize(max * max, 0);
                        }
                        t[la as usize * max + lb as usize] += n;
                    }
                }
            }
        }
        for (slot, theirs) in other.eta.iter_mut().enumerate() {
            let k = slot % c.max(1);
            if self.levels.get(k).is_none_or(|l| l.overflow) {
                self.eta[slot] = Vec::new();
                continue;
            }
            for (l, g) in std::mem::take(theirs).into_iter().enumerate() {
                if let Some(Some(to)) = remap[k].get(l) {
                    let mine = &mut self.eta[slot];
                    if mine.len() <= *to as usize {
                        mine.resize(*to as usize + 1, MomentsAcc::new());
                    }
                    mine[*to as usize].merge(&g);
                }
            }
        }
        self.sample.append(&mut other.sample);
        self.cut = match (self.cut, other.cut) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.sample.retain(|e| self.cut.is_none_or(|c| e.0 <= c));
        self.compact();
        Ok(())
    }

    fn finish(self) -> Self::Output {
        super::correlation_stats::finish(&self)
    }
}
