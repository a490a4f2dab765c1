//! Typed column batches: what the decoder hands to every accumulator.
//!
//! A [`Batch`] holds up to [`BATCH_ROWS`] rows, column-major: `columns[c][r]` is the
//! [`Cell`] of row `r` in column `c`. Strings live once in the batch's text buffer and
//! cells refer to them by [`Span`].

/// Rows per batch.
pub const BATCH_ROWS: usize = 2048;

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
    /// Empties the batch, keeping its allocations.
    pub fn clear(&mut self) {
        self.rows = 0;
        self.text.clear();
        for c in &mut self.columns {
            c.clear();
        }
    }
    /// Builds a batch from string rows (for tests and small inputs).
    pub fn from_rows(spec: &crate::spec::ValidSpec, rows: &[&[&str]]) -> Self {
        let mut b = Batch::new(spec.columns.len());
        for r in rows {
            for (c, col) in spec.columns.iter().enumerate() {
                let cell = super::typing::parse_cell(spec, col, r.get(c).copied(), &mut b);
                b.push(c, cell);
            }
            b.end_row();
        }
        b
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
