//! fairlearn's reference-free disparities (`MetricFrame.difference()` / `.ratio()`,
//! `fairlearn/metrics/_disaggregated_result.py`), convention ids
//! `fairlearn_between_groups` and `fairlearn_to_overall`.
//!
//! * between groups: difference = max_g R_g − min_g R_g, ratio = min_g R_g / max_g R_g;
//! * to overall: difference = max_g |R_g − R_all|, ratio = min_g min(R_g/R_all, R_all/R_g);
//! * `demographic_parity_*` uses the selection rate, `equal_opportunity_*` the TPR, and
//!   `equalized_odds_*` the worst case over TPR and FPR (difference: the larger; ratio: the
//!   smaller), fairlearn's default `agg="worst_case"`.
//!
//! **Undefined rates.** A group whose rate is 0/0 is left out of the max and the min and
//! named in `excluded_undefined` with a note. fairlearn instead counts such a group as
//! rate 0 (sklearn's normalised confusion matrix), which can make the difference 1 and
//! the ratio 0 on its own; the numbers then differ from fairlearn's by design. With fewer
//! than two defined groups the difference and ratio are undefined. A ratio whose maximum
//! is 0 is 0/0, undefined. Unknown-category groups never take part.

use super::counts::{Confusion, GroupKey};
use super::disparity::Convention;
use super::metrics::Metric;
use serde::{Deserialize, Serialize};

/// A group and its rate at an extreme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extreme {
    /// The group.
    pub group: GroupKey,
    /// Its rate.
    pub value: f64,
}

/// max − min and min / max of one metric across groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BetweenGroups {
    /// Always [`Convention::FairlearnBetweenGroups`].
    pub convention: Convention,
    /// The metric.
    pub metric: Metric,
    /// Group with the highest defined rate (first in input order on ties).
    pub max: Option<Extreme>,
    /// Group with the lowest defined rate.
    pub min: Option<Extreme>,
    /// max − min.
    pub difference: Option<f64>,
    /// min / max.
    pub ratio: Option<f64>,
    /// Groups whose rate is 0/0, left out of max and min.
    pub excluded_undefined: Vec<GroupKey>,
    /// Why a value is missing or which groups were left out.
    pub note: Option<String>,
}

/// Largest deviation from the overall rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToOverall {
    /// Always [`Convention::FairlearnToOverall`].
    pub convention: Convention,
    /// The metric.
    pub metric: Metric,
    /// The rate over every row (unknown categories included).
    pub overall: Option<f64>,
    /// max_g |R_g − R_all|.
    pub difference: Option<f64>,
    /// min_g min(R_g/R_all, R_all/R_g).
    pub ratio: Option<f64>,
    /// Groups whose rate is 0/0, left out.
    pub excluded_undefined: Vec<GroupKey>,
}

/// fairlearn's named disparities plus the between-groups and to-overall values of every
/// compared metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FairlearnSummary {
    /// Selection rate max − min.
    pub demographic_parity_difference: Option<f64>,
    /// Selection rate min / max.
    pub demographic_parity_ratio: Option<f64>,
    /// max(TPR max − min, FPR max − min).
    pub equalized_odds_difference: Option<f64>,
    /// min(TPR min / max, FPR min / max).
    pub equalized_odds_ratio: Option<f64>,
    /// TPR max − min.
    pub equal_opportunity_difference: Option<f64>,
    /// TPR min / max.
    pub equal_opportunity_ratio: Option<f64>,
    /// One entry per compared metric.
    pub between_groups: Vec<BetweenGroups>,
    /// One entry per compared metric.
    pub to_overall: Vec<ToOverall>,
}

/// The defined rates of the known groups, and the known groups whose rate is 0/0.
fn defined<'a>(
    rates: impl IntoIterator<Item = (&'a GroupKey, Option<f64>)>,
) -> (Vec<(&'a GroupKey, f64)>, Vec<GroupKey>) {
    let mut values = Vec::new();
    let mut undefined = Vec::new();
    for (key, rate) in rates.into_iter().filter(|(k, _)| !k.is_unknown()) {
        match rate {
            Some(v) => values.push((key, v)),
            None => undefined.push(key.clone()),
        }
    }
    (values, undefined)
}

/// max − min and min / max of `metric` over the known groups.
pub fn between_groups(groups: &[(GroupKey, Confusion)], metric: Metric) -> BetweenGroups {
    between_rates(groups.iter().map(|(k, c)| (k, metric.rate(c).value)), metric)
}

/// max − min and min / max over `(group, rate)` pairs of `metric` (None: 0/0): unknown
/// groups are skipped, undefined rates left out of max and min and listed. Shared by the
/// row-count and the weighted audits.
pub fn between_rates<'a>(
    rates: impl IntoIterator<Item = (&'a GroupKey, Option<f64>)>,
    metric: Metric,
) -> BetweenGroups {
    let (values, excluded_undefined) = defined(rates);
    let mut max: Option<(&GroupKey, f64)> = None;
    let mut min: Option<(&GroupKey, f64)> = None;
    for &(k, v) in &values {
        if max.is_none_or(|m| v > m.1) {
            max = Some((k, v));
        }
        if min.is_none_or(|m| v < m.1) {
            min = Some((k, v));
        }
    }
    let mut notes = Vec::new();
    if !excluded_undefined.is_empty() {
        let names: Vec<String> = excluded_undefined.iter().map(|k| k.to_string()).collect();
        notes.push(format!("{} undefined (0/0) for {}: left out of max and min", metric.name(), names.join(", ")));
    }
    let (difference, ratio) = match (max, min, values.len()) {
        (Some(hi), Some(lo), n) if n >= 2 => {
            let ratio = if hi.1 > 0.0 { Some(lo.1 / hi.1) } else { None };
            if ratio.is_none() {
                notes.push("every rate is 0: the ratio is 0/0, undefined".into());
            }
            (Some(hi.1 - lo.1), ratio)
        }
        _ => {
            notes.push(format!("fewer than two groups with a defined {}", metric.name()));
            (None, None)
        }
    };
    let ext = |m: Option<(&GroupKey, f64)>| m.map(|(k, v)| Extreme { group: k.clone(), value: v });
    BetweenGroups {
        convention: Convention::FairlearnBetweenGroups,
        metric,
        max: ext(max),
        min: ext(min),
        difference,
        ratio,
        excluded_undefined,
        note: if notes.is_empty() { None } else { Some(notes.join("; ")) },
    }
}

/// Deviation of each known group's `metric` from its value over `overall`.
pub fn to_overall(groups: &[(GroupKey, Confusion)], overall: &Confusion, metric: Metric) -> ToOverall {
    let (values, excluded_undefined) = defined(groups.iter().map(|(k, c)| (k, metric.rate(c).value)));
    let all = metric.rate(overall).value;
    let (mut difference, mut ratio) = (None, None);
    if let (Some(a), false) = (all, values.is_empty()) {
        difference = values.iter().map(|(_, v)| (v - a).abs()).reduce(f64::max);
        if a > 0.0 {
            ratio = values.iter().map(|(_, v)| (v / a).min(a / v)).reduce(f64::min);
        }
    }
    ToOverall {
        convention: Convention::FairlearnToOverall,
        metric,
        overall: all,
        difference,
        ratio,
        excluded_undefined,
    }
}

fn worst(a: Option<f64>, b: Option<f64>, pick: fn(f64, f64) -> f64) -> Option<f64> {
    Some(pick(a?, b?))
}

/// Every fairlearn disparity of the breakdown; `overall` is the sum of all rows.
pub fn fairlearn_summary(groups: &[(GroupKey, Confusion)], overall: &Confusion) -> FairlearnSummary {
    let between: Vec<BetweenGroups> = Metric::COMPARED.iter().map(|&m| between_groups(groups, m)).collect();
    let get = |m: Metric| between.iter().find(|b| b.metric == m);
    let (sr, tpr, fpr) = (get(Metric::SelectionRate), get(Metric::TruePositiveRate), get(Metric::FalsePositiveRate));
    let diff = |b: Option<&BetweenGroups>| b.and_then(|b| b.difference);
    let ratio = |b: Option<&BetweenGroups>| b.and_then(|b| b.ratio);
    FairlearnSummary {
        demographic_parity_difference: diff(sr),
        demographic_parity_ratio: ratio(sr),
        equalized_odds_difference: worst(diff(tpr), diff(fpr), f64::max),
        equalized_odds_ratio: worst(ratio(tpr), ratio(fpr), f64::min),
        equal_opportunity_difference: diff(tpr),
        equal_opportunity_ratio: ratio(tpr),
        to_overall: Metric::COMPARED.iter().map(|&m| to_overall(groups, overall, m)).collect(),
        between_groups: between,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::counts::Level;

    #[test]
    fn undefined_group_is_excluded_not_zero() {
        // Stop-and-frisk shape: a 9-row group with no positive label (TPR 0/0).
        let groups = vec![
            (GroupKey::known(&["A"]), Confusion::new(40, 10, 40, 10)),
            (GroupKey::known(&["B"]), Confusion::new(30, 20, 30, 20)),
            (GroupKey::known(&["tiny"]), Confusion::new(0, 4, 5, 0)),
            (GroupKey { levels: vec![Level::Unknown] }, Confusion::new(0, 0, 0, 9)),
        ];
        let b = between_groups(&groups, Metric::TruePositiveRate);
        assert_eq!(b.excluded_undefined, vec![GroupKey::known(&["tiny"])]);
        assert!((b.difference.unwrap() - 0.2).abs() < 1e-15);
        assert!((b.ratio.unwrap() - 0.75).abs() < 1e-15);
        assert!(b.note.unwrap().contains("tiny"));
        let s = fairlearn_summary(&groups, &groups.iter().map(|g| g.1).sum());
        assert!((s.equal_opportunity_difference.unwrap() - 0.2).abs() < 1e-15);
        // FPR: A 0.2, B 0.4, tiny 4/9: worst case is the FPR spread.
        assert!((s.equalized_odds_difference.unwrap() - (4.0 / 9.0 - 0.2)).abs() < 1e-15);
    }

    #[test]
    fn one_defined_group_gives_no_disparity() {
        let groups = vec![
            (GroupKey::known(&["A"]), Confusion::new(1, 1, 1, 1)),
            (GroupKey::known(&["B"]), Confusion::new(0, 0, 3, 0)),
        ];
        let b = between_groups(&groups, Metric::PositivePredictiveValue);
        assert_eq!((b.difference, b.ratio), (None, None));
        let z = between_groups(
            &[
                (GroupKey::known(&["A"]), Confusion::new(0, 0, 2, 2)),
                (GroupKey::known(&["B"]), Confusion::new(0, 0, 1, 0)),
            ],
            Metric::SelectionRate,
        );
        assert_eq!((z.difference, z.ratio), (Some(0.0), None));
    }
}
