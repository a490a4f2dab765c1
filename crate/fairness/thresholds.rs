//! Group thresholds (a mitigation hint): per-group score thresholds that bring every
//! group's true positive rate (equal opportunity) or selection rate (demographic parity)
//! as close as the group's scores allow to the rate the single threshold gives the whole
//! sample, with the resulting metrics and the accuracy this costs.
//!
//! # Convention
//! A group threshold t selects the rows with score ≥ t; the candidates are the group's
//! own distinct scores and "select nobody". Among the candidates the one whose rate is
//! closest to the target wins (ties: the higher threshold, which selects fewer). A group
//! is *within tolerance* when |rate − target| ≤ 0.01. Rates count labelled rows (TPR,
//! FPR, accuracy) or every scored row (selection rate), as elsewhere in the report.
//! Computed from exact per-score counts; with binned scores the thresholds are bin
//! lower ends (the report says when).

use super::scores::stats::ScoreBin;
use serde::{Deserialize, Serialize};

/// Distance within which a group's rate counts as equalised.
pub const TOLERANCE: f64 = 0.01;

/// Which rate the thresholds equalise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// True positive rate (equal opportunity).
    EqualOpportunity,
    /// Selection rate (demographic parity).
    DemographicParity,
}

/// Counts selected by "score ≥ t" (or by a single threshold with its direction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Selected {
    tp: u64,
    fp: u64,
    selected: u64,
    positives: u64,
    negatives: u64,
    all: u64,
}

impl Selected {
    fn rate(&self, target: Target) -> Option<f64> {
        let (n, d) = match target {
            Target::EqualOpportunity => (self.tp, self.positives),
            Target::DemographicParity => (self.selected, self.all),
        };
        (d > 0).then(|| n as f64 / d as f64)
    }
    fn correct(&self) -> u64 {
        self.tp + (self.negatives - self.fp)
    }
}

fn totals(bins: &[ScoreBin]) -> Selected {
    bins.iter().fold(Selected::default(), |mut s, b| {
        s.positives += b.positives;
        s.negatives += b.negatives;
        s.all += b.n();
        s
    })
}

/// What a single threshold selects (`strict`: score > t, else score ≥ t).
fn at(bins: &[ScoreBin], threshold: f64, strict: bool) -> Selected {
    let mut s = totals(bins);
    for b in bins.iter().filter(|b| if strict { b.score > threshold } else { b.score >= threshold }) {
        s.tp += b.positives;
        s.fp += b.negatives;
        s.selected += b.n();
    }
    s
}

/// One group's threshold and what it gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupThreshold {
    /// Select scores ≥ this (`None`: select nobody).
    pub threshold: Option<f64>,
    /// The equalised rate at that threshold (`None`: undefined, e.g. no positives).
    pub rate: Option<f64>,
    /// |rate − target| ≤ [`TOLERANCE`].
    pub within_tolerance: bool,
    /// Selection rate, TPR and FPR at that threshold (`None` when 0/0).
    pub selection_rate: Option<f64>,
    /// True positive rate.
    pub true_positive_rate: Option<f64>,
    /// False positive rate.
    pub false_positive_rate: Option<f64>,
    /// Labelled rows classified correctly, and labelled rows.
    pub correct: (u64, u64),
}

/// Thresholds for every group of a breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupThresholds {
    /// The equalised rate.
    pub target: Target,
    /// The whole sample's rate at the single threshold.
    pub target_rate: Option<f64>,
    /// Per group, in the breakdown's order.
    pub groups: Vec<GroupThreshold>,
    /// Accuracy (labelled rows) with the single threshold, and with group thresholds.
    pub accuracy_single: Option<f64>,
    /// See `accuracy_single`.
    pub accuracy_group: Option<f64>,
}

fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn best(bins: &[ScoreBin], target: Target, goal: f64) -> (Option<f64>, Selected) {
    let mut s = totals(bins);
    // Walk thresholds from "nobody" down through the scores (descending): selections grow.
    let mut best = (None, s, s.rate(target).map(|r| (r - goal).abs()));
    for b in bins.iter().rev() {
        s.tp += b.positives;
        s.fp += b.negatives;
        s.selected += b.n();
        let d = s.rate(target).map(|r| (r - goal).abs());
        if let Some(d) = d {
            if best.2.is_none_or(|bd| d < bd) {
                best = (Some(b.score), s, Some(d));
            }
        }
    }
    (best.0, best.1)
}

/// Group thresholds for one breakdown. `overall`: the whole sample's bins; `groups`: each
/// group's bins (ascending scores); `threshold`/`strict`: the single decision rule.
pub fn group_thresholds(
    overall: &[ScoreBin],
    groups: &[&[ScoreBin]],
    threshold: f64,
    strict: bool,
    target: Target,
) -> GroupThresholds {
    let target_rate = at(overall, threshold, strict).rate(target);
    let (mut single, mut group, mut labelled) = (0u64, 0u64, 0u64);
    let rows = groups
        .iter()
        .map(|bins| {
            let one = at(bins, threshold, strict);
            single += one.correct();
            labelled += one.positives + one.negatives;
            let (t, s) = match target_rate {
                Some(goal) => best(bins, target, goal),
                None => (None, totals(bins)),
            };
            group += s.correct();
            let rate = s.rate(target);
            GroupThreshold {
                threshold: t,
                rate,
                within_tolerance: rate.zip(target_rate).is_some_and(|(r, g)| (r - g).abs() <= TOLERANCE),
                selection_rate: ratio(s.selected, s.all),
                true_positive_rate: ratio(s.tp, s.positives),
                false_positive_rate: ratio(s.fp, s.negatives),
                correct: (s.correct(), s.positives + s.negatives),
            }
        })
        .collect();
    GroupThresholds {
        target,
        target_rate,
        groups: rows,
        accuracy_single: ratio(single, labelled),
        accuracy_group: ratio(group, labelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(score: f64, positives: u64, negatives: u64) -> ScoreBin {
        ScoreBin { score, positives, negatives, unlabelled: 0 }
    }

    #[test]
    fn equal_opportunity_by_hand() {
        // Group a: scores 1..4 with 1 positive each and 1 negative each.
        // Group b: scores 1..4; positives only at 1 and 2 (1 each), negatives at 3 and 4.
        let a = [bin(1.0, 1, 1), bin(2.0, 1, 1), bin(3.0, 1, 1), bin(4.0, 1, 1)];
        let b = [bin(1.0, 1, 0), bin(2.0, 1, 0), bin(3.0, 0, 1), bin(4.0, 0, 1)];
        let all = [bin(1.0, 2, 1), bin(2.0, 2, 1), bin(3.0, 1, 2), bin(4.0, 1, 2)];
        // Single rule score ≥ 3: overall TPR = 2/6 = 1/3.
        let t = group_thresholds(&all, &[&a, &b], 3.0, false, Target::EqualOpportunity);
        assert_eq!(t.target_rate, Some(1.0 / 3.0));
        // a: TPR at ≥4 is 1/4 (|Δ| 1/12), at ≥3 is 1/2 (1/6): 4 wins.
        assert_eq!((t.groups[0].threshold, t.groups[0].rate), (Some(4.0), Some(0.25)));
        // b: TPR at ≥2 is 1/2, nobody 0 (|Δ| 1/3 both 1/6 vs 1/3): ≥2 wins.
        assert_eq!((t.groups[1].threshold, t.groups[1].rate), (Some(2.0), Some(0.5)));
        assert!(!t.groups[0].within_tolerance);
        // Accuracy: single rule a 4/8, b 0/4 correct... b: ≥3 selects two negatives: 2 TN
        // lost, 2 positives missed → 0 of 4 correct; a: 2 TP + 2 TN = 4 of 8.
        assert_eq!(t.accuracy_single, Some(4.0 / 12.0));
        // Group rules: a ≥4: TP 1, TN 3 → 4; b ≥2: TP 1, FP 2 → TN 0 → 1 (TP) + 0 = 1... plus
        // the positive at 1 is missed: correct 1.
        assert_eq!(t.groups[1].correct, (1, 4));
        assert_eq!(t.accuracy_group, Some(5.0 / 12.0));
    }

    #[test]
    fn demographic_parity_and_undefined_targets() {
        let a = [bin(0.2, 0, 5), bin(0.8, 5, 0)];
        let t = group_thresholds(&a, &[&a], 0.5, false, Target::DemographicParity);
        assert_eq!(
            (t.groups[0].threshold, t.groups[0].rate, t.groups[0].within_tolerance),
            (Some(0.8), Some(0.5), true)
        );
        // No positives anywhere: the equal-opportunity target is undefined, nobody is moved.
        let n = [bin(0.3, 0, 4)];
        let t = group_thresholds(&n, &[&n], 0.5, false, Target::EqualOpportunity);
        assert_eq!((t.target_rate, t.groups[0].threshold, t.groups[0].rate), (None, None, None));
    }
}
