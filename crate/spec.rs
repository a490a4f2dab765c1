//! The audit specification: one declarative description of an audit, shared by every
//! front end (TOML for people and the CLI, JSON in the browser).
//!
//! Two stages (validate once, at the edge):
//! 1. [`RawSpec`] is what serde reads. Every field is optional; unknown keys are errors
//!    that name the key.
//! 2. [`resolve`] fills the gaps from a sample of the file (encoding, dialect, column names
//!    and types: see [`crate::ingest::sniff`]) and returns a *resolved* `RawSpec`, which
//!    [`ValidSpec::try_from_resolved`] turns into the validated form every worker uses. The
//!    fingerprint of the resolved spec is stamped on every serialised state, so states
//!    made with different settings can never be merged.

use crate::error::{Error, Result};
use crate::ingest::dialect::{Dialect, LineEnding};
use crate::ingest::encoding::Encoding;
use crate::ingest::value::{ColumnType, DateOrder, MissingTokens, NumberFormat, DEFAULT_MISSING};
use serde::{Deserialize, Serialize};

mod bias;
mod corr;
pub mod dataset;
mod dp;
pub mod privacy;
pub mod suggest;
mod valid;
pub use bias::{BiasSpec, Prediction, ProxyKind, ProxySpec, RawBias};
pub use corr::{auto_off_notice, CorrSpec, RawCorrelations, RawRepresentativeness, RepresentativenessSpec};
pub use dp::{decimal_rational, validate as validate_dp, DpMeasure, DpQuery, DpSpec, RawDp, RawDpQuery};
pub use suggest::Suggestion;
pub use valid::{number_format, one_char_pub, ColumnSpec, ValidSpec, DEFAULT_MAX_FIELD_BYTES};

/// What a run computes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The audit report (profile, quality, bias): exact statistics for the data owner.
    #[default]
    Audit,
    /// Only the exact tables behind the `[dp]` queries, released with noise at the end.
    Dp,
}

/// What a column is for in the audit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An ordinary column (profiled).
    #[default]
    Feature,
    /// A row identifier (profiled without showing values).
    Identifier,
    /// A protected attribute (sex, race, age group…).
    Protected,
    /// The true outcome.
    Label,
    /// The model's decision.
    Prediction,
    /// The model's score.
    Score,
    /// A row weight.
    Weight,
    /// Not analysed at all.
    Ignore,
}

impl Role {
    /// Every role, in the order shown to users.
    pub const ALL: [Role; 8] = [
        Role::Feature,
        Role::Identifier,
        Role::Protected,
        Role::Label,
        Role::Prediction,
        Role::Score,
        Role::Weight,
        Role::Ignore,
    ];
    /// The name used in specs.
    pub fn name(self) -> &'static str {
        match self {
            Role::Feature => "feature",
            Role::Identifier => "identifier",
            Role::Protected => "protected",
            Role::Label => "label",
            Role::Prediction => "prediction",
            Role::Score => "score",
            Role::Weight => "weight",
            Role::Ignore => "ignore",
        }
    }
}

/// `[input]`: how to read the file. Unset fields are sniffed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawInput {
    /// Field delimiter: one ASCII character, or `tab`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Quote character: one ASCII character.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Whether the first row is a header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<bool>,
    /// `utf-8`, `windows-1252` (`latin-1`), `utf-16le`, `utf-16be`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Tokens read as missing (trimmed, case-insensitive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_tokens: Option<Vec<String>>,
    /// Decimal separator: `.` or `,`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimal: Option<String>,
    /// Thousands separator (empty for none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thousands: Option<String>,
    /// Field order for ambiguous day/month dates: `dmy` or `mdy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
    /// Longest field accepted, in bytes (default 16 MiB).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_field_bytes: Option<u64>,
}

/// `[[columns]]`: one column's type and role. Columns not listed are inferred.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    /// The column name as in the header (after de-duplication: `name.1`, `name.2`).
    pub name: String,
    /// Type override.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<ColumnType>,
    /// Role (default `feature`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Field order of a date column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
    /// A boolean column's own spelling of true (`yes`, `Y`, `1` …): the name of its
    /// true group in the bias audit and quality by group. Resolution fills it from the
    /// sample (the most frequent spelling) unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub true_value: Option<String>,
    /// A boolean column's own spelling of false; see `true_value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_value: Option<String>,
}

/// `[profile]`: options of the column profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawProfile {
    /// How many top values to show per categorical column.
    pub top_k: usize,
    /// Memory budget of exact quantiles: values kept per numeric column in the main pass.
    /// Columns with more values get extra passes (same results, bounded memory).
    pub quantile_values_in_memory: u64,
    /// Exact quantiles for columns with more values than that, by reading the file again
    /// (one or two extra passes), then their exact MAD (typically two or three more) and one
    /// pass for histograms, outlier counts and the median's occurrences. Off: such columns
    /// get estimated quantiles and none of the rest.
    pub quantile_passes: bool,
    /// The date future dates are compared with (`YYYY-MM-DD`); unset: the run's start
    /// date, supplied by the front end (see [`crate::quality::text`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Show raw values of columns flagged identifier-like or high-cardinality (hidden by
    /// default, see [`crate::quality::flags`]). Declared identifiers stay hidden.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub show_sensitive_values: bool,
}

impl Default for RawProfile {
    fn default() -> Self {
        RawProfile {
            top_k: 10,
            quantile_values_in_memory: crate::sketch::quantile::FIRST_PASS_CAP,
            quantile_passes: false,
            as_of: None,
            show_sensitive_values: false,
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The spec as read from TOML or JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawSpec {
    /// How to read the file.
    #[serde(skip_serializing_if = "is_default")]
    pub input: RawInput,
    /// Column types and roles.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<RawColumn>,
    /// Profile options.
    #[serde(skip_serializing_if = "is_default")]
    pub profile: RawProfile,
    /// Gate thresholds (see [`crate::quality::checks`]).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub checks: crate::quality::checks::RawChecks,
    /// The bias audit (see [`crate::fairness`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias: Option<RawBias>,
    /// The differentially private summary (see [`crate::dp`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dp: Option<RawDp>,
    /// What a run computes (set by the front end: `privaudit dp`, the browser's DP tab).
    #[serde(skip_serializing_if = "is_default")]
    pub mode: Mode,
    /// Keep the per-column distributions for a drift comparison (see [`crate::drift`]); set
    /// by the front end for both files of `audit --reference`.
    #[serde(skip_serializing_if = "is_default")]
    pub drift: bool,
    /// Dataset-level checks (see [`crate::quality::dataset`]).
    #[serde(skip_serializing_if = "is_default")]
    pub dataset: dataset::RawDataset,
    /// The correlation matrix (see [`crate::quality::correlation`]).
    #[serde(skip_serializing_if = "is_default")]
    pub correlations: RawCorrelations,
    /// Reference shares of protected columns (see [`crate::quality::representativeness`]).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub representativeness: RawRepresentativeness,
    /// Privacy risk: personal-data detection and re-identification over quasi-identifiers
    /// (see [`crate::privacy`]).
    #[serde(skip_serializing_if = "is_default")]
    pub privacy: privacy::RawPrivacy,
}

impl RawSpec {
    /// Reads a spec from TOML text.
    pub fn from_toml(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::spec("(file)", e.to_string().trim().replace('\n', " ")))
    }
    /// Reads a spec from JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| Error::spec("(json)", e.to_string()))
    }
    /// Writes the spec as TOML.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::spec("(file)", e.to_string()))
    }
    /// Writes the spec as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The default missing tokens as owned strings.
pub fn default_missing_tokens() -> Vec<String> {
    DEFAULT_MISSING.iter().map(|s| s.to_string()).collect()
}

pub use crate::ingest::sniff::resolve;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let e = RawSpec::from_toml("[input]\ndelimeter = \";\"\n").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("delimeter"), "{s}");
        assert!(s.contains("delimiter"), "expected list of valid keys: {s}");
    }

    #[test]
    fn toml_and_json_roundtrip() {
        let spec = RawSpec::from_toml(
            "[input]\ndelimiter = \"tab\"\n[[columns]]\nname = \"age\"\ntype = \"integer\"\nrole = \"protected\"\n",
        )
        .unwrap();
        assert_eq!(spec.columns[0].role, Some(Role::Protected));
        assert_eq!(RawSpec::from_toml(&spec.to_toml().unwrap()).unwrap(), spec);
        assert_eq!(RawSpec::from_json(&spec.to_json()).unwrap(), spec);
    }

    #[test]
    fn unresolved_specs_are_refused_with_a_reason() {
        let e = ValidSpec::try_from_resolved(&RawSpec::default()).unwrap_err();
        assert!(e.to_string().contains("input.delimiter"), "{e}");
        let mut raw = RawSpec::default();
        raw.input.delimiter = Some(";;".into());
        let e = ValidSpec::try_from_resolved(&raw).unwrap_err();
        assert!(e.to_string().contains("one ASCII character"), "{e}");
    }
}
