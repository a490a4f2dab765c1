//! The wire format: what this crate hands privaudit (`crate/ingest/source/parquet/wire.rs`
//! in privaudit reads it). Little-endian throughout; strings are `u32` byte length + UTF-8.
//!
//! **Meta** (the footer, resolved):
//! ```text
//! "PQM1"  u64 footer_start  u64 rows
//! u32 ncols   { str name, u8 kind, str type }            flat columns read, schema order
//! u32 nskip   { str name, str why }                      nested columns skipped
//! u32 ngroups { u64 start, u64 next_start, u64 first_row, u64 rows }
//! u32 nnotes  { str note }
//! ```
//! `start` is the first byte of a row group's column chunks, `next_start` the next row
//! group's `start` (the footer's start for the last): the row groups cut the file into
//! ranges `[start, next_start)`; the first range also covers the leading `PAR1`.
//!
//! **Group** (one row group's flat columns, decoded):
//! ```text
//! "PQG1"  u64 length (of the whole message)  u32 index  u64 start  u64 next_start  u64 first_row  u64 rows  u32 ncols
//! per column: u8 kind, u8 has_nulls, [bitmap of rows bits, 1 = a value, if has_nulls],
//!             u32 n (values present), payload:
//!   kind 0 INT      n × i64
//!   kind 1 FLOAT    n × f64
//!   kind 2 BOOL     bitmap of n bits
//!   kind 3 DATE     n × i64 days since 1970-01-01
//!   kind 4 DATETIME n × i64 seconds since 1970-01-01 (floored to the second)
//!   kind 5 NUMBER   (n + 1) × u32 offsets, bytes: numbers as exact decimal text
//!   kind 6 TEXT     (n + 1) × u32 offsets, bytes: UTF-8 text
//! ```
//! A bitmap is `ceil(bits / 8)` bytes, least significant bit first.

/// Magic of the meta message.
pub const META_MAGIC: &[u8; 4] = b"PQM1";
/// Magic of a row group message.
pub const GROUP_MAGIC: &[u8; 4] = b"PQG1";

/// A value kind on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// Whole numbers (every signed width, unsigned up to 32 bits).
    Int = 0,
    /// FLOAT and DOUBLE.
    Float = 1,
    /// BOOLEAN.
    Bool = 2,
    /// DATE.
    Date = 3,
    /// TIMESTAMP (any unit) and INT96.
    Datetime = 4,
    /// DECIMAL and UINT64, as exact decimal text.
    Number = 5,
    /// Strings, ENUM, JSON, UUID, TIME as `HH:MM:SS`, undeclared byte arrays.
    Text = 6,
}

/// Appends little-endian values and strings.
#[derive(Default)]
pub struct Out(pub Vec<u8>);

impl Out {
    /// A `u8`.
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    /// A `u32`.
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A `u64`.
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// An `i64`.
    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// An `f64`.
    pub fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A string.
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    /// A bitmap of `bits`.
    pub fn bitmap(&mut self, bits: impl Iterator<Item = bool>) {
        let mut byte = 0u8;
        let mut k = 0;
        for b in bits {
            byte |= u8::from(b) << k;
            k += 1;
            if k == 8 {
                self.0.push(byte);
                (byte, k) = (0, 0);
            }
        }
        if k > 0 {
            self.0.push(byte);
        }
    }
}

/// One decoded column of a row group, before it is written.
pub enum Values {
    /// Kind 0.
    Int(Vec<i64>),
    /// Kind 1.
    Float(Vec<f64>),
    /// Kind 2.
    Bool(Vec<bool>),
    /// Kind 3.
    Date(Vec<i64>),
    /// Kind 4.
    Datetime(Vec<i64>),
    /// Kind 5 (text and offsets).
    Number(Vec<u8>, Vec<u32>),
    /// Kind 6 (text and offsets).
    Text(Vec<u8>, Vec<u32>),
}

impl Values {
    /// An empty column of `kind`.
    pub fn of(kind: Kind) -> Values {
        match kind {
            Kind::Int => Values::Int(Vec::new()),
            Kind::Float => Values::Float(Vec::new()),
            Kind::Bool => Values::Bool(Vec::new()),
            Kind::Date => Values::Date(Vec::new()),
            Kind::Datetime => Values::Datetime(Vec::new()),
            Kind::Number => Values::Number(Vec::new(), vec![0]),
            Kind::Text => Values::Text(Vec::new(), vec![0]),
        }
    }

    /// Appends a text value (kinds 5 and 6).
    pub fn push_text(&mut self, s: &[u8]) {
        if let Values::Number(b, o) | Values::Text(b, o) = self {
            b.extend_from_slice(s);
            o.push(b.len() as u32);
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Values::Int(_) => Kind::Int,
            Values::Float(_) => Kind::Float,
            Values::Bool(_) => Kind::Bool,
            Values::Date(_) => Kind::Date,
            Values::Datetime(_) => Kind::Datetime,
            Values::Number(..) => Kind::Number,
            Values::Text(..) => Kind::Text,
        }
    }

    /// Writes the column: kind, validity (`present`, one per row), values.
    pub fn write(&self, present: &[bool], out: &mut Out) {
        out.u8(self.kind() as u8);
        let nulls = present.iter().any(|p| !p);
        out.u8(u8::from(nulls));
        if nulls {
            out.bitmap(present.iter().copied());
        }
        match self {
            Values::Int(v) | Values::Date(v) | Values::Datetime(v) => {
                out.u32(v.len() as u32);
                v.iter().for_each(|&x| out.i64(x));
            }
            Values::Float(v) => {
                out.u32(v.len() as u32);
                v.iter().for_each(|&x| out.f64(x));
            }
            Values::Bool(v) => {
                out.u32(v.len() as u32);
                out.bitmap(v.iter().copied());
            }
            Values::Number(b, o) | Values::Text(b, o) => {
                out.u32(o.len() as u32 - 1);
                o.iter().for_each(|&x| out.u32(x));
                out.0.extend_from_slice(b);
            }
        }
    }
}
