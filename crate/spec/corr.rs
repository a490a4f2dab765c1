//! `[correlations]` and `[representativeness.<column>]`: options of the correlation matrix
//! and the reference shares of a protected column, validated with messages naming the field.

use super::{ColumnSpec, Role};
use crate::error::{Error, Result};
use crate::ingest::value::ColumnType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Correlations run by default only when the file has at most this many eligible columns.
pub const AUTO_MAX_COLUMNS: usize = 10;

/// `[correlations]`: the correlation matrix between columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawCorrelations {
    /// On, off, or (unset) on when there are at most 10 eligible columns (`AUTO_MAX_COLUMNS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Numeric columns kept (the first ones in file order; default 40).
    pub max_numeric_columns: usize,
    /// Categorical and boolean columns kept (the first ones in file order; default 40).
    pub max_categorical_columns: usize,
    /// A categorical column with more distinct values is left out of Cramér's V and η.
    pub max_levels: usize,
    /// Rows kept for Spearman's ρ: exact when the file has no more rows, else computed on
    /// the rows with the smallest row hashes (a deterministic sample).
    pub spearman_rows: usize,
}

impl Default for RawCorrelations {
    fn default() -> Self {
        RawCorrelations {
            enabled: None,
            max_numeric_columns: 40,
            max_categorical_columns: 40,
            max_levels: 50,
            spearman_rows: 20_000,
        }
    }
}

/// The validated correlation settings: which columns, in which role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrSpec {
    /// Numeric columns (indices, file order).
    pub numeric: Vec<usize>,
    /// Categorical and boolean columns (indices, file order).
    pub categorical: Vec<usize>,
    /// Names of the numeric columns.
    pub numeric_names: Vec<String>,
    /// Names of the categorical columns.
    pub categorical_names: Vec<String>,
    /// Eligible columns left out by the caps (name, reason).
    pub left_out: Vec<(String, String)>,
    /// Level cap of categorical columns.
    pub max_levels: usize,
    /// Spearman's row budget.
    pub spearman_rows: usize,
}

/// The numeric and the categorical columns correlations would consider (before the caps).
fn eligible(columns: &[ColumnSpec]) -> (Vec<usize>, Vec<usize>) {
    let usable = |c: &ColumnSpec| !matches!(c.role, Role::Identifier | Role::Ignore);
    let numeric: Vec<usize> = (0..columns.len())
        .filter(|&i| usable(&columns[i]) && matches!(columns[i].ty, ColumnType::Integer | ColumnType::Float))
        .collect();
    let categorical: Vec<usize> = (0..columns.len())
        .filter(|&i| usable(&columns[i]) && matches!(columns[i].ty, ColumnType::Categorical | ColumnType::Boolean))
        .collect();
    (numeric, categorical)
}

/// Why the correlations are off when the default rule (more than `AUTO_MAX_COLUMNS`
/// eligible columns) switched them off, for a report notice; `None` when they are on or
/// were switched off explicitly.
pub fn auto_off_notice(raw: &RawCorrelations, columns: &[ColumnSpec]) -> Option<String> {
    let (n, c) = eligible(columns);
    (raw.enabled.is_none() && n.len() + c.len() > AUTO_MAX_COLUMNS).then(|| {
        format!(
            "correlations not computed: {} numeric and categorical columns, and by default they run only for at most {AUTO_MAX_COLUMNS} (on wide files they cost about as much as the rest of the profile); set correlations.enabled = true to compute them",
            n.len() + c.len()
        )
    })
}

/// The columns correlations consider: not identifier or ignored, numeric or categorical
/// (free text, identifiers and dates are never correlated). None when switched off.
pub fn validate_correlations(raw: &RawCorrelations, columns: &[ColumnSpec]) -> Result<Option<CorrSpec>> {
    if !(2..=200).contains(&raw.max_levels) {
        return Err(Error::spec(
            "correlations.max_levels",
            format!("must be between 2 and 200, got {}", raw.max_levels),
        ));
    }
    if !(10..=1_000_000).contains(&raw.spearman_rows) {
        return Err(Error::spec(
            "correlations.spearman_rows",
            format!("must be between 10 and 1,000,000 (rows kept in memory), got {}", raw.spearman_rows),
        ));
    }
    if raw.max_numeric_columns > 200 || raw.max_categorical_columns > 200 {
        return Err(Error::spec("correlations", "max_numeric_columns and max_categorical_columns are at most 200"));
    }
    let (numeric, categorical) = eligible(columns);
    let on = raw.enabled.unwrap_or(numeric.len() + categorical.len() <= AUTO_MAX_COLUMNS);
    if !on {
        return Ok(None);
    }
    let mut left_out = Vec::new();
    let mut cap = |v: Vec<usize>, max: usize, what: &str| {
        for &i in v.iter().skip(max) {
            left_out.push((
                columns[i].name.clone(),
                format!("more than {max} {what} columns (correlations.max_{what}_columns)"),
            ));
        }
        v.into_iter().take(max).collect::<Vec<_>>()
    };
    let numeric = cap(numeric, raw.max_numeric_columns, "numeric");
    let categorical = cap(categorical, raw.max_categorical_columns, "categorical");
    let names = |v: &[usize]| v.iter().map(|&i| columns[i].name.clone()).collect();
    Ok(Some(CorrSpec {
        numeric_names: names(&numeric),
        categorical_names: names(&categorical),
        numeric,
        categorical,
        left_out,
        max_levels: raw.max_levels,
        spearman_rows: raw.spearman_rows,
    }))
}

/// `[representativeness.<column>]`: value → expected share in the population.
pub type RawRepresentativeness = BTreeMap<String, BTreeMap<String, f64>>;

/// Reference shares of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepresentativenessSpec {
    /// The column.
    pub column: usize,
    /// Value → expected share, in value order.
    pub shares: Vec<(String, f64)>,
    /// 1 − Σ shares when the shares leave a remainder (the expected share of every value
    /// not listed, pooled as `(other)`); None when they sum to 1.
    pub other: Option<f64>,
}

/// Tolerance on Σ shares = 1.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// Validates the reference shares.
pub fn validate_representativeness(
    raw: &RawRepresentativeness,
    columns: &[ColumnSpec],
) -> Result<Vec<RepresentativenessSpec>> {
    raw.iter()
        .map(|(name, shares)| {
            let field = format!("representativeness.{name}");
            let column = columns
                .iter()
                .position(|c| &c.name == name)
                .ok_or_else(|| Error::spec(field.clone(), "no such column"))?;
            let c = &columns[column];
            if matches!(c.role, Role::Ignore | Role::Identifier)
                || !matches!(c.ty, ColumnType::Categorical | ColumnType::Boolean | ColumnType::Integer)
            {
                return Err(Error::spec(
                    field,
                    "reference shares need a categorical, boolean or integer column that is not ignored or an identifier",
                ));
            }
            if shares.is_empty() {
                return Err(Error::spec(field, "no values: list each value with its expected share"));
            }
            for (v, &s) in shares {
                if !(0.0..=1.0).contains(&s) {
                    return Err(Error::spec(format!("{field}.{v}"), format!("a share is between 0 and 1, got {s}")));
                }
            }
            let sum: f64 = shares.values().sum();
            if sum > 1.0 + SHARE_SUM_TOLERANCE {
                return Err(Error::spec(field, format!("the shares sum to {sum}, more than 1")));
            }
            let other = (sum < 1.0 - SHARE_SUM_TOLERANCE).then_some(1.0 - sum);
            Ok(RepresentativenessSpec { column, shares: shares.iter().map(|(k, &v)| (k.clone(), v)).collect(), other })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::value::DateOrder;

    fn col(name: &str, ty: ColumnType, role: Role) -> ColumnSpec {
        ColumnSpec { name: name.into(), ty, role, date_order: DateOrder::Ymd }
    }

    #[test]
    fn shares_are_checked_and_named() {
        let cols =
            vec![col("race", ColumnType::Categorical, Role::Protected), col("x", ColumnType::Float, Role::Feature)];
        let mut raw = RawRepresentativeness::new();
        raw.insert("race".into(), [("a".to_string(), 0.5), ("b".to_string(), 0.3)].into());
        let v = validate_representativeness(&raw, &cols).unwrap();
        assert!((v[0].other.unwrap() - 0.2).abs() < 1e-12);
        raw.insert("race".into(), [("a".to_string(), 0.9), ("b".to_string(), 0.3)].into());
        assert!(validate_representativeness(&raw, &cols).unwrap_err().to_string().contains("more than 1"));
        raw.insert("race".into(), [("a".to_string(), -0.1)].into());
        assert!(validate_representativeness(&raw, &cols)
            .unwrap_err()
            .to_string()
            .contains("representativeness.race.a"));
        let mut raw = RawRepresentativeness::new();
        raw.insert("nope".into(), [("a".to_string(), 1.0)].into());
        assert!(validate_representativeness(&raw, &cols).unwrap_err().to_string().contains("no such column"));
        let mut raw = RawRepresentativeness::new();
        raw.insert("x".into(), [("a".to_string(), 1.0)].into());
        assert!(validate_representativeness(&raw, &cols).is_err());
    }

    #[test]
    fn correlation_columns_and_caps() {
        let cols = vec![
            col("id", ColumnType::Integer, Role::Identifier),
            col("a", ColumnType::Float, Role::Feature),
            col("b", ColumnType::Integer, Role::Label),
            col("c", ColumnType::Categorical, Role::Protected),
            col("t", ColumnType::Text, Role::Feature),
        ];
        let raw = RawCorrelations { max_numeric_columns: 1, ..Default::default() };
        let s = validate_correlations(&raw, &cols).unwrap().unwrap();
        assert_eq!((s.numeric.clone(), s.categorical.clone()), (vec![1], vec![3]));
        assert_eq!(s.left_out.len(), 1);
        let off = RawCorrelations { enabled: Some(false), ..Default::default() };
        assert!(validate_correlations(&off, &cols).unwrap().is_none());
        let bad = RawCorrelations { max_levels: 1, ..Default::default() };
        assert!(validate_correlations(&bad, &cols).unwrap_err().to_string().contains("correlations.max_levels"));
    }
}
