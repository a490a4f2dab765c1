//! Which way each compared rate harms a group, and who is disadvantaged in a comparison.
//!
//! A rate is not good or bad in itself: a high selection rate is an advantage when the
//! positive prediction is favourable (a loan approved) and a harm when it is not (labelled
//! high risk). Every compared metric therefore has a **harm direction** that depends on the
//! audit's orientation ([`crate::fairness::disparity::DisparityOptions::positive_is_favourable`]):
//!
//! | metric | positive class unfavourable | positive class favourable |
//! |---|---|---|
//! | selection rate, TPR, FPR | higher harms | lower harms |
//! | FNR, TNR | lower harms | higher harms |
//! | FDR, NPV | higher harms | lower harms |
//! | PPV, FOR | lower harms | higher harms |
//! | accuracy | lower harms | lower harms |
//! | base rate | no direction (not a decision) | no direction |
//!
//! Reading: selection rate, TPR and FPR are how often a group *receives* the positive
//! prediction (among everyone, the actual positives, the actual negatives), so they harm
//! in the direction of the positive prediction; FNR and TNR are their complements. The
//! predictive values say how high the bar was for a decision: a low PPV under a punitive
//! positive means more people flagged without cause (FDR = 1 − PPV high), a high PPV under
//! a favourable positive means the group had to be "surer" to be approved; NPV and FOR
//! mirror that for the negative prediction. Accuracy: fewer correct decisions harm either
//! way. The base rate describes the labels, not a decision.
//!
//! The table agrees with the Aequitas fairness tree (Saleiro et al. 2018, "Aequitas: A Bias
//! and Fairness Audit Toolkit", and its `fairness_tree` guidance): for a *punitive*
//! intervention (positive unfavourable) the errors that harm are false positives — FPR and
//! FDR, both "higher harms" above — and for an *assistive* one (positive favourable) false
//! negatives — FNR and FOR, "higher harms" in the favourable column.
//!
//! **Who is disadvantaged.** In a comparison of a group with the reference, the party on
//! the harmful side of the rate is disadvantaged, whichever of the two it is: when the
//! reference itself is worse off (COMPAS with African-American, the largest group, as the
//! reference), the reference is named as disadvantaged against the other group. Equal
//! rates, an undefined rate or a metric without direction name nobody. The **adverse
//! ratio** is the disadvantaged party's rate ÷ the other party's (above 1 for a "higher
//! harms" metric, below 1 for a "lower harms" one), with its Katz log 95 % interval computed
//! with the two parties in that order; undefined when the other party's rate is 0.

use super::counts::{Confusion, GroupKey};
use super::interval::{katz_log_ratio, Z95};
use super::metrics::Metric;
use super::versus_reference::MetricVsReference;
use serde::{Deserialize, Serialize};

/// Which direction of a rate harms the group that has it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Harm {
    /// A higher rate harms (e.g. the selection rate when the positive class is unfavourable).
    HigherHarms,
    /// A lower rate harms (e.g. the selection rate when the positive class is favourable).
    LowerHarms,
    /// Neither (the base rate describes the labels, not a decision).
    #[default]
    NoDirection,
}

impl Harm {
    /// A short phrase for tables: "higher harms", "lower harms", "no direction".
    pub fn phrase(self) -> &'static str {
        match self {
            Harm::HigherHarms => "higher harms",
            Harm::LowerHarms => "lower harms",
            Harm::NoDirection => "no direction",
        }
    }
}

/// The harm direction of `metric` (see the module table).
pub fn harm(metric: Metric, positive_is_favourable: bool) -> Harm {
    // Whether a higher rate harms when the positive class is unfavourable.
    let higher_when_unfavourable = match metric {
        Metric::BaseRate => return Harm::NoDirection,
        Metric::Accuracy => return Harm::LowerHarms,
        Metric::SelectionRate
        | Metric::TruePositiveRate
        | Metric::FalsePositiveRate
        | Metric::FalseDiscoveryRate
        | Metric::NegativePredictiveValue => true,
        Metric::FalseNegativeRate
        | Metric::TrueNegativeRate
        | Metric::PositivePredictiveValue
        | Metric::FalseOmissionRate => false,
    };
    if higher_when_unfavourable != positive_is_favourable {
        Harm::HigherHarms
    } else {
        Harm::LowerHarms
    }
}

/// True when a rate `a` is on the harmful side of `b` (strictly).
pub fn worse(harm: Harm, a: f64, b: f64) -> bool {
    match harm {
        Harm::HigherHarms => a > b,
        Harm::LowerHarms => a < b,
        Harm::NoDirection => false,
    }
}

/// The parity ratio min(a, b) / max(a, b) of two rates (≤ 1; the four-fifths rule flags it
/// below τ whichever side is disadvantaged); None when both are 0.
pub fn parity(a: f64, b: f64) -> Option<f64> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    (hi > 0.0).then(|| lo / hi)
}

/// Fills the harm direction of `v` and, per comparison, the disadvantaged party, its
/// comparator and the adverse ratio with its interval. `counts` holds every group's
/// confusion counts (the reference's among them).
pub fn orient(v: &mut MetricVsReference, positive_is_favourable: bool, counts: &[(GroupKey, Confusion)]) {
    let h = harm(v.metric, positive_is_favourable);
    v.harm = h;
    let Some(rk) = v.reference.clone() else { return };
    let find = |k: &GroupKey| counts.iter().find(|g| &g.0 == k).map(|g| v.metric.counts(&g.1));
    let Some((x2, n2)) = find(&rk) else { return };
    for c in &mut v.comparisons {
        let (Some(a), Some(b), Some((x1, n1))) = (c.value, c.reference_value, find(&c.group)) else { continue };
        let (dis, adv, ratio) = if worse(h, a, b) {
            (c.group.clone(), rk.clone(), (b > 0.0).then(|| (a / b, katz_log_ratio(x1, n1, x2, n2, Z95))))
        } else if worse(h, b, a) {
            (rk.clone(), c.group.clone(), (a > 0.0).then(|| (b / a, katz_log_ratio(x2, n2, x1, n1, Z95))))
        } else {
            continue;
        };
        c.disadvantaged = Some(dis);
        c.comparator = Some(adv);
        c.adverse_ratio = ratio.map(|r| r.0);
        c.adverse_ratio_ci95 = ratio.and_then(|r| r.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::versus_reference::{versus_reference, CompareParams};

    #[test]
    fn the_table_of_the_module_doc() {
        use Harm::{HigherHarms as H, LowerHarms as L};
        let rows = [
            (Metric::SelectionRate, H, L),
            (Metric::TruePositiveRate, H, L),
            (Metric::FalsePositiveRate, H, L),
            (Metric::FalseNegativeRate, L, H),
            (Metric::TrueNegativeRate, L, H),
            (Metric::FalseDiscoveryRate, H, L),
            (Metric::NegativePredictiveValue, H, L),
            (Metric::PositivePredictiveValue, L, H),
            (Metric::FalseOmissionRate, L, H),
            (Metric::Accuracy, L, L),
        ];
        for (m, unfavourable, favourable) in rows {
            assert_eq!((harm(m, false), harm(m, true)), (unfavourable, favourable), "{m:?}");
        }
        assert_eq!(harm(Metric::BaseRate, true), Harm::NoDirection);
        assert_eq!(rows.len(), Metric::COMPARED.len());
    }

    /// A disadvantaged reference is named against the other group, with the ratio the
    /// right way up and its interval computed in that order.
    #[test]
    fn the_reference_can_be_the_disadvantaged_party() {
        let groups = vec![
            (GroupKey::known(&["big"]), Confusion::new(300, 300, 200, 200)), // SR 0.6
            (GroupKey::known(&["low"]), Confusion::new(50, 50, 150, 150)),   // SR 0.25
            (GroupKey::known(&["same"]), Confusion::new(30, 30, 20, 20)),    // SR 0.6
        ];
        let p = CompareParams { min_group_size: 30, tau: 0.8 };
        let mut v = versus_reference(&groups, Metric::SelectionRate, Some(0), p);
        orient(&mut v, false, &groups);
        assert_eq!(v.harm, Harm::HigherHarms);
        let low = &v.comparisons[0];
        assert_eq!(low.disadvantaged, Some(GroupKey::known(&["big"])));
        assert_eq!(low.comparator, Some(GroupKey::known(&["low"])));
        assert!((low.adverse_ratio.unwrap() - 0.6 / 0.25).abs() < 1e-12);
        assert_eq!(low.adverse_ratio_ci95, katz_log_ratio(600, 1000, 100, 400, Z95));
        assert_eq!(v.comparisons[1].disadvantaged, None, "equal rates: nobody");
        // Favourable positive: the same numbers, the other party.
        let mut v = versus_reference(&groups, Metric::SelectionRate, Some(0), p);
        orient(&mut v, true, &groups);
        let low = &v.comparisons[0];
        assert_eq!(low.disadvantaged, Some(GroupKey::known(&["low"])));
        assert!((low.adverse_ratio.unwrap() - 0.25 / 0.6).abs() < 1e-12);
        assert_eq!(low.adverse_ratio_ci95, low.ratio_ci95);
    }

    #[test]
    fn parity_is_symmetric_and_at_most_one() {
        assert_eq!(parity(0.2, 0.4), Some(0.5));
        assert_eq!(parity(0.4, 0.2), Some(0.5));
        assert_eq!(parity(0.0, 0.3), Some(0.0));
        assert_eq!(parity(0.0, 0.0), None);
    }
}
