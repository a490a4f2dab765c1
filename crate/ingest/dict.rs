//! Value codes: a dictionary per column and per range, so that the analyses that group rows
//! by a value (bias groups and intersections, proxies, leakage, group quality, DP tables)
//! compare small integers instead of formatting and hashing text row by row.
//!
//! A [`ColumnDict`] gives each distinct value of one column a `u32` code the first time it
//! is asked for it, and keeps it for the life of the dictionary (one decoder's range, as
//! long as some analysis keeps reading the column: see [`crate::ingest::batch::Batch::codes`]).
//! Text values are hashed in place (the batch's text buffer, no copy) and stored once;
//! numbers, booleans, dates and date-times are keyed by their bits and formatted only when
//! an analysis asks for a code's text ([`ColumnDict::text`], the same text as
//! [`crate::ingest::batch::cell_text`]). Within one column the typed value and its text
//! determine each other (the shortest round-trip form of a double is unique, `-0` included),
//! so grouping by code is grouping by text.
//!
//! Codes [`NO_VALUE`] (missing or unparseable: the same "no value" every analysis uses)
//! and [`UNCODED`] are reserved. **The cap**: a dictionary holds at most [`MAX_CODES`]
//! values and [`MAX_TEXT_BYTES`] bytes of text; a value first seen past either gets
//! [`UNCODED`] (every time), and the analyses read such cells the slow way, by their text,
//! so every count stays exact. Columns that wide are rare among the columns analyses group
//! by: most of them abandon a table long before (1,000 groups, 100,000 pairs).

use crate::ingest::batch::Cell;
use crate::sketch::fast_hash::Mix;
use hashbrown::HashTable;
use std::hash::Hasher;
use std::sync::atomic::{AtomicU64, Ordering};

/// The code of a cell with no value: missing (any token, or an absent field) or unparseable.
pub const NO_VALUE: u32 = 0;
/// The code of a value first seen after the dictionary was full: read the cell itself.
pub const UNCODED: u32 = 1;
/// The first code of a value.
pub const FIRST_CODE: u32 = 2;
/// Most values one column's dictionary holds.
pub const MAX_CODES: usize = 1 << 16;
/// Most bytes of text one column's dictionary holds.
pub const MAX_TEXT_BYTES: usize = 4 << 20;

/// A process-wide unique, non-zero id (of a dictionary, or of a generation of key ids);
/// 0 means "none" to caches.
pub(crate) fn fresh_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What a column's values are: the dictionary takes one kind, the first it sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Float,
    Bool,
    Date,
    Datetime,
}

/// One column's dictionary (see the module docs).
#[derive(Debug)]
pub struct ColumnDict {
    id: u64,
    /// Most values (normally [`MAX_CODES`]).
    cap: usize,
    kind: Option<Kind>,
    /// (value bits, index): one probe finds a typed value without leaving the table.
    table: HashTable<(u64, u32)>,
    /// Text entries: a text of at most 8 bytes is found without reading the arena.
    texts: HashTable<TextEntry>,
    /// Typed values by index.
    values: Vec<u64>,
    /// Texts by index: `text[ends[i - 1]..ends[i]]`.
    text: String,
    ends: Vec<u32>,
}

impl Default for ColumnDict {
    fn default() -> Self {
        ColumnDict {
            id: fresh_id(),
            cap: MAX_CODES,
            kind: None,
            table: HashTable::new(),
            texts: HashTable::new(),
            values: Vec::new(),
            text: String::new(),
            ends: Vec::new(),
        }
    }
}

/// A copy holds the same codes under a new id: the two may grow apart.
impl Clone for ColumnDict {
    fn clone(&self) -> Self {
        ColumnDict {
            id: fresh_id(),
            cap: self.cap,
            kind: self.kind,
            table: self.table.clone(),
            texts: self.texts.clone(),
            values: self.values.clone(),
            text: self.text.clone(),
            ends: self.ends.clone(),
        }
    }
}

#[inline]
fn hash_bits(v: u64) -> u64 {
    let mut h = Mix::default();
    h.write_u64(v);
    h.finish()
}

/// A text's hash, length and first 8 bytes (little-endian, zero-padded).
#[derive(Clone, Copy, Debug)]
struct TextEntry {
    hash: u64,
    head: u64,
    len: u32,
    index: u32,
}

#[inline]
fn head_of(s: &[u8]) -> u64 {
    // One load for 8 bytes or more; shorter texts byte by byte (a variable-length copy
    // into the word was a `memcpy` call per cell).
    if let Some(w) = s.first_chunk::<8>() {
        return u64::from_le_bytes(*w);
    }
    s.iter().rev().fold(0u64, |w, &b| (w << 8) | u64::from(b))
}

#[inline]
fn hash_text(s: &[u8], head: u64) -> u64 {
    if s.len() <= 8 {
        hash_bits(head ^ (s.len() as u64) << 59)
    } else {
        let mut h = Mix::default();
        h.write(s);
        h.finish()
    }
}

fn code_of(index: usize) -> u32 {
    FIRST_CODE + index as u32
}

impl ColumnDict {
    /// An empty dictionary that codes at most `cap` values (tests of the uncoded path).
    pub fn with_cap(cap: usize) -> Self {
        ColumnDict { cap: cap.min(MAX_CODES), ..Default::default() }
    }

    /// The dictionary's id: codes of two dictionaries with the same id mean the same values.
    #[inline]
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Values coded so far.
    pub fn len(&self) -> usize {
        self.ends.len() + self.values.len()
    }

    fn text_at(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends.get(i - 1).copied().unwrap_or(0) as usize };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.text.get(start..end).unwrap_or("")
    }

    /// True when no value has a code.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when a new value gets no code ([`UNCODED`]).
    fn full(&self, more_bytes: usize) -> bool {
        self.len() >= self.cap || self.text.len() + more_bytes > MAX_TEXT_BYTES
    }

    fn takes(&mut self, kind: Kind) -> bool {
        *self.kind.get_or_insert(kind) == kind
    }

    /// The code of a text value (`text` is the cell's text in the batch).
    #[inline]
    pub fn text_code(&mut self, text: &str) -> u32 {
        let b = text.as_bytes();
        let head = head_of(b);
        let h = hash_text(b, head);
        let len = b.len() as u32;
        if self.kind == Some(Kind::Text) {
            let same = |e: &TextEntry| {
                e.hash == h && e.len == len && e.head == head && (len <= 8 || self.text_at(e.index) == text)
            };
            if let Some(e) = self.texts.find(h, same) {
                return code_of(e.index as usize);
            }
        }
        if !self.takes(Kind::Text) || self.full(text.len()) {
            return UNCODED;
        }
        let index = self.ends.len() as u32;
        self.text.push_str(text);
        self.ends.push(self.text.len() as u32);
        self.texts.insert_unique(h, TextEntry { hash: h, head, len, index }, |e| e.hash);
        code_of(index as usize)
    }

    #[inline]
    fn value_code(&mut self, kind: Kind, bits: u64) -> u32 {
        let h = hash_bits(bits);
        if self.kind == Some(kind) {
            if let Some(&(_, i)) = self.table.find(h, |e| e.0 == bits) {
                return code_of(i as usize);
            }
        }
        if !self.takes(kind) || self.full(0) {
            return UNCODED;
        }
        let i = self.values.len() as u32;
        self.values.push(bits);
        self.table.insert_unique(h, (bits, i), |e| hash_bits(e.0));
        code_of(i as usize)
    }

    /// The code of `cell`; `text` gives a text cell's text.
    #[inline]
    pub fn code_with<'t>(&mut self, cell: &Cell, text: impl FnOnce(crate::ingest::batch::Span) -> &'t str) -> u32 {
        match *cell {
            Cell::Missing(_) | Cell::Invalid(_) => NO_VALUE,
            Cell::Text(span) => self.text_code(text(span)),
            Cell::Int(v) => self.value_code(Kind::Int, v as u64),
            Cell::Float(v) => self.value_code(Kind::Float, v.to_bits()),
            Cell::Bool(b) => self.value_code(Kind::Bool, u64::from(b)),
            Cell::Date(v) => self.value_code(Kind::Date, v as u64),
            Cell::Datetime(v) => self.value_code(Kind::Datetime, v as u64),
        }
    }

    /// The text of a code, as [`crate::ingest::batch::cell_text`] writes the value
    /// (`None` for [`NO_VALUE`], [`UNCODED`] and unknown codes).
    pub fn text(&self, code: u32) -> Option<String> {
        let i = code.checked_sub(FIRST_CODE)? as usize;
        match self.kind? {
            Kind::Text => (i < self.ends.len()).then(|| self.text_at(i as u32).to_string()),
            kind => {
                let bits = *self.values.get(i)?;
                Some(match kind {
                    Kind::Float => f64::from_bits(bits).to_string(),
                    Kind::Bool => (bits != 0).to_string(),
                    _ => (bits as i64).to_string(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_the_first_eight_bytes_zero_padded() {
        let s = b"abcdefghijk\xff";
        for n in 0..=s.len() {
            let mut w = [0u8; 8];
            w[..n.min(8)].copy_from_slice(&s[..n.min(8)]);
            assert_eq!(head_of(&s[..n]), u64::from_le_bytes(w), "{n}");
        }
    }

    #[test]
    fn codes_are_stable_and_texts_match_cell_text() {
        let mut d = ColumnDict::default();
        let a = d.text_code("Female");
        let b = d.text_code("Male");
        assert_eq!((a, b), (FIRST_CODE, FIRST_CODE + 1));
        assert_eq!(d.text_code("Female"), a);
        assert_eq!(d.text(a).as_deref(), Some("Female"));
        assert_eq!(d.text(NO_VALUE), None);
        assert_eq!(d.text(UNCODED), None);
        // A column takes one kind of value: another kind is read from the cell.
        assert_eq!(d.code_with(&Cell::Int(3), |_| ""), UNCODED);

        let mut n = ColumnDict::default();
        let cells = [Cell::Float(1.0), Cell::Float(-0.0), Cell::Float(0.0), Cell::Float(2.5e-7), Cell::Missing(3)];
        let codes: Vec<u32> = cells.iter().map(|c| n.code_with(c, |_| "")).collect();
        assert_eq!(codes, [2, 3, 4, 5, NO_VALUE]);
        let texts: Vec<Option<String>> = codes.iter().map(|&c| n.text(c)).collect();
        assert_eq!(texts, [Some("1".into()), Some("-0".into()), Some("0".into()), Some("0.00000025".into()), None]);
        for (cell, want) in [(Cell::Int(-7), "-7"), (Cell::Bool(true), "true"), (Cell::Date(19000), "19000")] {
            let mut d = ColumnDict::default();
            let c = d.code_with(&cell, |_| "");
            assert_eq!(d.text(c).as_deref(), Some(want));
        }
    }

    #[test]
    fn texts_short_and_long_get_one_code_each() {
        // Lengths 0..20 (short texts are compared by their first 8 bytes and length),
        // including texts that share their first 8 bytes or differ only in length.
        let texts: Vec<String> =
            (0..2000u32).map(|i| format!("{:0width$}", i % 500, width = (i % 20) as usize)).collect();
        let mut d = ColumnDict::default();
        let mut seen: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        for t in &texts {
            let c = d.text_code(t);
            assert_eq!(*seen.entry(t.as_str()).or_insert(c), c, "{t:?}");
            assert_eq!(d.text(c).as_deref(), Some(t.as_str()));
        }
        let distinct: std::collections::HashSet<u32> = seen.values().copied().collect();
        assert_eq!(distinct.len(), seen.len(), "different texts, different codes");
        assert_eq!(d.len(), seen.len());
    }

    #[test]
    fn past_the_cap_values_are_uncoded_and_copies_get_new_ids() {
        let mut d = ColumnDict::default();
        for i in 0..MAX_CODES {
            assert_eq!(d.code_with(&Cell::Int(i as i64), |_| ""), code_of(i));
        }
        assert_eq!(d.code_with(&Cell::Int(-1), |_| ""), UNCODED);
        assert_eq!(d.code_with(&Cell::Int(5), |_| ""), code_of(5), "old values keep their codes");
        let e = d.clone();
        assert_ne!(e.id(), d.id());
        assert_eq!(e.len(), MAX_CODES);

        let mut t = ColumnDict::default();
        let long = "x".repeat(MAX_TEXT_BYTES / 2 + 1);
        assert_eq!(t.text_code(&long), FIRST_CODE);
        assert_eq!(t.text_code(&format!("{long}y")), UNCODED, "text bytes are capped too");
    }
}
