//! JSON Lines (NDJSON): one JSON object per line, read as a push decoder over one byte
//! range, like the CSV decoder.
//!
//! A JSON string cannot hold a raw newline, so every `\n` ends a line: a range that does
//! not start the file skips to just after its first `\n`, and that guess is always right
//! (the split check never re-runs a JSON Lines range). A line whose first byte is before
//! the range end belongs to the range.
//!
//! Every object is one row; its leaves are the cells (nested objects flattened with dotted
//! names, lists kept as their JSON text); a field missing from an object is a missing
//! cell. A blank line is not a row. A line that is not one JSON object is a
//! `malformed_lines` finding, not a row; a line with fields that are not columns of the
//! preview is a `ragged_rows` finding (the extra fields are not read). Positions count
//! lines: a finding's row is the file's line number (blank and malformed lines included),
//! so batches never span a line that is not a row.

use super::cells::{cell, Value};
use super::json::{read_object, Leaf};
use crate::error::{Error, ErrorKind, Position, Result};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::decoder::Coverage;
use crate::ingest::findings::{FindingsAcc, Loc};
use crate::ingest::typing::Kind;
use crate::ingest::value::{MISSING_ABSENT, MISSING_NULL};
use crate::spec::ValidSpec;
use std::collections::HashMap;
use std::sync::Arc;

/// The decoder of one byte range of a JSON Lines file.
pub struct JsonlDecoder {
    spec: Arc<ValidSpec>,
    kinds: Vec<Kind>,
    index: HashMap<String, usize>,
    /// The start of a line that did not end in the bytes fed so far.
    carry: Vec<u8>,
    aligning: bool,
    done: bool,
    /// Stream offset of the next byte to be fed.
    pos: u64,
    /// Stream offset of the current line's first byte.
    line_start: u64,
    end: u64,
    seg_start: Option<u64>,
    next_start: Option<u64>,
    rows: u64,
    lines: u64,
    batch: Batch,
    row: Vec<Cell>,
    invalid: Vec<u32>,
    raw_fed: u64,
}

impl JsonlDecoder {
    /// A decoder for the lines starting in `[start, end)`; `exact_start`: `start` is a line
    /// start (always true for 0).
    pub fn new(spec: Arc<ValidSpec>, start: u64, end: u64, exact_start: bool) -> Self {
        let aligning = start != 0 && !exact_start;
        let ncols = spec.columns.len();
        JsonlDecoder {
            kinds: spec.columns.iter().map(|c| Kind::of(&spec, c, true)).collect(),
            index: spec.columns.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect(),
            carry: Vec::new(),
            aligning,
            done: false,
            pos: start,
            line_start: start,
            end,
            seg_start: (!aligning).then_some(start),
            next_start: None,
            rows: 0,
            lines: 0,
            batch: Batch::new(ncols),
            row: vec![Cell::Missing(MISSING_ABSENT); ncols],
            invalid: Vec::new(),
            raw_fed: 0,
            spec,
        }
    }

    /// Lets the batch's dictionaries code at most `cap` values per column (tests).
    pub fn limit_codes(&mut self, cap: usize) {
        self.batch.limit_codes(cap);
    }

    /// Types only `columns`; every other cell reads as missing.
    pub fn only_columns(&mut self, columns: &[u32]) {
        for (i, k) in self.kinds.iter_mut().enumerate() {
            if !columns.contains(&(i as u32)) {
                *k = Kind::Skip;
            }
        }
    }

    /// Bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.raw_fed
    }

    /// True once the range is complete.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Coverage once done.
    pub fn coverage(&self) -> Option<Coverage> {
        let next = self.next_start?;
        Some(Coverage { start: self.seg_start.unwrap_or(next), next_start: next, rows: self.rows, lines: self.lines })
    }

    /// Feeds the next bytes; true when the range is complete.
    pub fn feed(&mut self, mut bytes: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<bool> {
        self.raw_fed += bytes.len() as u64;
        while !self.done && !bytes.is_empty() {
            let nl = bytes.iter().position(|&b| b == b'\n');
            if self.aligning {
                match nl {
                    Some(j) => {
                        self.pos += j as u64 + 1;
                        bytes = &bytes[j + 1..];
                        self.aligning = false;
                        self.line_start = self.pos;
                        self.seg_start = Some(self.pos);
                    }
                    None => {
                        self.pos += bytes.len() as u64;
                        return Ok(false);
                    }
                }
                continue;
            }
            if self.line_start >= self.end && self.carry.is_empty() {
                let at = self.line_start;
                self.done_at(at, sink);
                break;
            }
            let Some(j) = nl else {
                if (self.carry.len() + bytes.len()) as u64 > self.spec.max_field_bytes {
                    return Err(self.too_long());
                }
                self.carry.extend_from_slice(bytes);
                self.pos += bytes.len() as u64;
                break;
            };
            self.pos += j as u64 + 1;
            if self.carry.is_empty() {
                self.line(&bytes[..j], f, sink);
            } else {
                let mut line = std::mem::take(&mut self.carry);
                line.extend_from_slice(&bytes[..j]);
                self.line(&line, f, sink);
                line.clear();
                self.carry = line;
            }
            bytes = &bytes[j + 1..];
            self.line_start = self.pos;
        }
        Ok(self.done)
    }

    /// Signals the end of the file: reads a last line without `\n` and flushes.
    pub fn finish_input(&mut self, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        if !self.done {
            if !self.aligning && !self.carry.is_empty() && self.line_start < self.end {
                let line = std::mem::take(&mut self.carry);
                self.line(&line, f, sink);
            }
            let at = self.pos;
            self.done_at(at, sink);
        }
        Ok(())
    }

    fn done_at(&mut self, at: u64, sink: &mut dyn FnMut(&Batch)) {
        self.done = true;
        self.next_start = Some(at);
        self.seg_start.get_or_insert(at);
        self.flush(sink);
    }

    fn flush(&mut self, sink: &mut dyn FnMut(&Batch)) {
        if !self.batch.is_empty() {
            sink(&self.batch);
            self.batch.clear();
        }
    }

    fn too_long(&self) -> Error {
        let row = (self.seg_start == Some(0)).then_some(self.lines + 1);
        Error::new(
            ErrorKind::FieldTooLong { limit: self.spec.max_field_bytes },
            Position { byte: Some(self.line_start), row, column: None },
        )
    }

    /// One complete line (without its `\n`).
    fn line(&mut self, raw: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) {
        self.lines += 1;
        let loc = |column| Loc { byte: self.line_start, column, row_in_segment: self.lines };
        let mut raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if self.line_start == 0 {
            raw = raw.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(raw);
        }
        if raw.iter().all(u8::is_ascii_whitespace) {
            self.flush(sink); // not a row: the next batch starts at the next line
            return;
        }
        let text = match std::str::from_utf8(raw) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => {
                f.undecodable_fields.add(loc(None));
                String::from_utf8_lossy(raw)
            }
        };
        let (spec, kinds, index) = (&*self.spec, &self.kinds, &self.index);
        let (row, invalid) = (&mut self.row, &mut self.invalid);
        row.iter_mut().for_each(|c| *c = Cell::Missing(MISSING_ABSENT));
        invalid.clear();
        let mut extra = false;
        let (_, buf) = self.batch.parts_mut();
        let mark = buf.len();
        let parsed = read_object(&text, &mut |name, leaf| {
            let Some(&c) = index.get(name) else {
                extra = true;
                return;
            };
            let v = match &leaf {
                Leaf::Str(s) => Value::Text(s),
                Leaf::Num(n) => Value::Number(n),
                Leaf::Bool(b) => Value::Bool(*b, if *b { "true" } else { "false" }),
                Leaf::Null => Value::Missing(MISSING_NULL),
                Leaf::List(t) => Value::Structured(t),
            };
            let (cell, bad) = cell(spec, kinds[c], v, buf);
            row[c] = cell;
            if bad {
                invalid.push(c as u32);
            } else {
                invalid.retain(|&i| i as usize != c); // a repeated field: the last one counts
            }
        });
        if parsed.is_err() {
            buf.truncate(mark);
            f.malformed_lines.add(loc(None));
            self.flush(sink);
            return;
        }
        self.rows += 1;
        if self.batch.is_empty() {
            self.batch.set_origin(self.line_start, self.lines);
        }
        if extra {
            f.ragged_rows.add(loc(None));
        }
        for &c in &self.invalid {
            f.unparseable_cells.add(loc(Some(c)));
        }
        let (cols, _) = self.batch.parts_mut();
        for (col, &c) in cols.iter_mut().zip(self.row.iter()) {
            col.push(c);
        }
        self.batch.end_row();
        if self.batch.is_full() {
            self.flush(sink);
        }
    }
}
