//! The weighted bias audit (`bias.weight`) against fairlearn 0.15.0 with `sample_weight`
//! (`scripts/reference/fairness_weights.py`, fixture `tests/data/reference/fairness_weights.json`)
//! on a committed synthetic table and on COMPAS (weight = age; skipped with a notice when
//! the shared datasets are absent); unit weights give exactly the row-count numbers, and
//! integer weights k give the rates of the table with every row repeated k times.

mod common;
use privaudit::fairness::counts::GroupKey;
use privaudit::fairness::metrics::Metric;
use privaudit::fairness::weighted::WeightedAudit;
use privaudit::report::bias::BreakdownReport;
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;
use serde_json::Value;

const REBUILD: &str =
    "/tmp/venv-weights/bin/python scripts/reference/fairness_weights.py --data ../shared/fairness-data";
const SYNTHETIC: &[u8] = include_bytes!("data/reference/weights_synthetic.csv");
const TOL: f64 = 1e-9;

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/fairness_weights.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; rebuild with {REBUILD}", path.display()));
    serde_json::from_str(&text).expect("fixture json")
}

fn spec(protected: &str, label: &str, prediction: &str, weight: Option<&str>) -> String {
    let weight = weight.map_or_else(String::new, |w| format!(r#", "weight": "{w}""#));
    format!(
        r#"{{"bias": {{"protected": [{protected}], "label": "{label}", "positive_label": "1", {prediction}{weight}}}}}"#
    )
}

fn audit(spec: &str, bytes: &[u8]) -> Report {
    let raw = RawSpec::from_json(spec).expect("spec");
    privaudit::audit_bytes(&raw, bytes, InputMeta::default(), 2).expect("audit")
}

fn weighted(b: &BreakdownReport) -> &WeightedAudit {
    b.weighted.as_ref().expect("weighted block")
}

fn close(what: &str, got: Option<f64>, want: &Value, max: &mut f64) {
    match (got, want.as_f64()) {
        (Some(a), Some(b)) => {
            let d = (a - b).abs() / b.abs().max(1.0);
            assert!(d <= TOL, "{what}: {a} vs {b} (relative diff {d:e})");
            *max = max.max(d);
        }
        (None, None) => {}
        (a, _) => panic!("{what}: {a:?} vs {want}"),
    }
}

/// Compares every number of the fixture's dataset with the report; returns the largest
/// relative difference.
fn compare(report: &Report, want: &Value) -> f64 {
    let bias = report.bias.as_ref().expect("bias");
    let info = bias.weight.as_ref().expect("weight info");
    assert_eq!(info.excluded_missing_weight, want["excluded_missing_weight"].as_u64().unwrap());
    assert_eq!(info.excluded_invalid_weight, want["excluded_invalid_weight"].as_u64().unwrap());
    let mut max = 0.0f64;
    for wb in want["breakdowns"].as_array().unwrap() {
        let attrs: Vec<&str> = wb["attributes"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        let br = bias.breakdowns.iter().find(|b| b.attributes == attrs).expect("breakdown");
        let w = weighted(br);
        let groups = wb["groups"].as_object().unwrap();
        assert_eq!(w.groups.len(), groups.len(), "{attrs:?}: groups");
        let mut all_defined = true;
        for g in &w.groups {
            let key = g.group.to_string();
            let e = &groups[&key];
            assert_eq!(g.n, e["n"].as_u64().unwrap(), "{key}: n");
            close(&format!("{key} Σw"), Some(g.weight), &e["weight"], &mut max);
            close(&format!("{key} n_eff"), Some(g.effective_n), &e["effective_n"], &mut max);
            for (m, r) in e["rates"].as_object().unwrap() {
                let metric: Metric = serde_json::from_value(Value::String(m.clone())).unwrap();
                let got = &g.rates[&metric];
                let what = format!("{attrs:?} {key} {m}");
                close(&what, got.value, &r["value"], &mut max);
                close(&format!("{what} n_eff"), Some(got.effective_n), &r["effective_n"], &mut max);
                let ci = &r["wilson95"];
                close(&format!("{what} lo"), got.wilson95.map(|c| c.0), &ci[0], &mut max);
                close(&format!("{what} hi"), got.wilson95.map(|c| c.1), &ci[1], &mut max);
                all_defined &= r["value"].is_number();
            }
        }
        let f = &w.fairlearn;
        close("dp difference", f.demographic_parity_difference, &wb["demographic_parity_difference"], &mut max);
        close("dp ratio", f.demographic_parity_ratio, &wb["demographic_parity_ratio"], &mut max);
        // fairlearn counts a 0/0 TPR or FPR as 0; privaudit leaves the group out: compare
        // the equalized-odds numbers only where every group's rates are defined.
        if all_defined {
            close("eo difference", f.equalized_odds_difference, &wb["equalized_odds_difference"], &mut max);
            close("eo ratio", f.equalized_odds_ratio, &wb["equalized_odds_ratio"], &mut max);
            close("eop difference", f.equal_opportunity_difference, &wb["equal_opportunity_difference"], &mut max);
        } else {
            eprintln!("notice: {attrs:?}: a group has an undefined rate; equalized odds not compared (fairlearn: 0)");
        }
    }
    max
}

#[test]
fn synthetic_table_matches_fairlearn_sample_weight() {
    let f = fixture();
    let s =
        spec(r#""group", "sex""#, "label", r#""prediction": "decision", "positive_prediction": "1""#, Some("weight"));
    let report = audit(&s, SYNTHETIC);
    let max = compare(&report, &f["datasets"]["synthetic"]);
    eprintln!("synthetic: max relative difference {max:e}");
    let first = &report.bias.as_ref().unwrap().breakdowns[0];
    let (rows, w) = (&first.audit.as_ref().unwrap().groups[0], &weighted(first).groups[0]);
    let sr = w.rates[&Metric::SelectionRate].value;
    assert_ne!(sr, rows.metrics.selection_rate.value, "the weights must move the rates");
    assert!(report.notices.iter().any(|n| n.contains("8 rows left out because their weight")), "{:?}", report.notices);
    let json = report.to_json();
    assert_eq!(Report::from_json(&json).expect("round trip"), report);
}

#[test]
fn compas_with_age_weights_matches_fairlearn() {
    let f = fixture();
    let Some(p) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let Some(want) = f["datasets"].get("compas") else {
        eprintln!("notice: fixture built without COMPAS; rebuild with {REBUILD}");
        return;
    };
    let bytes = std::fs::read(p).expect("compas");
    let s = spec(r#""race", "sex""#, "two_year_recid", r#""score": "decile_score", "threshold": 5"#, Some("age"));
    let max = compare(&audit(&s, &bytes), want);
    eprintln!("COMPAS (weight = age): max relative difference {max:e}");
}

#[test]
fn unit_weights_give_exactly_the_row_count_audit() {
    let pred = r#""prediction": "decision", "positive_prediction": "1""#;
    let plain = audit(&spec(r#""group", "sex""#, "label", pred, None), SYNTHETIC);
    let unit = audit(&spec(r#""group", "sex""#, "label", pred, Some("one")), SYNTHETIC);
    let (pb, ub) = (plain.bias.as_ref().unwrap(), unit.bias.as_ref().unwrap());
    assert!(pb.weight.is_none() && pb.breakdowns.iter().all(|b| b.weighted.is_none()));
    for (p, u) in pb.breakdowns.iter().zip(&ub.breakdowns) {
        let (pa, w) = (p.audit.as_ref().unwrap(), weighted(u));
        assert_eq!(p.audit, u.audit, "the row-count audit does not change with a weight column");
        for (g, wg) in pa.groups.iter().zip(&w.groups) {
            assert_eq!(
                (wg.n, wg.weight, wg.effective_n),
                (g.metrics.count, g.metrics.count as f64, g.metrics.count as f64)
            );
            for (m, r) in &wg.rates {
                let rate = g.metrics.get(*m);
                assert_eq!(r.value, rate.value, "{} {m:?}", g.group);
                assert_eq!(r.wilson95, rate.wilson95, "{} {m:?}", g.group);
                assert_eq!((r.numerator, r.denominator), (rate.numerator as f64, rate.denominator as f64));
            }
        }
        let (fa, fw) = (&pa.fairlearn, &w.fairlearn);
        assert_eq!(
            (
                fw.demographic_parity_difference,
                fw.demographic_parity_ratio,
                fw.equalized_odds_difference,
                fw.equalized_odds_ratio
            ),
            (
                fa.demographic_parity_difference,
                fa.demographic_parity_ratio,
                fa.equalized_odds_difference,
                fa.equalized_odds_ratio
            )
        );
        for (wv, uv) in w.vs_reference.iter().zip(&pa.vs_reference) {
            assert_eq!(wv.reference, uv.reference, "{:?}", wv.metric);
            for (a, b) in wv.comparisons.iter().zip(&uv.comparisons) {
                assert_eq!((&a.group, a.difference, a.ratio), (&b.group, b.difference, b.ratio));
                assert_eq!(a.difference_ci95, b.difference_ci95);
            }
        }
        for (a, b) in w.ll144.iter().zip(&pa.ll144.rows) {
            assert_eq!((&a.group, a.impact_ratio, a.share), (&b.category, b.impact_ratio, b.share));
        }
    }
}

#[test]
fn integer_weights_equal_repeated_rows() {
    let text = std::str::from_utf8(SYNTHETIC).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let k_col = header.split(',').position(|h| h == "k").unwrap();
    let mut repeated = format!("{header}\n");
    for line in lines {
        let k: usize = line.split(',').nth(k_col).unwrap().parse().unwrap();
        for _ in 0..k {
            repeated.push_str(line);
            repeated.push('\n');
        }
    }
    let pred = r#""prediction": "decision", "positive_prediction": "1""#;
    let w = audit(&spec(r#""group", "sex""#, "label", pred, Some("k")), SYNTHETIC);
    let r = audit(&spec(r#""group", "sex""#, "label", pred, None), repeated.as_bytes());
    let (wb, rb) = (w.bias.as_ref().unwrap(), r.bias.as_ref().unwrap());
    let mut compared = 0;
    for (a, b) in wb.breakdowns.iter().zip(&rb.breakdowns) {
        let (wa, ra) = (weighted(a), b.audit.as_ref().unwrap());
        for g in &ra.groups {
            let wg = wa.groups.iter().find(|x| x.group == g.group).expect("group");
            assert_eq!(wg.weight, g.metrics.count as f64, "{}: Σk = repeated rows", g.group);
            for (m, rate) in &wg.rates {
                let want = g.metrics.get(*m);
                assert_eq!((rate.numerator, rate.denominator), (want.numerator as f64, want.denominator as f64));
                assert_eq!(rate.value, want.value, "{} {m:?}", g.group);
                compared += 1;
            }
        }
        assert_eq!(wa.fairlearn.demographic_parity_difference, ra.fairlearn.demographic_parity_difference);
        assert_eq!(wa.fairlearn.equalized_odds_difference, ra.fairlearn.equalized_odds_difference);
        let key = |k: &GroupKey| k.to_string();
        for (x, y) in wa.ll144.iter().filter(|x| x.selection_rate.is_some()).zip(&ra.ll144.rows) {
            assert_eq!((key(&x.group), x.impact_ratio), (key(&y.category), y.impact_ratio));
        }
    }
    assert!(compared > 100);
}

#[test]
fn weight_column_is_validated() {
    let pred = r#""prediction": "decision", "positive_prediction": "1""#;
    for (weight, says) in [("sex", "numeric"), ("label", "the label"), ("group", "numeric"), ("nope", "not a column")] {
        let raw = RawSpec::from_json(&spec(r#""group""#, "label", pred, Some(weight))).unwrap();
        let err = privaudit::audit_bytes(&raw, SYNTHETIC, InputMeta::default(), 1).unwrap_err().to_string();
        assert!(err.contains("bias.weight") && err.contains(says), "{weight}: {err}");
    }
    let raw = RawSpec::from_json(&spec(
        r#""group""#,
        "decision",
        r#""prediction": "label", "positive_prediction": "1""#,
        Some("k"),
    ));
    assert!(privaudit::audit_bytes(&raw.unwrap(), SYNTHETIC, InputMeta::default(), 1).is_ok());
}

#[test]
fn role_weight_zero_weights_and_html() {
    // The column with role `weight` is used without `bias.weight`; weight-0 rows stay in n.
    let mut csv = String::from("<g>,y,p,w\n");
    for i in 0..40 {
        let w = if i % 4 == 0 { "0" } else { "2.5" };
        csv.push_str(&format!("{},{},{},{w}\n", ["<b>x</b>", "z"][i % 2], i % 3 % 2, i % 5 % 2));
    }
    let spec = r#"{"columns": [{"name": "w", "role": "weight"}],
        "bias": {"protected": ["<g>"], "label": "y", "positive_label": "1", "prediction": "p", "positive_prediction": "1"}}"#;
    let r = audit(spec, csv.as_bytes());
    let b = r.bias.as_ref().unwrap();
    assert_eq!(b.weight.as_ref().map(|w| w.column.as_str()), Some("w"));
    let w = weighted(&b.breakdowns[0]);
    assert_eq!(w.overall.n, 40, "weight-0 rows are rows");
    assert_eq!(w.overall.weight, 30.0 * 2.5);
    assert_eq!(w.overall.effective_n, 30.0);
    assert!(r.definitions.iter().any(|d| d.term == "weighted rate"));
    let h = r.to_html();
    assert!(h.contains("<h4>Weighted</h4>") && h.contains("<th>Σw</th><th>n_eff</th>"));
    assert!(h.contains("&lt;b&gt;x&lt;/b&gt;") && !h.contains("<b>x</b>"), "group names are escaped");
    assert!(h.contains("p-values are not computed on weights"));
}

#[test]
fn selection_only_weighted_audit_matches_fairlearn_demographic_parity() {
    // Demographic parity does not read the label: the fixture's numbers hold without one.
    let spec = r#"{"bias": {"protected": ["group", "sex"], "prediction": "decision", "positive_prediction": "1", "weight": "weight"}}"#;
    let r = audit(spec, SYNTHETIC);
    let want = &fixture()["datasets"]["synthetic"]["breakdowns"];
    let mut max = 0.0f64;
    for (b, wb) in r.bias.as_ref().unwrap().breakdowns.iter().zip(want.as_array().unwrap()) {
        assert!(b.selection.is_some() && b.audit.is_none());
        let w = weighted(b);
        assert!(w.groups.iter().all(|g| g.rates.keys().eq([&Metric::SelectionRate])));
        assert_eq!(w.fairlearn.equalized_odds_difference, None);
        close(
            "dp difference",
            w.fairlearn.demographic_parity_difference,
            &wb["demographic_parity_difference"],
            &mut max,
        );
        close("dp ratio", w.fairlearn.demographic_parity_ratio, &wb["demographic_parity_ratio"], &mut max);
        for g in &w.groups {
            let e = &wb["groups"][g.group.to_string()]["rates"]["selection_rate"];
            close("selection rate", g.rates[&Metric::SelectionRate].value, &e["value"], &mut max);
        }
    }
    assert!(r.to_json().contains("\"weighted\""));
}
