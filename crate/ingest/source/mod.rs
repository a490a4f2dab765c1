//! Sources of typed rows: one push decoder per format, all producing the same
//! [`Batch`]es and [`FindingsAcc`] entries, so that every analysis, the state codec,
//! merging, the pass planner and the reports work unchanged for every format.
//!
//! ```text
//! bytes of a range ─► Source::feed ─┬─ Csv (decoder::Decoder, byte ranges)
//!                                   ├─ Jsonl (jsonl::JsonlDecoder, byte ranges)
//!                                   ├─ Gzip (gzip::Gunzip ─► Csv | Jsonl, one range)
//!                                   ├─ Sheet (sheet::SheetSource: a workbook, one range)
//!                                   └─ Parquet (parquet::ParquetSource: row groups as wire messages)
//!                                   ─► Batch ─► analyses, findings
//! ```
//!
//! What a range is, per format: CSV and JSON Lines are split into byte ranges (records
//! and lines are found again after any byte); a gzip stream can only be decompressed from
//! its start, and a workbook's cells can only be found through its directory (at the end
//! of a zip, scattered in a CFB file), so both are one range read from byte 0: a source
//! built for a range that does not start the file covers nothing. Formats are detected by
//! content ([`detect`]) in the preview and recorded in the resolved spec (`input.format`,
//! `input.compression`, `input.sheet`), so every worker reads the same way and states of
//! different formats never merge.

pub mod cells;
pub mod detect;
pub mod gzip;
pub mod json;
pub mod jsonl;
pub mod parquet;
mod preview;
pub mod sheet;

pub use detect::Format;
pub use preview::resolve;

use super::batch::Batch;
use super::decoder::{Coverage, Decoder};
use super::findings::FindingsAcc;
use crate::error::{Error, Result};
use crate::spec::{RawInput, ValidSpec};
use std::sync::Arc;

/// How a file is read: its format, compression and sheet (from the resolved spec).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceSpec {
    /// The table format.
    pub format: Format,
    /// The file is gzip-compressed.
    pub gzip: bool,
    /// The sheet of a workbook (its name, as resolved by the preview).
    pub sheet: Option<String>,
}

impl SourceSpec {
    /// From `[input]` (unset format: CSV).
    pub fn from_input(i: &RawInput) -> Result<Self> {
        let format = i.format.as_deref().map(Format::from_name).transpose()?.unwrap_or_default();
        let gzip = match i.compression.as_deref().map(str::trim) {
            None | Some("") | Some("none") => false,
            Some(c) if c.eq_ignore_ascii_case("gzip") || c.eq_ignore_ascii_case("gz") => true,
            Some(c) => {
                return Err(Error::spec(
                    "input.compression",
                    format!("unknown compression `{c}`; privaudit reads gzip (or leave it unset)"),
                ))
            }
        };
        if gzip && format == Format::Parquet {
            return Err(Error::spec(
                "input.compression",
                "a Parquet file cannot be read gzip-compressed; decompress it",
            ));
        }
        if gzip && format.is_spreadsheet() {
            return Err(Error::spec("input.compression", "a workbook cannot be read gzip-compressed; decompress it"));
        }
        Ok(SourceSpec { format, gzip, sheet: i.sheet.clone() })
    }

    /// Delimited text (the CSV dialect settings apply).
    pub fn is_delimited(&self) -> bool {
        self.format == Format::Csv
    }

    /// Byte ranges can be read independently.
    pub fn splittable(&self) -> bool {
        !self.gzip && matches!(self.format, Format::Csv | Format::Jsonl)
    }
}

/// A decoder of one range of a file, whatever its format.
pub enum Source {
    /// CSV / TSV.
    Csv(Box<Decoder>),
    /// JSON Lines.
    Jsonl(Box<jsonl::JsonlDecoder>),
    /// A gzip stream around CSV or JSON Lines.
    Gzip(Box<gzip::Gunzip>),
    /// One sheet of a workbook.
    Sheet(Box<sheet::SheetSource>),
    /// Row groups of a Parquet file (wire messages).
    Parquet(Box<parquet::ParquetSource>),
    /// A range of a one-range format that does not start the file: covers nothing.
    Nothing {
        /// The range start.
        at: u64,
        /// Bytes fed (ignored).
        fed: u64,
    },
}

impl Source {
    /// The decoder of `[start, end)` under `spec`; `exact_start`: `start` is a record start.
    pub fn new(spec: Arc<ValidSpec>, start: u64, end: u64, exact_start: bool) -> Self {
        let src = &spec.source;
        if src.format == Format::Parquet {
            return Source::Parquet(Box::new(parquet::ParquetSource::new(spec, start)));
        }
        if !src.splittable() && start != 0 {
            return Source::Nothing { at: start, fed: 0 };
        }
        if src.gzip {
            let inner = match src.format {
                Format::Jsonl => Source::Jsonl(Box::new(jsonl::JsonlDecoder::new(spec, 0, u64::MAX, true))),
                _ => Source::Csv(Box::new(Decoder::new(spec, 0, u64::MAX, true))),
            };
            return Source::Gzip(Box::new(gzip::Gunzip::new(inner)));
        }
        match src.format {
            Format::Csv => Source::Csv(Box::new(Decoder::new(spec, start, end, exact_start))),
            Format::Jsonl => Source::Jsonl(Box::new(jsonl::JsonlDecoder::new(spec, start, end, exact_start))),
            Format::Xlsx | Format::Xls | Format::Ods | Format::Parquet => {
                Source::Sheet(Box::new(sheet::SheetSource::new(spec)))
            }
        }
    }

    /// Lets the batch's value dictionaries code at most `cap` values per column, so that
    /// more values take the uncoded path (tests: reports must not change).
    pub fn limit_codes(&mut self, cap: usize) {
        match self {
            Source::Csv(d) => d.limit_codes(cap),
            Source::Jsonl(d) => d.limit_codes(cap),
            Source::Gzip(g) => g.inner_mut().limit_codes(cap),
            Source::Sheet(s) => s.limit_codes(cap),
            Source::Parquet(p) => p.limit_codes(cap),
            Source::Nothing { .. } => {}
        }
    }

    /// Types only `columns` (later passes); every other cell reads as missing.
    pub fn only_columns(&mut self, columns: &[u32]) {
        match self {
            Source::Csv(d) => d.only_columns(columns),
            Source::Jsonl(d) => d.only_columns(columns),
            Source::Gzip(g) => g.inner_mut().only_columns(columns),
            Source::Sheet(s) => s.only_columns(columns),
            Source::Parquet(p) => p.only_columns(columns),
            Source::Nothing { .. } => {}
        }
    }

    /// Feeds the next bytes of the range; true when it is complete.
    pub fn feed(&mut self, bytes: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<bool> {
        match self {
            Source::Csv(d) => d.feed(bytes, f, sink),
            Source::Jsonl(d) => d.feed(bytes, f, sink),
            Source::Gzip(g) => g.feed(bytes, f, sink),
            Source::Sheet(s) => s.feed(bytes),
            Source::Parquet(p) => p.feed(bytes, f, sink),
            Source::Nothing { fed, .. } => {
                *fed += bytes.len() as u64;
                Ok(true)
            }
        }
    }

    /// Signals the end of the file.
    pub fn finish_input(&mut self, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        match self {
            Source::Csv(d) => d.finish_input(f, sink),
            Source::Jsonl(d) => d.finish_input(f, sink),
            Source::Gzip(g) => g.finish_input(f, sink),
            Source::Sheet(s) => s.finish_input(f, sink),
            Source::Parquet(p) => p.finish_input(f, sink),
            Source::Nothing { .. } => Ok(()),
        }
    }

    /// Bytes of the file fed so far.
    pub fn bytes_fed(&self) -> u64 {
        match self {
            Source::Csv(d) => d.bytes_fed(),
            Source::Jsonl(d) => d.bytes_fed(),
            Source::Gzip(g) => g.bytes_fed(),
            Source::Sheet(s) => s.bytes_fed(),
            Source::Parquet(p) => p.bytes_fed(),
            Source::Nothing { fed, .. } => *fed,
        }
    }

    /// True once the range is complete.
    pub fn is_done(&self) -> bool {
        match self {
            Source::Csv(d) => d.is_done(),
            Source::Jsonl(d) => d.is_done(),
            Source::Gzip(g) => g.is_done(),
            Source::Sheet(s) => s.is_done(),
            Source::Parquet(p) => p.is_done(),
            Source::Nothing { .. } => true,
        }
    }

    /// What the range covered, once complete.
    pub fn coverage(&self) -> Option<Coverage> {
        match self {
            Source::Csv(d) => d.coverage(),
            Source::Jsonl(d) => d.coverage(),
            Source::Gzip(g) => g.coverage(),
            Source::Sheet(s) => s.coverage(),
            Source::Parquet(p) => p.coverage(),
            Source::Nothing { at, .. } => Some(Coverage { start: *at, next_start: *at, rows: 0, lines: 0 }),
        }
    }

    /// True when this source reads to the end of the file whatever its range (one-range
    /// formats and UTF-16).
    pub fn reads_to_end(&self) -> bool {
        match self {
            Source::Csv(d) => d.reads_to_end(),
            Source::Jsonl(_) | Source::Parquet(_) | Source::Nothing { .. } => false,
            Source::Gzip(_) | Source::Sheet(_) => true,
        }
    }
}
