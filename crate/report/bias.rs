//! The bias section of the report: one [`BreakdownAudit`] per protected attribute and for
//! their intersection (a [`SelectionAudit`] when the spec has no label column), with the
//! definitions the numbers follow.

use super::sentences::{annotate, annotate_comparisons, Wording};
use crate::fairness::counts::{GroupKey, Level};
use crate::fairness::disparity::{audit_breakdown, BreakdownAudit, ReferencePolicy};
use crate::fairness::groups::GroupCountsAcc;
use crate::fairness::selection::{audit_selection, SelectionAudit};
use crate::fairness::weighted::{weighted_audit, WeightedAudit};
use crate::spec::{Prediction, ValidSpec};
use serde::{Deserialize, Serialize};

/// The bias section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasReport {
    /// The outcome column (None: a selection-only audit, no label).
    pub label: Option<String>,
    /// The positive label value, printed next to every number.
    pub positive_label: Option<String>,
    /// How the prediction is read, in words ("decile_score ≥ 5", "decision = approved").
    pub prediction: String,
    /// The negative prediction in words ("decile_score < 5", "decision ≠ approved").
    #[serde(default)]
    pub prediction_negative: String,
    /// Whether the positive class is the favourable outcome.
    pub positive_is_favourable: bool,
    /// Rows left out because their label was missing.
    pub excluded_missing_label: u64,
    /// Rows left out because their prediction or score was missing.
    pub excluded_missing_prediction: u64,
    /// One audit per breakdown.
    pub breakdowns: Vec<BreakdownReport>,
    /// Proxy detection: association of every other column with each protected attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxies: Option<crate::fairness::proxy_stats::ProxyReport>,
    /// Score-based metrics, when the spec has a score column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<super::scores::ScoreReport>,
    /// The row-weight column of the weighted audit, when the spec has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<WeightInfo>,
    /// The metrics the disparity_ratio check gates (its `metric`, else the default), in
    /// order: the report charts these first.
    #[serde(default)]
    pub gated_metrics: Vec<crate::fairness::metrics::Metric>,
}

/// The weight column and the rows it left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightInfo {
    /// Column name.
    pub column: String,
    /// Rows (label and prediction known) left out because the weight was missing.
    pub excluded_missing_weight: u64,
    /// Rows left out because the weight was unparseable, negative or ±infinity.
    pub excluded_invalid_weight: u64,
    /// What is and is not weighted.
    pub notes: Vec<String>,
}

/// What the weighted audit covers, said in every weighted report.
pub const WEIGHT_NOTES: [&str; 3] = [
    "rates in the `weighted` block of each breakdown are Σw(numerator rows) ÷ Σw(sub-population rows); their Wilson intervals use Kish's effective sample size (Σw)²/Σw²; rows of weight 0 count as rows with weight 0",
    "p-values are not computed on weights (a test needs the sampling design, which a weight column does not describe): tests, sentences and disparity checks use the row-count audit, computed on the same rows",
    "score metrics (AUC, calibration, threshold sweep, LL144 scoring rates) and proxy detection are unweighted (row counts)",
];

/// Why a score whose high values are unfavourable gets no LL144 scoring rates.
pub const SCORING_UNFAVOURABLE: &str = "LL144 scoring rates are not computed: the rule's scoring rate is the share of a category scoring above the sample's median, read as being selected to move forward, but here a high score is the unfavourable outcome (the positive class is unfavourable), so that share measures harm, not selection; the impact ratios of the favourable decision are in the selection tables";

/// One breakdown: its attributes and its audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakdownReport {
    /// Attribute names (one, or several for an intersection).
    pub attributes: Vec<String>,
    /// The audit (absent when there were too many groups, or without a label).
    pub audit: Option<BreakdownAudit>,
    /// The selection-only audit, when the spec has no label column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<SelectionAudit>,
    /// Why there is no audit, if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The weighted audit of the same rows, with a weight column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<WeightedAudit>,
}

/// Builds the bias section from the merged counts.
pub fn build(spec: &ValidSpec, acc: &GroupCountsAcc) -> BiasReport {
    let b = acc.spec();
    let name = |i: usize| spec.columns.get(i).map_or_else(String::new, |c| c.name.clone());
    let (prediction, prediction_negative) = match &b.prediction {
        Prediction::Column { column, positive } => {
            (format!("{} = {positive}", name(*column)), format!("{} ≠ {positive}", name(*column)))
        }
        Prediction::Score { column, threshold, strict } => {
            let (t, col) = (super::fmt::number(*threshold), name(*column));
            let (pos, neg) = if *strict { (">", "≤") } else { ("≥", "<") };
            (format!("{col} {pos} {t}"), format!("{col} {neg} {t}"))
        }
    };
    let mut weights = acc.finish_weights().map(Vec::into_iter);
    let breakdowns = acc
        .finish()
        .into_iter()
        .map(|(attrs, overflow, groups)| {
            let weighted_groups = weights.as_mut().and_then(Iterator::next);
            let attributes: Vec<String> = attrs.iter().map(|&c| name(c)).collect();
            if overflow {
                let note = format!("more than {} groups: too fine to audit", crate::fairness::groups::MAX_GROUPS);
                return BreakdownReport { attributes, audit: None, selection: None, note: Some(note), weighted: None };
            }
            let mut options = b.options.clone();
            if let (Some(g), 1) = (&b.reference_group, attrs.len()) {
                let key = GroupKey { levels: vec![Level::Known(g.clone())] };
                if groups.iter().any(|(k, _)| *k == key) {
                    options.reference = ReferencePolicy::Chosen(key);
                }
            }
            let wording = Wording {
                attributes: attributes.clone(),
                label: b.label.zip(b.positive_label.clone()).map(|(l, p)| (name(l), p)),
                prediction: prediction.clone(),
                prediction_negative: prediction_negative.clone(),
                positive_is_favourable: b.options.positive_is_favourable,
            };
            let weighted = weighted_groups.map(|w| weighted_audit(&w, &options, b.label.is_none()));
            if b.label.is_none() {
                let counts: Vec<(GroupKey, u64, u64)> =
                    groups.iter().map(|(k, c)| (k.clone(), c.n(), c.predicted_positive())).collect();
                let mut selection = audit_selection(&counts, &options);
                let confusions = selection.confusions();
                annotate_comparisons(&wording, &mut selection.vs_reference, &confusions);
                return BreakdownReport { attributes, audit: None, selection: Some(selection), note: None, weighted };
            }
            let mut audit = audit_breakdown(&groups, &options);
            annotate(&wording, &mut audit);
            BreakdownReport { attributes, audit: Some(audit), selection: None, note: None, weighted }
        })
        .collect();
    let scores = match (b.score, &acc.scores) {
        (Some(col), Some(s)) => {
            let attributes: Vec<Vec<String>> =
                acc.breakdowns.iter().map(|br| br.attributes.iter().map(|&c| name(c)).collect()).collect();
            let strict = matches!(b.prediction, Prediction::Score { strict: true, .. });
            let threshold = match b.prediction {
                Prediction::Score { threshold, .. } => Some(threshold),
                Prediction::Column { .. } => None,
            };
            let ll144 = crate::fairness::ll144::Ll144Options {
                exclude_below_share: b.options.ll144_exclude_below_share,
                min_group_size: b.options.min_group_size,
            };
            let mut report = super::scores::build(name(col), s, &attributes, strict, threshold, &ll144);
            if b.label.is_none() {
                unlabelled(&mut report);
            }
            if !b.options.positive_is_favourable {
                for br in &mut report.breakdowns {
                    br.ll144_scoring = None;
                }
                report.ll144_note = Some(SCORING_UNFAVOURABLE.into());
            }
            Some(report)
        }
        _ => None,
    };
    let proxies = match (&b.proxies, &acc.proxies) {
        (Some(spec), Some(p)) => Some(crate::fairness::proxy_stats::proxy_report(p, spec, &name)),
        _ => None,
    };
    BiasReport {
        proxies,
        label: b.label.map(name),
        positive_label: b.positive_label.clone(),
        prediction,
        prediction_negative,
        positive_is_favourable: b.options.positive_is_favourable,
        excluded_missing_label: acc.missing_label,
        excluded_missing_prediction: acc.missing_prediction,
        breakdowns,
        scores,
        gated_metrics: crate::quality::disparity_gates::gated(
            &spec.resolved.checks,
            "disparity_ratio",
            b.label.is_some(),
            b.options.positive_is_favourable,
        ),
        weight: b.weight.map(|c| WeightInfo {
            column: name(c),
            excluded_missing_weight: acc.missing_weight,
            excluded_invalid_weight: acc.invalid_weight,
            notes: WEIGHT_NOTES.iter().map(|n| n.to_string()).collect(),
        }),
    }
}

/// Without a label column, the score metrics that need the true outcome say so (instead of
/// "no positives"); the distribution and the LL144 scoring rates stay.
fn unlabelled(report: &mut super::scores::ScoreReport) {
    const WHY: &str = "no label column: this metric needs the true outcome";
    let groups =
        std::iter::once(&mut report.overall).chain(report.breakdowns.iter_mut().flat_map(|b| b.groups.iter_mut()));
    for g in groups {
        g.auc.undefined_reason = Some(WHY.into());
        g.calibration.bins.clear();
        g.calibration.undefined_reason = Some(WHY.into());
    }
}
