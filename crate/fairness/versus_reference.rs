//! Each group against a reference group (convention id `vs_reference`): AIF360's
//! "unprivileged − privileged" and "unprivileged / privileged" with the reference in the
//! privileged role (`aif360/metrics/dataset_metric.py`, `classification_metric.py`), and
//! Aequitas' `*_disparity` = group / reference (`src/aequitas/bias.py`).
//!
//! Every comparison carries the two rates, the signed difference with its Newcombe 95 %
//! interval, the ratio with its Katz log 95 % interval, the four-fifths band
//! τ ≤ ratio ≤ 1/τ (τ = 0.8, Aequitas' `Fairness` parity test; UGESP), a `small` mark when
//! the group has fewer rows than the minimum size (small groups are listed and tested but
//! never `flagged`), and a two-proportion test on the metric's own sub-population
//! ([`crate::fairness::significance`]) whose p-values are Holm-adjusted across the groups
//! of the breakdown, metric by metric.
//!
//! Differences from the libraries: a ratio with a zero reference rate is undefined here;
//! Aequitas writes 10.0 and AIF360 NaN/inf. Aequitas' significance columns are tests on
//! other sub-populations and are not reproduced.

use super::counts::{Confusion, GroupKey};
use super::disparity::Convention;
use super::interval::{katz_log_ratio, newcombe_difference, Z95};
use super::metrics::Metric;
use super::significance::{compare_proportions, holm, ProportionTest};
use serde::{Deserialize, Serialize};

/// One group against the reference on one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The group.
    pub group: GroupKey,
    /// Its rows.
    pub count: u64,
    /// Fewer rows than the minimum group size: listed, never flagged.
    pub small: bool,
    /// Its rate (None = undefined).
    pub value: Option<f64>,
    /// The reference group's rate.
    pub reference_value: Option<f64>,
    /// value − reference_value (AIF360 sign convention).
    pub difference: Option<f64>,
    /// Newcombe hybrid score 95 % interval of the difference.
    pub difference_ci95: Option<(f64, f64)>,
    /// value / reference_value (AIF360 and Aequitas); None when the reference rate is 0.
    pub ratio: Option<f64>,
    /// Katz log 95 % interval of the ratio.
    pub ratio_ci95: Option<(f64, f64)>,
    /// τ ≤ ratio ≤ 1/τ.
    pub within_four_fifths: Option<bool>,
    /// Outside the band and not small.
    pub flagged: bool,
    /// Fisher / z test on the metric's sub-population.
    pub test: Option<ProportionTest>,
    /// Holm-adjusted p-value of the chosen test across the breakdown's groups.
    pub p_holm: Option<f64>,
    /// The party on the harmful side of the rate (this group or the reference; see
    /// [`crate::fairness::direction`]); None when the rates are equal or undefined.
    #[serde(default)]
    pub disadvantaged: Option<GroupKey>,
    /// The other party of the comparison when someone is disadvantaged.
    #[serde(default)]
    pub comparator: Option<GroupKey>,
    /// The disadvantaged party's rate ÷ the comparator's (above 1 when a higher rate
    /// harms, below 1 when a lower one does); None when the comparator's rate is 0.
    #[serde(default)]
    pub adverse_ratio: Option<f64>,
    /// Katz log 95 % interval of the adverse ratio.
    #[serde(default)]
    pub adverse_ratio_ci95: Option<(f64, f64)>,
    /// The comparison in plain language, when it is flagged or significant (Holm p < 0.05)
    /// and both rates are defined; written by the report, which knows the column names
    /// ([`crate::report::sentences`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
}

/// Every group against the reference on one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricVsReference {
    /// Always [`Convention::VsReference`].
    pub convention: Convention,
    /// The metric.
    pub metric: Metric,
    /// Which direction of the rate harms a group ([`crate::fairness::direction`]).
    #[serde(default)]
    pub harm: super::direction::Harm,
    /// The reference group (None when the policy found none).
    pub reference: Option<GroupKey>,
    /// Its rate.
    pub reference_value: Option<f64>,
    /// Every other known group, in input order.
    pub comparisons: Vec<Comparison>,
    /// Sentences for the report.
    pub notes: Vec<String>,
}

/// Parameters shared by the comparisons of a breakdown.
#[derive(Clone, Copy, Debug)]
pub struct CompareParams {
    /// Minimum rows for a flag.
    pub min_group_size: u64,
    /// τ of the four-fifths band.
    pub tau: f64,
}

/// One group against the reference.
pub fn compare(metric: Metric, group: (&GroupKey, &Confusion), reference: &Confusion, p: CompareParams) -> Comparison {
    let (x1, n1) = metric.counts(group.1);
    let (x2, n2) = metric.counts(reference);
    let value = metric.rate(group.1).value;
    let reference_value = metric.rate(reference).value;
    let difference = value.zip(reference_value).map(|(a, b)| a - b);
    let ratio = match (value, reference_value) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    let within_four_fifths = ratio.map(|r| r >= p.tau && r <= 1.0 / p.tau);
    let small = group.1.n() < p.min_group_size;
    Comparison {
        group: group.0.clone(),
        count: group.1.n(),
        small,
        value,
        reference_value,
        difference,
        difference_ci95: newcombe_difference(x1, n1, x2, n2, Z95),
        ratio,
        ratio_ci95: katz_log_ratio(x1, n1, x2, n2, Z95),
        within_four_fifths,
        flagged: within_four_fifths == Some(false) && !small,
        test: compare_proportions(x1, n1, x2, n2),
        p_holm: None,
        disadvantaged: None,
        comparator: None,
        adverse_ratio: None,
        adverse_ratio_ci95: None,
        sentence: None,
    }
}

/// Every known group except the reference against it, with Holm-adjusted p-values.
pub fn versus_reference(
    groups: &[(GroupKey, Confusion)],
    metric: Metric,
    reference: Option<usize>,
    p: CompareParams,
) -> MetricVsReference {
    let mut notes = Vec::new();
    let Some(r) = reference.filter(|&r| r < groups.len()) else {
        notes.push(format!("no reference group for {}", metric.name()));
        return MetricVsReference {
            convention: Convention::VsReference,
            metric,
            harm: Default::default(),
            reference: None,
            reference_value: None,
            comparisons: Vec::new(),
            notes,
        };
    };
    let ref_c = &groups[r].1;
    let reference_value = metric.rate(ref_c).value;
    if ref_c.n() < p.min_group_size {
        notes.push(format!("the reference group {} has fewer than {} rows", groups[r].0, p.min_group_size));
    }
    if reference_value.is_none() {
        notes.push(format!(
            "{} of the reference group {} is undefined (0/0): no comparison",
            metric.name(),
            groups[r].0
        ));
    } else if reference_value == Some(0.0) {
        notes.push(format!("{} of the reference group {} is 0: ratios are undefined", metric.name(), groups[r].0));
    }
    let mut comparisons: Vec<Comparison> = groups
        .iter()
        .enumerate()
        .filter(|(i, g)| *i != r && !g.0.is_unknown())
        .map(|(_, (k, c))| compare(metric, (k, c), ref_c, p))
        .collect();
    let tested: Vec<usize> = (0..comparisons.len()).filter(|&i| comparisons[i].test.is_some()).collect();
    let pvals: Vec<f64> = tested.iter().filter_map(|&i| comparisons[i].test.map(|t| t.p_value)).collect();
    for (&i, adj) in tested.iter().zip(holm(&pvals)) {
        comparisons[i].p_holm = Some(adj);
    }
    let undefined: Vec<String> =
        comparisons.iter().filter(|c| c.value.is_none()).map(|c| c.group.to_string()).collect();
    if !undefined.is_empty() {
        notes.push(format!(
            "{} undefined (0/0) for {}: not compared, not in the Holm family",
            metric.name(),
            undefined.join(", ")
        ));
    }
    MetricVsReference {
        convention: Convention::VsReference,
        metric,
        harm: Default::default(),
        reference: Some(groups[r].0.clone()),
        reference_value,
        comparisons,
        notes,
    }
}

/// AIF360's composite metrics of one group (unprivileged) against the reference
/// (privileged); None wherever a component is undefined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aif360Composite {
    /// The group.
    pub group: GroupKey,
    /// SR_g − SR_ref.
    pub statistical_parity_difference: Option<f64>,
    /// SR_g / SR_ref.
    pub disparate_impact: Option<f64>,
    /// TPR_g − TPR_ref.
    pub equal_opportunity_difference: Option<f64>,
    /// ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)].
    pub average_odds_difference: Option<f64>,
    /// ½[|FPR_g − FPR_ref| + |TPR_g − TPR_ref|].
    pub average_abs_odds_difference: Option<f64>,
    /// max(|FPR_g − FPR_ref|, |TPR_g − TPR_ref|).
    pub equalized_odds_difference: Option<f64>,
    /// ½[(PPV_g − PPV_ref) + (FOR_g − FOR_ref)].
    pub average_predictive_value_difference: Option<f64>,
    /// ERR_g − ERR_ref, ERR = (FP + FN)/n.
    pub error_rate_difference: Option<f64>,
    /// ERR_g / ERR_ref.
    pub error_rate_ratio: Option<f64>,
}

fn diff(m: Metric, g: &Confusion, r: &Confusion) -> Option<f64> {
    Some(m.rate(g).value? - m.rate(r).value?)
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    let (a, b) = (a?, b?);
    (b > 0.0).then(|| a / b)
}

/// AIF360 composites of `group` against `reference`.
pub fn aif360_composite(key: &GroupKey, group: &Confusion, reference: &Confusion) -> Aif360Composite {
    let sr = |c: &Confusion| Metric::SelectionRate.rate(c).value;
    let err = |c: &Confusion| Metric::Accuracy.rate(c).value.map(|a| 1.0 - a);
    let d_tpr = diff(Metric::TruePositiveRate, group, reference);
    let d_fpr = diff(Metric::FalsePositiveRate, group, reference);
    let both = d_tpr.zip(d_fpr);
    Aif360Composite {
        group: key.clone(),
        statistical_parity_difference: diff(Metric::SelectionRate, group, reference),
        disparate_impact: ratio(sr(group), sr(reference)),
        equal_opportunity_difference: d_tpr,
        average_odds_difference: both.map(|(t, f)| (f + t) / 2.0),
        average_abs_odds_difference: both.map(|(t, f)| (f.abs() + t.abs()) / 2.0),
        equalized_odds_difference: both.map(|(t, f)| f.abs().max(t.abs())),
        average_predictive_value_difference: diff(Metric::PositivePredictiveValue, group, reference)
            .zip(diff(Metric::FalseOmissionRate, group, reference))
            .map(|(a, b)| (a + b) / 2.0),
        error_rate_difference: err(group).zip(err(reference)).map(|(a, b)| a - b),
        error_rate_ratio: ratio(err(group), err(reference)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::counts::Level;

    const P: CompareParams = CompareParams { min_group_size: 30, tau: 0.8 };

    #[test]
    fn zero_reference_rate_gives_no_ratio_but_a_difference() {
        let c = compare(
            Metric::FalsePositiveRate,
            (&GroupKey::known(&["g"]), &Confusion::new(5, 3, 7, 5)),
            &Confusion::new(5, 0, 10, 5),
            P,
        );
        assert_eq!((c.ratio, c.ratio_ci95, c.within_four_fifths), (None, None, None));
        assert!((c.difference.unwrap() - 0.3).abs() < 1e-15);
        assert!(c.difference_ci95.is_some() && c.test.is_some() && c.small && !c.flagged);
    }

    #[test]
    fn holm_family_skips_undefined_and_unknown_groups() {
        let groups = vec![
            (GroupKey::known(&["ref"]), Confusion::new(50, 50, 50, 50)),
            (GroupKey::known(&["a"]), Confusion::new(80, 10, 10, 20)),
            (GroupKey::known(&["b"]), Confusion::new(45, 55, 45, 55)),
            (GroupKey::known(&["none"]), Confusion::new(0, 0, 40, 0)),
            (GroupKey { levels: vec![Level::Unknown] }, Confusion::new(9, 9, 9, 9)),
        ];
        let v = versus_reference(&groups, Metric::PositivePredictiveValue, Some(0), P);
        assert_eq!(v.comparisons.len(), 3);
        let p: Vec<f64> = v.comparisons[..2].iter().map(|c| c.test.unwrap().p_value).collect();
        let adj = holm(&p);
        assert_eq!(v.comparisons[0].p_holm, Some(adj[0]));
        assert_eq!(v.comparisons[1].p_holm, Some(adj[1]));
        assert_eq!((v.comparisons[2].p_holm, v.comparisons[2].value), (None, None));
        assert!(v.notes[0].contains("none"));
    }
}
