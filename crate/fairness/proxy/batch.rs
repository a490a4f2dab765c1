//! Proxy detection, batch side: counting a batch column-wise from value codes.
//!
//! Every row gets one key id over *all* the protected columns of the audit at once
//! ([`TupleKeys`]; sex × race, missing values included), and each pair maps a key id to
//! its own protected level once — the projection of the key onto the pair's attributes
//! (sex, race, or sex × race), or "left out" when one of them is missing. The column's
//! value is a code, mapped to the pair's value index once.
//!
//! * **Categorical** pairs add a row to their [`Contingency`] by index.
//! * **Numeric** pairs of one column share one pass over its values: each key id's values
//!   are summed once per batch ([`MomentSums`]), and each pair adds those sums to the
//!   moments of the key's level — three groups' moments from one pass for sex, race and
//!   sex × race. The sums are exact, so the moments are the same as value by value.

use super::table::Contingency;
use super::{PairCounts, ProxyAcc, ProxyPair, MAX_PAIRS};
use crate::fairness::groups::cell_text;
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::{NO_VALUE, UNCODED};
use crate::ingest::keys::{TupleKeys, NO_SLOT};
use crate::sketch::moment_sums::MomentSums;
use crate::spec::ProxyKind;

/// A level slot of a row whose protected value is missing.
pub(super) const EXCLUDED: u32 = u32::MAX - 1;

/// The batch-side state shared by the pairs (a cache).
#[derive(Clone, Debug, Default)]
pub(super) struct Shared {
    /// Every protected column, in order of first appearance in the pairs.
    columns: Vec<usize>,
    keys: TupleKeys,
    /// Per key id: its index in `sums` during a batch, or [`NO_SLOT`].
    local: Vec<u32>,
    /// Key ids with values in this batch, and their sums.
    touched: Vec<u32>,
    sums: Vec<MomentSums>,
}

/// The number proxy detection reads from a cell (NaN is missing; infinities are counted by
/// the moments and left out of η).
fn number(cell: &Cell) -> Option<f64> {
    match *cell {
        Cell::Int(v) => Some(v as f64),
        Cell::Float(v) if !v.is_nan() => Some(v),
        _ => None,
    }
}

/// The protected level of key texts `texts` seen through `positions` (the pair's columns):
/// the value, or the values of an intersection joined by [`super::LEVEL_SEPARATOR`]; None
/// when any is missing.
fn level_text(texts: &[Option<String>], positions: &[usize]) -> Option<String> {
    let mut out = String::new();
    for (i, &p) in positions.iter().enumerate() {
        if i > 0 {
            out.push(super::LEVEL_SEPARATOR);
        }
        out.push_str(texts.get(p)?.as_deref()?);
    }
    Some(out)
}

impl Shared {
    /// Sums the values of `column` per key id; returns the rows without a number.
    fn sum(&mut self, batch: &Batch, column: usize) -> u64 {
        for &id in &self.touched {
            self.local[id as usize] = NO_SLOT;
        }
        self.touched.clear();
        self.local.resize(self.keys.len(), NO_SLOT);
        let mut none = 0;
        let cells = batch.column(column);
        for (r, &id) in self.keys.ids().iter().enumerate() {
            let Some(x) = cells.get(r).and_then(number) else {
                none += 1;
                continue;
            };
            let mut k = self.local[id as usize];
            if k == NO_SLOT {
                k = self.touched.len() as u32;
                self.local[id as usize] = k;
                self.touched.push(id);
                if self.sums.len() <= k as usize {
                    self.sums.push(MomentSums::default());
                } else {
                    self.sums[k as usize].clear();
                }
            }
            self.sums[k as usize].add(x);
        }
        none
    }
}

impl ProxyAcc {
    /// Counts a batch.
    pub fn update(&mut self, batch: &Batch) {
        let sh = &mut *self.shared.0;
        if sh.keys.columns().is_empty() {
            // New, or decoded (caches are not serialised).
            let mut columns: Vec<usize> = Vec::new();
            for c in self.pairs.iter().flat_map(|p| p.protected.iter().copied()) {
                if !columns.contains(&c) {
                    columns.push(c);
                }
            }
            sh.keys = TupleKeys::new(&columns);
            sh.columns = columns;
        }
        sh.keys.read(batch);
        for p in &mut self.pairs {
            if p.cache.0.positions.len() != p.protected.len() {
                p.cache.0.positions =
                    p.protected.iter().map(|c| sh.columns.iter().position(|x| x == c).unwrap_or(usize::MAX)).collect();
            }
            p.cache.0.levels.sync(sh.keys.generation());
            p.cache.0.values.sync(batch.dict_id(p.column));
            if p.kind == ProxyKind::Categorical {
                p.count_categorical(batch, &sh.keys);
            }
        }
        for i in 0..self.pairs.len() {
            let (kind, column) = (self.pairs[i].kind, self.pairs[i].column);
            let first = self.pairs.iter().position(|p| p.kind == ProxyKind::Numeric && p.column == column);
            if kind != ProxyKind::Numeric || first != Some(i) {
                continue; // one pass per numeric column, for all its pairs
            }
            let none = sh.sum(batch, column);
            for p in self.pairs.iter_mut().filter(|p| p.kind == ProxyKind::Numeric && p.column == column) {
                p.add_sums(sh, none);
            }
        }
    }
}

impl ProxyPair {
    /// The level index of key id `id` ([`EXCLUDED`] when a protected value is missing;
    /// else `add` of its text), remembered.
    #[inline]
    fn level(&mut self, keys: &TupleKeys, id: u32, add: impl FnOnce(&mut PairCounts, &str) -> u32) -> u32 {
        let slot = self.cache.0.levels.get(id);
        if slot != NO_SLOT {
            return slot;
        }
        self.new_level(keys, id, add)
    }

    #[cold]
    fn new_level(&mut self, keys: &TupleKeys, id: u32, add: impl FnOnce(&mut PairCounts, &str) -> u32) -> u32 {
        let slot = level_text(keys.texts(id), &self.cache.0.positions).map_or(EXCLUDED, |t| add(&mut self.counts, &t));
        self.cache.0.levels.set(id, slot);
        slot
    }

    /// Whether the row of key id `id` with value code `code` is left out.
    fn left_out(&self, keys: &TupleKeys, id: u32, code: u32) -> bool {
        code == NO_VALUE || level_text(keys.texts(id), &self.cache.0.positions).is_none()
    }

    fn count_categorical(&mut self, batch: &Batch, keys: &TupleKeys) {
        let codes = batch.codes(self.column);
        let cells = batch.column(self.column);
        let ids = keys.ids();
        let code_of = |r: usize| codes.get(r).copied().unwrap_or(NO_VALUE);
        if matches!(self.counts, PairCounts::Categorical { overflow: true, .. }) {
            // Counted as `add_level` would, without the values' texts.
            for (r, &id) in ids.iter().enumerate() {
                self.excluded += u64::from(self.left_out(keys, id, code_of(r)));
            }
            return;
        }
        let table_level = |c: &mut PairCounts, t: &str| match c {
            PairCounts::Categorical { table, .. } => table.level(t),
            PairCounts::Numeric { .. } => EXCLUDED,
        };
        for (r, &id) in ids.iter().enumerate() {
            let code = code_of(r);
            let level = self.level(keys, id, table_level);
            if code == NO_VALUE || level == EXCLUDED {
                self.excluded += 1;
                continue;
            }
            let PairCounts::Categorical { table, pairs, overflow } = &mut self.counts else { return };
            let c = &mut self.cache.0;
            let mut value = c.values.get(code);
            if value == NO_SLOT || code == UNCODED {
                let text = cells.get(r).and_then(|cell| cell_text(batch, cell)).unwrap_or_default();
                value = table.value(&text);
                if code != UNCODED {
                    c.values.set(code, value);
                }
            }
            if table.add(level, value, 1) {
                *pairs = table.pairs();
                if *pairs > MAX_PAIRS {
                    // Abandoned: the rest of the batch is counted as above.
                    (*table, *pairs, *overflow) = (Contingency::default(), 0, true);
                    c.levels.forget();
                    c.values.forget();
                    for (r, &id) in ids.iter().enumerate().skip(r + 1) {
                        self.excluded += u64::from(self.left_out(keys, id, code_of(r)));
                    }
                    return;
                }
            }
        }
    }

    /// Adds the batch's sums per key id (`none`: rows without a number).
    fn add_sums(&mut self, sh: &Shared, none: u64) {
        self.excluded += none;
        let group = |c: &mut PairCounts, t: &str| match c {
            PairCounts::Numeric { groups } => {
                let e = groups.entry(t.to_owned());
                let i = e.index();
                e.or_default();
                i as u32
            }
            PairCounts::Categorical { .. } => EXCLUDED,
        };
        for (&id, sums) in sh.touched.iter().zip(&sh.sums) {
            let level = self.level(&sh.keys, id, group);
            match &mut self.counts {
                PairCounts::Numeric { groups } if level != EXCLUDED => {
                    if let Some((_, m)) = groups.get_index_mut(level as usize) {
                        m.add_sums(sums);
                    }
                }
                _ => self.excluded += sums.values(),
            }
        }
    }
}
