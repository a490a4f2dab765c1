//! Group keys from value codes ([`crate::ingest::dict`]): the per-row work of the analyses
//! that group rows by one column or a tuple of columns is a lookup by small integers; text
//! is made once per distinct value (or tuple), when an analysis first meets it.
//!
//! * [`CodeSlots`] maps one column's codes to an analysis's own slots (`u32`), for one
//!   dictionary; [`CodeMemo`] caches any small per-value fact (say, "is this the positive
//!   label") by code.
//! * [`TupleKeys`] gives each row a *key id* for its tuple of values over several columns
//!   (one column, or an intersection such as race × sex), and each key id its texts
//!   ([`crate::ingest::batch::cell_text`] of each value; `None` for no value). Rows with
//!   a value past a dictionary's cap ([`UNCODED`]) are keyed by their texts instead, so key
//!   ids are exact whatever the cap.
//!
//! All of these are caches: they are not part of any state, and they forget everything when
//! a dictionary changes (a new range, a copied batch, a column no analysis read for a batch).

use super::batch::Batch;
use super::dict::UNCODED;
use crate::sketch::fast_hash::MixMap;

/// A cache inside an accumulator: not serialised (a fresh one after decoding), never
/// compared (two accumulators with the same state are equal whatever their caches hold).
#[derive(Clone, Debug, Default)]
pub struct Transient<T>(pub T);

impl<T> PartialEq for Transient<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Transient<T> {}

/// "No slot yet" in [`CodeSlots`].
pub const NO_SLOT: u32 = u32::MAX;

/// One column's codes → an analysis's slots, valid for one dictionary.
#[derive(Clone, Debug, Default)]
pub struct CodeSlots {
    dict: u64,
    slots: Vec<u32>,
}

impl CodeSlots {
    /// Prepares for a batch whose dictionary is `dict`: forgets every slot when it is not
    /// the one the slots were made for.
    #[inline]
    pub fn sync(&mut self, dict: u64) {
        if self.dict != dict {
            self.dict = dict;
            self.slots.clear();
        }
    }

    /// Forgets every slot (the analysis emptied its table).
    pub fn forget(&mut self) {
        self.slots.clear();
    }

    /// The slot of `code`, or [`NO_SLOT`].
    #[inline]
    pub fn get(&self, code: u32) -> u32 {
        self.slots.get(code as usize).copied().unwrap_or(NO_SLOT)
    }

    /// Remembers the slot of `code` (callers never pass [`UNCODED`], which is not one value;
    /// key ids of [`TupleKeys`] are all values).
    #[inline]
    pub fn set(&mut self, code: u32, slot: u32) {
        let i = code as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, NO_SLOT);
        }
        self.slots[i] = slot;
    }
}

/// A per-value fact cached by code (for one column and one dictionary).
#[derive(Clone, Debug)]
pub struct CodeMemo<T> {
    dict: u64,
    memo: Vec<Option<T>>,
}

impl<T> Default for CodeMemo<T> {
    fn default() -> Self {
        CodeMemo { dict: 0, memo: Vec::new() }
    }
}

impl<T: Copy> CodeMemo<T> {
    /// Prepares for a batch whose dictionary is `dict`.
    #[inline]
    pub fn sync(&mut self, dict: u64) {
        if self.dict != dict {
            self.dict = dict;
            self.memo.clear();
        }
    }

    /// The fact of `code`, computed by `make` the first time ([`UNCODED`] every time).
    #[inline]
    pub fn get(&mut self, code: u32, make: impl FnOnce() -> T) -> T {
        if code == UNCODED {
            return make();
        }
        let i = code as usize;
        if let Some(Some(v)) = self.memo.get(i) {
            return *v;
        }
        let v = make();
        if i >= self.memo.len() {
            self.memo.resize(i + 1, None);
        }
        self.memo[i] = Some(v);
        v
    }
}

/// A row whose key is found by its texts (a value is [`UNCODED`]).
const SLOW: u32 = u32::MAX;

/// Key ids of rows by the values of several columns (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct TupleKeys {
    columns: Vec<usize>,
    /// The dictionaries the ids were made under.
    dicts: Vec<u64>,
    /// One column: code → key id.
    single: CodeSlots,
    /// Column `i ≥ 1`: (id of the first `i` values, code) → id of the first `i + 1`.
    levels: Vec<MixMap<u64, u32>>,
    /// Key id → texts.
    texts: Vec<Vec<Option<String>>>,
    /// Texts → key id, for rows with an uncoded value.
    by_text: MixMap<Vec<Option<String>>, u32>,
    /// Prefix ids handed out per level (`prefixes[i]` for level `i`).
    prefixes: Vec<u32>,
    /// A process-wide unique number, new whenever ids are made again.
    generation: u64,
    /// Scratch: this batch's ids.
    ids: Vec<u32>,
}

impl TupleKeys {
    /// Keys over `columns` (in this order).
    pub fn new(columns: &[usize]) -> Self {
        TupleKeys { columns: columns.to_vec(), ..Default::default() }
    }

    /// The columns keyed.
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// The texts of key id `id` (one per column; `None`: no value).
    pub fn texts(&self, id: u32) -> &[Option<String>] {
        self.texts.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// Key ids handed out since the dictionaries last changed: ids are below this.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True when no id was handed out.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// A number that changes whenever ids are made again (the dictionaries changed):
    /// analyses that map key ids to their own slots forget the map when it changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn sync(&mut self, batch: &Batch) {
        let same = self.dicts.len() == self.columns.len()
            && self.columns.iter().zip(&self.dicts).all(|(&c, &d)| batch.dict_id(c) == d);
        if !same {
            self.dicts = self.columns.iter().map(|&c| batch.dict_id(c)).collect();
            self.generation = super::dict::fresh_id();
            self.single = CodeSlots::default();
            self.levels = vec![MixMap::default(); self.columns.len().saturating_sub(1)];
            self.prefixes = vec![0; self.columns.len()];
            self.texts.clear();
            self.by_text.clear();
        }
    }

    fn row_texts(&self, batch: &Batch, r: usize) -> Vec<Option<String>> {
        self.columns
            .iter()
            .map(|&c| batch.column(c).get(r).and_then(|cell| crate::ingest::batch::cell_text(batch, cell)))
            .collect()
    }

    /// The key ids of the rows of the batch last [`TupleKeys::read`].
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// Makes the key id of every row of `batch` ([`TupleKeys::ids`]).
    pub fn read(&mut self, batch: &Batch) {
        self.sync(batch);
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        let ncols = self.columns.len();
        if ncols == 0 {
            ids.resize(batch.rows(), 0);
        } else if ncols == 1 {
            let c = self.columns[0];
            {
                self.single.sync(batch.dict_id(c));
                for (r, &code) in batch.codes(c).iter().enumerate() {
                    let mut id = self.single.get(code);
                    if id == NO_SLOT || code == UNCODED {
                        id = self.new_id(batch, r, code == UNCODED);
                        if code != UNCODED {
                            self.single.set(code, id);
                        }
                    }
                    ids.push(id);
                }
            }
        } else {
            let c0 = self.columns[0];
            {
                ids.extend(batch.codes(c0).iter().map(|&code| if code == UNCODED { SLOW } else { code }));
                let last = self.columns.len() - 1;
                for i in 1..=last {
                    let codes = batch.codes(self.columns[i]);
                    for (r, (p, &code)) in ids.iter_mut().zip(codes).enumerate() {
                        if *p == SLOW || code == UNCODED {
                            *p = SLOW;
                            continue;
                        }
                        let pair = u64::from(*p) << 32 | u64::from(code);
                        *p = match self.levels[i - 1].get(&pair) {
                            Some(&id) => id,
                            None => {
                                let id = if i == last {
                                    self.new_id(batch, r, false)
                                } else {
                                    self.prefixes[i] += 1;
                                    self.prefixes[i] - 1
                                };
                                self.levels[i - 1].insert(pair, id);
                                id
                            }
                        };
                    }
                }
                for (r, p) in ids.iter_mut().enumerate() {
                    if *p == SLOW {
                        *p = self.new_id(batch, r, true);
                    }
                }
            }
        }
        self.ids = ids;
    }

    /// A key id for row `r` (new, or by its texts when `slow`).
    fn new_id(&mut self, batch: &Batch, r: usize, slow: bool) -> u32 {
        let texts = self.row_texts(batch, r);
        if slow {
            if let Some(&id) = self.by_text.get(&texts) {
                return id;
            }
        }
        let id = self.texts.len() as u32;
        if slow {
            self.by_text.insert(texts.clone(), id);
        }
        self.texts.push(texts);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{resolve, RawSpec, ValidSpec};

    fn spec(csv: &str) -> ValidSpec {
        let preview = resolve(&RawSpec::default(), csv.as_bytes(), true).unwrap();
        ValidSpec::try_from_resolved(&preview.spec).unwrap()
    }

    #[test]
    fn tuple_ids_follow_the_texts_across_batches() {
        let s = spec("a,b,x\nF,1,2.5\nM,2,3\nF,1,1\nF,,1\n");
        let rows: &[&[&str]] = &[&["F", "1", "2.5"], &["M", "2", "3"], &["F", "1", "1"], &["F", "", "1"]];
        let b = Batch::from_rows(&s, rows);
        let mut one = TupleKeys::new(&[0]);
        one.read(&b);
        assert_eq!(one.ids(), &[0, 1, 0, 0]);
        assert_eq!(one.texts(1), &[Some("M".to_string())]);
        let mut two = TupleKeys::new(&[0, 1]);
        two.read(&b);
        assert_eq!(two.ids(), &[0, 1, 0, 2]);
        assert_eq!(two.texts(2), &[Some("F".to_string()), None]);
        let mut three = TupleKeys::new(&[0, 1, 2]);
        three.read(&b);
        assert_eq!(three.ids(), &[0, 1, 2, 3]);
        assert_eq!(three.texts(0), &[Some("F".to_string()), Some("1".to_string()), Some("2.5".to_string())]);
        // Another batch with its own dictionaries: ids are made again, texts still match.
        let b2 = Batch::from_rows(&s, &[&["M", "2", "3"], &["F", "", "1"]]);
        three.read(&b2);
        let ids = three.ids().to_vec();
        let texts: Vec<_> = ids.iter().map(|&i| three.texts(i).to_vec()).collect();
        assert_eq!(texts[0], [Some("M".to_string()), Some("2".to_string()), Some("3".to_string())]);
        assert_eq!(texts[1], [Some("F".to_string()), None, Some("1".to_string())]);
    }

    #[test]
    fn memo_and_slots() {
        let mut m = CodeMemo::default();
        m.sync(7);
        let mut calls = 0;
        for _ in 0..3 {
            assert!(m.get(4, || {
                calls += 1;
                true
            }));
        }
        assert_eq!(calls, 1);
        m.sync(8);
        assert!(!m.get(4, || false));
        let mut s = CodeSlots::default();
        s.sync(1);
        s.set(3, 9);
        assert_eq!((s.get(3), s.get(2), s.get(UNCODED)), (9, NO_SLOT, NO_SLOT));
        s.sync(2);
        assert_eq!(s.get(3), NO_SLOT);
    }
}
