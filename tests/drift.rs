//! Drift against references: Evidently 0.7.11 / scipy 1.17.1 numbers from
//! `scripts/reference/drift.py` (tests/data/reference/drift.json) for synthetic pairs with
//! known shifts and COMPAS split by sex; the same drift report under every execution
//! strategy (one pass, random chunks, k ranges, serialised states merged in any order).

mod common;
use common::*;
use privaudit::drift::{compare, DriftReport, DriftSide};
use privaudit::engine::{drive, plan::Plan, state::RunState};
use privaudit::spec::{RawSpec, ValidSpec};
use serde_json::Value;
use std::sync::Arc;

fn fixture() -> Value {
    serde_json::from_str(include_str!("data/reference/drift.json")).expect("fixture")
}

/// The finished drift side of a main-pass state (later passes run over `bytes`).
fn side(spec: &Arc<ValidSpec>, st: RunState, bytes: &[u8]) -> DriftSide {
    let never = std::sync::atomic::AtomicBool::new(false);
    let plan = drive::finish_passes(Plan::new(spec, st).expect("plan"), |p, pass| {
        drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, Some(pass), 1 << 12, &|_| {}, &never)
    })
    .expect("passes");
    plan.drift_side(spec).expect("drift side")
}

/// Specs for both files as the CLI makes them: `drift` set, the current file read with the
/// reference's column types and roles.
fn specs(reference: &[u8], current: &[u8], raw: &RawSpec) -> (Arc<ValidSpec>, Arc<ValidSpec>) {
    let mut raw = raw.clone();
    raw.drift = true;
    let (rs, _) = spec_for(reference, &raw);
    raw.columns = rs.resolved.columns.clone();
    let (cs, _) = spec_for(current, &raw);
    (rs, cs)
}

fn drift(reference: &[u8], current: &[u8], raw: &RawSpec) -> DriftReport {
    let (rs, cs) = specs(reference, current, raw);
    compare(&side(&rs, one_pass(&rs, reference), reference), &side(&cs, one_pass(&cs, current), current))
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

/// Asserts agreement with one case of the fixture; returns the largest difference seen.
fn check_case(name: &str, d: &DriftReport, want: &Value) -> f64 {
    let mut worst = 0.0f64;
    let mut cmp = |what: String, got: Option<f64>, want: &Value| {
        let Some(w) = want.as_f64() else { return };
        let g = got.unwrap_or_else(|| panic!("{name}: {what} missing (reference {w})"));
        assert!(close(g, w, 1e-9), "{name}: {what} = {g}, reference {w}");
        worst = worst.max((g - w).abs() / w.abs().max(1.0));
    };
    for (col, w) in want["columns"].as_object().expect("columns") {
        let c = d.columns.iter().find(|c| &c.column == col).unwrap_or_else(|| panic!("{name}: {col} not compared"));
        let method = serde_json::to_value(c.method).expect("method");
        assert_eq!(method, w["method"], "{name}: {col} method ({})", c.why);
        assert_eq!(c.drifted, w["drifted"].as_bool().expect("drifted"), "{name}: {col} drift verdict");
        assert_eq!(c.n_ref, w["n_ref"].as_u64().expect("n_ref"), "{name}: {col} n_ref");
        assert_eq!(c.n_cur, w["n_cur"].as_u64().expect("n_cur"), "{name}: {col} n_cur");
        assert_eq!(c.distinct, w["distinct"].as_u64().expect("distinct"), "{name}: {col} distinct");
        assert!(c.exact, "{name}: {col} should be exact");
        cmp(format!("{col} value"), Some(c.value), &w["value"]);
        cmp(format!("{col} threshold"), Some(c.threshold), &w["threshold"]);
        cmp(format!("{col} psi"), c.psi, &w["psi"]);
        let raw = serde_json::to_value(&c.raw).expect("raw");
        for (k, v) in w["raw"].as_object().expect("raw") {
            cmp(format!("{col} raw.{k}"), raw[k].as_f64(), v);
        }
    }
    assert_eq!(d.counted, want["counted"].as_u64().expect("counted"), "{name}: counted columns");
    assert_eq!(d.drifted, want["drifted"].as_u64().expect("drifted"), "{name}: drifted columns");
    assert_eq!(d.dataset_drift, want["dataset_drift"].as_bool().expect("verdict"), "{name}: dataset drift");
    worst
}

fn synthetic(size: &str) -> (Vec<u8>, Vec<u8>, RawSpec) {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference");
    let read = |n: String| std::fs::read(dir.join(n)).expect("synthetic fixture");
    let raw = RawSpec::from_json(r#"{"columns": [{"name": "id", "role": "identifier"}]}"#).expect("spec");
    (read(format!("drift_{size}_ref.csv")), read(format!("drift_{size}_cur.csv")), raw)
}

#[test]
fn synthetic_pairs_match_evidently_and_scipy() {
    let fx = fixture();
    for size in ["small", "large"] {
        let (r, c, raw) = synthetic(size);
        let d = drift(&r, &c, &raw);
        let worst = check_case(size, &d, &fx["cases"][format!("synthetic_{size}")]);
        eprintln!("synthetic_{size}: largest relative difference {worst:e}");
        let ex: Vec<&str> = d.excluded.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(ex, ["id", "when"], "the identifier is not compared, the date not counted");
    }
}

/// COMPAS split on raw lines by the `sex` field (the sixth), as the reference script does.
/// (male, first 900 male rows, female) as CSV bytes, and a spec ignoring other columns.
type CompasSplit = (Vec<u8>, Vec<u8>, Vec<u8>, RawSpec);

fn compas_split() -> Option<CompasSplit> {
    let p = shared("fairness-data/compas/compas-scores-two-years.csv")?;
    let text = String::from_utf8(std::fs::read(p).expect("read compas")).expect("utf-8");
    let mut lines = text.split('\n');
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    let pick = |sex: &str| rows.iter().filter(|l| l.split(',').nth(5) == Some(sex)).copied().collect::<Vec<_>>();
    let (male, female) = (pick("Male"), pick("Female"));
    let join = |ls: &[&str]| format!("{header}\n{}\n", ls.join("\n")).into_bytes();
    let keep = [
        "age",
        "priors_count",
        "decile_score",
        "juv_fel_count",
        "race",
        "c_charge_degree",
        "age_cat",
        "two_year_recid",
    ];
    let (spec, _) = spec_for(&join(&male), &RawSpec::default());
    let cols: Vec<String> = spec
        .columns
        .iter()
        .filter(|c| !keep.contains(&c.name.as_str()))
        .map(|c| format!(r#"{{"name": "{}", "role": "ignore"}}"#, c.name))
        .collect();
    let raw = RawSpec::from_json(&format!(r#"{{"columns": [{}]}}"#, cols.join(","))).expect("spec");
    Some((join(&male), join(&male[..900]), join(&female), raw))
}

#[test]
fn compas_by_sex_matches_evidently_and_scipy() {
    let Some((male, male_small, female, raw)) = compas_split() else { return };
    let fx = fixture();
    for (name, reference) in [("compas_by_sex", &male), ("compas_by_sex_small", &male_small)] {
        let d = drift(reference, &female, &raw);
        let worst = check_case(name, &d, &fx["cases"][name]);
        eprintln!("{name}: largest relative difference {worst:e}");
    }
}

#[test]
fn drift_does_not_depend_on_the_split() {
    let (r, c, raw) = synthetic("large");
    let (rs, cs) = specs(&r, &c, &raw);
    let want = serde_json::to_string(&drift(&r, &c, &raw)).expect("json");
    type Strategy = Box<dyn Fn(&Arc<ValidSpec>, &[u8]) -> RunState>;
    let strategies: Vec<(&str, Strategy)> = vec![
        ("chunks≤64", Box::new(|s, b| random_chunks(s, b, 64, 5))),
        ("3 ranges", Box::new(|s, b| ranges(s, b, 3, 1 << 10))),
        ("5 ranges serialised+shuffled", Box::new(|s, b| serialised_shuffled(s, b, 5, 17))),
        ("8 ranges serialised+shuffled", Box::new(|s, b| serialised_shuffled(s, b, 8, 3))),
        ("2 codes per column", Box::new(|s, b| few_codes(s, b, 2))),
    ];
    for (label, run) in &strategies {
        let got = compare(&side(&rs, run(&rs, &r), &r), &side(&cs, run(&cs, &c), &c));
        assert_eq!(serde_json::to_string(&got).expect("json"), want, "strategy `{label}` differs from one pass");
    }
}

#[test]
fn an_encoded_reference_side_reads_back_identically() {
    let (r, _, raw) = synthetic("large");
    let mut raw = raw.clone();
    raw.drift = true;
    let (rs, _) = spec_for(&r, &raw);
    let s = side(&rs, one_pass(&rs, &r), &r);
    let bytes = s.encode().expect("encode");
    assert_eq!(DriftSide::decode(&bytes).expect("decode"), s);
    for bad in [&b"not a side"[..], &bytes[..10], &bytes[..bytes.len() / 2]] {
        let err = DriftSide::decode(bad).expect_err("damaged bytes are refused");
        assert!(err.to_string().contains("drift reference"), "{err}");
    }
    let mut other_version = bytes.clone();
    other_version[15] ^= 0xff;
    assert!(DriftSide::decode(&other_version).expect_err("version").to_string().contains("format version"));
}

/// A two-column pair: `n` (integers, `n_ref(i)` in the reference and `n_ref(i) + 1000` in
/// the current file, so that it drifts) and `s` (three stable categories).
fn id_pair(rows: u64, n_ref: impl Fn(u64) -> u64, n_cur: impl Fn(u64) -> u64) -> (Vec<u8>, Vec<u8>) {
    let file = |f: &dyn Fn(u64) -> u64| {
        let mut t = String::from("n,s\n");
        for i in 0..rows {
            t.push_str(&format!("{},{}\n", f(i), ["a", "b", "c"][(i % 3) as usize]));
        }
        t.into_bytes()
    };
    (file(&n_ref), file(&|i| n_cur(i) + 1000))
}

#[test]
fn identifier_like_columns_are_compared_but_not_counted() {
    let raw = RawSpec::default();
    // Unique integers (no identifier-like name, inferred integer): the profile flags the
    // column identifier-like, so it is compared, drifts, and is left out of the share.
    let (r, c) = id_pair(300, |i| i, |i| i);
    let (rs, _) = specs(&r, &c, &raw);
    assert_eq!(rs.columns[0].ty, privaudit::ingest::value::ColumnType::Integer);
    let d = drift(&r, &c, &raw);
    let n = d.columns.iter().find(|x| x.column == "n").expect("n is compared");
    assert!(n.drifted && !n.in_share, "{n:?}");
    assert!(n.raw.ks_p_value.is_some() && n.psi.is_some(), "per-column statistics are kept");
    let ex: Vec<(&str, &str)> = d.excluded.iter().map(|e| (e.column.as_str(), e.reason.as_str())).collect();
    assert_eq!(
        ex,
        [(
            "n",
            "identifier-like in the reference file (300 distinct in 300 valid values (100.00 %)): compared, but not counted in the dataset share (Evidently counts it)"
        )]
    );
    assert_eq!((d.counted, d.drifted, d.share, d.dataset_drift), (1, 0, Some(0.0), false));

    // The same data with every value twice (150 distinct, 50 %): counted, and the dataset
    // drifts (1 of 2 columns).
    let (r2, c2) = id_pair(300, |i| i / 2, |i| i / 2);
    let d2 = drift(&r2, &c2, &raw);
    assert!(d2.columns.iter().any(|x| x.column == "n" && x.drifted && x.in_share));
    assert!(d2.excluded.is_empty(), "{:?}", d2.excluded);
    assert_eq!((d2.counted, d2.drifted, d2.share, d2.dataset_drift), (2, 1, Some(0.5), true));

    // The reference decides: unique values only in the current file are counted; unique
    // values only in the reference are not.
    let (r3, c3) = id_pair(300, |i| i / 2, |i| i);
    assert_eq!(drift(&r3, &c3, &raw).counted, 2);
    let (r4, c4) = id_pair(300, |i| i, |i| i / 2);
    assert_eq!(drift(&r4, &c4, &raw).counted, 1);

    // At the thresholds of quality/flags.rs: 95 % distinct is identifier-like, just below
    // is not; fewer than 100 valid values never are.
    let min = privaudit::quality::flags::IDENTIFIER_MIN_VALUES;
    let share = privaudit::quality::flags::IDENTIFIER_UNIQUE_SHARE;
    let dups = |k: u64| move |i: u64| if i < k { 0 } else { i }; // rows 0..k share one value
    let at = ((1.0 - share) * 400.0).round() as u64 + 1; // 400 rows, 380 distinct = 95 %
    for (rows, k, counted) in [(400, at, 1), (400, at + 1, 2), (min - 1, 0, 2), (min, 0, 1)] {
        let (r5, c5) = id_pair(rows, dups(k), dups(k));
        assert_eq!(drift(&r5, &c5, &raw).counted, counted, "{rows} rows, the first {k} equal");
    }

    // The decision does not depend on the split (distinct counts merge exactly).
    let (rs, cs) = specs(&r, &c, &raw);
    let want = serde_json::to_string(&d).expect("json");
    for (k, seed) in [(3, 1), (7, 5)] {
        let got = compare(
            &side(&rs, serialised_shuffled(&rs, &r, k, seed), &r),
            &side(&cs, random_chunks(&cs, &c, 97, seed), &c),
        );
        assert_eq!(serde_json::to_string(&got).expect("json"), want, "{k} ranges");
    }
}

#[test]
fn identifier_like_above_the_exact_distinct_cap_uses_the_estimate() {
    // 12,000 unique integers: the profile's distinct count is a HyperLogLog estimate.
    let (r, c) = id_pair(12_000, |i| i * 7, |i| i * 7);
    let d = drift(&r, &c, &RawSpec::default());
    let ex = d.excluded.iter().find(|e| e.column == "n").expect("n not counted");
    assert!(ex.reason.starts_with("identifier-like in the reference file (about "), "{}", ex.reason);
    assert_eq!((d.counted, d.dataset_drift), (1, false));
}
