//! The numeric column profile against pandas and numpy on real datasets.
//!
//! `tests/data/reference/profile.json` is written by `scripts/reference/profile.py` (library
//! versions are recorded in it): per numeric column of COMPAS and Aequitas' adult sample,
//! count, sum, mean, std, skew, kurt, min, max, zeros, negatives, the quantiles p01 … p99,
//! histogram, IQR and robust-z outlier counts (MAD also against scipy), the median's
//! occurrences and the mode (pandas `value_counts`); per date column the count, distinct,
//! range and most frequent value's count (pandas `to_datetime`, `value_counts`).
//! Every column privaudit types as integer or float must be in the fixture (matched by
//! position) with the same count, and every statistic must agree to 1e-9 relative (the
//! quantiles, min, max and counts exactly). The CSVs are in the shared workspace, not in the
//! repository: without them the test prints a notice and returns.
//!
//! Run with `--nocapture` to see the largest relative difference per statistic.

mod common;

use common::{one_pass, ranges, report, shared, spec_for};
use privaudit::ingest::value::ColumnType;
use privaudit::spec::RawSpec;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const REBUILD: &str = "python3 -m venv /tmp/venv-numprof && /tmp/venv-numprof/bin/pip install pandas==2.3.3 numpy==2.3.5 && /tmp/venv-numprof/bin/python scripts/reference/profile.py --data ../shared/fairness-data";

fn fixture() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/profile.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}; rebuild it with `{REBUILD}`", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}; rebuild it with `{REBUILD}`", path.display()))
}

/// |got − want| ≤ tol·|want| (both undefined also agrees); records the relative difference.
fn check(
    worst: &mut BTreeMap<&'static str, f64>,
    what: &'static str,
    ctx: &str,
    got: Option<f64>,
    want: &Value,
    tol: f64,
) {
    let want = want.as_f64();
    match (got, want) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            let rel = if g == w { 0.0 } else { (g - w).abs() / w.abs().max(f64::MIN_POSITIVE) };
            assert!(rel <= tol, "{ctx} {what}: privaudit {g:e}, reference {w:e} (relative {rel:e})");
            let e = worst.entry(what).or_default();
            *e = e.max(rel);
        }
        (g, w) => panic!("{ctx} {what}: privaudit {g:?}, reference {w:?}"),
    }
}

#[test]
fn numeric_profile_matches_pandas() {
    let fx = fixture();
    let files = fx["files"].as_object().expect("files");
    let mut worst: BTreeMap<&'static str, f64> = BTreeMap::new();
    let mut compared = 0;
    for (rel, want) in files {
        let Some(path) = shared(&format!("fairness-data/{rel}")) else { return };
        let bytes = std::fs::read(&path).expect("read dataset");
        // Exact quantiles for every column, whatever its size.
        let raw = RawSpec::from_json(r#"{"profile":{"quantile_passes":true}}"#).expect("spec");
        let (spec, meta) = spec_for(&bytes, &raw);
        let rep = report(&spec, one_pass(&spec, &bytes), &meta, &bytes);
        // A split run gives the same numbers (byte-identical JSON).
        let split = report(&spec, ranges(&spec, &bytes, 3, 1 << 10), &meta, &bytes);
        assert_eq!(rep.to_json(), split.to_json(), "{rel}: split run differs");
        let cols = want["columns"].as_array().expect("columns");
        for (i, c) in rep.columns.iter().enumerate() {
            if !matches!(c.ty, ColumnType::Integer | ColumnType::Float) {
                continue;
            }
            let ctx = format!("{rel} column {i} ({})", c.name);
            let w = cols
                .iter()
                .find(|w| w["index"].as_u64() == Some(i as u64))
                .unwrap_or_else(|| panic!("{ctx}: typed numeric by privaudit but not numeric for pandas"));
            let m = c.stats.numeric.as_ref().expect("numeric stats");
            assert_eq!(Some(m.count), w["count"].as_u64(), "{ctx}: count");
            assert_eq!(Some(m.zeros), w["zeros"].as_u64(), "{ctx}: zeros");
            assert_eq!(Some(m.negatives), w["negatives"].as_u64(), "{ctx}: negatives");
            check(&mut worst, "sum", &ctx, Some(m.sum), &w["sum"], 1e-15);
            check(&mut worst, "mean", &ctx, m.mean, &w["mean"], 1e-9);
            check(&mut worst, "std", &ctx, m.std, &w["std"], 1e-9);
            check(&mut worst, "skew", &ctx, m.skewness, &w["skew"], 1e-9);
            check(&mut worst, "kurt", &ctx, m.kurtosis, &w["kurt"], 1e-9);
            check(&mut worst, "min", &ctx, m.min, &w["min"], 0.0);
            check(&mut worst, "max", &ctx, m.max, &w["max"], 0.0);
            let q = c.stats.quantiles.as_ref().unwrap_or_else(|| panic!("{ctx}: no quantiles"));
            let wq = w["quantiles"].as_array().expect("quantiles");
            assert_eq!(q.len(), wq.len(), "{ctx}: quantile count");
            for (p, wp) in q.iter().zip(wq) {
                assert_eq!(Some(p.q), wp[0].as_f64(), "{ctx}: probability");
                check(&mut worst, "quantile", &ctx, Some(p.value), &wp[1], 0.0);
            }
            shape_matches(&mut worst, &ctx, &c.stats, w);
            mode_matches(&ctx, &c.stats, w);
            compared += 1;
        }
    }
    assert!(compared >= 15, "only {compared} numeric columns compared");
    let estimated = sketch_estimates_within_bound(files);
    assert!(estimated >= 15, "only {estimated} columns estimated");
    eprintln!("profile vs pandas/numpy: {compared} columns; largest relative difference per statistic: {worst:?}");
}

/// Date and date-time columns against pandas (`to_datetime`, UTC): count, distinct, range
/// and the most frequent value's count and share (`value_counts().iloc[0]`), all exact, and
/// the near-constant gate reading that count. Every column privaudit types as a date must be
/// in the fixture, and every fixture date column must be typed as one. A split run agrees.
#[test]
fn date_profile_matches_pandas() {
    let fx = fixture();
    let mut compared = 0;
    for (rel, want) in fx["files"].as_object().expect("files") {
        let Some(path) = shared(&format!("fairness-data/{rel}")) else { return };
        let bytes = std::fs::read(&path).expect("read dataset");
        // Show the ranges of identifier-like date-times too, to compare them.
        let raw = RawSpec::from_json(r#"{"profile":{"show_sensitive_values":true}}"#).expect("spec");
        let (spec, meta) = spec_for(&bytes, &raw);
        let rep = report(&spec, one_pass(&spec, &bytes), &meta, &bytes);
        let split = report(&spec, ranges(&spec, &bytes, 3, 1 << 10), &meta, &bytes);
        assert_eq!(rep.to_json(), split.to_json(), "{rel}: split run differs");
        let dates = want["dates"].as_array().expect("dates");
        let typed: Vec<usize> = rep
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.ty, ColumnType::Date | ColumnType::Datetime))
            .map(|(i, _)| i)
            .collect();
        let fixture_ix: Vec<usize> = dates.iter().map(|d| d["index"].as_u64().expect("index") as usize).collect();
        assert_eq!(typed, fixture_ix, "{rel}: the date columns of privaudit and of the fixture");
        for w in dates {
            let i = w["index"].as_u64().expect("index") as usize;
            let c = &rep.columns[i];
            let ctx = format!("{rel} column {i} ({})", c.name);
            let kind = if c.ty == ColumnType::Date { "date" } else { "datetime" };
            assert_eq!(Some(kind), w["kind"].as_str(), "{ctx}: kind");
            let s = &c.stats;
            assert_eq!(Some(s.valid), w["count"].as_u64(), "{ctx}: count");
            assert!(s.distinct.exact, "{ctx}: distinct is exact below 10,000");
            assert_eq!(Some(s.distinct.value), w["distinct"].as_u64(), "{ctx}: distinct");
            let t = s.temporal.as_ref().unwrap_or_else(|| panic!("{ctx}: no range"));
            assert_eq!((Some(t.min.as_str()), Some(t.max.as_str())), (w["min"].as_str(), w["max"].as_str()), "{ctx}");
            let m = s.mode.as_ref().unwrap_or_else(|| panic!("{ctx}: no mode ({:?})", s.mode_note));
            assert_eq!(m.count, w["mode"]["count"].as_u64(), "{ctx}: mode count");
            assert_eq!(m.share, w["mode"]["share"].as_f64(), "{ctx}: mode share");
            assert_eq!(m.share_at_most, None, "{ctx}: dates have exact counts");
            let gate = rep
                .checks
                .iter()
                .find(|o| o.id == "near_constant_column" && o.column.as_deref() == Some(c.name.as_str()));
            let gate = gate.unwrap_or_else(|| panic!("{ctx}: no near-constant gate"));
            assert_eq!(gate.observed, m.share, "{ctx}: the gate reads the mode's share");
            compared += 1;
        }
    }
    assert!(compared >= 14, "only {compared} date columns compared");
    eprintln!("dates vs pandas: {compared} columns agree exactly");
}

/// Missing values by token on the real datasets, for every column, against the reference
/// (pandas, the column read as text); and a synthetic table with every kind: tokens in
/// other cases and padded, the empty field, short rows and a NaN number that is not a token.
#[test]
fn missing_by_token_matches_pandas() {
    let fx = fixture();
    let mut compared = 0;
    for (rel, want) in fx["files"].as_object().expect("files") {
        let Some(path) = shared(&format!("fairness-data/{rel}")) else { return };
        let bytes = std::fs::read(&path).expect("read dataset");
        let (spec, meta) = spec_for(&bytes, &RawSpec::default());
        let rep = report(&spec, ranges(&spec, &bytes, 3, 1 << 12), &meta, &bytes);
        for w in want["missing"].as_array().expect("missing") {
            let c = &rep.columns[w["index"].as_u64().expect("index") as usize];
            let got: BTreeMap<String, u64> =
                c.stats.missing_by_token.iter().map(|m| (m.what.clone(), m.count)).collect();
            let want: BTreeMap<String, u64> = w["by_token"]
                .as_object()
                .expect("by_token")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().expect("count")))
                .collect();
            assert_eq!(got, want, "{rel} column {}", c.name);
            assert_eq!(c.stats.missing, got.values().sum::<u64>(), "{rel} column {}: the kinds add up", c.name);
            compared += usize::from(!got.is_empty());
        }
    }
    assert!(compared >= 15, "only {compared} columns with missing values compared");
    let csv = "a,x,n\nNA,1,1\n na ,2,nan\n,3,2\nN/A,4\n?,5,3\nx,-,4\n";
    let raw = RawSpec::from_json(
        r#"{"input": {"missing_tokens": ["", "NA", "N/A", "?", "-"]},
            "columns": [{"name": "a", "type": "categorical"}, {"name": "x", "type": "integer"}, {"name": "n", "type": "float"}]}"#,
    )
    .expect("spec");
    let r = privaudit::audit_bytes(&raw, csv.as_bytes(), privaudit::report::InputMeta::default(), 2).expect("audit");
    let kinds = |name: &str| -> Vec<(String, u64)> {
        let c = r.columns.iter().find(|c| c.name == name).expect("column");
        c.stats.missing_by_token.iter().map(|m| (m.what.clone(), m.count)).collect()
    };
    let t = |s: &str, n: u64| (s.to_string(), n);
    assert_eq!(
        kinds("a"),
        [t(r#"token "" (empty field)"#, 1), t(r#"token "?""#, 1), t(r#"token "n/a""#, 1), t(r#"token "na""#, 2)]
    );
    assert_eq!(kinds("x"), [t(r#"token "-""#, 1)]);
    assert_eq!(kinds("n"), [t("field absent (short row)", 1), t("number NaN (not a token)", 1)]);
    assert!(r.to_html().contains(r#"token &quot;na&quot;: 2"#), "the HTML names the tokens");
}

/// Histogram (counts exact, edges to 1e-12 relative) and outlier counts (exact, fences and
/// MAD exact) against numpy.
fn shape_matches(
    worst: &mut BTreeMap<&'static str, f64>,
    ctx: &str,
    s: &privaudit::quality::profile::ColumnStats,
    w: &Value,
) {
    let h = s.histogram.as_ref().unwrap_or_else(|| panic!("{ctx}: no histogram ({:?})", s.shape_note));
    let wh = &w["histogram"];
    let counts: Vec<u64> =
        wh["counts"].as_array().expect("counts").iter().map(|c| c.as_u64().expect("count")).collect();
    assert_eq!(h.counts, counts, "{ctx}: histogram counts");
    assert!(h.exact, "{ctx}: histogram from values in memory is exact");
    let edges = wh["edges"].as_array().expect("edges");
    assert_eq!(h.edges.len(), edges.len(), "{ctx}: edges");
    for (e, we) in h.edges.iter().zip(edges) {
        check(worst, "histogram edge", ctx, Some(*e), we, 1e-12);
    }
    let o = s.outliers.as_ref().unwrap_or_else(|| panic!("{ctx}: no outliers"));
    let wo = &w["outliers"];
    assert_eq!(Some(o.iqr.count), wo["iqr"]["count"].as_u64(), "{ctx}: IQR outliers");
    check(worst, "IQR fence", ctx, Some(o.iqr.low_fence), &wo["iqr"]["low_fence"], 0.0);
    check(worst, "IQR fence", ctx, Some(o.iqr.high_fence), &wo["iqr"]["high_fence"], 0.0);
    let count = s.numeric.as_ref().map_or(0, |m| m.count);
    assert_eq!(o.iqr.share, o.iqr.count as f64 / count as f64, "{ctx}: IQR share");
    match (&o.robust_z, wo["robust_z"].is_null()) {
        (None, true) => assert!(o.robust_z_note.is_some(), "{ctx}: MAD 0 must be explained"),
        (Some(z), false) => {
            assert_eq!(Some(z.count), wo["robust_z"]["count"].as_u64(), "{ctx}: robust z outliers");
            check(worst, "MAD", ctx, Some(z.mad), &wo["robust_z"]["mad"], 0.0);
            check(worst, "median", ctx, Some(z.median), &wo["robust_z"]["median"], 0.0);
        }
        (z, _) => panic!("{ctx}: robust z {z:?}, reference {}", wo["robust_z"]),
    }
}

/// The mode against pandas `value_counts()` (exact when it holds more than half the values,
/// else the bound ½), and the near-constant gate that reads it.
fn mode_matches(ctx: &str, s: &privaudit::quality::profile::ColumnStats, w: &Value) {
    let mode = s.mode.as_ref().unwrap_or_else(|| panic!("{ctx}: no mode ({:?})", s.mode_note));
    let wm = &w["mode"];
    assert_eq!(mode.count, wm["count"].as_u64(), "{ctx}: mode count");
    assert_eq!(mode.share, wm["share"].as_f64(), "{ctx}: mode share");
    assert_eq!(mode.share_at_most, wm["share_at_most"].as_f64(), "{ctx}: mode bound");
    if let Some(c) = mode.count {
        assert_eq!(Some(c), w["at_median"].as_u64(), "{ctx}: the majority value is the median");
    }
}

/// With a budget of 100 values and no extra passes, columns get sketch estimates: each within
/// its stated bound, α·max(|x₍⌊h⌋₎|, |x₍⌊h⌋+1₎|), of numpy's exact quantile.
fn sketch_estimates_within_bound(files: &serde_json::Map<String, Value>) -> usize {
    let mut estimated = 0;
    let mut worst = 0.0f64;
    for (rel, want) in files {
        let Some(path) = shared(&format!("fairness-data/{rel}")) else { return usize::MAX };
        let bytes = std::fs::read(&path).expect("read dataset");
        let raw = RawSpec::from_json(r#"{"profile":{"quantile_values_in_memory":100}}"#).expect("spec");
        let (spec, meta) = spec_for(&bytes, &raw);
        let rep = report(&spec, one_pass(&spec, &bytes), &meta, &bytes);
        assert_eq!(rep.input.passes, 1);
        let cols = want["columns"].as_array().expect("columns");
        for (i, c) in rep.columns.iter().enumerate() {
            let Some(w) = cols.iter().find(|w| w["index"].as_u64() == Some(i as u64)) else { continue };
            if !matches!(c.ty, ColumnType::Integer | ColumnType::Float) || w["count"].as_u64() <= Some(100) {
                continue;
            }
            // No histogram from the sketch: the report says so and how to get one.
            assert!(c.stats.histogram.is_none() && c.stats.outliers.is_none(), "{rel} column {i}: histogram");
            assert!(c.stats.shape_note.as_deref().is_some_and(|n| n.contains("quantile_passes = true")));
            assert!(c.stats.mode.is_none(), "{rel} column {i}: mode");
            assert!(c.stats.mode_note.as_deref().is_some_and(|n| n.contains("quantile_passes is off")));
            let q = c.stats.quantiles.as_ref().expect("estimates");
            for ((p, wp), nb) in
                q.iter().zip(w["quantiles"].as_array().expect("q")).zip(w["neighbours"].as_array().expect("n"))
            {
                let alpha = p.relative_error.expect("an estimate states its accuracy");
                let exact = wp[1].as_f64().expect("exact");
                let scale = nb[0].as_f64().expect("lo").abs().max(nb[1].as_f64().expect("hi").abs());
                let err = (p.value - exact).abs();
                assert!(
                    err <= alpha * scale,
                    "{rel} column {i} q {}: estimate {}, exact {exact}, bound {}",
                    p.q,
                    p.value,
                    alpha * scale
                );
                if scale > 0.0 {
                    worst = worst.max(err / scale);
                }
            }
            estimated += 1;
        }
    }
    eprintln!("sketch estimates: {estimated} columns; largest error / max|neighbour| = {worst:e} (bound 1/128)");
    estimated
}

/// With extra passes on and a budget of 100 values, histograms, IQR and robust-z outlier
/// counts (the MAD from the radix search over |x − m|) and the mode of the larger columns
/// come from planned passes: equal to the in-memory path and to numpy/pandas, and identical
/// for a split run.
#[test]
fn planned_pass_histograms_equal_in_memory_ones() {
    let fx = fixture();
    let mut planned = 0;
    for (rel, want) in fx["files"].as_object().expect("files") {
        let Some(path) = shared(&format!("fairness-data/{rel}")) else { return };
        let bytes = std::fs::read(&path).expect("read dataset");
        let run = |json: &str| {
            let raw = RawSpec::from_json(json).expect("spec");
            let (spec, meta) = spec_for(&bytes, &raw);
            let rep = report(&spec, one_pass(&spec, &bytes), &meta, &bytes);
            let split = report(&spec, ranges(&spec, &bytes, 3, 1 << 10), &meta, &bytes);
            assert_eq!(rep.to_json(), split.to_json(), "{rel}: split run differs");
            rep
        };
        let memory = run(r#"{"profile":{"quantile_passes":true}}"#);
        let passes = run(r#"{"profile":{"quantile_passes":true,"quantile_values_in_memory":100}}"#);
        assert!(passes.input.passes > 2, "{rel}: expected quantile, MAD and histogram passes");
        eprintln!("{rel}: {} passes with 100 values in memory", passes.input.passes);
        let cols = want["columns"].as_array().expect("columns");
        for (i, (m, p)) in memory.columns.iter().zip(&passes.columns).enumerate() {
            if !matches!(p.ty, ColumnType::Integer | ColumnType::Float) {
                continue;
            }
            let ctx = format!("{rel} column {i} ({})", p.name);
            let w = cols.iter().find(|w| w["index"].as_u64() == Some(i as u64)).expect("reference column");
            assert_eq!(p.stats.histogram, m.stats.histogram, "{ctx}: histogram");
            assert_eq!(p.stats.outliers, m.stats.outliers, "{ctx}: outliers");
            assert_eq!(p.stats.mode, m.stats.mode, "{ctx}: mode");
            if w["count"].as_u64() > Some(100) {
                planned += 1;
            }
            mode_matches(&ctx, &p.stats, w);
            shape_matches(&mut BTreeMap::new(), &ctx, &p.stats, w);
        }
    }
    assert!(planned >= 15, "only {planned} columns counted by the planned pass");
}
