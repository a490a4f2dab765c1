//! Selection-only audit: what can be said without a label column (NYC LL144 audits of
//! tools whose true outcomes are unknown are of this kind).
//!
//! From per-group counts (rows, selected) it gives, for one breakdown:
//! * per-group selection rates with Wilson intervals and shares;
//! * fairlearn between groups (demographic parity difference max − min and ratio min / max)
//!   and to overall, on the selection rate ([`super::between_groups`]);
//! * each group vs the reference group (difference with Newcombe interval, ratio with Katz
//!   interval, Fisher / z test, Holm-adjusted; AIF360's statistical parity difference and
//!   disparate impact are this difference and ratio) ([`super::versus_reference`]);
//! * LL144 impact ratios of the favourable selection (÷ the most selected category; when the
//!   positive prediction is unfavourable, *selected* is the negative prediction) and the
//!   **four-fifths rule** of UGESP 29 CFR §1607.4(D) on them: a category whose impact ratio
//!   is below τ (0.8) shows adverse impact; categories excluded by the 2 % rule or with an undefined ratio get no verdict,
//!   and small categories are marked.
//!
//! Every metric that needs the true outcome (base rate, TPR, FPR, TNR, FNR, PPV, NPV, FDR,
//! FOR, accuracy, equalized odds, equal opportunity, AIF360's odds and predictive-value
//! composites, reweighing) is absent, and [`SelectionAudit::absent`] says why.

use super::between_groups::{between_groups, to_overall, BetweenGroups, ToOverall};
use super::counts::{Confusion, GroupKey};
use super::disparity::{choose_reference, favourable, ll144_categories, DisparityOptions};
use super::ll144::{ll144_summary, Ll144Options, Ll144Summary, RateKind};
use super::metrics::{Metric, Rate};
use super::versus_reference::{versus_reference, CompareParams, MetricVsReference};
use serde::{Deserialize, Serialize};

/// One group of a selection-only audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelectionGroup {
    /// The group.
    pub group: GroupKey,
    /// Rows with a known prediction.
    pub count: u64,
    /// count / rows of known category (of all rows for an unknown-category group).
    pub share: Rate,
    /// Selected (predicted positive) / count, with its Wilson interval.
    pub selection_rate: Rate,
    /// Fewer rows than the minimum group size.
    pub small: bool,
}

/// The four-fifths verdict of one category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FourFifths {
    /// The category.
    pub group: GroupKey,
    /// LL144 impact ratio (÷ the most selected included category).
    pub impact_ratio: Option<f64>,
    /// impact_ratio < τ; None when the ratio is undefined or the category excluded.
    pub adverse_impact: Option<bool>,
    /// Fewer rows than the minimum group size (a verdict on few rows is fragile).
    pub small: bool,
}

/// Everything a selection-only audit says about one breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelectionAudit {
    /// The orientation of the positive prediction.
    pub positive_is_favourable: bool,
    /// The options used.
    pub options: DisparityOptions,
    /// Per-group selection rates, in input order.
    pub groups: Vec<SelectionGroup>,
    /// The selection rate over every row.
    pub overall: Rate,
    /// Rows of groups with an unknown level.
    pub unknown_count: u64,
    /// fairlearn between groups on the selection rate (demographic parity).
    pub between_groups: BetweenGroups,
    /// fairlearn to overall on the selection rate.
    pub to_overall: ToOverall,
    /// The selection rate of each group vs the reference group (one entry).
    pub vs_reference: Vec<MetricVsReference>,
    /// LL144 impact ratios.
    pub ll144: Ll144Summary,
    /// The four-fifths rule on the LL144 impact ratios, τ = `options.four_fifths`.
    pub four_fifths: Vec<FourFifths>,
    /// Why the label-based metrics are absent.
    pub absent: Vec<String>,
}

/// The note on what a selection-only audit leaves out.
pub const ABSENT: &str = "no label column: the base rate, true/false positive and negative rates, predictive values, accuracy, equalized odds, equal opportunity, AIF360's odds and predictive-value composites and reweighing need the true outcome and are not computed";

/// The selection-only audit of one breakdown from per-group (rows, selected) counts.
pub fn audit_selection(groups: &[(GroupKey, u64, u64)], options: &DisparityOptions) -> SelectionAudit {
    // The other modules take confusion counts; without labels every row is label-negative.
    let confusions: Vec<(GroupKey, Confusion)> = groups
        .iter()
        .map(|(k, n, sel)| (k.clone(), Confusion::new(0, (*sel).min(*n), n.saturating_sub(*sel), 0)))
        .collect();
    let overall: Confusion = confusions.iter().map(|g| g.1).sum();
    let unknown_count: u64 = confusions.iter().filter(|g| g.0.is_unknown()).map(|g| g.1.n()).sum();
    let n_known = overall.n() - unknown_count;
    let rows = confusions
        .iter()
        .map(|(k, c)| SelectionGroup {
            group: k.clone(),
            count: c.n(),
            share: Rate::new(c.n(), if k.is_unknown() { overall.n() } else { n_known }),
            selection_rate: Metric::SelectionRate.rate(c),
            small: c.n() < options.min_group_size,
        })
        .collect();
    let params = CompareParams { min_group_size: options.min_group_size, tau: options.four_fifths };
    let (r, notes) = choose_reference(&confusions, Metric::SelectionRate, options);
    let mut vs = versus_reference(&confusions, Metric::SelectionRate, r, params);
    vs.notes.splice(0..0, notes);
    super::direction::orient(&mut vs, options.positive_is_favourable, &confusions);
    let categories = ll144_categories(&confusions, options.positive_is_favourable);
    let ll_opts =
        Ll144Options { exclude_below_share: options.ll144_exclude_below_share, min_group_size: options.min_group_size };
    let ll144 = favourable(
        ll144_summary(&categories, unknown_count, RateKind::SelectionRate, &ll_opts),
        options.positive_is_favourable,
    );
    let four_fifths = ll144
        .rows
        .iter()
        .map(|row| FourFifths {
            group: row.category.clone(),
            impact_ratio: row.impact_ratio,
            adverse_impact: row.impact_ratio.filter(|_| !row.excluded).map(|r| r < options.four_fifths),
            small: row.small,
        })
        .collect();
    SelectionAudit {
        positive_is_favourable: options.positive_is_favourable,
        options: options.clone(),
        groups: rows,
        overall: Metric::SelectionRate.rate(&overall),
        unknown_count,
        between_groups: between_groups(&confusions, Metric::SelectionRate),
        to_overall: to_overall(&confusions, &overall, Metric::SelectionRate),
        vs_reference: vec![vs],
        ll144,
        four_fifths,
        absent: vec![ABSENT.to_string()],
    }
}

impl SelectionAudit {
    /// Each group's counts as the label-free confusion counts the comparisons were made
    /// from (every row label-negative: FP = selected, TN = not selected).
    pub fn confusions(&self) -> Vec<(GroupKey, Confusion)> {
        self.groups
            .iter()
            .map(|g| {
                let sel = g.selection_rate.numerator;
                (g.group.clone(), Confusion::new(0, sel, g.count.saturating_sub(sel), 0))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::counts::Level;
    use crate::fairness::disparity::audit_breakdown;

    #[test]
    fn matches_the_full_audit_on_the_selection_rate() {
        let full = vec![
            (GroupKey::known(&["a"]), Confusion::new(30, 20, 40, 10)),
            (GroupKey::known(&["b"]), Confusion::new(10, 5, 70, 15)),
            (GroupKey::known(&["c"]), Confusion::new(5, 4, 10, 1)),
            (GroupKey { levels: vec![Level::Unknown] }, Confusion::new(3, 3, 3, 3)),
        ];
        let counts: Vec<(GroupKey, u64, u64)> =
            full.iter().map(|(k, c)| (k.clone(), c.n(), c.predicted_positive())).collect();
        let opts = DisparityOptions::default();
        let s = audit_selection(&counts, &opts);
        let a = audit_breakdown(&full, &opts);
        assert_eq!(s.between_groups, a.fairlearn.between_groups[0]);
        assert_eq!(s.ll144, a.ll144);
        let (x, y) = (&s.vs_reference[0], &a.vs_reference[0]);
        assert_eq!((x.metric, &x.reference, x.comparisons.len()), (y.metric, &y.reference, y.comparisons.len()));
        for (p, q) in x.comparisons.iter().zip(&y.comparisons) {
            assert_eq!((p.ratio, p.difference, p.p_holm, p.flagged), (q.ratio, q.difference, q.p_holm, q.flagged));
        }
        // b: 15/100 vs the most selected a (50/100): impact ratio 0.3, adverse impact.
        let b = s.four_fifths.iter().find(|f| f.group == GroupKey::known(&["b"])).unwrap();
        assert_eq!((b.impact_ratio, b.adverse_impact, b.small), (Some(0.3), Some(true), false));
        let c = s.four_fifths.iter().find(|f| f.group == GroupKey::known(&["c"])).unwrap();
        assert_eq!((c.adverse_impact, c.small), (Some(false), true)); // 9/20 = 0.45 → 0.9
        assert!(s.absent[0].contains("no label column"));
        assert_eq!(s.unknown_count, 12);
    }
}
