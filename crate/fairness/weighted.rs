//! The weighted bias audit (`bias.weight`): every rate is Σw(numerator rows) ÷
//! Σw(sub-population rows), as fairlearn's `MetricFrame(sample_params={"sample_weight": w})`
//! and AIF360's instance weights; the disparities follow from those rates.
//!
//! * **Sizes**: each group reports its row count `n`, its weight total Σw and Kish's
//!   effective sample size n_eff = (Σw)²/Σw².
//! * **Rates** ([`super::metrics::weighted_rate`]): Σw ratios, exact sums rounded once,
//!   Wilson 95 % intervals on the sub-population's n_eff. Undefined when the
//!   sub-population's weight is 0.
//! * **fairlearn between groups**: max − min and min / max of the weighted rates over
//!   the known groups with a defined rate (the rule of [`super::between_groups`]);
//!   demographic parity (selection rate), equalized odds (worse of TPR and FPR) and equal
//!   opportunity (TPR).
//! * **vs reference**: group − reference and group ÷ reference of the weighted rates, with
//!   the Newcombe hybrid score interval of the difference built from the two n_eff Wilson
//!   intervals. The reference follows the policy: `largest` is the known group with the
//!   largest Σw (first on ties), `best_rate` / `lowest_rate` compare weighted rates, a
//!   chosen group stays chosen. Each comparison is **direction-aware** as the row-count
//!   one ([`super::direction`]): the metric's harm direction, the disadvantaged party
//!   (the group or the reference, whichever has the harmful weighted rate), its comparator
//!   and the adverse ratio. **No p-values**: a test on weighted counts needs the
//!   sampling design, which a weight column does not describe; the row-count audit next to
//!   this one keeps its Fisher / z tests.
//! * **LL144**: weighted favourable selection rate ÷ the highest known category's (the
//!   predicted-negative share when the positive prediction is unfavourable), four-fifths band
//!   at `options.four_fifths`; the optional 2 % rule uses the weighted share.
//!
//! With unit weights every number equals the row-count audit's, bit for bit
//! (`tests/bias_weights.rs`).

use super::between_groups::Extreme;
use super::counts::{Confusion, GroupKey, WeightedConfusion};
use super::direction::{worse, Harm};
use super::disparity::{DisparityOptions, ReferencePolicy};
use super::metrics::{weighted_rate, Metric, WeightedRate};
use crate::sketch::exact_sum::ExactSum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One group of the weighted audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedGroup {
    /// The group.
    pub group: GroupKey,
    /// Rows (weight 0 included).
    pub n: u64,
    /// Σw over the group's rows.
    pub weight: f64,
    /// Kish effective sample size (Σw)²/Σw² of the group.
    pub effective_n: f64,
    /// Fewer rows than the minimum group size.
    pub small: bool,
    /// Weighted rates, keyed by fairlearn's names.
    pub rates: BTreeMap<Metric, WeightedRate>,
}

/// max − min and min / max of one weighted rate across the known groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedBetween {
    /// The metric.
    pub metric: Metric,
    /// Highest defined rate (first on ties).
    pub max: Option<Extreme>,
    /// Lowest defined rate (first on ties).
    pub min: Option<Extreme>,
    /// max − min (None with fewer than two defined groups).
    pub difference: Option<f64>,
    /// min / max (None also when max is 0).
    pub ratio: Option<f64>,
    /// Groups whose weighted rate is undefined, left out.
    pub excluded_undefined: Vec<GroupKey>,
}

/// fairlearn's named disparities on weighted rates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedFairlearn {
    /// Selection rate max − min.
    pub demographic_parity_difference: Option<f64>,
    /// Selection rate min / max.
    pub demographic_parity_ratio: Option<f64>,
    /// max(TPR difference, FPR difference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equalized_odds_difference: Option<f64>,
    /// min(TPR ratio, FPR ratio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equalized_odds_ratio: Option<f64>,
    /// TPR max − min.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equal_opportunity_difference: Option<f64>,
    /// TPR min / max.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equal_opportunity_ratio: Option<f64>,
    /// One entry per compared metric.
    pub between_groups: Vec<WeightedBetween>,
}

/// One group against the reference, on weighted rates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedComparison {
    /// The group.
    pub group: GroupKey,
    /// Its weighted rate.
    pub value: Option<f64>,
    /// group − reference.
    pub difference: Option<f64>,
    /// Newcombe hybrid score 95 % interval of the difference, on n_eff.
    pub difference_ci95: Option<(f64, f64)>,
    /// group ÷ reference (None when the reference rate is 0 or undefined).
    pub ratio: Option<f64>,
    /// Fewer rows than the minimum group size.
    pub small: bool,
    /// The party on the harmful side of the weighted rate (this group or the reference,
    /// [`super::direction`]); None when the rates are equal, undefined or the metric has
    /// no direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disadvantaged: Option<GroupKey>,
    /// The other party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<GroupKey>,
    /// The disadvantaged party's weighted rate ÷ the comparator's (None when the
    /// comparator's rate is 0). No interval: tests and intervals stay on the row counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adverse_ratio: Option<f64>,
}

/// Every known group against the reference, for one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedVsReference {
    /// The metric.
    pub metric: Metric,
    /// Which direction of the rate harms ([`super::direction::harm`]).
    #[serde(default)]
    pub harm: Harm,
    /// The reference group.
    pub reference: Option<GroupKey>,
    /// Its weighted rate.
    pub reference_value: Option<f64>,
    /// One per other known group.
    pub comparisons: Vec<WeightedComparison>,
}

/// LL144 impact ratio of one category on weighted selection rates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedImpact {
    /// The category.
    pub group: GroupKey,
    /// Weighted favourable selection rate (see [`WeightedAudit::ll144`]).
    pub selection_rate: Option<f64>,
    /// Σw of the category ÷ Σw of the known categories.
    pub share: Option<f64>,
    /// Rate ÷ highest rate (None when excluded or undefined).
    pub impact_ratio: Option<f64>,
    /// Below the four-fifths band.
    pub below_four_fifths: Option<bool>,
    /// Excluded by the optional 2 % rule (weighted share).
    pub excluded: bool,
}

/// The weighted audit of one breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedAudit {
    /// Per group, in the order of the row-count audit.
    pub groups: Vec<WeightedGroup>,
    /// Every counted row.
    pub overall: WeightedGroup,
    /// fairlearn between-groups disparities.
    pub fairlearn: WeightedFairlearn,
    /// Each known group against the reference, one entry per compared metric.
    pub vs_reference: Vec<WeightedVsReference>,
    /// LL144 impact ratios of the weighted favourable selection rate (the negative
    /// prediction's share when the positive prediction is unfavourable).
    pub ll144: Vec<WeightedImpact>,
}

/// The metrics of the weighted audit: selection rate only without a label.
pub fn metrics(selection_only: bool) -> Vec<Metric> {
    if selection_only {
        vec![Metric::SelectionRate]
    } else {
        std::iter::once(Metric::BaseRate).chain(Metric::COMPARED).collect()
    }
}

fn weighted_group(key: &GroupKey, c: &Confusion, w: &WeightedConfusion, metrics: &[Metric], min: u64) -> WeightedGroup {
    let mut all = w.tp.clone();
    for cell in [&w.fp, &w.tn, &w.fn_] {
        all.merge(cell);
    }
    let (s, q) = (all.sum.to_f64(), all.sum_sq.to_f64());
    WeightedGroup {
        group: key.clone(),
        n: c.n(),
        weight: s,
        effective_n: if q > 0.0 { s * s / q } else { 0.0 },
        small: c.n() < min,
        rates: metrics.iter().map(|&m| (m, weighted_rate(m, w))).collect(),
    }
}

fn rate(g: &WeightedGroup, m: Metric) -> Option<f64> {
    g.rates.get(&m).and_then(|r| r.value)
}

fn between(groups: &[WeightedGroup], metric: Metric) -> WeightedBetween {
    let b = super::between_groups::between_rates(groups.iter().map(|g| (&g.group, rate(g, metric))), metric);
    WeightedBetween {
        metric,
        max: b.max,
        min: b.min,
        difference: b.difference,
        ratio: b.ratio,
        excluded_undefined: b.excluded_undefined,
    }
}

fn fairlearn(groups: &[WeightedGroup], metrics: &[Metric]) -> WeightedFairlearn {
    let between_groups: Vec<WeightedBetween> =
        metrics.iter().filter(|&&m| m != Metric::BaseRate).map(|&m| between(groups, m)).collect();
    let get = |m: Metric| between_groups.iter().find(|b| b.metric == m);
    let (sr, tpr, fpr) = (get(Metric::SelectionRate), get(Metric::TruePositiveRate), get(Metric::FalsePositiveRate));
    let worst =
        |f: fn(&WeightedBetween) -> Option<f64>, pick: fn(f64, f64) -> f64| match (tpr.and_then(f), fpr.and_then(f)) {
            (Some(a), Some(b)) => Some(pick(a, b)),
            _ => None,
        };
    WeightedFairlearn {
        demographic_parity_difference: sr.and_then(|b| b.difference),
        demographic_parity_ratio: sr.and_then(|b| b.ratio),
        equalized_odds_difference: worst(|b| b.difference, f64::max),
        equalized_odds_ratio: worst(|b| b.ratio, f64::min),
        equal_opportunity_difference: tpr.and_then(|b| b.difference),
        equal_opportunity_ratio: tpr.and_then(|b| b.ratio),
        between_groups,
    }
}

fn reference(groups: &[WeightedGroup], metric: Metric, options: &DisparityOptions) -> Option<usize> {
    let known = || groups.iter().enumerate().filter(|(_, g)| !g.group.is_unknown());
    let pick = |c: Vec<(usize, f64)>, better: &dyn Fn(f64, f64) -> bool| {
        c.into_iter().reduce(|best, x| if better(x.1, best.1) { x } else { best }).map(|b| b.0)
    };
    let rated = |min: u64| -> Vec<(usize, f64)> {
        known().filter(|(_, g)| g.n >= min).filter_map(|(i, g)| rate(g, metric).map(|v| (i, v))).collect()
    };
    match &options.reference {
        ReferencePolicy::Largest => pick(known().map(|(i, g)| (i, g.weight)).collect(), &|a, b| a > b),
        ReferencePolicy::Chosen(key) => groups.iter().position(|g| &g.group == key),
        ReferencePolicy::LowestRate => pick(rated(0), &|a, b| a < b),
        ReferencePolicy::BestRate => {
            let higher = match metric {
                Metric::SelectionRate => options.positive_is_favourable,
                m => !m.is_error_rate(),
            };
            let large = rated(options.min_group_size);
            let candidates = if large.is_empty() { rated(0) } else { large };
            pick(candidates, &move |a, b| if higher { a > b } else { a < b })
        }
    }
}

fn newcombe(a: &WeightedRate, b: &WeightedRate) -> Option<(f64, f64)> {
    let (p1, (l1, u1), p2, (l2, u2)) = (a.value?, a.wilson95?, b.value?, b.wilson95?);
    let d = p1 - p2;
    Some((d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(), d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt()))
}

fn vs_reference(groups: &[WeightedGroup], metric: Metric, options: &DisparityOptions) -> WeightedVsReference {
    let harm = super::direction::harm(metric, options.positive_is_favourable);
    let r = reference(groups, metric, options);
    let reference_rate = r.and_then(|i| groups[i].rates.get(&metric));
    let reference_value = reference_rate.and_then(|x| x.value);
    let comparisons = groups
        .iter()
        .enumerate()
        .filter(|(i, g)| Some(*i) != r && !g.group.is_unknown() && r.is_some())
        .map(|(_, g)| {
            let own = g.rates.get(&metric);
            let value = own.and_then(|x| x.value);
            let reference = r.map(|i| &groups[i].group);
            // As the row-count comparison (direction::orient): the party on the harmful
            // side is named, the reference included.
            let (disadvantaged, comparator, adverse_ratio) = match (value, reference_value, reference) {
                (Some(a), Some(b), Some(rk)) if worse(harm, a, b) => {
                    (Some(g.group.clone()), Some(rk.clone()), (b > 0.0).then(|| a / b))
                }
                (Some(a), Some(b), Some(rk)) if worse(harm, b, a) => {
                    (Some(rk.clone()), Some(g.group.clone()), (a > 0.0).then(|| b / a))
                }
                _ => (None, None, None),
            };
            WeightedComparison {
                group: g.group.clone(),
                value,
                difference: value.zip(reference_value).map(|(a, b)| a - b),
                difference_ci95: own.zip(reference_rate).and_then(|(a, b)| newcombe(a, b)),
                ratio: value.zip(reference_value.filter(|&b| b > 0.0)).map(|(a, b)| a / b),
                small: g.small,
                disadvantaged,
                comparator,
                adverse_ratio,
            }
        })
        .collect();
    WeightedVsReference { metric, harm, reference: r.map(|i| groups[i].group.clone()), reference_value, comparisons }
}

/// `total`: Σw of the known groups (exact, rounded once). `selected`: each group's
/// favourable selection rate (the weighted selection rate, or the predicted-negative share
/// when the positive prediction is unfavourable), in the order of `groups`.
fn ll144(
    groups: &[WeightedGroup],
    selected: &[Option<f64>],
    total: f64,
    options: &DisparityOptions,
) -> Vec<WeightedImpact> {
    let sel = |g: &WeightedGroup| groups.iter().position(|x| x.group == g.group).and_then(|i| selected[i]);
    let known: Vec<&WeightedGroup> = groups.iter().filter(|g| !g.group.is_unknown()).collect();
    let share = |g: &WeightedGroup| (total > 0.0).then(|| g.weight / total);
    let excluded = |g: &WeightedGroup| options.ll144_exclude_below_share.zip(share(g)).is_some_and(|(cut, s)| s < cut);
    let best = known
        .iter()
        .filter(|g| !excluded(g))
        .filter_map(|g| sel(g))
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    known
        .iter()
        .map(|g| {
            let sr = sel(g);
            let impact_ratio = if excluded(g) { None } else { sr.zip(best.filter(|&b| b > 0.0)).map(|(a, b)| a / b) };
            WeightedImpact {
                group: g.group.clone(),
                selection_rate: sr,
                share: share(g),
                impact_ratio,
                below_four_fifths: impact_ratio.map(|r| r < options.four_fifths),
                excluded: excluded(g),
            }
        })
        .collect()
}

/// The weighted audit of one breakdown from its row counts and weighted counts (same
/// groups, same order). `selection_only`: no label column, only the selection rate.
pub fn weighted_audit(
    groups: &[(GroupKey, Confusion, WeightedConfusion)],
    options: &DisparityOptions,
    selection_only: bool,
) -> WeightedAudit {
    let metrics = metrics(selection_only);
    let min = options.min_group_size;
    let rows: Vec<WeightedGroup> = groups.iter().map(|(k, c, w)| weighted_group(k, c, w, &metrics, min)).collect();
    let (mut all_c, mut all_w, mut known) = (Confusion::default(), WeightedConfusion::default(), ExactSum::new());
    for (k, c, w) in groups {
        all_c += *c;
        all_w.merge(w);
        if !k.is_unknown() {
            for cell in [&w.tp, &w.fp, &w.tn, &w.fn_] {
                known.merge(&cell.sum);
            }
        }
    }
    let overall = weighted_group(&GroupKey::default(), &all_c, &all_w, &metrics, 0);
    let selected: Vec<Option<f64>> = groups
        .iter()
        .zip(&rows)
        .map(|((_, _, w), g)| {
            if options.positive_is_favourable {
                rate(g, Metric::SelectionRate)
            } else {
                super::metrics::weighted_negative_selection(w)
            }
        })
        .collect();
    let compared: Vec<Metric> = metrics.iter().copied().filter(|&m| m != Metric::BaseRate).collect();
    WeightedAudit {
        fairlearn: fairlearn(&rows, &metrics),
        vs_reference: compared.iter().map(|&m| vs_reference(&rows, m, options)).collect(),
        ll144: ll144(&rows, &selected, known.to_f64(), options),
        groups: rows,
        overall,
    }
}

#[cfg(test)]
#[path = "weighted_tests.rs"]
mod tests;
