//! The `dataset` section of the report, its checks and its glossary.

use super::examples::Pos;
use super::{DatasetAcc, LabelAcc};
use crate::fairness::proxy_stats::{associations, Measure};
use crate::ingest::findings::Loc;
use crate::quality::checks::{self, CheckOutcome, RawChecks, Status};
use crate::report::model::Definition;
use crate::sketch::distinct::HLL_RELATIVE_STANDARD_ERROR;
use crate::spec::ValidSpec;
use serde::{Deserialize, Serialize};

/// Exact duplicate rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRows {
    /// Rows that repeat an earlier row (pandas `df.duplicated().sum()`).
    pub count: u64,
    /// count / rows.
    pub share: f64,
    /// Distinct rows.
    pub distinct: u64,
    /// Distinct rows that occur more than once (None when estimated).
    pub duplicated_records: Option<u64>,
    /// True when counted exactly.
    pub exact: bool,
    /// Standard error of `count` when estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_error: Option<f64>,
    /// How the numbers were obtained, when estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Up to 5 duplicated records (those whose first row is earliest), each as the 1-based
    /// data rows of its first (up to 5) occurrences; empty when estimated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<DuplicateExample>,
}

/// A duplicated record, by row numbers only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateExample {
    /// 1-based data rows of its first occurrences (at most 5), ascending.
    pub rows: Vec<u64>,
}

/// A feature combination with conflicting labels, by row numbers and labels only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictExample {
    /// 1-based data rows of its first labelled rows (at most 5), ascending.
    pub rows: Vec<u64>,
    /// The label of each row as written (empty when the label has more than 1,000 values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// A column equal to an earlier one in every row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateColumn {
    /// The duplicate.
    pub column: String,
    /// The first column it equals.
    pub duplicate_of: String,
}

/// One label value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassShare {
    /// The value as written.
    pub value: String,
    /// Rows.
    pub rows: u64,
    /// rows / labelled rows.
    pub share: f64,
}

/// Rows identical on every feature with different labels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictingLabels {
    /// Distinct feature combinations among labelled rows.
    pub feature_groups: u64,
    /// Combinations with more than one label.
    pub conflicting_groups: u64,
    /// Labelled rows in those combinations.
    pub rows: u64,
    /// rows / labelled rows.
    pub share: f64,
    /// Up to 5 conflicting combinations (those whose first row is earliest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<ConflictExample>,
}

/// A feature's association with the label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leakage {
    /// The feature.
    pub column: String,
    /// The measure of `value`: the larger defined one of `cramers_v` and
    /// `correlation_ratio`.
    pub measure: Measure,
    /// In [0, 1] (None: undefined).
    pub value: Option<f64>,
    /// Bias-corrected Cramér's V (numeric features: over their values as categories).
    pub cramers_v: Option<f64>,
    /// Correlation ratio η (numeric features).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_ratio: Option<f64>,
    /// Why undefined (or why one measure is missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined_reason: Option<String>,
    /// Rows with both values (of `value`'s measure).
    pub n: u64,
    /// value ≥ the `target_leakage` threshold.
    pub flagged: bool,
}

/// The label part of the section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelReport {
    /// The label column.
    pub column: String,
    /// Rows with a label.
    pub labelled_rows: u64,
    /// Rows with a missing (or unparseable) label.
    pub missing: u64,
    /// Rows per label value, most frequent first (None: too many values).
    pub classes: Option<Vec<ClassShare>>,
    /// Most frequent class rows ÷ least frequent class rows.
    pub majority_minority_ratio: Option<f64>,
    /// Share of the least frequent class.
    pub minority_share: Option<f64>,
    /// Features compared for conflicting labels.
    pub features: Vec<String>,
    /// Conflicting labels (None: not computed, see `note`).
    pub conflicting_labels: Option<ConflictingLabels>,
    /// Association of each feature with the label.
    pub leakage: Vec<Leakage>,
    /// Features not examined for leakage, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leakage_skipped: Vec<crate::fairness::proxy_stats::SkippedColumn>,
    /// What could not be computed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The `dataset` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetReport {
    /// Exact duplicate rows.
    pub duplicate_rows: DuplicateRows,
    /// Columns equal to an earlier column in every row.
    pub duplicate_columns: Vec<DuplicateColumn>,
    /// The label checks, when the spec names a label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<LabelReport>,
    /// Overlap with a test file (`audit --test`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlap: Option<super::overlap::Overlap>,
}

fn share(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// The section and its check outcomes from the merged state of a file of `rows` rows;
/// `global_row` makes a position a 1-based data row
/// ([`crate::engine::state::RunState::global_row`]).
pub fn dataset_report(
    acc: &DatasetAcc,
    spec: &ValidSpec,
    rows: u64,
    global_row: &dyn Fn(&Loc) -> u64,
) -> (DatasetReport, Vec<CheckOutcome>) {
    let global = |p: Pos| global_row(&p.loc());
    let raw = &spec.resolved.checks;
    let name = |i: usize| spec.columns.get(i).map(|c| c.name.clone()).unwrap_or_default();
    let d = acc.rows.finish(rows);
    let duplicate_rows = DuplicateRows {
        count: d.repeats,
        share: share(d.repeats, rows),
        distinct: d.distinct,
        duplicated_records: d.repeated_records,
        exact: d.exact,
        standard_error: (!d.exact).then_some(d.distinct as f64 * HLL_RELATIVE_STANDARD_ERROR),
        note: (!d.exact).then(|| {
            format!(
                "more than {} distinct rows (dataset.max_distinct_rows): duplicates = rows − a HyperLogLog estimate of distinct rows; duplicated records not computed",
                spec.resolved.dataset.max_distinct_rows
            )
        }),
        examples: acc
            .rows
            .examples()
            .into_iter()
            .map(|e| DuplicateExample { rows: e.into_iter().map(global).collect() })
            .collect(),
    };
    let positions: Vec<usize> = (0..acc.columns.len()).collect();
    let duplicate_columns: Vec<DuplicateColumn> = if rows == 0 {
        Vec::new()
    } else {
        acc.sums
            .duplicates(&positions)
            .into_iter()
            .map(|(a, b)| DuplicateColumn { column: name(acc.columns[b]), duplicate_of: name(acc.columns[a]) })
            .collect()
    };
    let mut outcomes: Vec<CheckOutcome> = [
        checks::outcome(raw, "duplicate_rows", None, d.repeats, rows),
        checks::outcome(raw, "duplicate_columns", None, duplicate_columns.len() as u64, acc.columns.len() as u64),
    ]
    .into_iter()
    .flatten()
    .collect();
    let label = acc.label.as_ref().map(|l| label_report(l, spec, &global, &mut outcomes));
    (DatasetReport { duplicate_rows, duplicate_columns, label, overlap: None }, outcomes)
}

fn label_report(
    l: &LabelAcc,
    spec: &ValidSpec,
    global: &dyn Fn(Pos) -> u64,
    outcomes: &mut Vec<CheckOutcome>,
) -> LabelReport {
    let raw: &RawChecks = &spec.resolved.checks;
    let name = |i: usize| spec.columns.get(i).map(|c| c.name.clone()).unwrap_or_default();
    let mut notes = Vec::new();
    let sorted = l.classes.sorted();
    let labelled: u64 = sorted.as_ref().map_or(0, |v| v.iter().map(|c| c.1).sum());
    let classes = sorted.as_ref().map(|v| {
        v.iter().map(|(value, n)| ClassShare { value: value.clone(), rows: *n, share: share(*n, labelled) }).collect()
    });
    if sorted.is_none() {
        notes.push(format!(
            "more than {} label values: class balance not computed (is the label continuous?)",
            super::labels::MAX_CLASSES
        ));
    }
    let (majority_minority_ratio, minority_share) = match sorted.as_deref() {
        Some([first, .., last]) => (Some(first.1 as f64 / last.1 as f64), Some(share(last.1, labelled))),
        _ => (None, None),
    };
    outcomes.extend(checks::evaluate(
        raw,
        "class_imbalance",
        None,
        minority_share,
        (sorted.as_deref().and_then(|v| v.last()).map_or(0, |c| c.1), labelled),
    ));
    let conflicting_labels = l.conflicts.finish().map(|c| ConflictingLabels {
        feature_groups: c.feature_groups,
        conflicting_groups: c.conflicting_groups,
        rows: c.rows,
        share: share(c.rows, labelled),
        examples: l
            .conflicts
            .examples()
            .into_iter()
            .map(|e| {
                let labels: Option<Vec<String>> = e.iter().map(|(_, t)| t.clone()).collect();
                ConflictExample {
                    rows: e.iter().map(|(p, _)| global(*p)).collect(),
                    labels: labels.unwrap_or_default(),
                }
            })
            .collect(),
    });
    match &conflicting_labels {
        Some(c) => outcomes.extend(checks::outcome(raw, "conflicting_labels", None, c.rows, labelled)),
        None => notes.push(format!(
            "more than {} distinct feature combinations (dataset.max_distinct_rows): conflicting labels not computed",
            spec.resolved.dataset.max_distinct_rows
        )),
    }
    let leakage = leakage(l, &name, raw, outcomes);
    LabelReport {
        column: name(l.column),
        labelled_rows: labelled,
        missing: l.classes.missing(),
        classes,
        majority_minority_ratio,
        minority_share,
        features: l.features.iter().map(|&i| name(i)).collect(),
        conflicting_labels,
        leakage,
        leakage_skipped: l
            .leakage_spec
            .skipped
            .iter()
            .map(|(c, why)| crate::fairness::proxy_stats::SkippedColumn { column: name(*c), reason: why.clone() })
            .collect(),
        notes,
    }
}

/// One entry per examined feature (in column order), its `target_leakage` outcome added.
fn leakage(
    l: &LabelAcc,
    name: &dyn Fn(usize) -> String,
    raw: &RawChecks,
    outcomes: &mut Vec<CheckOutcome>,
) -> Vec<Leakage> {
    let all = associations(&l.leakage, name, 1.0);
    let mut out: Vec<Leakage> = Vec::new();
    let mut last_col = None;
    for (a, &(col, _)) in all.into_iter().zip(&l.leakage_spec.columns) {
        let is_v = a.measure == Measure::CramersVBiasCorrected;
        if last_col != Some(col) {
            out.push(Leakage {
                column: a.column.clone(),
                measure: a.measure,
                value: None,
                cramers_v: None,
                correlation_ratio: None,
                undefined_reason: None,
                n: a.n,
                flagged: false,
            });
            last_col = Some(col);
        }
        let Some(entry) = out.last_mut() else { continue };
        if is_v {
            entry.cramers_v = a.value;
        } else {
            entry.correlation_ratio = a.value;
        }
        if a.value.is_some() && (entry.value.is_none() || a.value > entry.value) {
            (entry.value, entry.measure, entry.n) = (a.value, a.measure, a.n);
        }
        if let Some(why) = a.undefined_reason {
            let m = if is_v { "Cramér's V" } else { "η" };
            entry.undefined_reason = Some(match entry.undefined_reason.take() {
                Some(prev) => format!("{prev}; {m}: {why}"),
                None => format!("{m}: {why}"),
            });
        }
    }
    for e in &mut out {
        let o = checks::evaluate(raw, "target_leakage", Some(&e.column), e.value, (e.n, e.n));
        e.flagged = o.as_ref().is_some_and(|o| matches!(o.status, Status::Warn | Status::Fail));
        outcomes.extend(o);
    }
    out
}

/// Adds the overlap of the report's file (the training file, state `train`) with a test
/// file (state `test` of `test_rows` rows, read with the same column types and roles): the
/// `overlap` part, the `train_test_overlap` check, its glossary entry, the verdict.
///
/// # Errors
/// When the report has no dataset section (`dataset.enabled = false`).
pub fn attach_overlap(
    report: &mut crate::report::Report,
    (train_spec, train): (&ValidSpec, &DatasetAcc),
    (test_spec, test): (&ValidSpec, &DatasetAcc),
    test_rows: u64,
    test_file: &str,
) -> crate::error::Result<()> {
    let Some(d) = report.dataset.as_mut() else {
        return Err(crate::error::Error::spec("dataset.enabled", "the train/test overlap needs the dataset checks"));
    };
    let cols = |s: &ValidSpec| s.columns.iter().map(|c| (c.name.clone(), c.ty, c.role)).collect::<Vec<_>>();
    if train.columns != test.columns || cols(train_spec) != cols(test_spec) {
        return Err(crate::error::Error::spec(
            "--test",
            "the test file must have the training file's columns (same names, in the same order)",
        ));
    }
    let (o, outcome) = super::overlap::compare(train, test, test_rows, test_file, &report.input.spec.checks);
    d.overlap = Some(o);
    report.checks.extend(outcome);
    report.definitions.push(Definition {
        term: "train/test overlap".into(),
        definition: "audit TRAIN --test TEST: test rows equal on every compared column to a row of the training file (cells compared as for duplicate rows; the test file is read with the training file's column types and roles), and their share of test rows (gate train_test_overlap, warn above 0 by default); label conflicts across the files: feature combinations present in both files whose labels are not one and the same label in both, and the labelled test rows in them. Exact while both files are within dataset.max_distinct_rows distinct rows (feature combinations), else not computed".into(),
    });
    report.passed = report.checks.iter().all(|o| o.status != Status::Fail);
    Ok(())
}

/// The glossary of the dataset section (the label terms only when there is a label).
pub fn definitions(label: bool) -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    let mut v = vec![
        d("duplicate rows", "rows equal on every column (role ignore excepted) to an earlier row, as pandas df.duplicated() (keep = first); share = duplicates / rows; duplicated records = distinct rows occurring more than once. Cells compare by typed value: numbers by value (1 = 1.0, -0 = 0), text as decoded without trimming, every missing cell equal to every other (pandas treats NaN as equal here). Rows are identified by a 64-bit hash, counted exactly up to dataset.max_distinct_rows distinct rows (default 250,000); beyond that duplicates = rows − a HyperLogLog estimate of distinct rows (relative standard error 0.81 % of the distinct count) and duplicated records are not computed. Examples (exact counts only): the 5 duplicated records whose first occurrence comes earliest, each as the 1-based data rows (header not counted; pandas index + 1) of its first 5 occurrences — row numbers only, never values"),
        d("duplicate columns", "a column whose value equals an earlier column's in every row (pandas df.T.duplicated(), by typed value as for duplicate rows), paired with the first such column; found by comparing per-column sums of a 64-bit mix of (cell hash, row hash): a false match has probability about 2^-64 per pair of columns"),
    ];
    if !label {
        return v;
    }
    v.extend([
        d("class balance", "rows per value of the label ([bias].label, else the column with role label) as read: text as written, numbers in shortest form (1.0 reads 1), booleans as true/false; an unparseable label counts as missing; shares over labelled rows (missing labels counted apart, as pandas value_counts(normalize=True)); majority/minority ratio = rows of the most frequent class ÷ rows of the least frequent; not computed above 1,000 values"),
        d("conflicting labels", "labelled rows identical on every feature (all columns except the label, prediction, score, identifier, ignored and weight columns; cells compared as for duplicate rows) whose feature combination carries more than one label value; counted: combinations, rows in them, share of labelled rows. Exact up to dataset.max_distinct_rows distinct combinations, else not computed. Examples: the 5 conflicting combinations whose first labelled row comes earliest, each as its first 5 labelled rows (1-based data rows, pandas index + 1) with each row's label as written (labels left out above 1,000 label values); those first rows may share one label, the conflict being in a later row — row numbers and labels only, never feature values"),
        d("target leakage", "association of each feature with the label, with the proxy-detection statistics (the label in the place of the protected attribute; rows missing either value left out): bias-corrected Cramér's V (Bergsma 2013, each side capped at 50 levels, the rest pooled as (other)) for categorical and boolean features; for numeric features the larger of the correlation ratio η of the feature across label classes and V over the feature's values read as categories (η misses an exact mapping such as zero iff repaid, whose other values vary); a value at or above the target_leakage threshold (default 0.95) means the feature almost determines the label and was probably recorded after it"),
    ]);
    v
}
