//! Typed values of typed sources (JSON Lines, workbooks) to [`Cell`]s, by the column's
//! declared or inferred type — the same cells a CSV export of the same table would give:
//! - a string is typed exactly like a CSV field (missing tokens, number formats, dates);
//! - a number as written (JSON) types like the same digits in a CSV file;
//! - a value that already has a type is kept when the column has that type (an Excel
//!   number in a number column, a date cell in a date column); otherwise it is typed by its
//!   text, and a declared type it does not fit makes it an unparseable cell (a finding),
//!   never a silent cast: `TRUE` in an integer column is invalid, as in a CSV file.

use crate::ingest::batch::{Batch, Cell};
use crate::ingest::typing::{parse_into, Kind, Parsed};
use crate::ingest::value::{self, civil_from_days};
use crate::spec::ValidSpec;

/// One value of a typed source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A string: typed like a CSV field.
    Text(&'a str),
    /// A number as written (JSON number syntax).
    Number(&'a str),
    /// A real number (a spreadsheet number).
    Float(f64),
    /// A whole number.
    Int(i64),
    /// A boolean, and how the source spells it (`true`, `TRUE`).
    Bool(bool, &'a str),
    /// A date (days since 1970-01-01).
    Date(i64),
    /// A date-time (seconds since the epoch, no time zone).
    Datetime(i64),
    /// Missing, with its code (see [`value::missing_label`]).
    Missing(u8),
    /// Structured data kept as its text (a JSON list): text in a text column, else invalid.
    Structured(&'a str),
}

/// The cell of `v` in a column of kind `kind`; strings go to `text`. The flag is true for
/// an unparseable cell (the caller records the finding).
pub fn cell(spec: &ValidSpec, kind: Kind, v: Value<'_>, text: &mut String) -> (Cell, bool) {
    let typed = |c: Cell| (c, false);
    match (kind, v) {
        (_, Value::Missing(code)) => typed(Cell::Missing(code)),
        (Kind::Skip, _) => typed(Cell::Missing(value::MISSING_ABSENT)),
        (_, Value::Text(s)) => field(spec, kind, s, text),
        (Kind::Int { .. }, Value::Number(s)) => match s.parse::<i64>().ok().or_else(|| whole(s.parse().ok()?)) {
            Some(i) => typed(Cell::Int(i)),
            None => invalid(s, text),
        },
        (Kind::Float { .. }, Value::Number(s)) => match s.parse::<f64>() {
            Ok(x) => typed(Cell::Float(x)),
            Err(_) => invalid(s, text),
        },
        (_, Value::Number(s)) => field(spec, kind, s, text),
        (Kind::Int { .. }, Value::Float(x)) => match whole(x) {
            Some(i) => typed(Cell::Int(i)),
            None => invalid(&number_text(x), text),
        },
        (Kind::Float { .. }, Value::Float(x)) if x.is_nan() => typed(Cell::Missing(value::MISSING_NAN)),
        (Kind::Float { .. }, Value::Float(x)) => typed(Cell::Float(x)),
        (_, Value::Float(x)) => field(spec, kind, &number_text(x), text),
        (Kind::Int { .. }, Value::Int(i)) => typed(Cell::Int(i)),
        (Kind::Float { .. }, Value::Int(i)) => typed(Cell::Float(i as f64)),
        (_, Value::Int(i)) => field(spec, kind, &i.to_string(), text),
        (Kind::Bool, Value::Bool(b, _)) => typed(Cell::Bool(b)),
        (_, Value::Bool(_, spelt)) => field(spec, kind, spelt, text),
        (Kind::Date(_), Value::Date(d)) => typed(Cell::Date(d)),
        (Kind::Datetime, Value::Date(d)) => typed(Cell::Datetime(d * 86_400)),
        (Kind::Text, Value::Date(d)) => typed(Cell::Text(Batch::push_into(text, &date_text(d)))),
        (_, Value::Date(d)) => invalid(&date_text(d), text),
        (Kind::Datetime, Value::Datetime(t)) => typed(Cell::Datetime(t)),
        (Kind::Date(_), Value::Datetime(t)) if t.rem_euclid(86_400) == 0 => typed(Cell::Date(t.div_euclid(86_400))),
        (Kind::Text, Value::Datetime(t)) => typed(Cell::Text(Batch::push_into(text, &datetime_text(t)))),
        (_, Value::Datetime(t)) => invalid(&datetime_text(t), text),
        (Kind::Text, Value::Structured(s)) => typed(Cell::Text(Batch::push_into(text, s))),
        (_, Value::Structured(s)) => invalid(s, text),
    }
}

fn field(spec: &ValidSpec, kind: Kind, s: &str, text: &mut String) -> (Cell, bool) {
    let mut out = Cell::Missing(value::MISSING_ABSENT);
    match parse_into(spec, kind, s, &mut |c| out = c) {
        Parsed::Value(_) => (out, false),
        Parsed::Text => (Cell::Text(Batch::push_into(text, s)), false),
        Parsed::Invalid => invalid(s, text),
    }
}

fn invalid(s: &str, text: &mut String) -> (Cell, bool) {
    (Cell::Invalid(Batch::push_into(text, s)), true)
}

/// A real number with no fraction in the `i64` range, as an integer (the integer rule of
/// CSV fields: `12.0` is the integer 12).
fn whole(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 9.2e18).then_some(x as i64)
}

/// A spreadsheet number as a CSV export shows it: the shortest text that reads back as
/// the same number (`12`, `0.1`, `1e+21` written out in full by Rust as `1000…`).
pub fn number_text(x: f64) -> String {
    format!("{x}")
}

/// `YYYY-MM-DD`.
pub fn date_text(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM:SS` (pandas' CSV writing of a date-time).
pub fn datetime_text(t: i64) -> String {
    let s = t.rem_euclid(86_400);
    format!("{} {:02}:{:02}:{:02}", date_text(t.div_euclid(86_400)), s / 3600, s / 60 % 60, s % 60)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::{resolve, RawSpec};

    fn spec() -> ValidSpec {
        let csv =
            "i,x,t,b,d,dt\n1,1.5,a,true,2024-01-02,2024-01-02T03:04:05\n2,2.5,b,false,2024-01-03,2024-01-02T03:04:06\n";
        ValidSpec::try_from_resolved(&resolve(&RawSpec::default(), csv.as_bytes(), true).unwrap().spec).unwrap()
    }

    #[test]
    fn typed_values_keep_their_type_or_become_findings() {
        let spec = spec();
        let kinds: Vec<Kind> = spec.columns.iter().map(|c| Kind::of(&spec, c, true)).collect();
        let mut text = String::new();
        let mut c = |k: usize, v| cell(&spec, kinds[k], v, &mut text);
        assert_eq!(c(0, Value::Float(12.0)), (Cell::Int(12), false), "Excel's 12.0 is the integer 12");
        assert_eq!(c(0, Value::Number("12")), (Cell::Int(12), false));
        assert_eq!(c(0, Value::Number("1e2")), (Cell::Int(100), false), "as a CSV field `1e2` would");
        assert!(c(0, Value::Float(1.5)).1, "a fraction in an integer column is unparseable");
        assert!(c(0, Value::Bool(true, "TRUE")).1, "TRUE in an integer column is unparseable");
        assert_eq!(
            c(0, Value::Text(" 7 ")),
            (Cell::Int(7), false),
            "text that looks like a number: the column decides"
        );
        assert_eq!(c(1, Value::Int(3)), (Cell::Float(3.0), false));
        assert_eq!(c(3, Value::Bool(false, "FALSE")), (Cell::Bool(false), false));
        assert_eq!(c(4, Value::Datetime(86_400 * 3)), (Cell::Date(3), false), "midnight is a date");
        assert!(c(4, Value::Datetime(86_400 * 3 + 1)).1, "a time of day in a date column is unparseable");
        assert_eq!(c(5, Value::Date(2)), (Cell::Datetime(2 * 86_400), false));
        assert_eq!(c(1, Value::Missing(value::MISSING_NULL)), (Cell::Missing(value::MISSING_NULL), false));
        let na = spec.missing.which("NA").unwrap();
        assert_eq!(c(1, Value::Text("NA")).0, Cell::Missing(na), "missing tokens apply to strings");
        let (t, bad) = c(2, Value::Datetime(90_061));
        assert!(!bad);
        let Cell::Text(span) = t else { panic!("{t:?}") };
        let mut b = Batch::new(1);
        b.push_text(&text);
        assert_eq!(&b.text(span), &"1970-01-02 01:01:01");
    }
}
