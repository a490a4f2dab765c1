//! String and date checks of the profile: values with surrounding whitespace,
//! numeric-looking values in string columns, case-inconsistent categories, and dates after
//! an `as_of` date.
//!
//! Definitions (also in the report glossary):
//! - *whitespace*: a valid string value whose first or last character is Unicode
//!   `White_Space` (Rust `char::is_whitespace`; pandas' `str.strip()` also strips
//!   U+001C–U+001F, which are not white space in Unicode); of these, *leading
//!   whitespace* when the first character is white space (pandas `(v.str.lstrip() !=
//!   v).sum()`) and *trailing whitespace* when the last one is (`(v.str.rstrip() !=
//!   v).sum()`): a value with both counts once in each of the three;
//! - *numeric-looking*: a valid string value that, without surrounding ASCII white space,
//!   parses as a finite number in the file's number format (what `pd.to_numeric(s,
//!   errors="coerce")` turns into a finite number, for the default format);
//! - *case-inconsistent groups*: distinct values that become equal after trimming white
//!   space and Unicode lower-casing (`Male`, `male `), computed from the exact value counts
//!   while they exist (at most [`crate::sketch::top_k::COUNT_CAP`] distinct values);
//! - *future dates*: valid values whose calendar date (UTC) is after `as_of` (`profile.as_of`,
//!   else the run's start date given by the front end; the core has no clock).
//!
//! # Merge
//! Counts add. For dates, each column keeps the counts of its [`LATE_DAYS`] latest distinct
//! days and the latest day it let go: the kept days are the latest of the whole file
//! whatever the split (a day kept overall is kept by every part that saw it), so counting
//! the days after `as_of` is exact whenever `as_of` is not before a day let go.

use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::FIRST_CODE;
use crate::ingest::value::{parse_date, parse_float, ColumnType, DateOrder, NumberFormat};
use crate::sketch::top_k::ValueCount;
use crate::spec::ValidSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Latest distinct days kept per date column.
pub const LATE_DAYS: usize = 4096;

/// Case-inconsistent groups listed in the report at most (all are counted).
pub const CASE_GROUPS_SHOWN: usize = 20;

/// Mutable string or date checks of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum ColText {
    /// Not a string or date column.
    Other,
    /// String column: values with white space at either end, at the start, at the end;
    /// numeric-looking values.
    Strings { padded: u64, leading: u64, trailing: u64, numeric: u64 },
    /// Date or datetime column: counts of the latest days.
    Dates(LateDays),
}

/// Counts of the latest distinct days of a column (see the module's *Merge*).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LateDays {
    kept: BTreeMap<i64, u64>,
    dropped: Option<i64>,
}

impl LateDays {
    #[inline]
    fn add(&mut self, day: i64, n: u64) {
        if self.dropped.is_some_and(|d| day <= d) {
            return;
        }
        *self.kept.entry(day).or_insert(0) += n;
        self.trim();
    }

    /// Adds the days of a batch (reordered): one map update per distinct day, counted in a
    /// dense table when the days span a short range, else after sorting. The state depends
    /// only on the multiset of days, so grouping them changes nothing.
    fn add_batch(&mut self, days: &mut [i64]) {
        let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) else { return };
        let span = hi.abs_diff(lo);
        if span <= 4 * days.len() as u64 + 64 {
            let mut counts = vec![0u64; span as usize + 1];
            for &d in days.iter() {
                counts[d.abs_diff(lo) as usize] += 1;
            }
            for (i, &n) in counts.iter().enumerate().rev().filter(|(_, &n)| n > 0) {
                self.add(lo + i as i64, n);
            }
        } else {
            days.sort_unstable_by(|a, b| b.cmp(a));
            for run in days.chunk_by(|a, b| a == b) {
                self.add(run[0], run.len() as u64);
            }
        }
    }

    /// Lets go of the earliest days beyond [`LATE_DAYS`]. Every kept day stays after the
    /// latest day let go: days at or before it are never added.
    fn trim(&mut self) {
        while self.kept.len() > LATE_DAYS {
            if let Some((d, _)) = self.kept.pop_first() {
                self.dropped = Some(self.dropped.map_or(d, |x| x.max(d)));
            }
        }
    }

    fn merge(&mut self, other: LateDays) {
        self.dropped = self.dropped.max(other.dropped);
        if let Some(d) = self.dropped {
            self.kept = self.kept.split_off(&(d + 1));
        }
        for (d, n) in other.kept {
            if self.dropped.is_none_or(|x| d > x) {
                *self.kept.entry(d).or_insert(0) += n;
            }
        }
        self.trim();
    }

    /// Values on days after `as_of` (days since 1970-01-01), or `None` when a day after it
    /// was let go (more than [`LATE_DAYS`] distinct days after `as_of`).
    pub fn after(&self, as_of: i64) -> Option<u64> {
        if self.dropped.is_some_and(|d| d > as_of) {
            return None;
        }
        Some(self.kept.range(as_of + 1..).map(|(_, n)| n).sum())
    }
}

/// Mutable string and date checks of every column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextAcc {
    number: NumberFormat,
    columns: Vec<ColText>,
}

impl TextAcc {
    /// Empty checks for the columns of `spec`.
    pub fn new(spec: &ValidSpec) -> Self {
        let columns = spec
            .columns
            .iter()
            .map(|c| match c.ty {
                t if t.is_string() => ColText::Strings { padded: 0, leading: 0, trailing: 0, numeric: 0 },
                ColumnType::Date | ColumnType::Datetime => ColText::Dates(LateDays::default()),
                _ => ColText::Other,
            })
            .collect();
        TextAcc { number: spec.number, columns }
    }
}

/// True when the first or last character of `s` is Unicode white space.
#[inline]
pub fn padded(s: &str) -> bool {
    let (leading, trailing) = padding(s);
    leading || trailing
}

/// Whether the first and whether the last character of `s` are Unicode white space
/// (`(false, false)` for an empty string). An ASCII first or last byte is that character
/// itself, so only non-ASCII ends are decoded.
#[inline]
pub fn padding(s: &str) -> (bool, bool) {
    let (Some(&a), Some(&z)) = (s.as_bytes().first(), s.as_bytes().last()) else { return (false, false) };
    let leading = if a.is_ascii() { is_ascii_ws(a) } else { s.chars().next().is_some_and(char::is_whitespace) };
    let trailing = if z.is_ascii() { is_ascii_ws(z) } else { s.chars().next_back().is_some_and(char::is_whitespace) };
    (leading, trailing)
}

/// ASCII white space as Unicode defines it (`\t \n \x0b \x0c \r` and space).
#[inline]
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// True when `s` (without surrounding ASCII white space) is a finite number in format `fmt`.
#[inline]
pub fn numeric_looking(s: &str, fmt: NumberFormat) -> bool {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    // Cheap rejection: a finite number starts with a digit, a sign or the decimal separator.
    match t.as_bytes().first() {
        Some(&b) if b.is_ascii_digit() || b == b'+' || b == b'-' || b == fmt.decimal => {}
        _ => return false,
    }
    parse_float(t, fmt).is_some_and(f64::is_finite)
}

impl crate::accumulator::Accumulator for TextAcc {
    type Output = Vec<TextCounts>;

    fn update(&mut self, batch: &Batch) {
        let number = self.number;
        let mut days = Vec::new();
        for (c, acc) in self.columns.iter_mut().enumerate() {
            match acc {
                ColText::Other => {}
                ColText::Strings { padded: p, leading, trailing, numeric } => {
                    let mut add = |span, n: u32| {
                        let (s, n) = (batch.text(span), u64::from(n));
                        let (l, t) = padding(s);
                        *p += n * u64::from(l || t);
                        *leading += n * u64::from(l);
                        *trailing += n * u64::from(t);
                        *numeric += n * u64::from(numeric_looking(s, number));
                    };
                    // Where another analysis made the codes: each value of the batch once.
                    let (cells, coded) = (batch.column(c), batch.code_counts_if_made(c));
                    let (codes, seen) = coded.map_or((&[][..], &[][..]), |(k, seen, _)| (k, seen));
                    for k in seen {
                        if let Some(&Cell::Text(span)) = cells.get(k.first as usize) {
                            add(span, k.n);
                        }
                    }
                    let uncoded = |r: usize| coded.is_none() || codes.get(r).is_none_or(|&k| k < FIRST_CODE);
                    for (r, cell) in cells.iter().enumerate() {
                        if let (Cell::Text(span), true) = (*cell, uncoded(r)) {
                            add(span, 1);
                        }
                    }
                }
                ColText::Dates(late) => {
                    days.clear();
                    days.extend(batch.column(c).iter().filter_map(|cell| match *cell {
                        Cell::Date(v) => Some(v),
                        Cell::Datetime(v) => Some(v.div_euclid(86_400)),
                        _ => None,
                    }));
                    late.add_batch(&mut days);
                }
            }
        }
    }

    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        if other.columns.len() != self.columns.len() {
            return Err(crate::error::Error::state("string checks have different column counts"));
        }
        for (a, b) in self.columns.iter_mut().zip(other.columns) {
            match (a, b) {
                (
                    ColText::Strings { padded, leading, trailing, numeric },
                    ColText::Strings { padded: p, leading: l, trailing: t, numeric: n },
                ) => {
                    *padded += p;
                    *leading += l;
                    *trailing += t;
                    *numeric += n;
                }
                (ColText::Dates(a), ColText::Dates(b)) => a.merge(b),
                (ColText::Other, ColText::Other) => {}
                _ => return Err(crate::error::Error::state("string checks of different column types")),
            }
        }
        Ok(())
    }

    fn finish(self) -> Vec<TextCounts> {
        self.columns
            .into_iter()
            .map(|c| match c {
                ColText::Other => TextCounts::Other,
                ColText::Strings { padded, leading, trailing, numeric } => {
                    TextCounts::Strings { padded, leading, trailing, numeric }
                }
                ColText::Dates(d) => TextCounts::Dates(d),
            })
            .collect()
    }
}

/// Finished counts of one column, before the report adds `as_of` and the value counts.
#[derive(Clone, Debug, PartialEq)]
pub enum TextCounts {
    /// Not a string or date column.
    Other,
    /// String column.
    Strings {
        /// Values with white space at either end.
        padded: u64,
        /// Values whose first character is white space.
        leading: u64,
        /// Values whose last character is white space.
        trailing: u64,
        /// Numeric-looking values.
        numeric: u64,
    },
    /// Date column.
    Dates(LateDays),
}

/// String checks of one column, as reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StringChecks {
    /// Valid values with leading or trailing white space (a value with both counts once).
    pub whitespace: u64,
    /// Valid values whose first character is white space (pandas `v.str.lstrip() != v`).
    #[serde(default)]
    pub leading_whitespace: u64,
    /// Valid values whose last character is white space (pandas `v.str.rstrip() != v`).
    #[serde(default)]
    pub trailing_whitespace: u64,
    /// Valid values that parse as finite numbers.
    pub numeric_looking: u64,
    /// `numeric_looking` / valid values (0 without valid values).
    pub numeric_share: f64,
    /// Case-inconsistent groups (`None`: not computed, see `case_note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_groups: Option<CaseGroups>,
    /// Why case-inconsistent groups were not computed or are not listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_note: Option<String>,
}

/// Distinct values equal after trimming and lower-casing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseGroups {
    /// Groups of two or more distinct values.
    pub groups: u64,
    /// Rows whose value belongs to such a group (all its spellings).
    pub rows: u64,
    /// The largest groups (by rows, then by normalised value), each with its spellings by
    /// count then value; empty when the column's values are hidden.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Vec<ValueCount>>,
}

/// The normal form compared for case consistency: trimmed, Unicode lower case.
pub fn case_key(s: &str) -> String {
    s.trim_matches(char::is_whitespace).to_lowercase()
}

/// Case-inconsistent groups among exact value counts (every distinct value once).
pub fn case_groups(values: &[ValueCount]) -> CaseGroups {
    let mut by_key: BTreeMap<String, Vec<&ValueCount>> = BTreeMap::new();
    for v in values {
        by_key.entry(case_key(&v.value)).or_default().push(v);
    }
    let mut groups: Vec<(u64, String, Vec<ValueCount>)> = by_key
        .into_iter()
        .filter(|(_, g)| g.len() > 1)
        .map(|(k, g)| {
            let mut g: Vec<ValueCount> = g.into_iter().cloned().collect();
            g.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            (g.iter().map(|v| v.count).sum(), k, g)
        })
        .collect();
    groups.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    CaseGroups {
        groups: groups.len() as u64,
        rows: groups.iter().map(|g| g.0).sum(),
        examples: groups.into_iter().take(CASE_GROUPS_SHOWN).map(|g| g.2).collect(),
    }
}

/// Date checks of one column, as reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DateChecks {
    /// The date compared with (`YYYY-MM-DD`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Valid values after `as_of` (`None`: not computed, see `note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub future: Option<u64>,
    /// Unparseable values / non-missing values (0 when every value is missing).
    pub unparseable_share: f64,
    /// Why `future` was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn parse_as_of(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    parse_date(s, DateOrder::Ymd)
}

/// The date checks of a column with day counts `late`, `as_of` being `(text, days)`.
pub fn date_checks(late: &LateDays, as_of: Option<(&str, i64)>, unparseable: u64, present: u64) -> DateChecks {
    let unparseable_share = if present == 0 { 0.0 } else { unparseable as f64 / present as f64 };
    let Some((text, day)) = as_of else {
        return DateChecks {
            as_of: None,
            future: None,
            unparseable_share,
            note: Some("future dates not counted: no as_of date (set profile.as_of, or run from a front end that supplies the start time)".into()),
        };
    };
    let future = late.after(day);
    DateChecks {
        as_of: Some(text.into()),
        future,
        unparseable_share,
        note: future.is_none().then(|| {
            format!("future dates not counted: more than {LATE_DAYS} distinct days after {text}, beyond what is kept")
        }),
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
