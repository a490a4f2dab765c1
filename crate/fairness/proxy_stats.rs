//! Proxy detection, statistics: how strongly each column is associated with each protected
//! attribute, from the counts of [`super::proxy`].
//!
//! * **Categorical**: bias-corrected Cramér's V (Bergsma 2013). With n rows, r protected
//!   levels, k column levels and Pearson's χ² of the contingency table (no continuity
//!   correction): φ² = χ²/n, φ̃² = max(0, φ² − (k−1)(r−1)/(n−1)), r̃ = r − (r−1)²/(n−1),
//!   k̃ = k − (k−1)²/(n−1), Ṽ = √(φ̃² / min(r̃−1, k̃−1)). Undefined with fewer than two
//!   levels on a side, n < 2, or min(r̃−1, k̃−1) ≤ 0. **Level cap**: each side keeps its
//!   [`MAX_LEVELS`]` − 1` most frequent levels (ties by value) and pools the rest as
//!   `(other)`, and the result says so; the cap is applied to the merged counts, so it
//!   does not depend on the split.
//! * **Numeric**: the correlation ratio η = √(SS_between / SS_total), SS_between =
//!   Σ_g n_g (mean_g − mean)², SS_total = (N−1)·variance, from exactly rounded per-group
//!   means and the exactly rounded overall variance ([`crate::sketch::moments`]): the same
//!   bits under any split. Undefined with fewer than two groups, N < 2, or a constant
//!   column. Infinite values are left out (counted).
//!
//! An association at or above the threshold (default 0.3) is flagged: the column can stand
//! in for the protected attribute, so dropping the attribute does not remove its influence.
//! Both measures are in [0, 1]; V is symmetric, η is the share of the column's variance
//! explained by the protected groups.
//!
//! Citation: W. Bergsma (2013), "A bias-correction for Cramér's V and Tschuprow's T",
//! J. Korean Statist. Soc. 42:323–328; K. Pearson (1905) for η.

use super::proxy::table::Contingency;
use super::proxy::{PairCounts, ProxyAcc};
use crate::sketch::moments::MomentsAcc;
use crate::stats::association::{correlation_ratio, cramers_v_corrected};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Levels kept per side of a contingency table, `(other)` included.
pub const MAX_LEVELS: usize = 50;

/// The measure of an association.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Bias-corrected Cramér's V (Bergsma 2013).
    CramersVBiasCorrected,
    /// Correlation ratio η.
    CorrelationRatio,
}

/// The association of one column with one protected attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Association {
    /// The protected attribute, or the attributes of an intersection joined by ` × `.
    pub protected: String,
    /// The column.
    pub column: String,
    /// The measure.
    pub measure: Measure,
    /// Its value in [0, 1] (None = undefined).
    pub value: Option<f64>,
    /// Why the value is undefined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined_reason: Option<String>,
    /// Rows used (both values known).
    pub n: u64,
    /// Rows left out (a value missing, not a number, or infinite).
    pub excluded: u64,
    /// Protected levels used (groups for η).
    pub protected_levels: usize,
    /// Column levels used (categorical; `(other)` counts as one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_levels: Option<usize>,
    /// How levels were pooled into `(other)`, if they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pooled: Option<String>,
    /// value ≥ threshold.
    pub flagged: bool,
}

/// A column proxy detection did not examine, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkippedColumn {
    /// The column.
    pub column: String,
    /// Why.
    pub reason: String,
}

/// The proxy section of the bias report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProxyReport {
    /// Associations at or above this are flagged.
    pub threshold: f64,
    /// Levels kept per side of a contingency table, `(other)` included.
    pub max_levels: usize,
    /// Every (protected attribute, column) association.
    pub associations: Vec<Association>,
    /// Columns not examined.
    pub skipped: Vec<SkippedColumn>,
}

/// The proxy section from the merged counts.
pub fn proxy_report(acc: &ProxyAcc, spec: &crate::spec::ProxySpec, name: &dyn Fn(usize) -> String) -> ProxyReport {
    ProxyReport {
        threshold: spec.threshold,
        max_levels: MAX_LEVELS,
        associations: associations(acc, name, spec.threshold),
        skipped: spec.skipped.iter().map(|(c, why)| SkippedColumn { column: name(*c), reason: why.clone() }).collect(),
    }
}

/// Keeps the `MAX_LEVELS - 1` most frequent levels of a margin; the map sends every level
/// to its kept name or `(other)`. Returns (map, note).
fn cap_levels(margin: &BTreeMap<&str, u64>, side: &str) -> (BTreeMap<String, String>, Option<String>) {
    let mut order: Vec<(&str, u64)> = margin.iter().map(|(k, v)| (*k, *v)).collect();
    let total = order.len();
    if total <= MAX_LEVELS {
        return (order.iter().map(|(k, _)| (k.to_string(), k.to_string())).collect(), None);
    }
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let keep = MAX_LEVELS - 1;
    let map = order
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.to_string(), if i < keep { k.to_string() } else { "(other)".to_string() }))
        .collect();
    let note = format!("{side}: {total} levels, the {keep} most frequent kept and {} pooled as (other)", total - keep);
    (map, Some(note))
}

/// Every association of the audit, protected-major in column order. `name` gives column
/// names; `threshold` flags.
pub fn associations(acc: &ProxyAcc, name: &dyn Fn(usize) -> String, threshold: f64) -> Vec<Association> {
    acc.pairs
        .iter()
        .map(|p| {
            let mut a = Association {
                protected: p.protected.iter().map(|&c| name(c)).collect::<Vec<_>>().join(" × "),
                column: name(p.column),
                measure: Measure::CorrelationRatio,
                value: None,
                undefined_reason: None,
                n: 0,
                excluded: p.excluded,
                protected_levels: 0,
                column_levels: None,
                pooled: None,
                flagged: false,
            };
            let result = match &p.counts {
                PairCounts::Categorical { table, overflow, .. } => {
                    a.measure = Measure::CramersVBiasCorrected;
                    if *overflow {
                        Err(format!("more than {} distinct value pairs: not computed", super::proxy::MAX_PAIRS))
                    } else {
                        categorical(table, &mut a)
                    }
                }
                PairCounts::Numeric { groups } => {
                    let sorted: BTreeMap<&String, &MomentsAcc> = groups.iter().collect();
                    let ms: Vec<&MomentsAcc> = sorted.into_values().collect();
                    let (r, n, inf) = correlation_ratio(&ms);
                    a.n = n;
                    a.excluded += inf;
                    a.protected_levels = ms.len();
                    r
                }
            };
            match result {
                Ok(v) => {
                    a.value = Some(v);
                    a.flagged = v >= threshold;
                }
                Err(why) => a.undefined_reason = Some(why),
            }
            a
        })
        .collect()
}

fn categorical(table: &Contingency, a: &mut Association) -> Result<f64, String> {
    let mut pm: BTreeMap<&str, u64> = BTreeMap::new();
    let mut cm: BTreeMap<&str, u64> = BTreeMap::new();
    let cells = || table.cells();
    for (p, c, n) in cells() {
        *pm.entry(p).or_default() += n;
        *cm.entry(c).or_default() += n;
    }
    let (pmap, pnote) = cap_levels(&pm, "protected attribute");
    let (cmap, cnote) = cap_levels(&cm, "column");
    let mut pooled: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for (p, c, n) in cells() {
        let key = (pmap.get(p).map_or("(other)", String::as_str), cmap.get(c).map_or("(other)", String::as_str));
        *pooled.entry(key).or_default() += n;
    }
    let plev: Vec<&str> = {
        let mut v: Vec<&str> = pmap.values().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let clev: Vec<&str> = {
        let mut v: Vec<&str> = cmap.values().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let counts: Vec<Vec<u64>> =
        plev.iter().map(|p| clev.iter().map(|c| pooled.get(&(*p, *c)).copied().unwrap_or(0)).collect()).collect();
    a.n = pm.values().sum();
    a.protected_levels = plev.len();
    a.column_levels = Some(clev.len());
    let notes: Vec<String> = [pnote, cnote].into_iter().flatten().collect();
    a.pooled = (!notes.is_empty()).then(|| notes.join("; "));
    if a.n == 0 {
        return Err("no row has both values".into());
    }
    cramers_v_corrected(&counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cramers_v_small_tables() {
        // Perfect association on a 2×2 table with n = 200: V = √((1 − 1/199)/(2 − 1/199 − 1)) = 1.
        let v = cramers_v_corrected(&[vec![100, 0], vec![0, 100]]).unwrap();
        assert!((v - 1.0).abs() < 1e-12, "{v}");
        // Independence: 0 (the correction removes the positive bias of χ²).
        assert_eq!(cramers_v_corrected(&[vec![50, 50], vec![50, 50]]).unwrap(), 0.0);
        assert!(cramers_v_corrected(&[vec![3, 4]]).is_err());
    }

    #[test]
    fn eta_of_two_groups() {
        let mut a = MomentsAcc::new();
        let mut b = MomentsAcc::new();
        for x in [1.0, 2.0, 3.0] {
            a.update(x);
        }
        for x in [4.0, 5.0, 6.0] {
            b.update(x);
        }
        // SS_between = 3·1.5² · 2 = 13.5, SS_total = 17.5: η = √(13.5/17.5).
        let (e, n, inf) = correlation_ratio(&[&a, &b]);
        assert_eq!((n, inf), (6, 0));
        assert!((e.unwrap() - (13.5f64 / 17.5).sqrt()).abs() < 1e-15);
        assert!(correlation_ratio(&[&a]).0.is_err());
    }
}
