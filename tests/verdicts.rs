//! Direction-aware verdicts on real data, both ways round (issue 13): the disparity checks
//! name the **disadvantaged** group and its comparator, whichever of the two is the
//! reference, with the effect and its interval.
//!
//! * COMPAS as ProPublica framed it (positive = `two_year_recid` 1, prediction
//!   `decile_score` ≥ 5, the unfavourable outcome), with the largest group
//!   (African-American) as the reference and with Caucasian as the reference: African-
//!   American defendants are labelled high risk 1.69× as often (58.8 % vs 34.8 %) and, among
//!   those who did not reoffend, 1.91× as often (ProPublica's FPR 44.85 % vs 23.45 %).
//! * COMPAS in the favourable framing (positive = no recidivism, prediction = `score_text`
//!   Low, favourable): the same people, the same disadvantaged group, the complementary rates.
//! * Aequitas' adult_rf_binary (label 1 = income > 50K, favourable; its random-forest output
//!   thresholded at 1): Male is selected 70.1 % against Female's 90.3 %, so the reference
//!   (Male, the largest group) is named as disadvantaged.

mod common;
use privaudit::fairness::counts::GroupKey;
use privaudit::fairness::interval::{katz_log_ratio, Z95};
use privaudit::fairness::metrics::Metric;
use privaudit::quality::checks::{CheckOutcome, Status};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;

const UNFAVOURABLE: &str = r#"{"bias": {"protected": ["race", "sex"], "label": "two_year_recid",
    "positive_label": "1", "score": "decile_score", "threshold": 5, "positive_is_favourable": false}}"#;

const FAVOURABLE: &str = r#"{"bias": {"protected": ["race", "sex"], "label": "two_year_recid",
    "positive_label": "0", "prediction": "score_text", "positive_prediction": "Low",
    "positive_is_favourable": true}}"#;

fn audit(path: &str, spec: &str) -> Option<Report> {
    let bytes = std::fs::read(common::shared(path)?).expect("read data");
    let raw = RawSpec::from_json(spec).expect("spec");
    Some(privaudit::audit_bytes(&raw, &bytes, InputMeta::default(), 2).expect("audit"))
}

fn compas(spec: &str) -> Option<Report> {
    audit("fairness-data/compas/compas-scores-two-years.csv", spec)
}

fn gate<'a>(r: &'a Report, id: &str, metric: Metric, group: &str) -> &'a CheckOutcome {
    r.checks
        .iter()
        .find(|c| {
            c.id == id && c.group.as_deref() == Some(group) && c.disparity.as_ref().is_some_and(|d| d.metric == metric)
        })
        .unwrap_or_else(|| panic!("no {id} outcome for {group} on {metric:?}"))
}

/// Status, disadvantaged party, comparator and effect of a ratio outcome.
fn verdict(o: &CheckOutcome) -> (Status, &str, &str, f64, (f64, f64)) {
    let d = o.disparity.as_ref().expect("disparity detail");
    (
        o.status,
        d.disadvantaged.as_deref().expect("someone is disadvantaged"),
        d.comparator.as_deref().expect("a comparator"),
        d.effect.expect("an effect"),
        d.effect_ci95.expect("an interval"),
    )
}

const AA: &str = "race = African-American";
const CAUC: &str = "race = Caucasian";

#[test]
fn compas_unfavourable_with_the_largest_group_as_reference_names_it_disadvantaged() {
    let Some(r) = compas(UNFAVOURABLE) else { return };
    // African-American (3,696 rows) is the reference: the comparison is Caucasian's, and
    // it names the reference as the disadvantaged party.
    let sr = gate(&r, "disparity_ratio", Metric::SelectionRate, CAUC);
    let (status, dis, against, effect, ci) = verdict(sr);
    assert_eq!((status, dis, against), (Status::Warn, AA, CAUC));
    assert!((effect - (2174.0 / 3696.0) / (854.0 / 2454.0)).abs() < 1e-12, "{effect}");
    assert_eq!(ci, katz_log_ratio(2174, 3696, 854, 2454, Z95).unwrap());
    assert!(ci.0 > 1.25, "the whole interval is beyond 1/0.8: {ci:?}");
    assert!((sr.observed.unwrap() - 1.0 / effect).abs() < 1e-12, "the four-fifths rule tests the parity ratio");
    // ProPublica's false positive rates: 805 of 1,795 vs 349 of 1,488.
    let fpr = gate(&r, "disparity_ratio", Metric::FalsePositiveRate, CAUC);
    let (status, dis, against, effect, ci) = verdict(fpr);
    assert_eq!((status, dis, against), (Status::Warn, AA, CAUC));
    assert!((effect - (805.0 / 1795.0) / (349.0 / 1488.0)).abs() < 1e-12);
    assert_eq!(ci, katz_log_ratio(805, 1795, 349, 1488, Z95).unwrap());
    let diff = gate(&r, "disparity_difference", Metric::FalsePositiveRate, CAUC);
    let d = diff.disparity.as_ref().unwrap();
    assert_eq!(d.disadvantaged.as_deref(), Some(AA));
    assert!((d.effect.unwrap() - (805.0 / 1795.0 - 349.0 / 1488.0)).abs() < 1e-12);
    assert_eq!(diff.status, Status::Warn);
    // The note says it in words.
    assert!(fpr.note.as_deref().unwrap().contains("disadvantaged: race = African-American (higher harms)"));
    // The other way round, a group labelled high risk *less* often is never the one named.
    for o in r.checks.iter().filter(|c| c.status == Status::Warn && c.column.as_deref() == Some("race")) {
        assert_eq!(o.disparity.as_ref().unwrap().disadvantaged.as_deref(), Some(AA), "{o:?}");
    }
    // The comparison itself carries the same verdict (JSON fields of the bias section).
    let race = r.bias.as_ref().unwrap().breakdowns[0].audit.as_ref().unwrap();
    let v = race.vs_reference.iter().find(|v| v.metric == Metric::SelectionRate).unwrap();
    assert_eq!(v.harm, privaudit::fairness::direction::Harm::HigherHarms);
    let c = v.comparisons.iter().find(|c| c.group == GroupKey::known(&["Caucasian"])).unwrap();
    assert_eq!(c.disadvantaged, Some(GroupKey::known(&["African-American"])));
    assert_eq!(c.comparator, Some(GroupKey::known(&["Caucasian"])));
}

#[test]
fn compas_unfavourable_with_caucasian_as_reference_gives_the_same_verdict() {
    let spec = UNFAVOURABLE.replace(
        "\"positive_is_favourable\": false",
        "\"positive_is_favourable\": false, \"reference_group\": \"Caucasian\"",
    );
    let (Some(r), Some(largest)) = (compas(&spec), compas(UNFAVOURABLE)) else { return };
    for metric in [Metric::SelectionRate, Metric::FalsePositiveRate] {
        let here = verdict(gate(&r, "disparity_ratio", metric, AA));
        let there = verdict(gate(&largest, "disparity_ratio", metric, CAUC));
        assert_eq!((here.1, here.2), (AA, CAUC), "{metric:?}");
        assert_eq!(here, there, "{metric:?}: the verdict does not depend on which side is the reference");
    }
}

#[test]
fn compas_in_the_favourable_framing_names_the_same_group() {
    let Some(r) = compas(FAVOURABLE) else { return };
    // Low risk (the favourable decision): 1,522 of 3,696 vs 1,600 of 2,454.
    let (status, dis, against, effect, ci) = verdict(gate(&r, "disparity_ratio", Metric::SelectionRate, CAUC));
    assert_eq!((status, dis, against), (Status::Warn, AA, CAUC));
    assert!((effect - (1522.0 / 3696.0) / (1600.0 / 2454.0)).abs() < 1e-12, "{effect}");
    assert_eq!(ci, katz_log_ratio(1522, 3696, 1600, 2454, Z95).unwrap());
    // Among those who did not reoffend (now the positives), not rated Low: ProPublica's FPR
    // read as a false negative rate, gated by default for a favourable positive.
    let (status, dis, _, effect, _) = verdict(gate(&r, "disparity_ratio", Metric::FalseNegativeRate, CAUC));
    assert_eq!((status, dis), (Status::Warn, AA));
    assert!((effect - (805.0 / 1795.0) / (349.0 / 1488.0)).abs() < 1e-12);
    // And the false positive rate here (rated Low among those who did reoffend) is lower for
    // African-American defendants: a lower favourable rate, the same group disadvantaged.
    let race = r.bias.as_ref().unwrap().breakdowns[0].audit.as_ref().unwrap();
    let v = race.vs_reference.iter().find(|v| v.metric == Metric::FalsePositiveRate).unwrap();
    let c = v.comparisons.iter().find(|c| c.group == GroupKey::known(&["Caucasian"])).unwrap();
    assert_eq!(c.disadvantaged, Some(GroupKey::known(&["African-American"])));
    // LL144: the positive prediction is the favourable one, so it is the selection.
    assert!(race.ll144.selected_is_positive);
    let aa = race.ll144.rows.iter().find(|x| x.category == GroupKey::known(&["African-American"])).unwrap();
    assert!((aa.impact_ratio.unwrap() - (1522.0 / 3696.0) / (298.0 / 377.0)).abs() < 1e-12);
}

#[test]
fn compas_ll144_counts_the_favourable_selection_when_high_risk_is_positive() {
    let (Some(unfav), Some(fav)) = (compas(UNFAVOURABLE), compas(FAVOURABLE)) else { return };
    let ll = |r: &Report| r.bias.as_ref().unwrap().breakdowns[0].audit.as_ref().unwrap().ll144.clone();
    let (a, b) = (ll(&unfav), ll(&fav));
    assert!(!a.selected_is_positive && b.selected_is_positive);
    assert_eq!(a.rows, b.rows, "selected = not high risk = rated Low: the same impact ratios");
}

#[test]
fn adult_favourable_positive_names_the_reference_when_it_is_selected_less() {
    let spec = r#"{"bias": {"protected": ["gender", "race"], "label": "label_value", "positive_label": "1",
        "score": "score", "threshold": 1, "positive_is_favourable": true, "intersections": false}}"#;
    let Some(r) = audit("fairness-data/aequitas/adult_rf_binary.csv", spec) else { return };
    // Male (6,570 rows, the reference) is selected 4,607 times, Female 2,888 of 3,199: a
    // lower favourable rate harms, so Male is disadvantaged: 0.78 < 0.8.
    let o = gate(&r, "disparity_ratio", Metric::SelectionRate, "gender = Female");
    let (status, dis, against, effect, ci) = verdict(o);
    assert_eq!((status, dis, against), (Status::Warn, "gender = Male", "gender = Female"));
    assert!((effect - (4607.0 / 6570.0) / (2888.0 / 3199.0)).abs() < 1e-12);
    assert_eq!(ci, katz_log_ratio(4607, 6570, 2888, 3199, Z95).unwrap());
    assert!((o.observed.unwrap() - effect).abs() < 1e-15, "lower harms: the parity ratio is the effect");
    // FNR (label 1 not selected): Male 67.95 %, Female 59.50 %: Male again, within the band.
    let fnr = gate(&r, "disparity_ratio", Metric::FalseNegativeRate, "gender = Female");
    assert_eq!(fnr.disparity.as_ref().unwrap().disadvantaged.as_deref(), Some("gender = Male"));
    assert_eq!(fnr.status, Status::Pass);
}

#[test]
fn the_sample_loan_approvals_name_black_applicants() {
    let bytes = privaudit::sample::loan_applications(20_000, privaudit::sample::SAMPLE_SEED);
    let r = privaudit::audit_bytes(&privaudit::sample::sample_spec(), &bytes, InputMeta::default(), 2).expect("audit");
    let o = gate(&r, "disparity_ratio", Metric::SelectionRate, "race = Black");
    let (status, dis, against, effect, (lo, hi)) = verdict(o);
    assert_eq!((status, dis, against), (Status::Warn, "race = Black", "race = White"));
    assert!(effect < 0.8 && lo < effect && effect < hi);
}

/// LL144 scoring rates assume a high score is favourable; with COMPAS' risk score the
/// section says why they are absent instead of printing numbers, and the summary of
/// results keeps the favourable selection rates.
#[test]
fn compas_scoring_rates_are_not_printed_for_an_unfavourable_score() {
    let Some(r) = compas(UNFAVOURABLE) else { return };
    let scores = r.bias.as_ref().unwrap().scores.as_ref().expect("score section");
    assert!(scores.breakdowns.iter().all(|b| b.ll144_scoring.is_none()));
    assert_eq!(scores.ll144_note.as_deref(), Some(privaudit::report::bias::SCORING_UNFAVOURABLE));
    let html = r.to_html();
    assert!(!html.contains("Scoring rate"), "no scoring-rate table");
    assert!(html.contains("LL144 scoring rates are not computed: the rule&#39;s scoring rate"));
    assert!(
        html.contains("selected = decile_score &lt; 5: decile_score ≥ 5 is the unfavourable outcome"),
        "what was selected"
    );
    // The sample's model score (approval: favourable) keeps its scoring rates.
    let bytes = privaudit::sample::loan_applications(3000, privaudit::sample::SAMPLE_SEED);
    let s = privaudit::audit_bytes(&privaudit::sample::sample_spec(), &bytes, InputMeta::default(), 1).expect("audit");
    let sc = s.bias.as_ref().unwrap().scores.as_ref().unwrap();
    assert!(sc.ll144_note.is_none() && sc.breakdowns.iter().any(|b| b.ll144_scoring.is_some()));
}

/// The headline on COMPAS states the warnings by category; it never reads "all passed".
#[test]
fn compas_headline_counts_warnings_by_category() {
    let Some(r) = compas(UNFAVOURABLE) else { return };
    let html = r.to_html();
    let warn =
        |cat: &[&str]| r.checks.iter().filter(|c| c.status == Status::Warn && cat.contains(&c.id.as_str())).count();
    let fairness = warn(&["disparity_ratio", "disparity_difference"]);
    let missing = warn(&["missing_share", "all_missing_column"]);
    let total = r.checks.iter().filter(|c| c.status == Status::Warn).count();
    assert!(fairness >= 4 && missing > 0);
    let (class, text) = privaudit::report::html_summary::headline(&r.checks);
    assert_eq!(class, "warn");
    assert!(
        text.starts_with(&format!("Passed with {total} warnings: {fairness} fairness, {missing} missing values")),
        "{text}"
    );
    assert!(html.contains(&format!(">Passed with {total} warnings: ")), "the HTML shows the headline");
    assert!(!html.contains("all gate checks passed"));
    // The first fairness finding of the summary is a race or race × sex disparity naming
    // African-American defendants as the disadvantaged party.
    let fairness_block = &html[html.find("<b>Fairness</b>").expect("fairness findings")..];
    let first = &fairness_block[fairness_block.find("<li>").unwrap()..fairness_block.find("</li>").unwrap()];
    assert!(first.contains("The group “African-American"), "{first}");
}

/// DESIGN.md "Report schema versions": a version-1 report (none of the fields added in
/// version 2) still reads, with the new fields absent or defaulted.
#[test]
fn a_version_1_report_still_reads() {
    let bytes = privaudit::sample::loan_applications(600, privaudit::sample::SAMPLE_SEED);
    let r = privaudit::audit_bytes(&privaudit::sample::sample_spec(), &bytes, InputMeta::default(), 1).expect("audit");
    let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    fn strip(v: &mut serde_json::Value) {
        const NEW: [&str; 9] = [
            "disadvantaged",
            "comparator",
            "adverse_ratio",
            "adverse_ratio_ci95",
            "harm",
            "disparity",
            "gated_metrics",
            "selected_is_positive",
            "ll144_note",
        ];
        match v {
            serde_json::Value::Object(m) => {
                for k in NEW {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v["schema"] = "privaudit.report/1".into();
    let old = Report::from_json(&v.to_string()).expect("a v1 report reads");
    let b = old.bias.as_ref().unwrap();
    assert!(b.gated_metrics.is_empty());
    let c = &b.breakdowns[0].audit.as_ref().unwrap().vs_reference[0].comparisons[0];
    assert_eq!((c.disadvantaged.as_ref(), c.adverse_ratio), (None, None));
    assert!(
        b.breakdowns[0].audit.as_ref().unwrap().ll144.selected_is_positive,
        "v1 LL144 counted the positive prediction"
    );
    assert!(old.to_html().contains("Bias audit"));
}

/// Splits CSV text (RFC 4180 quoting, no newlines inside fields here) into records.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let (mut fields, mut cur, mut quoted, mut chars) =
                (Vec::new(), String::new(), false, line.chars().peekable());
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        cur.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => fields.push(std::mem::take(&mut cur)),
                    _ => cur.push(c),
                }
            }
            fields.push(cur);
            fields
        })
        .collect()
}

#[test]
fn the_checks_csv_carries_the_disparity_fields_of_the_json() {
    let Some(r) = compas(UNFAVOURABLE) else { return };
    let csv = privaudit::report::tables::table(&r, "checks").expect("checks table");
    let records = csv_records(&csv);
    let (header, rows) = records.split_first().expect("header");
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    assert_eq!(rows.len(), r.checks.len(), "one row per outcome");
    let fpr = gate(&r, "disparity_ratio", Metric::FalsePositiveRate, CAUC);
    let d = fpr.disparity.as_ref().expect("detail");
    let row = rows
        .iter()
        .find(|row| {
            row[at("id")] == "disparity_ratio"
                && row[at("group")] == CAUC
                && row[at("disparity_metric")] == "false_positive_rate"
        })
        .expect("the FPR outcome's row");
    let ci = d.effect_ci95.expect("interval");
    let num = |k: &str| row[at(k)].parse::<f64>().unwrap_or_else(|e| panic!("{k}: {e}"));
    assert_eq!((row[at("disadvantaged")].as_str(), row[at("comparator")].as_str()), (AA, CAUC));
    assert_eq!((row[at("disparity_harm")].as_str(), row[at("disparity_band")].as_str()), ("higher_harms", "adverse"));
    assert_eq!((row[at("status")].as_str(), num("observed")), ("warn", fpr.observed.expect("observed")));
    assert_eq!(
        (num("effect"), num("effect_ci95_low"), num("effect_ci95_high")),
        (d.effect.expect("effect"), ci.0, ci.1)
    );
    // Other checks leave the disparity fields empty.
    let missing = rows.iter().find(|row| row[at("id")] != "disparity_ratio" && row[at("id")] != "disparity_difference");
    let missing = missing.expect("a non-disparity check");
    assert!(["disparity_metric", "disadvantaged", "effect", "effect_ci95_low"]
        .iter()
        .all(|k| missing[at(k)].is_empty()));
}

/// The grid and the charts draw the band the disparity_ratio check is configured with, and
/// agree with its outcomes: at τ = 0.5 Caucasian's selection ratio 0.59 is inside (the check
/// passes, the grid cell is green), at the default τ = 0.8 it is outside (warn, red).
#[test]
fn grid_and_charts_draw_the_configured_band() {
    let with =
        |checks: &str| UNFAVOURABLE.replacen('{', &format!("{{\"checks\": {{\"disparity_ratio\": {checks}}}, "), 1);
    let cell = |html: &str| {
        let at = html.find("title=\"selection rate: 34.8 % vs 58.8 %").expect("Caucasian's SR cell");
        html[html[..at].rfind("<td").expect("cell")..at].to_string()
    };
    let (Some(loose), Some(default)) = (compas(&with(r#"{"min": 0.5, "band": "symmetric"}"#)), compas(UNFAVOURABLE))
    else {
        return;
    };
    let html = privaudit::report::html::render(&loose);
    assert_eq!(gate(&loose, "disparity_ratio", Metric::SelectionRate, CAUC).status, Status::Pass);
    assert!(cell(&html).contains("pass"), "{}", cell(&html));
    assert!(html.contains("symmetric band (τ = 0.5)"), "chart legend");
    assert!(html.contains("symmetric band (0.50×–2.00×)"), "grid legend");
    let html = privaudit::report::html::render(&default);
    assert_eq!(gate(&default, "disparity_ratio", Metric::SelectionRate, CAUC).status, Status::Warn);
    assert!(cell(&html).contains("fail"), "{}", cell(&html));
    assert!(html.contains("adverse band (τ = 0.8)") && html.contains("adverse band (0.80×–1.25×)"));
}
