//! Natively, the Parquet reader is linked (feature `parquet`): the preview input and the
//! wire messages of a range's row groups are made here from the file, one row group in
//! memory at a time.

use super::super::detect::format_error;
use crate::error::{Error, Result};
use privaudit_parquet::RowGroups;
use std::io::{Read, Seek, SeekFrom};

fn damaged(e: String) -> Error {
    format_error(&format!("a damaged Parquet file: {e}"))
}

/// Runs the reader, turning a panic inside it (a malformed file the `parquet` crate does
/// not check) into the same sentence.
fn guarded<T>(f: impl FnOnce() -> std::result::Result<T, String>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(damaged),
        Err(p) => {
            let what = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
            Err(damaged(format!(
                "the Parquet reader failed on it ({})",
                what.unwrap_or_else(|| "no reason given".into())
            )))
        }
    }
}

/// Reads the footer of a Parquet file of `size` bytes.
fn footer<R: Read + Seek>(src: &mut R, size: u64) -> Result<RowGroups> {
    if size < 12 {
        return Err(damaged(format!("it is only {size} bytes long, shorter than a Parquet header and footer")));
    }
    let mut tail = [0u8; 8];
    src.seek(SeekFrom::Start(size - 8))?;
    src.read_exact(&mut tail)?;
    let len = privaudit_parquet::footer_length(&tail, size).map_err(damaged)?;
    let mut f = vec![0u8; len as usize];
    src.seek(SeekFrom::Start(size - 8 - len))?;
    src.read_exact(&mut f)?;
    guarded(|| RowGroups::new(&f, size))
}

fn size_of<R: Seek>(src: &mut R) -> Result<u64> {
    Ok(src.seek(SeekFrom::End(0))?)
}

/// Rows per wire message: a row group is decoded a slice at a time, so memory holds one
/// slice, not the group's decoded values.
pub const SLICE_ROWS: usize = 16_384;

/// Reads row group `i` and hands `each(message, file bytes)` its wire messages (at most
/// `max_rows` rows); the group's bytes count with its first message.
fn group<R: Read + Seek>(
    src: &mut R,
    rg: &RowGroups,
    i: usize,
    max_rows: Option<usize>,
    each: &mut dyn FnMut(&[u8], u64) -> Result<()>,
) -> Result<()> {
    let (s, e) = rg.extent(i).ok_or_else(|| Error::state("no such row group"))?;
    let mut bytes =
        vec![0u8; usize::try_from(e - s).map_err(|_| Error::state("a row group too large for this machine"))?];
    src.seek(SeekFrom::Start(s))?;
    src.read_exact(&mut bytes)?;
    let mut d = guarded(|| rg.open(i, bytes.into(), s, max_rows))?;
    let mut n = e - s;
    while let Some(msg) = guarded(|| d.next_slice(max_rows.unwrap_or(SLICE_ROWS)))? {
        each(&msg, std::mem::take(&mut n))?;
    }
    Ok(())
}

/// The preview input: the meta message and the first row group's first rows.
pub fn preview_input<R: Read + Seek>(src: &mut R) -> Result<Vec<u8>> {
    let size = size_of(src)?;
    let rg = footer(src, size)?;
    let mut out = rg.meta_wire();
    if !rg.is_empty() {
        group(src, &rg, 0, Some(super::preview::SAMPLE_RECORDS), &mut |msg, _| {
            out.extend_from_slice(msg);
            Ok(())
        })?;
    }
    Ok(out)
}

/// Calls `each(message, file_bytes)` with the wire messages of every row group whose
/// first byte is in `[start, end)`, in order.
pub fn for_each_group<R: Read + Seek>(
    src: &mut R,
    start: u64,
    end: u64,
    each: &mut dyn FnMut(&[u8], u64) -> Result<()>,
) -> Result<()> {
    let size = size_of(src)?;
    let rg = footer(src, size)?;
    for i in 0..rg.len() {
        let Some((s, _)) = rg.extent(i) else { continue };
        if s >= start && s < end {
            group(src, &rg, i, None, each)?;
        }
    }
    Ok(())
}
