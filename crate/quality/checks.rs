//! Gates: named checks with thresholds and severities. One registry ([`CHECKS`]) feeds the
//! spec validation, the report glossary and the CLI's `--help`.
//!
//! A check is violated when its observed value is above its threshold (for a *minimum*
//! such as `min_rows`: below it); its severity decides whether that is a `fail` (the CLI
//! `audit` exits with 1) or a `warn`. Share thresholds are in [0, 1]; count thresholds are
//! non-negative numbers. Spec syntax:
//!
//! ```toml
//! [checks.missing_share]
//! threshold = 0.2            # default for every column
//! severity = "fail"
//! columns = { income = 0.5 } # per-column overrides
//! ```

use crate::error::{Error, Result};
use crate::spec::ColumnSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How bad a failed check is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported, does not fail the gate.
    Warn,
    /// Fails the gate.
    Fail,
}

/// Outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Within threshold.
    Pass,
    /// Over threshold, severity warn.
    Warn,
    /// Over threshold, severity fail.
    Fail,
}

/// A check's definition.
#[derive(Debug)]
pub struct CheckDef {
    /// Stable id used in specs and JUnit.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// One-line definition of the observed value.
    pub doc: &'static str,
    /// Default threshold (a share).
    pub threshold: f64,
    /// Default severity.
    pub severity: Severity,
    /// Whether the check is evaluated per column.
    pub per_column: bool,
    /// True when the threshold is a minimum (violated below it), false for a maximum.
    pub minimum: bool,
    /// True when the observed value is a share (numerator / denominator).
    pub share: bool,
}

/// Every check privaudit knows.
pub const CHECKS: &[CheckDef] = &[
    CheckDef {
        id: "min_rows",
        title: "Enough data rows",
        doc: "number of data rows; violated when below the threshold",
        threshold: 1.0,
        severity: Severity::Fail,
        per_column: false,
        minimum: true,
        share: false,
    },
    CheckDef {
        id: "ragged_rows",
        title: "Rows have the header's field count",
        doc: "share of data rows whose number of fields differs from the header's",
        threshold: 0.0,
        severity: Severity::Fail,
        per_column: false,
        minimum: false,
        share: true,
    },
    CheckDef {
        id: "unparseable_cells",
        title: "Values parse as their column type",
        doc: "per column: unparseable values / non-missing values",
        threshold: 0.0,
        severity: Severity::Warn,
        per_column: true,
        minimum: false,
        share: true,
    },
    CheckDef {
        id: "missing_share",
        title: "Missing values",
        doc: "per column: missing values / rows",
        threshold: 0.5,
        severity: Severity::Warn,
        per_column: true,
        minimum: false,
        share: true,
    },
    CheckDef {
        id: "dataset_drift",
        title: "No dataset drift against the reference",
        doc: "share of counted columns that drifted from the reference (audit --reference); violated at or above the threshold, as Evidently's dataset drift",
        threshold: 0.5,
        severity: Severity::Warn,
        per_column: false,
        minimum: false,
        share: true,
    },
];

/// Checks violated when the observed value *reaches* the threshold (≥), not only above it.
const AT_OR_ABOVE: &[&str] = &["dataset_drift"];

/// `[checks.<id>]` in a spec.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawCheck {
    /// Threshold for every column (or the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Severity override.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Per-column thresholds.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, f64>,
}

/// All check settings of a spec, by id.
pub type RawChecks = BTreeMap<String, RawCheck>;

fn check_threshold(def: &CheckDef, field: String, v: f64) -> Result<()> {
    if def.share && !(0.0..=1.0).contains(&v) {
        Err(Error::spec(field, format!("a threshold is a share between 0 and 1, got {v}")))
    } else if !v.is_finite() || v < 0.0 {
        Err(Error::spec(field, format!("a threshold is a number of at least 0, got {v}")))
    } else {
        Ok(())
    }
}

/// Validates check settings against the registry and the columns.
pub fn validate(raw: &RawChecks, columns: &[ColumnSpec]) -> Result<()> {
    for (id, c) in raw {
        let def = CHECKS.iter().find(|d| d.id == id).ok_or_else(|| {
            let ids: Vec<&str> = CHECKS.iter().map(|d| d.id).collect();
            Error::spec(format!("checks.{id}"), format!("unknown check; known checks are {}", ids.join(", ")))
        })?;
        if let Some(t) = c.threshold {
            check_threshold(def, format!("checks.{id}.threshold"), t)?;
        }
        if !c.columns.is_empty() && !def.per_column {
            return Err(Error::spec(format!("checks.{id}.columns"), "this check is about the whole file, not columns"));
        }
        for (name, &t) in &c.columns {
            if !columns.iter().any(|col| &col.name == name) {
                return Err(Error::spec(format!("checks.{id}.columns.{name}"), "no such column"));
            }
            check_threshold(def, format!("checks.{id}.columns.{name}"), t)?;
        }
    }
    Ok(())
}

/// The result of one check (per column for per-column checks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    /// Check id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Column, for per-column checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Pass, warn or fail.
    pub status: Status,
    /// The observed value.
    pub observed: f64,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// `"max"`: violated above the threshold; `"min"`: violated below it.
    pub bound: String,
    /// Numerator and denominator of the observed share.
    pub numerator: u64,
    /// Denominator of the observed share.
    pub denominator: u64,
}

/// Evaluates one observation.
pub fn outcome(raw: &RawChecks, id: &str, column: Option<&str>, num: u64, den: u64) -> Option<CheckOutcome> {
    let def = CHECKS.iter().find(|d| d.id == id)?;
    let cfg = raw.get(id);
    let threshold = column
        .and_then(|c| cfg.and_then(|r| r.columns.get(c)).copied())
        .or(cfg.and_then(|r| r.threshold))
        .unwrap_or(def.threshold);
    let severity = cfg.and_then(|r| r.severity).unwrap_or(def.severity);
    let observed = if !def.share {
        num as f64
    } else if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    };
    let violated = if def.minimum {
        observed < threshold
    } else {
        observed > threshold || (AT_OR_ABOVE.contains(&id) && observed >= threshold)
    };
    let status = match (violated, severity) {
        (false, _) => Status::Pass,
        (true, Severity::Warn) => Status::Warn,
        (true, Severity::Fail) => Status::Fail,
    };
    Some(CheckOutcome {
        id: id.into(),
        title: def.title.into(),
        column: column.map(Into::into),
        status,
        observed,
        threshold,
        bound: if def.minimum { "min" } else { "max" }.into(),
        numerator: num,
        denominator: den,
    })
}

/// The registry as text for `--help`.
pub fn help_text() -> String {
    CHECKS
        .iter()
        .map(|d| {
            let sev = if d.severity == Severity::Fail { "fail" } else { "warn" };
            let bound = if d.minimum { "minimum" } else { "maximum" };
            format!("  {:<18} {} (default {bound} {}, {sev})", d.id, d.doc, d.threshold)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_resolve_column_then_check_then_default() {
        let mut raw = RawChecks::new();
        raw.insert(
            "missing_share".into(),
            RawCheck {
                threshold: Some(0.1),
                severity: Some(Severity::Fail),
                columns: [("income".to_string(), 0.3)].into(),
            },
        );
        let o = outcome(&raw, "missing_share", Some("income"), 2, 10).unwrap();
        assert_eq!((o.status, o.threshold), (Status::Pass, 0.3));
        let o = outcome(&raw, "missing_share", Some("age"), 2, 10).unwrap();
        assert_eq!((o.status, o.threshold), (Status::Fail, 0.1));
        let o = outcome(&RawChecks::new(), "missing_share", Some("age"), 6, 10).unwrap();
        assert_eq!(o.status, Status::Warn);
    }

    #[test]
    fn bad_settings_are_named() {
        let cols = vec![];
        let mut raw = RawChecks::new();
        raw.insert("nope".into(), RawCheck::default());
        assert!(validate(&raw, &cols).unwrap_err().to_string().contains("known checks are min_rows"));
        let mut raw = RawChecks::new();
        raw.insert("ragged_rows".into(), RawCheck { threshold: Some(2.0), ..Default::default() });
        assert!(validate(&raw, &cols).unwrap_err().to_string().contains("between 0 and 1"));
    }
}
