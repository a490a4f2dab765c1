//! Pure score statistics of one group, from its distinct scores in ascending order with
//! exact counts ([`ScoreBin`]). Every sum runs in that order, so a result depends only on
//! the multiset of (score, label) pairs, never on how the rows were split or merged.
//!
//! * AUC: Mann–Whitney, ties count ½ (sklearn `roc_auc_score`), with the Hanley–McNeil
//!   (1982) and DeLong (1988) standard errors and 95 % Wald intervals clamped to [0, 1].
//! * Calibration: 10 uniform bins over [0, 1] as sklearn `calibration_curve(strategy=
//!   "uniform")` (a score on an inner edge goes to the lower bin), expected calibration
//!   error Σ_b (n_b/N)|observed_b − mean_score_b| and Brier score mean (s − y)²
//!   (sklearn `brier_score_loss`); undefined unless every score of the sample is in [0, 1].
//! * Distribution: min, max, mean and a histogram on shared edges (numpy `histogram`).
//! * Threshold sweep: selection rate, TPR and FPR at each threshold.

use super::super::interval::Z95;
use serde::{Deserialize, Serialize};

/// One distinct score (or score bin) of a group with its exact counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreBin {
    /// The score (in binned mode, the lower end of its bin).
    pub score: f64,
    /// Rows with this score whose label is the positive class.
    pub positives: u64,
    /// Rows with this score whose label is known and not positive.
    pub negatives: u64,
    /// Rows with this score whose label is missing.
    pub unlabelled: u64,
}

impl ScoreBin {
    /// Rows with a known label.
    pub fn labelled(&self) -> u64 {
        self.positives + self.negatives
    }
    /// All rows with this score.
    pub fn n(&self) -> u64 {
        self.labelled() + self.unlabelled
    }
}

/// A standard error and the 95 % Wald interval A ± z·SE clamped to [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AucInterval {
    /// Standard error of the AUC.
    pub se: f64,
    /// max(0, A − z·SE), min(1, A + z·SE) with z = Φ⁻¹(0.975).
    pub ci95: (f64, f64),
}

/// The AUC of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Auc {
    /// P(s⁺ > s⁻) + ½ P(s⁺ = s⁻); null when the group lacks positives or negatives.
    pub value: Option<f64>,
    /// Why the value is null.
    pub undefined_reason: Option<String>,
    /// Hanley & McNeil (1982) standard error and interval.
    pub hanley_mcneil: Option<AucInterval>,
    /// DeLong et al. (1988) standard error and interval (needs ≥ 2 positives and negatives).
    pub delong: Option<AucInterval>,
    /// Upper bound of |AUC − exact AUC| due to binning: Σ_b P_b·N_b / (2·P·N) (0 when exact).
    pub max_binning_error: Option<f64>,
}

fn interval(a: f64, var: f64) -> AucInterval {
    let se = var.max(0.0).sqrt();
    AucInterval { se, ci95: ((a - Z95 * se).max(0.0), (a + Z95 * se).min(1.0)) }
}

/// AUC with its intervals. `binned`: scores were quantised (fills the error bound).
pub fn auc(bins: &[ScoreBin], binned: bool) -> Auc {
    let p: u64 = bins.iter().map(|b| b.positives).sum();
    let n: u64 = bins.iter().map(|b| b.negatives).sum();
    if p == 0 || n == 0 {
        let what = if p == 0 && n == 0 {
            "no labelled rows"
        } else if p == 0 {
            "no positive rows"
        } else {
            "no negative rows"
        };
        return Auc {
            value: None,
            undefined_reason: Some(format!("{what}: AUC is 0/0, undefined")),
            hanley_mcneil: None,
            delong: None,
            max_binning_error: None,
        };
    }
    // 2U = Σ_b P_b (2·N_below + N_b), exactly.
    let (mut two_u, mut below, mut ties) = (0u128, 0u128, 0u128);
    for b in bins {
        two_u += b.positives as u128 * (2 * below + b.negatives as u128);
        ties += b.positives as u128 * b.negatives as u128;
        below += b.negatives as u128;
    }
    let pairs = 2 * p as u128 * n as u128;
    let a = two_u as f64 / pairs as f64;
    let (pf, nf) = (p as f64, n as f64);
    let q1 = a / (2.0 - a);
    let q2 = 2.0 * a * a / (1.0 + a);
    let hm = (a * (1.0 - a) + (pf - 1.0) * (q1 - a * a) + (nf - 1.0) * (q2 - a * a)) / (pf * nf);
    let delong = (p >= 2 && n >= 2).then(|| {
        // Placements: a positive at b beats (N_below + N_b/2)/N negatives; a negative at b
        // is beaten by (P_above + P_b/2)/P positives.
        let (mut s10, mut s01, mut nb) = (0.0, 0.0, 0u64);
        let mut pa = p;
        for b in bins {
            pa -= b.positives;
            let v10 = (nb as f64 + 0.5 * b.negatives as f64) / nf;
            let v01 = (pa as f64 + 0.5 * b.positives as f64) / pf;
            s10 += b.positives as f64 * (v10 - a) * (v10 - a);
            s01 += b.negatives as f64 * (v01 - a) * (v01 - a);
            nb += b.negatives;
        }
        interval(a, s10 / (pf - 1.0) / pf + s01 / (nf - 1.0) / nf)
    });
    Auc {
        value: Some(a),
        undefined_reason: None,
        hanley_mcneil: Some(interval(a, hm)),
        delong,
        max_binning_error: Some(if binned { ties as f64 / pairs as f64 } else { 0.0 }),
    }
}

/// Number of calibration bins (sklearn's default).
pub const CALIBRATION_BINS: usize = 10;

/// Inner edge k (1..=9) of the calibration bins: numpy `linspace(0, 1, 11)[k]` = k·0.1.
fn calibration_edge(k: usize) -> f64 {
    k as f64 * 0.1
}

/// One calibration bin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Lower edge (the bin holds scores in (lower, upper]; the first also holds 0).
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Labelled rows in the bin.
    pub n: u64,
    /// Positive rows in the bin.
    pub positives: u64,
    /// Mean score of the bin (sklearn `prob_pred`); null when empty.
    pub mean_score: Option<f64>,
    /// Positive share of the bin (sklearn `prob_true`); null when empty.
    pub observed_rate: Option<f64>,
}

/// Calibration of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The 10 uniform bins (empty when undefined).
    pub bins: Vec<CalibrationBin>,
    /// Σ_b (n_b / N)·|observed_b − mean_score_b|.
    pub expected_calibration_error: Option<f64>,
    /// mean (s − y)² over labelled rows.
    pub brier_score: Option<f64>,
    /// Why the values are null.
    pub undefined_reason: Option<String>,
}

/// Calibration table, ECE and Brier score. `scale_reason`: why the sample's scores are not
/// probabilities (some outside [0, 1]), or None when they all are.
pub fn calibration(bins: &[ScoreBin], scale_reason: Option<&str>) -> Calibration {
    let total: u64 = bins.iter().map(ScoreBin::labelled).sum();
    let undefined = |why: String| Calibration {
        bins: Vec::new(),
        expected_calibration_error: None,
        brier_score: None,
        undefined_reason: Some(why),
    };
    if let Some(why) = scale_reason {
        return undefined(why.to_string());
    }
    if total == 0 {
        return undefined("no labelled rows: 0/0, undefined".into());
    }
    let mut cal: Vec<(u64, u64, f64)> = vec![(0, 0, 0.0); CALIBRATION_BINS];
    let mut brier = 0.0;
    for b in bins.iter().filter(|b| b.labelled() > 0) {
        let s = b.score;
        let k = (1..CALIBRATION_BINS).filter(|&k| calibration_edge(k) < s).count();
        cal[k].0 += b.labelled();
        cal[k].1 += b.positives;
        cal[k].2 += b.labelled() as f64 * s;
        brier += b.positives as f64 * (s - 1.0) * (s - 1.0) + b.negatives as f64 * s * s;
    }
    let mut ece = 0.0;
    let out = cal
        .iter()
        .enumerate()
        .map(|(k, &(n, pos, sum))| {
            let (mean, obs) = if n == 0 { (None, None) } else { (Some(sum / n as f64), Some(pos as f64 / n as f64)) };
            if let (Some(m), Some(o)) = (mean, obs) {
                ece += n as f64 / total as f64 * (o - m).abs();
            }
            let lower = if k == 0 { 0.0 } else { calibration_edge(k) };
            let upper = if k + 1 == CALIBRATION_BINS { 1.0 } else { calibration_edge(k + 1) };
            CalibrationBin { lower, upper, n, positives: pos, mean_score: mean, observed_rate: obs }
        })
        .collect();
    Calibration {
        bins: out,
        expected_calibration_error: Some(ece),
        brier_score: Some(brier / total as f64),
        undefined_reason: None,
    }
}

/// Bins of the score histogram.
pub const HISTOGRAM_BINS: usize = 20;

/// numpy `histogram` edges for `HISTOGRAM_BINS` uniform bins over [min, max]
/// (min − 0.5 and max + 0.5 when min = max).
pub fn histogram_edges(min: f64, max: f64) -> Vec<f64> {
    let (first, last) = if min == max { (min - 0.5, max + 0.5) } else { (min, max) };
    let step = (last - first) / HISTOGRAM_BINS as f64;
    let mut e: Vec<f64> = (0..=HISTOGRAM_BINS).map(|i| i as f64 * step + first).collect();
    e[HISTOGRAM_BINS] = last;
    e
}

/// Counts of all scored rows per histogram bin, exactly as numpy assigns them (bins are
/// [e_i, e_{i+1}), the last one closed).
pub fn histogram(bins: &[ScoreBin], edges: &[f64]) -> Vec<u64> {
    let k = edges.len().saturating_sub(1);
    let mut counts = vec![0u64; k];
    let (Some(&first), Some(&last)) = (edges.first(), edges.last()) else { return counts };
    for b in bins.iter().filter(|b| b.score >= first && b.score <= last && k > 0) {
        let f = (b.score - first) / (last - first) * k as f64;
        let mut i = (f as usize).min(k - 1);
        if b.score < edges[i] {
            i = i.saturating_sub(1);
        } else if b.score >= edges[i + 1] && i + 1 != k {
            i += 1;
        }
        counts[i] += b.n();
    }
    counts
}

/// Minimum, maximum and mean of a group's scores, and its histogram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Smallest score (null without rows).
    pub min: Option<f64>,
    /// Largest score.
    pub max: Option<f64>,
    /// Mean score of all scored rows.
    pub mean: Option<f64>,
    /// Rows per bin of the sample's histogram edges.
    pub histogram: Vec<u64>,
}

/// The distribution of one group on the sample's histogram edges.
pub fn distribution(bins: &[ScoreBin], edges: &[f64]) -> Distribution {
    let n: u64 = bins.iter().map(ScoreBin::n).sum();
    let sum: f64 = bins.iter().map(|b| b.n() as f64 * b.score).sum();
    let live = || bins.iter().filter(|b| b.n() > 0);
    Distribution {
        min: live().next().map(|b| b.score),
        max: live().next_back().map(|b| b.score),
        mean: (n > 0).then(|| sum / n as f64),
        histogram: histogram(bins, edges),
    }
}

/// Rates of one group at each threshold of the sweep (labelled rows only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Share of labelled rows selected at each threshold.
    pub selection_rate: Vec<Option<f64>>,
    /// Share of positives selected.
    pub true_positive_rate: Vec<Option<f64>>,
    /// Share of negatives selected.
    pub false_positive_rate: Vec<Option<f64>>,
}

/// Selection rate, TPR and FPR at each threshold (ascending); a row is selected when
/// score ≥ t (score > t when `strict`).
pub fn sweep(bins: &[ScoreBin], thresholds: &[f64], strict: bool) -> Sweep {
    let p: u64 = bins.iter().map(|b| b.positives).sum();
    let n: u64 = bins.iter().map(|b| b.negatives).sum();
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    let mut out = Sweep { selection_rate: Vec::new(), true_positive_rate: Vec::new(), false_positive_rate: Vec::new() };
    // Rows not selected so far (scores below the threshold), walking thresholds upwards.
    let (mut i, mut p_below, mut n_below) = (0, 0u64, 0u64);
    for &t in thresholds {
        while i < bins.len() && (if strict { bins[i].score <= t } else { bins[i].score < t }) {
            p_below += bins[i].positives;
            n_below += bins[i].negatives;
            i += 1;
        }
        let (ps, ns) = (p - p_below, n - n_below);
        out.selection_rate.push(ratio(ps + ns, p + n));
        out.true_positive_rate.push(ratio(ps, p));
        out.false_positive_rate.push(ratio(ns, n));
    }
    out
}

/// Thresholds of the sweep: every distinct score when there are at most `max_points`,
/// else `max_points` evenly spaced points from min to max (numpy `linspace`).
pub fn sweep_thresholds(overall: &[ScoreBin], max_points: usize) -> Vec<f64> {
    let scores: Vec<f64> = overall.iter().filter(|b| b.n() > 0).map(|b| b.score).collect();
    match (scores.first(), scores.last()) {
        (Some(&lo), Some(&hi)) if scores.len() > max_points && max_points > 1 => {
            let step = (hi - lo) / (max_points - 1) as f64;
            let mut t: Vec<f64> = (0..max_points).map(|i| i as f64 * step + lo).collect();
            t[max_points - 1] = hi;
            t
        }
        _ => scores,
    }
}

/// The median of all scored rows (numpy `median`: the mean of the two middle values when
/// the count is even), or None without rows.
pub fn median(bins: &[ScoreBin]) -> Option<f64> {
    let n: u64 = bins.iter().map(ScoreBin::n).sum();
    if n == 0 {
        return None;
    }
    let nth = |r: u64| {
        let mut seen = 0;
        bins.iter().find(|b| {
            seen += b.n();
            seen > r
        })
    };
    let hi = nth(n / 2)?.score;
    if n % 2 == 1 {
        return Some(hi);
    }
    let lo = nth(n / 2 - 1)?.score;
    let mid = (lo + hi) / 2.0;
    Some(if mid.is_finite() { mid } else { lo / 2.0 + hi / 2.0 })
}

/// Rows with a score strictly above `m`.
pub fn above(bins: &[ScoreBin], m: f64) -> u64 {
    bins.iter().filter(|b| b.score > m).map(ScoreBin::n).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bins(rows: &[(f64, u64, u64)]) -> Vec<ScoreBin> {
        rows.iter()
            .map(|&(score, positives, negatives)| ScoreBin { score, positives, negatives, unlabelled: 0 })
            .collect()
    }

    #[test]
    fn auc_counts_ties_half_and_is_undefined_without_both_classes() {
        // positives at 0.5, 0.8; negatives at 0.2, 0.5: pairs 1 + ½ + 1 + 1 = 3.5 of 4.
        let b = bins(&[(0.2, 0, 1), (0.5, 1, 1), (0.8, 1, 0)]);
        let a = auc(&b, true);
        assert_eq!(a.value, Some(0.875));
        assert_eq!(a.max_binning_error, Some(0.125));
        assert!(auc(&bins(&[(0.1, 3, 0)]), false).undefined_reason.unwrap().contains("no negative"));
        assert_eq!(auc(&bins(&[(0.1, 0, 2), (0.4, 3, 0)]), false).hanley_mcneil.unwrap().ci95, (1.0, 1.0));
    }

    #[test]
    fn numpy_edges_and_median() {
        assert_eq!(calibration_edge(3), 0.30000000000000004);
        let c = calibration(&bins(&[(0.1, 1, 1), (0.30000000000000004, 0, 1), (1.0, 1, 0)]), None);
        assert_eq!((c.bins[0].n, c.bins[2].n, c.bins[9].n), (2, 1, 1));
        assert_eq!(histogram(&bins(&[(1.0, 1, 0), (2.0, 1, 1)]), &histogram_edges(1.0, 2.0))[19], 2);
        assert_eq!(median(&bins(&[(1.0, 1, 0), (2.0, 1, 0)])), Some(1.5));
        assert_eq!(median(&bins(&[(1.0, 1, 0), (2.0, 2, 0)])), Some(2.0));
        let s = sweep(&bins(&[(0.2, 0, 1), (0.5, 1, 1), (0.8, 1, 0)]), &[0.5], true);
        assert_eq!((s.true_positive_rate[0], s.false_positive_rate[0]), (Some(0.5), Some(0.0)));
    }
}
