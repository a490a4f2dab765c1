//! The record splitter for lines without quotes: most records of real files contain no
//! quote byte, and for those a record is just "the bytes up to the first CR or LF, split on
//! the delimiter". The decoder splits such a record itself instead of running csv-core's
//! state machine (a table step per byte), and writes exactly what csv-core would write:
//! the fields' bytes contiguous in `out` (no delimiters), each field's end in `ends`, the
//! bytes up to and including the first CR or LF consumed (the LF of a CRLF is left to the
//! decoder's terminator skip, as after csv-core's record).
//!
//! It is taken only in the obviously simple case: a data record (not the header) at its
//! first byte (nothing of it fed to csv-core yet, so csv-core is between records), a
//! complete line in the bytes at hand, no quote byte before its terminator, and a line
//! short enough that no field can be over the size limit and no record can have too many
//! fields. Everything else goes to csv-core unchanged. Why csv-core's state stays right
//! when it skips records: after a record it is in its "end of record" or "CR seen" state
//! (or its start state), and the decoder only ever hands it a record's first byte next —
//! never a CR or LF, which the decoder skips itself — on which all three act alike.
//!
//! The scans use `memchr` (SSE2/AVX2 natively; on wasm32 its portable word-at-a-time
//! fallback unless the module is built with `simd128`).

use super::{Decoder, Phase, MAX_FIELDS_PER_RECORD};

/// Longest line the splitter takes: at most half a field per byte below the field limit
/// of a record ([`MAX_FIELDS_PER_RECORD`]), so a line it splits can never make csv-core's
/// path fail on too many fields.
const MAX_PLAIN_LINE: usize = MAX_FIELDS_PER_RECORD / 2;

/// Splits the record at the start of `rest` when `rest` holds its terminator (CR or LF), no
/// `quote` byte comes before it and the line is at most `max` bytes (and not empty): writes
/// its fields to `out` and `ends` from their starts, as csv-core does (fields contiguous,
/// no delimiters, each end the number of field bytes up to it; both grown as needed) and
/// returns `(consumed, nout, nend)`, the terminator consumed (but not the LF of a CRLF).
#[inline]
pub(super) fn split_record(
    rest: &[u8],
    delim: u8,
    quote: u8,
    max: usize,
    out: &mut Vec<u8>,
    ends: &mut Vec<usize>,
) -> Option<(usize, usize, usize)> {
    let j = memchr::memchr3(b'\n', b'\r', quote, rest)?;
    if rest[j] == quote || j == 0 || j > max {
        return None;
    }
    let line = &rest[..j];
    if out.len() < line.len() {
        out.resize(line.len().next_power_of_two(), 0);
    }
    let (mut nout, mut nend, mut start) = (0, 0, 0);
    for d in memchr::memchr_iter(delim, line).chain(std::iter::once(line.len())) {
        let field = &line[start..d];
        out[nout..nout + field.len()].copy_from_slice(field);
        nout += field.len();
        if nend == ends.len() {
            ends.resize(2 * ends.len() + 1, 0);
        }
        ends[nend] = nout;
        nend += 1;
        start = d + 1;
    }
    Some((j + 1, nout, nend))
}

impl Decoder {
    /// Splits the data record at the start of `rest` when it is a complete line without
    /// quotes (the module's conditions) and returns the bytes it consumed, terminator
    /// included; `None` leaves everything to csv-core.
    #[inline]
    pub(super) fn split_plain(&mut self, rest: &[u8]) -> Option<usize> {
        if !self.plain || self.phase != Phase::Records || self.pos != self.record_start {
            return None;
        }
        debug_assert!(self.nout == 0 && self.nend == 0);
        let max = MAX_PLAIN_LINE.min(usize::try_from(self.spec.max_field_bytes).unwrap_or(usize::MAX));
        let (d, q) = (self.spec.dialect.delimiter, self.spec.dialect.quote);
        let (n, nout, nend) = split_record(rest, d, q, max, &mut self.out, &mut self.ends)?;
        self.nout = nout;
        self.nend = nend;
        Some(n)
    }
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
