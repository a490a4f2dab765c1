//! The bias audit end to end through the streaming engine: COMPAS as ProPublica analysed
//! it (label `two_year_recid` = 1, prediction `decile_score >= 5`, race and sex), checked
//! against ProPublica's published rates and against the per-group counts in the committed
//! fairlearn/AIF360/Aequitas fixture, in one pass and in several ranges.

mod common;
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;

const COMPAS_SPEC: &str = r#"{"bias": {"protected": ["race", "sex"], "label": "two_year_recid",
    "positive_label": "1", "score": "decile_score", "threshold": 5, "positive_is_favourable": false}}"#;

fn compas(workers: usize) -> Option<Report> {
    let path = common::shared("fairness-data/compas/compas-scores-two-years.csv")?;
    let bytes = std::fs::read(path).expect("read COMPAS");
    let raw = RawSpec::from_json(COMPAS_SPEC).expect("spec");
    Some(privaudit::audit_bytes(&raw, &bytes, InputMeta::default(), workers).expect("audit"))
}

fn rate(audit: &privaudit::fairness::disparity::BreakdownAudit, group: &str, metric: &str) -> f64 {
    let g = audit.groups.iter().find(|g| g.group.to_string() == group).unwrap_or_else(|| panic!("no group {group}"));
    let json = serde_json::to_value(g.metrics).expect("json");
    json[metric]["value"].as_f64().unwrap_or_else(|| panic!("{metric} of {group} undefined: {json}"))
}

#[test]
fn propublica_rates_reproduce_exactly() {
    let Some(r) = compas(1) else { return };
    let bias = r.bias.expect("bias section");
    assert_eq!((bias.excluded_missing_label, bias.excluded_missing_prediction), (0, 0));
    let race = bias.breakdowns[0].audit.as_ref().expect("race audit");
    let pct = |x: f64| (x * 10_000.0).round() / 100.0;
    let overall = serde_json::to_value(race.overall).expect("json");
    assert_eq!(pct(overall["false_positive_rate"]["value"].as_f64().unwrap()), 32.35);
    assert_eq!(pct(overall["false_negative_rate"]["value"].as_f64().unwrap()), 37.40);
    assert_eq!(pct(rate(race, "African-American", "false_positive_rate")), 44.85);
    assert_eq!(pct(rate(race, "African-American", "false_negative_rate")), 27.99);
    assert_eq!(pct(rate(race, "Caucasian", "false_positive_rate")), 23.45);
    assert_eq!(pct(rate(race, "Caucasian", "false_negative_rate")), 47.72);
    assert_eq!(bias.breakdowns.len(), 3, "race, sex and race × sex");
    assert_eq!(bias.breakdowns[2].attributes, ["race", "sex"]);
}

#[test]
fn group_counts_match_the_reference_fixture_and_do_not_depend_on_splitting() {
    let (Some(one), Some(four)) = (compas(1), compas(4)) else { return };
    assert_eq!(serde_json::to_string(&one.bias).unwrap(), serde_json::to_string(&four.bias).unwrap());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/fairness_compas.json");
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .expect("missing tests/data/reference/fairness_compas.json; rebuild with scripts/reference/fairness.py"),
    )
    .expect("fixture json");
    // Every breakdown's per-group confusion counts equal the fixture's (made by pandas from
    // the same CSV), group for group.
    let bias = one.bias.as_ref().unwrap();
    for (b, key) in bias.breakdowns.iter().zip(["race", "sex", "race_x_sex"]) {
        let audit = b.audit.as_ref().unwrap();
        let want = fixture["datasets"]["compas_recid"]["breakdowns"][key]["groups"].as_array().expect("groups");
        assert_eq!(audit.groups.len(), want.len(), "{key}: number of groups");
        for w in want {
            let name: Vec<String> =
                w["group"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
            let g = audit.groups.iter().find(|g| g.group.to_string() == name.join(" | ")).expect("group present");
            let c = g.confusion;
            let got = [c.tp, c.fp, c.tn, c.fn_];
            let exp = ["tp", "fp", "tn", "fn"].map(|k| w[k].as_u64().unwrap());
            assert_eq!(got, exp, "{key} {name:?}");
        }
    }
}

#[test]
fn bias_spec_errors_name_the_parameter() {
    let bytes = privaudit::sample::loan_applications(200, privaudit::sample::SAMPLE_SEED);
    for (spec, field) in [
        (r#"{"bias": {"protected": ["nope"], "label": "repaid", "positive_label": "1"}}"#, "bias.protected"),
        (r#"{"bias": {"protected": ["race"], "label": "repaid"}}"#, "bias.positive_label"),
        (
            r#"{"bias": {"protected": ["race"], "positive_label": "1", "prediction": "decision", "positive_prediction": "approved"}}"#,
            "bias.positive_label",
        ),
        (
            r#"{"bias": {"protected": ["race"], "label": "repaid", "positive_label": "1", "score": "race", "threshold": 1}}"#,
            "bias.score",
        ),
    ] {
        let e =
            privaudit::audit_bytes(&RawSpec::from_json(spec).unwrap(), &bytes, InputMeta::default(), 1).unwrap_err();
        assert!(e.to_string().contains(field), "{e}");
    }
}

#[test]
fn the_sample_spec_audits_the_injected_bias() {
    let bytes = privaudit::sample::loan_applications(20_000, privaudit::sample::SAMPLE_SEED);
    let r = privaudit::audit_bytes(&privaudit::sample::sample_spec(), &bytes, InputMeta::default(), 2).expect("audit");
    let bias = r.bias.expect("bias section");
    let race = bias.breakdowns.iter().find(|b| b.attributes == ["race"]).unwrap().audit.as_ref().unwrap();
    let black = rate(race, "Black", "selection_rate");
    let white = rate(race, "White", "selection_rate");
    assert!(black / white < 0.8, "the generator injects a disparate impact below 0.8: {black} / {white}");
}

/// The sentences of ProPublica's FPR and TPR gaps, reference `Caucasian`. The Holm-adjusted
/// p-values agree with statsmodels `proportions_ztest` + `multipletests(method="holm")` over
/// the five other races (FPR 1.06e-36, TPR 4.39e-25: printed "< 0.001"); the intervals are
/// Katz's, as computed by hand in Python (FPR 1.7212–2.1241, TPR 1.2890–1.4722).
#[test]
fn compas_fpr_gap_in_plain_language() {
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(path).expect("read COMPAS");
    let spec = COMPAS_SPEC.replace(
        "\"positive_is_favourable\": false",
        "\"positive_is_favourable\": false, \"reference_group\": \"Caucasian\"",
    );
    let raw = RawSpec::from_json(&spec).expect("spec");
    let r = privaudit::audit_bytes(&raw, &bytes, InputMeta::default(), 2).expect("audit");
    let bias = r.bias.expect("bias section");
    let race = bias.breakdowns[0].audit.as_ref().expect("race audit");
    let sentence = |metric: privaudit::fairness::metrics::Metric, group: &str| {
        let v = race.vs_reference.iter().find(|v| v.metric == metric).expect("metric");
        v.comparisons.iter().find(|c| c.group.to_string() == group).expect("group").sentence.clone()
    };
    use privaudit::fairness::metrics::Metric;
    assert_eq!(
        sentence(Metric::FalsePositiveRate, "African-American").expect("a sentence"),
        "Among rows with two_year_recid ≠ 1 (actual negatives), the group “African-American” was predicted \
         positive (decile_score ≥ 5, the unfavourable outcome) 1.91× as often as the group “Caucasian” \
         (44.8 % of 1,795 vs 23.5 % of 1,488; 95 % interval 1.72×–2.12×; Holm-adjusted p < 0.001)."
    );
    assert_eq!(
        sentence(Metric::TruePositiveRate, "African-American").expect("a sentence"),
        "Among rows with two_year_recid = 1 (actual positives), the group “African-American” was predicted \
         positive (decile_score ≥ 5, the unfavourable outcome) 1.38× as often as the group “Caucasian” \
         (72.0 % of 1,901 vs 52.3 % of 966; 95 % interval 1.29×–1.47×; Holm-adjusted p < 0.001)."
    );
    // With African-American (the largest group) as the reference the sentence is the same:
    // the disadvantaged party is the subject whichever side of the comparison it is on.
    let largest = privaudit::audit_bytes(&RawSpec::from_json(COMPAS_SPEC).unwrap(), &bytes, InputMeta::default(), 1)
        .expect("audit");
    let race_l = largest.bias.as_ref().unwrap().breakdowns[0].audit.as_ref().unwrap();
    let v = race_l.vs_reference.iter().find(|v| v.metric == Metric::FalsePositiveRate).unwrap();
    let c = v.comparisons.iter().find(|c| c.group.to_string() == "Caucasian").unwrap();
    assert_eq!(c.sentence, sentence(Metric::FalsePositiveRate, "African-American"));
    // Every sentence is backed by a flag or a Holm p < 0.05 and two defined rates.
    for v in &race.vs_reference {
        for c in &v.comparisons {
            if c.sentence.is_some() {
                assert!(c.value.is_some() && c.reference_value.is_some());
                assert!(c.flagged || c.p_holm.is_some_and(|p| p < 0.05), "{:?}", c.sentence);
            }
        }
    }
}

/// Without a label (LL144 allows it) the audit is selection-only: the same selection
/// rates, between-group differences, vs-reference comparisons and LL144 impact ratios as
/// the full audit, every label-based metric absent with a note.
#[test]
fn selection_only_audit_without_a_label() {
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(path).expect("read COMPAS");
    let no_label = r#"{"bias": {"protected": ["race", "sex"], "score": "decile_score", "threshold": 5,
        "positive_is_favourable": false}}"#;
    let audit = |spec: &str, workers| {
        let raw = RawSpec::from_json(spec).expect("spec");
        privaudit::audit_bytes(&raw, &bytes, InputMeta::default(), workers).expect("audit").bias.expect("bias")
    };
    let (sel, sel4, full) = (audit(no_label, 1), audit(no_label, 3), audit(COMPAS_SPEC, 1));
    assert_eq!(serde_json::to_string(&sel).unwrap(), serde_json::to_string(&sel4).unwrap());
    assert_eq!((sel.label.as_deref(), sel.positive_label.as_deref()), (None, None));
    assert_eq!(sel.breakdowns.len(), 3);
    for (s, f) in sel.breakdowns.iter().zip(&full.breakdowns) {
        assert!(s.audit.is_none());
        let (s, f) = (s.selection.as_ref().expect("selection audit"), f.audit.as_ref().expect("full audit"));
        assert!(s.absent[0].contains("no label column"), "{:?}", s.absent);
        assert_eq!(s.ll144, f.ll144);
        assert_eq!(s.between_groups, f.fairlearn.between_groups[0]);
        for (g, h) in s.groups.iter().zip(&f.groups) {
            assert_eq!((&g.group, g.count, g.selection_rate), (&h.group, h.metrics.count, h.metrics.selection_rate));
        }
        let (x, y) = (&s.vs_reference[0], &f.vs_reference[0]);
        for (p, q) in x.comparisons.iter().zip(&y.comparisons) {
            assert_eq!((p.ratio, p.p_holm, &p.sentence), (q.ratio, q.p_holm, &q.sentence));
        }
    }
    // ProPublica's race breakdown: 58.8 % of African-American defendants are scored >= 5.
    // LL144 and the four-fifths rule count the favourable decision (scored below 5):
    // African-American 1,522 of 3,696 (41.2 %) against Other, the most selected, 298 of 377
    // (79.0 %): impact ratio 0.52, adverse impact; Caucasian 65.2 %, 0.825, none.
    let race = sel.breakdowns[0].selection.as_ref().unwrap();
    let aa = race.groups.iter().find(|g| g.group.to_string() == "African-American").unwrap();
    assert_eq!((aa.selection_rate.numerator, aa.selection_rate.denominator), (2174, 3696));
    assert!(!race.ll144.selected_is_positive);
    assert_eq!(race.ll144.highest, vec![privaudit::fairness::counts::GroupKey::known(&["Other"])]);
    let ff = |g: &str| race.four_fifths.iter().find(|f| f.group.to_string() == g).unwrap();
    let aa = ff("African-American");
    assert_eq!(aa.adverse_impact, Some(true), "{aa:?}");
    assert!((aa.impact_ratio.unwrap() - (1522.0 / 3696.0) / (298.0 / 377.0)).abs() < 1e-12);
    assert_eq!(ff("Caucasian").adverse_impact, Some(false));
    // Every label-based metric is absent from the JSON, not null or 0.
    let json = serde_json::to_string(&sel.breakdowns).unwrap();
    for key in ["true_positive_rate", "false_positive_rate", "base_rate", "accuracy"] {
        assert!(!json.contains(&format!("\"{key}\":")), "{key} in a selection-only audit");
    }
    let scores = sel.scores.as_ref().expect("score section: LL144 scoring rates need no label");
    assert!(scores.overall.auc.undefined_reason.as_deref().unwrap().starts_with("no label column"));
    assert!(scores.breakdowns[0].groups.iter().any(|g| g.above_median.is_some()));
}

/// The LL144 summary of results in the HTML: the published layout (number of applicants,
/// selection rate, impact ratio per category, the unknown category), with the rule's
/// worked-example counts (Male 50/92 = 54.3 %, Female 34/76 = 44.7 %, ratio 0.823).
#[test]
fn ll144_summary_of_results_layout() {
    let mut csv = String::from("sex,race,hired\n");
    let mut add = |sex: &str, race: &str, n: usize, hired: usize| {
        for i in 0..n {
            csv.push_str(&format!("{sex},{race},{}\n", if i < hired { "yes" } else { "no" }));
        }
    };
    add("Male", "<b>Asian</b>", 92, 50);
    add("Female", "White", 76, 34);
    add("", "White", 5, 1);
    let spec = r#"{"bias": {"protected": ["sex", "race"], "prediction": "hired", "positive_prediction": "yes"}}"#;
    let raw = RawSpec::from_json(spec).expect("spec");
    let meta = InputMeta {
        file_name: "hiring.csv".into(),
        started_at: Some("2026-12-03T08:00:00Z".into()),
        ..Default::default()
    };
    let html = privaudit::audit_bytes(&raw, csv.as_bytes(), meta, 1).expect("audit").to_html();
    let at = html.find("summary of results").expect("an LL144 summary of results");
    let s = &html[at..];
    let s = &s[..s.find("<h2>").unwrap_or(s.len())];
    assert!(s.contains("<th>Date of the bias audit</th><td>2026-12-03</td>"), "{s}");
    assert!(s.contains("hiring.csv (173 rows"), "{s}");
    let row = |cat: &str, n: u32, rate: &str, ratio: &str| {
        format!(
            "<tr><td>{cat}</td><td class=\"n\">{n}</td><td class=\"n\">{rate}</td><td class=\"n\">{ratio}</td></tr>"
        )
    };
    assert!(s.contains(&row("Male", 92, "54.3 %", "1.000")), "{s}");
    assert!(s.contains(&row("Female", 76, "44.7 %", "0.823")), "{s}");
    assert!(s.contains("Applicants in the unknown category: 5"), "{s}");
    assert!(s.contains("&lt;b&gt;Asian&lt;/b&gt;") && !s.contains("<b>Asian</b>"), "categories are escaped");
    assert!(s.contains("<b>sex × race</b>"), "the intersection has its table: {s}");
    assert!(!s.contains("0.8 ") && !s.contains("pass"), "no pass mark: {s}");
}
