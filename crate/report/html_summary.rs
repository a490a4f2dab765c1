//! The top of the report: an honest headline and an executive summary.
//!
//! **Headline** ([`headline`]): what happened, never a green "all passed" above warnings —
//! "Failed: 2 checks (1 fairness, 1 missing values), and 49 warnings: …", "Passed with 73
//! warnings: 44 fairness, 13 missing values, …", or "Passed: all 300 checks" when nothing
//! warned. Counts are by category ([`category`]), largest first; checks that could not be
//! evaluated are counted separately ("12 not evaluated").
//!
//! **Executive summary** ([`render`]), the findings that matter, ranked: (1) every failed
//! check; (2) fairness findings, one per comparison and metric (the ratio and difference
//! checks of one comparison are one finding), ranked by the part of the effect the 95 %
//! interval vouches for ([`super::sentences::importance`]) — each pair of groups first
//! with its most important metric, then the pairs' other metrics — each in plain words
//! with its numbers linked to their definitions; (3) data quality, one line
//! per kind of check with its worst cases. Every item links to its section
//! ([`super::anchors`]).

use super::anchors;
use super::bias::BiasReport;
use super::fmt;
use super::html::esc;
use super::model::Report;
use super::sentences::{importance, sentence, Wording};
use crate::fairness::counts::{Confusion, GroupKey};
use crate::fairness::versus_reference::Comparison;
use crate::quality::checks::{CheckOutcome, Status, CHECKS};
use crate::quality::disparity_gates::group_name;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Fairness findings listed before "and N more".
pub const TOP_FAIRNESS: usize = 5;
/// Failed checks listed before "and N more".
pub const TOP_FAILURES: usize = 8;

/// The category of a check, for the headline's counts.
pub fn category(id: &str) -> &str {
    match id {
        "disparity_ratio" | "disparity_difference" => "fairness",
        "missing_share" | "all_missing_column" => "missing values",
        "group_missing_gap" | "group_unparseable_gap" => "quality by group",
        "unparseable_cells" | "ragged_rows" | "quoted_line_breaks" | "unterminated_quote" => "parsing",
        "constant_column" | "near_constant_column" => "constant columns",
        "duplicate_rows" | "duplicate_columns" => "duplicates",
        "class_imbalance" | "conflicting_labels" => "labels",
        "target_leakage" => "leakage",
        "dataset_drift" => "drift",
        "train_test_overlap" => "train/test overlap",
        "whitespace_values" => "white space",
        "future_dates" => "future dates",
        "representation_ratio" => "representation",
        "min_rows" => "row count",
        "direct_identifiers" => "personal data",
        "k_anonymity" | "sample_uniques" | "l_diversity" => "re-identification",
        other => other,
    }
}

/// "22 fairness, 13 missing values": counts of `status` by category, largest first.
fn by_category(checks: &[CheckOutcome], status: Status) -> (usize, String) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in checks.iter().filter(|c| c.status == status) {
        *counts.entry(category(&c.id)).or_default() += 1;
    }
    let total = counts.values().sum();
    let mut list: Vec<(&str, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let text = list.iter().map(|(k, n)| format!("{} {k}", fmt::count(*n as u64))).collect::<Vec<_>>().join(", ");
    (total, text)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", fmt::count(n as u64), if n == 1 { one } else { many })
}

/// The headline: (css class, text).
pub fn headline(checks: &[CheckOutcome]) -> (&'static str, String) {
    let (fails, fail_text) = by_category(checks, Status::Fail);
    let (warns, warn_text) = by_category(checks, Status::Warn);
    let skipped = checks.iter().filter(|c| c.status == Status::Skipped).count();
    let evaluated = checks.len() - skipped;
    let mut text = match (fails, warns) {
        (0, 0) => format!("Passed: all {} passed", plural(evaluated, "check", "checks")),
        (0, w) => format!("Passed with {}: {warn_text}", plural(w, "warning", "warnings")),
        (f, 0) => format!("Failed: {} ({fail_text})", plural(f, "check", "checks")),
        (f, w) => format!(
            "Failed: {} ({fail_text}), and {}: {warn_text}",
            plural(f, "check", "checks"),
            plural(w, "warning", "warnings")
        ),
    };
    if skipped > 0 {
        text.push_str(&format!("; {} not evaluated", fmt::count(skipped as u64)));
    }
    let class = match (fails, warns) {
        (0, 0) => "pass",
        (0, _) => "warn",
        _ => "fail",
    };
    (class, text)
}

fn subject(c: &CheckOutcome) -> String {
    match (&c.column, &c.group) {
        (Some(col), Some(g)) => format!("{col}: {g}"),
        (Some(col), None) => col.clone(),
        _ => "the file".into(),
    }
}

fn observed(c: &CheckOutcome) -> String {
    let share = CHECKS.iter().find(|d| d.id == c.id).is_some_and(|d| d.share);
    match c.observed {
        None => "not evaluated".into(),
        Some(v) if share && c.denominator > 0 && (c.numerator as f64 / c.denominator as f64 - v).abs() < 1e-12 => {
            fmt::pct_of(c.numerator, c.denominator)
        }
        Some(v) => super::html_checks::value(c, v),
    }
}

fn limit(c: &CheckOutcome) -> String {
    format!("{} {}", c.bound, super::html_checks::value(c, c.threshold))
}

/// Renders the headline and the executive summary (replaces the old badge line).
pub fn render(h: &mut String, r: &Report) {
    let (class, text) = headline(&r.checks);
    let background = match class {
        "pass" => "#dafbe1",
        "warn" => "#fff8c5",
        _ => "#ffebe9",
    };
    let _ = write!(
        h,
        "<section id=\"{}\"><p class=\"headline\"><span class=\"badge {class}\" style=\"background:{background}\">{}</span> <span class=\"muted\">schema {}</span></p>",
        anchors::SUMMARY,
        esc(&text),
        esc(&r.schema)
    );
    let fails: Vec<&CheckOutcome> = r.checks.iter().filter(|c| c.status == Status::Fail).collect();
    let fairness = fairness_findings(r);
    let quality = quality_lines(r);
    if fails.is_empty() && fairness.is_empty() && quality.is_empty() {
        h.push_str("</section>");
        return;
    }
    h.push_str("<h2>Summary</h2>");
    if !fails.is_empty() {
        let _ = write!(h, "<p><b>{}</b></p><ul>", esc(&format!("Failed checks ({})", fmt::count(fails.len() as u64))));
        for c in fails.iter().take(TOP_FAILURES) {
            let _ = write!(
                h,
                "<li><a href=\"#{}\">{}</a>: {} — {} ({})</li>",
                anchors::CHECKS,
                esc(&c.title),
                esc(&subject(c)),
                esc(&observed(c)),
                esc(&limit(c))
            );
        }
        h.push_str("</ul>");
        if fails.len() > TOP_FAILURES {
            let _ = write!(
                h,
                "<p class=\"muted\">and {} more in the checks table.</p>",
                fmt::count((fails.len() - TOP_FAILURES) as u64)
            );
        }
    }
    if !fairness.is_empty() {
        let _ = write!(
            h,
            "<p><b>Fairness</b> (largest well-measured disparities first; <a href=\"#{}\">the bias audit</a> has every group and metric)</p><ul>",
            anchors::BIAS
        );
        for f in fairness.iter().take(TOP_FAIRNESS) {
            let _ = write!(h, "<li>{}</li>", f.1);
        }
        h.push_str("</ul>");
        if fairness.len() > TOP_FAIRNESS {
            let _ = write!(
                h,
                "<p class=\"muted\">and {} more fairness findings in <a href=\"#{}\">the bias audit</a>.</p>",
                fmt::count((fairness.len() - TOP_FAIRNESS) as u64),
                anchors::BIAS
            );
        }
    }
    if !quality.is_empty() {
        let _ = write!(h, "<p><b>Data quality</b> (<a href=\"#{}\">all checks</a>)</p><ul>", anchors::CHECKS);
        for line in quality {
            let _ = write!(h, "<li>{line}</li>");
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
}

/// Each group's confusion counts.
type Counts = Vec<(GroupKey, Confusion)>;

/// The comparison a disparity outcome was made from: attributes, comparison, counts.
fn comparison<'a>(b: &'a BiasReport, o: &CheckOutcome) -> Option<(&'a [String], &'a Comparison, Counts)> {
    let d = o.disparity.as_ref()?;
    let br = b.breakdowns.iter().find(|br| Some(br.attributes.join(" × ")) == o.column)?;
    let (vs, counts) = match (&br.audit, &br.selection) {
        (Some(a), _) => (&a.vs_reference, a.groups.iter().map(|g| (g.group.clone(), g.confusion)).collect()),
        (None, Some(s)) => (&s.vs_reference, s.confusions()),
        _ => return None,
    };
    let v = vs.iter().find(|v| v.metric == d.metric)?;
    let c = v.comparisons.iter().find(|c| Some(group_name(&br.attributes, &c.group)) == o.group)?;
    Some((&br.attributes, c, counts))
}

/// Warned or failed disparity outcomes, one per comparison and metric, ranked, as
/// (importance, HTML).
fn fairness_findings(r: &Report) -> Vec<(f64, String)> {
    let Some(b) = &r.bias else { return Vec::new() };
    let mut seen: Vec<(String, String, String)> = Vec::new();
    let mut out = Vec::new();
    let flagged = r.checks.iter().filter(|c| c.disparity.is_some() && matches!(c.status, Status::Warn | Status::Fail));
    for o in flagged {
        let Some(d) = &o.disparity else { continue };
        let pair = (o.column.clone().unwrap_or_default(), o.group.clone().unwrap_or_default());
        let key = (pair.0.clone(), pair.1.clone(), d.metric.name().to_string());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let severity = if o.status == Status::Fail { "<b class=\"fail\">fail</b> " } else { "" };
        let html = match comparison(b, o) {
            Some((attributes, c, counts)) => {
                let w = Wording::of(b, attributes);
                let text = sentence(&w, d.metric, c, &counts)
                    .map_or_else(|| esc(o.note.as_deref().unwrap_or("")), |s| s.html());
                let link =
                    format!("<a href=\"#{}\">{}</a>", anchors::breakdown(attributes), esc(&attributes.join(" × ")));
                (importance(c), format!("{severity}{link}: {text}"))
            }
            None => (0.0, format!("{severity}{}", esc(o.note.as_deref().unwrap_or("")))),
        };
        out.push((pair, html));
    }
    out.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0));
    // Each pair of groups first with its most important metric, then the other metrics.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for (pair, f) in out {
        if pairs.contains(&pair) {
            rest.push(f);
        } else {
            pairs.push(pair);
            first.push(f);
        }
    }
    first.extend(rest);
    first
}

/// One line per kind of warned or failed non-fairness check: how many, the worst few.
fn quality_lines(r: &Report) -> Vec<String> {
    let mut by_id: BTreeMap<&str, Vec<&CheckOutcome>> = BTreeMap::new();
    for c in r.checks.iter().filter(|c| c.disparity.is_none() && c.status == Status::Warn) {
        by_id.entry(&c.id).or_default().push(c);
    }
    let mut groups: Vec<(&str, Vec<&CheckOutcome>)> = by_id.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    groups
        .into_iter()
        .map(|(_, mut list)| {
            let minimum = list[0].bound == "min";
            list.sort_by(|a, b| {
                let (x, y) = (a.observed.unwrap_or(0.0), b.observed.unwrap_or(0.0));
                if minimum {
                    x.total_cmp(&y)
                } else {
                    y.total_cmp(&x)
                }
            });
            let worst: Vec<String> = list.iter().take(3).map(|c| format!("{}: {}", subject(c), observed(c))).collect();
            let more = if list.len() > 3 {
                format!(" and {} more", fmt::count((list.len() - 3) as u64))
            } else {
                String::new()
            };
            format!(
                "<a href=\"#{}\">{}</a> ({}): {}{more}",
                anchors::CHECKS,
                esc(&list[0].title),
                esc(&format!("{}, {}", plural(list.len(), "warning", "warnings"), limit(list[0]))),
                esc(&worst.join("; "))
            )
        })
        .collect()
}

#[cfg(test)]
#[path = "html_summary_tests.rs"]
mod tests;
