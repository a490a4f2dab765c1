//! Representativeness: observed group shares of a protected column against reference
//! shares from the spec (`[representativeness.<column>]`), with Pearson's χ² goodness of
//! fit as scipy `chisquare(f_obs, f_exp)`: f_exp = expected share × rows with a known value,
//! df = categories − 1, p = Q(df/2, χ²/2) (regularised upper incomplete gamma).
//!
//! Rows whose value is missing are counted and left out. When the shares sum to less than
//! 1, the remainder is the expected share of every value not listed, pooled as `(other)`;
//! when they sum to 1, an observed value the spec does not list is an error of the spec,
//! named in the section (no test is computed).

use super::group_quality::AttributeQuality;
use crate::spec::RepresentativenessSpec;
use serde::{Deserialize, Serialize};

/// The label of the pooled remainder.
pub const OTHER: &str = "(other)";

/// One category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepGroup {
    /// The value, or `(other)`.
    pub group: String,
    /// Rows observed.
    pub observed: u64,
    /// observed / rows used.
    pub observed_share: f64,
    /// The reference share.
    pub expected_share: f64,
    /// expected share × rows used.
    pub expected: f64,
    /// observed share ÷ expected share (below 1: under-represented).
    pub ratio: f64,
}

/// Pearson's χ² goodness of fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChiSquare {
    /// Σ (observed − expected)² / expected.
    pub statistic: f64,
    /// Categories − 1.
    pub df: u64,
    /// Upper tail probability.
    pub p_value: f64,
}

/// One column with reference shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepresentativenessReport {
    /// The column.
    pub attribute: String,
    /// Rows with a known value.
    pub rows_used: u64,
    /// Rows whose value is missing or unparseable (left out).
    pub unknown_rows: u64,
    /// Categories in spec order (value order), `(other)` last.
    pub groups: Vec<RepGroup>,
    /// The test (None when there is an error or fewer than two categories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chi_square: Option<ChiSquare>,
    /// Why there is no result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// χ² statistic and p-value of observed counts against expected counts (scipy
/// `chisquare`); None with fewer than two categories.
pub fn chi_square(observed: &[u64], expected: &[f64]) -> Option<ChiSquare> {
    if observed.len() < 2 {
        return None;
    }
    let statistic: f64 = observed
        .iter()
        .zip(expected)
        .map(|(&o, &e)| {
            let d = o as f64 - e;
            d * d / e
        })
        .sum();
    let df = observed.len() as u64 - 1;
    let p_value =
        if statistic.is_finite() { crate::stats::special::gamma_q(df as f64 / 2.0, statistic / 2.0) } else { 0.0 };
    Some(ChiSquare { statistic, df, p_value })
}

/// The section of one column, from its groups.
pub fn build(spec: &RepresentativenessSpec, attr: &AttributeQuality) -> RepresentativenessReport {
    let unknown_rows = attr.groups.iter().filter(|g| g.unknown).map(|g| g.rows).sum();
    let known: Vec<(&str, u64)> =
        attr.groups.iter().filter(|g| !g.unknown).map(|g| (g.group.as_str(), g.rows)).collect();
    let rows_used: u64 = known.iter().map(|k| k.1).sum();
    let mut out = RepresentativenessReport {
        attribute: attr.attribute.clone(),
        rows_used,
        unknown_rows,
        groups: Vec::new(),
        chi_square: None,
        error: attr.note.clone(),
    };
    if out.error.is_some() {
        return out;
    }
    let listed = |v: &str| spec.shares.iter().any(|(k, _)| k == v);
    let unlisted: Vec<&str> = known.iter().filter(|k| !listed(k.0)).map(|k| k.0).collect();
    if spec.other.is_none() && !unlisted.is_empty() {
        let shown: Vec<String> = unlisted.iter().take(10).map(|v| format!("`{v}`")).collect();
        out.error = Some(format!(
            "representativeness.{}: the data has values the spec does not list: {}{}; list them, or leave a remainder (shares summing to less than 1) for (other)",
            attr.attribute,
            shown.join(", "),
            if unlisted.len() > 10 { format!(" and {} more", unlisted.len() - 10) } else { String::new() }
        ));
        return out;
    }
    let count = |v: &str| known.iter().find(|k| k.0 == v).map_or(0, |k| k.1);
    let mut cats: Vec<(String, u64, f64)> = spec.shares.iter().map(|(v, s)| (v.clone(), count(v), *s)).collect();
    if let Some(o) = spec.other {
        cats.push((OTHER.into(), unlisted.iter().map(|v| count(v)).sum(), o));
    }
    if rows_used == 0 {
        out.error = Some("no row has a known value".into());
        return out;
    }
    let n = rows_used as f64;
    out.groups = cats
        .iter()
        .map(|(g, o, s)| RepGroup {
            group: g.clone(),
            observed: *o,
            observed_share: *o as f64 / n,
            expected_share: *s,
            expected: s * n,
            ratio: (*o as f64 / n) / s,
        })
        .collect();
    let obs: Vec<u64> = out.groups.iter().map(|g| g.observed).collect();
    let exp: Vec<f64> = out.groups.iter().map(|g| g.expected).collect();
    out.chi_square = chi_square(&obs, &exp);
    out
}

/// Every column of the spec with reference shares.
pub fn for_spec(
    spec: &crate::spec::ValidSpec,
    groups: Option<&super::group_quality::GroupQualityReport>,
) -> Vec<RepresentativenessReport> {
    let Some(g) = groups else { return Vec::new() };
    spec.representativeness
        .iter()
        .filter_map(|r| {
            let name = &spec.columns.get(r.column)?.name;
            g.attributes.iter().find(|a| &a.attribute == name).map(|a| build(r, a))
        })
        .collect()
}

/// `representation_ratio`: one outcome per (column, group) of every column with reference
/// shares and no error: the group's observed share ÷ its reference share.
pub fn ratio_outcomes(
    raw: &super::checks::RawChecks,
    reports: &[RepresentativenessReport],
) -> Vec<super::checks::CheckOutcome> {
    let mut out = Vec::new();
    for r in reports.iter().filter(|r| r.error.is_none()) {
        for g in &r.groups {
            let counts = (g.observed, r.rows_used);
            if let Some(mut o) =
                super::checks::evaluate(raw, "representation_ratio", Some(&r.attribute), Some(g.ratio), counts)
            {
                o.group = Some(g.group.clone());
                o.note = Some(format!(
                    "observed share {:.4} ({} of {} rows), reference share {:.4}",
                    g.observed_share, g.observed, r.rows_used, g.expected_share
                ));
                out.push(o);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_matches_scipy() {
        // scipy.stats.chisquare([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8])
        // → statistic 3.5, pvalue 0.6233876277495822
        let c = chi_square(&[16, 18, 16, 14, 12, 12], &[16.0, 16.0, 16.0, 16.0, 16.0, 8.0]).unwrap();
        assert!((c.statistic - 3.5).abs() < 1e-12);
        assert_eq!(c.df, 5);
        assert!((c.p_value - 0.6233876277495822).abs() < 1e-12, "{}", c.p_value);
    }
}
