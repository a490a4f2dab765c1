//! The frozen per-column profile: [`ColumnStats`] and its parts, how a [`ColumnAcc`] finishes
//! into them, and [`present`] (the report's privacy and size rules applied to them).

use super::*;

/// Finished statistics of one column (names, types and roles are added by the report).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnStats {
    /// Rows in the file.
    pub rows: u64,
    /// Valid (present, parseable) values.
    pub valid: u64,
    /// Missing values.
    pub missing: u64,
    /// Missing values by token (and fields absent from short rows), in token order; only
    /// the kinds seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_by_token: Vec<MissingCount>,
    /// Unparseable values.
    pub unparseable: u64,
    /// Distinct valid values.
    pub distinct: Distinct,
    /// Numbers: moments and range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric: Option<Moments>,
    /// Numbers: p01, p05, p25, p50, p75, p95, p99 (exact, or sketch estimates with their
    /// relative error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantiles: Option<Vec<crate::quality::quantiles::QuantilePoint>>,
    /// Why there are no quantiles, when a numeric column has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantiles_note: Option<String>,
    /// Numbers: histogram (numpy.histogram convention), when the values were kept in memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<crate::quality::histogram::Histogram>,
    /// Numbers: IQR and robust-z outlier counts, when the values were kept in memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outliers: Option<crate::quality::histogram::Outliers>,
    /// Why a numeric column has no histogram or outlier counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape_note: Option<String>,
    /// Numbers: the most frequent value's share, as far as it is known without value
    /// counts (see [`crate::quality::flags::numeric_mode`]). Dates: the most frequent
    /// value's exact count and share, from value counts (at most
    /// [`crate::sketch::key_counts::COUNT_CAP`] distinct values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<crate::quality::flags::NumericMode>,
    /// Numbers and dates: why `mode` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode_note: Option<String>,
    /// Booleans: counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boolean: Option<BooleanCounts>,
    /// Dates: range (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporal: Option<TemporalRange>,
    /// Strings: lengths in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lengths: Option<Lengths>,
    /// Most frequent values (`None` when hidden or over the cap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_values: Option<Vec<ValueCount>>,
    /// Why there are no top values, if there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_values_note: Option<String>,
    /// Over 10,000 distinct values, with `profile.quantile_passes`: the values holding more
    /// than 1/10,001 of the valid values, with exact counts, most frequent first
    /// ([`crate::quality::frequent_pass`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequent_values: Option<Vec<ValueCount>>,
}

/// Missing values of one kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MissingCount {
    /// The kind: `token "na"` (tokens as compared: trimmed, lower-cased), `token "" (empty
    /// field)`, `field absent (short row)` or `number NaN (not a token)`.
    pub what: String,
    /// Cells of this kind.
    pub count: u64,
}

/// Counts of a boolean column.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BooleanCounts {
    /// True values.
    pub trues: u64,
    /// False values.
    pub falses: u64,
}

/// Range of a date or datetime column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemporalRange {
    /// Earliest value.
    pub min: String,
    /// Latest value.
    pub max: String,
}

/// String lengths in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lengths {
    /// Shortest.
    pub min: u64,
    /// Mean.
    pub mean: f64,
    /// Longest.
    pub max: u64,
}

fn iso(v: i64, datetime: bool) -> String {
    if datetime {
        let (d, s) = (v.div_euclid(86_400), v.rem_euclid(86_400));
        let (y, m, dd) = civil_from_days(d);
        format!("{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
    } else {
        let (y, m, d) = civil_from_days(v);
        format!("{y:04}-{m:02}-{d:02}")
    }
}

impl ColumnStats {
    /// The counts every column has; every type-specific part empty.
    pub fn counts(rows: u64, valid: u64, missing: u64, unparseable: u64, distinct: Distinct) -> Self {
        ColumnStats {
            rows,
            valid,
            missing,
            missing_by_token: Vec::new(),
            unparseable,
            distinct,
            numeric: None,
            quantiles: None,
            quantiles_note: None,
            histogram: None,
            outliers: None,
            shape_note: None,
            mode: None,
            mode_note: None,
            boolean: None,
            temporal: None,
            lengths: None,
            top_values: None,
            top_values_note: None,
            frequent_values: None,
        }
    }
}

impl ColumnAcc {
    pub(super) fn finish(self, rows: u64, tokens: &[String]) -> ColumnStats {
        // Codes in order: tokens (1…), then field absent (0), then NaN (255).
        let mut order: Vec<usize> = (1..self.missing_by.len()).filter(|&c| c != 255).collect();
        order.extend([0, 255].into_iter().filter(|&c| c < self.missing_by.len()));
        let missing_by_token = order
            .into_iter()
            .filter(|&c| self.missing_by[c] > 0)
            .map(|c| MissingCount {
                what: crate::ingest::value::missing_label(tokens, c as u8),
                count: self.missing_by[c],
            })
            .collect();
        let mut s = ColumnStats::counts(rows, self.valid, self.missing, self.invalid, self.distinct.finish());
        s.missing_by_token = missing_by_token;
        match self.kind {
            KindAcc::Numeric(m) => s.numeric = Some(m.finish()),
            KindAcc::Boolean { trues, falses } => s.boolean = Some(BooleanCounts { trues, falses }),
            KindAcc::Temporal { datetime, min, max, counts } => {
                s.temporal = min.zip(max).map(|(a, b)| TemporalRange { min: iso(a, datetime), max: iso(b, datetime) });
                match counts.max_count() {
                    _ if self.valid == 0 => {}
                    Some(top) => {
                        s.mode = Some(crate::quality::flags::NumericMode {
                            count: Some(top),
                            share: Some(top as f64 / self.valid as f64),
                            share_at_most: None,
                        })
                    }
                    None => {
                        s.mode_note = Some(format!(
                            "more than {} distinct values: no exact value counts",
                            crate::error::thousands(crate::sketch::key_counts::COUNT_CAP as u64)
                        ))
                    }
                }
            }
            KindAcc::Strings { top, len_min, len_max, len_sum } => {
                s.lengths = len_min.map(|min| Lengths { min, mean: len_sum as f64 / self.valid as f64, max: len_max });
                s.top_values = top.top(usize::MAX);
                if s.top_values.is_none() {
                    let cap = crate::sketch::top_k::COUNT_CAP as u64;
                    s.top_values_note = Some(if top.counting() {
                        // Replaced by the frequent-values pass ([`crate::report::columns::frequent`]).
                        format!("more than {} distinct values: no exact top values", crate::error::thousands(cap))
                    } else {
                        format!(
                            "more than {} distinct values: no exact top values; set profile.quantile_passes = true to list the values holding more than 1/{} of the valid values, with exact counts (one more pass over the file)",
                            crate::error::thousands(cap),
                            crate::error::thousands(cap + 1)
                        )
                    });
                }
            }
        }
        s
    }
}

/// Applies the report's privacy and size rules to finished stats: keep `top_k` values;
/// hide values of identifier columns.
pub fn present(mut s: ColumnStats, ty: ColumnType, role: Role, top_k: usize) -> ColumnStats {
    if ty == ColumnType::Identifier || role == Role::Identifier {
        s.top_values = None;
        s.frequent_values = None;
        s.top_values_note = Some("values of identifier columns are not shown".into());
        if let Some(m) = s.numeric.as_mut() {
            m.min = None;
            m.max = None;
        }
        s.quantiles = None;
        s.histogram = None;
        s.outliers = None;
    }
    if let Some(t) = s.top_values.as_mut().or(s.frequent_values.as_mut()) {
        t.truncate(top_k);
    }
    s
}
