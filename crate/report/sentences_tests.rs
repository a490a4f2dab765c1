//! Tests of [`super`]: wording, direction, links, ranking.
use super::*;
use crate::fairness::counts::Confusion;
use crate::fairness::disparity::{audit_breakdown, DisparityOptions};

fn wording(favourable: bool) -> Wording {
    Wording {
        attributes: vec!["group".into()],
        label: Some(("outcome".into(), "yes".into())),
        prediction: "decision = approve".into(),
        prediction_negative: "decision ≠ approve".into(),
        positive_is_favourable: favourable,
    }
}

fn groups() -> Vec<(GroupKey, Confusion)> {
    vec![
        (GroupKey::known(&["A"]), Confusion::new(300, 100, 500, 100)),
        (GroupKey::known(&["B <b>"]), Confusion::new(100, 20, 280, 100)),
        (GroupKey::known(&["C"]), Confusion::new(150, 50, 250, 50)),
        (GroupKey::known(&["empty"]), Confusion::new(0, 0, 40, 0)),
    ]
}

fn audited(favourable: bool) -> BreakdownAudit {
    let opts = DisparityOptions { positive_is_favourable: favourable, ..Default::default() };
    let mut a = audit_breakdown(&groups(), &opts);
    annotate(&wording(favourable), &mut a);
    a
}

fn get(a: &BreakdownAudit, m: Metric, g: &str) -> Option<String> {
    let v = a.vs_reference.iter().find(|v| v.metric == m).unwrap();
    v.comparisons.iter().find(|c| c.group.to_string() == g).unwrap().sentence.clone()
}

/// Katz intervals by hand (ln ratio ± 1.96·√(1/a − 1/m + 1/b − 1/k)); p-values as
/// statsmodels `proportions_ztest` + `multipletests(method="holm")` give them.
#[test]
fn the_disadvantaged_party_comes_first_in_plain_words() {
    let a = audited(true);
    assert_eq!(
        get(&a, Metric::SelectionRate, "B <b>").unwrap(),
        "The group “B <b>” was predicted positive (decision = approve, the favourable outcome) 0.60× as often as the group “A” (24.0 % of 500 vs 40.0 % of 1,000; 95 % interval 0.50×–0.71×; Holm-adjusted p < 0.001)."
    );
    assert_eq!(
        get(&a, Metric::FalseNegativeRate, "B <b>").unwrap(),
        "Among rows with outcome = yes (actual positives), the group “B <b>” was predicted negative (decision ≠ approve, the unfavourable outcome) 2.00× as often as the group “A” (50.0 % of 200 vs 25.0 % of 400; 95 % interval 1.61×–2.49×; Holm-adjusted p < 0.001)."
    );
    // C has the reference's rates: nobody is disadvantaged, no sentence.
    assert_eq!(get(&a, Metric::SelectionRate, "C"), None);
    // No label-positive row: TPR undefined, never a sentence.
    assert_eq!(get(&a, Metric::TruePositiveRate, "empty"), None);
    for s in a.vs_reference.iter().flat_map(|v| v.comparisons.iter().filter_map(|c| c.sentence.as_deref())) {
        assert!(!s.contains('`') && !s.contains("e-") && !s.contains('_'), "{s}");
    }
}

/// With an unfavourable positive class the reference A (selected 40 %) is the
/// disadvantaged party against B (24 %), and the sentence says so with A as the subject.
#[test]
fn a_disadvantaged_reference_is_the_subject() {
    let a = audited(false);
    let s = get(&a, Metric::SelectionRate, "B <b>").unwrap();
    assert!(
        s.starts_with("The group “A” was predicted positive (decision = approve, the unfavourable outcome) 1.67× as often as the group “B <b>” (40.0 % of 1,000 vs 24.0 % of 500; 95 % interval 1.40×–1.98×"),
        "{s}"
    );
}

#[test]
fn numbers_link_to_their_definitions() {
    let a = audited(true);
    let v = a.vs_reference.iter().find(|v| v.metric == Metric::SelectionRate).unwrap();
    let c = v.comparisons.iter().find(|c| c.group.to_string() == "B <b>").unwrap();
    let html = sentence(&wording(true), Metric::SelectionRate, c, &groups()).unwrap().html();
    assert!(html.contains("“B &lt;b&gt;”"), "{html}");
    assert!(html.contains(&format!("<a href=\"#{}\">0.60×</a>", anchors::definition(terms::ADVERSE_RATIO))), "{html}");
    assert!(html.contains(&format!("<a href=\"#{}\">24.0 %</a>", anchors::definition("selection rate"))), "{html}");
    assert!(html.contains(&format!("<a href=\"#{}\">&lt; 0.001</a>", anchors::definition(terms::HOLM_P))), "{html}");
    // Every linked term is in the glossary.
    let glossary: Vec<String> = super::super::glossary_bias::bias_definitions().into_iter().map(|d| d.term).collect();
    for part in &sentence(&wording(true), Metric::SelectionRate, c, &groups()).unwrap().0 {
        if let Part::Number(_, term) = part {
            assert!(glossary.iter().any(|g| g == term), "{term} is not defined");
        }
    }
}

#[test]
fn zero_comparator_rate_says_the_ratio_is_undefined() {
    let groups = vec![
        (GroupKey::known(&["A"]), Confusion::new(0, 0, 500, 500)),
        (GroupKey::known(&["B"]), Confusion::new(100, 0, 300, 100)),
    ];
    let opts = DisparityOptions { positive_is_favourable: false, ..Default::default() };
    let mut a = audit_breakdown(&groups, &opts);
    annotate(&wording(false), &mut a);
    let s = a.vs_reference[0].comparisons[0].sentence.clone().unwrap();
    assert!(s.contains("The group “B” was predicted positive"), "{s}");
    assert!(
        s.contains("at a rate of 20.0 % of 500, against 0.0 % of 1,000 for the group “A” (the ratio is undefined;"),
        "{s}"
    );
}

#[test]
fn ranking_keeps_one_of_each_complementary_pair_largest_first() {
    let a = audited(true);
    let r = ranked(&a.vs_reference, true);
    assert!(!r.is_empty());
    for (v, _) in &r {
        assert!(reported(v.metric, true), "{:?}", v.metric);
    }
    assert!(r.iter().all(|(v, _)| v.metric != Metric::TruePositiveRate), "FNR is read out, not TPR");
    // One sentence per pair of groups first (every pair here has A, the reference), then
    // the pairs' other metrics, each part in order of importance.
    let pairs: Vec<String> = r.iter().map(|(_, c)| c.group.to_string()).collect();
    let mut distinct = pairs.clone();
    distinct.sort();
    distinct.dedup();
    let k = distinct.len();
    assert!(k >= 2, "{pairs:?}");
    let mut head = pairs[..k].to_vec();
    head.sort();
    assert_eq!(head, distinct, "{pairs:?}");
    let rest: Vec<(bool, f64)> = r.iter().skip(k).map(|(_, c)| (c.flagged, importance(c))).collect();
    for w in rest.windows(2) {
        assert!((w[0].0 && !w[1].0) || (w[0].0 == w[1].0 && w[0].1 >= w[1].1), "{rest:?}");
    }
}

/// A small group's extreme ratio with a wide interval ranks below a large group's
/// smaller, well-measured one.
#[test]
fn importance_is_the_part_of_the_effect_the_interval_vouches_for() {
    let groups = vec![
        (GroupKey::known(&["ref"]), Confusion::new(0, 500, 1500, 0)),
        (GroupKey::known(&["big"]), Confusion::new(0, 800, 1200, 0)),
        (GroupKey::known(&["few"]), Confusion::new(0, 13, 17, 0)),
    ];
    let opts = DisparityOptions { positive_is_favourable: false, ..Default::default() };
    let a = audit_breakdown(&groups, &opts);
    let sr = &a.vs_reference[0];
    let (big, few) = (&sr.comparisons[0], &sr.comparisons[1]);
    assert!(effect_size(few) > effect_size(big), "1.73x vs 1.6x");
    assert!(importance(big) > importance(few), "{} {}", importance(big), importance(few));
    let r = ranked(&a.vs_reference, false);
    assert_eq!(r[0].1.group, GroupKey::known(&["big"]));
    use crate::math::Portable;
    assert_eq!(importance(&sr.comparisons[0]), big.adverse_ratio_ci95.unwrap().0.max(1.0).p_ln());
}
