//! Columns: which leaves of the schema are read and as what (physical and logical types →
//! a [`Kind`]), and decoding one column chunk into [`Values`] and validity.

use crate::wire::{Kind, Values};
use parquet::basic::{ConvertedType, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType, FixedLenByteArray, Int96};
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor};

/// How raw values become wire values.
#[derive(Clone, Copy, Debug)]
pub enum Conv {
    /// INT32/INT64 as they are (signed, or unsigned up to 32 bits).
    Int,
    /// INT32 holding an unsigned 8/16/32-bit value.
    U32,
    /// INT64 holding an unsigned 64-bit value (exact decimal text).
    U64,
    /// FLOAT/DOUBLE.
    Float,
    /// BOOLEAN.
    Bool,
    /// DATE (INT32 days).
    Date,
    /// TIMESTAMP with this many units per second.
    Timestamp(i64),
    /// INT96 (legacy Impala/Spark timestamps).
    Int96,
    /// DECIMAL with this scale (from INT32, INT64 or big-endian bytes).
    Decimal(i32),
    /// TIME with this many units per second (as `HH:MM:SS` text).
    Time(i64),
    /// UTF-8 text (strings, ENUM, JSON, undeclared byte arrays).
    Text,
    /// UUID (16 bytes, as canonical text).
    Uuid,
}

/// A flat column read from the file.
#[derive(Clone)]
pub struct Column {
    /// Its leaf index in the schema.
    pub leaf: usize,
    /// Its name.
    pub name: String,
    /// Its wire kind.
    pub kind: Kind,
    /// How values convert.
    pub conv: Conv,
    /// Its Parquet type, for people (`INT64`, `TIMESTAMP(MICROS, UTC)`).
    pub type_name: String,
    max_def: i16,
}

/// The flat columns, the skipped (nested or unsupported) ones with why, and notes.
pub fn columns(schema: &SchemaDescriptor) -> (Vec<Column>, Vec<(String, String)>, Vec<String>) {
    let (mut out, mut skipped, mut notes) = (Vec::new(), Vec::<(String, String)>::new(), Vec::new());
    for (leaf, d) in schema.columns().iter().enumerate() {
        let parts = d.path().parts();
        let top = parts.first().cloned().unwrap_or_default();
        let nested = parts.len() > 1
            || d.max_rep_level() > 0
            || d.self_type().get_basic_info().repetition() == Repetition::REPEATED;
        if nested {
            if !skipped.iter().any(|(n, _)| *n == top) {
                let why =
                    schema.root_schema().get_fields().iter().find(|f| f.name() == top).map_or("a nested column", |f| {
                        match f.get_basic_info().logical_type_ref() {
                            Some(LogicalType::List) => "a list",
                            Some(LogicalType::Map) => "a map",
                            _ if f.get_basic_info().converted_type() == ConvertedType::LIST => "a list",
                            _ if f.get_basic_info().converted_type() == ConvertedType::MAP => "a map",
                            _ if f.is_group() => "a struct",
                            _ => "a repeated field",
                        }
                    });
                skipped.push((top, why.into()));
            }
            continue;
        }
        match classify(d) {
            Ok((kind, conv, type_name)) => {
                if let Some(LogicalType::Timestamp(t)) = d.logical_type_ref() {
                    if !t.is_adjusted_to_u_t_c {
                        notes.push(format!(
                            "column `{top}` holds local date-times (TIMESTAMP without a time zone); they are read as written"
                        ));
                    }
                }
                if matches!(conv, Conv::Int96) {
                    notes.push(format!(
                        "column `{top}` is a legacy INT96 timestamp (Impala/Spark); it is read as a UTC date-time"
                    ));
                }
                out.push(Column { leaf, name: top, kind, conv, type_name, max_def: d.max_def_level() });
            }
            Err(why) => skipped.push((top, why)),
        }
    }
    (out, skipped, notes)
}

fn classify(d: &ColumnDescriptor) -> Result<(Kind, Conv, String), String> {
    let p = d.physical_type();
    let unit = |u: &TimeUnit| match u {
        TimeUnit::MILLIS => (1_000, "MILLIS"),
        TimeUnit::MICROS => (1_000_000, "MICROS"),
        _ => (1_000_000_000, "NANOS"),
    };
    let logical = d.logical_type_ref().cloned();
    let ct = d.converted_type();
    Ok(match (p, logical) {
        (Physical::INT32 | Physical::INT64, Some(LogicalType::Integer(t))) => {
            let name = format!("{}INT{}", if t.is_signed { "" } else { "U" }, t.bit_width);
            match (t.is_signed, p) {
                (false, Physical::INT64) => (Kind::Number, Conv::U64, name),
                (false, _) => (Kind::Int, Conv::U32, name),
                _ => (Kind::Int, Conv::Int, name),
            }
        }
        (_, Some(LogicalType::Decimal(t))) => {
            (Kind::Number, Conv::Decimal(t.scale), format!("DECIMAL({}, {})", t.precision, t.scale))
        }
        (Physical::INT32, Some(LogicalType::Date)) => (Kind::Date, Conv::Date, "DATE".into()),
        (Physical::INT64, Some(LogicalType::Timestamp(t))) => {
            let (per, u) = unit(&t.unit);
            let zone = if t.is_adjusted_to_u_t_c { "UTC" } else { "local" };
            (Kind::Datetime, Conv::Timestamp(per), format!("TIMESTAMP({u}, {zone})"))
        }
        (Physical::INT32 | Physical::INT64, Some(LogicalType::Time(t))) => {
            let (per, u) = unit(&t.unit);
            (Kind::Text, Conv::Time(per), format!("TIME({u})"))
        }
        (Physical::FIXED_LEN_BYTE_ARRAY, Some(LogicalType::Uuid)) => (Kind::Text, Conv::Uuid, "UUID".into()),
        (Physical::BYTE_ARRAY, Some(LogicalType::String | LogicalType::Enum | LogicalType::Json) | None) => {
            (Kind::Text, Conv::Text, "STRING".into())
        }
        (_, Some(l)) if !matches!(l, LogicalType::Unknown) => {
            return Err(format!("a column of logical type {l:?}, which privaudit does not read"))
        }
        // Legacy files: converted types only.
        (Physical::INT32, _) if ct == ConvertedType::DATE => (Kind::Date, Conv::Date, "DATE".into()),
        (Physical::INT64, _) if ct == ConvertedType::TIMESTAMP_MILLIS => {
            (Kind::Datetime, Conv::Timestamp(1_000), "TIMESTAMP(MILLIS)".into())
        }
        (Physical::INT64, _) if ct == ConvertedType::TIMESTAMP_MICROS => {
            (Kind::Datetime, Conv::Timestamp(1_000_000), "TIMESTAMP(MICROS)".into())
        }
        (Physical::INT64, _) if ct == ConvertedType::UINT_64 => (Kind::Number, Conv::U64, "UINT64".into()),
        (Physical::INT32, _)
            if matches!(ct, ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32) =>
        {
            (Kind::Int, Conv::U32, "UINT32".into())
        }
        (Physical::INT32, _) => (Kind::Int, Conv::Int, "INT32".into()),
        (Physical::INT64, _) => (Kind::Int, Conv::Int, "INT64".into()),
        (Physical::INT96, _) => (Kind::Datetime, Conv::Int96, "INT96".into()),
        (Physical::FLOAT, _) => (Kind::Float, Conv::Float, "FLOAT".into()),
        (Physical::DOUBLE, _) => (Kind::Float, Conv::Float, "DOUBLE".into()),
        (Physical::BOOLEAN, _) => (Kind::Bool, Conv::Bool, "BOOLEAN".into()),
        (Physical::BYTE_ARRAY, _) => (Kind::Text, Conv::Text, "BYTE_ARRAY".into()),
        (Physical::FIXED_LEN_BYTE_ARRAY, _) => {
            return Err("fixed-length binary (FIXED_LEN_BYTE_ARRAY) with no type privaudit reads".into())
        }
    })
}

/// Reads `rows` rows of column `c`: its values and, per row, whether it has one.
pub fn decode(c: &Column, r: &mut ColumnReader, rows: usize) -> parquet::errors::Result<(Values, Vec<bool>)> {
    let mut v = Values::of(c.kind);
    let present = match (r, c.conv) {
        (ColumnReader::BoolColumnReader(r), _) => read(r, rows, c.max_def, &mut |x: &[bool]| {
            if let Values::Bool(o) = &mut v {
                o.extend_from_slice(x);
            }
        })?,
        (ColumnReader::Int32ColumnReader(r), conv) => read(r, rows, c.max_def, &mut |x: &[i32]| {
            x.iter().for_each(|&x| push_int(&mut v, conv, i64::from(x), x as u32 as u64))
        })?,
        (ColumnReader::Int64ColumnReader(r), conv) => {
            read(r, rows, c.max_def, &mut |x: &[i64]| x.iter().for_each(|&x| push_int(&mut v, conv, x, x as u64)))?
        }
        (ColumnReader::Int96ColumnReader(r), _) => read(r, rows, c.max_def, &mut |x: &[Int96]| {
            if let Values::Datetime(o) = &mut v {
                o.extend(x.iter().map(|t| t.to_nanos().div_euclid(1_000_000_000)));
            }
        })?,
        (ColumnReader::FloatColumnReader(r), _) => read(r, rows, c.max_def, &mut |x: &[f32]| {
            if let Values::Float(o) = &mut v {
                o.extend(x.iter().map(|&f| f64::from(f)));
            }
        })?,
        (ColumnReader::DoubleColumnReader(r), _) => read(r, rows, c.max_def, &mut |x: &[f64]| {
            if let Values::Float(o) = &mut v {
                o.extend_from_slice(x);
            }
        })?,
        (ColumnReader::ByteArrayColumnReader(r), conv) => {
            read(r, rows, c.max_def, &mut |x: &[ByteArray]| x.iter().for_each(|b| push_bytes(&mut v, conv, b.data())))?
        }
        (ColumnReader::FixedLenByteArrayColumnReader(r), conv) => {
            read(r, rows, c.max_def, &mut |x: &[FixedLenByteArray]| {
                x.iter().for_each(|b| push_bytes(&mut v, conv, b.data()))
            })?
        }
    };
    Ok((v, present))
}

/// Reads records in chunks, handing the values to `sink`; returns the validity per row.
fn read<T: DataType>(
    r: &mut ColumnReaderImpl<T>,
    rows: usize,
    max_def: i16,
    sink: &mut dyn FnMut(&[T::T]),
) -> parquet::errors::Result<Vec<bool>> {
    let mut present = Vec::with_capacity(rows);
    let (mut defs, mut vals) = (Vec::new(), Vec::new());
    while present.len() < rows {
        defs.clear();
        vals.clear();
        let want = (rows - present.len()).min(8192);
        let (n, _, _) = r.read_records(want, (max_def > 0).then_some(&mut defs), None, &mut vals)?;
        if n == 0 {
            return Err(parquet::errors::ParquetError::General(format!(
                "the column chunk ends after {} of its {rows} rows",
                present.len()
            )));
        }
        if max_def > 0 {
            present.extend(defs.iter().map(|&d| d == max_def));
        } else {
            present.extend(std::iter::repeat_n(true, n));
        }
        sink(&vals);
    }
    Ok(present)
}

fn push_int(v: &mut Values, conv: Conv, signed: i64, unsigned: u64) {
    match (v, conv) {
        (Values::Int(o), Conv::U32) => o.push(unsigned as u32 as i64),
        (Values::Int(o), _) => o.push(signed),
        (Values::Date(o), _) => o.push(signed),
        (Values::Datetime(o), Conv::Timestamp(per)) => o.push(signed.div_euclid(per)),
        (v @ Values::Number(..), Conv::U64) => v.push_text(unsigned.to_string().as_bytes()),
        (v @ Values::Number(..), Conv::Decimal(scale)) => v.push_text(decimal(&signed.to_string(), scale).as_bytes()),
        (v @ Values::Text(..), Conv::Time(per)) => v.push_text(time_text(signed, per).as_bytes()),
        _ => {}
    }
}

fn push_bytes(v: &mut Values, conv: Conv, b: &[u8]) {
    match conv {
        Conv::Decimal(scale) => v.push_text(decimal(&be_integer(b), scale).as_bytes()),
        Conv::Uuid => {
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            let s = if h.len() == 32 {
                format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
            } else {
                h
            };
            v.push_text(s.as_bytes());
        }
        _ => match std::str::from_utf8(b) {
            Ok(_) => v.push_text(b),
            Err(_) => v.push_text(String::from_utf8_lossy(b).as_bytes()),
        },
    }
}

/// `digits` (an integer, maybe negative) with `scale` digits after the point, exactly.
fn decimal(digits: &str, scale: i32) -> String {
    let (neg, d) = digits.strip_prefix('-').map_or((false, digits), |d| (true, d));
    let sign = if neg { "-" } else { "" };
    if scale <= 0 {
        let zeros = "0".repeat(scale.unsigned_abs() as usize);
        return if d == "0" { "0".into() } else { format!("{sign}{d}{zeros}") };
    }
    let s = scale as usize;
    let padded = if d.len() <= s { format!("{}{d}", "0".repeat(s + 1 - d.len())) } else { d.to_string() };
    let (int, frac) = padded.split_at(padded.len() - s);
    format!("{sign}{int}.{frac}")
}

/// A big-endian two's-complement integer of any length as decimal text.
fn be_integer(b: &[u8]) -> String {
    if b.is_empty() {
        return "0".into();
    }
    let neg = b[0] & 0x80 != 0;
    // Magnitude (two's complement negated when negative), as base-256 digits.
    let mut mag: Vec<u8> = if neg { b.iter().map(|x| !x).collect() } else { b.to_vec() };
    if neg {
        for x in mag.iter_mut().rev() {
            let (y, carry) = x.overflowing_add(1);
            *x = y;
            if !carry {
                break;
            }
        }
    }
    // Repeated division by 10 (decimals are at most 38 digits in practice).
    let mut out = Vec::new();
    while mag.iter().any(|&x| x != 0) {
        let mut rem = 0u32;
        for x in mag.iter_mut() {
            let cur = (rem << 8) | u32::from(*x);
            *x = (cur / 10) as u8;
            rem = cur % 10;
        }
        out.push(b'0' + rem as u8);
    }
    if out.is_empty() {
        out.push(b'0');
    }
    out.reverse();
    let s = String::from_utf8(out).unwrap_or_default();
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

/// A time of day (`units` per second since midnight) as `HH:MM:SS`, with the fraction
/// when there is one.
fn time_text(t: i64, per: i64) -> String {
    let (s, frac) = (t.div_euclid(per), t.rem_euclid(per));
    let base = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    if frac == 0 {
        return base;
    }
    let width = per.to_string().len() - 1;
    let f = format!("{frac:0width$}");
    format!("{base}.{}", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_text() {
        assert_eq!(decimal("12345", 2), "123.45");
        assert_eq!(decimal("-5", 2), "-0.05");
        assert_eq!(decimal("7", 0), "7");
        assert_eq!(be_integer(&[0x01, 0x00]), "256");
        assert_eq!(be_integer(&[0xFF, 0xFF]), "-1");
        assert_eq!(be_integer(&[0xFF, 0x38]), "-200");
        assert_eq!(time_text(3_723_500, 1000), "01:02:03.5");
    }
}
