//! Proxy detection against the pinned Python reference (`scripts/reference/proxies.py`:
//! scipy `chi2_contingency` for the bias-corrected Cramér's V, `math.fsum` for η) on a
//! synthetic table (committed) and on COMPAS (skipped with a notice when the shared
//! datasets are absent), and its independence from the split.

mod common;
use privaudit::fairness::proxy_stats::{Association, ProxyReport};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;
use serde_json::Value;

const REBUILD: &str = "/tmp/fairness-ref/bin/python scripts/reference/proxies.py --data ../shared/fairness-data";
const SYNTHETIC: &[u8] = include_bytes!("data/reference/proxy_synthetic.csv");
const SYNTHETIC_SPEC: &str =
    r#"{"bias": {"protected": ["group"], "prediction": "decision", "positive_prediction": "approve"}}"#;
const COMPAS_SPEC: &str = r#"{"bias": {"protected": ["race", "sex"], "label": "two_year_recid",
    "positive_label": "1", "score": "decile_score", "threshold": 5, "positive_is_favourable": false}}"#;

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/proxies.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; rebuild with {REBUILD}", path.display()));
    serde_json::from_str(&text).expect("fixture json")
}

fn audit(spec: &str, bytes: &[u8], workers: usize) -> Report {
    let raw = RawSpec::from_json(spec).expect("spec");
    privaudit::audit_bytes(&raw, bytes, InputMeta::default(), workers).expect("audit")
}

fn proxies(r: &Report) -> &ProxyReport {
    r.bias.as_ref().and_then(|b| b.proxies.as_ref()).expect("proxy section")
}

/// Compares every fixture entry with the report; returns the largest absolute difference.
fn compare(report: &ProxyReport, want: &Value, tol: f64) -> f64 {
    let mut max_diff = 0.0f64;
    let entries = want.as_array().expect("entries");
    assert!(!entries.is_empty());
    for w in entries {
        let (p, c) = (w["protected"].as_str().unwrap(), w["column"].as_str().unwrap());
        let got: &Association = report
            .associations
            .iter()
            .find(|a| a.protected == p && a.column == c)
            .unwrap_or_else(|| panic!("no association {p} ~ {c}"));
        assert_eq!(serde_json::to_value(got.measure).unwrap(), w["measure"], "{p} ~ {c}");
        assert_eq!(got.n, w["n"].as_u64().unwrap(), "{p} ~ {c}: rows used");
        match (got.value, w["value"].as_f64()) {
            (Some(a), Some(b)) => {
                let d = (a - b).abs();
                assert!(d <= tol, "{p} ~ {c}: {a} vs {b} (diff {d:e})");
                max_diff = max_diff.max(d);
            }
            (None, None) => {}
            (a, b) => panic!("{p} ~ {c}: {a:?} vs {b:?}"),
        }
    }
    max_diff
}

#[test]
fn synthetic_matches_the_python_reference() {
    let r = audit(SYNTHETIC_SPEC, SYNTHETIC, 1);
    let p = proxies(&r);
    let d = compare(p, &fixture()["datasets"]["synthetic"], 1e-12);
    eprintln!("synthetic: max |privaudit − python| = {d:e}");
    let region = p.associations.iter().find(|a| a.column == "region").unwrap();
    assert!(region.flagged && region.value.unwrap() > 0.9);
    assert_eq!(region.column_levels, Some(50));
    assert_eq!(region.pooled.as_deref(), Some("column: 80 levels, the 49 most frequent kept and 31 pooled as (other)"));
    assert!(p.associations.iter().find(|a| a.column == "income").unwrap().flagged);
    assert!(!p.associations.iter().find(|a| a.column == "noise_level").unwrap().flagged);
    // The prediction column is not a candidate; it is listed as skipped.
    assert!(p.skipped.iter().any(|s| s.column == "decision" && s.reason == "the prediction"));
    assert!(p.skipped.iter().any(|s| s.column == "group" && s.reason == "the protected attribute"));
}

#[test]
fn intersection_proxies_match_the_python_reference() {
    let spec =
        r#"{"bias": {"protected": ["group", "member"], "prediction": "decision", "positive_prediction": "approve"}}"#;
    let r = audit(spec, SYNTHETIC, 2);
    let p = proxies(&r);
    let d = compare(p, &fixture()["datasets"]["synthetic_intersection"], 1e-12);
    eprintln!("synthetic group × member: max |privaudit − python| = {d:e}");
    let region = p.associations.iter().find(|a| a.protected == "group × member" && a.column == "region").unwrap();
    assert_eq!((region.protected_levels, region.column_levels), (6, Some(50)), "3 groups × 2 member values");
    let single = spec.replace("\"approve\"}", "\"approve\", \"intersections\": false}");
    assert!(proxies(&audit(&single, SYNTHETIC, 1)).associations.iter().all(|a| !a.protected.contains('×')));
}

#[test]
fn compas_matches_the_python_reference() {
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(path).expect("read COMPAS");
    let Some(want) = fixture()["datasets"].get("compas").cloned() else {
        panic!("the fixture has no COMPAS entry; rebuild with {REBUILD}")
    };
    let r = audit(COMPAS_SPEC, &bytes, 2);
    let d = compare(proxies(&r), &want, 1e-12);
    eprintln!("COMPAS: max |privaudit − python| = {d:e}");
}

#[test]
fn threshold_and_switch_come_from_the_spec() {
    let spec = SYNTHETIC_SPEC.replace("\"approve\"}", "\"approve\", \"proxy_threshold\": 0.95}");
    let r = audit(&spec, SYNTHETIC, 1);
    let p = proxies(&r);
    assert_eq!(p.threshold, 0.95);
    assert!(p.associations.iter().all(|a| !a.flagged));
    let off = SYNTHETIC_SPEC.replace("\"approve\"}", "\"approve\", \"proxies\": false}");
    assert!(audit(&off, SYNTHETIC, 1).bias.unwrap().proxies.is_none());
    let bad = SYNTHETIC_SPEC.replace("\"approve\"}", "\"approve\", \"proxy_threshold\": 2}");
    let e = privaudit::audit_bytes(&RawSpec::from_json(&bad).unwrap(), SYNTHETIC, InputMeta::default(), 1).unwrap_err();
    assert!(e.to_string().contains("bias.proxy_threshold"), "{e}");
}

#[test]
fn proxy_table_in_html_is_escaped() {
    let mut csv = String::from("g,<i>zone</i>,d\n");
    for i in 0..200 {
        let g = ["a", "b"][i % 2];
        csv.push_str(&format!("{g},<b>{}</b>,{}\n", if i % 2 == 0 { "north" } else { "south" }, ["y", "n"][i % 3 % 2]));
    }
    let spec = r#"{"bias": {"protected": ["g"], "prediction": "d", "positive_prediction": "y"}}"#;
    let r = audit(spec, csv.as_bytes(), 1);
    let zone = proxies(&r).associations.iter().find(|a| a.column == "<i>zone</i>").expect("zone");
    assert!(zone.flagged && zone.value.unwrap() > 0.9, "{zone:?}");
    let h = r.to_html();
    assert!(h.contains("&lt;i&gt;zone&lt;/i&gt;") && !h.contains("<i>zone"), "the column name is escaped");
    assert!(h.contains("<h3>Proxies</h3>"));
}

#[test]
fn an_abandoned_table_still_counts_excluded_rows() {
    // 108,000 distinct levels: the (protected, column) table is abandoned past 100,000
    // pairs; rows after that are still counted as used or excluded (missing value).
    let mut csv = String::from("g,x,d\n");
    for i in 0..120_000 {
        let x = if i % 10 == 0 { String::new() } else { format!("v{i}") };
        csv.push_str(&format!("{},{x},{}\n", ["a", "b"][i % 2], ["yes", "no"][i % 3 % 2]));
    }
    let spec = r#"{"columns": [{"name": "x", "type": "categorical"}],
        "bias": {"protected": ["g"], "prediction": "d", "positive_prediction": "yes"}}"#;
    for workers in [1, 3] {
        let r = audit(spec, csv.as_bytes(), workers);
        let x = proxies(&r).associations.iter().find(|a| a.column == "x").expect("x");
        assert_eq!(x.excluded, 12_000, "{x:?}");
        assert_eq!(x.value, None);
        assert!(x.undefined_reason.as_deref().is_some_and(|w| w.contains("100000 distinct value pairs")), "{x:?}");
    }
}

#[test]
fn a_table_abandoned_by_a_known_value_at_a_known_level() {
    // 50,001 values at level a, then the same values at level b: the pairs past 100,000 are
    // made of a value and a level whose slots the pair already holds, and the table is
    // abandoned there as anywhere else.
    let n = 50_001;
    let mut csv = String::from("g,x,d\n");
    for (g, i) in (0..n).map(|i| ("a", i)).chain((0..n).map(|i| ("b", i))) {
        csv.push_str(&format!("{g},v{i},{}\n", ["yes", "no"][i % 2]));
    }
    csv.push_str("b,,yes\n");
    let spec = r#"{"columns": [{"name": "x", "type": "categorical"}],
        "bias": {"protected": ["g"], "prediction": "d", "positive_prediction": "yes"}}"#;
    for workers in [1, 2] {
        let r = audit(spec, csv.as_bytes(), workers);
        let x = proxies(&r).associations.iter().find(|a| a.column == "x").expect("x");
        assert_eq!((x.value, x.excluded), (None, 1), "{x:?}");
        assert!(x.undefined_reason.as_deref().is_some_and(|w| w.contains("100000 distinct value pairs")), "{x:?}");
    }
}
