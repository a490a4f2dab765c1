//! Score-based bias metrics end to end through the engine, against scikit-learn, numpy and
//! scipy (`tests/data/reference/scores.json`, written by `scripts/reference/scores.py`):
//! AUC, Hanley–McNeil and DeLong intervals, calibration curve, ECE, Brier score, histogram,
//! threshold sweep, full-sample median and LL144 scoring counts, per group, on a synthetic
//! table (ties, an all-positive and an all-negative group, scores on bin edges, unknown
//! group, missing scores and labels) and on COMPAS (decile score, and decile / 10).
//! Also: the binned fallback past the cap is deterministic under any merge order and its
//! AUC error stays within the stated bound.
//!
//! Run with `--nocapture` to see the largest absolute difference per dataset.

mod common;
use privaudit::fairness::scores::ScoresAcc;
use privaudit::report::scores::{GroupScores, ScoreReport};
use privaudit::report::InputMeta;
use privaudit::spec::RawSpec;
use serde_json::Value;

const REBUILD: &str = "/tmp/fairness-ref/bin/python scripts/reference/scores.py --data ../shared/fairness-data";

fn reference() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/scores.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}; run `{REBUILD}`", path.display()));
    serde_json::from_str(&text).expect("scores.json")
}

fn scores_of(spec: &str, bytes: &[u8], workers: usize) -> ScoreReport {
    let raw = RawSpec::from_json(spec).expect("spec");
    let r = privaudit::audit_bytes(&raw, bytes, InputMeta::default(), workers).expect("audit");
    r.bias.expect("bias section").scores.expect("score section")
}

/// Largest absolute difference seen; every comparison within 1e-12 relative.
#[derive(Default)]
struct Agreement {
    max_abs: f64,
    worst: String,
    compared: usize,
}

impl Agreement {
    fn num(&mut self, what: &str, got: f64, want: f64) {
        let d = (got - want).abs();
        assert!(d <= 1e-12 * want.abs().max(1e-3), "{what}: privaudit {got:e}, reference {want:e} (|Δ| = {d:e})");
        if d > self.max_abs {
            (self.max_abs, self.worst) = (d, what.to_string());
        }
        self.compared += 1;
    }
    fn opt(&mut self, what: &str, got: Option<f64>, want: &Value) {
        match (got, want.as_f64()) {
            (Some(g), Some(w)) => self.num(what, g, w),
            (None, None) => self.compared += 1,
            (g, _) => panic!("{what}: privaudit {g:?}, reference {want}"),
        }
    }
    fn exact(&mut self, what: &str, got: u64, want: &Value) {
        assert_eq!(Some(got), want.as_u64(), "{what}");
        self.compared += 1;
    }
}

fn check_group(a: &mut Agreement, what: &str, g: &GroupScores, w: &Value, probabilities: bool) {
    a.exact(&format!("{what} n"), g.n, &w["n"]);
    a.exact(&format!("{what} positives"), g.positives, &w["positives"]);
    a.exact(&format!("{what} negatives"), g.negatives, &w["negatives"]);
    a.exact(&format!("{what} unlabelled"), g.unlabelled, &w["unlabelled"]);
    a.opt(&format!("{what} auc"), g.auc.value, &w["auc"]);
    assert_eq!(g.auc.value.is_none(), g.auc.undefined_reason.is_some(), "{what}: a null AUC says why");
    for (name, got) in [("hanley_mcneil", g.auc.hanley_mcneil), ("delong", g.auc.delong)] {
        match (got, w.get(name)) {
            (Some(i), Some(r)) => {
                a.num(&format!("{what} {name} se"), i.se, r["se"].as_f64().unwrap());
                a.num(&format!("{what} {name} lo"), i.ci95.0, r["ci95"][0].as_f64().unwrap());
                a.num(&format!("{what} {name} hi"), i.ci95.1, r["ci95"][1].as_f64().unwrap());
            }
            (None, None) => {}
            (g, r) => panic!("{what} {name}: privaudit {g:?}, reference {r:?}"),
        }
    }
    a.opt(
        &format!("{what} auc max_binning_error"),
        g.auc.max_binning_error,
        &if g.auc.value.is_some() { Value::from(0.0) } else { Value::Null },
    );
    let c = &g.calibration;
    if probabilities && g.positives + g.negatives > 0 {
        let r = &w["calibration"];
        let live: Vec<_> = c.bins.iter().filter(|b| b.n > 0).collect();
        let totals: Vec<u64> = c.bins.iter().map(|b| b.n).collect();
        let want_totals: Vec<u64> = r["bin_total"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(totals, want_totals, "{what} calibration bin counts");
        for (i, b) in live.iter().enumerate() {
            a.opt(&format!("{what} prob_true[{i}]"), b.observed_rate, &r["prob_true"][i]);
            a.opt(&format!("{what} prob_pred[{i}]"), b.mean_score, &r["prob_pred"][i]);
        }
        a.opt(&format!("{what} ece"), c.expected_calibration_error, &r["ece"]);
        a.opt(&format!("{what} brier"), c.brier_score, &w["brier"]);
    } else {
        assert!(c.brier_score.is_none() && c.expected_calibration_error.is_none() && c.undefined_reason.is_some());
    }
    let hist: Vec<u64> = w["histogram"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(g.distribution.histogram, hist, "{what} histogram");
    a.exact(&format!("{what} above median"), g.above_median.expect("exact median"), &w["above_median"]);
    for key in ["selection_rate", "true_positive_rate", "false_positive_rate"] {
        let got = match key {
            "selection_rate" => &g.sweep.selection_rate,
            "true_positive_rate" => &g.sweep.true_positive_rate,
            _ => &g.sweep.false_positive_rate,
        };
        let want = w["sweep"][key].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{what} sweep length");
        for (i, (x, y)) in got.iter().zip(want).enumerate() {
            a.opt(&format!("{what} sweep {key}[{i}]"), *x, y);
        }
    }
}

fn check_dataset(name: &str, s: &ScoreReport, want: &Value, breakdowns: &[&str]) {
    let mut a = Agreement::default();
    assert!(s.resolution.exact, "{name}: exact");
    assert_eq!(s.full_sample_median, want["median"].as_f64(), "{name} median");
    assert_eq!(s.scores_are_probabilities, want["probabilities"].as_bool().unwrap());
    let f = |v: &Value| -> Vec<f64> { v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
    assert_eq!(s.histogram_edges, f(&want["histogram_edges"]), "{name} histogram edges");
    assert_eq!(s.thresholds, f(&want["thresholds"]), "{name} thresholds");
    check_group(&mut a, &format!("{name} overall"), &s.overall, &want["overall"], s.scores_are_probabilities);
    for (b, key) in s.breakdowns.iter().zip(breakdowns) {
        let groups = want["breakdowns"][key].as_object().expect("breakdown");
        assert_eq!(b.groups.len(), groups.len(), "{name} {key}: groups");
        for g in &b.groups {
            let label = g.group.to_string();
            let w = groups.get(&label).unwrap_or_else(|| panic!("{name} {key}: no reference group {label}"));
            check_group(&mut a, &format!("{name} {key} {label}"), g, w, s.scores_are_probabilities);
        }
        // A high score that is unfavourable gets no LL144 scoring rates (the per-group
        // counts above the median are still checked above), and the report says why.
        let Some(ll) = b.ll144_scoring.as_ref() else {
            assert!(s.ll144_note.as_deref().is_some_and(|n| n.contains("not computed")), "{name}: LL144 scoring rates");
            continue;
        };
        for r in &ll.rows {
            let w = &groups[&r.category.to_string()];
            assert_eq!((r.n, r.rate.numerator), (w["n"].as_u64().unwrap(), w["above_median"].as_u64().unwrap()));
        }
    }
    println!("{name}: {} numbers, max |Δ| = {:e} ({})", a.compared, a.max_abs, a.worst);
}

const SYNTHETIC_SPEC: &str = r#"{"bias": {"protected": ["group", "sex"], "label": "label",
    "positive_label": "1", "score": "score", "threshold": 0.5}}"#;

#[test]
fn synthetic_matches_sklearn_and_is_split_independent() {
    let bytes = include_bytes!("data/reference/scores_synthetic.csv");
    let one = scores_of(SYNTHETIC_SPEC, bytes, 1);
    for workers in [2, 3, 5] {
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&scores_of(SYNTHETIC_SPEC, bytes, workers)).unwrap()
        );
    }
    assert_eq!((one.excluded_missing_score, one.excluded_infinite_score), (10, 0));
    check_dataset("synthetic", &one, &reference()["datasets"]["synthetic"], &["group", "sex", "group_x_sex"]);
    // The all-positive and all-negative groups have an undefined AUC (null in JSON, with a reason).
    let json = serde_json::to_value(&one).unwrap();
    let groups = json["breakdowns"][0]["groups"].as_array().unwrap();
    for (i, why) in [(1, "no negative rows"), (2, "no positive rows")] {
        assert!(groups[i]["auc"]["value"].is_null());
        assert!(groups[i]["auc"]["undefined_reason"].as_str().unwrap().contains(why), "{}", groups[i]["auc"]);
    }
}

const COMPAS_SPEC: &str = r#"{"bias": {"protected": ["race", "sex"], "label": "two_year_recid",
    "positive_label": "1", "score": "decile_score", "threshold": 5, "positive_is_favourable": false}}"#;

/// race, sex, two_year_recid and decile_score / 10 of the COMPAS file (a quote-aware split;
/// the file has no newline inside quotes).
fn compas_scaled(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let split = |line: &str| {
        let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
        for ch in line.chars() {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        out.push(cur);
        out
    };
    let mut lines = text.lines();
    let head = split(lines.next().unwrap());
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (race, sex, y, d) = (col("race"), col("sex"), col("two_year_recid"), col("decile_score"));
    let mut out = String::from("race,sex,two_year_recid,decile_score\n");
    for l in lines {
        let f = split(l);
        let score = f[d].parse::<f64>().unwrap() / 10.0;
        out.push_str(&format!("{},{},{},{score}\n", f[race], f[sex], f[y]));
    }
    out.into_bytes()
}

#[test]
fn compas_matches_sklearn() {
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(path).expect("read COMPAS");
    let r = reference();
    let bds = ["race", "sex", "race_x_sex"];
    let deciles = scores_of(COMPAS_SPEC, &bytes, 1);
    assert_eq!(
        serde_json::to_string(&deciles).unwrap(),
        serde_json::to_string(&scores_of(COMPAS_SPEC, &bytes, 4)).unwrap()
    );
    assert!(deciles.overall.calibration.undefined_reason.as_deref().unwrap().contains("not [0, 1]"));
    check_dataset("compas_decile", &deciles, &r["datasets"]["compas_decile"], &bds);
    let scaled = compas_scaled(&bytes);
    let spec = COMPAS_SPEC.replace("\"threshold\": 5", "\"threshold\": 0.5, \"score_direction\": \">\"");
    let tenths = scores_of(&spec, &scaled, 3);
    assert_eq!(tenths.threshold_direction, ">");
    check_dataset("compas_decile_over_10", &tenths, &r["datasets"]["compas_decile_over_10"], &bds);
}

/// Scores with many distinct values: (score, group, label).
fn many_scores(n: usize) -> Vec<(f64, usize, bool)> {
    let mut rng = common::Lcg(99);
    (0..n)
        .map(|_| {
            let g = rng.below(3) as usize;
            let s = (rng.next() as f64 / (1u64 << 31) as f64 + 0.2 * g as f64) / 1.4;
            let y = (rng.next() as f64 / (1u64 << 31) as f64) < s;
            (s, g, y)
        })
        .collect()
}

fn acc_of(rows: &[(f64, usize, bool)], cap: usize) -> ScoresAcc {
    let mut a = ScoresAcc::with_cap(1, cap);
    for &(s, g, y) in rows {
        a.add_group(0, &[Some(format!("g{g}"))], s, Some(y));
        a.add_overall(s, Some(y));
    }
    a
}

#[test]
fn binned_fallback_is_deterministic_and_within_its_auc_bound() {
    let rows = many_scores(30_000);
    let exact = acc_of(&rows, usize::MAX).finish();
    let whole = acc_of(&rows, 2_000);
    assert!(whole.level() > 0, "past the cap the scores are binned");
    let attrs = vec![vec!["g".to_string()]];
    let opts = privaudit::fairness::ll144::Ll144Options::default();
    let binned = privaudit::report::scores::build("s".into(), &whole, &attrs, false, None, &opts);
    assert!(!binned.resolution.exact && binned.full_sample_median.is_none());
    let truth = privaudit::report::scores::build("s".into(), &acc_of(&rows, usize::MAX), &attrs, false, None, &opts);
    assert!(truth.resolution.exact && exact.level == 0);
    for (b, t) in
        binned.breakdowns[0].groups.iter().zip(&truth.breakdowns[0].groups).chain([(&binned.overall, &truth.overall)])
    {
        let (got, want, bound) = (b.auc.value.unwrap(), t.auc.value.unwrap(), b.auc.max_binning_error.unwrap());
        assert!(bound > 0.0 && (got - want).abs() <= bound, "{}: |{got} − {want}| > {bound}", b.group);
        println!("{}: binned AUC {got}, exact {want}, |Δ| {:e} ≤ bound {bound:e}", b.group, (got - want).abs());
    }
    // Any split, any merge order: the same state.
    let mut rng = common::Lcg(5);
    for k in [2usize, 3, 7] {
        let mut cuts: Vec<usize> = (0..k - 1).map(|_| rng.below(rows.len() as u64) as usize).collect();
        cuts.extend([0, rows.len()]);
        cuts.sort_unstable();
        let mut parts: Vec<ScoresAcc> = cuts.windows(2).map(|w| acc_of(&rows[w[0]..w[1]], 2_000)).collect();
        parts.rotate_left(k / 2);
        let mut merged = parts.pop().unwrap();
        for p in parts {
            merged.merge(p);
        }
        assert_eq!(merged.finish(), whole.finish(), "{k} parts");
    }
}

#[test]
fn binned_reports_do_not_depend_on_workers() {
    // 120,000 distinct scores: past the default cap of 100,000.
    let mut csv = String::from("g,y,s\n");
    for (i, (s, g, y)) in many_scores(120_000).into_iter().enumerate() {
        csv.push_str(&format!("{},{},{s}\n", ["a", "b", ""][g], u8::from(y) * u8::from(i % 50 != 0)));
    }
    let spec = r#"{"bias": {"protected": ["g"], "label": "y", "positive_label": "1", "score": "s", "threshold": 0.5}}"#;
    let one = scores_of(spec, csv.as_bytes(), 1);
    assert!(!one.resolution.exact && one.resolution.kept_mantissa_bits == 12, "{:?}", one.resolution);
    assert!(one.breakdowns[0].ll144_scoring.is_none());
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&scores_of(spec, csv.as_bytes(), 3)).unwrap()
    );
}

#[test]
fn html_shows_the_charts_and_escapes_group_names() {
    let mut csv = String::from("g,y,s\n");
    for i in 0..200 {
        let g = ["<script>alert(1)</script>", "a&b", "\"q\""][i % 3];
        csv.push_str(&format!("{g},{},{}\n", i % 2, (i % 17) as f64 / 16.0));
    }
    let spec = r#"{"bias": {"protected": ["g"], "label": "y", "positive_label": "1", "score": "s", "threshold": 0.5}}"#;
    let r =
        privaudit::audit_bytes(&RawSpec::from_json(spec).unwrap(), csv.as_bytes(), InputMeta::default(), 2).unwrap();
    let html = r.to_html();
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for title in
        ["selection rate", "true positive rate", "false positive rate", "calibration (observed rate vs mean score)"]
    {
        assert!(html.contains(&format!("aria-label=\"{title}\"")), "{title} chart");
    }
    assert!(html.contains("LL144 impact ratios of the scoring rate"));
    assert!(r.definitions.iter().any(|d| d.term == "AUC"));
}

#[test]
fn edge_cases_are_undefined_not_panics() {
    let spec = r#"{"bias": {"protected": ["g"], "label": "y", "positive_label": "1", "score": "s", "threshold": 0}}"#;
    let raw = RawSpec::from_json(spec).unwrap();
    let run = |csv: &str| {
        let r = privaudit::audit_bytes(&raw, csv.as_bytes(), InputMeta::default(), 2).unwrap();
        assert!(r.to_html().contains("<h3>Scores: <code>s</code></h3>"));
        r.bias.unwrap().scores.unwrap()
    };
    // No scored row (a numeric column of missing and infinite scores): undefined, with reasons.
    let none = run("g,y,s\na,1,NA\nb,0,inf\n");
    assert_eq!((none.excluded_missing_score, none.excluded_infinite_score, none.overall.n), (1, 1, 0));
    assert!(none.full_sample_median.is_none() && none.full_sample_median_note.is_some());
    assert!(none.overall.auc.value.is_none() && none.overall.calibration.undefined_reason.is_some());
    // One distinct score, negative scores and infinities.
    let same = run("g,y,s\na,1,-2\nb,0,-2\na,0,inf\nb,1,-inf\n");
    assert_eq!((same.excluded_infinite_score, same.overall.n), (2, 2));
    assert_eq!(same.histogram_edges.first().zip(same.histogram_edges.last()), Some((&-2.5, &-1.5)));
    assert_eq!(same.overall.auc.value, Some(0.5));
    assert_eq!(same.full_sample_median, Some(-2.0));
    assert_eq!(same.overall.above_median, Some(0));
    assert!(same.overall.calibration.undefined_reason.as_deref().unwrap().contains("not [0, 1]"));
    let ll = same.breakdowns[0].ll144_scoring.as_ref().unwrap();
    assert!(ll.rows.iter().all(|r| r.impact_ratio.is_none()), "0/0 impact ratios are undefined");
}
