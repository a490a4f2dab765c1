//! The report model (`"schema": "privaudit.report/2"`; the versions and how to read older
//! reports are in DESIGN.md, "Report schema versions"), rendered once by Rust to JSON and
//! HTML so that the CLI and the browser cannot drift apart.

use crate::ingest::sniff::DialectInfo;
use crate::ingest::value::ColumnType;
use crate::quality::checks::CheckOutcome;
use crate::quality::profile::ColumnStats;
use crate::spec::{RawSpec, Role};
use serde::{Deserialize, Serialize};

/// Report schema identifier.
pub const SCHEMA: &str = "privaudit.report/2";

/// What the front end knows about the input that the engine does not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputMeta {
    /// File name (no directories).
    pub file_name: String,
    /// Size in bytes.
    pub file_size: u64,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: Option<String>,
    /// When the run started (ISO 8601).
    pub started_at: Option<String>,
    /// How long it took, in milliseconds.
    pub duration_ms: Option<f64>,
    /// Notices from the preview (encoding fallback, renamed columns, …).
    pub notices: Vec<String>,
    /// Whether the file starts with a byte-order mark.
    pub bom: bool,
    /// Line endings seen by the preview.
    pub line_ending: Option<crate::ingest::dialect::LineEnding>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The input block.
    pub input: InputBlock,
    /// Whether every fail-severity check passed.
    pub passed: bool,
    /// Gate results.
    pub checks: Vec<CheckOutcome>,
    /// Things the reader should know.
    pub notices: Vec<String>,
    /// Row-level findings.
    pub findings: Vec<Finding>,
    /// Column profiles.
    pub columns: Vec<ColumnReport>,
    /// The bias audit, when the spec asks for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias: Option<super::bias::BiasReport>,
    /// Drift against a reference file (`audit --reference`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<crate::drift::DriftReport>,
    /// Dataset-level checks (duplicates, class balance, conflicting labels, leakage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<crate::quality::dataset::DatasetReport>,
    /// Correlations between columns (`[correlations]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlations: Option<crate::quality::correlation_stats::CorrelationReport>,
    /// Missing and unparseable rates per protected group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_quality: Option<crate::quality::group_quality::GroupQualityReport>,
    /// Observed group shares against the spec's reference shares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub representativeness: Vec<crate::quality::representativeness::RepresentativenessReport>,
    /// Privacy risk: personal data found and re-identification over quasi-identifiers
    /// (`[privacy]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy: Option<crate::privacy::PrivacyReport>,
    /// Definitions of every statistic in the report.
    pub definitions: Vec<Definition>,
}

/// Where the numbers come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputBlock {
    /// File name.
    pub file_name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of the bytes.
    pub sha256: Option<String>,
    /// Data rows.
    pub rows: u64,
    /// Columns.
    pub columns: usize,
    /// Dialect.
    pub dialect: DialectInfo,
    /// Encoding label.
    pub encoding: String,
    /// The resolved spec.
    pub spec: RawSpec,
    /// privaudit version.
    pub tool_version: String,
    /// Start time (ISO 8601).
    pub started_at: Option<String>,
    /// Duration in milliseconds.
    pub duration_ms: Option<f64>,
    /// Passes over the file (1, plus those planned for exact quantiles).
    pub passes: u32,
    /// The date future dates are compared with: `profile.as_of`, else the date of
    /// `started_at`; absent when neither is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The file's physical lines and how they divide into rows (reports made before this
    /// field existed have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<super::lines::LineAccount>,
}

/// One kind of row-level finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id.
    pub id: String,
    /// What it means.
    pub title: String,
    /// How many.
    pub count: u64,
    /// The first positions.
    pub first: Vec<crate::error::Position>,
    /// Findings about rows spanning lines: the physical lines each row of `first` spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<u64>,
}

/// One column of the profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnReport {
    /// Name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Role.
    pub role: Role,
    /// Statistics.
    #[serde(flatten)]
    pub stats: ColumnStats,
    /// String columns: whitespace, numeric-looking values, case-inconsistent groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strings: Option<crate::quality::text::StringChecks>,
    /// Date columns: future dates and the unparseable share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<crate::quality::text::DateChecks>,
    /// Flags raised (see [`crate::quality::flags::FLAGS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<crate::quality::flags::ColumnFlag>,
    /// When the distinct count is a HyperLogLog estimate above the valid values: the
    /// estimate; `distinct.value` is then capped at the valid values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_estimate: Option<u64>,
    /// What the report hides of this column, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden: Vec<String>,
}

/// A glossary entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The term as used in the report.
    pub term: String,
    /// Its definition and the convention it follows.
    pub definition: String,
}

pub use super::glossary_bias::bias_definitions;

/// The glossary of the weighted bias audit (`bias.weight`).
pub fn weight_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("row weight", "the value of the bias.weight column (or the column with role weight): a finite number ≥ 0; rows with a missing, unparseable, negative or infinite weight are left out of the whole bias audit (row counts and weights) and counted in a notice; a weight of 0 keeps the row, with weight 0 (it counts in n, not in Σw); rows with a missing label or prediction are left out first"),
        d("weighted rate", "Σw over the numerator rows ÷ Σw over the sub-population rows (fairlearn MetricFrame with sample_params sample_weight, AIF360 instance weights); both sums exact and rounded once, so the result does not depend on row order or file split; undefined when the sub-population's Σw is 0"),
        d("n, Σw, n_eff", "per group: rows counted (n), their weight total (Σw) and Kish's effective sample size n_eff = (Σw)²/Σw²; with unit weights Σw = n_eff = n"),
        d("weighted Wilson interval", "the Wilson score 95 % interval of the weighted rate with n = n_eff of the rate's sub-population (Kish 1965); with unit weights it is the row-count interval exactly"),
        d("weighted disparities", "fairlearn between groups (max − min, min / max; demographic parity, equalized odds worst case, equal opportunity), group − and ÷ reference with a Newcombe interval from the n_eff Wilson intervals, and LL144 impact ratios (weighted selection rate ÷ the highest; 2 % rule on the weighted share), all from the weighted rates; the reference is the known group with the largest Σw under the default policy. No p-values: tests, sentences and disparity checks stay on row counts. A rate undefined in a group (0/0) leaves it out of max and min; fairlearn counts it as 0"),
        d("unweighted with weights", "score metrics (AUC, calibration, threshold sweep, LL144 scoring rates) and proxy detection count rows even when a weight column is given; the report says so"),
    ]
}

/// The glossary of the score-based bias metrics.
pub fn score_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("score rows", "every row with a finite score; rows with a missing label are unlabelled and count only for the distribution and LL144 scoring rates; a missing, unparseable or NaN score leaves the row out (counted), as does ±infinity; a higher score means more likely the positive class"),
        d("AUC", "P(score of a positive > score of a negative) + ½ P(tie) within the group (Mann–Whitney; sklearn roc_auc_score); undefined (null) for a group without positives or without negatives; Hanley–McNeil (1982) and DeLong (1988) standard errors with 95 % intervals AUC ± 1.96·SE clamped to [0, 1]"),
        d("calibration", "only when every score is in [0, 1] (no rescaling): 10 uniform bins as sklearn calibration_curve(strategy=\"uniform\"), a score on an inner edge in the lower bin; expected calibration error Σ_b (n_b/N)·|observed rate − mean score|; Brier score mean (score − label)² (sklearn brier_score_loss)"),
        d("group thresholds", "a mitigation hint shown when the decision is a thresholded score: per group, the threshold (select score ≥ t, among the group's own scores or nobody) whose true positive rate (equal opportunity) or selection rate (demographic parity) is closest to the whole sample's rate at the single threshold, ties to the higher threshold; within tolerance when |difference| ≤ 1 point; accuracy over labelled rows with the single threshold and with the group thresholds; with binned scores the thresholds are bin lower ends"),
        d("threshold sweep", "selection rate, true positive rate and false positive rate of labelled rows at each threshold (every distinct score up to 101 of them, else 101 evenly spaced points from min to max), with the comparison of the spec (>= by default)"),
        d("LL144 scoring rate", "share of a category's scored rows strictly above the median score of the full sample (all scored rows, unknown category and unlabelled rows included; numpy median); impact ratio = scoring rate ÷ the highest category's (6 RCNY §5-300)"),
        d("exact or binned scores", "scores are kept exactly up to 100,000 distinct values; beyond, each is replaced by the lower end of a bin keeping 12 (then 8, 4, 0) mantissa bits, the report says so and bounds the AUC error per group (ties created by binning count ½); the median and LL144 scoring rates are then not computed"),
    ]
}

/// The glossary of correlations.
pub fn correlation_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("correlations", "between the numeric (integer, float) and categorical (categorical, boolean) columns that are not identifiers or ignored; free text and dates are not correlated; at most 40 numeric and 40 categorical columns (the first in file order; correlations.max_numeric_columns / max_categorical_columns), and by default only when the file has at most 10 such columns (they cost about as much as the rest of the profile on a 12-column file) (correlations.enabled = true forces them on; when this rule switches them off the report's notices say so); every pair uses the rows where both values are known (pairwise complete, as pandas df.corr()); infinite numbers count as missing; pairs are listed strongest first"),
        d("Pearson r", "Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²) over the rows where both are known (pandas df.corr(method=\"pearson\")), computed from exact sums of x, y, x², y² and xy and rounded once; undefined when a column is constant on those rows or fewer than 2 rows"),
        d("Spearman ρ", "Pearson r of the average ranks (ties get the mean rank), ranks taken within the rows where both are known (pandas corr(method=\"spearman\")); exact when the file has at most correlations.spearman_rows rows (default 20,000); otherwise computed on the rows whose row hash is among the spearman_rows smallest (a deterministic sample independent of the row order) with an approximate standard error (1 − ρ²)·√((1 + ρ²/2)/(m − 3))·√(1 − M/N) (Bonett & Wright 2000, with the finite-population correction; m rows used by the pair, M sampled of N)"),
        d("Cramér's V (correlations)", "bias-corrected Cramér's V (Bergsma 2013) of two categorical columns, as for proxies, on the contingency table of the rows where both are known; a column with more than correlations.max_levels (default 50) distinct values is left out and marked"),
        d("correlation ratio η (correlations)", "√(Σ_g n_g (mean_g − mean)² / Σ (x − mean)²) of a numeric column across the levels of a categorical column, from exact per-level sums, over the rows where both are known; in [0, 1]"),
    ]
}

/// The glossary of quality by group and representativeness.
pub fn group_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("quality by group", "for every protected attribute (role protected, bias.protected, or a column with reference shares) and every other column: missing cells / rows and unparseable cells / rows within each group; rows whose protected value is missing or unparseable form the (unknown) group. Differential missingness is a bias source: complete-case analysis and imputation treat the group with more missing values differently, and a model sees fewer usable rows of it"),
        d("missing-rate gap", "max − min of a column's missing rate over the groups (the unknown group included) with at least checks.group_missing_gap.min_group_size rows (default 30), naming both groups and their sizes; the check group_missing_gap warns above 0.1 by default"),
        d("representativeness", "observed share of each value of a protected column (rows with a known value) against the reference share of [representativeness.<column>]; ratio = observed ÷ expected share (below 1: under-represented); when the shares sum to less than 1 the remainder is the expected share of every value not listed, pooled as (other); a value in the data that the spec does not list, with no remainder, is reported as a spec error"),
        d("χ² goodness of fit", "Pearson's Σ (observed − expected)² / expected with expected = share × rows used, df = categories − 1, p-value from the χ² distribution (scipy.stats.chisquare(f_obs, f_exp)); a small p-value says the sample's group shares differ from the reference's more than chance would explain"),
    ]
}

/// The glossary of the basic profile.
pub fn definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    let flags = crate::quality::flags::FLAGS.iter().map(|f| d(&format!("flag {}", f.id), f.definition));
    let mut v = vec![
        d("rows", "data rows in the file, header excluded; blank lines are not rows"),
        d("missing", "cells equal to a missing token (trimmed, case-insensitive; default: empty, NA, N/A, null, NaN, None, ?, -) plus fields absent from short rows (and, in number columns, values that parse as NaN without being a token); share = missing / rows; missing_by_token splits the count by token (tokens as compared: trimmed, lower-cased) and by those two other kinds, exact, like pandas (s.str.strip().str.lower() == token).sum() on the column read as text"),
        d("unparseable", "cells that are present and not missing but are not a value of the column's type; they are excluded from every statistic"),
        d("distinct", "number of distinct valid values (missing and unparseable excluded, as pandas nunique()); exact up to 10,000 values (by 64-bit hash), then a HyperLogLog estimate with 0.81 % relative standard error"),
        d("mean", "arithmetic mean of the finite values, computed from an exact sum (correctly rounded); ±infinity are counted separately and excluded"),
        d("std", "sample standard deviation, ddof = 1 (pandas Series.std default), computed exactly from exact sums and rounded once"),
        d("min / max", "smallest and largest finite value (hidden for identifier columns)"),
        d("top values", "the most frequent values with exact counts, ties broken by value; not computed above 10,000 distinct values; never shown for identifier columns"),
        d("frequent values", "string columns with more than 10,000 distinct values, when profile.quantile_passes is on: every value holding more than 1/10,001 of the valid values, with its exact count (ties broken by value), up to profile.top_k; the main pass keeps a Misra–Gries summary of 10,000–20,000 counters (batched decrements, mergeable as in Agarwal et al. 2012), whose candidates include every such value whatever the row order and the split, and one more pass counts the candidates exactly; pandas value_counts() restricted to counts > n/10,001; never shown for identifier columns"),
        d("null (JSON)", "a statistic that is undefined (e.g. std of one value) or that does not fit a 64-bit float (e.g. the variance of values near 1e308, whose exact value is still used for std) is written as null"),
        d("whitespace", "string values whose first or last character is Unicode White_Space (Rust char::is_whitespace), a value with both counted once; leading = values whose first character is white space, trailing = values whose last character is; pandas (v.str.strip() != v).sum(), leading (v.str.lstrip() != v).sum(), trailing (v.str.rstrip() != v).sum() agree except that Python also strips U+001C–U+001F"),
        d("numeric-looking", "string values that, without surrounding ASCII white space, parse as a finite number in the file's number format; share = numeric-looking / valid values (pandas: pd.to_numeric(s, errors=\"coerce\") finite, for the default format)"),
        d("case-inconsistent groups", "distinct values equal after trimming white space and Unicode lower-casing (Male, male, ' MALE'); rows = rows whose value is in such a group, every spelling counted; exact while the column has at most 10,000 distinct values, else not computed; spellings hidden when the column's values are hidden"),
        d("future dates", "valid date or datetime values whose calendar date (UTC) is after as_of: profile.as_of, else the run's start date given by the front end (the core has no clock); exact unless more than 4,096 distinct days are after as_of"),
        d("unparseable share (dates)", "unparseable values / non-missing values of a date column (values that are not dates in the column's field order)"),
        d("hidden values", "by default the report shows no raw values of columns flagged identifier-like (min/max, quantiles, histogram and outlier fences, date range, top values, case-group spellings) and no top values of high-cardinality columns; profile.show_sensitive_values = true shows them (declared identifier columns stay hidden); each column says what was hidden"),
        d("ragged row", "a row with more or fewer fields than the header: missing fields are read as missing, extra fields are ignored"),
        d("lines", "physical lines of the file: a line ends at LF, CRLF or CR (as rows do) and a last line without a line break counts (for LF files, wc -l plus one when the last line has no line feed); lines = header lines + data rows + lines inside quoted fields + blank lines, each counted exactly while the file is read"),
        d("quoted line break", "a line break inside a quoted field: the row continues on the next physical line (RFC 4180 allows it). Real multi-line text does this; so does a stray quote, which merges the following lines into one row until the next quote. The finding names each row where such a field starts and the lines it spans; the check quoted_line_breaks warns by default"),
        d("unterminated quote", "a quote that opens a field and is never closed: the rest of the file is read into that field, so the rows after it are lost. The finding names the row where it opens and the lines it swallowed; the check unterminated_quote fails by default"),
        d("undecodable field", "a field that is not valid UTF-8 in a UTF-8 file (decoded as Windows-1252 instead), or UTF-16 that could not be decoded"),
    ];
    v.extend(flags);
    v
}
