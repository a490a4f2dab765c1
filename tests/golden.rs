//! Golden reports: the native engine's report for fixed inputs, committed as JSON. The wasm
//! test (`tests/wasm.rs`) runs the browser API on the same inputs and compares with the same
//! files, which proves that the browser and the CLI give the same numbers, bit for bit.
//!
//! Regenerate after an intended change with `UPDATE_GOLDEN=1 cargo test --test golden`.

use privaudit::report::InputMeta;
use privaudit::spec::RawSpec;
use std::path::PathBuf;

fn golden(name: &str, bytes: &[u8]) {
    golden_with(name, name, &RawSpec::default(), bytes)
}

fn golden_with(name: &str, file_name: &str, raw: &RawSpec, bytes: &[u8]) {
    let meta = InputMeta { file_name: file_name.into(), ..Default::default() };
    let json = privaudit::audit_bytes(raw, bytes, meta, 3).expect("audit").to_json();
    // The page renders HTML from the report's JSON: it must read back to the same report.
    let back = privaudit::report::Report::from_json(&json).expect("the report JSON reads back");
    assert_eq!(back.to_json(), json, "{name}: the report JSON does not round-trip");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden").join(format!("{name}.report.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &json).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run `UPDATE_GOLDEN=1 cargo test --test golden`", path.display()));
    assert!(
        json == want,
        "{name}: report differs from {}; if intended, run `UPDATE_GOLDEN=1 cargo test --test golden`",
        path.display()
    );
}

#[test]
fn sample_3000() {
    golden("sample3000", &privaudit::sample::loan_applications(3000, privaudit::sample::SAMPLE_SEED));
}

#[test]
fn sample_3000_with_the_sample_spec() {
    // Bias audit of `decision` and score metrics of `model_score` (the sample's roles);
    // without the intersection, to keep the file small.
    let bytes = privaudit::sample::loan_applications(3000, privaudit::sample::SAMPLE_SEED);
    let mut raw = privaudit::sample::sample_spec();
    if let Some(b) = raw.bias.as_mut() {
        b.intersections = Some(false);
    }
    // Correlations (13 eligible columns: off by default), quality by group of the protected
    // columns, and reference shares for race.
    raw.correlations.enabled = Some(true);
    let shares = [("White", 0.6), ("Black", 0.13), ("Hispanic", 0.18), ("Asian", 0.06)];
    raw.representativeness.insert("race".into(), shares.iter().map(|(k, v)| (k.to_string(), *v)).collect());
    golden_with("sample3000_bias", "sample3000", &raw, &bytes);
}

#[test]
fn a_small_quantile_budget_plans_passes_and_changes_no_number() {
    let bytes = privaudit::sample::loan_applications(3000, privaudit::sample::SAMPLE_SEED);
    let raw =
        RawSpec::from_json(r#"{"profile":{"quantile_values_in_memory":100,"quantile_passes":true}}"#).expect("spec");
    let meta = InputMeta { file_name: "sample3000".into(), ..Default::default() };
    let low = privaudit::audit_bytes(&raw, &bytes, meta.clone(), 3).expect("audit");
    let high = privaudit::audit_bytes(&RawSpec::default(), &bytes, meta, 3).expect("audit");
    assert!(low.input.passes >= 2, "expected planned passes, got {}", low.input.passes);
    assert_eq!(high.input.passes, 1);
    let q = |r: &privaudit::report::Report| r.columns.iter().map(|c| c.stats.quantiles.clone()).collect::<Vec<_>>();
    assert_eq!(q(&low), q(&high));
    golden_with("sample3000_budget100", "sample3000", &raw, &bytes);
    // Without permission for extra passes, such columns get sketch estimates (with their
    // accuracy) and a note; the estimates are within the stated bound of the exact values.
    let one = RawSpec::from_json(r#"{"profile":{"quantile_values_in_memory":100}}"#).expect("spec");
    let r = privaudit::audit_bytes(&one, &bytes, InputMeta::default(), 2).expect("audit");
    assert_eq!(r.input.passes, 1);
    let income = r.columns.iter().find(|c| c.name == "income").expect("income");
    assert!(income.stats.quantiles_note.as_deref().is_some_and(|n| n.contains("profile.quantile_passes")));
    let exact = high.columns.iter().find(|c| c.name == "income").and_then(|c| c.stats.quantiles.clone());
    let (approx, exact) = (income.stats.quantiles.clone().expect("estimates"), exact.expect("exact"));
    assert_eq!(approx.len(), 7);
    for (a, e) in approx.iter().zip(&exact) {
        let alpha = a.relative_error.expect("an estimate states its accuracy");
        assert!(alpha > 0.0 && alpha < 0.01 && e.relative_error.is_none());
        // exact values here are positive, so α·max(neighbours) ≤ α·|p| of the next exact point
        assert!((a.value - e.value).abs() <= alpha * e.value.abs() * 1.5 + 1e-9, "{a:?} vs {e:?}");
    }
    assert_ne!(approx, exact, "estimates, not exact values");
}

/// The benchmark table's generator, 3 MB (about 27,000 rows), with planned passes: its
/// free-text `comment` column has more than 10,000 distinct values, so the report lists its
/// frequent values from the frequent-values pass. `tests/wasm.rs` runs the same in the
/// browser and compares with this file.
#[test]
fn frequent_values_pass() {
    let mut bytes = Vec::new();
    privaudit::sample::bench_table(&mut bytes, 3_000_000, 7).expect("generate");
    // `comment` is free text, hidden by default (personal_data): the golden shows its values.
    let hidden = RawSpec::from_json(r#"{"profile":{"quantile_passes":true}}"#).expect("spec");
    let r = privaudit::audit_bytes(&hidden, &bytes, InputMeta::default(), 3).expect("audit");
    let comment = r.columns.iter().find(|c| c.name == "comment").expect("comment");
    assert!(comment.stats.frequent_values.is_none() && comment.hidden.iter().any(|h| h.contains("free text")));
    let raw = RawSpec::from_json(r#"{"profile":{"quantile_passes":true,"show_sensitive_values":true}}"#).expect("spec");
    let r = privaudit::audit_bytes(&raw, &bytes, InputMeta::default(), 3).expect("audit");
    let comment = r.columns.iter().find(|c| c.name == "comment").expect("comment");
    assert!(comment.stats.distinct.value > 10_000, "{:?}", comment.stats.distinct);
    let f = comment.stats.frequent_values.as_ref().expect("frequent values");
    assert!(!f.is_empty() && f.windows(2).all(|w| w[0].count >= w[1].count));
    assert!(r.input.passes >= 2);
    golden_with("bench3M_passes", "bench3M", &raw, &bytes);
}

#[test]
fn messy_mixed() {
    golden("messy_mixed", include_bytes!("data/golden/messy_mixed.csv"));
}
