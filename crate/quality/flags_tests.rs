use super::*;
use crate::quality::checks::{RawCheck, Status};
use crate::quality::text::{CaseGroups, StringChecks};
use crate::sketch::distinct::Distinct;
use crate::sketch::top_k::ValueCount;

fn stats(rows: u64, missing: u64, counts: &[(&str, u64)]) -> ColumnStats {
    let valid = counts.iter().map(|c| c.1).sum();
    let distinct = Distinct { value: counts.len() as u64, exact: true, relative_standard_error: 0.0 };
    let mut s = ColumnStats::counts(rows, valid, missing, rows - valid - missing, distinct);
    s.top_values = Some(counts.iter().map(|&(v, n)| ValueCount { value: v.into(), count: n }).collect());
    s
}

fn ids(f: &[ColumnFlag]) -> Vec<&str> {
    f.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn all_missing_and_constant() {
    let s = stats(5, 5, &[]);
    assert_eq!(ids(&flags(ColumnType::Categorical, &s)), ["all_missing"]);
    assert_eq!(ids(&flags(ColumnType::Categorical, &stats(0, 0, &[]))), Vec::<&str>::new());
    assert_eq!(ids(&flags(ColumnType::Categorical, &stats(5, 2, &[("a", 3)]))), ["constant"]);
}

#[test]
fn near_constant_at_the_threshold() {
    // 95 of 100 is near-constant (≥), 94 of 100 is not.
    assert_eq!(ids(&flags(ColumnType::Categorical, &stats(100, 0, &[("a", 95), ("b", 5)]))), ["near_constant"]);
    assert!(flags(ColumnType::Categorical, &stats(100, 0, &[("a", 94), ("b", 6)])).is_empty());
    // Booleans use their counts.
    let mut b = stats(100, 0, &[("x", 97), ("y", 3)]);
    b.top_values = None;
    b.boolean = Some(crate::quality::profile::BooleanCounts { trues: 3, falses: 97 });
    assert_eq!(ids(&flags(ColumnType::Boolean, &b)), ["near_constant"]);
    // No counts (numbers, over the cap): not evaluated.
    let mut n = stats(100, 0, &[("a", 99), ("b", 1)]);
    n.top_values = None;
    assert!(flags(ColumnType::Integer, &n).is_empty());
}

fn unique(n: u64, distinct: u64) -> ColumnStats {
    let mut s = stats(n, 0, &[]);
    s.valid = n;
    s.distinct.value = distinct;
    s.top_values = None;
    s
}

#[test]
fn identifier_like_needs_100_values_95_percent_distinct_and_no_floats() {
    assert_eq!(ids(&flags(ColumnType::Integer, &unique(100, 95))), ["identifier_like"]);
    assert!(flags(ColumnType::Integer, &unique(100, 94)).is_empty());
    assert!(flags(ColumnType::Integer, &unique(99, 99)).is_empty());
    assert!(flags(ColumnType::Float, &unique(1000, 1000)).is_empty());
    assert_eq!(ids(&flags(ColumnType::Date, &unique(1000, 1000))), ["identifier_like"]);
}

#[test]
fn high_cardinality_is_for_categorical_columns() {
    assert_eq!(ids(&flags(ColumnType::Categorical, &unique(100, 51))), ["high_cardinality"]);
    assert!(flags(ColumnType::Categorical, &unique(100, 50)).is_empty());
    assert!(flags(ColumnType::Categorical, &unique(200, 60)).is_empty()); // 30 % unique
    assert!(flags(ColumnType::Text, &unique(100, 51)).is_empty());
    assert_eq!(ids(&flags(ColumnType::Categorical, &unique(100, 96))), ["identifier_like", "high_cardinality"]);
}

fn strings_with_examples() -> StringChecks {
    let ex = vec![vec![ValueCount { value: "A".into(), count: 1 }, ValueCount { value: "a".into(), count: 1 }]];
    StringChecks {
        whitespace: 0,
        leading_whitespace: 0,
        trailing_whitespace: 0,
        numeric_looking: 0,
        numeric_share: 0.0,
        case_groups: Some(CaseGroups { groups: 1, rows: 2, examples: ex }),
        case_note: None,
    }
}

#[test]
fn identifier_like_values_are_hidden_unless_shown() {
    let mut s = unique(200, 200);
    s.top_values = Some(vec![ValueCount { value: "k1".into(), count: 1 }]);
    s.temporal = Some(crate::quality::profile::TemporalRange { min: "2020-01-01".into(), max: "2021-01-01".into() });
    let f = flags(ColumnType::Date, &s);
    let mut hidden_s = s.clone();
    let mut st = strings_with_examples();
    let hidden = protect(&mut hidden_s, Some(&mut st), &f, false, false);
    assert_eq!((hidden_s.top_values.as_ref(), hidden_s.temporal.as_ref()), (None, None));
    assert!(st.case_groups.as_ref().is_some_and(|g| g.examples.is_empty() && g.groups == 1));
    assert!(hidden[0].contains("date range, top values hidden: the column is identifier-like"), "{hidden:?}");
    assert!(hidden[0].contains("profile.show_sensitive_values"));
    let mut shown = s.clone();
    let mut st = strings_with_examples();
    assert!(protect(&mut shown, Some(&mut st), &f, false, true).is_empty());
    assert_eq!(shown, s);
    assert_eq!(st, strings_with_examples());
}

#[test]
fn high_cardinality_top_values_are_hidden() {
    let mut s = unique(100, 60);
    s.top_values = Some(vec![ValueCount { value: "rare".into(), count: 1 }]);
    let f = flags(ColumnType::Categorical, &s);
    let hidden = protect(&mut s, None, &f, false, false);
    assert!(s.top_values.is_none());
    assert!(hidden[0].starts_with("top values hidden: the column is high-cardinality"));
}

#[test]
fn gates_follow_the_flags_and_their_overrides() {
    let raw = RawChecks::new();
    let status = |o: &[CheckOutcome], id: &str| o.iter().find(|o| o.id == id).map(|o| o.status);
    let o = outcomes(&raw, "c", ColumnType::Categorical, &stats(4, 4, &[]));
    assert_eq!(status(&o, "all_missing_column"), Some(Status::Warn));
    assert_eq!(status(&o, "constant_column"), Some(Status::Skipped));
    assert_eq!(status(&o, "near_constant_column"), Some(Status::Skipped));
    let o = outcomes(&raw, "c", ColumnType::Categorical, &stats(4, 1, &[("a", 3)]));
    assert_eq!(status(&o, "all_missing_column"), Some(Status::Pass));
    assert_eq!(status(&o, "constant_column"), Some(Status::Warn));
    assert!(o.iter().any(|o| o.id == "near_constant_column" && o.note.as_deref() == Some("constant column")));
    let s = stats(100, 0, &[("a", 96), ("b", 4)]);
    assert_eq!(status(&outcomes(&raw, "c", ColumnType::Categorical, &s), "near_constant_column"), Some(Status::Warn));
    // Numbers keep no value counts: the gate reads their NumericMode. Dates read the exact
    // count of their most frequent value (absent over 10,000 distinct values).
    let mut n = s.clone();
    n.top_values = None;
    let near = |raw: &RawChecks, ty, n: &ColumnStats| {
        outcomes(raw, "c", ty, n).into_iter().find(|o| o.id == "near_constant_column").unwrap()
    };
    assert_eq!(near(&raw, ColumnType::Integer, &n).status, Status::Skipped);
    assert_eq!(
        near(&raw, ColumnType::Date, &n).note.as_deref(),
        Some("more than 10,000 distinct values: no exact value counts")
    );
    for (count, status) in [(96, Status::Warn), (94, Status::Pass)] {
        let mut d = n.clone();
        d.mode = Some(NumericMode { count: Some(count), share: Some(count as f64 / 100.0), share_at_most: None });
        let o = near(&raw, ColumnType::Datetime, &d);
        assert_eq!((o.status, o.observed), (status, Some(count as f64 / 100.0)));
        assert_eq!(ids(&flags(ColumnType::Datetime, &d)).is_empty(), status == Status::Pass);
    }
    n.mode = Some(NumericMode { count: Some(96), share: Some(0.96), share_at_most: None });
    assert_eq!(near(&raw, ColumnType::Float, &n).status, Status::Warn);
    assert_eq!(ids(&flags(ColumnType::Float, &n)), ["near_constant"]);
    n.mode = Some(NumericMode { count: None, share: None, share_at_most: Some(0.5) });
    let o = near(&raw, ColumnType::Float, &n);
    assert_eq!((o.status, o.observed), (Status::Pass, Some(0.5)));
    let mut low = RawChecks::new();
    low.insert("near_constant_column".into(), RawCheck { threshold: Some(0.5), ..Default::default() });
    assert!(near(&low, ColumnType::Float, &n).note.unwrap().contains("threshold is ≤ 0.5"));
    // A per-column override relaxes the gate for that column only.
    let mut raw = RawChecks::new();
    raw.insert(
        "near_constant_column".into(),
        RawCheck { columns: [("c".to_string(), 0.99)].into(), ..Default::default() },
    );
    assert_eq!(status(&outcomes(&raw, "c", ColumnType::Categorical, &s), "near_constant_column"), Some(Status::Pass));
    assert_eq!(status(&outcomes(&raw, "d", ColumnType::Categorical, &s), "near_constant_column"), Some(Status::Warn));
}

#[test]
fn numeric_mode_counts_the_median_and_infinities() {
    let mut s = stats(10, 0, &[]);
    s.valid = 10;
    s.top_values = None;
    s.numeric = Some(crate::sketch::moments::MomentsAcc::default().finish());
    s.numeric.as_mut().unwrap().count = 10;
    numeric_mode(&mut s, Some(6), || unreachable!());
    assert_eq!(s.mode, Some(NumericMode { count: Some(6), share: Some(0.6), share_at_most: None }));
    numeric_mode(&mut s, Some(5), || unreachable!());
    assert_eq!(s.mode.as_ref().unwrap().share_at_most, Some(0.5));
    s.numeric.as_mut().unwrap().positive_infinities = 7;
    numeric_mode(&mut s, Some(1), || unreachable!());
    assert_eq!(s.mode.as_ref().unwrap().count, Some(7));
    s.mode = None;
    numeric_mode(&mut s, None, || "why".into());
    assert_eq!((s.mode.is_none(), s.mode_note.as_deref()), (true, Some("why")));
}
