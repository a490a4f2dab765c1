//! Tests of [`super`]: skips with reasons, the adverse reading both ways round, the
//! symmetric band, the default and listed metrics.
use super::*;
use crate::fairness::disparity::{audit_breakdown, DisparityOptions};
use crate::quality::checks::{validate, RawCheck};

fn groups() -> Vec<(GroupKey, Confusion)> {
    vec![
        (GroupKey::known(&["A"]), Confusion::new(300, 100, 500, 100)),
        (GroupKey::known(&["B"]), Confusion::new(100, 20, 280, 100)),
        (GroupKey::known(&["C"]), Confusion::new(150, 50, 250, 50)),
        (GroupKey::known(&["tiny"]), Confusion::new(1, 0, 3, 1)),
        (GroupKey::known(&["no negatives"]), Confusion::new(40, 0, 0, 10)),
        (GroupKey { levels: vec![Level::Unknown] }, Confusion::new(5, 5, 5, 5)),
    ]
}

fn run(raw: &RawChecks, favourable: bool) -> Vec<CheckOutcome> {
    let opts = DisparityOptions { positive_is_favourable: favourable, ..Default::default() };
    let audit = audit_breakdown(&groups(), &opts);
    let attrs = ["g".to_string()];
    disparity_outcomes(raw, std::iter::once((&attrs[..], Some(GateView::of_audit(&audit)), None)))
}

fn find<'a>(out: &'a [CheckOutcome], id: &str, metric: Metric, group: &str) -> &'a CheckOutcome {
    out.iter()
        .find(|o| o.id == id && o.group.as_deref() == Some(group) && o.disparity.as_ref().unwrap().metric == metric)
        .unwrap_or_else(|| panic!("no {id} {metric:?} {group}"))
}

fn with(id: &str, cfg: RawCheck) -> RawChecks {
    let mut raw = RawChecks::new();
    raw.insert(id.into(), cfg);
    raw
}

#[test]
fn small_and_undefined_groups_are_skipped_with_a_reason() {
    let cfg = RawCheck {
        metric: Some(MetricChoice::One("false_positive_rate".into())),
        severity: Some(Severity::Fail),
        min: Some(0.5),
        ..Default::default()
    };
    let out = run(&with("disparity_ratio", cfg), true);
    let ratio: Vec<_> = out.iter().filter(|o| o.id == "disparity_ratio").collect();
    assert_eq!(ratio.len(), 4, "B, C, tiny, no negatives; never the unknown group");
    let fpr = Metric::FalsePositiveRate;
    // B: FPR 20/300 vs 100/600: parity 0.4 < 0.5. A lower FPR harms when the positive
    // class is favourable: B is the disadvantaged party.
    let b = find(&out, "disparity_ratio", fpr, "g = B");
    assert_eq!(b.status, Status::Fail);
    assert!((b.observed.unwrap() - 0.4).abs() < 1e-12);
    assert_eq!((b.numerator, b.denominator), (20, 300));
    assert_eq!(b.disparity.as_ref().unwrap().disadvantaged.as_deref(), Some("g = B"));
    assert_eq!(find(&out, "disparity_ratio", fpr, "g = C").status, Status::Pass);
    let tiny = find(&out, "disparity_ratio", fpr, "g = tiny");
    assert_eq!(tiny.status, Status::Skipped);
    assert!(tiny.note.as_deref().unwrap().contains("fewer than min_group_size 30"));
    let undefined = find(&out, "disparity_ratio", fpr, "g = no negatives");
    assert_eq!((undefined.status, undefined.observed), (Status::Skipped, None));
    assert!(undefined.note.as_deref().unwrap().contains("undefined (0/0)"));
    // The difference check keeps its defaults: selection rate and FNR (favourable
    // positive), warn above 0.1.
    let b = find(&out, "disparity_difference", Metric::SelectionRate, "g = B");
    assert_eq!(b.status, Status::Warn); // |24 % − 40 %| = 0.16 > 0.1
    let d = b.disparity.as_ref().unwrap();
    assert_eq!(d.disadvantaged.as_deref(), Some("g = B"));
    assert!((d.effect.unwrap() + 0.16).abs() < 1e-12, "B's rate − A's: {d:?}");
    assert!(out.iter().any(|o| o.disparity.as_ref().is_some_and(|d| d.metric == Metric::FalseNegativeRate)));
}

/// The reference (A, the largest group) is selected 40 %, B 24 %. With an unfavourable
/// positive class A is the disadvantaged party: the gate names A against B, with the
/// harmful-rate ratio 40/24 as the effect; the parity ratio 0.6 is what the rule tests.
#[test]
fn a_disadvantaged_reference_is_named_not_silenced() {
    let out = run(&RawChecks::new(), false);
    let b = find(&out, "disparity_ratio", Metric::SelectionRate, "g = B");
    assert_eq!((b.status, b.bound.as_str(), b.threshold), (Status::Warn, "min", 0.8));
    assert!((b.observed.unwrap() - 0.6).abs() < 1e-12);
    let d = b.disparity.as_ref().unwrap();
    assert_eq!((d.disadvantaged.as_deref(), d.comparator.as_deref()), (Some("g = A"), Some("g = B")));
    assert_eq!(d.harm, Harm::HigherHarms);
    assert!((d.effect.unwrap() - 0.4 / 0.24).abs() < 1e-12);
    let (lo, hi) = d.effect_ci95.unwrap();
    assert!(lo > 1.25 && hi > lo, "{lo} {hi}");
    assert!(b.note.as_deref().unwrap().contains("disadvantaged: g = A (higher harms)"), "{:?}", b.note);
    // Unfavourable positive with a label: the FPR is gated by default, not the FNR.
    assert!(out.iter().any(|o| o.disparity.as_ref().is_some_and(|d| d.metric == Metric::FalsePositiveRate)));
    assert!(!out.iter().any(|o| o.disparity.as_ref().is_some_and(|d| d.metric == Metric::FalseNegativeRate)));
    // The same comparison with a favourable positive: B is disadvantaged, same parity.
    let fav = run(&RawChecks::new(), true);
    let b = find(&fav, "disparity_ratio", Metric::SelectionRate, "g = B");
    assert_eq!(b.observed, find(&out, "disparity_ratio", Metric::SelectionRate, "g = B").observed);
    assert_eq!(b.disparity.as_ref().unwrap().disadvantaged.as_deref(), Some("g = B"));
}

#[test]
fn the_symmetric_band_reports_group_over_reference() {
    let cfg = RawCheck { band: Some(Band::Symmetric), ..Default::default() };
    let out = run(&with("disparity_ratio", cfg), false);
    let b = find(&out, "disparity_ratio", Metric::SelectionRate, "g = B");
    assert_eq!((b.status, b.bound.as_str()), (Status::Warn, "band"));
    assert!((b.observed.unwrap() - 0.6).abs() < 1e-12);
    // C selects 40 %: ratio 1, inside the band.
    assert_eq!(find(&out, "disparity_ratio", Metric::SelectionRate, "g = C").status, Status::Pass);
    // Flags agree with the adverse reading.
    let adverse = run(&RawChecks::new(), false);
    for o in out.iter().filter(|o| o.id == "disparity_ratio") {
        let d = o.disparity.as_ref().unwrap();
        let a = find(&adverse, "disparity_ratio", d.metric, o.group.as_deref().unwrap());
        assert_eq!(o.status, a.status, "{:?}", o.group);
    }
}

#[test]
fn a_zero_rate_against_a_positive_one_is_flagged() {
    let groups = vec![
        (GroupKey::known(&["ref"]), Confusion::new(0, 0, 50, 50)),
        (GroupKey::known(&["hit"]), Confusion::new(10, 5, 15, 10)),
    ];
    let audit = audit_breakdown(&groups, &DisparityOptions { positive_is_favourable: false, ..Default::default() });
    let attrs = ["g".to_string()];
    let out =
        disparity_outcomes(&RawChecks::new(), std::iter::once((&attrs[..], Some(GateView::of_audit(&audit)), None)));
    let hit = find(&out, "disparity_ratio", Metric::SelectionRate, "g = hit");
    assert_eq!((hit.status, hit.observed), (Status::Warn, Some(0.0)));
    let d = hit.disparity.as_ref().unwrap();
    assert_eq!((d.disadvantaged.as_deref(), d.effect), (Some("g = hit"), None), "ratio over 0 is undefined");
}

#[test]
fn metric_lists_are_validated_and_gated_in_order() {
    let list = MetricChoice::Many(vec!["accuracy".into(), "false_discovery_rate".into()]);
    let out = run(&with("disparity_ratio", RawCheck { metric: Some(list), ..Default::default() }), false);
    let metrics: Vec<Metric> = out
        .iter()
        .filter(|o| o.id == "disparity_ratio")
        .map(|o| o.disparity.as_ref().unwrap().metric)
        .fold(Vec::new(), |mut v, m| {
            if v.last() != Some(&m) {
                v.push(m);
            }
            v
        });
    assert_eq!(metrics, [Metric::Accuracy, Metric::FalseDiscoveryRate]);
    for (bad, says) in [
        (MetricChoice::Many(vec![]), "at least one"),
        (MetricChoice::Many(vec!["selection_rate".into(), "auc".into()]), "`auc` is not a compared metric"),
        (MetricChoice::One("base_rate".into()), "use one of selection_rate"),
    ] {
        let raw = with("disparity_difference", RawCheck { metric: Some(bad), ..Default::default() });
        let e = validate(&raw, &[]).unwrap_err().to_string();
        assert!(e.contains(says) && e.contains("checks.disparity_difference.metric"), "{e}");
    }
    let raw = with("missing_share", RawCheck { band: Some(Band::Symmetric), ..Default::default() });
    assert!(validate(&raw, &[]).unwrap_err().to_string().contains("only the disparity checks"));
    // TOML and JSON take a name or a list.
    let one: RawCheck = toml::from_str("metric = \"accuracy\"\nband = \"symmetric\"").unwrap();
    assert_eq!((one.metric, one.band), (Some(MetricChoice::One("accuracy".into())), Some(Band::Symmetric)));
    let many: RawCheck = serde_json::from_str(r#"{"metric": ["accuracy", "selection_rate"]}"#).unwrap();
    assert_eq!(many.metric.unwrap().names(), ["accuracy", "selection_rate"]);
}
