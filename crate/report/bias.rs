//! The bias section of the report: one [`BreakdownAudit`] per protected attribute and for
//! their intersection, with the definitions the numbers follow.

use super::sentences::{annotate, Wording};
use crate::fairness::counts::{GroupKey, Level};
use crate::fairness::disparity::{audit_breakdown, BreakdownAudit, ReferencePolicy};
use crate::fairness::groups::GroupCountsAcc;
use crate::spec::{Prediction, ValidSpec};
use serde::{Deserialize, Serialize};

/// The bias section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasReport {
    /// The outcome column and its positive value.
    pub label: String,
    /// The positive label value, printed next to every number.
    pub positive_label: String,
    /// How the prediction is read, in words.
    pub prediction: String,
    /// Whether the positive class is the favourable outcome.
    pub positive_is_favourable: bool,
    /// Rows left out because their label was missing.
    pub excluded_missing_label: u64,
    /// Rows left out because their prediction or score was missing.
    pub excluded_missing_prediction: u64,
    /// One audit per breakdown.
    pub breakdowns: Vec<BreakdownReport>,
    /// Score-based metrics, when the spec has a score column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<super::scores::ScoreReport>,
}

/// One breakdown: its attributes and its audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakdownReport {
    /// Attribute names (one, or several for an intersection).
    pub attributes: Vec<String>,
    /// The audit (absent when there were too many groups).
    pub audit: Option<BreakdownAudit>,
    /// Why there is no audit, if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Builds the bias section from the merged counts.
pub fn build(spec: &ValidSpec, acc: &GroupCountsAcc) -> BiasReport {
    let b = acc.spec();
    let name = |i: usize| spec.columns.get(i).map_or_else(String::new, |c| c.name.clone());
    let prediction = match &b.prediction {
        Prediction::Column { column, positive } => format!("`{}` = `{positive}`", name(*column)),
        Prediction::Score { column, threshold, strict } => {
            format!("`{}` {} {threshold}", name(*column), if *strict { ">" } else { ">=" })
        }
    };
    let breakdowns = acc
        .finish()
        .into_iter()
        .map(|(attrs, overflow, groups)| {
            let attributes: Vec<String> = attrs.iter().map(|&c| name(c)).collect();
            if overflow {
                let note = format!("more than {} groups: too fine to audit", crate::fairness::groups::MAX_GROUPS);
                return BreakdownReport { attributes, audit: None, note: Some(note) };
            }
            let mut options = b.options.clone();
            if let (Some(g), 1) = (&b.reference_group, attrs.len()) {
                let key = GroupKey { levels: vec![Level::Known(g.clone())] };
                if groups.iter().any(|(k, _)| *k == key) {
                    options.reference = ReferencePolicy::Chosen(key);
                }
            }
            let mut audit = audit_breakdown(&groups, &options);
            let wording = Wording {
                attributes: attributes.clone(),
                label: Some((name(b.label), b.positive_label.clone())),
                prediction: prediction.clone(),
                positive_is_favourable: b.options.positive_is_favourable,
            };
            annotate(&wording, &mut audit);
            BreakdownReport { attributes, audit: Some(audit), note: None }
        })
        .collect();
    let scores = match (b.score, &acc.scores) {
        (Some(col), Some(s)) => {
            let attributes: Vec<Vec<String>> =
                acc.breakdowns.iter().map(|br| br.attributes.iter().map(|&c| name(c)).collect()).collect();
            let strict = matches!(b.prediction, Prediction::Score { strict: true, .. });
            let ll144 = crate::fairness::ll144::Ll144Options {
                exclude_below_share: b.options.ll144_exclude_below_share,
                min_group_size: b.options.min_group_size,
            };
            Some(super::scores::build(name(col), s, &attributes, strict, &ll144))
        }
        _ => None,
    };
    BiasReport {
        label: name(b.label),
        positive_label: b.positive_label.clone(),
        prediction,
        positive_is_favourable: b.options.positive_is_favourable,
        excluded_missing_label: acc.missing_label,
        excluded_missing_prediction: acc.missing_prediction,
        breakdowns,
        scores,
    }
}
