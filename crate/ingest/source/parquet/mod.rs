//! Parquet: ranges are row groups. privaudit reads the *wire format* ([`wire`]) of the
//! Parquet reader `privaudit-parquet` (a workspace member that does not depend on
//! privaudit): natively the CLI links it ([`native`], feature `parquet`) and turns each
//! row group's bytes into wire messages as it reads them; in the browser a second wasm
//! module does, and the main module never holds Parquet code. Typed values go through
//! [`super::cells::cell`], so a declared type that disagrees is a finding, as for JSON
//! Lines and workbooks; nulls are missing (code 253).
//!
//! A range `[start, end)` holds the row groups whose first byte is in it (the first range
//! starts at byte 0, before the first row group); its segment ends where the next range's
//! first row group starts, so the chain check needs no guesses. A finding's row is the
//! row's number in the file (row groups in footer order).

#[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
pub mod native;
pub mod preview;
pub mod wire;

use super::cells::cell;
use crate::error::Result;
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::decoder::Coverage;
use crate::ingest::findings::{FindingsAcc, Loc};
use crate::ingest::typing::Kind;
use crate::ingest::value::MISSING_NULL;
use crate::spec::ValidSpec;
use std::sync::Arc;

/// Calls `each(message, file_bytes)` with the wire message of every row group of the
/// range `[start, end)` of `src` (a whole Parquet file), in order. Needs the linked reader.
pub fn for_each_group<R: std::io::Read + std::io::Seek>(
    src: &mut R,
    start: u64,
    end: u64,
    each: &mut dyn FnMut(&[u8], u64) -> Result<()>,
) -> Result<()> {
    #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
    return native::for_each_group(src, start, end, each);
    #[cfg(not(all(feature = "parquet", not(target_arch = "wasm32"))))]
    {
        let _ = (src, start, end, each);
        Err(no_reader())
    }
}

/// The error of a build without the Parquet reader handed raw Parquet bytes.
pub fn no_reader() -> crate::error::Error {
    super::detect::format_error(
        "a Parquet file, and this build of privaudit has no Parquet reader linked in (the page reads Parquet through its Parquet module, the command-line tool with its default features); use one of those, or export the table as CSV",
    )
}

/// The row groups of one range, as wire messages.
pub struct ParquetSource {
    spec: Arc<ValidSpec>,
    kinds: Vec<Kind>,
    start: u64,
    next_start: Option<u64>,
    buf: Vec<u8>,
    fed: u64,
    rows: u64,
    done: bool,
    code_cap: Option<usize>,
    /// Kept between messages (its value dictionaries too); emptied after each message.
    batch: Option<Batch>,
}

impl ParquetSource {
    /// A source for the range starting at `start`.
    pub fn new(spec: Arc<ValidSpec>, start: u64) -> Self {
        let kinds = spec.columns.iter().map(|c| Kind::of(&spec, c, true)).collect();
        ParquetSource {
            spec,
            kinds,
            start,
            next_start: None,
            buf: Vec::new(),
            fed: 0,
            rows: 0,
            done: false,
            code_cap: None,
            batch: None,
        }
    }

    /// Lets the batch's dictionaries code at most `cap` values per column.
    pub fn limit_codes(&mut self, cap: usize) {
        self.code_cap = Some(cap);
    }

    /// Types only `columns`; every other cell reads as missing.
    pub fn only_columns(&mut self, columns: &[u32]) {
        for (i, k) in self.kinds.iter_mut().enumerate() {
            if !columns.contains(&(i as u32)) {
                *k = Kind::Skip;
            }
        }
    }

    /// Feeds wire bytes; every complete row group message is read at once.
    pub fn feed(&mut self, bytes: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<bool> {
        self.fed += bytes.len() as u64;
        self.buf.extend_from_slice(bytes);
        let mut at = 0;
        while let Some(len) = wire::group_len(&self.buf[at..])? {
            if self.buf.len() - at < len {
                break;
            }
            let msg = std::mem::take(&mut self.buf);
            let r = self.group(&msg[at..at + len], f, sink);
            self.buf = msg;
            r?;
            at += len;
        }
        self.buf.drain(..at);
        Ok(false)
    }

    /// Ends the range.
    pub fn finish_input(&mut self, _f: &mut FindingsAcc, _sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        if !self.buf.is_empty() {
            return Err(super::detect::format_error(&format!(
                "a Parquet file whose decoded row group was cut short ({} bytes of a wire message left over)",
                self.buf.len()
            )));
        }
        self.done = true;
        Ok(())
    }

    /// Wire bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.fed
    }

    /// True once the range has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The row groups read: from the range's start to the next row group's first byte.
    pub fn coverage(&self) -> Option<Coverage> {
        self.done.then_some(Coverage {
            start: self.start,
            next_start: self.next_start.unwrap_or(self.start).max(self.start),
            rows: self.rows,
            lines: self.rows,
        })
    }

    fn group(&mut self, msg: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        let g = wire::Group::read(msg)?;
        let spec = Arc::clone(&self.spec);
        if g.columns.len() != spec.columns.len() {
            return Err(super::detect::format_error(&format!(
                "a Parquet file whose row group has {} columns where the preview found {}; did the file change?",
                g.columns.len(),
                spec.columns.len()
            )));
        }
        self.next_start = Some(g.next_start);
        let mut batch = self.batch.take().unwrap_or_else(|| {
            let mut b = Batch::new(spec.columns.len());
            if let Some(cap) = self.code_cap {
                b.limit_codes(cap);
            }
            b
        });
        let mut next = vec![0usize; g.columns.len()];
        let mut row: Vec<Cell> = vec![Cell::Missing(MISSING_NULL); spec.columns.len()];
        for r in 0..g.rows as usize {
            let n = self.rows + 1; // the row within this range (global_row adds the ranges before)
            if batch.is_empty() {
                batch.set_origin(g.start, n);
            }
            let (_, text) = batch.parts_mut();
            for (i, col) in g.columns.iter().enumerate() {
                let v = if col.present(r) {
                    next[i] += 1;
                    col.value(next[i] - 1)?
                } else {
                    super::cells::Value::Missing(MISSING_NULL)
                };
                let (c, bad) = cell(&spec, self.kinds[i], v, text);
                if bad {
                    f.unparseable_cells.add(Loc { byte: g.start, column: Some(i as u32), row_in_segment: n });
                }
                row[i] = c;
            }
            let (cols, _) = batch.parts_mut();
            for (col, &c) in cols.iter_mut().zip(row.iter()) {
                col.push(c);
            }
            batch.end_row();
            self.rows += 1;
            if batch.is_full() {
                sink(&batch);
                batch.clear();
            }
        }
        if !batch.is_empty() {
            sink(&batch);
            batch.clear();
        }
        self.batch = Some(batch);
        Ok(())
    }
}
