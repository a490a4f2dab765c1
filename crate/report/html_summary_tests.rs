//! Tests of [`super`]: the headline never says "passed" alone above warnings, counts by
//! category, and the summary's links have targets.
use super::*;
use crate::quality::checks::{evaluate, outcome, RawCheck, RawChecks, Severity};

fn warn_missing(raw: &RawChecks, col: &str) -> CheckOutcome {
    outcome(raw, "missing_share", Some(col), 6, 10).unwrap()
}

fn disparity(raw: &RawChecks, observed: f64) -> CheckOutcome {
    evaluate(raw, "disparity_ratio", Some("race"), Some(observed), (1, 2)).unwrap()
}

#[test]
fn warnings_are_never_hidden_behind_a_pass() {
    let raw = RawChecks::new();
    let checks = vec![
        outcome(&raw, "min_rows", None, 10, 1).unwrap(),
        warn_missing(&raw, "a"),
        disparity(&raw, 0.5),
        disparity(&raw, 0.6),
        disparity(&raw, 0.9),
        evaluate(&raw, "disparity_ratio", Some("race"), None, (0, 0)).unwrap(),
    ];
    let (class, text) = headline(&checks);
    assert_eq!(class, "warn");
    assert_eq!(text, "Passed with 3 warnings: 2 fairness, 1 missing values; 1 not evaluated");
    assert!(!text.contains("all"));
}

#[test]
fn failures_come_first_with_their_categories() {
    let mut raw = RawChecks::new();
    raw.insert("missing_share".into(), RawCheck { severity: Some(Severity::Fail), ..Default::default() });
    let checks = vec![warn_missing(&raw, "a"), warn_missing(&raw, "b"), disparity(&raw, 0.5)];
    assert_eq!(
        headline(&checks),
        ("fail", "Failed: 2 checks (2 missing values), and 1 warning: 1 fairness".to_string())
    );
    assert_eq!(headline(&checks[..1]), ("fail", "Failed: 1 check (1 missing values)".to_string()));
}

#[test]
fn a_clean_run_says_how_many_checks_passed() {
    let raw = RawChecks::new();
    let checks = vec![outcome(&raw, "min_rows", None, 10, 1).unwrap(), disparity(&raw, 0.95)];
    assert_eq!(headline(&checks), ("pass", "Passed: all 2 checks passed".to_string()));
}

#[test]
fn every_check_of_the_registry_has_a_category() {
    for d in CHECKS {
        assert_ne!(category(d.id), d.id, "{} has no category", d.id);
    }
}

/// The built-in sample with its spec: the headline counts what the checks say, the
/// fairness findings name Black applicants first, and every link has its target.
#[test]
fn the_sample_summary_names_the_disadvantaged_and_links_resolve() {
    let bytes = crate::sample::loan_applications(3000, crate::sample::SAMPLE_SEED);
    let r = crate::audit_bytes(&crate::sample::sample_spec(), &bytes, crate::report::InputMeta::default(), 1).unwrap();
    let html = r.to_html();
    let warns = r.checks.iter().filter(|c| c.status == Status::Warn).count();
    let fairness = r.checks.iter().filter(|c| c.status == Status::Warn && c.disparity.is_some()).count();
    assert!(warns > fairness && fairness > 0);
    let (_, text) = headline(&r.checks);
    assert!(text.starts_with(&format!("Passed with {warns} warnings: ")), "{text}");
    assert!(text.contains(&format!("{fairness} fairness")), "{text}");
    let start = html.find("<section id=\"summary\">").expect("summary section");
    let summary = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(summary.contains(&esc(&text)), "{summary}");
    let first = summary.find("<li>").map(|i| &summary[i..]).unwrap_or("");
    let fairness_list = &summary[summary.find("<b>Fairness</b>").expect("fairness findings")..];
    assert!(fairness_list.contains("“Black”"), "{fairness_list}");
    assert!(!first.is_empty());
    // Links: breakdown and section anchors rendered in this document, glossary terms defined
    // (the glossary's and the checks table's ids are rendered with the same anchors
    // functions by the page skeleton).
    let terms: Vec<String> = r.definitions.iter().map(|d| anchors::definition(&d.term)).collect();
    for href in summary.split("href=\"#").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
        let ok = html.contains(&format!("id=\"{href}\"")) || terms.iter().any(|t| t == href) || href == anchors::CHECKS;
        assert!(ok, "link #{href} has no target");
    }
}
