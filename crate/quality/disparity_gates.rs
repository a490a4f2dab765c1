//! The disparity checks of the bias audit: one outcome per (breakdown, compared group),
//! from the group-vs-reference comparisons ([`crate::fairness::versus_reference`]).
//!
//! * `disparity_ratio`: rate ÷ reference rate for `metric` (default `selection_rate`);
//!   violated below `min` (default 0.8, the four-fifths rule of UGESP 29 CFR §1607.4(D)).
//!   Only ratios below the bound fail; with the default reference (the largest group) a
//!   group selected more often than the reference passes.
//! * `disparity_difference`: |rate − reference rate|; violated above `max` (default 0.1).
//!
//! Both default to severity `warn` (LL144 sets no pass mark): set `severity = "fail"` to
//! make `privaudit audit` exit with 1. A group is **skipped** — listed with the reason,
//! never passed or failed — when it has fewer rows than `min_group_size` (default
//! `bias.min_group_size`), when its rate or the reference's is undefined (0/0), or, for the
//! ratio, when the reference rate is 0. A breakdown with no reference group, no audit (too
//! many groups) or without the metric (a selection-only audit has no label) gives one
//! skipped outcome saying why. Groups of unknown category are never compared.
//!
//! ```toml
//! [checks.disparity_ratio]
//! metric = "false_positive_rate"
//! min = 0.8
//! min_group_size = 50
//! severity = "fail"
//! ```

use super::checks::{disparity_metric, evaluate, CheckOutcome, RawChecks};
use crate::error::thousands;
use crate::fairness::counts::{Confusion, GroupKey, Level};
use crate::fairness::disparity::BreakdownAudit;
use crate::fairness::metrics::{Metric, Rate};
use crate::fairness::selection::SelectionAudit;
use crate::fairness::versus_reference::MetricVsReference;

/// The ids of the disparity checks, in report order.
pub const DISPARITY_CHECKS: [&str; 2] = ["disparity_ratio", "disparity_difference"];

fn group_name(attributes: &[String], key: &GroupKey) -> String {
    attributes
        .iter()
        .zip(&key.levels)
        .map(|(a, l)| match l {
            Level::Known(v) => format!("{a} = {v}"),
            Level::Unknown => format!("{a} = (unknown)"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rate_text(r: &Rate) -> String {
    let v = r.value.map_or_else(|| "undefined".to_string(), |v| format!("{:.2} %", 100.0 * v));
    format!("{v} ({} of {})", thousands(r.numerator), thousands(r.denominator))
}

/// What the disparity checks read from one audited breakdown (full or selection-only).
#[derive(Clone, Debug)]
pub struct GateView<'a> {
    /// The group-vs-reference comparisons.
    pub vs_reference: &'a [MetricVsReference],
    /// Each group's confusion counts (label-free counts for a selection-only audit).
    pub counts: Vec<(GroupKey, Confusion)>,
    /// The audit's minimum group size (the default of `min_group_size`).
    pub min_group_size: u64,
}

impl<'a> GateView<'a> {
    /// The view of a full audit.
    pub fn of_audit(a: &'a BreakdownAudit) -> Self {
        let counts = a.groups.iter().map(|g| (g.group.clone(), g.confusion)).collect();
        Self { vs_reference: &a.vs_reference, counts, min_group_size: a.options.min_group_size }
    }

    /// The view of a selection-only audit.
    pub fn of_selection(a: &'a SelectionAudit) -> Self {
        Self { vs_reference: &a.vs_reference, counts: a.confusions(), min_group_size: a.options.min_group_size }
    }
}

/// Outcomes of both disparity checks for every breakdown: `(attribute names, view)`, the
/// view None when the breakdown could not be audited (`why` says so).
pub fn disparity_outcomes<'a>(
    raw: &RawChecks,
    breakdowns: impl Iterator<Item = (&'a [String], Option<GateView<'a>>, Option<&'a str>)> + Clone,
) -> Vec<CheckOutcome> {
    let mut out = Vec::new();
    for id in DISPARITY_CHECKS {
        let cfg = raw.get(id);
        let metric = cfg.and_then(|c| c.metric.as_deref()).and_then(disparity_metric).unwrap_or(Metric::SelectionRate);
        for (attributes, audit, why) in breakdowns.clone() {
            let column = attributes.join(" × ");
            let skipped = |note: String| {
                evaluate(raw, id, Some(&column), None, (0, 0)).map(|mut o| {
                    o.note = Some(note);
                    o
                })
            };
            let Some(audit) = audit.as_ref() else {
                out.extend(skipped(format!("not audited: {}", why.unwrap_or("no audit"))));
                continue;
            };
            let Some(v) = audit.vs_reference.iter().find(|v| v.metric == metric) else {
                out.extend(skipped(format!("{} is not in this audit (it needs a label column)", metric.name())));
                continue;
            };
            let Some(rk) = v.reference.as_ref() else {
                out.extend(skipped(format!("no reference group for {}", metric.name())));
                continue;
            };
            let min_group = cfg.and_then(|c| c.min_group_size).unwrap_or(audit.min_group_size);
            let rate_of = |k: &GroupKey| audit.counts.iter().find(|g| &g.0 == k).map(|g| metric.rate(&g.1));
            let Some(ref_rate) = rate_of(rk) else { continue };
            for c in &v.comparisons {
                let Some(rate) = rate_of(&c.group) else { continue };
                let observed = if id == "disparity_ratio" { c.ratio } else { c.difference.map(f64::abs) };
                let reason = if c.value.is_none() {
                    Some(format!("{} of the group is undefined (0/0)", metric.name()))
                } else if c.reference_value.is_none() {
                    Some(format!("{} of the reference group is undefined (0/0)", metric.name()))
                } else if c.count < min_group {
                    Some(format!("{} rows, fewer than min_group_size {min_group}", thousands(c.count)))
                } else if observed.is_none() {
                    Some("ratio undefined: the reference rate is 0".to_string())
                } else {
                    None
                };
                let compared = format!(
                    "{} {} vs reference {} {}",
                    metric.name(),
                    rate_text(&rate),
                    group_name(attributes, rk),
                    rate_text(&ref_rate)
                );
                let note = match &reason {
                    Some(r) => format!("skipped: {r}; {compared}"),
                    None => compared,
                };
                let observed = if reason.is_some() { None } else { observed };
                out.extend(evaluate(raw, id, Some(&column), observed, (rate.numerator, rate.denominator)).map(
                    |mut o| {
                        o.group = Some(group_name(attributes, &c.group));
                        o.note = Some(note);
                        o
                    },
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::disparity::{audit_breakdown, DisparityOptions};
    use crate::quality::checks::{RawCheck, Severity, Status};

    #[test]
    fn small_and_undefined_groups_are_skipped_with_a_reason() {
        let groups = vec![
            (GroupKey::known(&["A"]), Confusion::new(300, 100, 500, 100)),
            (GroupKey::known(&["B"]), Confusion::new(100, 20, 280, 100)),
            (GroupKey::known(&["C"]), Confusion::new(150, 50, 250, 50)),
            (GroupKey::known(&["tiny"]), Confusion::new(1, 0, 3, 1)),
            (GroupKey::known(&["no negatives"]), Confusion::new(40, 0, 0, 10)),
            (GroupKey { levels: vec![Level::Unknown] }, Confusion::new(5, 5, 5, 5)),
        ];
        let audit = audit_breakdown(&groups, &DisparityOptions::default());
        let attrs = ["g".to_string()];
        let mut raw = RawChecks::new();
        let cfg = RawCheck {
            metric: Some("false_positive_rate".into()),
            severity: Some(Severity::Fail),
            min: Some(0.5),
            ..Default::default()
        };
        raw.insert("disparity_ratio".into(), cfg);
        let out = disparity_outcomes(&raw, std::iter::once((&attrs[..], Some(GateView::of_audit(&audit)), None)));
        let ratio: Vec<_> = out.iter().filter(|o| o.id == "disparity_ratio").collect();
        assert_eq!(ratio.len(), 4, "B, C, tiny, no negatives; never the unknown group");
        let find = |g: &str| ratio.iter().find(|o| o.group.as_deref() == Some(g)).unwrap();
        // B: FPR 20/300 vs 100/600, ratio 0.4 < 0.5.
        assert_eq!(find("g = B").status, Status::Fail);
        assert!((find("g = B").observed.unwrap() - 0.4).abs() < 1e-12);
        assert_eq!((find("g = B").numerator, find("g = B").denominator), (20, 300));
        assert_eq!(find("g = C").status, Status::Pass);
        assert_eq!(find("g = tiny").status, Status::Skipped);
        assert!(find("g = tiny").note.as_deref().unwrap().contains("fewer than min_group_size 30"));
        let undefined = find("g = no negatives");
        assert_eq!((undefined.status, undefined.observed), (Status::Skipped, None));
        assert!(undefined.note.as_deref().unwrap().contains("undefined (0/0)"));
        // The difference check keeps its defaults: selection rate, warn above 0.1.
        let diff: Vec<_> = out.iter().filter(|o| o.id == "disparity_difference").collect();
        let b = diff.iter().find(|o| o.group.as_deref() == Some("g = B")).unwrap();
        assert_eq!(b.status, Status::Warn); // |24 % − 40 %| = 0.16 > 0.1
    }
}
