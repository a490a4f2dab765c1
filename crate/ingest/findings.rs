//! Findings: problems in individual rows that do not stop a run (ragged rows, unparseable
//! cells, undecodable bytes, quoted fields that span line breaks, a quote never closed).
//! Each is counted, and the first positions are kept; the physical lines of the file are
//! accounted for ([`LineCounts`]) so that rows and lines can be reconciled.
//!
//! Positions are recorded as (byte offset, row within the worker's segment); rows are made
//! global at the end, when every segment's row count is known (see
//! [`crate::engine::state::RunState::global_row`]). Merging keeps the [`FIRST_N`] earliest positions
//! by byte offset, so the result does not depend on how the file was split.

use serde::{Deserialize, Serialize};

/// How many positions are kept per kind of finding.
pub const FIRST_N: usize = 10;

/// Where a finding was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Loc {
    /// Byte offset of the record in the (decoded) stream.
    pub byte: u64,
    /// Column index, if the finding is about one cell.
    pub column: Option<u32>,
    /// 1-based row within the segment.
    pub row_in_segment: u64,
}

/// A count plus the earliest positions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sampled {
    /// How many times it happened.
    pub count: u64,
    /// The earliest positions (at most [`FIRST_N`]).
    pub first: Vec<Loc>,
}

impl Sampled {
    /// Records one occurrence.
    #[inline]
    pub fn add(&mut self, loc: Loc) {
        self.count += 1;
        if self.first.len() < FIRST_N {
            self.first.push(loc);
        }
    }
    /// Merges another sample.
    pub fn merge(&mut self, other: Sampled) {
        self.count += other.count;
        self.first.extend(other.first);
        self.first.sort();
        self.first.truncate(FIRST_N);
    }
}

/// A row that spans several physical lines (a quoted field holds line breaks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SpanLoc {
    /// Where the row starts.
    pub loc: Loc,
    /// Physical lines the row spans (at least 2).
    pub lines: u64,
}

/// Rows spanning several lines: how many, how many lines beyond their first, and the
/// earliest positions (merged by byte offset like [`Sampled`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spans {
    /// Rows.
    pub count: u64,
    /// Lines beyond each row's first line, summed.
    pub extra_lines: u64,
    /// The earliest rows (at most [`FIRST_N`]).
    pub first: Vec<SpanLoc>,
}

impl Spans {
    /// Records one row spanning `lines` lines.
    pub fn add(&mut self, loc: Loc, lines: u64) {
        self.count += 1;
        self.extra_lines += lines.saturating_sub(1);
        if self.first.len() < FIRST_N {
            self.first.push(SpanLoc { loc, lines });
        }
    }
    /// Merges another sample.
    pub fn merge(&mut self, other: Spans) {
        self.count += other.count;
        self.extra_lines += other.extra_lines;
        self.first.extend(other.first);
        self.first.sort();
        self.first.truncate(FIRST_N);
    }
}

/// How the physical lines of a file divide (a line ends at LF, CRLF or CR, as rows do; a
/// last line without a line break counts): lines = `header` + data rows + the lines of
/// data rows beyond their first ([`Spans::extra_lines`] of the quoted line breaks) +
/// `blank`. Rows come from the segments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCounts {
    /// Lines of the header row (1, more when a quoted name holds line breaks), with any
    /// blank lines before it.
    pub header: u64,
    /// Blank lines between or after rows (skipped, not rows).
    pub blank: u64,
}

impl LineCounts {
    /// Adds another segment's counts.
    pub fn merge(&mut self, other: LineCounts) {
        self.header += other.header;
        self.blank += other.blank;
    }
}

/// All row-level findings of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingsAcc {
    /// Rows whose field count differs from the header's.
    pub ragged_rows: Sampled,
    /// Cells that do not parse as their column's type.
    pub unparseable_cells: Sampled,
    /// Fields that were not valid UTF-8 and were decoded as Windows-1252, or UTF-16 code
    /// units that could not be decoded (replaced by U+FFFD).
    pub undecodable_fields: Sampled,
    /// Rows with a quoted field that spans line breaks.
    pub quoted_line_breaks: Spans,
    /// The row whose quote is never closed: it runs to the end of the file (at most one).
    pub unterminated_quote: Spans,
    /// The file's physical lines, for reconciling rows with lines.
    pub lines: LineCounts,
}

impl FindingsAcc {
    /// Merges another accumulator.
    pub fn merge(&mut self, other: FindingsAcc) {
        self.ragged_rows.merge(other.ragged_rows);
        self.unparseable_cells.merge(other.unparseable_cells);
        self.undecodable_fields.merge(other.undecodable_fields);
        self.quoted_line_breaks.merge(other.quoted_line_breaks);
        self.unterminated_quote.merge(other.unterminated_quote);
        self.lines.merge(other.lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(byte: u64) -> Loc {
        Loc { byte, column: None, row_in_segment: byte }
    }

    #[test]
    fn merge_keeps_earliest_regardless_of_order() {
        let mut a = Sampled::default();
        let mut b = Sampled::default();
        for i in 0..15 {
            a.add(loc(100 + i));
            b.add(loc(i));
        }
        let mut ab = a.clone();
        ab.merge(b.clone());
        let mut ba = b;
        ba.merge(a);
        assert_eq!(ab, ba);
        assert_eq!(ab.count, 30);
        assert_eq!(ab.first.iter().map(|l| l.byte).collect::<Vec<_>>(), (0..10).collect::<Vec<_>>());
    }
}
