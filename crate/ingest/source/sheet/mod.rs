//! Workbooks (xlsx, xlsm, xls, ods): one sheet read as a table.
//!
//! A workbook is one range: its bytes are kept as they are fed and the sheet is read at
//! the end (a zip's directory is at its end; a CFB file's sectors are scattered). The
//! preview ([`preview::resolve_sheet`]) picks the sheet and the table's first cell
//! (`input.sheet`, `input.table_start`, e.g. `B3`: title rows above the header are
//! skipped), which every run reads the same way. Rows are the sheet's rows: a finding's
//! row is the row number a spreadsheet program shows. A row with no cell in the table's
//! columns is not a row (like a blank line); cells right or left of the table's columns
//! are not read and make the row a `ragged_rows` finding.

mod book;
pub mod hidden;
pub mod preview;

pub use book::{Book, SheetInfo};

use super::cells::{cell, Value};
use crate::error::{Error, Result};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::decoder::Coverage;
use crate::ingest::findings::{FindingsAcc, Loc};
use crate::ingest::typing::Kind;
use crate::spec::ValidSpec;
use std::ops::ControlFlow;
use std::sync::Arc;

/// One sheet of a workbook, read whole at the end of its bytes.
pub struct SheetSource {
    spec: Arc<ValidSpec>,
    kinds: Vec<Kind>,
    bytes: Vec<u8>,
    done: bool,
    rows: u64,
    last_row: u64,
    /// Values coded per column in the batch's dictionaries (`None`: the default cap).
    code_cap: Option<usize>,
}

impl SheetSource {
    /// A source for the whole file.
    pub fn new(spec: Arc<ValidSpec>) -> Self {
        let kinds = spec.columns.iter().map(|c| Kind::of(&spec, c, true)).collect();
        SheetSource { spec, kinds, bytes: Vec::new(), done: false, rows: 0, last_row: 0, code_cap: None }
    }

    /// Lets the batch's dictionaries code at most `cap` values per column (tests: reports
    /// must not change; see [`Batch::limit_codes`]).
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

    /// Keeps the bytes; a workbook is read when they are all there.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<bool> {
        self.bytes.extend_from_slice(bytes);
        Ok(false)
    }

    /// Bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// True once the sheet has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The whole file, once read.
    pub fn coverage(&self) -> Option<Coverage> {
        self.done.then_some(Coverage {
            start: 0,
            next_start: self.bytes.len() as u64,
            rows: self.rows,
            lines: self.last_row,
        })
    }

    /// Reads the sheet: every row of the table into batches.
    pub fn finish_input(&mut self, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        if self.done {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.bytes);
        let r = self.read(&bytes, f, sink);
        self.bytes = bytes;
        self.done = true;
        r
    }

    fn read(&mut self, bytes: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        let spec = Arc::clone(&self.spec);
        let sheet = spec.source.sheet.clone().ok_or_else(|| {
            Error::spec("input.sheet", "not set; the spec must be resolved against the file first (preview)")
        })?;
        let (r0, c0) = preview::table_start(&spec.resolved.input)?;
        let first = r0 + u32::from(spec.dialect.header);
        let ncols = spec.columns.len() as u32;
        let mut book = Book::open(bytes, spec.source.format)?;
        let mut batch = Batch::new(spec.columns.len());
        if let Some(cap) = self.code_cap {
            batch.limit_codes(cap);
        }
        let mut row: Vec<Cell> = vec![Cell::Missing(crate::ingest::value::MISSING_ABSENT); spec.columns.len()];
        let empty: Vec<Value<'_>> = vec![Value::Text(""); spec.columns.len()];
        let (kinds, rows, last_row) = (&self.kinds, &mut self.rows, &mut self.last_row);
        let mut prev: Option<u32> = None;
        book.rows(&sheet, &mut |r, cells| {
            if r < first {
                return ControlFlow::Continue(());
            }
            let n = u64::from(r) + 1; // the sheet's row number
            let loc = |column| Loc { byte: n, column, row_in_segment: n };
            let inside = cells.iter().filter(|(c, _)| (c0..c0 + ncols).contains(c)).count();
            if inside < cells.len() {
                f.ragged_rows.add(loc(None));
            }
            if inside == 0 || prev.is_some_and(|p| p + 1 != r) {
                // Not a row, or a gap: batches hold consecutive sheet rows.
                if !batch.is_empty() {
                    sink(&batch);
                    batch.clear();
                }
                if inside == 0 {
                    return ControlFlow::Continue(());
                }
            }
            prev = Some(r);
            let mut values = empty.clone();
            for &(c, v) in cells.iter().filter(|(c, _)| (c0..c0 + ncols).contains(c)) {
                values[(c - c0) as usize] = v;
            }
            if batch.is_empty() {
                batch.set_origin(n, n);
            }
            let (_, text) = batch.parts_mut();
            for (i, v) in values.into_iter().enumerate() {
                let (cell, bad) = cell(&spec, kinds[i], v, text);
                if bad {
                    f.unparseable_cells.add(loc(Some(i as u32)));
                }
                row[i] = cell;
            }
            let (cols, _) = batch.parts_mut();
            for (col, &c) in cols.iter_mut().zip(row.iter()) {
                col.push(c);
            }
            batch.end_row();
            *rows += 1;
            *last_row = n;
            if batch.is_full() {
                sink(&batch);
                batch.clear();
            }
            ControlFlow::Continue(())
        })?;
        if !batch.is_empty() {
            sink(&batch);
        }
        Ok(())
    }
}
