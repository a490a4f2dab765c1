//! privaudit::fairness against fairlearn, AIF360, Aequitas, scipy and statsmodels.
//!
//! The fixtures in `tests/data/reference/fairness_*.json` are written by
//! `scripts/reference/fairness.py` (library versions are recorded in each file). They hold
//! per-group confusion counts, which are fed to privaudit, and the libraries' numbers, which
//! must agree to 1e-9 wherever the definitions agree. Where they do not, the test asserts the
//! documented difference instead (the list is also in each fixture's `convention_differences`):
//!
//! 1. fairlearn turns 0/0 TPR/FPR/TNR/FNR into 0; privaudit says undefined and leaves the group
//!    out of max/min (so between-groups values differ exactly where a group has 0/0).
//! 2. AIF360 gives NaN/inf and Aequitas 10.0 for a ratio whose reference rate is 0; privaudit: undefined.
//! 3. Aequitas' significance columns test other sub-populations; not reproduced (see
//!    `compas_fpr_gap_fisher`). Aequitas `ppr` is not a per-group rate here.
//! 4. scipy's Fisher test uses a 1e-14 tie tolerance, privaudit R's 1e-7 (same values here).
//! 5. statsmodels' `log-adjusted` ratio interval is a different 0.5 correction; fixtures use `log`.
//! 6. AIF360 returns NaN for a 0/0 TPR/FPR/TNR/FNR but **0** for a 0/0 PPV/NPV/FDR/FOR
//!    (`ClassificationMetric.performance_measures`); privaudit: undefined.
//! 7. AIF360's `equalized_odds_difference` is Python `max(|ΔFPR|, |ΔTPR|)`, which returns |ΔFPR|
//!    when ΔTPR is NaN; privaudit: undefined.
//!
//! Run with `--nocapture` to see the largest absolute difference per library.

use privaudit::fairness::counts::{Confusion, GroupKey};
use privaudit::fairness::disparity::{audit_breakdown, BreakdownAudit, DisparityOptions, ReferencePolicy};
use privaudit::fairness::interval::{
    erfc, katz_log_ratio, ln_erfc, ln_normal_sf, newcombe_difference, normal_quantile, normal_sf, wilson, Z95,
};
use privaudit::fairness::ll144::{impact_ratios_from_printed, ll144_summary, Ll144Options, RateKind};
use privaudit::fairness::metrics::{group_metrics, Metric};
use privaudit::fairness::reweighing::reweighing;
use privaudit::fairness::significance::{fisher_exact, holm, ln_factorial, two_proportion_z, TestMethod};
use privaudit::math::Portable;
use serde_json::Value;
use std::path::PathBuf;

const REBUILD: &str = "python3 -m venv /tmp/fairness-ref && /tmp/fairness-ref/bin/pip install -r scripts/reference/requirements-fairness.txt && /tmp/fairness-ref/bin/python scripts/reference/fairness.py --data ../shared/fairness-data";

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}; rebuild it with `{REBUILD}`", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}; rebuild it with `{REBUILD}`", path.display()))
}

/// A JSON number, null (NaN in the library) → None, "inf" → ∞.
fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s == "inf" => Some(f64::INFINITY),
        Value::String(s) if s == "-inf" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn pair(v: &Value) -> (f64, f64) {
    (num(&v[0]).unwrap(), num(&v[1]).unwrap())
}

/// Largest absolute difference seen, per library.
#[derive(Default)]
struct Agreement {
    max_abs: f64,
    compared: usize,
}

impl Agreement {
    /// |got − want| ≤ tol.
    fn check(&mut self, what: &str, got: f64, want: f64, tol: f64) {
        let d = (got - want).abs();
        assert!(d <= tol, "{what}: privaudit {got:e}, reference {want:e} (|Δ| = {d:e})");
        self.max_abs = self.max_abs.max(d);
        self.compared += 1;
    }

    /// A p-value: |got − want| ≤ tol both absolutely and relative to want.
    fn check_p(&mut self, what: &str, got: f64, want: f64, tol: f64) {
        let d = (got - want).abs();
        assert!(d <= tol * want.min(1.0), "{what}: privaudit {got:e}, reference {want:e} (|Δ| = {d:e})");
        self.max_abs = self.max_abs.max(d);
        self.compared += 1;
    }

    fn opt(&mut self, what: &str, got: Option<f64>, want: Option<f64>, tol: f64) {
        match (got, want) {
            (Some(g), Some(w)) => self.check(what, g, w, tol),
            (None, None) => self.compared += 1,
            _ => panic!("{what}: privaudit {got:?}, reference {want:?}"),
        }
    }

    fn report(&self, library: &str) {
        println!("{library}: {} numbers, max |Δ| = {:e}", self.compared, self.max_abs);
        assert!(self.compared > 0, "{library}: nothing compared");
    }
}

fn groups_of(b: &Value) -> Vec<(GroupKey, Confusion)> {
    b["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let key: Vec<&str> = g["group"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
            let c = |k: &str| g[k].as_u64().unwrap();
            (GroupKey::known(&key), Confusion::new(c("tp"), c("fp"), c("tn"), c("fn")))
        })
        .collect()
}

fn label(k: &GroupKey) -> String {
    k.to_string()
}

fn reference_key(b: &Value) -> GroupKey {
    GroupKey::known(&b["reference"].as_str().unwrap().split(" | ").collect::<Vec<_>>())
}

/// Every (dataset, breakdown) of both fixtures.
fn breakdowns() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for file in ["fairness_compas.json", "fairness_aequitas_samples.json"] {
        let f = fixture(file);
        for (ds, d) in f["datasets"].as_object().unwrap() {
            for (name, b) in d["breakdowns"].as_object().unwrap() {
                out.push((format!("{ds}/{name}"), b.clone()));
            }
        }
    }
    out
}

fn audit(b: &Value, reference: ReferencePolicy) -> BreakdownAudit {
    audit_breakdown(&groups_of(b), &DisparityOptions { reference, ..Default::default() })
}

#[test]
fn special_functions_match_scipy() {
    let s = fixture("fairness_stats.json");
    let mut a = Agreement::default();
    // Z95 = 1.959963984540054 (AS 241, Python's NormalDist) is 1 ulp above the correctly
    // rounded Φ⁻¹(0.975) = 1.9599639845400538; scipy's norm.isf(0.025) is 2 ulps further up.
    a.check("z95", Z95, num(&s["z95"]).unwrap(), 1e-15);
    // mpmath (60 digits) gives the exact values; privaudit must be within a few ulps of them.
    // Against scipy the tolerance is looser where scipy itself is off (ndtr's far tail).
    let mut exact = Agreement::default();
    exact.check("z95", Z95, num(&s["z95_exact"]).unwrap(), 4.5e-16);
    for c in s["normal_quantile"].as_array().unwrap() {
        let (p, x, e) = (num(&c["p"]).unwrap(), num(&c["x"]).unwrap(), num(&c["exact"]).unwrap());
        let got = normal_quantile(p);
        a.check(&format!("ppf({p})"), got, x, 1e-14 * x.abs().max(1.0));
        exact.check(&format!("ppf({p}) exact"), got, e, 2e-15 * e.abs().max(1.0));
    }
    for c in s["erfc"].as_array().unwrap() {
        let (x, y, e) = (num(&c["x"]).unwrap(), num(&c["y"]).unwrap(), num(&c["exact"]).unwrap());
        let got = erfc(x);
        assert!((got - e).abs() <= 2e-15 * e, "erfc({x}) = {got:e}, exact {e:e}");
        assert!((got - y).abs() <= 3e-15 * y, "erfc({x}) = {got:e}, scipy {y:e}");
        a.check(&format!("erfc({x})"), got, y, 1e-15);
        exact.check(&format!("erfc({x}) exact"), got, e, 1e-15);
    }
    for c in s["normal_sf"].as_array().unwrap() {
        let (z, y, ly) = (num(&c["z"]).unwrap(), num(&c["y"]).unwrap(), num(&c["logsf"]).unwrap());
        let (e, le) = (num(&c["exact"]).unwrap(), num(&c["exact_log"]).unwrap());
        let (got, ln) = (normal_sf(z), ln_normal_sf(z));
        assert!((got - e).abs() <= 2e-15 * e, "sf({z}) = {got:e}, exact {e:e}");
        assert!((ln - le).abs() <= 2e-15 * le.abs().max(1.0), "logsf({z}) = {ln}, exact {le}");
        // scipy's ndtr is up to ~1e-13 off in the far tail (Q(37)): compare to 2e-13.
        assert!((got - y).abs() <= 2e-13 * y, "sf({z}): {got:e} vs scipy {y:e}");
        assert!((ln - ly).abs() <= 1e-13 * ly.abs().max(1.0), "logsf({z}): {ln} vs scipy {ly}");
        let via_erfc = ln_erfc(z / std::f64::consts::SQRT_2) - std::f64::consts::LN_2;
        assert!((ln - via_erfc).abs() <= 1e-12 * ln.abs().max(1.0));
        exact.check(&format!("sf({z}) exact"), got, e, 1e-15);
    }
    exact.report("mpmath special functions");
    for c in s["wilson"].as_array().unwrap() {
        let (x, n) = (c["x"].as_u64().unwrap(), c["n"].as_u64().unwrap());
        let (lo, hi) = wilson(x, n, Z95).unwrap();
        let (wl, wh) = pair(&c["ci"]);
        a.check("wilson lo", lo, wl.max(0.0), 1e-15);
        a.check("wilson hi", hi, wh.min(1.0), 1e-15);
    }
    let t = |c: &Value| {
        (c["x1"].as_u64().unwrap(), c["n1"].as_u64().unwrap(), c["x2"].as_u64().unwrap(), c["n2"].as_u64().unwrap())
    };
    for c in s["fisher_exact"].as_array().unwrap() {
        let (x1, n1, x2, n2) = t(c);
        a.check_p(
            &format!("fisher {x1}/{n1} vs {x2}/{n2}"),
            fisher_exact(x1, n1, x2, n2).p,
            num(&c["p"]).unwrap(),
            1e-9,
        );
    }
    for c in s["two_proportion_z"].as_array().unwrap() {
        let (x1, n1, x2, n2) = t(c);
        let z = two_proportion_z(x1, n1, x2, n2).unwrap();
        a.check("z", z.z, num(&c["z"]).unwrap(), 1e-12);
        a.check_p("z p", z.p_value.p, num(&c["p"]).unwrap(), 1e-12);
    }
    for c in s["newcombe"].as_array().unwrap() {
        let (x1, n1, x2, n2) = t(c);
        let (lo, hi) = newcombe_difference(x1, n1, x2, n2, Z95).unwrap();
        let (wl, wh) = pair(&c["ci"]);
        a.check("newcombe lo", lo, wl, 1e-14);
        a.check("newcombe hi", hi, wh, 1e-14);
    }
    for c in s["katz_log"].as_array().unwrap() {
        let (x1, n1, x2, n2) = t(c);
        let (lo, hi) = katz_log_ratio(x1, n1, x2, n2, Z95).unwrap();
        let (wl, wh) = pair(&c["ci"]);
        a.check("katz lo", lo, wl, 1e-12 * wl.max(1.0));
        a.check("katz hi", hi, wh, 1e-12 * wh.max(1.0));
    }
    for c in s["holm"].as_array().unwrap() {
        let p: Vec<f64> = c["p"].as_array().unwrap().iter().map(|v| num(v).unwrap()).collect();
        for (got, want) in holm(&p).iter().zip(c["adjusted"].as_array().unwrap()) {
            a.check("holm", *got, num(want).unwrap(), 1e-15);
        }
    }
    a.report("scipy/statsmodels special functions");
}

#[test]
fn propublica_numbers_reproduce() {
    let f = fixture("fairness_compas.json");
    let b = &f["datasets"]["compas_recid"]["breakdowns"]["race"];
    let groups = groups_of(b);
    let overall: Confusion = groups.iter().map(|g| g.1).sum();
    assert_eq!(overall.n(), 7214);
    let pct = |c: &Confusion, m: Metric| (m.rate(c).value.unwrap() * 10000.0).round() / 100.0;
    let get = |name: &str| groups.iter().find(|g| label(&g.0) == name).unwrap().1;
    let (aa, ca) = (get("African-American"), get("Caucasian"));
    assert_eq!((pct(&overall, Metric::FalsePositiveRate), pct(&overall, Metric::FalseNegativeRate)), (32.35, 37.40));
    assert_eq!((pct(&aa, Metric::FalsePositiveRate), pct(&aa, Metric::FalseNegativeRate)), (44.85, 27.99));
    assert_eq!((pct(&ca, Metric::FalsePositiveRate), pct(&ca, Metric::FalseNegativeRate)), (23.45, 47.72));
}

#[test]
fn compas_fpr_gap_fisher() {
    // DEFINITIONS.md §1.3: Aequitas reports p = 0.050 for this gap (a test on predicted
    // positives); Fisher on the FPR sub-population (label-negative rows) gives ≈ 5e-38.
    let f = fixture("fairness_compas.json");
    let b = &f["datasets"]["compas_recid"]["breakdowns"]["race"];
    let a = audit(b, ReferencePolicy::Chosen(GroupKey::known(&["Caucasian"])));
    let fpr = a.vs_reference.iter().find(|v| v.metric == Metric::FalsePositiveRate).unwrap();
    let aa = fpr.comparisons.iter().find(|c| label(&c.group) == "African-American").unwrap();
    let t = aa.test.unwrap();
    let want = num(&b["stats"]["vs_reference"]["false_positive_rate"]["African-American"]["fisher_p"]).unwrap();
    assert!((t.p_fisher - want).abs() <= 1e-9 * want, "{} vs scipy {want:e}", t.p_fisher);
    assert!(t.p_fisher > 1e-38 && t.p_fisher < 1e-37);
    assert_eq!(t.method, TestMethod::TwoProportionZ); // every expected cell is large
}

const FAIRLEARN_RATES: [(&str, Metric); 7] = [
    ("selection_rate", Metric::SelectionRate),
    ("true_positive_rate", Metric::TruePositiveRate),
    ("false_positive_rate", Metric::FalsePositiveRate),
    ("true_negative_rate", Metric::TrueNegativeRate),
    ("false_negative_rate", Metric::FalseNegativeRate),
    ("accuracy", Metric::Accuracy),
    ("positive_predictive_value", Metric::PositivePredictiveValue),
];

#[test]
fn fairlearn_agreement() {
    let (mut a, mut documented) = (Agreement::default(), 0);
    for (name, b) in breakdowns() {
        let groups = groups_of(&b);
        let fl = &b["fairlearn"];
        let audit = audit(&b, ReferencePolicy::Largest);
        for (key, c) in &groups {
            let row = &fl["by_group"][label(key)];
            let m = group_metrics(c, 1);
            a.check(&format!("{name} {key} count"), m.count as f64, num(&row["count"]).unwrap(), 0.0);
            for (fname, metric) in FAIRLEARN_RATES {
                let want = num(&row[fname]);
                match m.get(metric).value {
                    Some(v) => a.check(&format!("{name} {key} {fname}"), v, want.unwrap(), 1e-12),
                    // Difference 1: fairlearn's 0/0 is 0 (precision asked with zero_division=nan).
                    None if fname == "positive_predictive_value" => assert_eq!(want, None),
                    None => {
                        assert_eq!(want, Some(0.0), "{name} {key} {fname}");
                        documented += 1;
                    }
                }
            }
            if let (Some(v), Some(w)) = (m.balanced_accuracy.value, num(&row["balanced_accuracy"])) {
                a.check(&format!("{name} {key} balanced_accuracy"), v, w, 1e-12);
            }
        }
        for (fname, metric) in FAIRLEARN_RATES {
            let between = audit.fairlearn.between_groups.iter().find(|x| x.metric == metric).unwrap();
            let over = audit.fairlearn.to_overall.iter().find(|x| x.metric == metric).unwrap();
            if !between.excluded_undefined.is_empty() {
                assert!(between.note.as_deref().unwrap_or("").contains("undefined"));
                documented += 1;
                continue;
            }
            a.opt(
                &format!("{name} {fname} difference"),
                between.difference,
                num(&fl["difference_between_groups"][fname]),
                1e-12,
            );
            a.opt(&format!("{name} {fname} ratio"), between.ratio, num(&fl["ratio_between_groups"][fname]), 1e-12);
            a.opt(
                &format!("{name} {fname} to_overall difference"),
                over.difference,
                num(&fl["difference_to_overall"][fname]),
                1e-12,
            );
            a.opt(&format!("{name} {fname} to_overall ratio"), over.ratio, num(&fl["ratio_to_overall"][fname]), 1e-12);
            a.opt(&format!("{name} {fname} overall"), over.overall, num(&fl["overall"][fname]), 1e-12);
        }
        let s = &audit.fairlearn;
        let undefined = |m: Metric| {
            !audit.fairlearn.between_groups.iter().find(|x| x.metric == m).unwrap().excluded_undefined.is_empty()
        };
        a.opt(
            "demographic_parity_difference",
            s.demographic_parity_difference,
            num(&fl["demographic_parity_difference"]),
            1e-12,
        );
        a.opt("demographic_parity_ratio", s.demographic_parity_ratio, num(&fl["demographic_parity_ratio"]), 1e-12);
        if undefined(Metric::TruePositiveRate) || undefined(Metric::FalsePositiveRate) {
            documented += 1;
            continue;
        }
        a.opt("equalized_odds_difference", s.equalized_odds_difference, num(&fl["equalized_odds_difference"]), 1e-12);
        a.opt("equalized_odds_ratio", s.equalized_odds_ratio, num(&fl["equalized_odds_ratio"]), 1e-12);
        a.opt(
            "equal_opportunity_difference",
            s.equal_opportunity_difference,
            num(&fl["equal_opportunity_difference"]),
            1e-12,
        );
        a.opt("equal_opportunity_ratio", s.equal_opportunity_ratio, num(&fl["equal_opportunity_ratio"]), 1e-12);
    }
    println!("fairlearn: {documented} values differ by the documented 0/0 convention");
    a.report("fairlearn");
}

#[test]
fn stop_and_frisk_undefined_group_does_not_make_a_disparity_maximal() {
    // 9-row AMER IND group with no positive label: fairlearn's equalized-odds difference is 1.0
    // (its TPR 0/0 counted as 0); privaudit leaves the group out and says so.
    let f = fixture("fairness_aequitas_samples.json");
    let b = &f["datasets"]["nyc_sqf"]["breakdowns"]["race"];
    assert_eq!(num(&b["fairlearn"]["equalized_odds_difference"]), Some(1.0));
    let audit = audit(b, ReferencePolicy::Largest);
    let tpr = audit.fairlearn.between_groups.iter().find(|x| x.metric == Metric::TruePositiveRate).unwrap();
    assert_eq!(tpr.excluded_undefined, vec![GroupKey::known(&["AMER IND"])]);
    assert!(tpr.note.as_deref().unwrap().contains("AMER IND"));
    assert!(audit.fairlearn.equalized_odds_difference.unwrap() < 1.0);
    // Every prediction is positive: NPV and FOR are 0/0 everywhere, so no comparison is made.
    let npv = audit.vs_reference.iter().find(|v| v.metric == Metric::NegativePredictiveValue).unwrap();
    assert_eq!(npv.reference_value, None);
    assert!(npv.comparisons.iter().all(|c| c.ratio.is_none() && c.test.is_none()));
}

#[test]
fn aif360_agreement() {
    let mut a = Agreement::default();
    let per_group = [
        ("base_rate", Metric::BaseRate),
        ("selection_rate", Metric::SelectionRate),
        ("true_positive_rate", Metric::TruePositiveRate),
        ("false_positive_rate", Metric::FalsePositiveRate),
        ("true_negative_rate", Metric::TrueNegativeRate),
        ("false_negative_rate", Metric::FalseNegativeRate),
        ("positive_predictive_value", Metric::PositivePredictiveValue),
        ("negative_predictive_value", Metric::NegativePredictiveValue),
        ("false_discovery_rate", Metric::FalseDiscoveryRate),
        ("false_omission_rate", Metric::FalseOmissionRate),
        ("accuracy", Metric::Accuracy),
    ];
    let ratios = [
        ("false_positive_rate_ratio", Metric::FalsePositiveRate),
        ("false_negative_rate_ratio", Metric::FalseNegativeRate),
        ("false_discovery_rate_ratio", Metric::FalseDiscoveryRate),
        ("false_omission_rate_ratio", Metric::FalseOmissionRate),
    ];
    let mut documented = 0;
    for (name, b) in breakdowns() {
        let groups = groups_of(&b);
        let reference = reference_key(&b);
        let audit = audit(&b, ReferencePolicy::Chosen(reference.clone()));
        let ref_c = groups.iter().find(|g| g.0 == reference).unwrap().1;
        let weights = reweighing(&groups);
        let diff_of = |m: Metric, key: &GroupKey| {
            let c = groups.iter().find(|x| &x.0 == key).unwrap().1;
            Some(m.rate(&c).value? - m.rate(&ref_c).value?)
        };
        for row in &audit.aif360.rows {
            let want = &b["aif360"]["groups"][label(&row.group)];
            let w = |k: &str| num(&want[k]).filter(|v| v.is_finite());
            let g = |k: &str| format!("{name} {} {k}", row.group);
            a.opt(
                &g("statistical_parity_difference"),
                row.statistical_parity_difference,
                w("statistical_parity_difference"),
                1e-12,
            );
            a.opt(
                &g("equal_opportunity_difference"),
                row.equal_opportunity_difference,
                w("equal_opportunity_difference"),
                1e-12,
            );
            a.opt(&g("average_odds_difference"), row.average_odds_difference, w("average_odds_difference"), 1e-12);
            a.opt(
                &g("average_abs_odds_difference"),
                row.average_abs_odds_difference,
                w("average_abs_odds_difference"),
                1e-12,
            );
            // Difference 7: AIF360 takes Python's max(|ΔFPR|, NaN), which returns |ΔFPR| when the
            // TPR difference is NaN; privaudit: undefined.
            let d_fpr = diff_of(Metric::FalsePositiveRate, &row.group);
            if row.equalized_odds_difference.is_none() && d_fpr.is_some() {
                assert_eq!(w("equalized_odds_difference"), d_fpr.map(f64::abs), "{}", g("equalized_odds_difference"));
                documented += 1;
            } else {
                a.opt(
                    &g("equalized_odds_difference"),
                    row.equalized_odds_difference,
                    w("equalized_odds_difference"),
                    1e-12,
                );
            }
            // Difference 6: AIF360 sets PPV, NPV, FDR and FOR to 0 (not NaN) when their
            // denominator is 0 (`performance_measures`), and so do the composites built on them.
            let c = groups.iter().find(|x| x.0 == row.group).unwrap().1;
            let pv = [
                Metric::PositivePredictiveValue,
                Metric::NegativePredictiveValue,
                Metric::FalseDiscoveryRate,
                Metric::FalseOmissionRate,
            ];
            let pv_undefined = pv.iter().any(|m| m.rate(&c).value.is_none() || m.rate(&ref_c).value.is_none());
            let mut aif = |what: String, ours: Option<f64>, theirs: Option<f64>| {
                if ours.is_none() && theirs.is_some() && pv_undefined {
                    documented += 1;
                } else {
                    a.opt(&what, ours, theirs, 1e-12);
                }
            };
            aif(
                g("average_predictive_value_difference"),
                row.average_predictive_value_difference,
                w("average_predictive_value_difference"),
            );
            a.opt(&g("error_rate_difference"), row.error_rate_difference, w("error_rate_difference"), 1e-12);
            // Difference 2: AIF360's x/0 is inf (or NaN for 0/0); privaudit: undefined.
            a.opt(&g("disparate_impact"), row.disparate_impact, w("disparate_impact"), 1e-12);
            a.opt(&g("error_rate_ratio"), row.error_rate_ratio, w("error_rate_ratio"), 1e-12);
            for (k, m) in per_group {
                let (ours, theirs) = (m.rate(&c).value, num(&want["group_metrics"][k]));
                if ours.is_none() && pv.contains(&m) {
                    assert_eq!(theirs, Some(0.0), "{}", g(k));
                    documented += 1;
                } else {
                    a.opt(&g(k), ours, theirs, 1e-12);
                }
            }
            for (k, m) in ratios {
                let ours = audit
                    .vs_reference
                    .iter()
                    .find(|v| v.metric == m)
                    .unwrap()
                    .comparisons
                    .iter()
                    .find(|x| x.group == row.group)
                    .unwrap()
                    .ratio;
                let theirs = w(k);
                if ours.is_none() && (theirs.is_some() || num(&want[k]).is_some()) {
                    // inf from a zero reference rate, or a ratio of AIF360's 0/0 = 0 values
                    documented += 1;
                } else {
                    a.opt(&g(k), ours, theirs, 1e-12);
                }
            }
            // AIF360 divides by n_{g,y} = 0 and gets inf; privaudit: undefined.
            let rw = &want["reweighing"];
            let finite = |v: &Value| num(v).filter(|x| x.is_finite());
            let weight = |key: &GroupKey, label: bool| {
                weights.iter().find(|x| &x.group == key && x.label == label).unwrap().weight
            };
            let (fav, unfav) = (true, false); // the favourable label is the positive class in both fixture orientations
            a.opt(&g("w_up_fav"), weight(&row.group, fav), finite(&rw["unprivileged_favorable"]), 1e-12);
            a.opt(&g("w_up_unfav"), weight(&row.group, unfav), finite(&rw["unprivileged_unfavorable"]), 1e-12);
            a.opt(&g("w_p_fav"), weight(&reference, fav), finite(&rw["privileged_favorable"]), 1e-12);
            a.opt(&g("w_p_unfav"), weight(&reference, unfav), finite(&rw["privileged_unfavorable"]), 1e-12);
        }
    }
    println!("aif360: {documented} values differ by a documented convention (0/0 = 0 for PPV/NPV/FDR/FOR, x/0 = inf)");
    a.report("aif360");
}

const AEQUITAS: [(&str, Metric); 10] = [
    ("tpr", Metric::TruePositiveRate),
    ("tnr", Metric::TrueNegativeRate),
    ("for", Metric::FalseOmissionRate),
    ("fdr", Metric::FalseDiscoveryRate),
    ("fpr", Metric::FalsePositiveRate),
    ("fnr", Metric::FalseNegativeRate),
    ("npv", Metric::NegativePredictiveValue),
    ("precision", Metric::PositivePredictiveValue),
    ("pprev", Metric::SelectionRate),
    ("prev", Metric::BaseRate),
];

fn parity_name(m: Metric) -> &'static str {
    match m {
        Metric::TruePositiveRate => "TPR Parity",
        Metric::TrueNegativeRate => "TNR Parity",
        Metric::FalseOmissionRate => "FOR Parity",
        Metric::FalseDiscoveryRate => "FDR Parity",
        Metric::FalsePositiveRate => "FPR Parity",
        Metric::FalseNegativeRate => "FNR Parity",
        Metric::NegativePredictiveValue => "NPV Parity",
        Metric::PositivePredictiveValue => "Precision Parity",
        _ => "Impact Parity",
    }
}

#[test]
fn aequitas_agreement() {
    let (mut a, mut tens) = (Agreement::default(), 0);
    for (name, b) in breakdowns() {
        let groups = groups_of(&b);
        let aq = &b["aequitas"];
        for (key, c) in &groups {
            let x = &aq["crosstab"][label(key)];
            for (k, v) in [("tp", c.tp), ("fp", c.fp), ("tn", c.tn), ("fn", c.fn_), ("group_size", c.n())] {
                assert_eq!(x[k].as_u64(), Some(v), "{name} {key} {k}");
            }
            for (k, m) in AEQUITAS {
                a.opt(&format!("{name} {key} {k}"), m.rate(c).value, num(&x[k]), 1e-12);
            }
        }
        for (block, policy) in [
            ("predefined", ReferencePolicy::Chosen(reference_key(&b))),
            ("major_group", ReferencePolicy::Largest),
            ("min_metric", ReferencePolicy::LowestRate),
        ] {
            let audit = audit(&b, policy);
            for (k, m) in AEQUITAS.iter().filter(|x| x.1 != Metric::BaseRate) {
                let v = audit.vs_reference.iter().find(|v| v.metric == *m).unwrap();
                let reference = v.reference.clone();
                let Some(reference) = reference else {
                    // No group has a defined rate (stop-and-frisk NPV/FOR): Aequitas has NaN too.
                    for (key, _) in &groups {
                        assert_eq!(num(&aq[block][label(key)][format!("{k}_disparity")]), None);
                    }
                    continue;
                };
                for (key, _) in &groups {
                    let want = num(&aq[block][label(key)][format!("{k}_disparity")]);
                    let got = if *key == reference {
                        v.reference_value.filter(|r| *r > 0.0).map(|_| 1.0)
                    } else {
                        v.comparisons.iter().find(|c| &c.group == key).unwrap().ratio
                    };
                    // Difference 2: Aequitas writes 10.0 when the reference rate is 0.
                    if got.is_none() && want == Some(10.0) {
                        tens += 1;
                        continue;
                    }
                    a.opt(&format!("{name} {block} {key} {k}_disparity"), got, want, 1e-12);
                    if block == "predefined" {
                        let flag = aq["parity"][label(key)][parity_name(*m)].as_bool();
                        let ours = if *key == reference {
                            Some(true)
                        } else {
                            v.comparisons.iter().find(|c| &c.group == key).unwrap().within_four_fifths
                        };
                        if let (Some(f), Some(o)) = (flag, ours) {
                            assert_eq!(f, o, "{name} {key} {}", parity_name(*m));
                        }
                    }
                }
            }
        }
    }
    println!("aequitas: {tens} disparities with a zero reference rate (10.0 in Aequitas, undefined here)");
    a.report("aequitas");
}

#[test]
fn scipy_statsmodels_per_comparison() {
    let mut a = Agreement::default();
    for (name, b) in breakdowns() {
        let groups = groups_of(&b);
        let audit = audit(&b, ReferencePolicy::Chosen(reference_key(&b)));
        for v in &audit.vs_reference {
            let want_m = &b["stats"]["vs_reference"][v.metric.name()];
            for c in &v.comparisons {
                let w = &want_m[label(&c.group)];
                let what = |k: &str| format!("{name} {} {} {k}", v.metric.name(), c.group);
                let Some(t) = c.test else {
                    assert!(w.get("fisher_p").is_none(), "{}", what("test"));
                    continue;
                };
                a.check_p(&what("fisher"), t.p_fisher, num(&w["fisher_p"]).unwrap(), 1e-9);
                a.check(&what("z"), t.z, num(&w["z"]).unwrap(), 1e-9);
                a.check_p(&what("z p"), t.p_z, num(&w["z_p"]).unwrap(), 1e-9);
                let chosen =
                    if w["chosen"] == "fisher_exact" { TestMethod::FisherExact } else { TestMethod::TwoProportionZ };
                assert_eq!(t.method, chosen, "{}", what("method"));
                a.check_p(&what("holm"), c.p_holm.unwrap(), num(&w["holm"]).unwrap(), 1e-9);
                let (lo, hi) = c.difference_ci95.unwrap();
                let (wl, wh) = pair(&w["newcombe"]);
                a.check(&what("newcombe lo"), lo, wl, 1e-12);
                a.check(&what("newcombe hi"), hi, wh, 1e-12);
                if let Some(k) = w.get("katz_log") {
                    let (lo, hi) = c.ratio_ci95.unwrap();
                    let (wl, wh) = pair(k);
                    a.check(&what("katz lo"), lo, wl, 1e-12 * wl.max(1.0));
                    a.check(&what("katz hi"), hi, wh, 1e-12 * wh.max(1.0));
                }
            }
        }
        for (key, c) in &groups {
            let m = group_metrics(c, 1);
            for metric in std::iter::once(Metric::BaseRate).chain(Metric::COMPARED) {
                let want = &b["stats"]["wilson"][label(key)][metric.name()];
                match m.get(metric).wilson95 {
                    Some((lo, hi)) => {
                        let (wl, wh) = pair(want);
                        a.check(&format!("{name} {key} wilson lo"), lo, wl.max(0.0), 1e-14);
                        a.check(&format!("{name} {key} wilson hi"), hi, wh.min(1.0), 1e-14);
                    }
                    None => assert!(want.is_null()),
                }
            }
        }
    }
    a.report("scipy/statsmodels per comparison");
}

#[test]
fn ll144_rule_worked_example() {
    // The rule's example (scoring rates). Integer counts consistent with the printed rates:
    // 50/92 = 54.35 % (printed 54.3), 34/76 = 44.74 % (44.7); 18/28 = 64.29 % is printed
    // 64.2 % (truncated, not rounded: no integer k gives k/28 in [64.15, 64.25) %),
    // 15/40, 16/32, 5/8, 10/24 = 41.67 % (41.7).
    let cats =
        |rows: &[(&str, u64, u64)]| rows.iter().map(|(k, n, s)| (GroupKey::known(&[*k]), *n, *s)).collect::<Vec<_>>();
    let opts = Ll144Options::default();
    let sex = ll144_summary(&cats(&[("Male", 92, 50), ("Female", 76, 34)]), 0, RateKind::ScoringRate, &opts);
    let race = cats(&[
        ("Hispanic or Latino", 28, 18),
        ("White", 40, 15),
        ("Black or African American", 32, 16),
        ("Native Hawaiian or Pacific Islander", 8, 5),
        ("Asian", 24, 10),
    ]);
    let race = ll144_summary(&race, 0, RateKind::ScoringRate, &opts);
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    let printed_sex = [1.00, 0.82];
    let printed_race = [1.00, 0.58, 0.78, 0.97, 0.65];
    for (s, printed) in [(&sex, &printed_sex[..]), (&race, &printed_race[..])] {
        let exact: Vec<f64> = s.rows.iter().map(|r| round2(r.impact_ratio.unwrap())).collect();
        assert_eq!(exact, printed, "exact counts");
        assert!(s.notes.is_empty() && s.highest.len() == 1);
    }
    // The rule's own arithmetic on printed rates gives the same two-decimal ratios.
    let from_printed: Vec<f64> = impact_ratios_from_printed(&[54.3, 44.7]).into_iter().map(round2).collect();
    assert_eq!(from_printed, printed_sex);
    let from_printed: Vec<f64> =
        impact_ratios_from_printed(&[64.2, 37.5, 50.0, 62.5, 41.7]).into_iter().map(round2).collect();
    assert_eq!(from_printed, printed_race);
    // ... but not the same unrounded numbers: 44.7/54.3 = 0.8232 vs (34/76)/(50/92) = 0.8232.
    assert!((impact_ratios_from_printed(&[54.3, 44.7])[1] - 44.7 / 54.3).abs() < 1e-15);
    assert!((sex.rows[1].impact_ratio.unwrap() - (34.0 / 76.0) / (50.0 / 92.0)).abs() < 1e-15);
    // Minimum group size is information only: the 8-row NHPI category is marked, nothing is failed.
    assert!(!sex.rows[0].small && !sex.rows[1].small && race.rows[3].small);
}

#[test]
fn ll144_compas_two_percent_rule() {
    // DEFINITIONS.md §1.6: Native American (18 rows, 0.25 %) is the most selected race (0.667).
    let f = fixture("fairness_compas.json");
    let b = &f["datasets"]["compas_recid"]["breakdowns"]["race"];
    let groups = groups_of(b);
    let all = audit_breakdown(&groups, &DisparityOptions::default()).ll144;
    assert_eq!(all.highest, vec![GroupKey::known(&["Native American"])]);
    assert!((all.highest_rate.unwrap() - 12.0 / 18.0).abs() < 1e-15);
    let opts = DisparityOptions { ll144_exclude_below_share: Some(0.02), ..Default::default() };
    let ex = audit_breakdown(&groups, &opts).ll144;
    assert_eq!(ex.highest, vec![GroupKey::known(&["African-American"])]);
    assert!((ex.highest_rate.unwrap() - 0.5882034632034632).abs() < 1e-15);
    assert_eq!(ex.excluded, vec![GroupKey::known(&["Asian"]), GroupKey::known(&["Native American"])]);
    let na = ex.rows.iter().find(|r| label(&r.category) == "Native American").unwrap();
    assert_eq!((na.n, na.impact_ratio, na.rate.value), (18, None, Some(12.0 / 18.0)));
    assert!(ex.notes[0].contains("Native American (n = 18, rate 66.7 %)"), "{:?}", ex.notes);
}

#[test]
fn reference_policies_on_compas() {
    let f = fixture("fairness_compas.json");
    let b = &f["datasets"]["compas_recid"]["breakdowns"]["race"];
    let find = |a: &BreakdownAudit, m: Metric| {
        a.vs_reference.iter().find(|v| v.metric == m).unwrap().reference.clone().unwrap()
    };
    let largest = audit(b, ReferencePolicy::Largest);
    assert_eq!(find(&largest, Metric::FalsePositiveRate), GroupKey::known(&["African-American"]));
    assert_eq!(largest.aif360.reference, Some(GroupKey::known(&["African-American"])));
    // Best rate ignores groups under 30 rows: Native American (18) has the lowest FNR.
    let best = audit(b, ReferencePolicy::BestRate);
    assert_eq!(find(&best, Metric::FalseNegativeRate), GroupKey::known(&["African-American"]));
    assert_eq!(find(&best, Metric::FalsePositiveRate), GroupKey::known(&["Asian"])); // 32 rows, FPR 2/23
                                                                                     // positive = high risk is unfavourable: the best selection rate is the lowest.
    let opts =
        DisparityOptions { reference: ReferencePolicy::BestRate, positive_is_favourable: false, ..Default::default() };
    let unfav = audit_breakdown(&groups_of(b), &opts);
    assert_eq!(find(&unfav, Metric::SelectionRate), GroupKey::known(&["Other"]));
    assert!(!unfav.positive_is_favourable);
    let lowest = audit(b, ReferencePolicy::LowestRate);
    assert_eq!(find(&lowest, Metric::FalseNegativeRate), GroupKey::known(&["Native American"]));
    // Small groups are listed and tested but never flagged.
    let fpr = largest.vs_reference.iter().find(|v| v.metric == Metric::FalsePositiveRate).unwrap();
    let na = fpr.comparisons.iter().find(|c| label(&c.group) == "Native American").unwrap();
    assert!(na.small && !na.flagged && na.test.is_some());
    assert_eq!(na.test.unwrap().method, TestMethod::FisherExact);
    let ca = fpr.comparisons.iter().find(|c| label(&c.group) == "Caucasian").unwrap();
    assert!(ca.flagged && ca.within_four_fifths == Some(false));
    let missing = audit(b, ReferencePolicy::Chosen(GroupKey::known(&["Martian"])));
    assert!(missing.vs_reference[0].reference.is_none() && missing.vs_reference[0].notes[0].contains("Martian"));
}

/// splitmix64: a small, seeded generator for the simulation.
struct SplitMix(u64);

impl SplitMix {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn binomial_pmf(n: u64, p: f64) -> Vec<f64> {
    (0..=n)
        .map(|k| {
            (ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
                + k as f64 * p.p_ln()
                + (n - k) as f64 * (-p).p_ln_1p())
            .p_exp()
        })
        .collect()
}

/// Simulated and exact coverage of the Wilson 95 % interval.
fn coverage(n: u64, p: f64, samples: usize, rng: &mut SplitMix) -> (f64, f64) {
    let pmf = binomial_pmf(n, p);
    let covers = |x: u64| wilson(x, n, Z95).is_some_and(|(lo, hi)| lo <= p && p <= hi);
    let exact: f64 = (0..=n).filter(|&x| covers(x)).map(|x| pmf[x as usize]).sum();
    let mut cdf = Vec::with_capacity(pmf.len());
    let mut acc = 0.0;
    for q in &pmf {
        acc += q;
        cdf.push(acc);
    }
    let hits = (0..samples)
        .filter(|_| {
            let u = rng.uniform();
            covers((cdf.partition_point(|&c| c <= u) as u64).min(n))
        })
        .count();
    (hits as f64 / samples as f64, exact)
}

#[test]
fn wilson_coverage_simulation() {
    let mut rng = SplitMix(20240601);
    let samples = 20_000;
    for n in [20u64, 200, 2000] {
        for p in [0.1, 0.2, 0.3, 0.5, 0.8] {
            let (sim, exact) = coverage(n, p, samples, &mut rng);
            println!("Wilson 95 %: n = {n:4}, p = {p}: simulated {sim:.4} ({samples} samples), exact {exact:.4}");
            assert!(sim >= 0.94, "n = {n}, p = {p}: coverage {sim}");
            let sd = (exact * (1.0 - exact) / samples as f64).sqrt();
            assert!((sim - exact).abs() < 5.0 * sd, "simulation disagrees with the exact coverage");
        }
    }
    // Known limitation (Brown, Cai & DasGupta 2001): near p = 0 with small n Wilson's coverage
    // dips; at n = 20, p = 0.05 it is 0.9245 (statsmodels gives the same). Reported, not hidden.
    let (_, dip) = coverage(20, 0.05, 1, &mut rng);
    assert!((dip - 0.9245).abs() < 5e-4, "{dip}");
}
