//! privaudit's Parquet reader, independent of privaudit: it reads a file's footer (the
//! schema and the row groups' byte extents) and decodes one row group's flat columns into
//! the compact [`wire`] format privaudit reads into its batches. A large file is never
//! held whole: the caller reads the last 8 bytes ([`footer_length`]), the footer, then one
//! row group's bytes at a time ([`RowGroups::open`]), decoded a slice of rows at a time
//! ([`GroupDecoder::next_slice`]).
//!
//! Natively privaudit links this crate (its `parquet` feature); in the browser it is a
//! second wasm module (the `wasm` module, built for wasm32 only) the page instantiates only
//! when a Parquet file is opened.

#![deny(missing_docs)]

mod column;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

use bytes::{Buf, Bytes};
use parquet::column::reader::{get_column_reader, ColumnReader};
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use parquet::file::properties::ReaderProperties;
use parquet::file::reader::{ChunkReader, Length};
use parquet::file::serialized_reader::SerializedPageReader;
use std::sync::Arc;
use wire::{Out, GROUP_MAGIC, META_MAGIC};

/// A failure, as a sentence privaudit completes ("a damaged Parquet file (…)").
pub type Result<T> = std::result::Result<T, String>;

/// The footer's length from the file's last 8 bytes (`u32` length, `PAR1`).
pub fn footer_length(tail: &[u8], file_size: u64) -> Result<u64> {
    let t: [u8; 8] = tail.try_into().map_err(|_| "the file is shorter than a Parquet footer".to_string())?;
    if &t[4..] == b"PARE" {
        return Err("the file is encrypted (its footer is); privaudit reads unencrypted Parquet".into());
    }
    if &t[4..] != b"PAR1" {
        return Err("it does not end with `PAR1`: it is truncated, or not a whole Parquet file".into());
    }
    let len = u64::from(u32::from_le_bytes([t[0], t[1], t[2], t[3]]));
    if len + 12 > file_size {
        return Err(format!("its footer length ({len} bytes) is beyond the file's size ({file_size} bytes)"));
    }
    Ok(len)
}

/// A file's footer, parsed: its flat columns and row groups.
pub struct RowGroups {
    meta: ParquetMetaData,
    columns: Vec<column::Column>,
    skipped: Vec<(String, String)>,
    notes: Vec<String>,
    /// Per row group: first byte, next row group's first byte, first row, rows.
    groups: Vec<[u64; 4]>,
    footer_start: u64,
}

impl RowGroups {
    /// Parses `footer` (the bytes before the last 8) of a file of `file_size` bytes.
    pub fn new(footer: &[u8], file_size: u64) -> Result<Self> {
        let meta =
            ParquetMetaDataReader::decode_metadata(footer).map_err(|e| format!("its footer cannot be read: {e}"))?;
        let footer_start = file_size.saturating_sub(footer.len() as u64 + 8);
        let (columns, skipped, notes) = column::columns(meta.file_metadata().schema_descr());
        let mut groups = Vec::with_capacity(meta.num_row_groups());
        let mut first_row = 0u64;
        let leaves = meta.file_metadata().schema_descr().num_columns();
        for (i, rg) in meta.row_groups().iter().enumerate() {
            if rg.columns().len() != leaves {
                return Err(format!(
                    "row group {} has {} column chunks where the schema has {leaves} columns: the footer is damaged",
                    i + 1,
                    rg.columns().len()
                ));
            }
            let mut start = u64::MAX;
            for c in rg.columns() {
                let (s, len) = c.byte_range();
                if s.checked_add(len).is_none_or(|e| e > footer_start) {
                    return Err(format!(
                        "row group {} extends beyond the data (bytes {s}–{} of a file whose footer starts at byte {footer_start}): the file is truncated or damaged",
                        i + 1,
                        s.saturating_add(len)
                    ));
                }
                start = start.min(s);
            }
            let rows =
                u64::try_from(rg.num_rows()).map_err(|_| format!("row group {} has a negative row count", i + 1))?;
            groups.push([if rg.columns().is_empty() { footer_start } else { start }, 0, first_row, rows]);
            first_row += rows;
        }
        // Each row group's range ends where the next begins; when the groups are not in
        // file order (rare), every group's range ends at the footer.
        let ordered = groups.windows(2).all(|w| w[0][0] < w[1][0]);
        for i in 0..groups.len() {
            groups[i][1] = if ordered { groups.get(i + 1).map_or(footer_start, |g| g[0]) } else { footer_start };
        }
        Ok(RowGroups { meta, columns, skipped, notes, groups, footer_start })
    }

    /// Number of row groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when the file has no row groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The byte extent `[start, end)` of row group `i` (its column chunks).
    pub fn extent(&self, i: usize) -> Option<(u64, u64)> {
        let rg = self.meta.row_groups().get(i)?;
        let end = rg.columns().iter().map(|c| c.byte_range()).map(|(s, l)| s + l).max().unwrap_or(self.groups[i][0]);
        Some((self.groups[i][0], end))
    }

    /// The meta message ([`wire`]).
    pub fn meta_wire(&self) -> Vec<u8> {
        let mut o = Out::default();
        o.0.extend_from_slice(META_MAGIC);
        o.u64(self.footer_start);
        o.u64(self.groups.iter().map(|g| g[3]).sum());
        o.u32(self.columns.len() as u32);
        for c in &self.columns {
            o.str(&c.name);
            o.u8(c.kind as u8);
            o.str(&c.type_name);
        }
        o.u32(self.skipped.len() as u32);
        for (name, why) in &self.skipped {
            o.str(name);
            o.str(why);
        }
        o.u32(self.groups.len() as u32);
        for g in &self.groups {
            g.iter().for_each(|&x| o.u64(x));
        }
        o.u32(self.notes.len() as u32);
        self.notes.iter().for_each(|n| o.str(n));
        o.0
    }

    /// Opens row group `i` from `bytes`, which start at file byte `offset` and hold at
    /// least its extent ([`RowGroups::extent`]), to decode at most `max_rows` rows (all
    /// when `None`) a slice at a time ([`GroupDecoder::next_slice`]).
    pub fn open(&self, i: usize, bytes: Bytes, offset: u64, max_rows: Option<usize>) -> Result<GroupDecoder> {
        let rg = self.meta.row_groups().get(i).ok_or_else(|| format!("there is no row group {}", i + 1))?;
        let g = self.groups[i];
        let rows = usize::try_from(g[3]).map_err(|_| "a row group too large for this machine".to_string())?;
        let reader = Arc::new(Slice { offset, bytes });
        let props = Arc::new(ReaderProperties::builder().build());
        let schema = self.meta.file_metadata().schema_descr();
        let mut readers = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            let chunk = rg.columns().get(c.leaf).ok_or_else(|| {
                format!("row group {} has no column chunk for column `{}`: the footer is damaged", i + 1, c.name)
            })?;
            let pages =
                SerializedPageReader::new_with_properties(Arc::clone(&reader), chunk, rows, None, Arc::clone(&props))
                    .map_err(|e| format!("column `{}` of row group {} cannot be read: {e}", c.name, i + 1))?;
            readers.push(get_column_reader(schema.column(c.leaf), Box::new(pages)));
        }
        Ok(GroupDecoder {
            index: i,
            header: g,
            columns: self.columns.clone(),
            readers,
            rows: max_rows.map_or(rows, |m| m.min(rows)),
            done: 0,
        })
    }
}

/// One row group being decoded, a slice of rows at a time: every column's reader stays
/// open, so memory holds the group's compressed bytes, one page per column and one slice.
pub struct GroupDecoder {
    index: usize,
    header: [u64; 4],
    columns: Vec<column::Column>,
    readers: Vec<ColumnReader>,
    rows: usize,
    done: usize,
}

impl GroupDecoder {
    /// Rows of the group still to decode.
    pub fn rows_left(&self) -> usize {
        self.rows - self.done
    }

    /// The group message ([`wire`]) of the next at most `max_rows` rows, `None` at the end.
    pub fn next_slice(&mut self, max_rows: usize) -> Result<Option<Vec<u8>>> {
        let n = max_rows.max(1).min(self.rows - self.done);
        if n == 0 {
            return Ok(None);
        }
        let i = self.index;
        let g = self.header;
        let mut o = Out::default();
        o.0.extend_from_slice(GROUP_MAGIC);
        o.u64(0); // the length, filled in below
        o.u32(i as u32);
        o.u64(g[0]);
        o.u64(g[1]);
        o.u64(g[2] + self.done as u64);
        o.u64(n as u64);
        o.u32(self.columns.len() as u32);
        for (c, r) in self.columns.iter().zip(self.readers.iter_mut()) {
            let (values, present) = column::decode(c, r, n)
                .map_err(|e| format!("column `{}` of row group {} cannot be decoded: {e}", c.name, i + 1))?;
            values.write(&present, &mut o);
        }
        self.done += n;
        let len = (o.0.len() as u64).to_le_bytes();
        o.0[4..12].copy_from_slice(&len);
        Ok(Some(o.0))
    }
}

/// The bytes of one row group, addressed by file offsets.
struct Slice {
    offset: u64,
    bytes: Bytes,
}

impl Length for Slice {
    fn len(&self) -> u64 {
        self.offset + self.bytes.len() as u64
    }
}

impl ChunkReader for Slice {
    type T = bytes::buf::Reader<Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        let from = self.at(start, 0)?;
        Ok(self.bytes.slice(from..).reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let from = self.at(start, length)?;
        Ok(self.bytes.slice(from..from + length))
    }
}

impl Slice {
    fn at(&self, start: u64, length: usize) -> parquet::errors::Result<usize> {
        start
            .checked_sub(self.offset)
            .and_then(|s| usize::try_from(s).ok())
            .filter(|&s| s.checked_add(length).is_some_and(|e| e <= self.bytes.len()))
            .ok_or_else(|| {
                parquet::errors::ParquetError::General(format!(
                    "bytes {start}–{} are outside the row group's bytes",
                    start + length as u64
                ))
            })
    }
}
