//! Plain-language sentences for the group-vs-reference comparisons of the bias audit.
//!
//! A comparison gets a sentence when it is flagged (outside the four-fifths band, group
//! not small) or significant (Holm-adjusted p < [`SIGNIFICANCE`]), and both its rate and
//! the reference rate are defined; an undefined rate (0/0) never produces one. The
//! sentence names, as the spec states them:
//!
//! * the metric's sub-population — selection rate and accuracy: every row; TPR and FNR:
//!   the actual positives (label = the positive value); FPR and TNR: the actual negatives
//!   (label ≠ the positive value); PPV and FDR: rows predicted positive; NPV and FOR: rows
//!   predicted negative;
//! * the event counted, with the positive class and whether it is the favourable outcome;
//! * the group and the reference with the protected values as written in the file;
//! * the ratio group ÷ reference (or, when the reference rate is 0, that the ratio is
//!   undefined), both rates with their numerators and denominators, and the Holm-adjusted
//!   p-value of the test on the metric's sub-population.
//!
//! On COMPAS (positive class `two_year_recid` = `1`, prediction `decile_score` >= 5, the
//! unfavourable outcome, reference `Caucasian`):
//!
//! > Among actual negatives (`two_year_recid` ≠ `1`), rows with `race` = `African-American`
//! > were predicted positive (`decile_score` >= 5, the unfavourable outcome) 1.91× as often
//! > as rows with `race` = `Caucasian` (44.85 %, 805 of 1,795, vs 23.45 %, 349 of 1,488;
//! > Holm-adjusted p < 1e-30).
//!
//! Sentences are plain text; the HTML escapes them like every other string.

use crate::error::thousands;
use crate::fairness::counts::{Confusion, GroupKey, Level};
use crate::fairness::disparity::BreakdownAudit;
use crate::fairness::metrics::Metric;
use crate::fairness::versus_reference::{Comparison, MetricVsReference};
use crate::math::Portable;

/// Holm-adjusted p-values below this make a comparison significant.
pub const SIGNIFICANCE: f64 = 0.05;

/// What the sentences need to know about the spec, as the user wrote it.
#[derive(Clone, Debug)]
pub struct Wording {
    /// Attribute names of the breakdown (one per level of a group key).
    pub attributes: Vec<String>,
    /// The label column and its positive value (None in a selection-only audit).
    pub label: Option<(String, String)>,
    /// How the prediction is read, e.g. "`decile_score` >= 5".
    pub prediction: String,
    /// Whether the positive class is the favourable outcome.
    pub positive_is_favourable: bool,
}

impl Wording {
    fn group(&self, key: &GroupKey) -> String {
        let parts: Vec<String> = self
            .attributes
            .iter()
            .zip(&key.levels)
            .map(|(a, l)| match l {
                Level::Known(v) => format!("`{a}` = `{v}`"),
                Level::Unknown => format!("`{a}` unknown"),
            })
            .collect();
        format!("rows with {}", parts.join(" and "))
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
            Some((l, v)) => format!("`{l}` {} `{v}`", if positive { "=" } else { "≠" }),
            None => "no label".into(),
        }
    }

    /// (sub-population prefix, event) of a metric.
    fn parts(&self, metric: Metric) -> (String, String) {
        let predicted = |positive: bool| {
            let how = if positive { self.prediction.clone() } else { format!("not {}", self.prediction) };
            format!("predicted {} ({how}, {})", if positive { "positive" } else { "negative" }, self.outcome(positive))
        };
        let among_actual = |positive: bool| {
            format!("Among actual {} ({}), ", if positive { "positives" } else { "negatives" }, self.actual(positive))
        };
        let among_predicted = |positive: bool| {
            let how = if positive { self.prediction.clone() } else { format!("not {}", self.prediction) };
            format!("Among rows predicted {} ({how}), ", if positive { "positive" } else { "negative" })
        };
        let actually = |positive: bool| {
            format!("actually {} ({})", if positive { "positive" } else { "negative" }, self.actual(positive))
        };
        match metric {
            Metric::SelectionRate => (String::new(), predicted(true)),
            Metric::Accuracy => (String::new(), "predicted correctly".into()),
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

fn pct(v: f64) -> String {
    format!("{:.2} %", 100.0 * v)
}

/// A Holm-adjusted p-value in words: "p < 1e-30", "p = 3.2e-5", "p = 0.0093", "p = 0.64".
pub fn p_text(p: Option<f64>) -> String {
    match p {
        None => "not tested".into(),
        Some(p) if p < 1e-30 => "p < 1e-30".into(),
        Some(p) if p < 1e-3 => format!("p = {p:.1e}"),
        Some(p) => {
            // Two significant digits: 0.0093, 0.045, 0.64.
            let digits = (1 - p.p_log10().floor() as i64).clamp(1, 4) as usize;
            format!("p = {p:.digits$}")
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The sentence of one comparison, or None when it is neither flagged nor significant or
/// a rate is undefined. `group` and `reference` are the confusion counts of the two groups.
pub fn sentence(
    w: &Wording,
    metric: Metric,
    c: &Comparison,
    group: &Confusion,
    reference: (&GroupKey, &Confusion),
) -> Option<String> {
    let significant = c.p_holm.is_some_and(|p| p < SIGNIFICANCE);
    if !(c.flagged || significant) {
        return None;
    }
    let (v, rv) = (c.value?, c.reference_value?);
    let (x1, n1) = metric.counts(group);
    let (x2, n2) = metric.counts(reference.1);
    let (prefix, event) = w.parts(metric);
    let who = w.group(&c.group);
    let subject = if prefix.is_empty() { capitalise(&who) } else { format!("{prefix}{who}") };
    let them = w.group(reference.0);
    let (a, b) = (
        format!("{}, {} of {}", pct(v), thousands(x1), thousands(n1)),
        format!("{}, {} of {}", pct(rv), thousands(x2), thousands(n2)),
    );
    let p = p_text(c.p_holm);
    Some(match c.ratio {
        Some(r) => format!("{subject} were {event} {r:.2}× as often as {them} ({a}, vs {b}; Holm-adjusted {p})."),
        None => format!(
            "{subject} were {event} at a rate of {a}, against {b} for {them} (ratio undefined: the reference rate is 0; Holm-adjusted {p})."
        ),
    })
}

/// Writes the sentence of every comparison of the audit that has one.
pub fn annotate(w: &Wording, audit: &mut BreakdownAudit) {
    let counts: Vec<(GroupKey, Confusion)> = audit.groups.iter().map(|g| (g.group.clone(), g.confusion)).collect();
    annotate_comparisons(w, &mut audit.vs_reference, &counts);
}

/// Writes the sentences of `comparisons`, whose groups have the confusion counts `counts`.
pub fn annotate_comparisons(w: &Wording, comparisons: &mut [MetricVsReference], counts: &[(GroupKey, Confusion)]) {
    let find = |k: &GroupKey| counts.iter().find(|g| &g.0 == k).map(|g| g.1);
    for v in comparisons {
        let Some(rk) = v.reference.clone() else { continue };
        let Some(rc) = find(&rk) else { continue };
        let metric = v.metric;
        for c in &mut v.comparisons {
            c.sentence = find(&c.group).and_then(|g| sentence(w, metric, c, &g, (&rk, &rc)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::disparity::{audit_breakdown, DisparityOptions};

    fn wording() -> Wording {
        Wording {
            attributes: vec!["group".into()],
            label: Some(("outcome".into(), "yes".into())),
            prediction: "`decision` = `approve`".into(),
            positive_is_favourable: true,
        }
    }

    /// Expected p-values: statsmodels `proportions_ztest` (every expected cell ≥ 5) and
    /// `multipletests(method="holm")` over the groups with a defined rate.
    #[test]
    fn synthetic_sentences_name_population_class_ratio_rates_and_p() {
        let groups = vec![
            (GroupKey::known(&["A"]), Confusion::new(300, 100, 500, 100)),
            (GroupKey::known(&["B <b>"]), Confusion::new(100, 20, 280, 100)),
            (GroupKey::known(&["C"]), Confusion::new(150, 50, 250, 50)),
            (GroupKey::known(&["empty"]), Confusion::new(0, 0, 40, 0)),
        ];
        let mut a = audit_breakdown(&groups, &DisparityOptions::default());
        annotate(&wording(), &mut a);
        let get = |m: Metric, g: &str| {
            let v = a.vs_reference.iter().find(|v| v.metric == m).unwrap();
            v.comparisons.iter().find(|c| c.group.to_string() == g).unwrap().sentence.clone()
        };
        assert_eq!(
            get(Metric::SelectionRate, "B <b>").unwrap(),
            "Rows with `group` = `B <b>` were predicted positive (`decision` = `approve`, the favourable outcome) 0.60× as often as rows with `group` = `A` (24.00 %, 120 of 500, vs 40.00 %, 400 of 1,000; Holm-adjusted p = 2.5e-9)."
        );
        assert_eq!(
            get(Metric::TruePositiveRate, "B <b>").unwrap(),
            "Among actual positives (`outcome` = `yes`), rows with `group` = `B <b>` were predicted positive (`decision` = `approve`, the favourable outcome) 0.67× as often as rows with `group` = `A` (50.00 %, 100 of 200, vs 75.00 %, 300 of 400; Holm-adjusted p = 1.8e-9)."
        );
        assert_eq!(
            get(Metric::FalsePositiveRate, "B <b>").unwrap(),
            "Among actual negatives (`outcome` ≠ `yes`), rows with `group` = `B <b>` were predicted positive (`decision` = `approve`, the favourable outcome) 0.40× as often as rows with `group` = `A` (6.67 %, 20 of 300, vs 16.67 %, 100 of 600; Holm-adjusted p = 9.5e-5)."
        );
        // C has the reference's rates: neither flagged nor significant.
        assert_eq!(get(Metric::SelectionRate, "C"), None);
        // No label-positive row: TPR undefined, never a sentence.
        assert_eq!(get(Metric::TruePositiveRate, "empty"), None);
    }

    #[test]
    fn zero_reference_rate_says_the_ratio_is_undefined() {
        let groups = vec![
            (GroupKey::known(&["A"]), Confusion::new(0, 0, 500, 500)),
            (GroupKey::known(&["B"]), Confusion::new(100, 0, 300, 100)),
        ];
        let mut a = audit_breakdown(&groups, &DisparityOptions::default());
        annotate(&wording(), &mut a);
        let s = a.vs_reference[0].comparisons[0].sentence.clone().unwrap();
        assert!(s.contains("at a rate of 20.00 %, 100 of 500, against 0.00 %, 0 of 1,000"), "{s}");
        assert!(s.contains("ratio undefined: the reference rate is 0"), "{s}");
    }

    #[test]
    fn p_values_in_words() {
        assert_eq!(p_text(Some(1e-40)), "p < 1e-30");
        assert_eq!(p_text(Some(3.21e-5)), "p = 3.2e-5");
        assert_eq!(p_text(Some(0.0123)), "p = 0.012");
        assert_eq!(p_text(Some(0.009258)), "p = 0.0093");
        assert_eq!(p_text(Some(0.6354)), "p = 0.64");
        assert_eq!(p_text(Some(1.0)), "p = 1.0");
        assert_eq!(p_text(None), "not tested");
    }
}
