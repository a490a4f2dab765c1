//! Typing one field: from the text of a field to a [`Cell`].
//!
//! The decoder resolves each column once into a [`Kind`] (its type, whether it is parsed
//! at all, and whether numbers take the plain `.`-decimal fast paths) so that the per-field
//! work is one small `match` instead of reading the column spec, the wanted-columns mask and
//! the number format for every field.

use super::batch::{Batch, Cell};
use super::fastpath;
use super::value::{self, ColumnType as T, DateOrder, NumberFormat};
use crate::spec::{ColumnSpec, ValidSpec};

/// How the fields of one column are typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Not parsed (a later pass that does not need the column): every cell is missing.
    Skip,
    /// Integers.
    Int {
        /// The number format is the default (`.`, no thousands separator).
        plain: bool,
    },
    /// Floats.
    Float {
        /// The number format is the default (`.`, no thousands separator).
        plain: bool,
    },
    /// Booleans.
    Bool,
    /// Dates in the given field order.
    Date(DateOrder),
    /// Date-times.
    Datetime,
    /// Strings (categorical, text, identifier).
    Text,
}

impl Kind {
    /// The kind of column `col` under `spec` (`Skip` when it is not wanted).
    pub fn of(spec: &ValidSpec, col: &ColumnSpec, wanted: bool) -> Kind {
        let plain = spec.number == NumberFormat::default();
        match col.ty {
            _ if !wanted => Kind::Skip,
            T::Integer => Kind::Int { plain },
            T::Float => Kind::Float { plain },
            T::Boolean => Kind::Bool,
            T::Date => Kind::Date(col.date_order),
            T::Datetime => Kind::Datetime,
            T::Categorical | T::Text | T::Identifier => Kind::Text,
        }
    }
}

/// Parses one field of column `col` into a cell (shared by the decoder and tests).
pub fn parse_cell(spec: &ValidSpec, col: &ColumnSpec, field: Option<&str>, batch: &mut Batch) -> Cell {
    let Some(s) = field else { return Cell::Missing(value::MISSING_ABSENT) };
    match classify(spec, Kind::of(spec, col, true), s) {
        Parsed::Value(cell) => cell,
        Parsed::Text => Cell::Text(batch.push_text(s)),
        Parsed::Invalid => Cell::Invalid(batch.push_text(s)),
    }
}

/// What a field is, before its text (if it needs any) is stored.
pub enum Parsed {
    /// A cell that holds no text.
    Value(Cell),
    /// A string value.
    Text,
    /// Not a value of the column's type.
    Invalid,
}

/// The cell of field `s` of a column of kind `kind`.
#[inline(always)]
pub fn classify(spec: &ValidSpec, kind: Kind, s: &str) -> Parsed {
    let mut out = Cell::Missing(value::MISSING_ABSENT);
    match parse_into(spec, kind, s, &mut |cell| out = cell) {
        Parsed::Value(_) => Parsed::Value(out),
        other => other,
    }
}

/// Hands the cell of a field that holds no text to `put` (each arm with its own
/// constant tag, which keeps the cell out of the stack on the decoder's hot path) and
/// returns `Parsed::Value(Cell::Missing(0))`; returns `Text` or `Invalid` otherwise.
///
/// The plain fast paths ([`fastpath::plain_int`], [`fastpath::plain_decimal`]) are the
/// first thing [`value::parse_int`] and [`value::parse_float`] try under the default
/// number format, so trying them here first gives the same cells; it saves a call and the
/// format test per field.
#[inline(always)]
pub fn parse_into(spec: &ValidSpec, kind: Kind, s: &str, put: &mut impl FnMut(Cell)) -> Parsed {
    const DONE: Parsed = Parsed::Value(Cell::Missing(value::MISSING_ABSENT));
    if let Some(code) = spec.missing.which(s) {
        put(Cell::Missing(code));
        return DONE;
    }
    match kind {
        Kind::Skip => put(Cell::Missing(value::MISSING_ABSENT)),
        Kind::Int { plain } => match plain.then(|| fastpath::plain_int(s.as_bytes())).flatten() {
            Some(v) => put(Cell::Int(v)),
            None => match int_cell(s, spec.number) {
                Some(v) => put(Cell::Int(v)),
                None => return Parsed::Invalid,
            },
        },
        Kind::Float { plain } => match plain.then(|| fastpath::plain_decimal(s.as_bytes())).flatten() {
            Some(x) => put(Cell::Float(x)), // never NaN
            None => match value::parse_float(s, spec.number) {
                Some(x) if x.is_nan() => put(Cell::Missing(value::MISSING_NAN)),
                Some(x) => put(Cell::Float(x)),
                None => return Parsed::Invalid,
            },
        },
        Kind::Bool => match value::parse_bool(s) {
            Some(b) => put(Cell::Bool(b)),
            None => return Parsed::Invalid,
        },
        Kind::Date(order) => match value::parse_date(s, order) {
            Some(d) => put(Cell::Date(d)),
            None => return Parsed::Invalid,
        },
        Kind::Datetime => match value::parse_datetime(s) {
            Some(t) => put(Cell::Datetime(t)),
            None => return Parsed::Invalid,
        },
        Kind::Text => return Parsed::Text,
    }
    DONE
}

/// An integer cell: a whole number, or a real number with no fraction in the `i64` range.
#[inline(never)]
fn int_cell(s: &str, fmt: NumberFormat) -> Option<i64> {
    match value::parse_int(s, fmt) {
        Some(v) => Some(v),
        None => value::parse_float(s, fmt).filter(|x| x.fract() == 0.0 && x.abs() < 9.2e18).map(|x| x as i64),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::{resolve, RawSpec};
    use proptest::prelude::*;

    /// A spec with an integer, a float and a text column (default number format).
    fn spec() -> ValidSpec {
        let csv = "i,x,t\n1,1.5,a\n2,2.5,b\n3,3.5,c\n";
        let raw = RawSpec::from_toml("").unwrap_or_else(|e| panic!("{e:?}"));
        let preview = resolve(&raw, csv.as_bytes(), true).unwrap_or_else(|e| panic!("{e:?}"));
        ValidSpec::try_from_resolved(&preview.spec).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// The typing of a number field before kinds (value parsers only), to test against.
    fn reference(spec: &ValidSpec, ty: T, s: &str) -> Option<Cell> {
        let fmt = spec.number;
        if let Some(code) = spec.missing.which(s) {
            return Some(Cell::Missing(code));
        }
        match ty {
            T::Integer => match value::parse_int(s, fmt) {
                Some(v) => Some(Cell::Int(v)),
                None => value::parse_float(s, fmt)
                    .filter(|x| x.fract() == 0.0 && x.abs() < 9.2e18)
                    .map(|x| Cell::Int(x as i64)),
            },
            _ => value::parse_float(s, fmt).map(|x| {
                if x.is_nan() {
                    Cell::Missing(value::MISSING_NAN)
                } else {
                    Cell::Float(x)
                }
            }),
        }
    }

    fn typed(spec: &ValidSpec, kind: Kind, s: &str) -> Option<Cell> {
        match classify(spec, kind, s) {
            Parsed::Value(c) => Some(c),
            _ => None,
        }
    }

    fn same(a: Option<Cell>, b: Option<Cell>) -> bool {
        match (a, b) {
            (Some(Cell::Float(x)), Some(Cell::Float(y))) => x.to_bits() == y.to_bits(),
            (a, b) => a == b,
        }
    }

    proptest! {
        #[test]
        fn numbers_type_as_before(s in "[ +-]?[0-9]{0,24}(\\.[0-9]{0,24})?([eE][+-]?[0-9]{1,3})?[ ]?|[-+]?(inf|NaN|infinity|1,000|e5|\\.|-|NA)") {
            let spec = spec();
            prop_assert_eq!(spec.number, NumberFormat::default());
            for (ty, kind) in [(T::Integer, Kind::Int { plain: true }), (T::Float, Kind::Float { plain: true })] {
                prop_assert!(same(typed(&spec, kind, &s), reference(&spec, ty, &s)), "{:?} {}", ty, s);
            }
        }
    }

    #[test]
    fn kinds_follow_the_spec() {
        let spec = spec();
        let kinds: Vec<Kind> = spec.columns.iter().map(|c| Kind::of(&spec, c, true)).collect();
        assert_eq!(kinds, [Kind::Int { plain: true }, Kind::Float { plain: true }, Kind::Text]);
        assert_eq!(Kind::of(&spec, &spec.columns[1], false), Kind::Skip);
    }
}
