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
use crate::fairness::metrics::Metric;
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
    /// Not evaluated (a disparity check on a small group or an undefined rate).
    Skipped,
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
    /// True for the disparity checks of the bias audit (one outcome per compared group;
    /// they take `metric` and `min_group_size`).
    pub disparity: bool,
}

pub use super::check_registry::CHECKS;

/// Checks violated when the observed value *reaches* the threshold (≥), not only above it.
const AT_OR_ABOVE: &[&str] = &["dataset_drift", "target_leakage", "all_missing_column", "near_constant_column"];

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
    /// The threshold of a minimum check (same as `threshold`, which it overrides).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The threshold of a maximum check (same as `threshold`, which it overrides).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Disparity checks: the gated metric or metrics, fairlearn names such as
    /// `false_positive_rate` or a list of them (default: see
    /// [`super::disparity_gates::default_metrics`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<super::disparity_gates::MetricChoice>,
    /// Disparity checks: `adverse` (default: the four-fifths rule read in the harm
    /// direction, the disadvantaged party named) or `symmetric` (Aequitas' parity band
    /// τ ≤ group ÷ reference ≤ 1/τ); see [`super::disparity_gates`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<super::disparity_gates::Band>,
    /// Disparity checks: groups with fewer rows are skipped (default: `bias.min_group_size`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_group_size: Option<u64>,
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
        for (key, v, allowed) in [("min", c.min, def.minimum), ("max", c.max, !def.minimum)] {
            let Some(v) = v else { continue };
            if !allowed {
                let other = if def.minimum { "min" } else { "max" };
                return Err(Error::spec(
                    format!("checks.{id}.{key}"),
                    format!("this check has a `{other}`, not a `{key}`"),
                ));
            }
            check_threshold(def, format!("checks.{id}.{key}"), v)?;
        }
        let takes_size = def.disparity || def.id == "group_missing_gap";
        let only_disparity = if def.disparity {
            None
        } else if c.metric.is_some() {
            Some("metric")
        } else if c.band.is_some() {
            Some("band")
        } else {
            None
        };
        if let Some(key) = only_disparity.or((!takes_size && c.min_group_size.is_some()).then_some("min_group_size")) {
            return Err(Error::spec(format!("checks.{id}.{key}"), "only the disparity checks take this setting"));
        }
        if let Some(m) = &c.metric {
            super::disparity_gates::validate_metrics(id, m)?;
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

/// True when `id` names a disparity check of the bias audit.
pub fn is_disparity(id: &str) -> bool {
    CHECKS.iter().any(|d| d.id == id && d.disparity)
}

/// The metric named in a disparity check's `metric` setting.
pub fn disparity_metric(name: &str) -> Option<Metric> {
    Metric::COMPARED.iter().copied().find(|m| m.name() == name)
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
    /// Disparity checks: the compared group, as `attribute = value` pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Pass, warn, fail, or skipped (a disparity check on a group that is too small or
    /// whose rate is undefined: neither passed nor failed).
    pub status: Status,
    /// The observed value (None when skipped).
    pub observed: Option<f64>,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// `"max"`: violated above the threshold; `"min"`: violated below it.
    pub bound: String,
    /// Numerator and denominator of the observed share.
    pub numerator: u64,
    /// Denominator of the observed share.
    pub denominator: u64,
    /// Disparity checks: what was compared, or why the group was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Disparity checks: the metric, the disadvantaged party, its comparator and the effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disparity: Option<super::disparity_gates::DisparityDetail>,
}

/// The definition of a check and its threshold and severity for `column`.
fn settings(raw: &RawChecks, id: &str, column: Option<&str>) -> Option<(&'static CheckDef, f64, Severity)> {
    let def = CHECKS.iter().find(|d| d.id == id)?;
    let cfg = raw.get(id);
    let bound = cfg.and_then(|r| if def.minimum { r.min } else { r.max });
    let threshold = column
        .and_then(|c| cfg.and_then(|r| r.columns.get(c)).copied())
        .or(bound)
        .or(cfg.and_then(|r| r.threshold))
        .unwrap_or(def.threshold);
    Some((def, threshold, cfg.and_then(|r| r.severity).unwrap_or(def.severity)))
}

/// The severity of check `id` (the spec's, else the registry's default).
pub fn severity(raw: &RawChecks, id: &str) -> Option<Severity> {
    settings(raw, id, None).map(|(_, _, s)| s)
}

/// The threshold of check `id` for `column` (its per-column override, else the check's).
pub fn threshold(raw: &RawChecks, id: &str, column: Option<&str>) -> Option<f64> {
    settings(raw, id, column).map(|(_, t, _)| t)
}

/// Evaluates one observed value (None: skipped) of check `id`.
pub fn evaluate(
    raw: &RawChecks,
    id: &str,
    column: Option<&str>,
    observed: Option<f64>,
    counts: (u64, u64),
) -> Option<CheckOutcome> {
    let (def, threshold, severity) = settings(raw, id, column)?;
    let status = match observed {
        None => Status::Skipped,
        Some(v)
            if (def.minimum && v < threshold)
                || (!def.minimum && (v > threshold || (AT_OR_ABOVE.contains(&id) && v >= threshold))) =>
        {
            match severity {
                Severity::Warn => Status::Warn,
                Severity::Fail => Status::Fail,
            }
        }
        Some(_) => Status::Pass,
    };
    Some(CheckOutcome {
        id: id.into(),
        title: def.title.into(),
        column: column.map(Into::into),
        group: None,
        status,
        observed,
        threshold,
        bound: if def.minimum { "min" } else { "max" }.into(),
        numerator: counts.0,
        denominator: counts.1,
        note: None,
        disparity: None,
    })
}

/// Evaluates one observation: a count, or the share `num / den` (0 when `den` is 0).
pub fn outcome(raw: &RawChecks, id: &str, column: Option<&str>, num: u64, den: u64) -> Option<CheckOutcome> {
    let def = CHECKS.iter().find(|d| d.id == id)?;
    let observed = if !def.share {
        num as f64
    } else if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    };
    evaluate(raw, id, column, Some(observed), (num, den))
}

/// The registry as text for `--help`.
pub fn help_text() -> String {
    CHECKS
        .iter()
        .map(|d| {
            let sev = if d.severity == Severity::Fail { "fail" } else { "warn" };
            let bound = if d.minimum { "minimum" } else { "maximum" };
            format!("  {:<20} {} (default {bound} {}, {sev})", d.id, d.doc, d.threshold)
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
                ..Default::default()
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
        let mut raw = RawChecks::new();
        raw.insert("disparity_ratio".into(), RawCheck { max: Some(0.5), ..Default::default() });
        assert!(validate(&raw, &cols).unwrap_err().to_string().contains("has a `min`, not a `max`"));
        let mut raw = RawChecks::new();
        let auc = Some(super::super::disparity_gates::MetricChoice::One("auc".into()));
        raw.insert("disparity_difference".into(), RawCheck { metric: auc, ..Default::default() });
        assert!(validate(&raw, &cols).unwrap_err().to_string().contains("use one of selection_rate"));
        let mut raw = RawChecks::new();
        let accuracy = Some(super::super::disparity_gates::MetricChoice::One("accuracy".into()));
        raw.insert("missing_share".into(), RawCheck { metric: accuracy, ..Default::default() });
        assert!(validate(&raw, &cols).unwrap_err().to_string().contains("only the disparity checks"));
    }

    #[test]
    fn min_and_max_override_the_threshold() {
        let mut raw = RawChecks::new();
        raw.insert("disparity_ratio".into(), RawCheck { threshold: Some(0.5), min: Some(0.9), ..Default::default() });
        let o = evaluate(&raw, "disparity_ratio", None, Some(0.85), (1, 2)).unwrap();
        assert_eq!((o.status, o.threshold, o.bound.as_str()), (Status::Warn, 0.9, "min"));
        let o = evaluate(&raw, "disparity_ratio", None, None, (0, 0)).unwrap();
        assert_eq!((o.status, o.observed), (Status::Skipped, None));
    }
}
