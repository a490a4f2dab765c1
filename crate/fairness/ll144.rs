//! NYC Local Law 144 bias-audit summary (DCWP rules, 6 RCNY §5-300 and §5-301).
//!
//! * **Selection rate** of a category: selected / n in the category, where *selected* is
//!   the favourable decision ("selected to move forward"): the positive prediction when it
//!   is favourable, the negative one when it is not (the caller counts it;
//!   [`crate::fairness::disparity::ll144_categories`]).
//! * **Scoring rate** (for tools that output a score): the share of the category whose
//!   score is *strictly above* the median score of the *full sample* (§5-300, §5-301(c)(1)).
//!   privaudit takes that median over every row with a score, including rows whose
//!   category is unknown; the caller counts "above the median" and passes it as `selected`.
//! * **Impact ratio**: a category's rate ÷ the rate of the most selected (highest scoring)
//!   category. Computed separately for sex, race/ethnicity and their intersections (call
//!   [`ll144_summary`] once per breakdown).
//! * **Unknown**: the number of rows whose category is unknown is reported, and those rows
//!   are in no category.
//! * **2 % rule** (§5-301(d)): a category with less than 2 % of the audit data *may* be
//!   excluded from the impact-ratio calculation; it stays listed with its n and rate and is
//!   named in [`Ll144Summary::excluded`]. Off by default. The share is n / n_known (rows of
//!   known category).
//! * **No pass mark**: LL144 sets no threshold; the 4/5 rule belongs to UGESP
//!   (29 CFR §1607.4(D)) and is *not* applied here. Categories below the minimum size are
//!   marked `small`, which is information, not a verdict.
//!
//! The rule's worked example prints impact ratios computed from *rounded* rates
//! (44.7 / 54.3 = 0.823); [`impact_ratios_from_printed`] reproduces that arithmetic, while
//! [`ll144_summary`] uses exact counts.

use super::counts::GroupKey;
use super::metrics::Rate;
use serde::{Deserialize, Serialize};

/// Which LL144 rate the summary is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// Selected / n (binary decisions).
    SelectionRate,
    /// Strictly above the full-sample median / n (scores).
    ScoringRate,
}

/// Options of the LL144 summary.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ll144Options {
    /// Exclude categories whose share of n_known is below this (LL144 allows 0.02) from the
    /// impact-ratio calculation. None: exclude nothing.
    pub exclude_below_share: Option<f64>,
    /// Categories with fewer rows are marked `small` (default 30).
    pub min_group_size: u64,
}

impl Default for Ll144Options {
    fn default() -> Self {
        Self { exclude_below_share: None, min_group_size: 30 }
    }
}

/// One category of the summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ll144Row {
    /// The category.
    pub category: GroupKey,
    /// Rows in the category.
    pub n: u64,
    /// n / n_known.
    pub share: Option<f64>,
    /// Selection or scoring rate with its Wilson interval.
    pub rate: Rate,
    /// rate ÷ highest rate among included categories; None when excluded or undefined.
    pub impact_ratio: Option<f64>,
    /// Excluded from the impact-ratio calculation by the 2 % rule.
    pub excluded: bool,
    /// n below the minimum group size.
    pub small: bool,
}

/// The LL144 summary of one breakdown (sex, race/ethnicity, or their intersection).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ll144Summary {
    /// Selection or scoring rates.
    pub rate_kind: RateKind,
    /// One row per category, in input order.
    pub rows: Vec<Ll144Row>,
    /// Rows of unknown category (reported, in no category).
    pub unknown_count: u64,
    /// Rows of known category (the denominator of the shares).
    pub n_known: u64,
    /// The most selected / highest scoring included categories (several on a tie).
    pub highest: Vec<GroupKey>,
    /// Their rate, the impact ratios' denominator.
    pub highest_rate: Option<f64>,
    /// The threshold of the 2 % rule, when applied.
    pub exclude_below_share: Option<f64>,
    /// Categories excluded by the 2 % rule (their n and rate are in `rows`).
    pub excluded: Vec<GroupKey>,
    /// Sentences for the report (exclusions, undefined rates).
    pub notes: Vec<String>,
    /// Selection rates: whether *selected* is the positive prediction (true) or the
    /// negative one (false: the positive prediction is the unfavourable outcome, so the
    /// favourable selection is its complement). Scoring rates: always true.
    #[serde(default = "yes")]
    pub selected_is_positive: bool,
}

fn yes() -> bool {
    true
}

/// LL144 summary from `(category, n, selected)` per category and the unknown count.
pub fn ll144_summary(
    categories: &[(GroupKey, u64, u64)],
    unknown_count: u64,
    kind: RateKind,
    options: &Ll144Options,
) -> Ll144Summary {
    let n_known: u64 = categories.iter().map(|c| c.1).sum();
    let mut notes = Vec::new();
    let mut rows: Vec<Ll144Row> = categories
        .iter()
        .map(|(key, n, selected)| {
            let share = if n_known == 0 { None } else { Some(*n as f64 / n_known as f64) };
            let excluded = matches!((options.exclude_below_share, share), (Some(t), Some(s)) if s < t);
            Ll144Row {
                category: key.clone(),
                n: *n,
                share,
                rate: Rate::new(*selected, *n),
                impact_ratio: None,
                excluded,
                small: *n < options.min_group_size,
            }
        })
        .collect();
    let excluded: Vec<GroupKey> = rows.iter().filter(|r| r.excluded).map(|r| r.category.clone()).collect();
    if let (Some(t), false) = (options.exclude_below_share, excluded.is_empty()) {
        let list: Vec<String> = rows
            .iter()
            .filter(|r| r.excluded)
            .map(|r| format!("{} (n = {}, rate {})", r.category, r.n, fmt_rate(r.rate.value)))
            .collect();
        notes.push(format!(
            "excluded from impact ratios as below {:.1} % of the data (LL144 §5-301(d)): {}",
            t * 100.0,
            list.join("; ")
        ));
    }
    let undefined: Vec<String> =
        rows.iter().filter(|r| r.rate.value.is_none()).map(|r| r.category.to_string()).collect();
    if !undefined.is_empty() {
        notes.push(format!("no rows, rate undefined: {}", undefined.join(", ")));
    }
    let highest_rate = rows
        .iter()
        .filter(|r| !r.excluded)
        .filter_map(|r| r.rate.value)
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    let highest: Vec<GroupKey> = rows
        .iter()
        .filter(|r| !r.excluded && r.rate.value.is_some() && r.rate.value == highest_rate)
        .map(|r| r.category.clone())
        .collect();
    match highest_rate {
        Some(h) if h > 0.0 => {
            for r in rows.iter_mut().filter(|r| !r.excluded) {
                r.impact_ratio = r.rate.value.map(|v| v / h);
            }
        }
        Some(_) => notes.push("no category has a positive rate: impact ratios are undefined (0/0)".into()),
        None => notes.push("no category with a defined rate".into()),
    }
    Ll144Summary {
        rate_kind: kind,
        rows,
        unknown_count,
        n_known,
        highest,
        highest_rate,
        exclude_below_share: options.exclude_below_share,
        excluded,
        notes,
        selected_is_positive: true,
    }
}

fn fmt_rate(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".into(), |v| format!("{:.1} %", v * 100.0))
}

/// The rule's own arithmetic: impact ratios from rates as printed (already rounded),
/// each ÷ the highest printed rate. Not used for audits; kept to reproduce the rule's
/// worked example.
pub fn impact_ratios_from_printed(rates: &[f64]) -> Vec<f64> {
    let max = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    rates.iter().map(|r| r / max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(rows: &[(&str, u64, u64)]) -> Vec<(GroupKey, u64, u64)> {
        rows.iter().map(|(k, n, s)| (GroupKey::known(&[*k]), *n, *s)).collect()
    }

    #[test]
    fn two_percent_rule_lists_excluded_categories() {
        let c = cats(&[("A", 1000, 500), ("B", 900, 300), ("C", 10, 9)]);
        let all = ll144_summary(&c, 4, RateKind::SelectionRate, &Ll144Options::default());
        assert_eq!(all.highest, vec![GroupKey::known(&["C"])]);
        assert!((all.rows[0].impact_ratio.unwrap() - 0.5 / 0.9).abs() < 1e-15);
        assert!(all.rows[2].small && all.excluded.is_empty() && all.unknown_count == 4);
        let opt = Ll144Options { exclude_below_share: Some(0.02), ..Default::default() };
        let ex = ll144_summary(&c, 4, RateKind::SelectionRate, &opt);
        assert_eq!(ex.excluded, vec![GroupKey::known(&["C"])]);
        assert_eq!(ex.rows[2].impact_ratio, None);
        assert_eq!(ex.rows[2].rate.value, Some(0.9));
        assert_eq!(ex.rows[0].impact_ratio, Some(1.0));
        assert!(ex.notes[0].contains("C (n = 10, rate 90.0 %)"), "{:?}", ex.notes);
    }

    #[test]
    fn zero_rates_are_undefined_ratios() {
        let s = ll144_summary(&cats(&[("A", 5, 0), ("B", 0, 0)]), 0, RateKind::ScoringRate, &Ll144Options::default());
        assert!(s.rows.iter().all(|r| r.impact_ratio.is_none()));
        assert_eq!(s.notes.len(), 2);
    }
}
