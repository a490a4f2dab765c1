//! The push parser: `feed(&[u8])` / `finish_input()` over `csv-core`, with no IO.
//!
//! A [`Decoder`] reads one byte range of a file. It skips the byte-order mark and the
//! header when its range starts the file; otherwise, when its start is a guess, it skips
//! to the first record start after a line terminator ("align"). It processes every record
//! whose first content byte lies before the range end and then reports `next_start`, the
//! first record start at or after the end. [`crate::engine::split`] checks that the
//! `next_start` of each range equals the start of the next, which makes a wrong guess
//! (a split inside a quoted field with newlines) detectable and repairable.
//!
//! Records become typed [`Batch`]es handed to a sink; row-level problems become
//! [`FindingsAcc`] entries, never errors. Errors: a field over the size limit.

use super::batch::Batch;
use super::encoding::Encoding;
use super::findings::FindingsAcc;
use super::typing::Kind;
use crate::error::Result;
use crate::spec::ValidSpec;
use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};
use std::sync::Arc;

mod limits;
mod lines;
mod record;
mod split;

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
const MAX_FIELDS_PER_RECORD: usize = 1 << 22;
/// Longest record whose text cells share one copy of the record in the batch.
const SHARED_RECORD_BYTES: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Bom(usize),
    Header,
    Align,
    SkipTerm,
    Records,
    Done,
}

/// Where a decoder's records start and end, in stream bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// First byte covered (the range start for exact starts, else the first record start).
    pub start: u64,
    /// The first record start at or after the range end (or the end of the input).
    pub next_start: u64,
    /// Records processed.
    pub rows: u64,
    /// Source rows spanned, which finding positions count: records for CSV (the same as
    /// `rows`), lines for JSON Lines (blank and malformed lines too), sheet rows for
    /// workbooks.
    pub lines: u64,
}

/// Streaming CSV decoder for one byte range.
pub struct Decoder {
    spec: Arc<ValidSpec>,
    rdr: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    phase: Phase,
    pos: u64,
    end: u64,
    record_start: u64,
    seg_start: Option<u64>,
    next_start: Option<u64>,
    rows: u64,
    batch: Batch,
    utf16: Option<encoding_rs::Decoder>,
    tbuf: Vec<u8>,
    raw_fed: u64,
    /// How each column is typed; columns not wanted are `Kind::Skip` and read as missing.
    /// Later passes parse only the columns they need.
    kinds: Vec<Kind>,
    /// The account of physical lines and quotes ([`lines`]).
    lines: lines::LineTrack,
    /// Whether simple records (no quotes, or simply quoted fields) may be split without
    /// csv-core ([`split`]).
    plain: bool,
}

impl Decoder {
    /// A decoder for the range `[start, end)` of the file. `exact_start` says whether
    /// `start` is known to be a record start (always true for `start == 0`).
    pub fn new(spec: Arc<ValidSpec>, start: u64, end: u64, exact_start: bool) -> Self {
        let mut rdr = ReaderBuilder::new()
            .delimiter(spec.dialect.delimiter)
            .quote(spec.dialect.quote)
            .terminator(Terminator::CRLF)
            .build();
        disable_bom_stripping(&mut rdr);
        // UTF-16 is transcoded as one stream from byte 0: a range starting elsewhere covers
        // nothing (the first range reads the whole file).
        let utf16_elsewhere = spec.encoding.is_utf16() && start != 0;
        let (phase, utf16, end) = if utf16_elsewhere {
            (Phase::Done, None, end)
        } else if spec.encoding.is_utf16() {
            let enc = if spec.encoding == Encoding::Utf16le { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
            (Decoder::after_bom(&spec), Some(enc.new_decoder_with_bom_removal()), u64::MAX)
        } else if start == 0 {
            (Phase::Bom(0), None, end)
        } else if exact_start {
            (Phase::SkipTerm, None, end)
        } else {
            (Phase::Align, None, end)
        };
        let seg_start = (exact_start || start == 0 || utf16.is_some() || utf16_elsewhere)
            .then_some(if utf16.is_some() { 0 } else { start });
        let ncols = spec.columns.len();
        let plain = utf16.is_none() && !utf16_elsewhere && !matches!(spec.dialect.delimiter, b'\r' | b'\n');
        Decoder {
            rdr,
            out: vec![0; 64 * 1024],
            ends: vec![0; ncols.max(8) + 1],
            nout: 0,
            nend: 0,
            phase,
            pos: if utf16.is_some() { 0 } else { start },
            end,
            record_start: start,
            seg_start,
            next_start: utf16_elsewhere.then_some(start),
            rows: 0,
            batch: Batch::new(ncols),
            utf16,
            tbuf: Vec::new(),
            raw_fed: 0,
            kinds: spec.columns.iter().map(|col| Kind::of(&spec, col, true)).collect(),
            lines: lines::LineTrack::default(),
            plain,
            spec,
        }
    }

    fn after_bom(spec: &ValidSpec) -> Phase {
        if spec.dialect.header {
            Phase::Header
        } else {
            Phase::SkipTerm
        }
    }

    /// Parses only `columns` (by index); every other cell reads as missing.
    pub fn only_columns(&mut self, columns: &[u32]) {
        let mut w = vec![false; self.spec.columns.len()];
        for &c in columns {
            if let Some(x) = w.get_mut(c as usize) {
                *x = true;
            }
        }
        self.kinds = self.spec.columns.iter().zip(w).map(|(col, want)| Kind::of(&self.spec, col, want)).collect();
    }

    /// Lets the batch's dictionaries code at most `cap` values per column (see
    /// [`Batch::limit_codes`]).
    pub fn limit_codes(&mut self, cap: usize) {
        self.batch.limit_codes(cap);
    }

    /// True when this decoder reads to the end of the file whatever its range (UTF-16).
    pub fn reads_to_end(&self) -> bool {
        self.utf16.is_some()
    }

    /// Bytes of the file fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.raw_fed
    }

    /// True once the range is complete: feed no more.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Coverage once done (`None` before).
    pub fn coverage(&self) -> Option<Coverage> {
        let next = self.next_start?;
        let raw_next = if self.utf16.is_some() { self.raw_fed } else { next };
        Some(Coverage {
            start: self.seg_start.unwrap_or(next),
            next_start: raw_next,
            rows: self.rows,
            lines: self.rows,
        })
    }

    /// Feeds the next bytes of the range. Returns true when the range is complete.
    pub fn feed(&mut self, bytes: &[u8], findings: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<bool> {
        self.raw_fed += bytes.len() as u64;
        if self.phase == Phase::Done {
            return Ok(true);
        }
        if let Some(dec) = self.utf16.as_mut() {
            let mut tbuf = std::mem::take(&mut self.tbuf);
            transcode(dec, bytes, false, &mut tbuf);
            let r = self.process(&tbuf, false, findings, sink);
            tbuf.clear();
            self.tbuf = tbuf;
            r?;
        } else {
            self.process(bytes, false, findings, sink)?;
        }
        Ok(self.is_done())
    }

    /// Signals the end of the file and flushes the last record and batch.
    pub fn finish_input(&mut self, findings: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        if let Some(dec) = self.utf16.as_mut() {
            let mut tbuf = std::mem::take(&mut self.tbuf);
            transcode(dec, &[], true, &mut tbuf);
            self.process(&tbuf, true, findings, sink)?;
        } else {
            self.process(&[], true, findings, sink)?;
        }
        if !self.batch.is_empty() {
            sink(&self.batch);
            self.batch.clear();
        }
        Ok(())
    }

    /// Hands the rows decoded so far to `sink` (for a preview that stops before the end).
    pub fn flush(&mut self, sink: &mut dyn FnMut(&Batch)) {
        if !self.batch.is_empty() {
            sink(&self.batch);
            self.batch.clear();
        }
    }

    fn done_at(&mut self, at: u64, sink: &mut dyn FnMut(&Batch)) {
        self.phase = Phase::Done;
        self.next_start = Some(at);
        if self.seg_start.is_none() {
            self.seg_start = Some(at);
        }
        if !self.batch.is_empty() {
            sink(&self.batch);
            self.batch.clear();
        }
    }

    fn process(
        &mut self,
        mut input: &[u8],
        eof: bool,
        f: &mut FindingsAcc,
        sink: &mut dyn FnMut(&Batch),
    ) -> Result<()> {
        loop {
            match self.phase {
                Phase::Done => return Ok(()),
                Phase::Bom(k) => {
                    if let Some(&b) = input.first() {
                        if b == UTF8_BOM[k] {
                            input = &input[1..];
                            self.pos += 1;
                            self.phase = if k == 2 { Decoder::after_bom(&self.spec) } else { Phase::Bom(k + 1) };
                            continue;
                        }
                    } else if !eof {
                        return Ok(());
                    }
                    // Not a BOM: replay the bytes taken so far as content.
                    self.phase = Decoder::after_bom(&self.spec);
                    self.pos -= k as u64;
                    self.process(&UTF8_BOM[..k], false, f, sink)?;
                }
                Phase::Align => match input.iter().position(|&b| b == b'\n' || b == b'\r') {
                    Some(j) => {
                        input = &input[j + 1..];
                        self.pos += j as u64 + 1;
                        self.phase = Phase::SkipTerm;
                    }
                    None => {
                        self.pos += input.len() as u64;
                        if eof {
                            let p = self.pos;
                            self.done_at(p, sink);
                        }
                        return Ok(());
                    }
                },
                Phase::SkipTerm => {
                    let skip = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
                    self.count_skipped(&input[..skip], f);
                    input = &input[skip..];
                    self.pos += skip as u64;
                    if input.is_empty() {
                        if eof {
                            let p = self.pos;
                            self.done_at(p, sink);
                        }
                        return Ok(());
                    }
                    if self.pos >= self.end {
                        let p = self.pos;
                        self.done_at(p, sink);
                        return Ok(());
                    }
                    self.record_start = self.pos;
                    if self.seg_start.is_none() {
                        self.seg_start = Some(self.pos);
                    }
                    self.phase = Phase::Records;
                }
                Phase::Header | Phase::Records => {
                    let consumed = self.read(input, eof, f, sink)?;
                    input = &input[consumed..];
                    if input.is_empty() && !eof {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Runs csv-core until a record completes or the input is used up; returns bytes used.
    /// An empty slice means end of input to csv-core, so it is passed only when `eof`.
    fn read(&mut self, input: &[u8], eof: bool, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<usize> {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            if rest.is_empty() && !eof {
                return Ok(used);
            }
            if let Some(n) = self.split_plain(rest) {
                used += n;
                self.pos += n as u64;
                self.check_field_lengths()?;
                self.record_done(f, sink, Some(rest[n - 1]));
                self.phase = Phase::SkipTerm;
                return Ok(used);
            }
            let (res, nin, nout, nend) = if rest.is_empty() && !self.lines.probed {
                self.eof_line_feed()?
            } else {
                self.rdr.read_record(rest, &mut self.out[self.nout..], &mut self.ends[self.nend..])
            };
            if self.phase == Phase::Header {
                self.count_header_bytes(&rest[..nin]);
            }
            used += nin;
            self.pos += nin as u64;
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.grow_out()?,
                ReadRecordResult::OutputEndsFull => self.grow_ends()?,
                ReadRecordResult::Record => {
                    self.check_field_lengths()?;
                    self.record_done(f, sink, rest[..nin].last().copied());
                    self.phase = Phase::SkipTerm;
                    return Ok(used);
                }
                ReadRecordResult::End => {
                    let p = self.pos;
                    self.done_at(p, sink);
                    return Ok(used);
                }
            }
        }
    }
}

/// csv-core skips a UTF-8 BOM at the start of a reader's first input, but only when that
/// input holds all three bytes, so the result would depend on chunking (and a BOM at the
/// start of a later range would vanish). The decoder skips the file's BOM itself; this
/// makes csv-core treat any other BOM as content. A read into an empty output consumes
/// nothing and changes no state, but counts as the first read.
pub fn disable_bom_stripping(rdr: &mut Reader) {
    let _ = rdr.read_record(b",", &mut [], &mut []);
}

/// Appends the UTF-8 of `src` to `dst`; undecodable code units become U+FFFD, which
/// `record_done` counts per field.
fn transcode(dec: &mut encoding_rs::Decoder, src: &[u8], last: bool, dst: &mut Vec<u8>) {
    let need = dec.max_utf8_buffer_length(src.len()).unwrap_or(src.len() * 3 + 16);
    let old = dst.len();
    dst.resize(old + need, 0);
    let (_, _, written, _) = dec.decode_to_utf8(src, &mut dst[old..], last);
    dst.truncate(old + written);
}
