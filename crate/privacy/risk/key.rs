//! Canonical values of quasi-identifiers and sensitive attributes, and their byte encoding.
//!
//! Every tool groups rows on exact values, so the convention decides the classes
//! (`shared/PRIVACY_RISK.md` §2.1). privaudit groups on the *typed* value of a cell:
//! `35` and `35.0` in a float column are one value, dates in any accepted format are one
//! day, text is compared after trimming white space at both ends (case kept), `-0` equals
//! `0`. **A missing value is its own value** (ARX's convention: it matches only other
//! missing values; all missing tokens alike), and an unparseable cell is its own value,
//! distinct from any valid one.
//!
//! A value is encoded as a tag byte and a payload; a tuple is the concatenation of its
//! values. Numbers are encoded so that byte order is numeric order, which makes every
//! sorted output independent of hashing, splits and merge order.

use crate::ingest::batch::{Batch, Cell};
use crate::ingest::value::civil_from_days;

const MISSING: u8 = 0;
const INT: u8 = 1;
const FLOAT: u8 = 2;
const BOOL: u8 = 3;
const DATE: u8 = 4;
const DATETIME: u8 = 5;
const TEXT: u8 = 6;
const INVALID: u8 = 7;
const LABEL: u8 = 8;
const ANY: u8 = 9;

/// One canonical value (decoded from the bytes of a key).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Missing (any missing token, or an absent field).
    Missing,
    /// A whole number.
    Int(i64),
    /// A real number (finite or infinite; `-0` stored as `0`).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i64),
    /// Seconds since the Unix epoch.
    Datetime(i64),
    /// Text, trimmed.
    Text(String),
    /// An unparseable cell's text, trimmed.
    Invalid(String),
    /// A generalised value (a band, a masked code, `other`).
    Label(String),
    /// Fully suppressed (`*`).
    Any,
}

fn order_i64(v: i64) -> [u8; 8] {
    ((v as u64) ^ (1 << 63)).to_be_bytes()
}

fn unorder_i64(b: [u8; 8]) -> i64 {
    (u64::from_be_bytes(b) ^ (1 << 63)) as i64
}

fn order_f64(v: f64) -> [u8; 8] {
    let v = if v == 0.0 { 0.0 } else { v };
    let bits = v.to_bits();
    let key = if bits >> 63 == 1 { !bits } else { bits | (1 << 63) };
    key.to_be_bytes()
}

fn unorder_f64(b: [u8; 8]) -> f64 {
    let key = u64::from_be_bytes(b);
    f64::from_bits(if key >> 63 == 1 { key & !(1 << 63) } else { !key })
}

fn push_str(out: &mut Vec<u8>, tag: u8, s: &str) {
    out.push(tag);
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Appends the encoding of `cell` (a cell of `batch`) to `out`. Returns true when the
/// cell is missing.
#[inline]
pub fn push_cell(out: &mut Vec<u8>, batch: &Batch, cell: &Cell) -> bool {
    match *cell {
        Cell::Missing(_) => {
            out.push(MISSING);
            return true;
        }
        Cell::Int(v) => {
            out.push(INT);
            out.extend_from_slice(&order_i64(v));
        }
        Cell::Float(v) => {
            out.push(FLOAT);
            out.extend_from_slice(&order_f64(v));
        }
        Cell::Bool(v) => out.extend_from_slice(&[BOOL, u8::from(v)]),
        Cell::Date(v) => {
            out.push(DATE);
            out.extend_from_slice(&order_i64(v));
        }
        Cell::Datetime(v) => {
            out.push(DATETIME);
            out.extend_from_slice(&order_i64(v));
        }
        Cell::Text(s) => push_str(out, TEXT, batch.text(s).trim()),
        Cell::Invalid(s) => push_str(out, INVALID, batch.text(s).trim()),
    }
    false
}

/// Appends the encoding of `v` to `out`.
pub fn push_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Missing => out.push(MISSING),
        Value::Int(x) => {
            out.push(INT);
            out.extend_from_slice(&order_i64(*x));
        }
        Value::Float(x) => {
            out.push(FLOAT);
            out.extend_from_slice(&order_f64(*x));
        }
        Value::Bool(x) => out.extend_from_slice(&[BOOL, u8::from(*x)]),
        Value::Date(x) => {
            out.push(DATE);
            out.extend_from_slice(&order_i64(*x));
        }
        Value::Datetime(x) => {
            out.push(DATETIME);
            out.extend_from_slice(&order_i64(*x));
        }
        Value::Text(s) => push_str(out, TEXT, s),
        Value::Invalid(s) => push_str(out, INVALID, s),
        Value::Label(s) => push_str(out, LABEL, s),
        Value::Any => out.push(ANY),
    }
}

/// The length of the first encoded value of `bytes` (0 if damaged).
fn value_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(&(MISSING | ANY)) => 1,
        Some(&BOOL) => 2,
        Some(&(INT | FLOAT | DATE | DATETIME)) => 9,
        Some(&(TEXT | INVALID | LABEL)) if bytes.len() >= 5 => {
            5 + u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize
        }
        _ => 0,
    }
    .min(bytes.len())
}

/// Splits an encoded tuple into the encodings of its values.
pub fn split(mut bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let n = value_len(bytes);
        if n == 0 {
            return None;
        }
        let (head, rest) = bytes.split_at(n);
        bytes = rest;
        Some(head)
    })
}

/// Decodes one encoded value (as returned by [`split`]).
pub fn decode(bytes: &[u8]) -> Value {
    let eight = || {
        let mut b = [0u8; 8];
        if let Some(s) = bytes.get(1..9) {
            b.copy_from_slice(s);
        }
        b
    };
    let text = || String::from_utf8_lossy(bytes.get(5..).unwrap_or(&[])).into_owned();
    match bytes.first() {
        Some(&INT) => Value::Int(unorder_i64(eight())),
        Some(&FLOAT) => Value::Float(unorder_f64(eight())),
        Some(&BOOL) => Value::Bool(bytes.get(1) == Some(&1)),
        Some(&DATE) => Value::Date(unorder_i64(eight())),
        Some(&DATETIME) => Value::Datetime(unorder_i64(eight())),
        Some(&TEXT) => Value::Text(text()),
        Some(&INVALID) => Value::Invalid(text()),
        Some(&LABEL) => Value::Label(text()),
        Some(&ANY) => Value::Any,
        _ => Value::Missing,
    }
}

/// True when the encoded value is missing.
pub fn is_missing(bytes: &[u8]) -> bool {
    bytes.first() == Some(&MISSING)
}

impl Value {
    /// The value as written in a generalised CSV (ISO dates, shortest round-trip numbers;
    /// missing is empty).
    pub fn text(&self) -> String {
        match self {
            Value::Missing => String::new(),
            Value::Int(x) => x.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Bool(x) => x.to_string(),
            Value::Date(d) => {
                let (y, m, d) = civil_from_days(*d);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Value::Datetime(s) => {
                let (y, mo, d) = civil_from_days(s.div_euclid(86_400));
                let t = s.rem_euclid(86_400);
                format!("{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
            }
            Value::Text(s) | Value::Invalid(s) | Value::Label(s) => s.clone(),
            Value::Any => "*".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_roundtrip_and_sort_numerically() {
        let vals = [
            Value::Missing,
            Value::Int(-5),
            Value::Int(7),
            Value::Float(-0.5),
            Value::Float(2.25),
            Value::Float(f64::INFINITY),
            Value::Bool(true),
            Value::Date(-3),
            Value::Datetime(86_401),
            Value::Text("a b".into()),
            Value::Invalid("x".into()),
            Value::Label("20-29".into()),
            Value::Any,
        ];
        let mut all = Vec::new();
        for v in &vals {
            push_value(&mut all, v);
        }
        let back: Vec<Value> = split(&all).map(decode).collect();
        assert_eq!(back, vals);
        let enc = |v: Value| {
            let mut b = Vec::new();
            push_value(&mut b, &v);
            b
        };
        assert!(enc(Value::Int(-5)) < enc(Value::Int(3)));
        assert!(enc(Value::Float(-2.0)) < enc(Value::Float(-1.0)));
        assert!(enc(Value::Float(-1.0)) < enc(Value::Float(0.5)));
        assert_eq!(enc(Value::Float(-0.0)), enc(Value::Float(0.0)));
        assert_eq!(Value::Datetime(86_401).text(), "1970-01-02 00:00:01");
        assert_eq!(Value::Date(0).text(), "1970-01-01");
    }
}
