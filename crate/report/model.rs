//! The report model (`"schema": "privaudit.report/1"`), rendered once by Rust to JSON and
//! HTML so that the CLI and the browser cannot drift apart.

use crate::ingest::sniff::DialectInfo;
use crate::ingest::value::ColumnType;
use crate::quality::checks::CheckOutcome;
use crate::quality::profile::ColumnStats;
use crate::spec::{RawSpec, Role};
use serde::{Deserialize, Serialize};

/// Report schema identifier.
pub const SCHEMA: &str = "privaudit.report/1";

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
}

/// A glossary entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The term as used in the report.
    pub term: String,
    /// Its definition and the convention it follows.
    pub definition: String,
}

/// The glossary of the bias section.
pub fn bias_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("positive class", "the label and prediction values the spec names as positive; every rate is for that class, and the report says whether it is the favourable outcome"),
        d("selection_rate … false_omission_rate", "fairlearn's metric names: selection rate (TP+FP)/n, true positive rate TP/(TP+FN), false positive rate FP/(FP+TN), and so on; each with its numerator, denominator and Wilson 95 % interval"),
        d("undefined", "a rate whose denominator is 0 (0/0): shown as undefined and left out of max/min with a note. fairlearn returns 0 for such TPR/FPR/TNR/FNR, AIF360 NaN, Aequitas NaN for rates and 10.0 for ratios over a zero reference"),
        d("fairlearn between groups", "difference = max − min and ratio = min / max over the groups with a defined rate (demographic parity: selection rate; equalized odds: worse of TPR and FPR; equal opportunity: TPR)"),
        d("vs reference (AIF360/Aequitas)", "difference = group − reference and ratio = group ÷ reference; reference group by policy (largest by default); Newcombe hybrid score interval for differences, Katz log interval for ratios; four-fifths band 0.8 ≤ ratio ≤ 1.25 (EEOC rule of thumb); Fisher exact test when an expected cell is below 5, else pooled two-proportion z, on the metric's own sub-population, Holm-adjusted across groups"),
        d("sentence", "a plain-language reading of a group-vs-reference comparison that is outside the four-fifths band (group not small) or has a Holm-adjusted p < 0.05, written only when both rates are defined: the metric's sub-population (selection rate: every row; TPR/FNR: actual positives; FPR/TNR: actual negatives; PPV/FDR: predicted positives; NPV/FOR: predicted negatives), the positive class as the spec names it and whether it is favourable, the ratio group ÷ reference, both rates with their counts, and the Holm-adjusted p-value"),
        d("disparity checks", "disparity_ratio (group rate ÷ reference rate, violated below min, default 0.8) and disparity_difference (|group rate − reference rate|, violated above max, default 0.1) for one metric (default selection_rate), one outcome per compared group of every breakdown; warn by default, fail when configured; a group with fewer rows than min_group_size or an undefined rate (or, for the ratio, a reference rate of 0) is skipped with the reason, never passed or failed"),
        d("selection-only audit", "without a label column (LL144 allows it): per-group selection rates, fairlearn between-groups and to-overall selection-rate disparities, each group vs the reference (difference, ratio, test, sentence), LL144 impact ratios and the four-fifths rule; every metric that needs the true outcome is absent and the audit's `absent` note says so; score metrics that need labels (AUC, calibration) are null with that reason"),
        d("four-fifths rule", "UGESP 29 CFR §1607.4(D): a category whose selection rate is below 4/5 of the most selected category's (LL144 impact ratio < 0.8) shows adverse impact; a rule of thumb, not part of LL144; categories excluded by the 2 % rule or with an undefined ratio get no verdict, small ones are marked"),
        d("proxies", "association of every other column with each protected attribute (not the label, prediction, score, protected, identifier, ignored or weight columns, nor dates and free text): bias-corrected Cramér's V (Bergsma 2013) on the contingency table of categorical and boolean columns, each side capped at 50 levels (the 49 most frequent, ties by value, and (other)); correlation ratio η = √(Σ n_g (mean_g − mean)² / Σ (x − mean)²) for numeric columns from exact per-group sums; rows missing either value are left out; flagged at or above bias.proxy_threshold (default 0.3)"),
        d("LL144 impact ratio", "selection rate of a category ÷ that of the most selected category (NYC Local Law 144, 6 RCNY §5-300); the law sets no pass mark; categories below the optional 2 % share can be excluded and are still listed"),
        d("unknown group", "rows whose protected value is missing form an explicit unknown group: counted and listed, never a reference or an extreme; rows with a missing label or prediction are left out and counted"),
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

/// The glossary of the basic profile.
pub fn definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("rows", "data rows in the file, header excluded; blank lines are not rows"),
        d("missing", "cells equal to a missing token (trimmed, case-insensitive; default: empty, NA, N/A, null, NaN, None, ?, -) plus fields absent from short rows; share = missing / rows"),
        d("unparseable", "cells that are present and not missing but are not a value of the column's type; they are excluded from every statistic"),
        d("distinct", "number of distinct valid values (missing and unparseable excluded, as pandas nunique()); exact up to 10,000 values (by 64-bit hash), then a HyperLogLog estimate with 0.81 % relative standard error"),
        d("mean", "arithmetic mean of the finite values, computed from an exact sum (correctly rounded); ±infinity are counted separately and excluded"),
        d("std", "sample standard deviation, ddof = 1 (pandas Series.std default), computed exactly from exact sums and rounded once"),
        d("min / max", "smallest and largest finite value (hidden for identifier columns)"),
        d("top values", "the most frequent values with exact counts, ties broken by value; not computed above 10,000 distinct values; never shown for identifier columns"),
        d("null (JSON)", "a statistic that is undefined (e.g. std of one value) or that does not fit a 64-bit float (e.g. the variance of values near 1e308, whose exact value is still used for std) is written as null"),
        d("ragged row", "a row with more or fewer fields than the header: missing fields are read as missing, extra fields are ignored"),
        d("undecodable field", "a field that is not valid UTF-8 in a UTF-8 file (decoded as Windows-1252 instead), or UTF-16 that could not be decoded"),
    ]
}
