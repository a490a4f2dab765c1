//! Correlations, quality by protected group and representativeness against the pinned
//! Python reference (`scripts/reference/correlation.py`: pandas `DataFrame.corr`, scipy
//! `chi2_contingency` and `chisquare`) on COMPAS and an Aequitas sample (skipped with a
//! notice when the shared datasets are absent), Spearman's sample path against its stated
//! standard error, and the independence of all three from the split.

mod common;
use common::shared;
use privaudit::quality::correlation_stats::CorrelationReport;
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;
use serde_json::Value;

const REBUILD: &str = "/tmp/venv-corr/bin/python scripts/reference/correlation.py --data ../shared/fairness-data";

const COMPAS_SPEC: &str = r#"{"correlations": {"enabled": true},
  "columns": [{"name": "race", "role": "protected"}, {"name": "sex", "role": "protected"}],
  "representativeness": {"race": {"African-American": 0.13, "Caucasian": 0.6, "Hispanic": 0.18,
    "Asian": 0.06, "Native American": 0.01}}}"#;
const ADULT_SPEC: &str = r#"{"correlations": {"enabled": true},
  "columns": [{"name": "gender", "role": "protected"}, {"name": "race", "role": "protected"}],
  "representativeness": {"gender": {"Female": 0.33, "Male": 0.67}}}"#;

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/correlation.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; rebuild with {REBUILD}", path.display()));
    serde_json::from_str(&text).expect("fixture json")
}

fn audit(spec: &str, bytes: &[u8], workers: usize) -> Report {
    let raw = RawSpec::from_json(spec).expect("spec");
    privaudit::audit_bytes(&raw, bytes, InputMeta::default(), workers).expect("audit")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs() || (a - b).abs() <= 1e-13
}

/// Checks every pair of the fixture; returns the largest absolute difference.
fn compare_pairs(c: &CorrelationReport, want: &Value) -> f64 {
    let names =
        |kind: &str| -> Vec<String> { c.columns.iter().filter(|k| k.kind == kind).map(|k| k.name.clone()).collect() };
    let as_names =
        |v: &Value| -> Vec<String> { v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect() };
    assert_eq!(names("numeric"), as_names(&want["numeric"]), "numeric columns");
    assert_eq!(names("categorical"), as_names(&want["categorical"]), "categorical columns");
    let pairs = want["pairs"].as_array().unwrap();
    assert_eq!(c.pairs.len(), pairs.len(), "number of pairs");
    let mut max_diff = 0.0f64;
    for w in pairs {
        let (a, b, m) = (w["a"].as_str().unwrap(), w["b"].as_str().unwrap(), &w["measure"]);
        let got = c
            .pairs
            .iter()
            .find(|p| p.a == a && p.b == b && serde_json::to_value(p.measure).unwrap() == *m)
            .unwrap_or_else(|| panic!("no pair {a} ~ {b} ({m})"));
        assert_eq!(got.n, w["n"].as_u64().unwrap(), "{a} ~ {b} ({m}): rows");
        match (got.value, w["value"].as_f64()) {
            (Some(x), Some(y)) => {
                assert!(close(x, y), "{a} ~ {b} ({m}): {x} vs {y}");
                max_diff = max_diff.max((x - y).abs());
            }
            (None, None) => {}
            (x, y) => panic!("{a} ~ {b} ({m}): {x:?} vs {y:?}"),
        }
    }
    // Strongest first.
    let abs: Vec<f64> = c.pairs.iter().map(|p| p.value.map_or(-1.0, f64::abs)).collect();
    assert!(abs.windows(2).all(|w| w[0] >= w[1]), "pairs are not sorted strongest first");
    max_diff
}

fn compare_groups(r: &Report, want: &Value) {
    let g = r.group_quality.as_ref().expect("group quality section");
    for (attr, w) in want.as_object().unwrap() {
        let a = g.attributes.iter().find(|a| &a.attribute == attr).expect("attribute");
        let rows: Vec<(String, u64)> = a.groups.iter().map(|x| (x.group.clone(), x.rows)).collect();
        let want_rows: Vec<(String, u64)> =
            w["rows"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap())).collect();
        assert_eq!(rows, want_rows, "{attr}: group sizes");
        for (col, per) in w["missing"].as_object().unwrap() {
            let c = a.columns.iter().find(|c| &c.column == col).unwrap_or_else(|| panic!("{attr}: no column {col}"));
            let want: Vec<u64> = a.groups.iter().map(|x| per[&x.group].as_u64().unwrap()).collect();
            assert_eq!(c.missing, want, "{attr} / {col}: missing per group");
            if let Some(gap) = &c.missing_gap {
                let rates: Vec<f64> = a
                    .groups
                    .iter()
                    .zip(&c.missing)
                    .filter(|(x, _)| x.rows >= g.min_group_size)
                    .map(|(x, &m)| m as f64 / x.rows as f64)
                    .collect();
                let (hi, lo) = rates.iter().fold((f64::MIN, f64::MAX), |(h, l), &v| (h.max(v), l.min(v)));
                assert_eq!((gap.high_rate, gap.low_rate, gap.gap), (hi, lo, hi - lo), "{attr} / {col}");
            }
        }
    }
}

fn compare_representativeness(r: &Report, want: &Value) {
    for (attr, w) in want.as_object().unwrap() {
        let rep = r.representativeness.iter().find(|x| &x.attribute == attr).expect("representativeness");
        assert!(rep.error.is_none(), "{:?}", rep.error);
        let groups: Vec<&str> = rep.groups.iter().map(|g| g.group.as_str()).collect();
        let want_groups: Vec<&str> = w["groups"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(groups, want_groups);
        for (k, g) in rep.groups.iter().enumerate() {
            assert_eq!(g.observed, w["observed"][k].as_u64().unwrap(), "{attr} {}", g.group);
            assert!(close(g.expected, w["expected"][k].as_f64().unwrap()), "{attr} {}: expected", g.group);
        }
        let chi = rep.chi_square.as_ref().expect("test");
        assert_eq!(chi.df, w["df"].as_u64().unwrap());
        let (s, p) = (w["statistic"].as_f64().unwrap(), w["p_value"].as_f64().unwrap());
        assert!(close(chi.statistic, s), "{attr}: χ² {} vs {s}", chi.statistic);
        assert!(close(chi.p_value, p), "{attr}: p {} vs {p}", chi.p_value);
    }
}

fn dataset(name: &str, rel: &str, spec: &str) -> Option<(Report, Vec<u8>)> {
    let p = shared(rel)?;
    let bytes = std::fs::read(p).expect("read");
    let r = audit(spec, &bytes, 1);
    let want = &fixture()["datasets"][name];
    assert_eq!(r.input.rows, want["rows"].as_u64().unwrap());
    let c = r.correlations.as_ref().expect("correlation section");
    assert!(c.spearman.exact, "{name}: Spearman should be exact within the row budget");
    let d = compare_pairs(c, want);
    eprintln!("{name}: {} pairs, max |privaudit − pandas/scipy| = {d:e}", c.pairs.len());
    compare_groups(&r, &want["groups"]);
    compare_representativeness(&r, &want["representativeness"]);
    Some((r, bytes))
}

#[test]
fn compas_matches_the_python_reference() {
    let Some((r, bytes)) = dataset("compas", "fairness-data/compas/compas-scores-two-years.csv", COMPAS_SPEC) else {
        return;
    };
    // Wide columns are left out of V and η with the reason.
    let c = r.correlations.as_ref().unwrap();
    let first = c.columns.iter().find(|k| k.name == "first").unwrap();
    assert!(first.note.as_deref().unwrap().contains("more than 50 distinct values"));
    // The same report from 3 workers (merged states).
    let r3 = audit(COMPAS_SPEC, &bytes, 3);
    assert_eq!(serde_json::to_string(&r.correlations).unwrap(), serde_json::to_string(&r3.correlations).unwrap());
    assert_eq!(serde_json::to_string(&r.group_quality).unwrap(), serde_json::to_string(&r3.group_quality).unwrap());
    // The report reads back.
    assert_eq!(Report::from_json(&r.to_json()).expect("round trip"), r);
}

#[test]
fn aequitas_adult_matches_the_python_reference() {
    let _ = dataset("aequitas_adult", "fairness-data/aequitas/adult_rf_binary.csv", ADULT_SPEC);
}

#[test]
fn spearman_on_a_sample_is_within_its_stated_error() {
    let Some(p) = shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(p).expect("read");
    let spec = COMPAS_SPEC.replace(r#""enabled": true"#, r#""enabled": true, "spearman_rows": 1500"#);
    let r = audit(&spec, &bytes, 2);
    let c = r.correlations.as_ref().unwrap();
    assert!(!c.spearman.exact);
    assert_eq!((c.spearman.sample_rows, c.spearman.rows), (1500, 7214));
    let want = &fixture()["datasets"]["compas"]["pairs"];
    let (mut checked, mut worst) = (0, 0.0f64);
    for p in c.pairs.iter().filter(|p| serde_json::to_value(p.measure).unwrap() == "spearman") {
        let w = want
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["a"] == p.a.as_str() && w["b"] == p.b.as_str() && w["measure"] == "spearman")
            .unwrap();
        let (Some(got), Some(exact)) = (p.value, w["value"].as_f64()) else { continue };
        assert!(p.n <= 1500, "{} ~ {}: {} rows", p.a, p.b, p.n);
        let Some(se) = p.standard_error else {
            assert!(p.n <= 3);
            continue;
        };
        // |ρ̂ − ρ| within 4 standard errors (a constant pair has se = 0 and must be exact).
        let z = (got - exact).abs() / se.max(1e-300);
        assert!((got - exact).abs() <= 4.0 * se + 1e-12, "{} ~ {}: {got} vs {exact}, se {se}", p.a, p.b);
        worst = worst.max(if se > 0.0 { z } else { 0.0 });
        checked += 1;
    }
    assert!(checked > 100, "{checked} pairs checked");
    eprintln!("Spearman sample of 1500/7214 rows: {checked} pairs, largest |error| / se = {worst:.2}");
    // Pearson stays exact on the full data.
    let d = c
        .pairs
        .iter()
        .filter(|p| serde_json::to_value(p.measure).unwrap() == "pearson")
        .filter_map(|p| {
            let w = want
                .as_array()
                .unwrap()
                .iter()
                .find(|w| w["a"] == p.a.as_str() && w["b"] == p.b.as_str() && w["measure"] == "pearson")?;
            Some((p.value? - w["value"].as_f64()?).abs())
        })
        .fold(0.0f64, f64::max);
    assert!(d < 1e-12, "{d}");
}

#[test]
fn spec_errors_name_the_field_and_values() {
    let bytes = b"g,x\na,1\nb,2\nc,3\n";
    let err = privaudit::audit_bytes(
        &RawSpec::from_json(r#"{"representativeness": {"g": {"a": 0.7, "b": 0.6}}}"#).unwrap(),
        bytes,
        InputMeta::default(),
        1,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("representativeness.g") && err.contains("more than 1"), "{err}");
    // Shares summing to 1 with a value the spec does not list: the section names it.
    let r = audit(r#"{"representativeness": {"g": {"a": 0.5, "b": 0.5}}}"#, bytes, 1);
    let e = r.representativeness[0].error.as_deref().unwrap();
    assert!(e.contains("`c`"), "{e}");
    // A remainder pools it as (other).
    let r = audit(r#"{"representativeness": {"g": {"a": 0.5, "b": 0.25}}}"#, bytes, 1);
    let g = &r.representativeness[0].groups;
    assert_eq!((g[2].group.as_str(), g[2].observed, g[2].expected_share), ("(other)", 1, 0.25));
}

#[test]
fn group_missing_gap_warns_and_skips_small_groups() {
    // Group a: 40 rows, x missing in 20; group b: 40 rows, none missing; group c: 5 rows.
    let mut csv = String::from("g,x\n");
    for i in 0..40 {
        csv.push_str(&format!("a,{}\n", if i % 2 == 0 { "".to_string() } else { i.to_string() }));
        csv.push_str(&format!("b,{i}\n"));
    }
    for _ in 0..5 {
        csv.push_str("c,\n");
    }
    csv.push_str(",7\n");
    let r = audit(r#"{"columns": [{"name": "g", "role": "protected"}]}"#, csv.as_bytes(), 1);
    let o = r.checks.iter().find(|o| o.id == "group_missing_gap").expect("outcome");
    assert_eq!(o.status, privaudit::quality::checks::Status::Warn);
    assert_eq!((o.observed, o.column.as_deref(), o.group.as_deref()), (Some(0.5), Some("x"), Some("g")));
    let a = &r.group_quality.as_ref().unwrap().attributes[0];
    let groups: Vec<(&str, u64)> = a.groups.iter().map(|g| (g.group.as_str(), g.rows)).collect();
    assert_eq!(groups, vec![("a", 40), ("b", 40), ("c", 5), ("(unknown)", 1)]);
    let gap = a.columns[0].missing_gap.as_ref().unwrap();
    assert_eq!((gap.high.as_str(), gap.low.as_str(), gap.high_n), ("a", "b", 40));
    // With min_group_size = 3, group c (all missing) is compared.
    let r = audit(
        r#"{"columns": [{"name": "g", "role": "protected"}], "checks": {"group_missing_gap": {"min_group_size": 3}}}"#,
        csv.as_bytes(),
        1,
    );
    let gap = r.group_quality.as_ref().unwrap().attributes[0].columns[0].missing_gap.clone().unwrap();
    assert_eq!((gap.high.as_str(), gap.gap), ("c", 1.0));
}

/// The unparseable rate by group: per-group counts, the largest gap, and both tables in
/// the HTML with the largest gap highlighted.
#[test]
fn group_unparseable_gap_is_counted_and_shown() {
    // Group a: 40 rows, 10 of x unreadable ("n/k"); group b: 40 rows, 2 unreadable.
    let mut csv = String::from("g,x\n");
    for i in 0..40 {
        csv.push_str(&format!("a,{}\n", if i % 4 == 0 { "n/k".to_string() } else { i.to_string() }));
        csv.push_str(&format!("b,{}\n", if i % 20 == 0 { "n/k".to_string() } else { i.to_string() }));
    }
    let spec = r#"{"columns": [{"name": "g", "role": "protected"}, {"name": "x", "type": "integer"}]}"#;
    let r = audit(spec, csv.as_bytes(), 2);
    let a = &r.group_quality.as_ref().expect("group quality").attributes[0];
    let x = a.columns.iter().find(|c| c.column == "x").expect("x");
    assert_eq!(x.unparseable, vec![10, 2]);
    assert_eq!(x.missing, vec![0, 0]);
    let gap = x.unparseable_gap.as_ref().expect("gap");
    assert_eq!((gap.high.as_str(), gap.low.as_str(), gap.gap), ("a", "b", 0.2));
    let o = r.checks.iter().find(|o| o.id == "group_unparseable_gap").expect("gate");
    assert_eq!(o.status, privaudit::quality::checks::Status::Warn);
    assert_eq!((o.observed, o.column.as_deref(), o.group.as_deref()), (Some(0.2), Some("x"), Some("g")));
    assert!(!r.checks.iter().any(|o| o.id == "group_missing_gap"), "no missing cells: no missing gate");
    let html = r.to_html();
    assert!(html.contains("Largest unparseable-rate gap"), "unparseable table");
    assert!(html.contains("<b>+20.0 pp (a vs b)</b>"), "largest gap highlighted, in percentage points");
    assert!(html.contains("No column has a missing-rate gap between groups."));
}

/// The representation gate: one outcome per group, observed share ÷ reference share,
/// warning below 0.8 by default (a per-column threshold overrides it).
#[test]
fn representation_ratio_gate() {
    let mut csv = String::from("g\n");
    for (v, n) in [("a", 60), ("b", 30), ("c", 10)] {
        (0..n).for_each(|_| csv.push_str(&format!("{v}\n")));
    }
    let spec = r#"{"representativeness": {"g": {"a": 0.5, "b": 0.3, "c": 0.2}}}"#;
    let r = audit(spec, csv.as_bytes(), 2);
    let got: Vec<(String, privaudit::quality::checks::Status, Option<f64>)> = r
        .checks
        .iter()
        .filter(|o| o.id == "representation_ratio")
        .map(|o| (o.group.clone().unwrap_or_default(), o.status, o.observed))
        .collect();
    use privaudit::quality::checks::Status::{Pass, Warn};
    let close = |x: Option<f64>, y: f64| x.is_some_and(|x| (x - y).abs() < 1e-12);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].0 == "a" && got[0].1 == Pass && close(got[0].2, 1.2));
    assert!(got[1].0 == "b" && got[1].1 == Pass && close(got[1].2, 1.0));
    assert!(got[2].0 == "c" && got[2].1 == Warn && close(got[2].2, 0.5));
    let relaxed = audit(
        r#"{"representativeness": {"g": {"a": 0.5, "b": 0.3, "c": 0.2}}, "checks": {"representation_ratio": {"columns": {"g": 0.4}}}}"#,
        csv.as_bytes(),
        1,
    );
    assert!(relaxed.checks.iter().filter(|o| o.id == "representation_ratio").all(|o| o.status == Pass));
}

/// Correlations switched off by the default rule (more than 10 eligible columns) say so
/// in the report's notices; switched on, or with 10 columns, there is no such notice.
#[test]
fn correlations_off_by_default_on_wide_files_say_so() {
    let table = |k: usize| {
        let mut csv = (0..k).map(|j| format!("c{j}")).collect::<Vec<_>>().join(",") + "\n";
        for i in 0..30 {
            csv += &((0..k).map(|j| ((i * (j + 3)) % 17).to_string()).collect::<Vec<_>>().join(",") + "\n");
        }
        csv
    };
    let notice = |r: &Report| r.notices.iter().any(|n| n.starts_with("correlations not computed: 11 numeric"));
    let wide = audit("{}", table(11).as_bytes(), 1);
    assert!(wide.correlations.is_none() && notice(&wide), "{:?}", wide.notices);
    let on = audit(r#"{"correlations": {"enabled": true}}"#, table(11).as_bytes(), 1);
    assert!(on.correlations.is_some() && !notice(&on));
    let off = audit(r#"{"correlations": {"enabled": false}}"#, table(11).as_bytes(), 1);
    assert!(off.correlations.is_none() && !off.notices.iter().any(|n| n.starts_with("correlations not computed")));
    let narrow = audit("{}", table(10).as_bytes(), 1);
    assert!(narrow.correlations.is_some() && !narrow.notices.iter().any(|n| n.starts_with("correlations")));
}

#[test]
fn html_escapes_names_and_draws_the_heat_map() {
    let csv = "<b>x</b>,y,\"g&<i>\"\n1,2,a\n2,4,b\n3,5,a\n4,9,b\n5,8,c\n";
    let r = audit(r#"{"correlations": {"enabled": true}}"#, csv.as_bytes(), 1);
    let h = privaudit::report::html::render(&r);
    assert!(h.contains("Correlation heat map") && h.contains("&lt;b&gt;x&lt;/b&gt;"));
    assert!(!h.contains("<b>x</b>") && !h.contains("<i>"));
    let c = r.correlations.as_ref().unwrap();
    let p =
        c.pairs.iter().find(|p| p.a == "<b>x</b>" && p.b == "y" && format!("{:?}", p.measure) == "Pearson").unwrap();
    // numpy.corrcoef([1, 2, 3, 4, 5], [2, 4, 5, 9, 8])[0, 1]
    assert!((p.value.unwrap() - 0.9329962099123679).abs() < 1e-15, "{:?}", p.value);
}
