//! The score section of the bias report: per breakdown and group, AUC with Hanley–McNeil
//! and DeLong intervals, calibration (10 uniform bins, ECE, Brier score), the score
//! distribution, a threshold sweep, and NYC LL144 scoring rates against the full-sample
//! median. Built from the merged [`ScoresAcc`]; every number is a function of the exact
//! (score, label) counts, or of the binned counts when the report says so.

use crate::fairness::counts::GroupKey;
use crate::fairness::ll144::{ll144_summary, Ll144Options, Ll144Summary, RateKind};
use crate::fairness::scores::stats::{self, Auc, Calibration, Distribution, ScoreBin, Sweep};
use crate::fairness::scores::{kept_bits, ScoresAcc};
use serde::{Deserialize, Serialize};

/// Thresholds of the sweep when the sample has more distinct scores.
pub const SWEEP_POINTS: usize = 101;

/// The convention text of each block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreConventions {
    /// Rows and orientation.
    pub rows: String,
    /// AUC and its intervals.
    pub auc: String,
    /// Calibration, ECE and Brier score.
    pub calibration: String,
    /// Distribution and histogram.
    pub distribution: String,
    /// Threshold sweep.
    pub threshold_sweep: String,
    /// LL144 scoring rate.
    pub ll144_scoring_rate: String,
}

fn conventions(direction: &str) -> ScoreConventions {
    ScoreConventions {
        rows: "every row with a finite score counts (a missing protected value is the unknown group); rows whose label is missing are counted as unlabelled and used only by the distribution and LL144 scoring rates; a higher score means more likely the positive class — AUC is not flipped".into(),
        auc: "P(s⁺ > s⁻) + ½ P(s⁺ = s⁻) over the group's positive and negative rows (Mann–Whitney, ties count ½; sklearn roc_auc_score); undefined without both classes; standard errors of Hanley & McNeil (1982) and DeLong et al. (1988, needs ≥ 2 of each class); 95 % interval AUC ± 1.959964·SE clamped to [0, 1]".into(),
        calibration: "defined only when every score of the sample is in [0, 1] (scores are not rescaled); 10 uniform bins as sklearn calibration_curve(strategy=\"uniform\"): edges k·0.1, a score on an inner edge goes to the lower bin; mean_score and observed_rate per non-empty bin; expected_calibration_error = Σ_b (n_b/N)·|observed_rate_b − mean_score_b|; brier_score = mean (s − y)² (sklearn brier_score_loss); labelled rows only".into(),
        distribution: "min, max and mean of the group's scores and counts per bin of 20 uniform bins over the sample's [min, max] (numpy histogram: bins [e_i, e_i+1), the last closed)".into(),
        threshold_sweep: format!("at each threshold t (every distinct score of the sample when there are at most {SWEEP_POINTS}, else {SWEEP_POINTS} evenly spaced points from min to max) a labelled row is selected when score {direction} t; selection_rate = selected/labelled, true_positive_rate = selected positives/positives, false_positive_rate = selected negatives/negatives; null when 0/0"),
        ll144_scoring_rate: "NYC LL144 (6 RCNY §5-300, §5-301(c)(1)): scoring rate = rows of the category with a score strictly above the median score of the full sample / rows of the category with a score; the median is over every scored row, including rows of unknown category and unlabelled rows (numpy median); impact ratio = scoring rate ÷ that of the highest-scoring category; not computed when scores are binned".into(),
    }
}

/// Whether the numbers are exact, and how coarse the bins are if not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// True when every distinct score was kept.
    pub exact: bool,
    /// Distinct scores (or bins) in the sample.
    pub distinct_scores: usize,
    /// Distinct scores kept exactly before binning starts.
    pub cap: usize,
    /// Mantissa bits kept per score (52 when exact).
    pub kept_mantissa_bits: u32,
    /// Each score is replaced by the lower end of its bin, at most this much below it
    /// relative to its magnitude (0 when exact).
    pub max_relative_score_error: f64,
    /// In words.
    pub note: String,
}

/// Score statistics of one group (or of the whole sample, whose `group` is empty).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupScores {
    /// The group.
    pub group: GroupKey,
    /// Rows with a finite score.
    pub n: u64,
    /// Of them, rows whose label is the positive class.
    pub positives: u64,
    /// Rows whose label is known and not positive.
    pub negatives: u64,
    /// Rows whose label is missing.
    pub unlabelled: u64,
    /// AUC with intervals.
    pub auc: Auc,
    /// Calibration table, ECE, Brier score.
    pub calibration: Calibration,
    /// Distribution and histogram.
    pub distribution: Distribution,
    /// Rates at each threshold of `thresholds`.
    pub sweep: Sweep,
    /// Rows strictly above the full-sample median (null when binned).
    pub above_median: Option<u64>,
}

/// One breakdown of the score section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreBreakdown {
    /// Attribute names.
    pub attributes: Vec<String>,
    /// Groups in key order (unknown last).
    pub groups: Vec<GroupScores>,
    /// LL144 scoring rates and impact ratios (null when binned or too many groups).
    pub ll144_scoring: Option<Ll144Summary>,
    /// Group thresholds equalising TPR and selection rate (only with a score threshold;
    /// see [`crate::fairness::thresholds`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_thresholds: Vec<crate::fairness::thresholds::GroupThresholds>,
    /// Why something is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The score section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// The score column.
    pub score: String,
    /// Definitions and conventions of every block.
    pub conventions: ScoreConventions,
    /// Rows left out because the score was missing, unparseable or NaN.
    pub excluded_missing_score: u64,
    /// Rows left out because the score was infinite.
    pub excluded_infinite_score: u64,
    /// Exact or binned.
    pub resolution: Resolution,
    /// Exact smallest and largest score.
    pub range: Option<(f64, f64)>,
    /// Whether every score is in [0, 1] (calibration and Brier need it).
    pub scores_are_probabilities: bool,
    /// Median score of every scored row (LL144); null when binned or no row.
    pub full_sample_median: Option<f64>,
    /// Why the median is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_sample_median_note: Option<String>,
    /// Edges of the histograms (21 values).
    pub histogram_edges: Vec<f64>,
    /// `>=` or `>`: how the sweep compares score and threshold.
    pub threshold_direction: String,
    /// Thresholds of the sweep, ascending.
    pub thresholds: Vec<f64>,
    /// The whole sample.
    pub overall: GroupScores,
    /// One per breakdown.
    pub breakdowns: Vec<ScoreBreakdown>,
    /// Why LL144 scoring rates are absent for every breakdown (a high score unfavourable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ll144_note: Option<String>,
}

struct Ctx {
    binned: bool,
    scale_reason: Option<String>,
    edges: Vec<f64>,
    thresholds: Vec<f64>,
    strict: bool,
    median: Option<f64>,
}

fn group_scores(group: GroupKey, bins: &[ScoreBin], c: &Ctx) -> GroupScores {
    GroupScores {
        group,
        n: bins.iter().map(ScoreBin::n).sum(),
        positives: bins.iter().map(|b| b.positives).sum(),
        negatives: bins.iter().map(|b| b.negatives).sum(),
        unlabelled: bins.iter().map(|b| b.unlabelled).sum(),
        auc: stats::auc(bins, c.binned),
        calibration: stats::calibration(bins, c.scale_reason.as_deref()),
        distribution: stats::distribution(bins, &c.edges),
        sweep: stats::sweep(bins, &c.thresholds, c.strict),
        above_median: c.median.map(|m| stats::above(bins, m)),
    }
}

/// Builds the score section. `attributes`: names per breakdown; `strict`: the sweep uses
/// `>`; `threshold`: the decision threshold, when the decision is a thresholded score
/// (then group thresholds are computed); `ll144`: options of the LL144 summary.
pub fn build(
    column: String,
    acc: &ScoresAcc,
    attributes: &[Vec<String>],
    strict: bool,
    threshold: Option<f64>,
    ll144: &Ll144Options,
) -> ScoreReport {
    let excluded = (acc.missing_score, acc.infinite_score);
    build_finished(column, acc.finish(), excluded, attributes, strict, threshold, ll144)
}

/// [`build`] from finished score counts (whose group keys the caller may have renamed:
/// a boolean column's groups carry the file's spelling); `excluded`: rows with a missing
/// and with an infinite score.
pub fn build_finished(
    column: String,
    f: crate::fairness::scores::FinishedScores,
    excluded: (u64, u64),
    attributes: &[Vec<String>],
    strict: bool,
    threshold: Option<f64>,
    ll144: &Ll144Options,
) -> ScoreReport {
    let binned = f.level > 0;
    let bits = kept_bits(f.level);
    let resolution = Resolution {
        exact: !binned,
        distinct_scores: f.distinct,
        cap: f.cap,
        kept_mantissa_bits: bits,
        max_relative_score_error: if binned { 2f64.powi(-(bits as i32)) } else { 0.0 },
        note: if binned {
            format!("more than {} distinct scores: scores binned to {bits} mantissa bits (each replaced by the lower end of its bin); AUC error bounded per group by max_binning_error; no median or LL144 scoring rates", f.cap)
        } else {
            "exact: every distinct score kept".into()
        },
    };
    let probabilities = f.range.is_some_and(|(lo, hi)| lo >= 0.0 && hi <= 1.0);
    let scale_reason = match f.range {
        None => Some("no scored rows".to_string()),
        Some((lo, hi)) if !probabilities => Some(format!(
            "scores range over [{lo}, {hi}], not [0, 1]: calibration and Brier score need probabilities and are not computed (privaudit does not rescale)"
        )),
        _ => None,
    };
    let (median, median_note) = match (binned, stats::median(&f.overall)) {
        (true, _) => (None, Some("scores are binned: the exact median needs every distinct score".to_string())),
        (false, None) => (None, Some("no scored rows".to_string())),
        (false, Some(m)) => (Some(m), None),
    };
    let live: Vec<&ScoreBin> = f.overall.iter().filter(|b| b.n() > 0).collect();
    let edges = match (live.first(), live.last()) {
        (Some(lo), Some(hi)) => stats::histogram_edges(lo.score, hi.score),
        _ => Vec::new(),
    };
    let c = Ctx {
        binned,
        scale_reason,
        edges,
        thresholds: stats::sweep_thresholds(&f.overall, SWEEP_POINTS),
        strict,
        median,
    };
    let breakdowns = f
        .breakdowns
        .iter()
        .zip(attributes)
        .map(|((overflow, groups), attrs)| {
            if *overflow {
                let note = format!("more than {} groups: too fine to audit", crate::fairness::groups::MAX_GROUPS);
                return ScoreBreakdown {
                    attributes: attrs.clone(),
                    groups: Vec::new(),
                    ll144_scoring: None,
                    group_thresholds: Vec::new(),
                    note: Some(note),
                };
            }
            let rows: Vec<GroupScores> = groups.iter().map(|(k, b)| group_scores(k.clone(), b, &c)).collect();
            let ll144_scoring = c.median.map(|_| {
                let cats: Vec<(GroupKey, u64, u64)> = rows
                    .iter()
                    .filter(|g| !g.group.is_unknown())
                    .map(|g| (g.group.clone(), g.n, g.above_median.unwrap_or(0)))
                    .collect();
                let unknown = rows.iter().filter(|g| g.group.is_unknown()).map(|g| g.n).sum();
                ll144_summary(&cats, unknown, RateKind::ScoringRate, ll144)
            });
            let group_bins: Vec<&[ScoreBin]> = groups.iter().map(|(_, b)| b.as_slice()).collect();
            let group_thresholds = threshold.map_or_else(Vec::new, |t| {
                use crate::fairness::thresholds::{group_thresholds, Target};
                [Target::EqualOpportunity, Target::DemographicParity]
                    .into_iter()
                    .map(|target| group_thresholds(&f.overall, &group_bins, t, strict, target))
                    .collect()
            });
            ScoreBreakdown { attributes: attrs.clone(), groups: rows, ll144_scoring, group_thresholds, note: None }
        })
        .collect();
    ScoreReport {
        score: column,
        conventions: conventions(if strict { ">" } else { ">=" }),
        excluded_missing_score: excluded.0,
        excluded_infinite_score: excluded.1,
        resolution,
        range: f.range,
        scores_are_probabilities: probabilities,
        full_sample_median: median,
        full_sample_median_note: median_note,
        histogram_edges: c.edges.clone(),
        threshold_direction: if strict { ">" } else { ">=" }.into(),
        thresholds: c.thresholds.clone(),
        overall: group_scores(GroupKey::default(), &f.overall, &c),
        breakdowns,
        ll144_note: None,
    }
}
