//! Column type inference from the sample rows.
//!
//! For each column, over its non-missing sample values:
//! 1. integer if (nearly) all parse as whole numbers — unless some have leading zeros
//!    (`02139`: kept as categorical so zip codes keep their zeros) or the column is an
//!    identifier (all distinct and named like `id`, `*_id`);
//! 2. float if (nearly) all parse as numbers;
//! 3. boolean if all are `true/false/yes/no/t/f/y/n`;
//! 4. date if all parse in one field order (ISO first; `dd/mm/yyyy` vs `mm/dd/yyyy` decided
//!    by values with a part above 12; if none decide, month-first as pandas does, with a
//!    notice); datetime if all are ISO 8601 date-times;
//! 5. otherwise identifier (≥ 95 % distinct among ≥ 20 values, no spaces), text (long or wordy
//!    values), or categorical.
//!
//! "Nearly all" allows up to 2 % unparseable values when there are at least 50 values; the
//! rest become unparseable-cell findings in the report rather than turning a numeric
//! column into text.

use super::value::{self, ColumnType, DateOrder, MissingTokens, NumberFormat};
use std::collections::HashSet;

/// What inference decided for one column.
#[derive(Clone, Debug, PartialEq)]
pub struct Inferred {
    /// The type.
    pub ty: ColumnType,
    /// Field order for date columns.
    pub date_order: Option<DateOrder>,
    /// Notices for the report (ambiguity, all missing, …).
    pub notes: Vec<String>,
}

fn nearly_all(ok: usize, n: usize) -> bool {
    let allowed = if n >= 50 { n / 50 } else { 0 };
    n > 0 && ok + allowed >= n
}

fn looks_like_id_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n == "id" || n.ends_with("_id") || n.ends_with(" id") || n.starts_with("id_") || n == "uuid" || n == "key"
}

/// Infers the type of one column from its sample values.
pub fn infer_column(
    name: &str,
    values: &[&str],
    missing: &MissingTokens,
    fmt: NumberFormat,
    order: Option<DateOrder>,
) -> Inferred {
    let vals: Vec<&str> = values.iter().copied().filter(|v| !missing.is_missing(v)).collect();
    let n = vals.len();
    let mut notes = Vec::new();
    if n == 0 {
        if !values.is_empty() {
            notes.push(format!("column `{name}`: every value in the sample is missing"));
        }
        return Inferred { ty: ColumnType::Categorical, date_order: None, notes };
    }
    let distinct: HashSet<&str> = vals.iter().copied().collect();
    let all_distinct = distinct.len() == n;
    let ints = vals.iter().filter(|v| value::parse_int(v, fmt).is_some()).count();
    let leading_zero = vals.iter().any(|v| {
        let t = v.trim().trim_start_matches(['-', '+']);
        t.len() > 1 && t.starts_with('0') && t.bytes().all(|c| c.is_ascii_digit())
    });
    if nearly_all(ints, n) && !leading_zero {
        let ty = if all_distinct && looks_like_id_name(name) { ColumnType::Identifier } else { ColumnType::Integer };
        return Inferred { ty, date_order: None, notes };
    }
    let floats = vals.iter().filter(|v| value::parse_float(v, fmt).is_some()).count();
    if nearly_all(floats, n) && !leading_zero {
        return Inferred { ty: ColumnType::Float, date_order: None, notes };
    }
    if vals.iter().all(|v| value::parse_bool(v).is_some() && !v.trim().chars().all(|c| c.is_ascii_digit())) {
        return Inferred { ty: ColumnType::Boolean, date_order: None, notes };
    }
    if let Some(inf) = infer_date(name, &vals, order, &mut notes) {
        return inf;
    }
    if vals.iter().all(|v| value::parse_datetime(v).is_some()) {
        return Inferred { ty: ColumnType::Datetime, date_order: None, notes };
    }
    Inferred { ty: string_kind(&vals, distinct.len(), all_distinct, name), date_order: None, notes }
}

fn infer_date(name: &str, vals: &[&str], order: Option<DateOrder>, notes: &mut Vec<String>) -> Option<Inferred> {
    let date = |o, notes: &Vec<String>| Inferred { ty: ColumnType::Date, date_order: Some(o), notes: notes.clone() };
    if vals.iter().all(|v| value::parse_date(v, DateOrder::Ymd).is_some()) {
        return Some(date(DateOrder::Ymd, notes));
    }
    let dmy = vals.iter().all(|v| value::parse_date(v, DateOrder::Dmy).is_some());
    let mdy = vals.iter().all(|v| value::parse_date(v, DateOrder::Mdy).is_some());
    match (dmy, mdy, order) {
        (true, true, Some(o)) => Some(date(o, notes)),
        (true, true, None) => {
            notes.push(format!(
                "column `{name}`: dates such as `{}` could be day/month or month/day; read as month/day (the pandas default). Set `input.date_order = \"dmy\"` if they are day/month",
                vals[0].trim()
            ));
            Some(date(DateOrder::Mdy, notes))
        }
        (true, false, _) => Some(date(DateOrder::Dmy, notes)),
        (false, true, _) => Some(date(DateOrder::Mdy, notes)),
        (false, false, _) => None,
    }
}

fn string_kind(vals: &[&str], distinct: usize, all_distinct: bool, name: &str) -> ColumnType {
    let n = vals.len();
    let total_len: usize = vals.iter().map(|v| v.chars().count()).sum();
    let avg_len = total_len as f64 / n as f64;
    let spaced = vals.iter().filter(|v| v.trim().contains(' ')).count();
    let nearly_unique = distinct * 100 >= n * 95 && n >= 20;
    if (nearly_unique || (all_distinct && looks_like_id_name(name))) && spaced == 0 && avg_len <= 64.0 {
        ColumnType::Identifier
    } else if avg_len > 40.0 || (spaced * 2 > n && distinct * 2 > n && n >= 10) {
        ColumnType::Text
    } else {
        ColumnType::Categorical
    }
}

/// A boolean column's own spellings of true and false, from its sample values: per side
/// the most frequent trimmed spelling (ties: the first in byte order). A side the sample
/// lacks takes the counterpart of the other side's word in the same case (`Yes` → `No`,
/// `Y` → `N`, `TRUE` → `FALSE`, `1` → `0`); `None` when no value reads as a boolean.
/// Decided once from the sample, before any pass, so every split of the file names the
/// groups alike.
pub fn bool_spellings(values: &[&str], missing: &MissingTokens) -> Option<(String, String)> {
    let mut seen: [std::collections::BTreeMap<&str, usize>; 2] = Default::default();
    for v in values.iter().filter(|v| !missing.is_missing(v)) {
        if let Some(b) = value::parse_bool(v) {
            *seen[usize::from(b)].entry(v.trim()).or_default() += 1;
        }
    }
    // Most frequent first; `max_by_key` keeps the last maximum, so walk in reverse byte order.
    let pick = |m: &std::collections::BTreeMap<&str, usize>| {
        m.iter().rev().max_by_key(|(_, &n)| n).map(|(s, _)| (*s).to_string())
    };
    match (pick(&seen[1]), pick(&seen[0])) {
        (Some(t), Some(f)) => Some((t, f)),
        (Some(t), None) => {
            let f = counterpart(&t);
            Some((t, f))
        }
        (None, Some(f)) => Some((counterpart(&f), f)),
        (None, None) => None,
    }
}

/// The other boolean word of the pair `w` belongs to, written in `w`'s case.
fn counterpart(w: &str) -> String {
    let other = match w.to_ascii_lowercase().as_str() {
        "true" => "false",
        "false" => "true",
        "yes" => "no",
        "no" => "yes",
        "t" => "f",
        "f" => "t",
        "y" => "n",
        "n" => "y",
        "1" => "0",
        _ => "1",
    };
    let upper = w.chars().any(|c| c.is_ascii_uppercase());
    if upper && w.chars().all(|c| !c.is_ascii_lowercase()) {
        other.to_ascii_uppercase()
    } else if upper {
        let mut c = other.chars();
        c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
    } else {
        other.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boolean_spellings_come_from_the_sample() {
        let m = MissingTokens::default();
        let s = |v: &[&str]| bool_spellings(v, &m).map(|(t, f)| format!("{t}/{f}"));
        assert_eq!(s(&["yes", "no", "Yes", "yes", " no ", "NA"]).as_deref(), Some("yes/no"));
        assert_eq!(s(&["Y", "N", "N"]).as_deref(), Some("Y/N"));
        assert_eq!(s(&["Yes", "yes"]).as_deref(), Some("Yes/No"), "a tie takes the first in byte order");
        assert_eq!(s(&["N", "N"]).as_deref(), Some("Y/N"), "a missing side is the counterpart");
        assert_eq!(s(&["TRUE"]).as_deref(), Some("TRUE/FALSE"));
        assert_eq!(s(&["0", "1", "1"]).as_deref(), Some("1/0"));
        assert_eq!(s(&["f"]).as_deref(), Some("t/f"));
        assert_eq!(s(&["", "NA"]), None);
    }

    fn ty(name: &str, v: &[&str]) -> ColumnType {
        infer_column(name, v, &MissingTokens::default(), NumberFormat::default(), None).ty
    }

    #[test]
    fn infers_basic_types() {
        assert_eq!(ty("age", &["1", "2", "NA", "40"]), ColumnType::Integer);
        assert_eq!(ty("income", &["1.5", "2", "1e308", "-0", "inf"]), ColumnType::Float);
        assert_eq!(ty("zip", &["02139", "10001"]), ColumnType::Categorical);
        assert_eq!(ty("ok", &["yes", "no", "Yes"]), ColumnType::Boolean);
        assert_eq!(ty("flag", &["0", "1"]), ColumnType::Integer);
        assert_eq!(ty("d", &["2024-01-31", "2024-02-29"]), ColumnType::Date);
        assert_eq!(ty("t", &["2024-01-31T10:00:00Z", "2024-02-29 11:00"]), ColumnType::Datetime);
        assert_eq!(ty("id", &["7", "3", "9"]), ColumnType::Identifier);
        assert_eq!(ty("sex", &["Male", "Female", "Male"]), ColumnType::Categorical);
        assert_eq!(ty("blank", &["", "NA"]), ColumnType::Categorical);
    }

    #[test]
    fn a_few_bad_numbers_do_not_make_text() {
        let mut v: Vec<String> = (0..99).map(|i| i.to_string()).collect();
        v.push("12,5".into());
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        assert_eq!(ty("x", &refs), ColumnType::Integer);
        assert_eq!(ty("x", &["1", "2", "12,5"]), ColumnType::Categorical);
    }

    #[test]
    fn date_order_ambiguity_is_reported() {
        let inf =
            infer_column("d", &["03/04/2020", "05/06/2021"], &MissingTokens::default(), NumberFormat::default(), None);
        assert_eq!(inf.date_order, Some(DateOrder::Mdy));
        assert!(inf.notes[0].contains("day/month or month/day"));
        let inf =
            infer_column("d", &["13/04/2020", "05/06/2021"], &MissingTokens::default(), NumberFormat::default(), None);
        assert_eq!(inf.date_order, Some(DateOrder::Dmy));
        assert!(inf.notes.is_empty());
    }
}
