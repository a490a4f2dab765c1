//! Column types and the parsing of one cell into a typed value.
//!
//! Conventions (stated in the report glossary):
//! - Missing tokens are compared after trimming ASCII white space, case-insensitively.
//!   Default list: empty, `NA`, `N/A`, `null`, `NaN`, `None`, `?`, `-`.
//! - Numbers: optional sign, digits, optional decimal separator (`.` by default, `,` when
//!   the spec says so), optional exponent; `inf`/`infinity` (any case) are infinities;
//!   a thousands separator is accepted only when the spec names one. A `NaN` that is not a
//!   missing token is still treated as missing.
//! - Booleans: `true/false`, `yes/no`, `t/f`, `y/n`, `1/0` (any case).
//! - Dates: ISO `YYYY-MM-DD` (also `YYYY/MM/DD`), and day/month forms `DD/MM/YYYY`,
//!   `MM/DD/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY` with the order fixed per column. Stored as
//!   days since 1970-01-01 (proleptic Gregorian).
//! - Datetimes: ISO 8601 `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH:MM]`; a time without an
//!   offset is read as UTC. Stored as seconds since the Unix epoch.

use serde::{Deserialize, Serialize};

/// The type of a column, inferred from the sample or set in the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// Whole numbers (64-bit).
    Integer,
    /// Real numbers (64-bit floating point).
    Float,
    /// Two-valued.
    Boolean,
    /// Calendar dates.
    Date,
    /// Date and time.
    Datetime,
    /// A small set of labels.
    Categorical,
    /// Free text.
    Text,
    /// Identifier-like: (nearly) unique per row.
    Identifier,
}

impl ColumnType {
    /// Every type, in the order shown to users.
    pub const ALL: [ColumnType; 8] = [
        ColumnType::Integer,
        ColumnType::Float,
        ColumnType::Boolean,
        ColumnType::Date,
        ColumnType::Datetime,
        ColumnType::Categorical,
        ColumnType::Text,
        ColumnType::Identifier,
    ];
    /// The name used in specs and reports.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Float => "float",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
            ColumnType::Datetime => "datetime",
            ColumnType::Categorical => "categorical",
            ColumnType::Text => "text",
            ColumnType::Identifier => "identifier",
        }
    }
    /// Parses a type name.
    pub fn from_name(s: &str) -> Option<Self> {
        ColumnType::ALL.into_iter().find(|t| t.name() == s.trim().to_ascii_lowercase())
    }
    /// True for integer and float.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::Float)
    }
    /// True for the string-valued types.
    pub fn is_string(self) -> bool {
        matches!(self, ColumnType::Categorical | ColumnType::Text | ColumnType::Identifier)
    }
}

/// Field order of a day/month date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Year first (ISO).
    Ymd,
    /// Day first (`31/12/2024`).
    Dmy,
    /// Month first (`12/31/2024`).
    Mdy,
}

/// How numbers are written in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NumberFormat {
    /// Decimal separator, `.` or `,`.
    pub decimal: u8,
    /// Thousands separator if any.
    pub thousands: Option<u8>,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat { decimal: b'.', thousands: None }
    }
}

/// The default missing-value tokens (compared trimmed and case-insensitively).
pub const DEFAULT_MISSING: [&str; 9] = ["", "NA", "N/A", "null", "NULL", "NaN", "None", "?", "-"];

/// A set of missing tokens, stored trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MissingTokens {
    tokens: Vec<String>,
    max_len: usize,
    /// First bytes (lower-cased) of the non-empty tokens: a fast "cannot be missing" test.
    first: [bool; 256],
}

impl MissingTokens {
    /// Builds the set from user tokens.
    pub fn new<S: AsRef<str>>(tokens: &[S]) -> Self {
        let mut t: Vec<String> = tokens.iter().map(|s| s.as_ref().trim().to_ascii_lowercase()).collect();
        t.sort();
        t.dedup();
        let max_len = t.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut first = [false; 256];
        for b in t.iter().filter_map(|s| s.bytes().next()) {
            first[usize::from(b)] = true;
            first[usize::from(b.to_ascii_uppercase())] = true;
        }
        MissingTokens { tokens: t, max_len, first }
    }
    /// True when `field` is a missing token.
    #[inline]
    pub fn is_missing(&self, field: &str) -> bool {
        self.is_missing_bytes(field.as_bytes())
    }

    /// [`MissingTokens::is_missing`] on the bytes of a field (the same test: trimming and
    /// case folding are ASCII-only, so they need no decoding).
    #[inline]
    pub fn is_missing_bytes(&self, b: &[u8]) -> bool {
        // Fast path: no space at either end (so `b` is its own trimmed form), and it
        // starts with a byte no token starts with, or is longer than every token.
        match (b.first(), b.last()) {
            (Some(&a), Some(&z)) if !a.is_ascii_whitespace() && !z.is_ascii_whitespace() => {
                if !self.first[usize::from(a)] || b.len() > self.max_len {
                    return false;
                }
                self.tokens.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(b))
            }
            _ => self.is_missing_trimmed(b),
        }
    }

    #[inline(never)]
    fn is_missing_trimmed(&self, field: &[u8]) -> bool {
        let f = field.trim_ascii();
        if f.is_empty() {
            return self.tokens.first().is_some_and(|t| t.is_empty());
        }
        if f.len() > self.max_len {
            return false;
        }
        self.tokens.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(f))
    }
}

impl Default for MissingTokens {
    fn default() -> Self {
        MissingTokens::new(&DEFAULT_MISSING)
    }
}

#[inline]
fn trim(s: &str) -> &str {
    // Most fields have no surrounding space: check the two ends before scanning.
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if !a.is_ascii_whitespace() && !z.is_ascii_whitespace() => s,
        _ => s.trim_matches(|c: char| c.is_ascii_whitespace()),
    }
}

/// Parses a whole number (optional sign, digits, optional thousands separators).
pub fn parse_int(s: &str, fmt: NumberFormat) -> Option<i64> {
    if let Some(v) = super::fastpath::plain_int(s.as_bytes()) {
        return Some(v);
    }
    let b = trim(s).as_bytes();
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        if Some(c) == fmt.thousands {
            continue;
        }
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_sub(i64::from(d))?;
    }
    if neg {
        Some(v)
    } else {
        v.checked_neg()
    }
}

/// Parses a real number. `inf`/`infinity` give infinities; `nan` gives NaN (callers treat
/// it as missing).
pub fn parse_float(s: &str, fmt: NumberFormat) -> Option<f64> {
    let plain = fmt.decimal == b'.' && fmt.thousands.is_none();
    if plain {
        // No surrounding space in the fast path's form, so no need to trim first.
        if let Some(x) = super::fastpath::plain_decimal(s.as_bytes()) {
            return Some(x);
        }
    }
    let t = trim(s);
    if t.is_empty() {
        return None;
    }
    let parsed = if plain {
        t.parse::<f64>().ok()?
    } else {
        let mut buf = String::with_capacity(t.len());
        for &c in t.as_bytes() {
            if Some(c) == fmt.thousands {
                continue;
            }
            buf.push(if c == fmt.decimal {
                '.'
            } else if c == b'.' {
                return None;
            } else {
                c as char
            });
        }
        buf.parse::<f64>().ok()?
    };
    // Rust accepts "infinity"/"nan" spellings; reject other words such as "e5" by requiring
    // a digit or one of the special words.
    if parsed.is_finite() && !t.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(parsed)
}

/// Parses a boolean.
pub fn parse_bool(s: &str) -> Option<bool> {
    bool_word(trim(s).as_bytes())
}

/// The boolean a trimmed field spells, if any. One word per length: a switch on the
/// length, then one case-insensitive compare.
#[inline]
pub fn bool_word(t: &[u8]) -> Option<bool> {
    let is = |w: &[u8]| t.eq_ignore_ascii_case(w);
    match *t {
        [b't' | b'T' | b'y' | b'Y' | b'1'] => Some(true),
        [b'f' | b'F' | b'n' | b'N' | b'0'] => Some(false),
        [_, _] => is(b"no").then_some(false),
        [_, _, _] => is(b"yes").then_some(true),
        [_, _, _, _] => is(b"true").then_some(true),
        [_, _, _, _, _] => is(b"false").then_some(false),
        _ => None,
    }
}

/// The former [`parse_bool`] (a list of words), kept to test the new one against.
#[cfg(test)]
pub(crate) fn parse_bool_by_list(s: &str) -> Option<bool> {
    let t = trim(s);
    if t.len() > 5 {
        return None;
    }
    let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(t));
    if is(&["true", "t", "yes", "y", "1"]) {
        Some(true)
    } else if is(&["false", "f", "no", "n", "0"]) {
        Some(false)
    } else {
        None
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date for a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |a, &c| Some(a * 10 + u32::from(c - b'0')))
}

/// Splits a date into its three numeric parts and the separator.
pub fn date_parts(s: &str) -> Option<([u32; 3], [usize; 3], u8)> {
    let b = trim(s).as_bytes();
    let sep = *b.iter().find(|c| matches!(c, b'-' | b'/' | b'.'))?;
    let mut it = b.split(|&c| c == sep);
    let (p0, p1, p2) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some(([num(p0)?, num(p1)?, num(p2)?], [p0.len(), p1.len(), p2.len()], sep))
}

/// Parses a date with the given field order into days since 1970-01-01.
pub fn parse_date(s: &str, order: DateOrder) -> Option<i64> {
    let iso = if order == DateOrder::Ymd { super::fastpath::iso_date(trim(s).as_bytes()) } else { None };
    let (y, m, d) = match (iso, order) {
        (Some(ymd), _) => ymd,
        (None, order) => ymd_parts(s, order)?,
    };
    ymd_days(y, m, d)
}

/// Days since 1970-01-01 of a year, month and day, if that date exists.
#[inline]
pub fn ymd_days(y: u32, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(i64::from(y), m) {
        return None;
    }
    Some(days_from_civil(i64::from(y), m, d))
}

/// Year, month and day of a date in any accepted spelling, in the given field order.
fn ymd_parts(s: &str, order: DateOrder) -> Option<(u32, u32, u32)> {
    let (p, len, _) = date_parts(s)?;
    Some(match order {
        DateOrder::Ymd if len[0] == 4 => (p[0], p[1], p[2]),
        DateOrder::Dmy if len[2] == 4 => (p[2], p[1], p[0]),
        DateOrder::Mdy if len[2] == 4 => (p[2], p[0], p[1]),
        _ => return None,
    })
}

/// Parses an ISO 8601 date-time into seconds since the Unix epoch (UTC).
pub fn parse_datetime(s: &str) -> Option<i64> {
    let t = trim(s);
    if t.len() < 16 || !t.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = t.split_at(10);
    let days = parse_date(date, DateOrder::Ymd)?;
    let rest = rest.strip_prefix(['T', ' '])?;
    let (clock, offset) = split_offset(rest)?;
    let mut parts = clock.split(':');
    let h = num(parts.next()?.as_bytes())?;
    let mi = num(parts.next()?.as_bytes())?;
    let sec = match parts.next() {
        Some(sf) => num(sf.split('.').next()?.as_bytes())?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + sec) - offset)
}

fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        return Some((c, 0));
    }
    let b = rest.as_bytes();
    if b.len() >= 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':' {
        let h = num(&b[b.len() - 5..b.len() - 3])?;
        let m = num(&b[b.len() - 2..])?;
        let sign = if b[b.len() - 6] == b'-' { -1 } else { 1 };
        return Some((&rest[..rest.len() - 6], sign * i64::from(h * 3600 + m * 60)));
    }
    Some((rest, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    const F: NumberFormat = NumberFormat { decimal: b'.', thousands: None };

    #[test]
    fn numbers() {
        assert_eq!(parse_int(" 42 ", F), Some(42));
        assert_eq!(parse_int("-9223372036854775808", F), Some(i64::MIN));
        assert_eq!(parse_int("9223372036854775808", F), None);
        assert_eq!(parse_int("1,234", F), None);
        assert_eq!(parse_int("1,234", NumberFormat { decimal: b'.', thousands: Some(b',') }), Some(1234));
        assert_eq!(parse_float("1e308", F), Some(1e308));
        assert_eq!(parse_float("-0", F).map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(parse_float("INF", F), Some(f64::INFINITY));
        assert_eq!(parse_float("-Infinity", F), Some(f64::NEG_INFINITY));
        assert!(parse_float("nan", F).is_some_and(f64::is_nan));
        assert_eq!(parse_float("1,234.5", F), None);
        assert_eq!(parse_float("12,5", NumberFormat { decimal: b',', thousands: None }), Some(12.5));
        assert_eq!(parse_float("1.234,5", NumberFormat { decimal: b',', thousands: Some(b'.') }), Some(1234.5));
        assert_eq!(parse_float("e5", F), None);
        assert_eq!(parse_float("abc", F), None);
    }

    #[test]
    fn missing_tokens_trim_and_ignore_case() {
        let m = MissingTokens::default();
        for t in ["", "  ", "na", " N/A ", "NULL", "nan", "none", "?", "-"] {
            assert!(m.is_missing(t), "{t:?}");
        }
        for t in ["0", "-0", "nab", "Nothing"] {
            assert!(!m.is_missing(t), "{t:?}");
        }
        assert!(!MissingTokens::new(&["NA"]).is_missing(""));
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2024-02-29", DateOrder::Ymd), Some(19_782));
        assert_eq!(parse_date("2023-02-29", DateOrder::Ymd), None);
        assert_eq!(parse_date("29/02/2024", DateOrder::Dmy), Some(19_782));
        assert_eq!(parse_date("02/29/2024", DateOrder::Mdy), Some(19_782));
        assert_eq!(parse_date("29.02.2024", DateOrder::Dmy), Some(19_782));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(parse_datetime("1970-01-01T00:00:01Z"), Some(1));
        assert_eq!(parse_datetime("2024-02-29 12:30"), Some(19_782 * 86_400 + 45_000));
        assert_eq!(parse_datetime("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_datetime("1970-01-01T24:00:00"), None);
        assert_eq!(parse_bool(" Yes "), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
