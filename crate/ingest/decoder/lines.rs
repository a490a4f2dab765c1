//! Lines and quotes: the decoder's account of the file's physical lines, and the findings
//! about quoted fields that span line breaks or are never closed (no silent loss on quotes).
//!
//! A line ends at LF, CRLF or CR — the terminators rows end at — and a last line without
//! one counts. Every line of a segment is counted once, without reading bytes twice:
//! - a data row is one line plus the line breaks inside its quoted fields. Those can only
//!   be in quoted fields (an unquoted line break ends the row), so only rows whose bytes
//!   exceed their fields, delimiters and terminator (they had quotes) are scanned;
//! - the header row's bytes (with any blank lines csv-core skipped before it) are counted
//!   as they are read, once per file;
//! - the terminators the decoder skips between rows beyond the row's own are blank lines.
//!   They count only once the segment has a record start, so the lines before a guessed
//!   range start are counted by the segment before it, never twice.
//!
//! A quote still open when the input ends is found by feeding the reader one line feed
//! first: inside a quoted field it is copied into the field (and taken off again), anywhere
//! else it ends the record just as the end of the input would. (csv-core does not expose
//! its state, and its `Reader::clone` does not copy the whole parser, so the reader itself
//! is asked, once, when nothing comes after.)

use super::{Decoder, Phase};
use crate::error::Result;
use crate::ingest::findings::{FindingsAcc, Loc};
use csv_core::ReadRecordResult;

/// What the line account carries between calls.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LineTrack {
    /// The last byte counted was a CR: a LF right after it ends the same line.
    prev_cr: bool,
    /// The reader was inside a quoted field when the input ended.
    open_at_eof: bool,
    /// The end of the input was announced to the reader (by [`Decoder::eof_line_feed`]).
    pub(super) probed: bool,
    /// Line breaks in the header's bytes so far, and whether the last byte was one.
    header_breaks: u64,
    header_ends_in_break: bool,
    /// Byte offset of the first data row (the estimate of a preview needs it).
    first_row: Option<u64>,
}

/// Line breaks in `bytes` (LF, CR and CRLF each once); `prev_cr` carries a CR ending the
/// previous slice, so that a CRLF split between two slices counts once.
fn breaks(bytes: &[u8], prev_cr: &mut bool) -> u64 {
    let mut n = 0;
    for &b in bytes {
        n += u64::from(b == b'\r' || (b == b'\n' && !*prev_cr));
        *prev_cr = b == b'\r';
    }
    n
}

impl Decoder {
    /// Counts the bytes the header read consumed (called from `read` in the header phase).
    pub(super) fn count_header_bytes(&mut self, bytes: &[u8]) {
        let t = &mut self.lines;
        t.header_breaks += breaks(bytes, &mut t.prev_cr);
        if let Some(&b) = bytes.last() {
            t.header_ends_in_break = matches!(b, b'\r' | b'\n');
        }
    }

    /// Counts the row terminators skipped between rows: those beyond a row's own are blank
    /// lines (none before the segment's first record start).
    pub(super) fn count_skipped(&mut self, bytes: &[u8], f: &mut FindingsAcc) {
        if self.seg_start.is_some() {
            f.lines.blank += breaks(bytes, &mut self.lines.prev_cr);
        }
    }

    /// Feeds the reader a line feed (room made for it); true when it went into a quoted
    /// field. It is not counted: the caller takes it off the field.
    fn feed_line_feed(&mut self) -> Result<(ReadRecordResult, usize)> {
        if self.nout == self.out.len() {
            self.grow_out()?;
        }
        if self.nend == self.ends.len() {
            self.grow_ends()?;
        }
        let (res, _, nout, nend) = self.rdr.read_record(b"\n", &mut self.out[self.nout..], &mut self.ends[self.nend..]);
        self.lines.open_at_eof = res == ReadRecordResult::InputEmpty && nout == 1;
        Ok((res, nend))
    }

    /// At the end of the input, instead of the reader's first read of nothing: a read of a
    /// line feed, reported as `(result, 0, 0, nend)` of the end of the input. Outside a
    /// quoted field that is what the end of the input gives; inside one, the record is then
    /// ended by the end of the input and the line feed taken off its last field.
    pub(super) fn eof_line_feed(&mut self) -> Result<(ReadRecordResult, usize, usize, usize)> {
        self.lines.probed = true;
        let (res, nend) = self.feed_line_feed()?;
        if !self.lines.open_at_eof {
            return Ok((res, 0, 0, nend));
        }
        let (res, _, _, nend) = self.rdr.read_record(&[], &mut [], &mut self.ends[self.nend..]);
        if nend == 1 {
            self.ends[self.nend] -= 1;
        }
        Ok((res, 0, 0, nend))
    }

    /// The header row is complete (`term`: its terminator, `None` at the end of the input).
    pub(super) fn header_done(&mut self, term: Option<u8>, f: &mut FindingsAcc) {
        let t = &mut self.lines;
        f.lines.header += t.header_breaks + u64::from(term.is_none() && !t.header_ends_in_break);
        t.header_breaks = 0;
    }

    /// A data row is complete: `out`/`ends` as csv-core wrote them, `term` its terminator
    /// (`None` at the end of the input). Records the quote findings.
    pub(super) fn row_lines(&mut self, loc: Loc, nout: usize, nend: usize, term: Option<u8>, f: &mut FindingsAcc) {
        let t = &mut self.lines;
        t.prev_cr = term == Some(b'\r');
        t.first_row.get_or_insert(self.record_start);
        let open = term.is_none() && t.open_at_eof;
        // Bytes of a row without quotes: its fields, a delimiter between each two, and the
        // terminator. More means quoted fields (whose quotes are not copied).
        let plain = (nout + nend) as u64 - u64::from(term.is_none());
        if self.pos - self.record_start <= plain && !open {
            return;
        }
        let out = &self.out[..nout];
        let mut start = 0;
        let mut n = 0;
        for &end in &self.ends[..nend] {
            let field = &out[start.min(end)..end.min(nout)];
            if field.iter().any(|&b| b == b'\r' || b == b'\n') {
                n += breaks(field, &mut false);
            }
            start = end;
        }
        // An open quote runs to the end of the file: a line break there ends its last line.
        let lines = n + 1 - u64::from(open && matches!(out.last(), Some(b'\r' | b'\n')));
        if lines > 1 {
            f.quoted_line_breaks.add(loc, lines);
        }
        if open {
            f.unterminated_quote.add(loc, lines);
        }
    }

    /// Where the data rows of the input fed so far start and where the last complete one
    /// ends, with the number of rows: `(rows, first_row_start, complete_end)`. For a preview
    /// of the file's first bytes.
    pub fn rows_read(&self) -> (u64, Option<u64>, u64) {
        let end = if self.phase == Phase::Records { self.record_start } else { self.pos };
        (self.rows, self.lines.first_row, end)
    }

    /// When the input fed so far ends inside a quoted field of a row that already spans
    /// line breaks: `(row start, row in segment, lines so far)`. For a preview that read only
    /// the file's first bytes (at the end of the input, [`FindingsAcc::unterminated_quote`]
    /// says it). This asks the reader with a line feed: feed nothing afterwards.
    pub fn open_quote(&mut self) -> Option<(u64, u64, u64)> {
        if self.phase != Phase::Records || self.lines.probed {
            return None;
        }
        self.lines.probed = true;
        self.feed_line_feed().ok().filter(|_| self.lines.open_at_eof)?;
        let n = breaks(&self.out[..self.nout], &mut false);
        (n > 0).then_some((self.record_start, self.rows + 1, n + 1))
    }
}
