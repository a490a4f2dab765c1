//! Per-group rates from confusion counts, each with its numerator, denominator and
//! Wilson 95 % interval. JSON keys are fairlearn's long metric names.
//!
//! | key | numerator / denominator | sub-population |
//! |---|---|---|
//! | `base_rate` | (TP+FN) / n | all rows (AIF360 `base_rate`, Aequitas `prev`) |
//! | `selection_rate` | (TP+FP) / n | all rows (Aequitas `pprev`) |
//! | `true_positive_rate` | TP / (TP+FN) | label positive |
//! | `false_negative_rate` | FN / (TP+FN) | label positive |
//! | `false_positive_rate` | FP / (FP+TN) | label negative |
//! | `true_negative_rate` | TN / (FP+TN) | label negative |
//! | `positive_predictive_value` | TP / (TP+FP) | predicted positive (Aequitas `precision`) |
//! | `false_discovery_rate` | FP / (TP+FP) | predicted positive |
//! | `negative_predictive_value` | TN / (TN+FN) | predicted negative |
//! | `false_omission_rate` | FN / (TN+FN) | predicted negative |
//! | `accuracy` | (TP+TN) / n | all rows |
//!
//! **0/0 is undefined** (`value: null`, no interval), never 0. fairlearn returns 0 for its
//! rate metrics in that case (sklearn `confusion_matrix(normalize="true")`), AIF360 and
//! Aequitas return NaN.
//!
//! `balanced_accuracy` = (TPR + TNR)/2 is undefined when either rate is; its interval is
//! the MOVER-Wilson interval ([`crate::fairness::interval::mover_mean`]) built from the two
//! Wilson intervals (TPR and TNR come from disjoint rows, so they are independent given
//! the label counts).
//!
//! Weighted rates ([`weighted_rate`]) use Σw ratios for the value and Kish's effective
//! sample size n_eff = (Σw)²/Σw² of the denominator rows in the Wilson interval; numerator
//! and denominator are then weight sums (exact, rounded once). The weighted audit
//! ([`crate::fairness::weighted`]) builds its disparities from them; tests and the
//! row-count tables use the unweighted counts.

use super::counts::{Confusion, WeightedCell, WeightedConfusion};
use super::interval::{mover_mean, wilson, wilson_p, Z95};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A proportion with its counts and Wilson 95 % interval. `value` and `wilson95` are
/// `None` exactly when the denominator is 0 (undefined, 0/0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Rows counted in the numerator.
    pub numerator: u64,
    /// Rows of the sub-population.
    pub denominator: u64,
    /// numerator / denominator, or None when the denominator is 0.
    pub value: Option<f64>,
    /// Wilson score 95 % interval, or None when undefined.
    pub wilson95: Option<(f64, f64)>,
}

impl Rate {
    /// The rate x / n.
    pub fn new(x: u64, n: u64) -> Self {
        let value = if n == 0 { None } else { Some(x as f64 / n as f64) };
        Self { numerator: x, denominator: n, value, wilson95: wilson(x, n, Z95) }
    }
}

/// The proportions of the per-group table (see the module doc for the definitions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// (TP+FN)/n.
    BaseRate,
    /// (TP+FP)/n.
    SelectionRate,
    /// TP/(TP+FN).
    TruePositiveRate,
    /// FP/(FP+TN).
    FalsePositiveRate,
    /// TN/(FP+TN).
    TrueNegativeRate,
    /// FN/(TP+FN).
    FalseNegativeRate,
    /// TP/(TP+FP).
    PositivePredictiveValue,
    /// TN/(TN+FN).
    NegativePredictiveValue,
    /// FP/(TP+FP).
    FalseDiscoveryRate,
    /// FN/(TN+FN).
    FalseOmissionRate,
    /// (TP+TN)/n.
    Accuracy,
}

impl Metric {
    /// Every metric compared between groups (all but `base_rate`, which describes the labels).
    pub const COMPARED: [Metric; 10] = [
        Metric::SelectionRate,
        Metric::TruePositiveRate,
        Metric::FalsePositiveRate,
        Metric::TrueNegativeRate,
        Metric::FalseNegativeRate,
        Metric::PositivePredictiveValue,
        Metric::NegativePredictiveValue,
        Metric::FalseDiscoveryRate,
        Metric::FalseOmissionRate,
        Metric::Accuracy,
    ];

    /// fairlearn's name (the JSON key).
    pub fn name(self) -> &'static str {
        match self {
            Metric::BaseRate => "base_rate",
            Metric::SelectionRate => "selection_rate",
            Metric::TruePositiveRate => "true_positive_rate",
            Metric::FalsePositiveRate => "false_positive_rate",
            Metric::TrueNegativeRate => "true_negative_rate",
            Metric::FalseNegativeRate => "false_negative_rate",
            Metric::PositivePredictiveValue => "positive_predictive_value",
            Metric::NegativePredictiveValue => "negative_predictive_value",
            Metric::FalseDiscoveryRate => "false_discovery_rate",
            Metric::FalseOmissionRate => "false_omission_rate",
            Metric::Accuracy => "accuracy",
        }
    }

    /// The name in words ("false positive rate"), for people.
    pub fn label(self) -> &'static str {
        match self {
            Metric::BaseRate => "base rate",
            Metric::SelectionRate => "selection rate",
            Metric::TruePositiveRate => "true positive rate",
            Metric::FalsePositiveRate => "false positive rate",
            Metric::TrueNegativeRate => "true negative rate",
            Metric::FalseNegativeRate => "false negative rate",
            Metric::PositivePredictiveValue => "positive predictive value",
            Metric::NegativePredictiveValue => "negative predictive value",
            Metric::FalseDiscoveryRate => "false discovery rate",
            Metric::FalseOmissionRate => "false omission rate",
            Metric::Accuracy => "accuracy",
        }
    }

    /// (numerator, denominator) of the metric for one group.
    pub fn counts(self, c: &Confusion) -> (u64, u64) {
        match self {
            Metric::BaseRate => (c.label_positive(), c.n()),
            Metric::SelectionRate => (c.predicted_positive(), c.n()),
            Metric::TruePositiveRate => (c.tp, c.label_positive()),
            Metric::FalsePositiveRate => (c.fp, c.label_negative()),
            Metric::TrueNegativeRate => (c.tn, c.label_negative()),
            Metric::FalseNegativeRate => (c.fn_, c.label_positive()),
            Metric::PositivePredictiveValue => (c.tp, c.predicted_positive()),
            Metric::NegativePredictiveValue => (c.tn, c.predicted_negative()),
            Metric::FalseDiscoveryRate => (c.fp, c.predicted_positive()),
            Metric::FalseOmissionRate => (c.fn_, c.predicted_negative()),
            Metric::Accuracy => (c.correct(), c.n()),
        }
    }

    /// The metric of one group as a [`Rate`].
    pub fn rate(self, c: &Confusion) -> Rate {
        let (x, n) = self.counts(c);
        Rate::new(x, n)
    }

    /// True for error rates (FPR, FNR, FDR, FOR), where lower is better for accuracy.
    pub fn is_error_rate(self) -> bool {
        matches!(
            self,
            Metric::FalsePositiveRate
                | Metric::FalseNegativeRate
                | Metric::FalseDiscoveryRate
                | Metric::FalseOmissionRate
        )
    }

    /// The weighted sums (numerator cells, denominator cells) of the metric, merged exactly.
    fn weighted_cells(self, w: &WeightedConfusion) -> (WeightedCell, WeightedCell) {
        let sum = |cells: &[&WeightedCell]| {
            cells.iter().fold(WeightedCell::default(), |mut acc, c| {
                acc.merge(c);
                acc
            })
        };
        let all = || sum(&[&w.tp, &w.fp, &w.tn, &w.fn_]);
        match self {
            Metric::BaseRate => (sum(&[&w.tp, &w.fn_]), all()),
            Metric::SelectionRate => (sum(&[&w.tp, &w.fp]), all()),
            Metric::TruePositiveRate => (w.tp.clone(), sum(&[&w.tp, &w.fn_])),
            Metric::FalsePositiveRate => (w.fp.clone(), sum(&[&w.fp, &w.tn])),
            Metric::TrueNegativeRate => (w.tn.clone(), sum(&[&w.fp, &w.tn])),
            Metric::FalseNegativeRate => (w.fn_.clone(), sum(&[&w.tp, &w.fn_])),
            Metric::PositivePredictiveValue => (w.tp.clone(), sum(&[&w.tp, &w.fp])),
            Metric::NegativePredictiveValue => (w.tn.clone(), sum(&[&w.tn, &w.fn_])),
            Metric::FalseDiscoveryRate => (w.fp.clone(), sum(&[&w.tp, &w.fp])),
            Metric::FalseOmissionRate => (w.fn_.clone(), sum(&[&w.tn, &w.fn_])),
            Metric::Accuracy => (sum(&[&w.tp, &w.tn]), all()),
        }
    }
}

/// A value with a 95 % interval, both None when undefined.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: Option<f64>,
    /// The 95 % interval.
    pub ci95: Option<(f64, f64)>,
}

/// Every per-group metric, keyed by fairlearn's names.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMetrics {
    /// Rows in the group (fairlearn `count`, Aequitas `group_size`).
    pub count: u64,
    /// count / the share denominator given to [`group_metrics`] (LL144's 2 % rule).
    pub share: Rate,
    /// (TP+FN)/n.
    pub base_rate: Rate,
    /// (TP+FP)/n.
    pub selection_rate: Rate,
    /// TP/(TP+FN).
    pub true_positive_rate: Rate,
    /// FP/(FP+TN).
    pub false_positive_rate: Rate,
    /// TN/(FP+TN).
    pub true_negative_rate: Rate,
    /// FN/(TP+FN).
    pub false_negative_rate: Rate,
    /// TP/(TP+FP).
    pub positive_predictive_value: Rate,
    /// TN/(TN+FN).
    pub negative_predictive_value: Rate,
    /// FP/(TP+FP).
    pub false_discovery_rate: Rate,
    /// FN/(TN+FN).
    pub false_omission_rate: Rate,
    /// (TP+TN)/n.
    pub accuracy: Rate,
    /// (TPR+TNR)/2 with its MOVER-Wilson interval.
    pub balanced_accuracy: Estimate,
}

impl GroupMetrics {
    /// The rate of one metric.
    pub fn get(&self, metric: Metric) -> &Rate {
        match metric {
            Metric::BaseRate => &self.base_rate,
            Metric::SelectionRate => &self.selection_rate,
            Metric::TruePositiveRate => &self.true_positive_rate,
            Metric::FalsePositiveRate => &self.false_positive_rate,
            Metric::TrueNegativeRate => &self.true_negative_rate,
            Metric::FalseNegativeRate => &self.false_negative_rate,
            Metric::PositivePredictiveValue => &self.positive_predictive_value,
            Metric::NegativePredictiveValue => &self.negative_predictive_value,
            Metric::FalseDiscoveryRate => &self.false_discovery_rate,
            Metric::FalseOmissionRate => &self.false_omission_rate,
            Metric::Accuracy => &self.accuracy,
        }
    }
}

/// Balanced accuracy (TPR + TNR)/2 and its MOVER-Wilson interval.
pub fn balanced_accuracy(c: &Confusion) -> Estimate {
    let (tpr, tnr) = (Metric::TruePositiveRate.rate(c), Metric::TrueNegativeRate.rate(c));
    match (tpr.value, tpr.wilson95, tnr.value, tnr.wilson95) {
        (Some(a), Some(ia), Some(b), Some(ib)) => {
            Estimate { value: Some((a + b) / 2.0), ci95: Some(mover_mean(a, ia, b, ib)) }
        }
        _ => Estimate { value: None, ci95: None },
    }
}

/// Every metric of one group. `share_denominator` is the number of rows the share is
/// taken of (n_known, the rows whose protected values are all known, in the audit).
pub fn group_metrics(c: &Confusion, share_denominator: u64) -> GroupMetrics {
    GroupMetrics {
        count: c.n(),
        share: Rate::new(c.n(), share_denominator),
        base_rate: Metric::BaseRate.rate(c),
        selection_rate: Metric::SelectionRate.rate(c),
        true_positive_rate: Metric::TruePositiveRate.rate(c),
        false_positive_rate: Metric::FalsePositiveRate.rate(c),
        true_negative_rate: Metric::TrueNegativeRate.rate(c),
        false_negative_rate: Metric::FalseNegativeRate.rate(c),
        positive_predictive_value: Metric::PositivePredictiveValue.rate(c),
        negative_predictive_value: Metric::NegativePredictiveValue.rate(c),
        false_discovery_rate: Metric::FalseDiscoveryRate.rate(c),
        false_omission_rate: Metric::FalseOmissionRate.rate(c),
        accuracy: Metric::Accuracy.rate(c),
        balanced_accuracy: balanced_accuracy(c),
    }
}

/// A weighted proportion (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedRate {
    /// Σw over the numerator rows.
    pub numerator: f64,
    /// Σw over the sub-population.
    pub denominator: f64,
    /// Kish effective sample size of the sub-population, (Σw)²/Σw².
    pub effective_n: f64,
    /// numerator / denominator, None when the denominator weight is 0.
    pub value: Option<f64>,
    /// Wilson 95 % interval on the effective sample size.
    pub wilson95: Option<(f64, f64)>,
}

/// One weighted metric: Σw of the numerator rows ÷ Σw of the sub-population, each sum
/// exact and rounded once; undefined when the sub-population's weight is 0 (no rows, or
/// only rows of weight 0). The Wilson interval uses n_eff = (Σw)²/Σw² of the
/// sub-population, so with unit weights every field equals the unweighted [`Rate`]'s.
pub fn weighted_rate(metric: Metric, w: &WeightedConfusion) -> WeightedRate {
    let (num, den) = metric.weighted_cells(w);
    let (s, q) = (den.sum.to_f64(), den.sum_sq.to_f64());
    let effective_n = if q > 0.0 { s * s / q } else { 0.0 };
    let numerator = num.sum.to_f64();
    let value = if s > 0.0 { Some((numerator / s).clamp(0.0, 1.0)) } else { None };
    let wilson95 = value.and_then(|p| wilson_p(p, effective_n, Z95));
    WeightedRate { numerator, denominator: s, effective_n, value, wilson95 }
}

/// Σw(predicted-negative rows) ÷ Σw(all rows), exact sums rounded once (with unit weights
/// the row-count share bit for bit): the favourable selection rate of LL144 when the
/// positive prediction is unfavourable. None when the rows' weight is 0.
pub fn weighted_negative_selection(w: &WeightedConfusion) -> Option<f64> {
    let mut num = w.tn.clone();
    num.merge(&w.fn_);
    let mut all = num.clone();
    all.merge(&w.tp);
    all.merge(&w.fp);
    let s = all.sum.to_f64();
    (s > 0.0).then(|| (num.sum.to_f64() / s).clamp(0.0, 1.0))
}

/// Every weighted metric, keyed by fairlearn's names.
pub fn weighted_metrics(w: &WeightedConfusion) -> BTreeMap<Metric, WeightedRate> {
    std::iter::once(Metric::BaseRate).chain(Metric::COMPARED).map(|m| (m, weighted_rate(m, w))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_is_none_not_zero() {
        let c = Confusion::new(0, 0, 5, 0); // no label-positive and no predicted-positive rows
        let m = group_metrics(&c, 10);
        assert_eq!(m.true_positive_rate.value, None);
        assert_eq!(m.true_positive_rate.wilson95, None);
        assert_eq!(m.positive_predictive_value.value, None);
        assert_eq!(m.false_positive_rate.value, Some(0.0));
        assert_eq!(m.balanced_accuracy, Estimate { value: None, ci95: None });
        let json = serde_json::to_value(m).unwrap();
        assert!(json["true_positive_rate"]["value"].is_null());
        assert_eq!(json["share"]["value"], 0.5);
        assert_eq!(Rate::new(0, 0).value, None);
    }

    #[test]
    fn names_are_serde_names() {
        for m in std::iter::once(Metric::BaseRate).chain(Metric::COMPARED) {
            assert_eq!(serde_json::to_value(m).unwrap(), m.name());
        }
    }

    #[test]
    fn unit_weights_match_counts() {
        let c = Confusion::new(7, 3, 11, 2);
        let w = weighted_metrics(&WeightedConfusion::unit(&c));
        for (m, r) in &w {
            let u = m.rate(&c);
            assert_eq!(r.effective_n, u.denominator as f64);
            assert_eq!((r.numerator, r.denominator), (u.numerator as f64, u.denominator as f64));
            assert_eq!(r.value, u.value, "{m:?}");
            assert_eq!(r.wilson95, u.wilson95, "{m:?}");
        }
    }

    #[test]
    fn balanced_accuracy_interval_contains_estimate() {
        let e = balanced_accuracy(&Confusion::new(8, 1, 9, 2));
        let (lo, hi) = e.ci95.unwrap();
        let v = e.value.unwrap();
        assert!((v - (0.8 + 0.9) / 2.0).abs() < 1e-15 && lo < v && v < hi);
    }
}
