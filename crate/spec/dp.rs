//! `[dp]`: the differentially private summary — the budget, the unit of privacy and the
//! queries to release. Every parameter here is **public**: it is printed in the summary,
//! so nothing in this section may be derived from the data (keys, bounds and bins are
//! declared by the person who writes the spec).

use super::{ColumnSpec, Prediction};
use crate::error::{Error, Result};
use crate::stats::rational::Rational;
use serde::{Deserialize, Serialize};

mod check;

pub use check::{decimal_rational, validate};

/// Most queries one summary may hold.
pub const MAX_QUERIES: usize = 64;
/// Most declared keys (or bins) one query may have.
pub const MAX_KEYS: usize = 10_000;
/// Largest `max_rows_per_person`.
pub const MAX_ROWS_PER_PERSON: u64 = 1000;

/// `[dp]` as read from TOML or JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDp {
    /// `pure` (ε-DP, discrete Laplace noise; default) or `zcdp` (ρ-zCDP, discrete Gaussian).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// Total ε of the summary (measure `pure`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    /// Total ρ of the summary (measure `zcdp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rho: Option<f64>,
    /// δ: at which the zCDP total is also stated as (ε, δ), and the δ of each category
    /// discovery (partition selection). Default 1e-7.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    /// A column identifying the person a row belongs to (default: one row is one person).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_column: Option<String>,
    /// Most rows kept per person (default 1); extra rows are dropped at random.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_rows_per_person: Option<u64>,
    /// Noisy counts below this are shown as suppressed (post-processing; default 0 = off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_noisy_count: Option<u64>,
    /// 1 − confidence of every stated accuracy and interval (default 0.05).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// Put the SHA-256 of the input in the summary (default false: the hash of a small
    /// file can be brute-forced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_sha256: Option<bool>,
    /// A public description of the dataset, printed in the summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// The releases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<RawDpQuery>,
}

/// `[[dp.queries]]`: one release.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDpQuery {
    /// `count`, `histogram`, `sum`, `mean`, `quantiles`, `categories` or `fairness`.
    pub kind: String,
    /// Share of the budget, relative to the other queries' weights (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// The column (every kind but `count` and `fairness`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Public keys of a `histogram`, or the public groups of `fairness`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
    /// Public lower clamping bound (`sum`, `mean`, `quantiles`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower: Option<f64>,
    /// Public upper clamping bound (`sum`, `mean`, `quantiles`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// Decimal digits kept by the fixed-point sum (`sum`, `mean`; default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
    /// Number of equal-width bins between `lower` and `upper` (`quantiles`; default 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bins: Option<u32>,
    /// Probabilities to estimate (`quantiles`; default 0.25, 0.5, 0.75).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<Vec<f64>>,
    /// The protected attribute (`fairness`; default the first of `[bias]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protected: Option<String>,
    /// The reference group (`fairness`; default the group with the largest noisy size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_group: Option<String>,
}

/// The privacy measure of a summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DpMeasure {
    /// ε-DP with discrete Laplace noise.
    Pure,
    /// ρ-zCDP with discrete Gaussian noise.
    Zcdp,
}

/// A validated query (column indices resolved, bounds in fixed-point units).
// Externally tagged (serde's default): worker states are postcard, which cannot read
// internally tagged enums.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DpQuery {
    /// The number of rows (after contribution bounding).
    Count,
    /// Counts per declared key, plus `(other)` and `(missing)`.
    Histogram {
        /// Column index.
        column: usize,
        /// The declared keys.
        keys: Vec<String>,
    },
    /// A fixed-point sum of clamped values (and, for `mean`, the count of values).
    Sum {
        /// Column index.
        column: usize,
        /// Lower bound in units of 10^-decimals.
        lower_units: i64,
        /// Upper bound in units of 10^-decimals.
        upper_units: i64,
        /// Decimal digits.
        decimals: u32,
        /// Also release the count of values and their mean.
        mean: bool,
    },
    /// Quantiles from a noisy histogram over public equal-width bins.
    Quantiles {
        /// Column index.
        column: usize,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
        /// Number of bins.
        bins: u32,
        /// Probabilities.
        probabilities: Vec<f64>,
    },
    /// Categories not declared in advance, by DP partition selection.
    Categories {
        /// Column index.
        column: usize,
    },
    /// The confusion table of protected group × label × prediction.
    Fairness {
        /// The protected column.
        protected: usize,
        /// Declared groups (plus `(other)` and `(unknown)`).
        groups: Vec<String>,
        /// The label column.
        label: usize,
        /// The positive label.
        positive_label: String,
        /// The prediction.
        prediction: Prediction,
        /// The reference group, if chosen.
        reference_group: Option<String>,
        /// Whether the positive prediction is the favourable outcome.
        positive_is_favourable: bool,
    },
}

impl DpQuery {
    /// The query's kind as written in specs.
    pub fn kind(&self) -> &'static str {
        match self {
            DpQuery::Count => "count",
            DpQuery::Histogram { .. } => "histogram",
            DpQuery::Sum { mean: false, .. } => "sum",
            DpQuery::Sum { mean: true, .. } => "mean",
            DpQuery::Quantiles { .. } => "quantiles",
            DpQuery::Categories { .. } => "categories",
            DpQuery::Fairness { .. } => "fairness",
        }
    }
}

/// A validated `[dp]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DpSpec {
    /// The measure.
    pub measure: DpMeasure,
    /// The total budget (ε or ρ), exact.
    pub budget: Rational,
    /// δ (see [`RawDp::delta`]).
    pub delta: f64,
    /// The person column, if any.
    pub person_column: Option<usize>,
    /// Most rows kept per person.
    pub max_rows_per_person: u64,
    /// Suppression threshold on noisy counts (0 = off).
    pub min_noisy_count: u64,
    /// α of accuracies and intervals.
    pub alpha: f64,
    /// Whether the input's SHA-256 goes into the summary.
    pub include_sha256: bool,
    /// Public dataset description.
    pub dataset: Option<String>,
    /// The queries, with their weights.
    pub queries: Vec<(DpQuery, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_mean_what_was_written() {
        assert_eq!(decimal_rational("e", 0.1).unwrap(), Rational::from_ratio(1, 10).unwrap());
        assert_eq!(decimal_rational("e", 1.0).unwrap(), Rational::from(1));
        assert_eq!(decimal_rational("e", 2.5e-7).unwrap(), Rational::from_ratio(1, 4_000_000).unwrap());
        assert!(decimal_rational("e", 0.0).is_err());
        assert!(decimal_rational("e", f64::NAN).is_err());
    }
}
