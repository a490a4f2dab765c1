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

mod date;
mod missing;

pub use date::{civil_from_days, date_parts, days_from_civil, parse_date, parse_datetime, ymd_days};
pub use missing::*;
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
