//! Typed column batches: what the decoder hands to every accumulator.
//!
//! A [`Batch`] holds up to [`BATCH_ROWS`] rows, column-major: `columns[c][r]` is the
//! [`Cell`] of row `r` in column `c`. Strings live once in the batch's text buffer and
//! cells refer to them by [`Span`]. The value codes of a column ([`Batch::codes`],
//! [`crate::ingest::dict`]) are made the first time an analysis asks for them in a batch,
//! from a dictionary that lives as long as the batch buffer (one decoder's range).

use super::dict::{ColumnDict, NO_VALUE};
use super::tally::{CodeCount, CodeTally};
use std::cell::{Cell as Flag, OnceCell, RefCell};

/// Rows per batch (4,096 measured fastest on the sample: DESIGN, "Batch size").
pub const BATCH_ROWS: usize = 4096;

/// Most cells per batch: wide files get batches of fewer rows, so that a batch of a
/// 10,000-column file stays at about 16 MB (wasm memory is allocated, not reserved).
pub const MAX_BATCH_CELLS: usize = 1 << 20;

/// A slice of the batch's text buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// The part `range` (in bytes from this span's start) of this span, clamped to it.
    #[inline]
    pub fn slice(self, range: std::ops::Range<usize>) -> Span {
        let start = (range.start as u32).min(self.len);
        let end = (range.end as u32).clamp(start, self.len);
        Span { start: self.start + start, len: end - start }
    }
}

/// One parsed cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A missing token, or a field absent from a short (ragged) row. The code says which:
    /// see [`crate::ingest::value::MissingTokens::which`] and the `MISSING_*` constants
    /// there. Every analysis but the per-token missing counts treats all codes alike.
    Missing(u8),
    /// A whole number.
    Int(i64),
    /// A real number (finite or infinite; never NaN).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i64),
    /// Seconds since the Unix epoch (UTC).
    Datetime(i64),
    /// A string value (categorical, text, identifier columns).
    Text(Span),
    /// A value that does not parse as the column's type.
    Invalid(Span),
}

/// The value codes of one column: its dictionary and this batch's codes, if asked for.
#[derive(Clone, Debug, Default)]
struct KeyColumn {
    dict: RefCell<ColumnDict>,
    codes: OnceCell<Vec<u32>>,
    /// An allocation to reuse for the next batch's codes.
    spare: RefCell<Vec<u32>>,
    /// Codes were asked for since the last [`Batch::clear`].
    read: Flag<bool>,
    /// This batch's value codes with their counts ([`Batch::code_counts`]), if asked for.
    counts: OnceCell<(Vec<CodeCount>, u32)>,
}

/// A batch of typed rows.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    rows: usize,
    /// Byte offset of the first row's record (see [`Batch::origin`]).
    first_byte: u64,
    /// 1-based row of the first row within the decoder's segment.
    first_row: u64,
    columns: Vec<Vec<Cell>>,
    text: String,
    keys: Vec<KeyColumn>,
    /// Scratch of [`Batch::code_counts`].
    tally: RefCell<CodeTally>,
    /// Values each column's dictionary codes ([`crate::ingest::dict::MAX_CODES`] unless
    /// [`Batch::limit_codes`] says fewer).
    code_cap: usize,
}

impl Batch {
    /// An empty batch for `ncols` columns.
    pub fn new(ncols: usize) -> Self {
        let cap = BATCH_ROWS.min(MAX_BATCH_CELLS / ncols.max(1)).max(1);
        Batch {
            rows: 0,
            first_byte: 0,
            first_row: 1,
            columns: (0..ncols).map(|_| Vec::with_capacity(cap)).collect(),
            text: String::new(),
            keys: (0..ncols).map(|_| KeyColumn::default()).collect(),
            tally: RefCell::default(),
            code_cap: super::dict::MAX_CODES,
        }
    }
    /// True when the batch should be handed on: it has [`BATCH_ROWS`] rows, or one more row
    /// would take it over [`MAX_BATCH_CELLS`] cells (wide files).
    pub fn is_full(&self) -> bool {
        self.rows >= BATCH_ROWS || (self.rows + 1) * self.columns.len() > MAX_BATCH_CELLS
    }
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// True when the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
    /// The cells of column `c`.
    pub fn column(&self, c: usize) -> &[Cell] {
        self.columns.get(c).map_or(&[], Vec::as_slice)
    }
    /// Number of columns.
    pub fn width(&self) -> usize {
        self.columns.len()
    }
    /// The text a span refers to.
    pub fn text(&self, span: Span) -> &str {
        let s = span.start as usize;
        self.text.get(s..s + span.len as usize).unwrap_or("")
    }
    /// Stores a string and returns its span.
    pub fn push_text(&mut self, s: &str) -> Span {
        Batch::push_into(&mut self.text, s)
    }
    /// Stores `s` in `text` (the buffer [`Batch::parts_mut`] returns) and returns its span.
    #[inline]
    pub fn push_into(text: &mut String, s: &str) -> Span {
        let start = text.len() as u32;
        text.push_str(s);
        Span { start, len: s.len() as u32 }
    }
    /// The columns and the text buffer, to fill a row at once: push one cell to every
    /// column (texts with [`Batch::push_into`]), then call [`Batch::end_row`].
    pub fn parts_mut(&mut self) -> (&mut [Vec<Cell>], &mut String) {
        (&mut self.columns, &mut self.text)
    }
    /// Appends a cell to column `c` (the caller appends one cell per column per row).
    #[inline]
    pub fn push(&mut self, c: usize, cell: Cell) {
        if let Some(col) = self.columns.get_mut(c) {
            col.push(cell);
        }
    }
    /// Where the first row comes from: (byte offset of its record in the stream, its 1-based
    /// row within the decoder's segment). Row `r` of the batch is row `first_row + r` of the
    /// same segment, which [`crate::engine::state::RunState::global_row`] makes global
    /// (with the byte offset as a [`crate::ingest::findings::Loc`]'s `byte`).
    #[inline]
    pub fn origin(&self) -> (u64, u64) {
        (self.first_byte, self.first_row)
    }
    /// Sets [`Batch::origin`] (the decoder does, before the first row of a batch).
    #[inline]
    pub fn set_origin(&mut self, byte: u64, row_in_segment: u64) {
        (self.first_byte, self.first_row) = (byte, row_in_segment);
    }
    /// Marks the end of a row.
    pub fn end_row(&mut self) {
        self.rows += 1;
    }
    /// Empties the batch, keeping its allocations. A column whose codes no analysis asked
    /// for in this batch drops its dictionary (a new one, with a new id, starts when asked
    /// again): memory goes only to the columns still grouped by.
    pub fn clear(&mut self) {
        self.rows = 0;
        self.text.clear();
        for c in &mut self.columns {
            c.clear();
        }
        for k in &mut self.keys {
            if let Some(mut v) = k.codes.take() {
                v.clear();
                *k.spare.get_mut() = v;
            }
            k.counts.take();
            if !k.read.replace(false) && !k.dict.get_mut().is_empty() {
                *k.dict.get_mut() = ColumnDict::with_cap(self.code_cap);
            }
        }
    }

    /// The value codes of column `c`, one per row (see [`crate::ingest::dict`]): made on
    /// the first call in a batch, then borrowed. Codes mean the same values in every batch
    /// whose [`Batch::dict_id`] for `c` is the same.
    pub fn codes(&self, c: usize) -> &[u32] {
        let Some(k) = self.keys.get(c) else { return &[] };
        k.read.set(true);
        k.codes.get_or_init(|| {
            let mut out = std::mem::take(&mut *k.spare.borrow_mut());
            let mut dict = k.dict.borrow_mut();
            out.extend(self.column(c).iter().map(|cell| dict.code_with(cell, |span| self.text(span))));
            out.resize(self.rows, NO_VALUE);
            out
        })
    }

    /// The value codes of column `c` (as [`Batch::codes`]), each value code of the batch
    /// with its rows and first row, and the number of rows with no code of their own
    /// ([`crate::ingest::tally`]): counted on the first call in a batch, then borrowed, so
    /// every analysis that counts values by code shares one pass over the codes.
    pub fn code_counts(&self, c: usize) -> (&[u32], &[CodeCount], u32) {
        let codes = self.codes(c);
        let Some(k) = self.keys.get(c) else { return (codes, &[], 0) };
        let (seen, other) = k.counts.get_or_init(|| self.tally.borrow_mut().count_owned(codes));
        (codes, seen, *other)
    }

    /// [`Batch::code_counts`] when an analysis already asked for column `c`'s codes in this
    /// batch (see [`Batch::codes_if_made`]); `None` otherwise.
    pub fn code_counts_if_made(&self, c: usize) -> Option<(&[u32], &[CodeCount], u32)> {
        self.codes_if_made(c)?;
        Some(self.code_counts(c))
    }

    /// The value codes of column `c` when an analysis already asked for them in this
    /// batch (see [`Batch::codes`]); `None` otherwise. Asks for nothing: an analysis that
    /// can use codes but does not need them (the cell hashes of the duplicate-row check)
    /// takes them only where they are made anyway.
    pub fn codes_if_made(&self, c: usize) -> Option<&[u32]> {
        let k = self.keys.get(c)?;
        let codes = k.codes.get()?;
        k.read.set(true);
        Some(codes)
    }

    /// Lets every column's dictionary code at most `cap` values from now on (new
    /// dictionaries; a test of the uncoded path runs whole files with a tiny cap).
    pub fn limit_codes(&mut self, cap: usize) {
        self.code_cap = cap;
        for k in &mut self.keys {
            *k.dict.get_mut() = ColumnDict::with_cap(cap);
        }
    }

    /// The id of column `c`'s dictionary (0 for a column the batch does not have).
    pub fn dict_id(&self, c: usize) -> u64 {
        self.keys.get(c).map_or(0, |k| k.dict.borrow().id())
    }

    /// The text of code `code` of column `c` (see [`ColumnDict::text`]).
    pub fn code_text(&self, c: usize, code: u32) -> Option<String> {
        self.keys.get(c)?.dict.borrow().text(code)
    }
    /// Builds a batch from string rows (for tests and small inputs).
    pub fn from_rows(spec: &crate::spec::ValidSpec, rows: &[&[&str]]) -> Self {
        let mut b = Batch::new(spec.columns.len());
        b.push_rows(spec, rows);
        b
    }

    /// Reads `batches` of string rows through one batch buffer, as a decoder reads a range
    /// (dictionaries kept from batch to batch), whose dictionaries code at most `cap`
    /// values; `update` sees each batch (for tests comparing the coded and uncoded paths).
    #[cfg(test)]
    pub(crate) fn read_through<const N: usize>(
        spec: &crate::spec::ValidSpec,
        batches: &[Vec<[String; N]>],
        cap: Option<usize>,
        mut update: impl FnMut(&Batch),
    ) {
        let mut b = Batch::new(N);
        if let Some(cap) = cap {
            b.limit_codes(cap);
        }
        for rows in batches {
            b.clear();
            let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            b.push_rows(spec, &slices);
            update(&b);
        }
    }

    /// Appends string rows (for tests: a batch refilled after [`Batch::clear`] keeps its
    /// dictionaries, as the decoder's does).
    pub fn push_rows(&mut self, spec: &crate::spec::ValidSpec, rows: &[&[&str]]) {
        for r in rows {
            for (c, col) in spec.columns.iter().enumerate() {
                let cell = super::typing::parse_cell(spec, col, r.get(c).copied(), self);
                self.push(c, cell);
            }
            self.end_row();
        }
    }
}

/// The text of a cell for matching against a spec value (`None` when missing/invalid).
pub fn cell_text(batch: &Batch, cell: &Cell) -> Option<String> {
    match *cell {
        Cell::Missing(_) | Cell::Invalid(_) => None,
        Cell::Int(v) => Some(v.to_string()),
        Cell::Float(v) => Some(v.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::Date(v) | Cell::Datetime(v) => Some(v.to_string()),
        Cell::Text(s) => Some(batch.text(s).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_roundtrip_and_clear_keeps_width() {
        let mut b = Batch::new(2);
        let s = b.push_text("héllo");
        b.push(0, Cell::Text(s));
        b.push(1, Cell::Int(3));
        b.end_row();
        assert_eq!(b.text(s), "héllo");
        assert_eq!(b.rows(), 1);
        assert_eq!(b.column(1), &[Cell::Int(3)]);
        assert_eq!(b.column(7), &[] as &[Cell]);
        b.clear();
        assert!(b.is_empty());
        assert_eq!(b.width(), 2);
    }
}
