//! The disparity checks of the bias audit: one outcome per (breakdown, gated metric,
//! compared group), from the group-vs-reference comparisons
//! ([`crate::fairness::versus_reference`]) and the harm direction of each metric
//! ([`crate::fairness::direction`]).
//!
//! * `disparity_ratio`, band `adverse` (default): the four-fifths rule read in the harm
//!   direction. Observed = the parity ratio min(rate, reference rate) ÷ max(…): the
//!   disadvantaged party's rate ÷ the other's for a metric where a lower rate harms, the
//!   other's ÷ the disadvantaged party's where a higher rate harms — so "observed < `min`
//!   (0.8)" is "the disadvantaged party's harmful rate is more than 1/0.8 = 1.25× the
//!   other's". The outcome names the disadvantaged party, **the reference included**: on
//!   COMPAS with African-American (the largest group) as the reference, the comparison with
//!   Caucasian names African-American as disadvantaged (labelled high risk 1.69× as often).
//!   A group with a harmful rate of 0 against a positive one gives 0, never a skip.
//! * `disparity_ratio`, band `symmetric`: Aequitas' parity test on the metric as stated:
//!   observed = group ÷ reference, violated outside [`min`, 1/`min`] (bound `band`). For a
//!   ratio this flags exactly the pairs the adverse reading flags (min/max < τ ⟺ a/b ∉
//!   [τ, 1/τ]); it reports the raw ratio, as Aequitas and AIF360 print it, and is skipped
//!   when the reference rate is 0.
//! * `disparity_difference`: |rate − reference rate|, violated above `max` (default 0.1),
//!   in both bands; the effect is the disadvantaged party's rate − the other's.
//!
//! **Gated metrics** (`metric`, one name or a list): by default the selection rate and,
//! with a label, the error rate the Aequitas fairness tree puts first for the decision's
//! kind: the false positive rate when the positive prediction is unfavourable (punitive:
//! harm falls on those flagged without cause), the false negative rate when it is
//! favourable (assistive: harm falls on those wrongly passed over). A selection-only audit
//! (no label) gates the selection rate only.
//!
//! Both checks default to severity `warn` (LL144 sets no pass mark): `severity = "fail"`
//! makes `privaudit audit` exit with 1. A comparison is **skipped** — listed with the
//! reason, never passed or failed — when the compared group has fewer rows than
//! `min_group_size` (default `bias.min_group_size`), when a rate is undefined (0/0), or
//! when both rates are 0 (nothing to compare). A breakdown with no reference group, no
//! audit (too many groups) or without the metric (no label) gives one skipped outcome
//! saying why. Groups of unknown category are never compared.
//!
//! ```toml
//! [checks.disparity_ratio]
//! metric = ["selection_rate", "false_positive_rate"]
//! band = "adverse"
//! min = 0.8
//! min_group_size = 50
//! severity = "fail"
//! ```

use super::checks::{evaluate, severity, threshold, CheckOutcome, RawChecks, Severity, Status};
use crate::error::{Error, Result};
use crate::fairness::counts::{Confusion, GroupKey, Level};
use crate::fairness::direction::{parity, Harm};
use crate::fairness::disparity::BreakdownAudit;
use crate::fairness::metrics::Metric;
use crate::fairness::selection::SelectionAudit;
use crate::fairness::versus_reference::{Comparison, MetricVsReference};
use crate::report::fmt;
use serde::{Deserialize, Serialize};

/// The ids of the disparity checks, in report order.
pub const DISPARITY_CHECKS: [&str; 2] = ["disparity_ratio", "disparity_difference"];

/// `metric` of a disparity check: one metric name or a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetricChoice {
    /// One fairlearn name.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl MetricChoice {
    /// The names, in the order given.
    pub fn names(&self) -> Vec<&str> {
        match self {
            MetricChoice::One(m) => vec![m.as_str()],
            MetricChoice::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// How `disparity_ratio` reads the four-fifths rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// In the harm direction, naming the disadvantaged party (default).
    #[default]
    Adverse,
    /// τ ≤ group ÷ reference ≤ 1/τ, as Aequitas.
    Symmetric,
}

/// What a disparity outcome says beyond its observed value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisparityDetail {
    /// The gated metric (fairlearn name).
    pub metric: Metric,
    /// Which direction of the rate harms.
    pub harm: Harm,
    /// `adverse` or `symmetric`.
    pub band: Band,
    /// The disadvantaged party (`attribute = value`), when the rates differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disadvantaged: Option<String>,
    /// The other party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    /// `disparity_ratio`: the disadvantaged party's rate ÷ the comparator's;
    /// `disparity_difference`: their difference (disadvantaged − comparator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<f64>,
    /// 95 % interval of the effect (Katz log for a ratio, Newcombe for a difference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect_ci95: Option<(f64, f64)>,
}

/// Validates a `metric` setting: every name a compared metric, at least one.
pub fn validate_metrics(id: &str, m: &MetricChoice) -> Result<()> {
    let names = m.names();
    if names.is_empty() {
        return Err(Error::spec(format!("checks.{id}.metric"), "name at least one metric"));
    }
    for n in names {
        if super::checks::disparity_metric(n).is_none() {
            let all: Vec<&str> = Metric::COMPARED.iter().map(|m| m.name()).collect();
            return Err(Error::spec(
                format!("checks.{id}.metric"),
                format!("`{n}` is not a compared metric; use one of {}", all.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The metrics gated when `metric` is not set (see the module doc).
pub fn default_metrics(has_label: bool, positive_is_favourable: bool) -> Vec<Metric> {
    match (has_label, positive_is_favourable) {
        (false, _) => vec![Metric::SelectionRate],
        (true, false) => vec![Metric::SelectionRate, Metric::FalsePositiveRate],
        (true, true) => vec![Metric::SelectionRate, Metric::FalseNegativeRate],
    }
}

/// `attribute = value` pairs of a group key.
pub fn group_name(attributes: &[String], key: &GroupKey) -> String {
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

/// What the disparity checks read from one audited breakdown (full or selection-only).
#[derive(Clone, Debug)]
pub struct GateView<'a> {
    /// The group-vs-reference comparisons.
    pub vs_reference: &'a [MetricVsReference],
    /// Each group's confusion counts (label-free counts for a selection-only audit).
    pub counts: Vec<(GroupKey, Confusion)>,
    /// The audit's minimum group size (the default of `min_group_size`).
    pub min_group_size: u64,
    /// Whether the audit has a label (else only the selection rate exists).
    pub has_label: bool,
    /// The audit's orientation.
    pub positive_is_favourable: bool,
}

impl<'a> GateView<'a> {
    /// The view of a full audit.
    pub fn of_audit(a: &'a BreakdownAudit) -> Self {
        let counts = a.groups.iter().map(|g| (g.group.clone(), g.confusion)).collect();
        Self {
            vs_reference: &a.vs_reference,
            counts,
            min_group_size: a.options.min_group_size,
            has_label: true,
            positive_is_favourable: a.positive_is_favourable,
        }
    }

    /// The view of a selection-only audit.
    pub fn of_selection(a: &'a SelectionAudit) -> Self {
        Self {
            vs_reference: &a.vs_reference,
            counts: a.confusions(),
            min_group_size: a.options.min_group_size,
            has_label: false,
            positive_is_favourable: a.positive_is_favourable,
        }
    }
}

/// The metrics check `id` gates on an audit with or without a label.
pub fn gated(raw: &RawChecks, id: &str, has_label: bool, positive_is_favourable: bool) -> Vec<Metric> {
    match raw.get(id).and_then(|c| c.metric.as_ref()) {
        Some(m) => m.names().into_iter().filter_map(super::checks::disparity_metric).collect(),
        None => default_metrics(has_label, positive_is_favourable),
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
        for (attributes, view, why) in breakdowns.clone() {
            let column = attributes.join(" × ");
            let skipped = |note: String| {
                evaluate(raw, id, Some(&column), None, (0, 0)).map(|mut o| {
                    o.note = Some(note);
                    o
                })
            };
            let Some(view) = view.as_ref() else {
                out.extend(skipped(format!("not audited: {}", why.unwrap_or("no audit"))));
                continue;
            };
            for metric in gated(raw, id, view.has_label, view.positive_is_favourable) {
                let Some(v) = view.vs_reference.iter().find(|v| v.metric == metric) else {
                    out.extend(skipped(format!("{} is not in this audit (it needs a label column)", metric.label())));
                    continue;
                };
                if v.reference.is_none() {
                    out.extend(skipped(format!("no reference group for the {}", metric.label())));
                    continue;
                }
                for c in &v.comparisons {
                    out.extend(judge(raw, id, &column, attributes, view, v, c));
                }
            }
        }
    }
    out
}

/// The outcome of check `id` on one comparison.
fn judge(
    raw: &RawChecks,
    id: &str,
    column: &str,
    attributes: &[String],
    view: &GateView,
    v: &MetricVsReference,
    c: &Comparison,
) -> Option<CheckOutcome> {
    let metric = v.metric;
    let rk = v.reference.as_ref()?;
    let counts = |k: &GroupKey| view.counts.iter().find(|g| &g.0 == k).map(|g| metric.counts(&g.1));
    let ((x1, n1), (x2, n2)) = (counts(&c.group)?, counts(rk)?);
    let band = raw.get(id).and_then(|r| r.band).unwrap_or_default();
    let tau = threshold(raw, id, None)?;
    let min_group = raw.get(id).and_then(|r| r.min_group_size).unwrap_or(view.min_group_size);
    let ratio_check = id == "disparity_ratio";
    let observed = match (c.value, c.reference_value) {
        (Some(a), Some(b)) if ratio_check && band == Band::Adverse => parity(a, b),
        (Some(_), Some(_)) if ratio_check => c.ratio,
        (Some(a), Some(b)) => Some((a - b).abs()),
        _ => None,
    };
    let reason = if c.value.is_none() {
        Some(format!("the {} of the group is undefined (0/0)", metric.label()))
    } else if c.reference_value.is_none() {
        Some(format!("the {} of the reference group is undefined (0/0)", metric.label()))
    } else if c.count < min_group {
        Some(format!("{} rows, fewer than min_group_size {min_group}", fmt::count(c.count)))
    } else if observed.is_none() && band == Band::Symmetric {
        Some("ratio undefined: the reference rate is 0".to_string())
    } else if observed.is_none() {
        Some("both rates are 0".to_string())
    } else {
        None
    };
    let name = |k: &GroupKey| group_name(attributes, k);
    let mut note = format!(
        "{}: {} for {} vs {} for the reference {}",
        metric.label(),
        fmt::pct_of(x1, n1),
        name(&c.group),
        fmt::pct_of(x2, n2),
        name(rk)
    );
    if let (Some(d), None) = (&c.disadvantaged, &reason) {
        note.push_str(&format!("; disadvantaged: {} ({})", name(d), v.harm.phrase()));
    }
    let observed = if reason.is_some() { None } else { observed };
    let (status, bound, threshold) = match observed {
        None => (Status::Skipped, bound_of(id, band), tau),
        Some(x) => {
            let violated = match (ratio_check, band) {
                (true, Band::Adverse) => x < tau,
                (true, Band::Symmetric) => x < tau || x > 1.0 / tau,
                (false, _) => x > tau,
            };
            let status = match (violated, severity(raw, id)?) {
                (false, _) => Status::Pass,
                (true, Severity::Warn) => Status::Warn,
                (true, Severity::Fail) => Status::Fail,
            };
            (status, bound_of(id, band), tau)
        }
    };
    let mut o = evaluate(raw, id, Some(column), None, (x1, n1))?;
    o.status = status;
    o.observed = observed;
    o.threshold = threshold;
    o.bound = bound.into();
    o.group = Some(name(&c.group));
    o.note = Some(match &reason {
        Some(r) => format!("skipped: {r}; {note}"),
        None => note,
    });
    o.disparity = Some(detail(ratio_check, band, v, c, &name));
    Some(o)
}

fn bound_of(id: &str, band: Band) -> &'static str {
    match (id, band) {
        ("disparity_ratio", Band::Symmetric) => "band",
        ("disparity_ratio", Band::Adverse) => "min",
        _ => "max",
    }
}

fn detail(
    ratio: bool,
    band: Band,
    v: &MetricVsReference,
    c: &Comparison,
    name: &dyn Fn(&GroupKey) -> String,
) -> DisparityDetail {
    let group_is_disadvantaged = c.disadvantaged.as_ref() == Some(&c.group);
    let (effect, effect_ci95) = if c.disadvantaged.is_none() {
        (None, None)
    } else if ratio {
        (c.adverse_ratio, c.adverse_ratio_ci95)
    } else if group_is_disadvantaged {
        (c.difference, c.difference_ci95)
    } else {
        (c.difference.map(|d| -d), c.difference_ci95.map(|(lo, hi)| (-hi, -lo)))
    };
    DisparityDetail {
        metric: v.metric,
        harm: v.harm,
        band,
        disadvantaged: c.disadvantaged.as_ref().map(name),
        comparator: c.comparator.as_ref().map(name),
        effect,
        effect_ci95,
    }
}

#[cfg(test)]
#[path = "disparity_gates_tests.rs"]
mod tests;
