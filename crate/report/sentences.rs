//! Plain-language sentences for the group-vs-reference comparisons of the bias audit.
//!
//! A comparison gets a sentence when someone is disadvantaged in it
//! ([`crate::fairness::direction`]), both rates are defined, and it is flagged (outside the
//! four-fifths band, group not small) or significant (Holm-adjusted p < [`SIGNIFICANCE`]).
//! The sentence has the **disadvantaged** party as its subject — the reference group
//! included — and names:
//!
//! * the metric's sub-population — selection rate and accuracy: every row; TPR and FNR:
//!   the actual positives; FPR and TNR: the actual negatives; PPV and FDR: rows predicted
//!   positive; NPV and FOR: rows predicted negative;
//! * the event counted, with the positive class and whether it is the favourable outcome;
//! * the two groups with their values as written in the file (in quotes, no identifiers);
//! * the adverse ratio (disadvantaged ÷ comparator), both rates with the sizes of their
//!   sub-populations, the ratio's 95 % interval
//!   and the Holm-adjusted p-value, each formatted by [`super::fmt`] (no e-notation).
//!
//! On COMPAS (positive class `two_year_recid` = 1, prediction `decile_score` ≥ 5, the
//! unfavourable outcome), whichever group is the reference:
//!
//! > Among rows with two_year_recid ≠ 1 (actual negatives), the group “African-American”
//! > was predicted positive (decile_score ≥ 5, the unfavourable outcome) 1.91× as often as
//! > the group “Caucasian” (44.8 % of 1,795 vs 23.5 % of 1,488; 95 % interval 1.72×–2.12×;
//! > Holm-adjusted p < 0.001).
//!
//! A [`Sentence`] is a list of text and numbers; each number knows its glossary term, so
//! the HTML links it to its definition ([`Sentence::html`]) and the JSON keeps the plain
//! text ([`Sentence::plain`]). [`ranked`] picks the few sentences worth reading first.

use super::anchors;
use super::bias::BiasReport;
use super::fmt;
use super::glossary_bias::terms;
use super::html::esc;
use crate::fairness::counts::{Confusion, GroupKey, Level};
use crate::fairness::direction::{harm, Harm};
use crate::fairness::disparity::BreakdownAudit;
use crate::fairness::metrics::Metric;
use crate::fairness::versus_reference::{Comparison, MetricVsReference};

/// Holm-adjusted p-values below this make a comparison significant.
pub const SIGNIFICANCE: f64 = 0.05;

/// Sentences shown first per breakdown ([`ranked`]); the rest are in the tables.
pub const PER_BREAKDOWN: usize = 4;

/// A piece of a sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Words.
    Text(String),
    /// A number and the glossary term that defines it.
    Number(String, &'static str),
}

/// A sentence: text and numbers that link to their definitions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence(pub Vec<Part>);

impl Sentence {
    fn text(&mut self, s: impl Into<String>) -> &mut Self {
        self.0.push(Part::Text(s.into()));
        self
    }

    fn num(&mut self, s: String, term: &'static str) -> &mut Self {
        self.0.push(Part::Number(s, term));
        self
    }

    /// The sentence as plain text.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) | Part::Number(t, _) => t.as_str(),
            })
            .collect()
    }

    /// The sentence as HTML: text escaped, every number a link to its definition.
    pub fn html(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => esc(t),
                Part::Number(t, term) => format!("<a href=\"#{}\">{}</a>", anchors::definition(term), esc(t)),
            })
            .collect()
    }
}

/// What the sentences need to know about the spec, as the user wrote it.
#[derive(Clone, Debug)]
pub struct Wording {
    /// Attribute names of the breakdown (one per level of a group key).
    pub attributes: Vec<String>,
    /// The label column and its positive value (None in a selection-only audit).
    pub label: Option<(String, String)>,
    /// How the prediction is read, e.g. "decile_score ≥ 5".
    pub prediction: String,
    /// The negative prediction, e.g. "decile_score < 5" (empty: "not" + the prediction).
    pub prediction_negative: String,
    /// Whether the positive class is the favourable outcome.
    pub positive_is_favourable: bool,
}

impl Wording {
    /// The wording of one breakdown of a bias report.
    pub fn of(b: &BiasReport, attributes: &[String]) -> Self {
        Wording {
            attributes: attributes.to_vec(),
            label: b.label.clone().zip(b.positive_label.clone()),
            prediction: b.prediction.clone(),
            prediction_negative: b.prediction_negative.clone(),
            positive_is_favourable: b.positive_is_favourable,
        }
    }

    /// “African-American”, or “African-American, Female” for an intersection.
    pub fn group(&self, key: &GroupKey) -> String {
        let values: Vec<String> = key
            .levels
            .iter()
            .zip(&self.attributes)
            .map(|(l, a)| match l {
                Level::Known(v) => v.clone(),
                Level::Unknown => format!("{a} unknown"),
            })
            .collect();
        format!("the group “{}”", values.join(", "))
    }

    fn outcome(&self, positive: bool) -> &'static str {
        if positive == self.positive_is_favourable {
            "the favourable outcome"
        } else {
            "the unfavourable outcome"
        }
    }

    fn actual(&self, positive: bool) -> String {
        match &self.label {
            Some((l, v)) => format!("{l} {} {v}", if positive { "=" } else { "≠" }),
            None => "no label".into(),
        }
    }

    /// (sub-population prefix, event) of a metric.
    fn parts(&self, metric: Metric) -> (String, String) {
        let how = |positive: bool| {
            if positive {
                self.prediction.clone()
            } else if self.prediction_negative.is_empty() {
                format!("not {}", self.prediction)
            } else {
                self.prediction_negative.clone()
            }
        };
        let predicted = |positive: bool| {
            let what = if positive { "positive" } else { "negative" };
            format!("was predicted {what} ({}, {})", how(positive), self.outcome(positive))
        };
        let among_actual = |positive: bool| {
            let what = if positive { "positives" } else { "negatives" };
            format!("Among rows with {} (actual {what}), ", self.actual(positive))
        };
        let among_predicted = |positive: bool| {
            format!("Among rows predicted {} ({}), ", if positive { "positive" } else { "negative" }, how(positive))
        };
        let actually = |positive: bool| {
            format!("was an actual {} ({})", if positive { "positive" } else { "negative" }, self.actual(positive))
        };
        match metric {
            Metric::SelectionRate => (String::new(), predicted(true)),
            Metric::Accuracy => (String::new(), "was predicted correctly".into()),
            Metric::BaseRate => (String::new(), actually(true)),
            Metric::TruePositiveRate => (among_actual(true), predicted(true)),
            Metric::FalseNegativeRate => (among_actual(true), predicted(false)),
            Metric::FalsePositiveRate => (among_actual(false), predicted(true)),
            Metric::TrueNegativeRate => (among_actual(false), predicted(false)),
            Metric::PositivePredictiveValue => (among_predicted(true), actually(true)),
            Metric::FalseDiscoveryRate => (among_predicted(true), actually(false)),
            Metric::NegativePredictiveValue => (among_predicted(false), actually(false)),
            Metric::FalseOmissionRate => (among_predicted(false), actually(true)),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// True when a comparison is worth a sentence (see the module doc).
pub fn notable(c: &Comparison) -> bool {
    let significant = c.p_holm.is_some_and(|p| p < SIGNIFICANCE);
    c.disadvantaged.is_some() && c.value.is_some() && c.reference_value.is_some() && (c.flagged || significant)
}

/// The sentence of one comparison, or None when it is not [`notable`]. `counts` holds the
/// confusion counts of the breakdown's groups (for the rates' denominators).
pub fn sentence(w: &Wording, metric: Metric, c: &Comparison, counts: &[(GroupKey, Confusion)]) -> Option<Sentence> {
    if !notable(c) {
        return None;
    }
    let (dis, other) = (c.disadvantaged.as_ref()?, c.comparator.as_ref()?);
    let n = |k: &GroupKey| counts.iter().find(|g| &g.0 == k).map(|g| metric.counts(&g.1).1);
    let (n_dis, n_other) = (n(dis)?, n(other)?);
    let (v, rv) = (c.value?, c.reference_value?);
    let (mine, theirs) = if dis == &c.group { (v, rv) } else { (rv, v) };
    let (prefix, event) = w.parts(metric);
    let who = w.group(dis);
    let subject = if prefix.is_empty() { capitalise(&who) } else { format!("{prefix}{who}") };
    let rate_term = terms::metric(metric);
    let mut s = Sentence::default();
    s.text(format!("{subject} {event} "));
    match c.adverse_ratio {
        Some(r) => {
            s.num(fmt::ratio(r), terms::ADVERSE_RATIO).text(format!(" as often as {} (", w.group(other)));
            s.num(fmt::pct(mine), rate_term).text(" of ").num(fmt::count(n_dis), rate_term).text(" vs ");
            s.num(fmt::pct(theirs), rate_term).text(" of ").num(fmt::count(n_other), rate_term);
            if let Some(ci) = c.adverse_ratio_ci95 {
                s.text("; 95 % interval ").num(fmt::ratio_interval(ci), terms::RATIO_INTERVAL);
            }
        }
        None => {
            s.text("at a rate of ").num(fmt::pct(mine), rate_term).text(" of ").num(fmt::count(n_dis), rate_term);
            s.text(", against ").num(fmt::pct(theirs), rate_term).text(" of ").num(fmt::count(n_other), rate_term);
            s.text(format!(" for {} (the ratio is undefined", w.group(other)));
        }
    }
    match c.p_holm {
        Some(p) if p < 0.001 => s.text("; Holm-adjusted p ").num(fmt::p_value(p), terms::HOLM_P),
        Some(p) => s.text("; Holm-adjusted p = ").num(fmt::p_value(p), terms::HOLM_P),
        None => s.text("; not tested"),
    };
    s.text(").");
    Some(s)
}

/// Writes the plain sentence of every notable comparison of the audit.
pub fn annotate(w: &Wording, audit: &mut BreakdownAudit) {
    let counts: Vec<(GroupKey, Confusion)> = audit.groups.iter().map(|g| (g.group.clone(), g.confusion)).collect();
    annotate_comparisons(w, &mut audit.vs_reference, &counts);
}

/// Writes the plain sentences of `comparisons`, whose groups have the counts `counts`.
pub fn annotate_comparisons(w: &Wording, comparisons: &mut [MetricVsReference], counts: &[(GroupKey, Confusion)]) {
    for v in comparisons {
        let metric = v.metric;
        for c in &mut v.comparisons {
            c.sentence = sentence(w, metric, c, counts).map(|s| s.plain());
        }
    }
}

/// Of two complementary rates (TPR and FNR, FPR and TNR, PPV and FDR, NPV and FOR) the
/// sentences keep the one where a higher rate harms, so that they read "1.91× as often"
/// and never say the same thing twice; selection rate and accuracy stay.
pub fn reported(metric: Metric, positive_is_favourable: bool) -> bool {
    match metric {
        Metric::SelectionRate | Metric::Accuracy => true,
        Metric::BaseRate => false,
        m => harm(m, positive_is_favourable) == Harm::HigherHarms,
    }
}

/// The size of a disparity for ranking: the part of it the 95 % interval vouches for,
/// |ln| of the adverse ratio's interval end nearest to 1 (0 when the interval contains 1),
/// so that a small group's extreme but uncertain ratio does not outrank a large group's
/// well-measured one; without an interval (a rate against 0), |ln(parity ratio)|.
pub fn importance(c: &Comparison) -> f64 {
    use crate::math::Portable;
    match (c.adverse_ratio, c.adverse_ratio_ci95) {
        (Some(r), Some((lo, _))) if r >= 1.0 => lo.max(1.0).p_ln(),
        (Some(_), Some((_, hi))) if hi > 0.0 => -hi.min(1.0).p_ln(),
        _ => effect_size(c),
    }
}

/// The size of a disparity: |ln(parity ratio)| (∞ for a rate against 0).
pub fn effect_size(c: &Comparison) -> f64 {
    match (c.value, c.reference_value) {
        (Some(a), Some(b)) => match crate::fairness::direction::parity(a, b) {
            Some(p) if p > 0.0 => {
                use crate::math::Portable;
                -p.p_ln()
            }
            Some(_) => f64::INFINITY,
            None => 0.0,
        },
        _ => 0.0,
    }
}

/// The notable comparisons of a breakdown in reading order: flagged before merely
/// significant, more [`importance`] first, complementary rates once ([`reported`]); each
/// pair of groups first with its most important metric, then the pairs' other metrics
/// (so that the first few sentences say who is disadvantaged against whom, and the grid
/// says on which metrics).
pub fn ranked(vs: &[MetricVsReference], positive_is_favourable: bool) -> Vec<(&MetricVsReference, &Comparison)> {
    let mut out: Vec<(&MetricVsReference, &Comparison)> = vs
        .iter()
        .filter(|v| reported(v.metric, positive_is_favourable))
        .flat_map(|v| v.comparisons.iter().filter(|c| notable(c)).map(move |c| (v, c)))
        .collect();
    out.sort_by(|a, b| b.1.flagged.cmp(&a.1.flagged).then(importance(b.1).total_cmp(&importance(a.1))));
    let mut seen: Vec<(&GroupKey, &GroupKey)> = Vec::new();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for (v, c) in out {
        let pair = (&c.group, v.reference.as_ref().unwrap_or(&c.group));
        if seen.contains(&pair) {
            rest.push((v, c));
        } else {
            seen.push(pair);
            first.push((v, c));
        }
    }
    first.extend(rest);
    first
}

#[cfg(test)]
#[path = "sentences_tests.rs"]
mod tests;
