//! The glossary of the bias section, and the names of its terms: links from numbers to
//! their definitions ([`super::anchors::definition`]) are spelled from these constants, so
//! a link always has its entry (`tests`: every term used by a link is defined).

use super::model::Definition;
use crate::fairness::metrics::Metric;

/// Glossary terms that numbers link to.
pub mod terms {
    use crate::fairness::metrics::Metric;

    /// The disadvantaged party's rate ÷ the other's.
    pub const ADVERSE_RATIO: &str = "adverse ratio";
    /// min ÷ max of two rates: what the four-fifths rule tests.
    pub const PARITY_RATIO: &str = "parity ratio";
    /// Katz log interval of a ratio.
    pub const RATIO_INTERVAL: &str = "95 % interval of a ratio";
    /// Newcombe interval of a difference.
    pub const DIFFERENCE_INTERVAL: &str = "95 % interval of a difference";
    /// Wilson interval of a rate.
    pub const RATE_INTERVAL: &str = "95 % interval of a rate";
    /// Holm-adjusted p-value.
    pub const HOLM_P: &str = "Holm-adjusted p-value";
    /// Which direction of a rate harms.
    pub const HARM_DIRECTION: &str = "harm direction";
    /// The party named as disadvantaged.
    pub const DISADVANTAGED: &str = "disadvantaged group";
    /// The reference group and its policy.
    pub const REFERENCE: &str = "reference group";
    /// The four-fifths rule.
    pub const FOUR_FIFTHS: &str = "four-fifths rule";
    /// LL144 impact ratio.
    pub const IMPACT_RATIO: &str = "LL144 impact ratio";
    /// The group × metric grid.
    pub const GRID: &str = "disparity grid";

    /// The term of a metric's rate ("selection rate", …).
    pub fn metric(m: Metric) -> &'static str {
        m.label()
    }
}

fn metric_definition(m: Metric) -> &'static str {
    match m {
        Metric::BaseRate => "(TP + FN) / n: the share of rows whose label is the positive class (AIF360 base_rate, Aequitas prev); describes the labels, not a decision, so it has no harm direction and is not compared",
        Metric::SelectionRate => "(TP + FP) / n: the share of rows predicted positive (fairlearn selection_rate, Aequitas pprev)",
        Metric::TruePositiveRate => "TP / (TP + FN): among rows whose label is positive, the share predicted positive (recall, sensitivity)",
        Metric::FalsePositiveRate => "FP / (FP + TN): among rows whose label is negative, the share predicted positive",
        Metric::TrueNegativeRate => "TN / (FP + TN): among rows whose label is negative, the share predicted negative (specificity)",
        Metric::FalseNegativeRate => "FN / (TP + FN): among rows whose label is positive, the share predicted negative",
        Metric::PositivePredictiveValue => "TP / (TP + FP): among rows predicted positive, the share whose label is positive (precision)",
        Metric::NegativePredictiveValue => "TN / (TN + FN): among rows predicted negative, the share whose label is negative",
        Metric::FalseDiscoveryRate => "FP / (TP + FP): among rows predicted positive, the share whose label is negative",
        Metric::FalseOmissionRate => "FN / (TN + FN): among rows predicted negative, the share whose label is positive",
        Metric::Accuracy => "(TP + TN) / n: the share of rows predicted correctly",
    }
}

/// The glossary of the bias section.
pub fn bias_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    let mut v = vec![
        d("positive class", "the label and prediction values the spec names as positive; every rate is for that class, and the report says whether it is the favourable outcome"),
    ];
    v.extend(std::iter::once(Metric::BaseRate).chain(Metric::COMPARED).map(|m| {
        d(
            terms::metric(m),
            &format!(
                "{}; JSON key {}; with its numerator, denominator and Wilson 95 % interval",
                metric_definition(m),
                m.name()
            ),
        )
    }));
    v.extend([
        d(terms::RATE_INTERVAL, "Wilson score interval (Wilson 1927) of a rate at 95 %: the rates it contains are those a two-sided score test would not reject at 5 %"),
        d("undefined", "a rate whose denominator is 0 (0/0): shown as undefined and left out of max/min with a note. fairlearn returns 0 for such TPR/FPR/TNR/FNR, AIF360 NaN, Aequitas NaN for rates and 10.0 for ratios over a zero reference"),
        d(terms::HARM_DIRECTION, "which direction of a rate harms the group that has it, from the positive class and whether it is favourable: selection rate, true positive rate, false positive rate, false discovery rate and negative predictive value — higher harms when the positive class is unfavourable, lower harms when it is favourable; false negative rate, true negative rate, positive predictive value and false omission rate — the reverse; accuracy — lower harms; base rate — no direction. It agrees with the Aequitas fairness tree: a punitive decision harms through false positives (FPR, FDR), an assistive one through false negatives (FNR, FOR)"),
        d(terms::DISADVANTAGED, "in a comparison of a group with the reference group, the party on the harmful side of the rate — the reference group itself when it is worse off; equal or undefined rates name nobody"),
        d(terms::ADVERSE_RATIO, "the disadvantaged party's rate ÷ the other party's: above 1 when a higher rate harms (\"1.69× as often\"), below 1 when a lower rate harms; undefined when the other party's rate is 0"),
        d(terms::PARITY_RATIO, "min ÷ max of the two rates of a comparison (at most 1, whichever side is disadvantaged): the four-fifths rule flags it below 0.8, i.e. a harmful rate more than 1.25× the other's or a favourable rate below 0.8× the other's"),
        d(terms::RATIO_INTERVAL, "Katz log interval (Katz et al. 1978) at 95 % of a ratio of two rates, computed with the two parties in the order printed (0.5 added to every cell when the numerator count is 0)"),
        d(terms::DIFFERENCE_INTERVAL, "Newcombe hybrid score interval (Newcombe 1998, method 10) at 95 % of a difference of two rates, from their Wilson intervals"),
        d(terms::HOLM_P, "p-value of the group-vs-reference test on the metric's own sub-population (Fisher exact when an expected cell is below 5, else the pooled two-proportion z-test), adjusted by Holm's step-down method across the groups of the breakdown; below 0.05 is called significant; printed as < 0.001 or with two significant digits"),
        d(terms::REFERENCE, "the group every other group is compared with: by default the largest known group (bias.reference = largest; Aequitas' default, and stable across metrics, unlike the most favoured group, which is chosen on the data and is often a small, noisy group); best_rate, lowest_rate or a named group (bias.reference_group) on request. Because the reference can itself be the disadvantaged party, every comparison names who is disadvantaged, whichever side it is on; LL144 impact ratios are reported separately against the most selected category"),
        d("fairlearn between groups", "difference = max − min and ratio = min / max over the groups with a defined rate (demographic parity: selection rate; equalized odds: worse of TPR and FPR; equal opportunity: TPR)"),
        d("vs reference (AIF360/Aequitas)", "difference = group − reference and ratio = group ÷ reference; Newcombe hybrid score interval for differences, Katz log interval for ratios; four-fifths band 0.8 ≤ ratio ≤ 1.25 (EEOC rule of thumb; a comparison outside it with a group of at least bias.min_group_size rows is flagged); Fisher exact or pooled z test on the metric's own sub-population, Holm-adjusted across groups"),
        d(terms::GRID, "per breakdown, every group (rows) against the reference on every compared metric (columns): the ratio group ÷ reference; green within the four-fifths band, amber outside it for a small group or without significance (Holm p ≥ 0.05), red outside it, significant, and not small; ▼ marks a cell where the group is the disadvantaged party, ▲ one where the reference is"),
        d("sentence", "a plain-language reading of a comparison in which someone is disadvantaged, outside the four-fifths band (group not small) or with a Holm-adjusted p < 0.05, both rates defined: the disadvantaged party first, the metric's sub-population, the positive class and whether it is favourable, the adverse ratio, both rates, the ratio's interval and the Holm-adjusted p-value. Of complementary rates (TPR and FNR, FPR and TNR, PPV and FDR, NPV and FOR) only the one where a higher rate harms is read out; the report shows the four with the largest effects per breakdown, the JSON has every one"),
        d("disparity checks", "disparity_ratio and disparity_difference, per breakdown, gated metric and compared group: by default the selection rate and, with a label, the false positive rate (positive class unfavourable) or the false negative rate (favourable) — the errors the Aequitas fairness tree puts first. disparity_ratio (band adverse, default): the parity ratio, violated below min (default 0.8), naming the disadvantaged party; band symmetric: group ÷ reference outside [min, 1/min]. disparity_difference: |group rate − reference rate|, violated above max (default 0.1). Warn by default, fail when configured; a group with fewer rows than min_group_size, an undefined rate or two zero rates is skipped with the reason, never passed or failed"),
        d("selection-only audit", "without a label column (LL144 allows it): per-group selection rates, fairlearn between-groups and to-overall selection-rate disparities, each group vs the reference (difference, ratio, test, sentence), LL144 impact ratios and the four-fifths rule; every metric that needs the true outcome is absent and the audit's absent note says so; score metrics that need labels (AUC, calibration) are null with that reason"),
        d(terms::FOUR_FIFTHS, "UGESP 29 CFR §1607.4(D): a category whose favourable selection rate is below 4/5 of the most selected category's (LL144 impact ratio < 0.8) shows adverse impact; a rule of thumb, not part of LL144; categories excluded by the 2 % rule or with an undefined ratio get no verdict, small ones are marked"),
        d("proxies", "association of every other column with each protected attribute and with the intersection the audit builds (race × sex: a row's values together, rows missing any left out) (not the label, prediction, score, protected, identifier, ignored or weight columns, nor dates and free text): bias-corrected Cramér's V (Bergsma 2013) on the contingency table of categorical and boolean columns, each side capped at 50 levels (the 49 most frequent, ties by value, and (other)); correlation ratio η = √(Σ n_g (mean_g − mean)² / Σ (x − mean)²) for numeric columns from exact per-group sums; rows missing either value are left out; flagged at or above bias.proxy_threshold (default 0.3)"),
        d(terms::IMPACT_RATIO, "selection rate of a category ÷ that of the most selected category (NYC Local Law 144, 6 RCNY §5-300), where selected is the favourable decision: the positive prediction when it is favourable, the negative prediction when the positive one is unfavourable (\"selected to move forward\"); scoring rates (share above the full-sample median) only when a high score is favourable; the law sets no pass mark; categories below the optional 2 % share can be excluded and are still listed"),
        d("unknown group", "rows whose protected value is missing form an explicit unknown group: counted and listed, never a reference or an extreme; rows with a missing label or prediction are left out and counted"),
    ]);
    v
}
