//! Reading the wire format of the Parquet reader (`parquet/src/wire.rs` in the workspace
//! member `privaudit-parquet` writes it and documents every field): the footer resolved
//! ([`Meta`]) and one decoded row group ([`Group`]). privaudit reads only this format, so
//! the wasm main module needs no Parquet code: the page's second module (or, natively,
//! the linked crate) turns a row group's bytes into it.

use super::super::cells::Value;
use super::super::detect::format_error;
use crate::error::{Error, Result};

/// Magic of the meta message.
pub const META_MAGIC: &[u8; 4] = b"PQM1";
/// Magic of a row group message.
pub const GROUP_MAGIC: &[u8; 4] = b"PQG1";

fn damaged() -> Error {
    format_error("a Parquet file whose decoded row group is damaged (the reader's wire message is cut or inconsistent); report this file to the privaudit developers")
}

/// A cursor over little-endian fields.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n).ok_or_else(damaged)?).ok_or_else(damaged)?;
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    fn str(&mut self) -> Result<String> {
        let n = self.u32()? as usize;
        Ok(String::from_utf8_lossy(self.take(n)?).into_owned())
    }
}

/// One column of the file as the reader reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaColumn {
    /// Its name.
    pub name: String,
    /// Its wire kind (0 int … 6 text).
    pub kind: u8,
    /// Its Parquet type, for people.
    pub type_name: String,
}

/// The footer, resolved by the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// First byte of the footer.
    pub footer_start: u64,
    /// Rows in the file.
    pub rows: u64,
    /// The flat columns read.
    pub columns: Vec<MetaColumn>,
    /// Nested or unsupported columns skipped, with why.
    pub skipped: Vec<(String, String)>,
    /// Row groups: first byte, next row group's first byte, first row, rows.
    pub groups: Vec<[u64; 4]>,
    /// Notes for people (local timestamps, INT96).
    pub notes: Vec<String>,
}

impl Meta {
    /// Reads a meta message at the start of `b`; returns it and its length.
    pub fn read(b: &[u8]) -> Result<(Meta, usize)> {
        if !b.starts_with(META_MAGIC) {
            return Err(damaged());
        }
        let mut c = Cursor { b, at: 4 };
        let (footer_start, rows) = (c.u64()?, c.u64()?);
        let mut columns = Vec::new();
        for _ in 0..c.u32()? {
            let name = c.str()?;
            let kind = c.u8()?;
            columns.push(MetaColumn { name, kind, type_name: c.str()? });
        }
        let mut skipped = Vec::new();
        for _ in 0..c.u32()? {
            skipped.push((c.str()?, c.str()?));
        }
        let mut groups = Vec::new();
        for _ in 0..c.u32()? {
            groups.push([c.u64()?, c.u64()?, c.u64()?, c.u64()?]);
        }
        let mut notes = Vec::new();
        for _ in 0..c.u32()? {
            notes.push(c.str()?);
        }
        Ok((Meta { footer_start, rows, columns, skipped, groups, notes }, c.at))
    }

    /// The cut points of the file's ranges: every row group's first byte (the first
    /// range starts at byte 0), then the footer's.
    pub fn cuts(&self) -> Vec<u64> {
        let ordered = self.groups.windows(2).all(|w| w[0][0] < w[1][0]);
        if !ordered || self.groups.is_empty() {
            return Vec::new();
        }
        self.groups.iter().map(|g| g[0]).chain([self.footer_start]).collect()
    }
}

/// The length of the row group message at the start of `b`, once its header is there.
pub fn group_len(b: &[u8]) -> Result<Option<usize>> {
    if b.len() < 12 {
        return Ok(None);
    }
    if !b.starts_with(GROUP_MAGIC) {
        return Err(damaged());
    }
    let mut c = Cursor { b, at: 4 };
    usize::try_from(c.u64()?).map(Some).map_err(|_| damaged())
}

/// One decoded row group.
pub struct Group<'a> {
    /// First byte of the row group.
    pub start: u64,
    /// First byte of the next row group (or the footer).
    pub next_start: u64,
    /// Its first row (0-based, in the file).
    pub first_row: u64,
    /// Its rows.
    pub rows: u64,
    /// Its columns, in the meta's order.
    pub columns: Vec<Col<'a>>,
}

/// One column of a row group.
pub struct Col<'a> {
    kind: u8,
    validity: Option<&'a [u8]>,
    n: usize,
    payload: &'a [u8],
    text: &'a [u8],
}

impl<'a> Group<'a> {
    /// Reads a whole row group message.
    pub fn read(b: &'a [u8]) -> Result<Group<'a>> {
        let mut c = Cursor { b, at: 12 };
        let _index = c.u32()?;
        let (start, next_start, first_row, rows) = (c.u64()?, c.u64()?, c.u64()?, c.u64()?);
        let nrows = usize::try_from(rows).map_err(|_| damaged())?;
        let mut columns = Vec::new();
        for _ in 0..c.u32()? {
            let kind = c.u8()?;
            let validity = if c.u8()? != 0 { Some(c.take(nrows.div_ceil(8))?) } else { None };
            let n = c.u32()? as usize;
            let (payload, text) = match kind {
                0 | 1 | 3 | 4 => (c.take(n.checked_mul(8).ok_or_else(damaged)?)?, &[][..]),
                2 => (c.take(n.div_ceil(8))?, &[][..]),
                5 | 6 => {
                    let offsets = c.take((n + 1).checked_mul(4).ok_or_else(damaged)?)?;
                    let at = |j: usize| {
                        u32::from_le_bytes([offsets[4 * j], offsets[4 * j + 1], offsets[4 * j + 2], offsets[4 * j + 3]])
                    };
                    let text = c.take(at(n) as usize)?;
                    (offsets, text)
                }
                _ => return Err(damaged()),
            };
            let present = validity.map_or(nrows, |v| (0..nrows).filter(|&r| v[r / 8] >> (r % 8) & 1 == 1).count());
            if present != n {
                return Err(damaged());
            }
            columns.push(Col { kind, validity, n, payload, text });
        }
        Ok(Group { start, next_start, first_row, rows, columns })
    }
}

impl<'a> Col<'a> {
    /// Whether row `r` has a value.
    pub fn present(&self, r: usize) -> bool {
        self.validity.is_none_or(|v| v[r / 8] >> (r % 8) & 1 == 1)
    }

    /// The `j`-th value present.
    pub fn value(&self, j: usize) -> Result<Value<'a>> {
        if j >= self.n {
            return Err(damaged());
        }
        let word = || {
            let mut a = [0u8; 8];
            a.copy_from_slice(&self.payload[8 * j..8 * j + 8]);
            a
        };
        Ok(match self.kind {
            0 => Value::Int(i64::from_le_bytes(word())),
            1 => Value::Float(f64::from_le_bytes(word())),
            2 => {
                let b = self.payload[j / 8] >> (j % 8) & 1 == 1;
                Value::Bool(b, if b { "true" } else { "false" })
            }
            3 => Value::Date(i64::from_le_bytes(word())),
            4 => Value::Datetime(i64::from_le_bytes(word())),
            _ => {
                let o = |k: usize| {
                    let p = &self.payload[4 * k..4 * k + 4];
                    u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize
                };
                let s = self.text.get(o(j)..o(j + 1)).ok_or_else(damaged)?;
                let s = std::str::from_utf8(s).map_err(|_| damaged())?;
                if self.kind == 5 {
                    Value::Number(s)
                } else {
                    Value::Text(s)
                }
            }
        })
    }
}
