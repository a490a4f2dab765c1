//! The shareable DP summary (`privaudit.dp-summary/1`): releases, the public parameters
//! behind them, and what the summary does and does not reveal.
//!
//! Every number in it is either a public parameter from `[dp]` or a post-processing of
//! noisy values (clamping at 0, sums of noisy cells, ratios, suppression of small *noisy*
//! counts, intervals by interval arithmetic). Nothing exact about the data is in it: not
//! the row count, not a minimum or maximum, not a category seen only in the data (except
//! those that pass DP partition selection), not the file's SHA-256 unless opted in.

use serde::{Deserialize, Serialize};

use crate::dp::accounting::{LedgerEntry, PrivacyLoss};
use crate::dp::query::{Component, MeanAccuracy};
use crate::spec::DpMeasure;

/// The schema name of the summary.
pub const DP_SCHEMA: &str = "privaudit.dp-summary/1";

/// The DP summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DpSummary {
    /// Always [`DP_SCHEMA`].
    pub schema: String,
    /// Tool name and version.
    pub tool: String,
    /// When the summary was released (ISO 8601), if known.
    pub created_at: Option<String>,
    /// 128 bits from the CSPRNG, drawn after the noise, as 32 hex digits: two releases with
    /// the same numbers in the same second stay two documents (and two ledger entries),
    /// while importing one summary twice is still recognised. Absent in summaries written
    /// before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_id: Option<String>,
    /// The public description of the dataset.
    pub dataset: DatasetBlock,
    /// The privacy guarantee and its parameters.
    pub privacy: PrivacyBlock,
    /// Warnings about the guarantee (ε above [`crate::dp::warning::WEAK_EPSILON`]), the
    /// same the page showed before the release.
    pub warnings: Vec<String>,
    /// The releases, in the order of `[[dp.queries]]`.
    pub releases: Vec<Release>,
    /// Plain language: what this summary reveals.
    pub reveals: Vec<String>,
    /// Plain language: what it does not reveal.
    pub does_not_reveal: Vec<String>,
    /// Conventions every reader should know.
    pub notes: Vec<String>,
}

/// What the summary says about the dataset (only public, declared things).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetBlock {
    /// `dp.dataset`, as written.
    pub description: Option<String>,
    /// SHA-256 of the input, only with `dp.include_sha256 = true`.
    pub sha256: Option<String>,
    /// The columns the queries use.
    pub columns_used: Vec<String>,
}

/// The guarantee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyBlock {
    /// `pure` or `zcdp`.
    pub measure: DpMeasure,
    /// The neighbouring relation, in words.
    pub unit: String,
    /// The person column, if any.
    pub person_column: Option<String>,
    /// Most rows kept per person (c).
    pub max_rows_per_person: u64,
    /// The total budget.
    pub total: PrivacyLoss,
    /// The whole summary as (ε, δ)-DP.
    pub epsilon: f64,
    /// See `epsilon`.
    pub delta: f64,
    /// α of every accuracy and interval.
    pub alpha: f64,
    /// Noisy counts below this are suppressed (0 = off).
    pub min_noisy_count: u64,
    /// The ledger: every release and its charge.
    pub ledger: Vec<LedgerEntry>,
}

/// One release.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// Position in `[[dp.queries]]`.
    pub index: usize,
    /// `count`, `histogram`, …
    pub kind: String,
    /// Human label.
    pub label: String,
    /// The query's public parameters.
    pub parameters: Parameters,
    /// Its share of the budget.
    pub loss: PrivacyLoss,
    /// Its noisy parts: mechanism, sensitivity, scale, accuracy.
    pub components: Vec<Component>,
    /// The released values.
    pub result: ReleaseResult,
}

/// The public parameters of a query (column names, declared keys, bounds).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// The column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Declared keys or groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
    /// Public clamping bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<[f64; 2]>,
    /// Fixed-point decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
    /// Number of bins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bins: Option<u32>,
    /// Probabilities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<Vec<f64>>,
    /// Label column and positive label (fairness).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Prediction, in words (fairness).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prediction: Option<String>,
}

/// A noisy count and what may be said about the exact one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoisyCount {
    /// Key, bin or group the count belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The noisy integer as released (may be negative); `None` when suppressed, so that a
    /// suppressed cell shows nothing at all. (64-bit in the summary: serde cannot read
    /// 128-bit integers back inside the tagged result; a count beyond 2⁶³ is saturated.)
    pub noisy: Option<i64>,
    /// `max(noisy, 0)`; `None` when suppressed.
    pub estimate: Option<u64>,
    /// The exact count is in `[lower, upper]` with probability ≥ 1 − α.
    pub interval: Option<[u64; 2]>,
    /// The noisy count is below `dp.min_noisy_count`.
    pub suppressed: bool,
}

/// A derived number (rate, mean, quantile, ratio) with its noise-aware interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Point estimate from the noisy values (`None`: undefined, e.g. 0/0).
    pub value: Option<f64>,
    /// Lower end of the interval (`None`: unbounded or undefined).
    pub lower: Option<f64>,
    /// Upper end of the interval (`None`: unbounded or undefined).
    pub upper: Option<f64>,
}

/// A quantile estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantileEstimate {
    /// Probability p.
    pub probability: f64,
    /// The estimate and its interval.
    pub estimate: Estimate,
}

/// Per-group fairness metrics from the noisy table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRates {
    /// The group.
    pub group: String,
    /// Noisy group size (sum of its four cells).
    pub n: NoisyCount,
    /// Suppressed: the group's noisy size is below the minimum.
    pub suppressed: bool,
    /// Share of positive predictions.
    pub selection_rate: Estimate,
    /// Share of positive labels.
    pub base_rate: Estimate,
    /// TP / (TP + FN).
    pub true_positive_rate: Estimate,
    /// FP / (FP + TN).
    pub false_positive_rate: Estimate,
}

/// A group compared with the reference group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disparity {
    /// The group.
    pub group: String,
    /// `selection_rate`, `true_positive_rate`, …
    pub metric: String,
    /// group − reference.
    pub difference: Estimate,
    /// group / reference.
    pub ratio: Estimate,
}

/// The four-fifths rule (EEOC, UGESP 29 CFR §1607.4(D)) for one declared group: its rate
/// of the *favourable* decision ÷ the highest such rate among the declared groups, with
/// an interval that holds for all groups at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FourFifths {
    /// The group.
    pub group: String,
    /// The share of the group given the favourable decision: the selection rate when the
    /// positive prediction is favourable, else 1 − it.
    pub favourable_rate: Estimate,
    /// favourable rate ÷ the highest group's favourable rate (the LL144 impact ratio).
    pub impact_ratio: Estimate,
    /// `below` (the whole interval is under 0.8: adverse impact), `not_below` (the whole
    /// interval is at or above 0.8) or `inconclusive` (the interval straddles 0.8).
    pub verdict: String,
}

/// fairlearn's between-groups summary of one rate over the declared groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BetweenGroups {
    /// `selection_rate` (demographic parity), `true_positive_rate` (equal opportunity),
    /// `false_positive_rate`, or `equalized_odds` (the larger of the TPR and FPR gaps).
    pub metric: String,
    /// max − min over the groups.
    pub difference: Estimate,
    /// min / max over the groups (not for `equalized_odds`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Estimate>,
    /// The groups compared (declared, not suppressed, rate defined).
    pub groups: Vec<String>,
}

/// The released values of one query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReleaseResult {
    /// A count.
    Count {
        /// The count.
        count: NoisyCount,
    },
    /// Counts per key (`(other)`, `(missing)` included).
    Histogram {
        /// The cells.
        cells: Vec<NoisyCount>,
    },
    /// A sum (in the column's units).
    Sum {
        /// The sum and its interval.
        sum: Estimate,
    },
    /// A mean of clamped values.
    Mean {
        /// The sum.
        sum: Estimate,
        /// The number of values.
        count: NoisyCount,
        /// sum / count, clamped to the bounds, with the interval over both.
        mean: Estimate,
        /// The mean's accuracy as ± on the mean: the larger distance from the estimate to
        /// an end of its interval (`None` when the count may be 0 and only the public
        /// bounds can be said).
        plus_minus: Option<f64>,
        /// How the interval was derived: the sum's and the count's half-widths at α/2.
        accuracy: MeanAccuracy,
    },
    /// Quantiles from the noisy bins.
    Quantiles {
        /// The bins (`key` is `[lower, upper)`).
        bins: Vec<NoisyCount>,
        /// The estimates.
        estimates: Vec<QuantileEstimate>,
    },
    /// Values kept by partition selection.
    Categories {
        /// τ: kept when the noisy distinct-person count is ≥ τ.
        threshold: u64,
        /// The kept values, by noisy count (descending).
        kept: Vec<NoisyCount>,
    },
    /// The DP fairness summary.
    Fairness {
        /// The reference group and how it was chosen.
        reference: Option<String>,
        /// How the reference was chosen.
        reference_rule: String,
        /// The noisy confusion table: per group, cells TN, FP, FN, TP.
        table: Vec<[NoisyCount; 4]>,
        /// Per-group rates.
        groups: Vec<GroupRates>,
        /// Each group against the reference.
        disparities: Vec<Disparity>,
        /// Whether the positive prediction is the favourable decision (the four-fifths
        /// rule is about the favourable one).
        positive_is_favourable: bool,
        /// The four-fifths rule per declared group (not suppressed, rate defined).
        four_fifths: Vec<FourFifths>,
        /// fairlearn-style max − min and min / max across the declared groups, with
        /// intervals that hold for all groups at once.
        between_groups: Vec<BetweenGroups>,
    },
}

impl DpSummary {
    /// The summary as JSON. (Its HTML is rendered by `report::html_dp::render`:
    /// `dp` computes, `report` renders.)
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
