//! Drift between a reference file and a current file.
//!
//! ```text
//! reference.csv ─run (DriftSideAcc)─► DriftSide ─┐
//!                                                 ├─ compare ─► DriftReport ─► report.drift
//! current.csv ───run (DriftSideAcc)─► DriftSide ─┘
//! ```
//!
//! Both files are read by the same mergeable accumulator ([`side::DriftSideAcc`]), each in
//! its own run (any split, any merge order); [`compare()`] then applies Evidently's
//! defaults per column (DEFINITIONS §4.2):
//!
//! - up to 1,000 reference values: numeric with more than 5 distinct values (both files
//!   together) → two-sample KS p-value (drift if p ≤ 0.05); otherwise χ² goodness of fit
//!   (drift if p < 0.05) when there are more than 2 distinct values, else the
//!   two-proportion z-test (p < 0.05);
//! - above 1,000: numeric with more than 5 distinct values → W₁/max(std_ref, 0.001)
//!   (ddof = 0; drift if ≥ 0.1); otherwise the Jensen–Shannon distance (natural log, no
//!   smoothing; drift if ≥ 0.1);
//! - dataset drift when at least 50 % of the counted columns drift. Date and datetime
//!   columns, and columns the reference file's profile flags identifier-like
//!   ([`crate::quality::flags::identifier_like`]), are compared but **not counted** (unlike
//!   Evidently); identifier and free-text columns are not compared; all are listed with
//!   the reason.
//!
//! PSI is added for every column on 10 bins at the reference deciles (numbers; probabilities
//! i/10, numpy linear, duplicate edges merged, a value on an edge in the lower bin) or per
//! category, with empty-bin shares floored at 10⁻⁴; bands < 0.1 stable, 0.1–0.25 moderate,
//! ≥ 0.25 significant. (Evidently's own PSI uses Sturges bins over both files instead.)

pub mod compare;
pub mod ks;
pub mod side;
pub mod stats;
pub mod view;

pub use compare::{compare, ColumnDrift, DriftMethod};
use serde::{Deserialize, Serialize};
pub use side::DriftSide;

/// PSI band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PsiBand {
    /// PSI < 0.1.
    Stable,
    /// 0.1 ≤ PSI < 0.25.
    Moderate,
    /// PSI ≥ 0.25.
    Significant,
}

/// Every statistic computed for a column (those that apply to its kind).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RawStats {
    /// KS statistic D (scipy `ks_2samp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks_statistic: Option<f64>,
    /// KS two-sided p-value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks_p_value: Option<f64>,
    /// Whether the KS p-value is exact (max(n) ≤ 10,000) or asymptotic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks_exact_p: Option<bool>,
    /// W₁ between the two distributions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wasserstein: Option<f64>,
    /// Reference standard deviation (ddof = 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_std: Option<f64>,
    /// W₁ / max(std_ref, 0.001).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wasserstein_normed: Option<f64>,
    /// χ² statistic (infinite, written null, when a category is absent from the reference).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi_square: Option<f64>,
    /// χ² p-value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi_square_p_value: Option<f64>,
    /// z statistic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
    /// z-test p-value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z_p_value: Option<f64>,
    /// Jensen–Shannon distance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jensen_shannon: Option<f64>,
    /// Number of PSI bins (after merging duplicate deciles) or categories.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi_bins: Option<u64>,
}

/// A column left out of the comparison or of the dataset share, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// Column name.
    pub column: String,
    /// Why.
    pub reason: String,
}

/// The drift section of a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    /// Rows of the reference file.
    pub reference_rows: u64,
    /// Rows of the current file.
    pub current_rows: u64,
    /// Compared columns.
    pub columns: Vec<ColumnDrift>,
    /// Columns counted in the dataset share.
    pub counted: u64,
    /// Counted columns that drifted.
    pub drifted: u64,
    /// drifted / counted (`None` when nothing is counted).
    pub share: Option<f64>,
    /// The share at which the dataset drifts (0.5).
    pub share_threshold: f64,
    /// share ≥ share_threshold.
    pub dataset_drift: bool,
    /// Columns not compared or not counted, with the reason.
    pub excluded: Vec<Excluded>,
    /// Things the reader should know.
    pub notes: Vec<String>,
}
