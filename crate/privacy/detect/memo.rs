//! A per-worker memo of categorical values: what a value contributes is a pure function of
//! the value and the column's plan, and categorical columns repeat a few values millions of
//! times, so a direct-mapped cache (2,048 slots, values up to 32 bytes stored inline and
//! compared in full, no allocation after the first use) skips the detectors on repeats.
//! Values that embed an identifier are not remembered (rare; it keeps a slot small).
//! It is not part of the state: it changes how fast, never what is counted.

use super::classify::{Ctx, Hits};
use super::kinds::N_KINDS;
use super::{evaluate, Counts, Plan};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::FIRST_CODE;
use crate::ingest::keys::CodeMemo;
use std::hash::Hasher;

/// What one string value contributes to its column's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellResult {
    /// Kinds matched and validated by the whole value.
    pub hits: Hits,
    /// The special-category vocabulary term it is: (category index, term index).
    pub vocab: Option<(u8, u8)>,
    /// ICD-10 shaped, and with a dot.
    pub icd: (bool, bool),
    /// Identifiers embedded in it, per kind.
    pub embedded: [u16; N_KINDS],
    /// True when `embedded` holds any.
    pub embeds: bool,
}

const SLOTS: usize = 2048;
const MAX_LEN: usize = 32;

/// A remembered value and its result (without embedded identifiers, which are never
/// remembered).
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// 1 + the value's length; 0 for an empty slot.
    len: u8,
    bytes: [u8; MAX_LEN],
    hits: Hits,
    vocab: Option<(u8, u8)>,
    icd: (bool, bool),
}

const EMPTY: Slot =
    Slot { len: 0, bytes: [0; MAX_LEN], hits: Hits { matched: 0, valid: 0 }, vocab: None, icd: (false, false) };

/// The memo of one column (empty until first used): by value, and for categorical columns
/// by value code.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    slots: Vec<Slot>,
    by_code: CodeMemo<CellResult>,
}

impl Memo {
    /// The result for `s`, from the memo or computed by `f` (and remembered).
    #[inline]
    pub fn get_or(&mut self, s: &str, f: impl FnOnce() -> CellResult) -> CellResult {
        let b = s.as_bytes();
        if b.len() > MAX_LEN {
            return f();
        }
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        let mut h = crate::sketch::fast_hash::Mix::default();
        h.write(b);
        let slot = &mut self.slots[(h.finish() as usize) & (SLOTS - 1)];
        if usize::from(slot.len) == b.len() + 1 && &slot.bytes[..b.len()] == b {
            return CellResult {
                hits: slot.hits,
                vocab: slot.vocab,
                icd: slot.icd,
                embedded: [0; N_KINDS],
                embeds: false,
            };
        }
        let result = f();
        if !result.embeds {
            *slot = Slot {
                len: b.len() as u8 + 1,
                bytes: [0; MAX_LEN],
                hits: result.hits,
                vocab: result.vocab,
                icd: result.icd,
            };
            slot.bytes[..b.len()].copy_from_slice(b);
        }
        result
    }
}

impl Memo {
    /// Adds a batch of categorical column `c` from its value codes
    /// ([`Batch::code_counts`]): each distinct value of the batch is evaluated once per
    /// range and its result added once, times its rows — the same counts as cell by cell.
    /// Cells with no code of their own (missing, unparseable, past the dictionary's cap)
    /// are read cell by cell.
    pub(super) fn categories(&mut self, batch: &Batch, c: usize, plan: &Plan, ctx: &Ctx, counts: &mut Counts) {
        let cells = batch.column(c);
        let (codes, seen, other) = batch.code_counts(c);
        self.by_code.sync(batch.dict_id(c));
        for k in seen {
            match cells.get(k.first as usize) {
                Some(&Cell::Text(span)) => {
                    let s = batch.text(span);
                    let r = self.by_code.get(k.code, || evaluate(s, plan, ctx));
                    counts.apply_n(&r, u64::from(k.n));
                }
                // A typed value (a typed source's number in a categorical column).
                Some(_) => counts.present += u64::from(k.n),
                None => {}
            }
        }
        if other == 0 {
            return;
        }
        for (cell, _) in cells.iter().zip(codes).filter(|(_, &k)| k < FIRST_CODE) {
            match *cell {
                Cell::Text(span) | Cell::Invalid(span) => counts.string(batch.text(span), plan, ctx, self),
                Cell::Missing(_) => {}
                _ => counts.present += 1,
            }
        }
    }
}

/// The memos of every column: never serialised, and equal to any other (they hold no
/// result that the counts do not already determine).
#[derive(Clone, Debug, Default)]
pub struct Memos(pub Vec<Memo>);

impl PartialEq for Memos {
    fn eq(&self, _: &Memos) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_hit_and_collisions_recompute() {
        let mut m = Memo::default();
        let mut calls = 0;
        let r = CellResult { vocab: Some((1, 2)), ..Default::default() };
        for _ in 0..3 {
            assert_eq!(
                m.get_or("north", || {
                    calls += 1;
                    r
                }),
                r
            );
        }
        assert_eq!(calls, 1);
        // Distinct values are computed once each; a value embedding an identifier every time.
        let mut calls = 0;
        for i in 0..300 {
            let v = format!("v{i}");
            let want = CellResult { icd: (i % 2 == 0, false), ..Default::default() };
            assert_eq!(
                m.get_or(&v, || {
                    calls += 1;
                    want
                }),
                want
            );
        }
        assert_eq!(calls, 300);
        let e = CellResult { embedded: [1; N_KINDS], embeds: true, ..Default::default() };
        let mut calls = 0;
        for _ in 0..2 {
            assert_eq!(
                m.get_or("mail a@b.com", || {
                    calls += 1;
                    e
                }),
                e
            );
        }
        assert_eq!(calls, 2);
        let long = "x".repeat(40);
        let mut calls = 0;
        m.get_or(&long, || {
            calls += 1;
            r
        });
        m.get_or(&long, || {
            calls += 1;
            r
        });
        assert_eq!(calls, 2, "long values are not remembered");
    }
}
