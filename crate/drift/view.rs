//! What the report shows of a compared column besides its test: the reference-vs-current
//! distributions in a few bins ([`MiniDistribution`], from the exact finished sides) and the
//! severity that ranks the columns ([`severity`]).
//!
//! - *Numbers, dates, date-times*: the profile's histogram rule
//!   ([`crate::quality::histogram::edges`]) over the range of both files together (integer
//!   edges when every value of both is a whole number), counts per bin for each file.
//! - *Categories*: the 9 most frequent categories of both files together (ties by value),
//!   the rest pooled as one last bar.
//! - Columns identifier-like in the reference file, and columns whose header names personal
//!   data ([`crate::quality::personal`]), get no distribution (their values would show).
//!
//! Severity: the deciding statistic relative to its threshold, 1 at the threshold and above
//! 1 for drift — distance ÷ threshold (normed Wasserstein, Jensen–Shannon), threshold ÷
//! p-value (KS, χ², z); a p-value of 0 is infinitely severe. One scale for both kinds, so a
//! report mixing them still ranks.

use super::compare::{ColumnDrift, DriftMethod};
use super::side::{SideColumn, SideValues};
use crate::quality::histogram::{bin_of, edges};
use serde::{Deserialize, Serialize};

/// Categories shown before the rest is pooled.
pub const CATEGORIES_SHOWN: usize = 9;

/// Reference and current counts in the same bins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MiniDistribution {
    /// Numbers: the `k + 1` bin edges (dates in days, date-times in seconds since 1970),
    /// bins `[eᵢ, eᵢ₊₁)`, the last one closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<f64>,
    /// Numbers: true when the edges are whole numbers holding whole-number values (bin
    /// `[eᵢ, eᵢ₊₁)` holds `eᵢ … eᵢ₊₁ − 1`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    /// Categories: the values shown, most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Categories: how many other categories the last bar pools (0: no such bar).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub others: u64,
    /// Reference counts per bin (or category, then the pooled rest).
    pub reference: Vec<u64>,
    /// Current counts per bin (or category, then the pooled rest).
    pub current: Vec<u64>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn numbers(r: &[(f64, u64)], c: &[(f64, u64)]) -> Option<MiniDistribution> {
    let lo = r.first().map(|p| p.0).into_iter().chain(c.first().map(|p| p.0)).reduce(f64::min)?;
    let hi = r.last().map(|p| p.0).into_iter().chain(c.last().map(|p| p.0)).reduce(f64::max)?;
    let integer = r.iter().chain(c).all(|p| crate::sketch::quantile::integral(p.0));
    let edges = edges(lo, hi, integer)?;
    let count = |v: &[(f64, u64)]| {
        let mut out = vec![0u64; edges.len() - 1];
        for &(x, n) in v {
            out[bin_of(&edges, x)] += n;
        }
        out
    };
    Some(MiniDistribution { reference: count(r), current: count(c), edges, integer, categories: Vec::new(), others: 0 })
}

fn categories(r: &[(String, u64)], c: &[(String, u64)]) -> MiniDistribution {
    let mut all: std::collections::BTreeMap<&str, (u64, u64)> = std::collections::BTreeMap::new();
    for (v, n) in r {
        all.entry(v).or_default().0 += n;
    }
    for (v, n) in c {
        all.entry(v).or_default().1 += n;
    }
    let mut order: Vec<(&str, (u64, u64))> = all.into_iter().collect();
    // Most frequent in both files together first; ties by value (the map's order).
    order.sort_by_key(|p| std::cmp::Reverse(p.1 .0 + p.1 .1));
    let shown = order.len().min(CATEGORIES_SHOWN);
    let mut d = MiniDistribution {
        edges: Vec::new(),
        integer: false,
        categories: order[..shown].iter().map(|p| p.0.to_string()).collect(),
        others: (order.len() - shown) as u64,
        reference: order[..shown].iter().map(|p| p.1 .0).collect(),
        current: order[..shown].iter().map(|p| p.1 .1).collect(),
    };
    if d.others > 0 {
        d.reference.push(order[shown..].iter().map(|p| p.1 .0).sum());
        d.current.push(order[shown..].iter().map(|p| p.1 .1).sum());
    }
    d
}

/// The distributions of a compared column, or why none is shown.
pub fn distribution(r: &SideColumn, c: &SideColumn) -> Result<MiniDistribution, String> {
    if r.identifier_like.is_some() {
        return Err("distribution not shown: the column is identifier-like in the reference file".into());
    }
    if let Some(why) = crate::quality::personal::header_reason(&r.name) {
        return Err(format!("distribution not shown: {why} (personal data)"));
    }
    match (&r.values, &c.values) {
        (SideValues::Numbers { values: rv, .. }, SideValues::Numbers { values: cv, .. }) => {
            numbers(rv, cv).ok_or_else(|| "distribution not shown: the range overflows".to_string())
        }
        (SideValues::Categories(Some(rc)), SideValues::Categories(Some(cc))) => Ok(categories(rc, cc)),
        _ => Err("distribution not shown".into()),
    }
}

/// The column's severity: its deciding statistic relative to its threshold (see the module
/// doc); NaN when the statistic is undefined.
pub fn severity(c: &ColumnDrift) -> f64 {
    match c.method {
        DriftMethod::Ks | DriftMethod::ChiSquare | DriftMethod::ZTest if c.value == 0.0 => f64::INFINITY,
        DriftMethod::Ks | DriftMethod::ChiSquare | DriftMethod::ZTest => c.threshold / c.value,
        DriftMethod::WassersteinNormed | DriftMethod::JensenShannon => c.value / c.threshold,
    }
}

/// The compared columns, most severe first (drifted ones first, then by [`severity`], then
/// PSI, then name; undefined severities last).
pub fn ranked(columns: &[ColumnDrift]) -> Vec<&ColumnDrift> {
    let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
    let mut out: Vec<&ColumnDrift> = columns.iter().collect();
    out.sort_by(|a, b| {
        b.drifted
            .cmp(&a.drifted)
            .then(key(severity(b)).total_cmp(&key(severity(a))))
            .then(key(b.psi.unwrap_or(f64::NAN)).total_cmp(&key(a.psi.unwrap_or(f64::NAN))))
            .then(a.column.cmp(&b.column))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_columns_get_integer_bins_over_both_files() {
        let d = numbers(&[(1.0, 2), (3.0, 1)], &[(2.0, 1), (10.0, 4)]).expect("bins");
        assert!(d.integer);
        assert_eq!(d.edges, (1..=11).map(f64::from).collect::<Vec<_>>());
        assert_eq!(d.reference.iter().sum::<u64>(), 3);
        assert_eq!((d.reference[0], d.reference[2], d.current[1], d.current[9]), (2, 1, 1, 4));
        let f = numbers(&[(0.5, 1)], &[(2.5, 1)]).expect("bins");
        assert!(!f.integer && f.edges.len() == 21 && f.current[19] == 1);
    }

    #[test]
    fn categories_keep_the_nine_most_frequent_and_pool_the_rest() {
        let r: Vec<(String, u64)> = (0..12).map(|i| (format!("c{i:02}"), 100 - i)).collect();
        let c: Vec<(String, u64)> = vec![("c11".into(), 500), ("new".into(), 1)];
        let d = categories(&r, &c);
        assert_eq!(d.categories[0], "c11", "most frequent in both files together");
        assert_eq!((d.categories.len(), d.others), (9, 4));
        assert_eq!(d.reference.len(), 10);
        assert_eq!(d.reference.iter().sum::<u64>(), r.iter().map(|p| p.1).sum::<u64>());
        assert_eq!(d.current.iter().sum::<u64>(), 501);
    }
}
