//! Privacy risk for impact assessments (issue 16).
//!
//! - [`risk`]: re-identification risk over the quasi-identifiers the user chooses —
//!   class sizes, k, sample uniques, prosecutor risk, population uniqueness, l-diversity
//!   and t-closeness of sensitive attributes — and what-if generalisations computed from
//!   the same exact counts.
//!
//! Definitions: `shared/PRIVACY_RISK.md`. The report section is [`PrivacyReport`] (JSON
//! `privacy`), rendered by `report::html_risk`.

pub mod risk;

use serde::{Deserialize, Serialize};

/// The privacy section of a report (`privacy`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyReport {
    /// Re-identification risk over the quasi-identifiers (`[privacy] quasi_identifiers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<risk::RiskReport>,
}
