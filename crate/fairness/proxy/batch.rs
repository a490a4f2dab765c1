//! Proxy detection, batch side: counting a batch column-wise from value codes.
//!
//! Every row gets one key id over *all* the protected columns of the audit at once
//! ([`TupleKeys`]; sex × race, missing values included), and each pair maps a key id to
//! its own protected level once — the projection of the key onto the pair's attributes
//! (sex, race, or sex × race), or "left out" when one of them is missing. The column's
//! value is a code, mapped to the pair's value index once.
//!
//! * **Categorical** pairs of one column share one tally of the batch per (key id, value
//!   code) ([`super::tally`]) and add each distinct combination to their [`Contingency`]
//!   by index, once, with its rows (row by row when the tally's dense table would be too
//!   large).
//! * **Numeric** pairs of one column share one pass over its values: each key id's values
//!   are summed once per batch ([`MomentSums`]), and each pair adds those sums to the
//!   moments of the key's level — three groups' moments from one pass for sex, race and
//!   sex × race. The sums are exact, so the moments are the same as value by value.

use super::table::Contingency;
use super::tally::{Combo, PairTally};
use super::{PairCounts, ProxyAcc, ProxyPair, MAX_PAIRS};
use crate::ingest::batch::cell_text;
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
    sums: Sums,
    tally: PairTally,
}

/// One numeric column's sums per key id in a batch.
#[derive(Clone, Debug, Default)]
struct Sums {
    /// Per key id: its index in `sums`, or [`NO_SLOT`].
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

impl Sums {
    /// Sums the values of `column` per key id; returns the rows without a number.
    fn sum(&mut self, keys: &TupleKeys, batch: &Batch, column: usize) -> u64 {
        for &id in &self.touched {
            self.local[id as usize] = NO_SLOT;
        }
        self.touched.clear();
        self.local.resize(keys.len(), NO_SLOT);
        let mut none = 0;
        let cells = batch.column(column);
        for (&id, cell) in keys.ids().iter().zip(cells) {
            if number(cell).is_none() {
                none += 1;
                continue;
            }
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
            match *cell {
                Cell::Int(v) => self.sums[k as usize].add_int(v),
                Cell::Float(x) => self.sums[k as usize].add(x),
                _ => {}
            }
        }
        none + keys.ids().len().saturating_sub(cells.len()) as u64
    }
}

impl ProxyAcc {
    /// Counts a batch.
    pub fn update(&mut self, batch: &Batch) {
        self.update_keyed(batch, None);
    }

    /// The protected columns of every pair, in order of first appearance (the columns of
    /// the key ids a batch is counted by).
    pub(crate) fn protected_columns(&self) -> Vec<usize> {
        let mut columns: Vec<usize> = Vec::new();
        for c in self.pairs.iter().flat_map(|p| p.protected.iter().copied()) {
            if !columns.contains(&c) {
                columns.push(c);
            }
        }
        columns
    }

    /// Counts a batch; `shared`: key ids over [`ProxyAcc::protected_columns`] already read
    /// for this batch (the bias counts' own), if any.
    pub(crate) fn update_keyed(&mut self, batch: &Batch, shared: Option<&TupleKeys>) {
        if self.shared.0.columns.is_empty() && !self.pairs.is_empty() {
            // New, or decoded (caches are not serialised).
            let columns = self.protected_columns();
            self.shared.0.keys = TupleKeys::new(&columns);
            self.shared.0.columns = columns;
        }
        let Shared { columns: sh_columns, keys: own, sums, tally } = &mut *self.shared.0;
        let keys = match shared.filter(|k| k.columns() == sh_columns.as_slice()) {
            Some(k) => k,
            None => {
                own.read(batch);
                &*own
            }
        };
        for p in &mut self.pairs {
            if p.cache.0.positions.len() != p.protected.len() {
                p.cache.0.positions =
                    p.protected.iter().map(|c| sh_columns.iter().position(|x| x == c).unwrap_or(usize::MAX)).collect();
            }
            p.cache.0.levels.sync(keys.generation());
            p.cache.0.values.sync(batch.dict_id(p.column));
        }
        for i in 0..self.pairs.len() {
            let (kind, column) = (self.pairs[i].kind, self.pairs[i].column);
            let first = self.pairs.iter().position(|p| p.kind == ProxyKind::Categorical && p.column == column);
            if kind != ProxyKind::Categorical || first != Some(i) {
                continue; // one tally per categorical column, for all its pairs
            }
            let mine = |p: &ProxyPair| p.kind == ProxyKind::Categorical && p.column == column;
            let live = self.pairs.iter().any(|p| mine(p) && !p.abandoned());
            if live && tally.count(batch.codes(column), keys.ids(), keys.len()) {
                for p in self.pairs.iter_mut().filter(|p| mine(p)) {
                    p.count_tallied(batch, keys, tally);
                }
            } else {
                for p in self.pairs.iter_mut().filter(|p| mine(p)) {
                    p.count_categorical(batch, keys);
                }
            }
        }
        for i in 0..self.pairs.len() {
            let (kind, column) = (self.pairs[i].kind, self.pairs[i].column);
            let first = self.pairs.iter().position(|p| p.kind == ProxyKind::Numeric && p.column == column);
            if kind != ProxyKind::Numeric || first != Some(i) {
                continue; // one pass per numeric column, for all its pairs
            }
            let none = sums.sum(keys, batch, column);
            for p in self.pairs.iter_mut().filter(|p| p.kind == ProxyKind::Numeric && p.column == column) {
                p.add_sums(keys, sums, none);
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

    /// Counts rows `from..` of an abandoned table as `add_level` would, without the
    /// values' codes or texts: a row is left out when its value or a protected value is
    /// missing. (The level cache then holds 1 for a key id whose values are all known.)
    fn count_abandoned(&mut self, batch: &Batch, keys: &TupleKeys, from: usize) {
        let cells = batch.column(self.column);
        let c = &mut self.cache.0;
        for (r, &id) in keys.ids().iter().enumerate().skip(from) {
            let has_value = cells.get(r).is_some_and(|cell| !matches!(cell, Cell::Missing(_) | Cell::Invalid(_)));
            let mut known = c.levels.get(id);
            if known == NO_SLOT {
                known = u32::from(level_text(keys.texts(id), &c.positions).is_some());
                c.levels.set(id, known);
            }
            self.excluded += u64::from(!has_value || known == 0);
        }
    }

    /// True when the pair's table was abandoned (past [`MAX_PAIRS`]).
    fn abandoned(&self) -> bool {
        matches!(self.counts, PairCounts::Categorical { overflow: true, .. })
    }

    /// Adds `n` rows of key id `id` and value code `code` (`row`: one of them, to read the
    /// value's text when the code is new or [`UNCODED`]). False when the table passed
    /// [`MAX_PAIRS`] and was abandoned (emptied; the caller recounts the batch).
    #[inline]
    fn add_rows(&mut self, batch: &Batch, keys: &TupleKeys, id: u32, code: u32, row: usize, n: u32) -> bool {
        let table_level = |c: &mut PairCounts, t: &str| match c {
            PairCounts::Categorical { table, .. } => table.level(t),
            PairCounts::Numeric { .. } => EXCLUDED,
        };
        let level = self.level(keys, id, table_level);
        if code == NO_VALUE || level == EXCLUDED {
            self.excluded += u64::from(n);
            return true;
        }
        let PairCounts::Categorical { table, pairs, overflow } = &mut self.counts else { return true };
        let c = &mut self.cache.0;
        let mut value = c.values.get(code);
        if value == NO_SLOT || code == UNCODED {
            let cell = batch.column(self.column).get(row);
            let text = cell.and_then(|cell| cell_text(batch, cell)).unwrap_or_default();
            value = table.value(&text);
            if code != UNCODED {
                c.values.set(code, value);
            }
        }
        if table.add(level, value, u64::from(n)) {
            *pairs = table.pairs();
            if *pairs > MAX_PAIRS {
                (*table, *pairs, *overflow) = (Contingency::default(), 0, true);
                c.levels.forget();
                c.values.forget();
                return false;
            }
        }
        true
    }

    /// Counts a batch row by row.
    fn count_categorical(&mut self, batch: &Batch, keys: &TupleKeys) {
        if self.abandoned() {
            return self.count_abandoned(batch, keys, 0);
        }
        let codes = batch.codes(self.column);
        for (r, &id) in keys.ids().iter().enumerate() {
            let code = codes.get(r).copied().unwrap_or(NO_VALUE);
            if !self.add_rows(batch, keys, id, code, r, 1) {
                // Abandoned: the rest of the batch is counted as above.
                return self.count_abandoned(batch, keys, r + 1);
            }
        }
    }

    /// Counts a batch from its tally (see [`super::tally`]): each distinct (key id, value)
    /// once, with its rows.
    fn count_tallied(&mut self, batch: &Batch, keys: &TupleKeys, t: &PairTally) {
        if self.abandoned() {
            return self.count_abandoned(batch, keys, 0);
        }
        let before = self.excluded;
        self.excluded += t.none;
        let uncoded = t.uncoded.iter().map(|&r| (r as usize, keys.ids().get(r as usize).copied()));
        let kept =
            t.combos().all(|Combo { id, code, first, n }| self.add_rows(batch, keys, id, code, first as usize, n))
                && uncoded.into_iter().all(|(r, id)| id.is_none_or(|id| self.add_rows(batch, keys, id, UNCODED, r, 1)));
        if !kept {
            // Abandoned: the whole batch is counted the abandoned way, which leaves out the
            // same rows whatever the order the table passed the cap in.
            self.excluded = before;
            self.count_abandoned(batch, keys, 0);
        }
    }

    /// Adds the batch's sums per key id (`none`: rows without a number).
    fn add_sums(&mut self, keys: &TupleKeys, sh: &Sums, none: u64) {
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
            let level = self.level(keys, id, group);
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
