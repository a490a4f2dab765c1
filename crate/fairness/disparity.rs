//! Disparities of one breakdown (one protected attribute, or one intersection), under every
//! convention in use, each result labelled with its [`Convention`]:
//!
//! | id | what | from |
//! |---|---|---|
//! | `fairlearn_between_groups` | max − min, min / max across groups | [`super::between_groups`] |
//! | `fairlearn_to_overall` | largest deviation from the overall rate | [`super::between_groups`] |
//! | `vs_reference` | each group − and ÷ a reference group, with intervals and tests | [`super::versus_reference`] |
//! | `ll144_impact_ratio` | each category ÷ the most selected category | [`super::ll144`] |
//!
//! **Reference group policy** ([`ReferencePolicy`]), per breakdown: the largest known group
//! (default; AIF360's "privileged" and Aequitas' `get_disparity_major_group`), the best
//! rate, the lowest rate (Aequitas `get_disparity_min_metric`), or a group the user names.
//! "Best" is the highest TPR, TNR, PPV, NPV and accuracy, the lowest FPR, FNR, FDR and FOR,
//! and for the selection rate the highest when the positive prediction is favourable and
//! the lowest when it is not; only groups with a defined rate and at least
//! `min_group_size` rows can be best (all defined groups if none is that large, with a
//! note). Groups with an unknown level are listed but never compared or used as reference.
//!
//! The favourable orientation is explicit ([`DisparityOptions::positive_is_favourable`])
//! and copied into the result, so every number is printed next to it.

use super::between_groups::{fairlearn_summary, FairlearnSummary};
use super::counts::{Confusion, GroupKey};
use super::ll144::{ll144_summary, Ll144Options, Ll144Summary, RateKind};
use super::metrics::{group_metrics, GroupMetrics, Metric};
use super::versus_reference::{aif360_composite, versus_reference, Aif360Composite, CompareParams, MetricVsReference};
use serde::{Deserialize, Serialize};

/// Which convention a disparity follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// fairlearn `method="between_groups"`: max − min, min / max.
    FairlearnBetweenGroups,
    /// fairlearn `method="to_overall"`.
    FairlearnToOverall,
    /// AIF360 / Aequitas: group − reference, group / reference.
    VsReference,
    /// NYC LL144: rate ÷ rate of the most selected category.
    Ll144ImpactRatio,
}

/// How the reference group of the `vs_reference` comparisons is chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferencePolicy {
    /// The known group with the most rows (first in input order on ties).
    #[default]
    Largest,
    /// Per metric, the group with the best rate (see the module doc).
    BestRate,
    /// Per metric, the group with the lowest defined rate (Aequitas `min_metric`).
    LowestRate,
    /// The named group.
    Chosen(GroupKey),
}

/// Options of [`audit_breakdown`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisparityOptions {
    /// Reference group policy.
    pub reference: ReferencePolicy,
    /// Groups with fewer rows are marked small and never flagged (default 30).
    pub min_group_size: u64,
    /// τ of the four-fifths band τ ≤ ratio ≤ 1/τ (default 0.8).
    pub four_fifths: f64,
    /// Whether the positive class (label 1, prediction 1) is the favourable outcome.
    pub positive_is_favourable: bool,
    /// LL144 2 % rule: exclude categories below this share from impact ratios.
    pub ll144_exclude_below_share: Option<f64>,
}

impl Default for DisparityOptions {
    fn default() -> Self {
        Self {
            reference: ReferencePolicy::Largest,
            min_group_size: 30,
            four_fifths: 0.8,
            positive_is_favourable: true,
            ll144_exclude_below_share: None,
        }
    }
}

/// One group of the breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// The group.
    pub group: GroupKey,
    /// Its confusion counts.
    pub confusion: Confusion,
    /// Its metrics; `share` is of the rows of known category, or of all rows for an
    /// unknown-category group.
    pub metrics: GroupMetrics,
    /// Fewer rows than the minimum group size.
    pub small: bool,
}

/// AIF360 composites against one reference group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aif360Summary {
    /// The reference ("privileged") group: the selection-rate reference of the policy.
    pub reference: Option<GroupKey>,
    /// One row per other known group.
    pub rows: Vec<Aif360Composite>,
}

/// Everything the bias audit says about one breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakdownAudit {
    /// The orientation every number refers to.
    pub positive_is_favourable: bool,
    /// The options used.
    pub options: DisparityOptions,
    /// Per-group metrics, in input order.
    pub groups: Vec<GroupRow>,
    /// Metrics over every row.
    pub overall: GroupMetrics,
    /// Rows of groups with an unknown level.
    pub unknown_count: u64,
    /// fairlearn conventions.
    pub fairlearn: FairlearnSummary,
    /// AIF360 / Aequitas conventions, one entry per compared metric.
    pub vs_reference: Vec<MetricVsReference>,
    /// AIF360's composite metrics.
    pub aif360: Aif360Summary,
    /// LL144 impact ratios of the favourable selection rate (see [`ll144_categories`]).
    pub ll144: Ll144Summary,
}

fn better(metric: Metric, positive_is_favourable: bool) -> fn(f64, f64) -> bool {
    let higher = match metric {
        Metric::SelectionRate => positive_is_favourable,
        m => !m.is_error_rate(),
    };
    if higher {
        |a, b| a > b
    } else {
        |a, b| a < b
    }
}

/// Index (into `groups`) of the reference group for `metric`, and notes.
pub fn choose_reference(
    groups: &[(GroupKey, Confusion)],
    metric: Metric,
    options: &DisparityOptions,
) -> (Option<usize>, Vec<String>) {
    let known = || groups.iter().enumerate().filter(|(_, g)| !g.0.is_unknown());
    let pick = |candidates: Vec<(usize, f64)>, is_better: fn(f64, f64) -> bool| {
        candidates.into_iter().reduce(|best, c| if is_better(c.1, best.1) { c } else { best }).map(|b| b.0)
    };
    match &options.reference {
        ReferencePolicy::Largest => {
            (pick(known().map(|(i, g)| (i, g.1.n() as f64)).collect(), |a, b| a > b), Vec::new())
        }
        ReferencePolicy::Chosen(key) => match groups.iter().position(|g| &g.0 == key) {
            Some(i) => (Some(i), Vec::new()),
            None => (None, vec![format!("reference group {key} is not in the data")]),
        },
        ReferencePolicy::LowestRate => (
            pick(known().filter_map(|(i, g)| metric.rate(&g.1).value.map(|v| (i, v))).collect(), |a, b| a < b),
            Vec::new(),
        ),
        ReferencePolicy::BestRate => {
            let defined: Vec<(usize, f64, u64)> =
                known().filter_map(|(i, g)| metric.rate(&g.1).value.map(|v| (i, v, g.1.n()))).collect();
            let large: Vec<(usize, f64)> =
                defined.iter().filter(|d| d.2 >= options.min_group_size).map(|d| (d.0, d.1)).collect();
            let is_better = better(metric, options.positive_is_favourable);
            if large.is_empty() && !defined.is_empty() {
                let note = format!(
                    "no group of at least {} rows has a defined {}: best rate taken over all groups",
                    options.min_group_size,
                    metric.name()
                );
                (pick(defined.iter().map(|d| (d.0, d.1)).collect(), is_better), vec![note])
            } else {
                (pick(large, is_better), Vec::new())
            }
        }
    }
}

/// Per-group metrics and every disparity of one breakdown. `groups` holds one entry per
/// group (unknown-level groups included; they are counted and listed only).
pub fn audit_breakdown(groups: &[(GroupKey, Confusion)], options: &DisparityOptions) -> BreakdownAudit {
    let overall: Confusion = groups.iter().map(|g| g.1).sum();
    let unknown_count: u64 = groups.iter().filter(|g| g.0.is_unknown()).map(|g| g.1.n()).sum();
    let n_known = overall.n() - unknown_count;
    let rows = groups
        .iter()
        .map(|(k, c)| GroupRow {
            group: k.clone(),
            confusion: *c,
            metrics: group_metrics(c, if k.is_unknown() { overall.n() } else { n_known }),
            small: c.n() < options.min_group_size,
        })
        .collect();
    let params = CompareParams { min_group_size: options.min_group_size, tau: options.four_fifths };
    let vs_reference: Vec<MetricVsReference> = Metric::COMPARED
        .iter()
        .map(|&m| {
            let (r, notes) = choose_reference(groups, m, options);
            let mut out = versus_reference(groups, m, r, params);
            out.notes.splice(0..0, notes);
            super::direction::orient(&mut out, options.positive_is_favourable, groups);
            out
        })
        .collect();
    let (sr_ref, _) = choose_reference(groups, Metric::SelectionRate, options);
    let aif360 = Aif360Summary {
        reference: sr_ref.map(|r| groups[r].0.clone()),
        rows: sr_ref
            .map(|r| {
                groups
                    .iter()
                    .enumerate()
                    .filter(|(i, g)| *i != r && !g.0.is_unknown())
                    .map(|(_, g)| aif360_composite(&g.0, &g.1, &groups[r].1))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let categories = ll144_categories(groups, options.positive_is_favourable);
    let ll_opts =
        Ll144Options { exclude_below_share: options.ll144_exclude_below_share, min_group_size: options.min_group_size };
    BreakdownAudit {
        positive_is_favourable: options.positive_is_favourable,
        options: options.clone(),
        groups: rows,
        overall: group_metrics(&overall, overall.n()),
        unknown_count,
        fairlearn: fairlearn_summary(groups, &overall),
        vs_reference,
        aif360,
        ll144: favourable(
            ll144_summary(&categories, unknown_count, RateKind::SelectionRate, &ll_opts),
            options.positive_is_favourable,
        ),
    }
}

/// The LL144 categories `(group, n, selected)` of the known groups, where *selected* is the
/// favourable decision: the positive prediction when it is favourable, the negative one
/// otherwise (an LL144 impact ratio compares how often each category is selected to move
/// forward; a "high risk" label is not a selection).
pub fn ll144_categories(groups: &[(GroupKey, Confusion)], positive_is_favourable: bool) -> Vec<(GroupKey, u64, u64)> {
    groups
        .iter()
        .filter(|g| !g.0.is_unknown())
        .map(|g| {
            let selected = if positive_is_favourable { g.1.predicted_positive() } else { g.1.predicted_negative() };
            (g.0.clone(), g.1.n(), selected)
        })
        .collect()
}

/// Marks which decision an LL144 summary counted as selected.
pub fn favourable(mut s: Ll144Summary, positive_is_favourable: bool) -> Ll144Summary {
    s.selected_is_positive = positive_is_favourable;
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::counts::Level;

    fn groups() -> Vec<(GroupKey, Confusion)> {
        vec![
            (GroupKey::known(&["a"]), Confusion::new(30, 10, 50, 10)),
            (GroupKey::known(&["b"]), Confusion::new(20, 2, 70, 8)),
            (GroupKey::known(&["tiny"]), Confusion::new(1, 0, 5, 0)),
            (GroupKey { levels: vec![Level::Unknown] }, Confusion::new(300, 0, 0, 0)),
        ]
    }

    #[test]
    fn unknown_group_is_never_the_reference() {
        let opts = DisparityOptions::default();
        assert_eq!(choose_reference(&groups(), Metric::SelectionRate, &opts).0, Some(0)); // a ties b at 100 rows: first
        let a = audit_breakdown(&groups(), &opts);
        assert_eq!((a.unknown_count, a.ll144.unknown_count), (300, 300));
        assert_eq!(a.groups[0].metrics.share.denominator, 206);
        assert_eq!(a.groups[3].metrics.share.denominator, 506);
        assert!(a.vs_reference.iter().all(|v| v.comparisons.len() == 2));
        assert_eq!(a.aif360.rows.len(), 2);
    }

    #[test]
    fn best_rate_skips_small_groups_unless_none_is_large() {
        let opts = DisparityOptions { reference: ReferencePolicy::BestRate, ..Default::default() };
        // FPR: tiny has 0/5 but only 6 rows; b (2/72) is the best large group.
        assert_eq!(choose_reference(&groups(), Metric::FalsePositiveRate, &opts).0, Some(1));
        let small = DisparityOptions { min_group_size: 1000, ..opts };
        let (r, notes) = choose_reference(&groups(), Metric::FalsePositiveRate, &small);
        assert_eq!(r, Some(2));
        assert!(notes[0].contains("1000"));
    }
}
