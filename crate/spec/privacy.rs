//! `[privacy]`: the privacy-risk section of a spec ([`crate::privacy`]): personal-data
//! detection ([`crate::privacy::detect`]), and the re-identification risk over
//! quasi-identifiers with its what-if generalisations ([`crate::privacy::risk`]).
//!
//! ```toml
//! [privacy]
//! detect = true               # personal-data detection (default on)
//! quasi_identifiers = ["age", "sex", "zip"]
//! sensitive = ["diagnosis"]
//! population = 2500000        # N: the file is a simple random sample of N people
//! risk_threshold = 0.2        # τ: records at risk have 1/class size > τ
//! max_classes = 1000000       # memory cap (distinct quasi-identifier tuples)
//!
//! [privacy.ladders.zip]
//! kind = "mask"
//! masks = [1, 2, 3]
//!
//! [[privacy.what_if]]
//! age = 2
//! zip = 2
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[privacy]` in a spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawPrivacy {
    /// Detect personal data in every column (default true; see
    /// [`crate::privacy::detect`]).
    pub detect: bool,
    /// Quasi-identifier columns: the re-identification risk is measured over their
    /// combinations (none: no risk section).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quasi_identifiers: Vec<String>,
    /// Sensitive attributes: l-diversity and t-closeness within the classes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<String>,
    /// Size N of the population the file was drawn from (enables the
    /// population-uniqueness estimate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    /// τ: a record is at risk when 1 / its class size is above τ (default 0.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_threshold: Option<f64>,
    /// Most distinct quasi-identifier tuples kept in memory (default 1,000,000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_classes: Option<u64>,
    /// A column identifying the person when a person may have several rows (warned about).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The l of the recursive (c, l)-diversity measure (default 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recursive_l: Option<u64>,
    /// Generalisation ladders per quasi-identifier (default from type and name).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ladders: BTreeMap<String, RawLadder>,
    /// Generalisations to try: quasi-identifier → level (unlisted: 0).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub what_if: Vec<BTreeMap<String, u32>>,
}

impl Default for RawPrivacy {
    fn default() -> Self {
        RawPrivacy {
            detect: true,
            quasi_identifiers: Vec::new(),
            sensitive: Vec::new(),
            population: None,
            risk_threshold: None,
            max_classes: None,
            person: None,
            recursive_l: None,
            ladders: BTreeMap::new(),
            what_if: Vec::new(),
        }
    }
}

/// `[privacy.ladders.<column>]`: a generalisation ladder (see
/// [`crate::privacy::risk::ladder`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawLadder {
    /// `numeric`, `age`, `date`, `mask`, `category` or `suppress`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `numeric`, `age`: band widths, one level each (increasing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub widths: Option<Vec<f64>>,
    /// `age`: ages at or above this are pooled (default 90).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<f64>,
    /// `mask`: characters masked from the right, one level each (increasing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub masks: Option<Vec<u32>>,
    /// `category`: values with fewer rows become `other`, one level each (increasing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_counts: Option<Vec<u64>>,
}
