//! The bias section of the report: one [`BreakdownAudit`] per protected attribute and for
//! their intersection (a [`SelectionAudit`] when the spec has no label column), with the
//! definitions the numbers follow.

use super::sentences::{annotate, annotate_comparisons, Wording};
use crate::fairness::counts::{GroupKey, Level};
use crate::fairness::direction::parity;
use crate::fairness::disparity::{audit_breakdown, BreakdownAudit, DisparityOptions, ReferencePolicy};
use crate::fairness::groups::GroupCountsAcc;
use crate::fairness::selection::{audit_selection, SelectionAudit};
use crate::fairness::versus_reference::Comparison;
use crate::fairness::weighted::{weighted_audit, WeightedAudit};
use crate::ingest::value::ColumnType;
use crate::quality::disparity_gates::Band;
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
    /// The band the disparity_ratio check applies (None when the check is off): the
    /// grid's colours and the charts' shaded band are this band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio_band: Option<RatioBand>,
}

/// The band of the `disparity_ratio` check, as the grid and the charts draw it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatioBand {
    /// `adverse` (the parity ratio min/max ≥ `min`) or `symmetric` (`min` ≤ group ÷
    /// reference ≤ 1/`min`); for two defined rates both accept the same pairs.
    pub band: Band,
    /// τ, the check's `min` (default 0.8).
    pub min: f64,
    /// Comparisons of groups with fewer rows are not judged by the check.
    pub min_group_size: u64,
}

impl RatioBand {
    /// The check's band in `b`, or (the check off, or a report without it) the
    /// four-fifths rule of the audit's options.
    pub fn of(b: &BiasReport, options: &DisparityOptions) -> RatioBand {
        b.ratio_band.unwrap_or(RatioBand {
            band: Band::Adverse,
            min: options.four_fifths,
            min_group_size: options.min_group_size,
        })
    }

    /// Whether a comparison is inside the band; None when the check cannot judge it
    /// (a rate undefined; both rates 0; symmetric band with a zero reference rate).
    pub fn inside(&self, c: &Comparison) -> Option<bool> {
        let (a, b) = (c.value?, c.reference_value?);
        match self.band {
            Band::Adverse => parity(a, b).map(|p| p >= self.min),
            Band::Symmetric => c.ratio.map(|r| r >= self.min && r <= 1.0 / self.min),
        }
    }

    /// Outside the band and the group large enough: what the check warns or fails on.
    pub fn flagged(&self, c: &Comparison) -> bool {
        self.inside(c) == Some(false) && c.count >= self.min_group_size
    }

    /// "0.80×–1.25×", the band around a reference rate of 1.
    pub fn span(&self) -> String {
        format!("{}–{}", super::fmt::ratio(self.min), super::fmt::ratio(1.0 / self.min))
    }
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
            let groups: Vec<_> = groups.into_iter().map(|(k, c)| (spelled(spec, &attrs, k), c)).collect();
            let weighted_groups = weights
                .as_mut()
                .and_then(Iterator::next)
                .map(|w| w.into_iter().map(|(k, c, wc)| (spelled(spec, &attrs, k), c, wc)).collect::<Vec<_>>());
            let attributes: Vec<String> = attrs.iter().map(|&c| name(c)).collect();
            if overflow {
                let note = format!("more than {} groups: too fine to audit", crate::fairness::groups::MAX_GROUPS);
                return BreakdownReport { attributes, audit: None, selection: None, note: Some(note), weighted: None };
            }
            let mut options = b.options.clone();
            if let (Some(g), 1) = (&b.reference_group, attrs.len()) {
                // A boolean column's reference may be written as the file spells it or as
                // any boolean word (`reference_group = "true"` still names the `yes` group).
                let g = match (spec.columns[attrs[0]].ty, crate::ingest::value::parse_bool(g)) {
                    (ColumnType::Boolean, Some(v)) if spec.level_key(attrs[0], g) == g => {
                        spec.level_name(attrs[0], if v { "true" } else { "false" })
                    }
                    _ => g,
                };
                let key = GroupKey { levels: vec![Level::Known(g.to_string())] };
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
            let (excluded, mut finished) = ((s.missing_score, s.infinite_score), s.finish());
            for ((_, groups), br) in finished.breakdowns.iter_mut().zip(&acc.breakdowns) {
                for (k, _) in groups.iter_mut() {
                    *k = spelled(spec, &br.attributes, std::mem::take(k));
                }
            }
            let mut report =
                super::scores::build_finished(name(col), finished, excluded, &attributes, strict, threshold, &ll144);
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
        ratio_band: crate::quality::checks::threshold(&spec.resolved.checks, "disparity_ratio", None).map(|min| {
            let raw = spec.resolved.checks.get("disparity_ratio");
            RatioBand {
                band: raw.and_then(|r| r.band).unwrap_or_default(),
                min,
                min_group_size: raw.and_then(|r| r.min_group_size).unwrap_or(b.options.min_group_size),
            }
        }),
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

/// A group key with the file's own spelling for each boolean attribute's level
/// ([`ValidSpec::level_name`]: `yes`/`no` rather than how cells are keyed, `true`/`false`).
fn spelled(spec: &ValidSpec, attributes: &[usize], key: GroupKey) -> GroupKey {
    let levels = key
        .levels
        .into_iter()
        .zip(attributes)
        .map(|(l, &c)| match l {
            Level::Known(v) => Level::Known(spec.level_name(c, &v).to_string()),
            Level::Unknown => Level::Unknown,
        })
        .collect();
    GroupKey { levels }
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
