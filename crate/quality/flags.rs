//! Column flags: constant, near-constant, all missing, identifier-like, high-cardinality.
//! Every flag's definition and threshold is in [`FLAGS`] and the constants below; the
//! report glossary is written from them. Flags of identifier-like and high-cardinality
//! columns also hide raw values in the report unless `profile.show_sensitive_values`.

use crate::ingest::value::ColumnType;
use crate::quality::checks::{self, CheckOutcome, RawChecks};
use crate::quality::profile::ColumnStats;
use crate::quality::text::StringChecks;
use crate::sketch::distinct::Distinct;
use serde::{Deserialize, Serialize};

/// Near-constant: the most frequent value holds at least this share of valid values.
pub const NEAR_CONSTANT_SHARE: f64 = 0.95;
/// Identifier-like: at least this share of valid values are distinct…
pub const IDENTIFIER_UNIQUE_SHARE: f64 = 0.95;
/// … among at least this many valid values.
pub const IDENTIFIER_MIN_VALUES: u64 = 100;
/// High-cardinality categorical: more than this many distinct values…
pub const HIGH_CARDINALITY_DISTINCT: u64 = 50;
/// … and more than this share of valid values distinct.
pub const HIGH_CARDINALITY_UNIQUE_SHARE: f64 = 0.5;

/// A flag's id and definition.
#[derive(Debug)]
pub struct FlagDef {
    /// Stable id in the report.
    pub id: &'static str,
    /// Definition (the glossary entry).
    pub definition: &'static str,
}

/// Every flag.
pub const FLAGS: &[FlagDef] = &[
    FlagDef { id: "all_missing", definition: "every row of the column is missing (rows > 0)" },
    FlagDef { id: "constant", definition: "exactly one distinct valid value (missing and unparseable values aside)" },
    FlagDef {
        id: "near_constant",
        definition: "not constant, and the most frequent value holds ≥ 95 % of valid values; from exact value counts for boolean columns and string columns with at most 10,000 distinct values (above that, with profile.quantile_passes, from the exact counts of the values holding more than 1/10,001 of them); for dates and date-times from exact value counts with at most 10,000 distinct values; for numbers from the occurrences of the exact median (a value holding more than half of the valid values is the median, or ±∞), where the quantiles are exact (values in memory or profile.quantile_passes)",
    },
    FlagDef {
        id: "identifier_like",
        definition: "not a float column, at least 100 valid values, and distinct ≥ 95 % of valid values (on the HyperLogLog estimate above 10,000 distinct values); its raw values are hidden unless profile.show_sensitive_values",
    },
    FlagDef { id: "personal_data", definition: super::personal::DEFINITION },
    FlagDef {
        id: "high_cardinality",
        definition: "a categorical column with more than 50 distinct values that are more than 50 % of its valid values; its top values are hidden unless profile.show_sensitive_values",
    },
];

/// One flag raised on a column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnFlag {
    /// A [`FLAGS`] id.
    pub id: String,
    /// The evidence, in words.
    pub evidence: String,
}

fn share(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// What is known of a column's most frequent value where the report keeps no top values.
/// Numbers keep no value counts: a value holding more than half of the valid values is the
/// exact median (or ±∞), so counting the median's occurrences gives its exact count;
/// otherwise its share is at most ½. Dates keep exact value counts up to
/// [`crate::sketch::key_counts::COUNT_CAP`] distinct values, so their count and share are
/// always exact (and `share_at_most` is never set).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumericMode {
    /// Valid values equal to the most frequent value (numbers: when it holds more than half
    /// of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// `count` over the valid values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// When no value holds more than half of the valid values: the bound ½ on the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_at_most: Option<f64>,
}

/// The [`NumericMode`] of a numeric column with `at_median` finite values equal to the
/// exact median (`None` when they were not counted: then `stats.mode_note` says why).
pub fn numeric_mode(stats: &mut ColumnStats, at_median: Option<u64>, why_not: impl FnOnce() -> String) {
    let Some(m) = stats.numeric.as_ref().filter(|_| stats.valid > 0) else { return };
    let finite = m.count;
    let at_median = match at_median {
        Some(c) => c,
        None if finite == 0 => 0,
        None => {
            stats.mode_note = Some(why_not());
            return;
        }
    };
    let top = at_median.max(m.positive_infinities).max(m.negative_infinities);
    stats.mode = Some(if 2 * top > stats.valid {
        NumericMode { count: Some(top), share: Some(share(top, stats.valid)), share_at_most: None }
    } else {
        NumericMode { count: None, share: None, share_at_most: Some(0.5) }
    });
}

/// Rows with the most frequent valid value, where exact counts exist: boolean columns,
/// string columns whose value counts are complete (`stats.top_values` before the report
/// truncates it) or whose frequent values were counted in one more pass (when any value
/// holds more than 1/10,001 of them, the most frequent is among them), dates with at most [`crate::sketch::key_counts::COUNT_CAP`] distinct
/// values and numbers whose most frequent value holds more than half of the valid values
/// ([`NumericMode`]).
pub fn mode_count(stats: &ColumnStats) -> Option<u64> {
    if let Some(b) = &stats.boolean {
        return Some(b.trues.max(b.falses));
    }
    if let Some(c) = stats.mode.as_ref().and_then(|m| m.count) {
        return Some(c);
    }
    if let Some(f) = stats.frequent_values.as_ref().and_then(|f| f.first()) {
        return Some(f.count);
    }
    stats.top_values.as_ref().map(|t| t.iter().map(|v| v.count).max().unwrap_or(0))
}

/// The `identifier_like` flag's test ([`FLAGS`]): a column of type `ty` with `valid` valid
/// values of which `distinct` are distinct (the profile's count, a HyperLogLog estimate
/// above [`crate::sketch::distinct::EXACT_CAP`]) is identifier-like when it is neither a
/// float nor a boolean column, has at least [`IDENTIFIER_MIN_VALUES`] valid values and at
/// least [`IDENTIFIER_UNIQUE_SHARE`] of them are distinct. Returns the evidence, in words.
/// The drift comparison applies the same test to the reference file's column
/// ([`crate::drift::side::SideColumn::identifier_like`]).
pub fn identifier_like(ty: ColumnType, valid: u64, distinct: &Distinct) -> Option<String> {
    let (about, d) = (if distinct.exact { "" } else { "about " }, distinct.value);
    (ty != ColumnType::Float
        && ty != ColumnType::Boolean
        && valid >= IDENTIFIER_MIN_VALUES
        && share(d, valid) >= IDENTIFIER_UNIQUE_SHARE)
        .then(|| format!("{about}{d} distinct in {valid} valid values ({:.2} %)", 100.0 * share(d, valid)))
}

/// The flags of a column (`stats` with complete value counts, before hiding).
pub fn flags(ty: ColumnType, stats: &ColumnStats) -> Vec<ColumnFlag> {
    let mut out = Vec::new();
    let mut flag = |id: &str, evidence: String| out.push(ColumnFlag { id: id.into(), evidence });
    let (valid, distinct) = (stats.valid, stats.distinct.value);
    let about = if stats.distinct.exact { "" } else { "about " };
    if stats.rows > 0 && stats.missing == stats.rows {
        flag("all_missing", format!("all {} rows are missing", stats.rows));
    }
    if valid > 0 && distinct == 1 {
        flag("constant", format!("one distinct value in {valid} valid values"));
    }
    if let Some(m) = mode_count(stats).filter(|_| distinct >= 2) {
        if valid > 0 && share(m, valid) >= NEAR_CONSTANT_SHARE {
            flag(
                "near_constant",
                format!("the most frequent value holds {m} of {valid} valid values ({:.2} %)", 100.0 * share(m, valid)),
            );
        }
    }
    if let Some(evidence) = identifier_like(ty, valid, &stats.distinct) {
        flag("identifier_like", evidence);
    }
    if ty == ColumnType::Categorical
        && distinct > HIGH_CARDINALITY_DISTINCT
        && share(distinct, valid) > HIGH_CARDINALITY_UNIQUE_SHARE
    {
        flag(
            "high_cardinality",
            format!("{about}{distinct} distinct in {valid} valid values ({:.2} %)", 100.0 * share(distinct, valid)),
        );
    }
    out
}

/// True when `flags` holds `id`.
pub fn has(flags: &[ColumnFlag], id: &str) -> bool {
    flags.iter().any(|f| f.id == id)
}

/// Hides raw values of flagged columns unless `show`; returns what was hidden and why.
/// Declared identifiers (type or role) are already hidden by
/// [`crate::quality::profile::present`]; their case-group spellings are hidden here.
pub fn protect(
    stats: &mut ColumnStats,
    strings: Option<&mut StringChecks>,
    flags: &[ColumnFlag],
    declared_identifier: bool,
    show: bool,
) -> Vec<String> {
    let mut hidden = Vec::new();
    let switch = "set profile.show_sensitive_values = true to show them";
    let personal = flags.iter().find(|f| f.id == "personal_data").filter(|_| !declared_identifier && !show);
    let identifier_like = (has(flags, "identifier_like") || personal.is_some()) && !declared_identifier && !show;
    let high_card = has(flags, "high_cardinality") && !show;
    let mut hide_case = declared_identifier;
    if identifier_like {
        let mut what = Vec::new();
        if let Some(m) = stats.numeric.as_mut() {
            if m.min.is_some() || m.max.is_some() {
                what.push("min/max");
            }
            m.min = None;
            m.max = None;
        }
        if stats.quantiles.take().is_some() {
            what.push("quantiles");
        }
        if stats.histogram.take().is_some() | stats.outliers.take().is_some() {
            what.push("histogram and outlier fences");
        }
        if stats.temporal.take().is_some() {
            what.push("date range");
        }
        if stats.top_values.take().is_some() | stats.frequent_values.take().is_some() {
            what.push("top values");
        }
        if !what.is_empty() {
            let (kind, why) = match personal {
                Some(f) => ("personal-data", format!("the column holds personal data ({})", f.evidence)),
                None => ("identifier-like", "the column is identifier-like (its values could single out rows)".into()),
            };
            stats.top_values_note = Some(format!("values of {kind} columns are not shown"));
            hidden.push(format!("{} hidden: {why}; {switch}", what.join(", ")));
        }
        hide_case = true;
    } else if high_card && (stats.top_values.take().is_some() | stats.frequent_values.take().is_some()) {
        stats.top_values_note = Some("values of high-cardinality columns are not shown".into());
        hidden.push(format!(
            "top values hidden: the column is high-cardinality (rare values could single out rows); {switch}"
        ));
        hide_case = true;
    } else if high_card {
        hide_case = true;
    }
    if let Some(cg) = strings.and_then(|s| s.case_groups.as_mut()).filter(|_| hide_case) {
        if !cg.examples.is_empty() {
            cg.examples.clear();
            hidden.push("case-inconsistent spellings hidden: the column's values are not shown".into());
        }
    }
    hidden
}

/// The gates of the flags for one column (`stats` with complete value counts, or the
/// [`NumericMode`] of numbers): see `all_missing_column`, `constant_column` and
/// `near_constant_column` in [`crate::quality::checks::CHECKS`].
pub fn outcomes(raw: &RawChecks, column: &str, ty: ColumnType, stats: &ColumnStats) -> Vec<CheckOutcome> {
    let mut out = Vec::new();
    out.extend(checks::outcome(raw, "all_missing_column", Some(column), stats.missing, stats.rows));
    let distinct = stats.distinct.value;
    let constant = if stats.valid == 0 {
        checks::evaluate(raw, "constant_column", Some(column), None, (0, 0)).map(|mut o| {
            o.note = Some("no valid values".into());
            o
        })
    } else {
        checks::outcome(raw, "constant_column", Some(column), distinct, stats.valid)
    };
    out.extend(constant);
    let id = "near_constant_column";
    let skipped = |why: String| {
        checks::evaluate(raw, id, Some(column), None, (0, 0)).map(|mut o| {
            o.note = Some(why);
            o
        })
    };
    let numeric = ty.is_numeric();
    let near = match mode_count(stats) {
        _ if stats.valid == 0 => skipped("no valid values".into()),
        _ if distinct < 2 => skipped("constant column".into()),
        _ if numeric && checks::threshold(raw, id, Some(column)).is_some_and(|t| t <= 0.5) => skipped(
            "not computed: numbers keep no value counts, and only a value holding more than half of the valid values (the median) is counted; the threshold is ≤ 0.5".into(),
        ),
        Some(m) => checks::outcome(raw, id, Some(column), m, stats.valid),
        None if numeric && stats.mode.as_ref().is_some_and(|m| m.share_at_most.is_some()) => {
            checks::evaluate(raw, id, Some(column), Some(0.5), (0, stats.valid)).map(|mut o| {
                o.note = Some("no value holds more than half of the valid values: the observed value is the bound 0.5 on the most frequent value's share".into());
                o
            })
        }
        None if numeric => skipped(format!(
            "not computed: {}",
            stats.mode_note.as_deref().unwrap_or("the median's occurrences were not counted")
        )),
        None => skipped("more than 10,000 distinct values: no exact value counts".into()),
    };
    out.extend(near);
    out
}

#[cfg(test)]
#[path = "flags_tests.rs"]
mod tests;
