//! The record splitter for simple lines: most records of real files contain no quote byte,
//! or only fields simply enclosed in quotes (a text with a comma), and for those a record is
//! just "the bytes up to the first CR or LF, split on the delimiter", with the quoted fields'
//! content taken between their quotes. The decoder splits such a record itself instead of running csv-core's
//! state machine (a table step per byte), and writes exactly what csv-core would write:
//! the fields' bytes contiguous in `out` (no delimiters), each field's end in `ends`, the
//! bytes up to and including the first CR or LF consumed (the LF of a CRLF is left to the
//! decoder's terminator skip, as after csv-core's record).
//!
//! It is taken only in the obviously simple case: a data record (not the header) at its
//! first byte (nothing of it fed to csv-core yet, so csv-core is between records), a
//! complete line in the bytes at hand, every quote byte before its terminator part of a
//! simply quoted field (one that starts with a quote, holds no CR or LF, writes a quote as
//! two — csv-core's default — and ends with a quote right before a delimiter or the line's
//! end; anything else, such as a quote inside an unquoted field or text after a closing
//! quote, is csv-core's), and a line short enough that no field can be over the size limit and no record can have too many
//! fields. Everything else goes to csv-core unchanged. Why csv-core's state stays right
//! when it skips records: after a record it is in its "end of record" or "CR seen" state
//! (or its start state), and the decoder only ever hands it a record's first byte next —
//! never a CR or LF, which the decoder skips itself — on which all three act alike.
//!
//! The line end (or a quote) is found with `memchr::memchr3` (AVX2/SSE2 natively; on
//! wasm32, built without `simd128`, its portable fallback reading a `usize`, four bytes, at
//! a time), and a quoted field's closing quote the same way; the unquoted bytes are then
//! split eight bytes at a time: each word's delimiters as a bit
//! mask (SWAR), each piece between them stored as a whole shifted word. Per-field `memchr`
//! calls measured no faster than csv-core itself (callgrind, docs/DESIGN.md).

use super::{Decoder, Phase, MAX_FIELDS_PER_RECORD};

/// Longest line the splitter takes (2 MiB): such a line has at most about a million fields,
/// well below [`MAX_FIELDS_PER_RECORD`], so csv-core's path could not have failed on too
/// many fields. Longer lines, and lines over the field limit, are left to csv-core, which
/// reports those errors as before.
const MAX_PLAIN_LINE: usize = MAX_FIELDS_PER_RECORD / 2;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that equals the byte repeated in `b` (exact: no carry
/// crosses a byte).
#[inline(always)]
fn eq_bytes(w: u64, b: u64) -> u64 {
    let x = w ^ b;
    !(((x & !HI).wrapping_add(!HI)) | x) & HI
}

/// Splits the record at the start of `rest` when `rest` holds its terminator (CR or LF),
/// the line is at most `max` bytes (and not empty) and every quote byte in it belongs to a
/// simply quoted field: a field that starts with a quote, holds no CR or LF, writes a
/// quote as two, and ends with a quote right before a delimiter or the line's end. Writes
/// its fields to `out` and `ends` from their starts, as csv-core does (fields contiguous,
/// no delimiters and no enclosing quotes, a doubled quote as one, each end the number of
/// field bytes up to it; both grown as needed) and returns `(consumed, nout, nend)`, the
/// terminator consumed (but not the LF of a CRLF). Anything else — a quote inside an
/// unquoted field, text after a closing quote, a line break inside quotes — is `None`.
#[inline]
pub(super) fn split_record(
    rest: &[u8],
    delim: u8,
    quote: u8,
    max: usize,
    out: &mut Vec<u8>,
    ends: &mut Vec<usize>,
) -> Option<(usize, usize, usize)> {
    if delim == quote {
        return None;
    }
    let bd = LO * u64::from(delim);
    // (bytes of fields written, fields ended); the current field is open.
    let mut at = (0, 0);
    // Where the bytes not yet split start: 0, or the byte after a closing quote.
    let mut pos = 0;
    loop {
        let j = pos + memchr::memchr3(b'\n', b'\r', quote, rest.get(pos..)?)?;
        if j > max {
            return None;
        }
        split_segment(rest, pos, j, bd, out, ends, &mut at);
        if rest[j] != quote {
            if j == 0 {
                return None;
            }
            let (nout, nend) = at;
            if nend == ends.len() {
                ends.resize(2 * nend + 1, 0);
            }
            ends[nend] = nout;
            return Some((j + 1, nout, nend + 1));
        }
        // A quote opens a field only at its start; its content runs to the next single quote.
        if j > 0 && rest[j - 1] != delim {
            return None;
        }
        let mut i = j + 1;
        loop {
            let k = i + memchr::memchr3(quote, b'\n', b'\r', rest.get(i..)?)?;
            if rest[k] != quote || k > max {
                return None; // a line break inside quotes (or too long a line): csv-core's
            }
            let doubled = rest.get(k + 1) == Some(&quote);
            let piece = &rest[i..k + usize::from(doubled)];
            let nout = at.0;
            if out.len() < nout + piece.len() + 8 {
                out.resize((nout + piece.len() + 8).next_power_of_two(), 0);
            }
            out[nout..nout + piece.len()].copy_from_slice(piece);
            at.0 += piece.len();
            i = k + 1 + usize::from(doubled);
            if !doubled {
                break;
            }
        }
        // After the closing quote: a delimiter (it ends the field) or the line's end.
        match rest.get(i) {
            Some(&b) if b == delim || b == b'\n' || b == b'\r' => pos = i,
            _ => return None,
        }
    }
}

/// Appends `rest[from..to]` (no quote, no CR or LF) to the fields: each delimiter ends one.
/// Reads whole words, past `to` where `rest` goes on.
#[inline]
fn split_segment(
    rest: &[u8],
    from: usize,
    to: usize,
    bd: u64,
    out: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    at: &mut (usize, usize),
) {
    // Room for the piece and for whole-word stores past its last byte (`at.0 <= from`).
    if out.len() < to + 8 {
        out.resize((to + 8).next_power_of_two(), 0);
    }
    let line = &rest[from..to];
    let mut words = line.chunks_exact(8);
    for w in words.by_ref() {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        split_word(u64::from_le_bytes(b), 8, bd, out, ends, at);
    }
    let tail = words.remainder().len();
    if tail > 0 {
        // The last bytes, read as a whole word from `rest` where it goes on (it holds at
        // least the byte that stopped the segment), else copied into one.
        let mut b = [0u8; 8];
        match rest.get(to - tail..to - tail + 8) {
            Some(w) => b.copy_from_slice(w),
            None => b[..tail].copy_from_slice(&line[line.len() - tail..]),
        }
        split_word(u64::from_le_bytes(b), tail, bd, out, ends, at);
    }
}

/// Appends the first `len` bytes of the word `w` (little-endian) to the fields: each
/// delimiter ends a field. Each piece is stored as a whole word shifted to its start; the
/// bytes past the piece are overwritten by the next one or lie past `nout`. `ends` grows
/// here, once per word, so that it stays as long as the fields need, as with csv-core.
#[inline(always)]
fn split_word(w: u64, len: usize, bd: u64, out: &mut [u8], ends: &mut Vec<usize>, at: &mut (usize, usize)) {
    let (mut nout, mut nend) = *at;
    if ends.len() < nend + 8 {
        ends.resize(2 * ends.len() + 8, 0);
    }
    let mut delims = eq_bytes(w, bd) & (HI >> (8 * (8 - len)));
    let mut s = 0;
    while delims != 0 {
        let b = (delims.trailing_zeros() / 8) as usize;
        out[nout..nout + 8].copy_from_slice(&(w >> (8 * s)).to_le_bytes());
        nout += b - s;
        ends[nend] = nout;
        nend += 1;
        s = b + 1;
        delims &= delims - 1;
    }
    if s < len {
        out[nout..nout + 8].copy_from_slice(&(w >> (8 * s)).to_le_bytes());
        nout += len - s;
    }
    *at = (nout, nend);
}

impl Decoder {
    /// Splits the data record at the start of `rest` when it is a complete simple line (the
    /// module's conditions) and returns the bytes it consumed, terminator
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
